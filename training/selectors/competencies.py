"""Reads of the competency dictionary, position standards, assessed levels, gaps and JPM.

Rules (shared/DOMAIN.md, "Competency standards"):
- gap per competency = required − assessed (positive = a development need);
- JPM = Σ assessed ÷ Σ required × 100, capped at 100, in bands by configurable thresholds;
- an employee's standard is, in this order: an explicit standard named after their jabatan
  (case-insensitive), else the standard of their position type (+ jenjang), else the default
  managerial table below.

Every function runs inside the region scope and costs a constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from regions.models import Employee, FunctionalLevel, PositionType, Region
from training.models import (
    Competency,
    CompetencyLevel,
    CompetencyType,
    EmployeeCompetency,
    Enrolment,
    Offering,
    PositionStandard,
    PositionStandardItem,
    Program,
)

# --- Configuration (one place) -----------------------------------------------------------------

# Typical managerial level required by position type (PermenPAN-RB 38/2017; DOMAIN.md "check").
# Used for the national managerial competencies when a region has no explicit standard.
# Functional positions are keyed by jenjang; a key of None is the level for the position type.
DEFAULT_MANAGERIAL_LEVELS: dict[str, dict[str | None, int]] = {
    PositionType.JPT_UTAMA: {None: 5},
    PositionType.JPT_MADYA: {None: 5},
    PositionType.JPT_PRATAMA: {None: 4},
    PositionType.ADMINISTRATOR: {None: 3},
    PositionType.PENGAWAS: {None: 2},
    PositionType.PELAKSANA: {None: 1},
    PositionType.FUNGSIONAL_KEAHLIAN: {
        FunctionalLevel.AHLI_UTAMA: 4,
        FunctionalLevel.AHLI_MADYA: 3,
        FunctionalLevel.AHLI_MUDA: 2,
        FunctionalLevel.AHLI_PERTAMA: 1,
    },
    # Not in DOMAIN.md: skilled functional positions are treated like pelaksana (check).
    PositionType.FUNGSIONAL_KETERAMPILAN: {None: 1},
}

# Which national competencies the default table applies to.
DEFAULT_STANDARD_TYPES = (CompetencyType.MANAJERIAL,)

# JPM bands: (minimum JPM, key, label), best first. Thresholds can be overridden with the
# setting KOMPETENSI_JPM_THRESHOLDS = (optimal, fairly optimal).
_OPTIMAL, _FAIRLY = getattr(settings, "KOMPETENSI_JPM_THRESHOLDS", (90, 78))
JPM_BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal(_OPTIMAL), "optimal", _("Optimal")),
    (Decimal(_FAIRLY), "fairly_optimal", _("Cukup optimal")),
    (Decimal(0), "not_optimal", _("Kurang optimal")),
)

# A programme the employee is enrolled in (or has completed) is not recommended again.
TAKEN_ENROLMENT_STATUSES = (*Enrolment.ONGOING_STATUSES, Enrolment.Status.COMPLETED)


# --- Pure math ---------------------------------------------------------------------------------


def competency_gap(*, required: int, assessed: int | None) -> int | None:
    """Required − assessed; None when the competency has not been assessed."""
    if assessed is None:
        return None
    return required - assessed


def job_person_match(*, pairs: list[tuple[int, int]]) -> Fraction | None:
    """JPM of (required, assessed) pairs: Σ assessed ÷ Σ required × 100, capped at 100."""
    total_required = sum(required for required, _assessed in pairs)
    if total_required <= 0:
        return None
    total_assessed = sum(assessed for _required, assessed in pairs)
    return min(Fraction(total_assessed * 100, total_required), Fraction(100))


@dataclass(frozen=True)
class JpmBand:
    key: str
    label: str


def jpm_band(*, jpm: Fraction | Decimal | float | None) -> JpmBand | None:
    if jpm is None:
        return None
    value = Fraction(jpm) if not isinstance(jpm, Fraction) else jpm
    for minimum, key, label in JPM_BANDS:
        if value >= Fraction(minimum):
            return JpmBand(key=key, label=label)
    return JpmBand(key=JPM_BANDS[-1][1], label=JPM_BANDS[-1][2])


def jpm_display(jpm: Fraction | None) -> Decimal | None:
    """JPM rounded to two decimals for display."""
    if jpm is None:
        return None
    return (Decimal(jpm.numerator) / Decimal(jpm.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def default_managerial_level(*, position_type: str, functional_level: str = "") -> int | None:
    levels = DEFAULT_MANAGERIAL_LEVELS.get(position_type)
    if not levels:
        return None
    return levels.get(functional_level or None, levels.get(None))


# --- Dictionary --------------------------------------------------------------------------------


def _visible(region: Region) -> Q:
    """National rows and the region's own rows (never another region's)."""
    return Q(region=region) | Q(region__isnull=True)


def competency_list(
    *, region: Region, search: str = "", type: str = "", active: bool | None = True
) -> QuerySet[Competency]:
    qs = Competency.objects.filter(_visible(region))
    if type:
        qs = qs.filter(type=type)
    if active is not None:
        qs = qs.filter(is_active=active)
    search = search.strip()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return qs.annotate(level_count=Count("levels")).order_by("type", "code", "id")


def competency_choices(*, region: Region, include: Competency | None = None) -> QuerySet:
    """Active competencies a region may use (national + its own technical ones)."""
    condition = Q(is_active=True)
    if include is not None and include.pk:
        condition |= Q(pk=include.pk)
    return Competency.objects.filter(_visible(region)).filter(condition).order_by("type", "code")


def competency_get(*, region: Region, pk: int) -> Competency:
    """One competency visible in the region, with its levels (raises DoesNotExist)."""
    return (
        Competency.objects.filter(_visible(region))
        .select_related("region")
        .prefetch_related(Prefetch("levels", queryset=CompetencyLevel.objects.order_by("level")))
        .get(pk=pk)
    )


def competency_usage(*, region: Region, competency: Competency) -> dict:
    """How often a competency is used in the region (standards, assessments, programmes)."""
    return {
        "standards": PositionStandardItem.objects.filter(
            region=region, competency=competency
        ).count(),
        "assessments": EmployeeCompetency.objects.filter(
            region=region, competency=competency
        ).count(),
        "programs": Program.objects.filter(region=region, competencies=competency).count(),
    }


# --- Position standards ------------------------------------------------------------------------


def position_standard_list(
    *, region: Region, search: str = "", position_type: str = ""
) -> QuerySet[PositionStandard]:
    qs = PositionStandard.objects.filter(region=region)
    if position_type:
        qs = qs.filter(position_type=position_type)
    search = search.strip()
    if search:
        qs = qs.filter(Q(position_name__icontains=search) | Q(description__icontains=search))
    return qs.annotate(item_count=Count("items")).order_by(
        "position_type", "functional_level", "position_name", "id"
    )


def _items_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=PositionStandardItem.objects.select_related("competency").order_by(
            "competency__type", "competency__code"
        ),
    )


def position_standard_get(*, region: Region, pk: int) -> PositionStandard:
    return (
        PositionStandard.objects.filter(region=region)
        .prefetch_related(_items_prefetch())
        .get(pk=pk)
    )


@dataclass(frozen=True)
class Requirement:
    competency: Competency
    required_level: int


@dataclass(frozen=True)
class StandardMatch:
    """The standard that applies to an employee, and how it was found."""

    BY_NAME = "position_name"
    BY_TYPE = "position_type"
    DEFAULT = "default"

    source: str
    standard: PositionStandard | None
    requirements: list[Requirement]

    @property
    def source_label(self) -> str:
        return {
            self.BY_NAME: _("Standar jabatan %(name)s"),
            self.BY_TYPE: _("Standar jenis jabatan %(name)s"),
            self.DEFAULT: _("Standar manajerial umum (belum ada standar khusus di wilayah ini)"),
        }[self.source] % {"name": self.standard or ""}


def _choose_standard(employee: Employee, candidates) -> PositionStandard | None:
    """The standard of `candidates` (the region's, items prefetched) that applies to the
    employee: one named after their jabatan, else the one of their type (and jenjang)."""
    position = (employee.position or "").strip()

    def rank(standard: PositionStandard) -> tuple:
        named = bool(standard.position_name)
        return (
            0 if named else 1,
            # A named standard of the employee's own type (and jenjang) beats a namesake.
            standard.position_type != employee.position_type,
            standard.functional_level != (employee.functional_level or ""),
            standard.pk,
        )

    named = [
        s
        for s in candidates
        if position and s.position_name and s.position_name.lower() == position.lower()
    ]
    typed = [
        s
        for s in candidates
        if not s.position_name
        and s.position_type == employee.position_type
        and s.functional_level in (employee.functional_level or "", "")
    ]
    return min(named, key=rank) if named else (min(typed, key=rank) if typed else None)


def _match_of(chosen: PositionStandard) -> StandardMatch:
    return StandardMatch(
        source=StandardMatch.BY_NAME if chosen.position_name else StandardMatch.BY_TYPE,
        standard=chosen,
        requirements=[
            Requirement(competency=item.competency, required_level=item.required_level)
            for item in chosen.items.all()
        ],
    )


def standard_for_employee(*, employee: Employee) -> StandardMatch:
    """The employee's standard: by jabatan name, else type + jenjang, else the default table.

    Two queries: the candidate standards with their items, or the national managerial
    competencies for the default.
    """
    region_id = employee.region_id
    position = (employee.position or "").strip()
    by_type = Q(position_name="", position_type=employee.position_type) & Q(
        functional_level__in=[employee.functional_level or "", ""]
    )
    condition = by_type
    if position:
        condition |= Q(position_name__iexact=position)
    candidates = list(
        PositionStandard.objects.filter(condition, region_id=region_id).prefetch_related(
            _items_prefetch()
        )
    )
    chosen = _choose_standard(employee, candidates)
    if chosen is not None:
        return _match_of(chosen)

    level = default_managerial_level(
        position_type=employee.position_type, functional_level=employee.functional_level
    )
    requirements = []
    if level is not None:
        national = Competency.objects.filter(
            region__isnull=True, type__in=DEFAULT_STANDARD_TYPES, is_active=True
        ).order_by("type", "code")
        requirements = [Requirement(competency=c, required_level=level) for c in national]
    return StandardMatch(source=StandardMatch.DEFAULT, standard=None, requirements=requirements)


# --- Assessed levels ---------------------------------------------------------------------------


def employee_latest_levels(*, employee: Employee) -> QuerySet[EmployeeCompetency]:
    """The latest assessment of each competency of the employee (one query)."""
    newer = EmployeeCompetency.objects.filter(
        region_id=employee.region_id,
        employee_id=employee.pk,
        competency_id=OuterRef("competency_id"),
    ).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    return (
        EmployeeCompetency.objects.filter(region_id=employee.region_id, employee_id=employee.pk)
        .filter(~Exists(newer))
        .select_related("competency")
        .order_by("competency__type", "competency__code")
    )


def employee_assessment_history(*, employee: Employee, limit: int = 50):
    return (
        EmployeeCompetency.objects.filter(region_id=employee.region_id, employee_id=employee.pk)
        .select_related("competency")
        .order_by("-assessed_on", "-id")[:limit]
    )


# --- Profile: gaps and JPM ---------------------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    competency: Competency
    required_level: int
    assessment: EmployeeCompetency | None

    @property
    def assessed_level(self) -> int | None:
        return self.assessment.level if self.assessment else None

    @property
    def gap(self) -> int | None:
        return competency_gap(required=self.required_level, assessed=self.assessed_level)

    @property
    def has_need(self) -> bool:
        return self.gap is not None and self.gap > 0


@dataclass
class CompetencyProfile:
    employee: Employee
    match: StandardMatch
    rows: list[GapRow]
    other_assessments: list[EmployeeCompetency] = field(default_factory=list)

    @property
    def assessed_rows(self) -> list[GapRow]:
        return [row for row in self.rows if row.assessment is not None]

    @property
    def unassessed_count(self) -> int:
        return len(self.rows) - len(self.assessed_rows)

    @property
    def required_count(self) -> int:
        return len(self.rows)

    @property
    def assessed_count(self) -> int:
        return len(self.assessed_rows)

    @property
    def assessment_complete(self) -> bool:
        """Every required competency of the position has been assessed (DOMAIN rule 8)."""
        return bool(self.rows) and self.unassessed_count == 0

    @property
    def jpm_exact(self) -> Fraction | None:
        """JPM = Σ assessed ÷ Σ required × 100 over every required competency; None until each
        of them is assessed (an unassessed competency is unknown, never zero and never left
        out of Σ required)."""
        if not self.assessment_complete:
            return None
        return job_person_match(
            pairs=[(row.required_level, row.assessed_level) for row in self.rows]
        )

    @property
    def jpm(self) -> Decimal | None:
        return jpm_display(self.jpm_exact)

    @property
    def band(self) -> JpmBand | None:
        return jpm_band(jpm=self.jpm_exact)

    @property
    def needs(self) -> dict[int, int]:
        """competency id → positive gap."""
        return {row.competency.pk: row.gap for row in self.rows if row.has_need}


def _sort_gap_rows(rows: list[GapRow]) -> None:
    """Biggest need first, then unassessed, then the rest in dictionary order."""
    rows.sort(
        key=lambda r: (
            -(r.gap if r.gap is not None else -99),
            r.competency.type,
            r.competency.code,
        )
    )


def competency_profile(*, employee: Employee) -> CompetencyProfile:
    """Standard, required vs assessed level and gap per competency, and JPM (3 queries)."""
    match = standard_for_employee(employee=employee)
    latest = {a.competency_id: a for a in employee_latest_levels(employee=employee)}
    rows = [
        GapRow(
            competency=req.competency,
            required_level=req.required_level,
            assessment=latest.pop(req.competency.pk, None),
        )
        for req in match.requirements
    ]
    _sort_gap_rows(rows)
    return CompetencyProfile(
        employee=employee, match=match, rows=rows, other_assessments=list(latest.values())
    )


# --- Recommendations ---------------------------------------------------------------------------


def recommended_programs(*, employee: Employee, limit: int = 6) -> list[Program]:
    """Published programmes with an open or planned offering that develop a competency where
    the employee has a positive gap, biggest gap first. Programmes the employee is already
    enrolled in or has completed, and programmes aimed at other position types, are left out.

    Each programme carries `top_gap` (its biggest matching gap), `next_start` (the first
    open/planned offering's start date) and `matched_competencies` (the competencies it
    develops that the employee needs, biggest gap first). Constant number of queries:
    the profile (3) + programmes (1) + their matched competencies (1).
    """
    needs = competency_profile(employee=employee).needs
    return recommended_programs_for_needs(employee=employee, needs=needs, limit=limit)


def recommended_programs_for_needs(
    *, employee: Employee, needs: dict[int, int], limit: int = 6
) -> list[Program]:
    """As `recommended_programs`, for needs already computed (competency id → gap)."""
    if not needs or limit <= 0:
        return []
    gap_of = Case(
        *[When(competencies__id=pk, then=Value(gap)) for pk, gap in needs.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    upcoming = Offering.objects.filter(
        region_id=employee.region_id,
        program_id=OuterRef("pk"),
        status__in=Offering.UPCOMING_STATUSES,
    )
    taken = Enrolment.objects.filter(
        region_id=employee.region_id,
        employee_id=employee.pk,
        offering__program_id=OuterRef("pk"),
        status__in=TAKEN_ENROLMENT_STATUSES,
    )
    position_filter = Q(target_position_types=[])
    if employee.position_type:
        # JSON list of position types; matched as the quoted value so one type is never
        # mistaken for a longer one.
        position_filter |= Q(target_position_types__icontains=f'"{employee.position_type}"')
    programs = (
        Program.objects.filter(
            region_id=employee.region_id,
            status=Program.Status.PUBLISHED,
            competencies__id__in=list(needs),
        )
        .filter(Exists(upcoming), ~Exists(taken))
        .filter(position_filter)
        .annotate(
            top_gap=Max(gap_of),
            next_start=Min(
                "offerings__start_date",
                filter=Q(offerings__status__in=Offering.UPCOMING_STATUSES),
            ),
        )
        .select_related("form", "provider")
        .prefetch_related(
            Prefetch(
                "competencies",
                queryset=Competency.objects.filter(pk__in=list(needs)).order_by("code"),
                to_attr="matched_competencies",
            )
        )
        .order_by("-top_gap", "next_start", "title", "pk")[:limit]
    )
    programs = list(programs)
    for program in programs:
        program.matched_competencies.sort(key=lambda c: (-needs.get(c.pk, 0), c.code))
    return programs


# --- Gaps of many employees (a unit's needs) --------------------------------------------------


@dataclass
class CompetencyGapSummary:
    """One required competency across a group of employees: who has a positive gap, how many
    are not assessed yet (their gap is unknown, not zero), and how many require it."""

    competency: Competency
    required_by: int = 0
    with_gap: list[int] = field(default_factory=list)  # employee ids
    gap_total: int = 0
    unassessed: int = 0

    @property
    def average_gap(self) -> Decimal:
        if not self.with_gap:
            return Decimal(0)
        return (Decimal(self.gap_total) / Decimal(len(self.with_gap))).quantize(Decimal("0.1"))


def gap_rows_of(*, region: Region, employees: list[Employee]) -> dict[int, list[GapRow]]:
    """Each employee's gap rows, as `competency_profile` computes them one by one (the standard
    `standard_for_employee` chooses, the latest assessment of each required competency; biggest
    need first), for many employees at once: employee id → rows. Constant queries whatever the
    number of employees: the region's standards and their items (2), the national defaults
    (1), the latest assessments (1)."""
    if not employees:
        return {}
    standards = list(
        PositionStandard.objects.filter(region=region).prefetch_related(_items_prefetch())
    )
    national = list(
        Competency.objects.filter(
            region__isnull=True, type__in=DEFAULT_STANDARD_TYPES, is_active=True
        ).order_by("type", "code")
    )
    ids = [e.pk for e in employees]
    newer = EmployeeCompetency.objects.filter(
        region=region, employee_id=OuterRef("employee_id"), competency_id=OuterRef("competency_id")
    ).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    latest: dict[tuple[int, int], EmployeeCompetency] = {
        (a.employee_id, a.competency_id): a
        for a in EmployeeCompetency.objects.filter(region=region, employee_id__in=ids)
        .filter(~Exists(newer))
        .only("id", "employee_id", "competency_id", "level", "source", "assessed_on")
    }
    result: dict[int, list[GapRow]] = {}
    for employee in employees:
        chosen = _choose_standard(employee, standards)
        if chosen is not None:
            requirements = _match_of(chosen).requirements
        else:
            level = default_managerial_level(
                position_type=employee.position_type,
                functional_level=employee.functional_level,
            )
            requirements = (
                [Requirement(competency=c, required_level=level) for c in national]
                if level is not None
                else []
            )
        rows = [
            GapRow(
                competency=req.competency,
                required_level=req.required_level,
                assessment=latest.get((employee.pk, req.competency.pk)),
            )
            for req in requirements
        ]
        _sort_gap_rows(rows)
        result[employee.pk] = rows
    return result


def competency_gaps_of(*, region: Region, employees: list[Employee]) -> list[CompetencyGapSummary]:
    """Gaps per required competency over `employees` (each with the standard that applies to
    them, as `standard_for_employee` decides), biggest group with a need first. Constant
    queries whatever the number of employees (`gap_rows_of`)."""
    summaries: dict[int, CompetencyGapSummary] = {}
    for employee_id, rows in gap_rows_of(region=region, employees=employees).items():
        for row in rows:
            summary = summaries.setdefault(
                row.competency.pk, CompetencyGapSummary(competency=row.competency)
            )
            summary.required_by += 1
            if row.gap is None:
                summary.unassessed += 1
            elif row.has_need:
                summary.with_gap.append(employee_id)
                summary.gap_total += row.gap
    return sorted(
        summaries.values(),
        key=lambda s: (-len(s.with_gap), -s.gap_total, s.competency.type, s.competency.code),
    )
