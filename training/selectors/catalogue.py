"""Reads of the catalogue for the admin pages and the ASN catalogue.

Counts (participants here; seats through the seat engine, `training.seats`) are computed in SQL
with correlated subqueries, so a list page costs the same number of queries whatever its
length, and filters on other relations (competencies, offerings) never multiply the counted
rows.
"""

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from regions.models import Region, Unit
from training.models import (
    Competency,
    DevelopmentForm,
    Enrolment,
    Offering,
    OfferingUnitQuota,
    Program,
    Provider,
    Session,
    Speaker,
)
from training.seats import quota_seats_used, with_seats


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """COUNT(*) of `queryset` grouped by `group`, as a subquery that is 0 when empty."""
    counted = queryset.values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _enrolment_count(*statuses: str) -> Coalesce:
    return _count(
        Enrolment.objects.filter(offering=OuterRef("pk"), status__in=statuses), "offering"
    )


def offerings_with_counts(queryset: QuerySet, *, today: dt.date | None = None) -> QuerySet:
    """Annotate offerings with seat and participant counts and whether enrolment is open today.

    seats_taken, reserved_seats, seats_total, seats_left: see `training.seats.with_seats`;
    requested_count, waitlisted_count;
    participant_count: enrolments that are or were live (all but rejected and cancelled);
    ongoing_count: ongoing enrolments (requested, waitlisted, confirmed: those a cancellation
    of the offering reaches);
    enrolment_open: status open and today inside the enrolment window.
    """
    today = today or timezone.localdate()
    return with_seats(
        queryset.annotate(
            requested_count=_enrolment_count(Enrolment.Status.REQUESTED),
            waitlisted_count=_enrolment_count(Enrolment.Status.WAITLISTED),
            participant_count=_enrolment_count(*Enrolment.LIVE_STATUSES),
            ongoing_count=_enrolment_count(*Enrolment.ONGOING_STATUSES),
        )
    ).annotate(
        enrolment_open=Case(
            When(Offering.enrolment_open_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# --- Admin: programmes -------------------------------------------------------------------------


def program_list(
    *, region: Region, search: str = "", status: str = "", form_id: int | None = None
) -> QuerySet:
    """The region's programmes for the admin list, with their number of offerings."""
    programs = Program.objects.filter(region=region).select_related("form", "provider")
    if search:
        programs = programs.filter(
            Q(title__icontains=search)
            | Q(code__icontains=search)
            | Q(description__icontains=search)
        )
    if status:
        programs = programs.filter(status=status)
    if form_id:
        programs = programs.filter(form_id=form_id)
    offerings = Offering.objects.filter(program=OuterRef("pk"))
    return programs.annotate(
        offering_count=_count(offerings, "program"),
        active_offering_count=_count(
            offerings.filter(status__in=Offering.ACTIVE_STATUSES), "program"
        ),
    ).order_by("title", "pk")


def program_for_admin(*, region: Region) -> QuerySet:
    """Programmes with what the admin detail page shows about them."""
    return (
        Program.objects.filter(region=region)
        .select_related("form", "provider", "created_by")
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("type", "code")),
            "target_units",
        )
    )


def program_offerings(*, program: Program) -> QuerySet:
    """Every offering of a programme (newest first) with seat counts."""
    return offerings_with_counts(
        Offering.objects.filter(region_id=program.region_id, program=program)
    ).order_by("-start_date", "-pk")


# --- Admin: offerings --------------------------------------------------------------------------


def offering_list(
    *,
    region: Region,
    search: str = "",
    status: str = "",
    month: dt.date | None = None,
) -> QuerySet:
    """All offerings of the region for the admin, with seat counts."""
    offerings = Offering.objects.filter(region=region).select_related("program", "program__form")
    if search:
        offerings = offerings.filter(
            Q(name__icontains=search)
            | Q(program__title__icontains=search)
            | Q(program__code__icontains=search)
        )
    if status:
        offerings = offerings.filter(status=status)
    if month:
        offerings = offerings.filter(start_date__year=month.year, start_date__month=month.month)
    return offerings_with_counts(offerings).order_by("-start_date", "-pk")


def offering_for_admin(*, region: Region) -> QuerySet:
    return offerings_with_counts(
        Offering.objects.filter(region=region)
        .select_related("program", "program__form", "program__provider")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.select_related("provider")))
    )


def offering_sessions(*, offering: Offering) -> QuerySet:
    return Session.objects.filter(region_id=offering.region_id, offering=offering).select_related(
        "speaker"
    )


def offering_unit_quotas(*, offering: Offering) -> QuerySet:
    """The unit quotas of an offering with the seats each unit has used."""
    return (
        OfferingUnitQuota.objects.filter(region_id=offering.region_id, offering=offering)
        .select_related("unit")
        .annotate(used=quota_seats_used())
        .annotate(left=Greatest(F("seats") - F("used"), Value(0)))
        .order_by("unit__name")
    )


def _active_or_kept(keep) -> Q:
    """Active rows, plus those already chosen (`keep`: ids), so that editing an object never
    silently drops a choice that was deactivated since."""
    return Q(is_active=True) | Q(pk__in=list(keep or ()))


def speaker_choices(*, region: Region, keep=()) -> QuerySet:
    return Speaker.objects.filter(_active_or_kept(keep), region=region).order_by("name")


def provider_choices(*, region: Region, keep=()) -> QuerySet:
    return Provider.objects.filter(_active_or_kept(keep), region=region).order_by("name")


def unit_choices(*, region: Region, keep=()) -> QuerySet:
    return Unit.objects.filter(_active_or_kept(keep), region=region).order_by("name")


def competency_choices(*, keep=()) -> QuerySet:
    """National competencies and the current region's own (the scope decides which)."""
    return Competency.objects.filter(_active_or_kept(keep)).order_by("type", "code")


def development_forms() -> QuerySet:
    return DevelopmentForm.objects.order_by("id")


# --- ASN catalogue -----------------------------------------------------------------------------


def catalogue_programs(
    *,
    region: Region,
    search: str = "",
    form_id: int | None = None,
    competency_id: int | None = None,
    mode: str = "",
    month: dt.date | None = None,
    open_seats: bool = False,
    today: dt.date | None = None,
) -> QuerySet:
    """Published programmes for ASN, filtered; each with its next start date and the number of
    offerings open for enrolment today.

    `month` keeps programmes with a (non-cancelled) offering starting in that month;
    `open_seats` keeps those with an offering open for enrolment today that still has seats;
    given both, one offering must meet both.
    """
    today = today or timezone.localdate()
    programs = Program.objects.filter(region=region, status=Program.Status.PUBLISHED)
    if search:
        programs = programs.filter(
            Q(title__icontains=search)
            | Q(code__icontains=search)
            | Q(description__icontains=search)
            | Q(objectives__icontains=search)
        )
    if form_id:
        programs = programs.filter(form_id=form_id)
    if competency_id:
        programs = programs.filter(
            Exists(
                Program.competencies.through.objects.filter(
                    program_id=OuterRef("pk"), competency_id=competency_id
                )
            )
        )
    if mode:
        programs = programs.filter(delivery_mode=mode)
    if month or open_seats:
        offerings = Offering.objects.filter(program=OuterRef("pk")).exclude(
            status=Offering.Status.CANCELLED
        )
        if month:
            offerings = offerings.filter(start_date__year=month.year, start_date__month=month.month)
        if open_seats:
            offerings = with_seats(offerings.filter(Offering.enrolment_open_q(today))).filter(
                seats_left__gt=0
            )
        programs = programs.filter(Exists(offerings))
    upcoming = Offering.objects.filter(
        program=OuterRef("pk"),
        status__in=Offering.UPCOMING_STATUSES,
        start_date__gte=today,
    )
    open_now = Offering.objects.filter(Offering.enrolment_open_q(today), program=OuterRef("pk"))
    next_start = upcoming.values("program").annotate(first=Min("start_date")).values("first")[:1]
    return (
        programs.select_related("form", "provider")
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("type", "code"))
        )
        .annotate(
            next_start=Subquery(next_start),
            open_offering_count=_count(open_now, "program"),
        )
        .order_by("title", "pk")
    )


def catalogue_program(*, region: Region) -> QuerySet:
    """Published programmes as ASN see them (a draft or archived one is a 404)."""
    return (
        Program.objects.filter(region=region, status=Program.Status.PUBLISHED)
        .select_related("form", "provider")
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("type", "code"))
        )
    )


def catalogue_offerings(*, program: Program, today: dt.date | None = None) -> QuerySet:
    """A programme's offerings shown to ASN: every one except cancelled, soonest first."""
    return offerings_with_counts(
        Offering.objects.filter(region_id=program.region_id, program=program)
        .exclude(status=Offering.Status.CANCELLED)
        .prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.order_by("name")),
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(status=Session.Status.SCHEDULED).select_related(
                    "speaker"
                ),
                to_attr="scheduled_sessions",
            ),
        ),
        today=today,
    ).order_by("start_date", "pk")


def catalogue_competencies(*, region: Region) -> QuerySet:
    """Competencies developed by at least one published programme (the filter's options)."""
    used = Program.competencies.through.objects.filter(
        competency_id=OuterRef("pk"),
        program__region=region,
        program__status=Program.Status.PUBLISHED,
    )
    return Competency.objects.filter(Exists(used)).order_by("type", "code")
