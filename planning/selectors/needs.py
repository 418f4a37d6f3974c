"""Reads of the needs round: submissions, needs, and the suggestions the portal makes from
data it already has (a unit's competency gaps, its PNS behind the JP target last year, its
employees' approved individual development plans). Constant queries per page.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from regions.models import Employee, Region
from training.models import Competency, DevelopmentForm, DevelopmentPlan, DevelopmentPlanItem
from training.selectors.competencies import competency_gaps_of
from training.selectors.history import history_for
from training.selectors.records import verified_jp

from ..models import Need, NeedsRound, UnitSubmission

# JP a suggested need starts with (the planner changes it); the PNS yearly minimum by default.
SUGGESTED_JP = getattr(settings, "KOMPETENSI_PLANNING_SUGGESTED_JP", 20)
MAX_GAP_SUGGESTIONS = 5
MAX_IDP_SUGGESTIONS = 5

SUBMISSION_ACTION_LABELS = {
    "submitted": _("Diajukan"),
    "returned": _("Dikembalikan"),
    "round_opened": _("Penjaringan dibuka"),
}


def round_list(*, region: Region) -> QuerySet[NeedsRound]:
    return (
        NeedsRound.objects.filter(region=region)
        .annotate(
            unit_count=Count("submissions"),
            submitted_count=Count(
                "submissions", filter=Q(submissions__status=UnitSubmission.Status.SUBMITTED)
            ),
        )
        .order_by("-year")
    )


def round_get(*, region: Region, round_id: int) -> NeedsRound | None:
    return NeedsRound.objects.filter(region=region, pk=round_id).first()


def round_for_year(*, region: Region, year: int) -> NeedsRound | None:
    return NeedsRound.objects.filter(region=region, year=year).first()


def submission_list(*, needs_round: NeedsRound, unit_ids=None) -> QuerySet[UnitSubmission]:
    qs = UnitSubmission.objects.filter(region_id=needs_round.region_id, round=needs_round)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return (
        qs.select_related("unit", "round")
        .annotate(
            need_count=Count("needs"),
            asn_total=Sum("needs__target_count"),
            cost_total=Sum("needs__estimated_cost"),
        )
        .order_by("unit__name", "pk")
    )


def submissions_for_planner(*, region: Region, unit_ids) -> QuerySet[UnitSubmission]:
    return (
        UnitSubmission.objects.filter(region=region, unit_id__in=list(unit_ids))
        .select_related("unit", "round")
        .annotate(need_count=Count("needs"))
        .order_by("-round__year", "unit__name")
    )


def submission_get(*, region: Region, submission_id: int) -> UnitSubmission | None:
    return (
        UnitSubmission.objects.filter(region=region, pk=submission_id)
        .select_related("unit", "round", "region")
        .first()
    )


def need_list(*, submission: UnitSubmission) -> QuerySet[Need]:
    return (
        Need.objects.filter(region_id=submission.region_id, submission=submission)
        .select_related("competency", "form")
        .prefetch_related(Prefetch("target_employees", queryset=Employee.objects.order_by("name")))
        .order_by("priority", "pk")
    )


def need_get(*, submission: UnitSubmission, need_id: int) -> Need | None:
    return (
        Need.objects.filter(region_id=submission.region_id, submission=submission, pk=need_id)
        .select_related("competency", "form", "submission__round", "submission__unit")
        .first()
    )


def submission_history(*, submission: UnitSubmission) -> list:
    events = list(history_for(subject=submission))
    for event in events:
        event.label = SUBMISSION_ACTION_LABELS.get(event.action, event.action)
    return events


def submitted_needs(*, needs_round: NeedsRound) -> QuerySet[Need]:
    """Needs of the round's submitted submissions (what the BKPSDM consolidates)."""
    return (
        Need.objects.filter(
            region_id=needs_round.region_id,
            submission__round=needs_round,
            submission__status=UnitSubmission.Status.SUBMITTED,
        )
        .select_related("competency", "form", "submission__unit")
        .annotate(item_count=Count("plan_items__key", distinct=True))  # copies in revisions: once
        .order_by("competency__type", "competency__code", "priority", "pk")
    )


def needs_by_ids(*, region: Region, ids) -> list[Need]:
    return list(
        Need.objects.filter(
            region=region, pk__in=list(ids), submission__status=UnitSubmission.Status.SUBMITTED
        )
        .select_related("competency", "form", "submission__unit", "submission__round")
        .prefetch_related("target_employees")
        .order_by("pk")
    )


# --- Suggestions -------------------------------------------------------------------------------


@dataclass
class Suggestion:
    key: str
    source: str
    source_label: str
    competency: Competency | None
    employees: list[Employee]
    target_count: int
    jp: int
    reason: str
    form: DevelopmentForm | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def one_click(self) -> bool:
        """Accepted in one click when every field a need requires is known."""
        return self.competency is not None


def suggestions_for(*, submission: UnitSubmission) -> list[Suggestion]:
    """What the portal suggests the unit needs, minus suggestions already accepted or
    ignored. Gaps count only assessed competencies: an unassessed one is unknown, so it never
    makes a gap, and the suggestion says how many employees are still unassessed."""
    region = submission.region
    year = submission.round.year
    taken = set(
        Need.objects.filter(submission=submission)
        .exclude(suggestion_key="")
        .values_list("suggestion_key", flat=True)
    ) | set(submission.ignored_suggestions or [])
    employees = list(
        Employee.objects.filter(region=region, unit_id=submission.unit_id, is_active=True)
        .annotate(last_year_jp=verified_jp(year=year - 1))
        .order_by("name", "pk")
    )
    by_id = {e.pk: e for e in employees}
    suggestions: list[Suggestion] = []

    # 1. The unit's largest competency gaps.
    gaps = competency_gaps_of(region=region, employees=employees)
    for summary in [g for g in gaps if g.with_gap][:MAX_GAP_SUGGESTIONS]:
        key = f"gap:{summary.competency.pk}"
        if key in taken:
            continue
        notes = []
        if summary.unassessed:
            notes.append(
                _(
                    "%(n)s pegawai belum dinilai pada kompetensi ini (kesenjangannya belum diketahui)."
                )
                % {"n": summary.unassessed}
            )
        suggestions.append(
            Suggestion(
                key=key,
                source=Need.Source.GAP,
                source_label=str(Need.Source.GAP.label),
                competency=summary.competency,
                employees=[by_id[pk] for pk in summary.with_gap],
                target_count=len(summary.with_gap),
                jp=SUGGESTED_JP,
                reason=_(
                    "%(n)s dari %(of)s pegawai yang dipersyaratkan memiliki kesenjangan "
                    "(rata-rata %(avg)s level)."
                )
                % {
                    "n": len(summary.with_gap),
                    "of": summary.required_by,
                    "avg": number_format(summary.average_gap, decimal_pos=1),
                },
                notes=notes,
            )
        )

    # 2. PNS behind the JP target last year (PPPK are not measured against it: rule 4).
    target = region.jp_target
    behind = [
        e
        for e in employees
        if e.employment_type == Employee.EmploymentType.PNS and e.last_year_jp < target
    ]
    key = f"jp:{year - 1}"
    if behind and key not in taken:
        behind_ids = {e.pk for e in behind}
        # The competency most of them lack (assessed gaps only), if any is known.
        common = max(
            gaps, key=lambda g: (len(behind_ids.intersection(g.with_gap)), -g.competency.pk),
            default=None,
        )  # fmt: skip
        competency = (
            common.competency if common and behind_ids.intersection(common.with_gap) else None
        )
        shortfall = sum((Decimal(target) - e.last_year_jp for e in behind), Decimal(0))
        suggestions.append(
            Suggestion(
                key=key,
                source=Need.Source.JP_BEHIND,
                source_label=str(Need.Source.JP_BEHIND.label),
                competency=competency,
                employees=behind,
                target_count=len(behind),
                jp=max(1, math.ceil(shortfall / len(behind))),
                reason=_(
                    "%(n)s PNS mencapai kurang dari %(target)s JP terverifikasi pada tahun %(year)s."
                )
                % {"n": len(behind), "target": target, "year": year - 1},
                notes=[]
                if competency
                else [_("Pilih kompetensi yang akan dikembangkan sebelum menerima saran ini.")],
            )
        )

    # 3. Approved individual development plans of the unit's employees for the plan year.
    items = (
        DevelopmentPlanItem.objects.filter(
            region=region,
            plan__year=year,
            plan__status=DevelopmentPlan.Status.APPROVED,
            plan__employee__unit_id=submission.unit_id,
            plan__employee__is_active=True,
            competency__isnull=False,
        )
        .select_related("competency", "form")
        .values_list("competency_id", "plan__employee_id", "planned_jp", "form_id")
    )
    grouped: dict[int, list[tuple[int, int, int | None]]] = defaultdict(list)
    for competency_id, employee_id, jp, form_id in items:
        grouped[competency_id].append((employee_id, jp, form_id))
    ranked = sorted(grouped.items(), key=lambda kv: (-len({e for e, _j, _f in kv[1]}), kv[0]))
    ranked = [(cid, rows) for cid, rows in ranked if f"idp:{cid}" not in taken][
        :MAX_IDP_SUGGESTIONS
    ]
    competencies = Competency.objects.in_bulk([cid for cid, _rows in ranked])
    forms = DevelopmentForm.objects.in_bulk(
        {f for _cid, rows in ranked for _e, _j, f in rows if f is not None}
    )
    for competency_id, rows in ranked:
        people = sorted({e for e, _j, _f in rows})
        form_counts = Counter(f for _e, _j, f in rows if f is not None)
        suggestions.append(
            Suggestion(
                key=f"idp:{competency_id}",
                source=Need.Source.IDP,
                source_label=str(Need.Source.IDP.label),
                competency=competencies.get(competency_id),
                employees=[by_id[pk] for pk in people if pk in by_id],
                target_count=len(people),
                jp=max(1, round(sum(j for _e, j, _f in rows) / len(people))),
                form=forms.get(form_counts.most_common(1)[0][0]) if form_counts else None,
                reason=_(
                    "%(n)s pegawai mencantumkannya dalam rencana pengembangan individu yang disetujui."
                )
                % {"n": len(people)},
            )
        )
    return suggestions


def suggestion_get(*, submission: UnitSubmission, key: str) -> Suggestion | None:
    for suggestion in suggestions_for(submission=submission):
        if suggestion.key == key:
            return suggestion
    return None
