"""Reads for the enrolment pages: seats, participant lists, approvals, attendance, history.

Every list is one query (plus a fixed number of prefetches), whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Employee, Region, Unit
from training.models import Attendance, Course, Enrolment, LessonProgress, Offering, Session
from training.seats import seat_state, seat_states
from training.selectors.history import history_for

S = Enrolment.Status

ACTION_LABELS = {
    "created": _("Mendaftar"),
    "confirmed": _("Terkonfirmasi"),
    "approved": _("Disetujui"),
    "waitlisted": _("Masuk daftar tunggu"),
    "promoted": _("Naik dari daftar tunggu"),
    "rejected": _("Ditolak"),
    "cancelled": _("Dibatalkan"),
    "cancelled_by_admin": _("Dibatalkan oleh admin"),
    "completed": _("Selesai, JP dicatat"),
    "no_show": _("Tidak memenuhi syarat kehadiran"),
    "failed": _("Tidak lulus"),
    "course_finished": _("Menyelesaikan kursus daring"),
    "verified": _("Diverifikasi"),
}

STATUS_BADGES = {
    S.REQUESTED: "text-bg-warning",
    S.WAITLISTED: "text-bg-info",
    S.CONFIRMED: "text-bg-primary",
    S.REJECTED: "text-bg-danger",
    S.CANCELLED: "text-bg-secondary",
    S.COMPLETED: "text-bg-success",
    S.NO_SHOW: "text-bg-dark",
    S.FAILED: "text-bg-danger",
}


# --- Seats -------------------------------------------------------------------------------------


def enrolment_status_counts(*, offering: Offering) -> dict[str, int]:
    """Count per status (one grouped query); every status is present, zero if none."""
    counts = dict(
        Enrolment.objects.filter(offering_id=offering.pk)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in S.values}


def offering_seat_summary(*, offering: Offering, unit: Unit | None = None) -> dict:
    """Seats, taken and left (general, reserved per unit, and for `unit`'s employees), from the
    seat engine (two queries)."""
    state = seat_state(offering=offering, with_units=True)
    reserved = [
        {
            "unit": state.units[unit_id],
            "seats": seats,
            "taken": state.reserved_used.get(unit_id, 0),
            "left": state.reserved_free(unit_id),
        }
        for unit_id, seats in state.quotas.items()
    ]
    mine = next((r for r in reserved if unit is not None and r["unit"].pk == unit.pk), None)
    return {
        "general_seats": state.general_seats,
        "general_taken": state.general_used,
        "general_left": state.general_free,
        "reserved": reserved,
        "total_seats": state.total_seats,
        "total_taken": state.taken,
        "total_left": state.seats_left,
        "left_for_unit": state.left_for(unit.pk if unit is not None else None),
        "reserved_for_unit": mine,
    }


# --- Lists -------------------------------------------------------------------------------------


def _waitlist_position():
    ahead = (
        Enrolment.objects.filter(offering_id=OuterRef("offering_id"), status=S.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("offering_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Case(
        When(
            status=S.WAITLISTED,
            then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )


def enrolment_list_for_employee(*, employee: Employee) -> QuerySet[Enrolment]:
    """An ASN's enrolments, newest first, with waitlist position and upcoming sessions."""
    upcoming = Session.objects.filter(
        status=Session.Status.SCHEDULED, ends_at__gte=timezone.now()
    ).order_by("starts_at", "id")
    return (
        Enrolment.objects.filter(region_id=employee.region_id, employee=employee)
        .select_related("offering", "offering__program", "reserved_unit")
        .annotate(waitlist_position=_waitlist_position())
        .prefetch_related(Prefetch("offering__sessions", upcoming, to_attr="upcoming_sessions"))
        .order_by("-requested_at", "-id")
    )


def enrolment_detail(
    *,
    region: Region,
    pk: int,
    employee: Employee | None = None,
    supervisor: Employee | None = None,
) -> Enrolment:
    """One enrolment with what its pages show; limited to `employee`'s own, or to the direct
    subordinates of `supervisor`, when given. Raises Enrolment.DoesNotExist."""
    qs = Enrolment.objects.filter(region=region).select_related(
        "offering",
        "offering__program",
        "offering__program__provider",
        "offering__program__form",
        "employee",
        "employee__unit",
        "employee__supervisor",
        "reserved_unit",
        "decided_by",
    )
    if employee is not None:
        qs = qs.filter(employee=employee)
    if supervisor is not None:
        qs = qs.filter(employee__supervisor=supervisor)
    return qs.annotate(waitlist_position=_waitlist_position()).get(pk=pk)


def enrolment_history(*, enrolment: Enrolment) -> list:
    """History events of an enrolment, oldest first, each with a readable `label`."""
    events = list(history_for(subject=enrolment))
    for event in events:
        event.label = ACTION_LABELS.get(event.action, event.action)
    return events


# Seat holders first, then the queue, then the closed ones.
PARTICIPANT_ORDER = (*Enrolment.SEAT_STATUSES, *Enrolment.WAITING_STATUSES, S.REJECTED, S.CANCELLED)


def offering_participants(*, offering: Offering, status: str = "") -> QuerySet[Enrolment]:
    """The batch's enrolments, with `live_present` and `live_held`: sessions attended and
    sessions held so far (started, not cancelled) — the live attendance rate of a running
    batch, counted in SQL (completion stores the final rate in `attendance_rate`)."""
    held = (
        Session.objects.filter(offering_id=OuterRef("offering_id"), starts_at__lte=timezone.now())
        .exclude(status=Session.Status.CANCELLED)
        .order_by()
        .values("offering_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    present = (
        Attendance.objects.filter(enrolment_id=OuterRef("pk"), present=True)
        .exclude(session__status=Session.Status.CANCELLED)
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = (
        Enrolment.objects.filter(offering_id=offering.pk)
        .select_related("employee", "employee__unit", "reserved_unit")
        .annotate(
            waitlist_position=_waitlist_position(),
            live_held=Coalesce(Subquery(held), 0),
            live_present=Coalesce(Subquery(present), 0),
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(
        Case(
            *(When(status=s, then=Value(i)) for i, s in enumerate(PARTICIPANT_ORDER)),
            output_field=IntegerField(),
        ),
        F("waitlisted_at").asc(nulls_last=True),
        "employee__name",
        "id",
    )


def approvals_pending(*, region: Region, supervisor: Employee | None) -> QuerySet[Enrolment]:
    """Requests waiting for a decision: a supervisor's direct subordinates', or (None) all."""
    qs = Enrolment.objects.filter(region=region, status=S.REQUESTED)
    if supervisor is not None:
        qs = qs.filter(employee__supervisor=supervisor)
    return qs.select_related(
        "employee", "employee__unit", "employee__supervisor", "offering", "offering__program"
    ).order_by("requested_at", "id")


def approval_seat_outlook(
    *, pending: QuerySet[Enrolment], offerings: list[Offering]
) -> dict[int, dict]:
    """Per offering: seats left for its pending requests and how many of them would get one.

    `pending` is the decider's queue (`approvals_pending`); `offerings` those shown on the page.
    For each offering id: `general_left`, `reserved_left` ({unit id: seats} of the requesters'
    units), `seats_left` (both together), `requests` (pending in the queue), `fits` (how many of
    them get a seat if all are approved, by the service's rule: own unit's reserved seat first,
    then a general one), `overflow` and `has_waitlist`. Three queries, whatever the rows.
    """
    ids = {o.pk for o in offerings}
    if not ids:
        return {}
    requests: dict[int, dict[int | None, int]] = {}
    for offering_id, unit_id, n in (
        pending.filter(offering_id__in=ids)
        .order_by()
        .values("offering_id", "employee__unit_id")
        .annotate(n=Count("id"))
        .values_list("offering_id", "employee__unit_id", "n")
    ):
        requests.setdefault(offering_id, {})[unit_id] = n
    states = seat_states(offerings=offerings)
    outlook = {}
    for offering in offerings:
        if offering.pk in outlook:
            continue
        state = states[offering.pk]
        by_unit = requests.get(offering.pk, {})
        reserved_left = {
            unit_id: state.reserved_free(unit_id)
            for unit_id in by_unit
            if unit_id is not None and state.reserved_free(unit_id)
        }
        general_left = state.general_free
        fits = 0
        for unit_id, n in by_unit.items():
            for _request in range(n):
                ok, reserved_unit_id = state.pick(unit_id)
                if not ok:
                    break
                state.take(reserved_unit_id)
                fits += 1
        n_requests = sum(by_unit.values())
        outlook[offering.pk] = {
            "general_left": general_left,
            "reserved_left": reserved_left,
            "seats_left": general_left + sum(reserved_left.values()),
            "requests": n_requests,
            "fits": fits,
            "overflow": n_requests - fits,
            "has_waitlist": offering.has_waitlist,
        }
    return outlook


def approvals_pending_count(*, supervisor: Employee) -> int:
    return Enrolment.objects.filter(
        region_id=supervisor.region_id, status=S.REQUESTED, employee__supervisor=supervisor
    ).count()


def offerings_for_enrolment_admin(*, region: Region, status: str = "") -> QuerySet[Offering]:
    """Offerings with participant counts per status (one grouped query)."""
    qs = Offering.objects.filter(region=region).select_related("program")
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        n_requested=Count("enrolments", filter=Q(enrolments__status=S.REQUESTED)),
        n_waitlisted=Count("enrolments", filter=Q(enrolments__status=S.WAITLISTED)),
        n_confirmed=Count("enrolments", filter=Q(enrolments__status=S.CONFIRMED)),
        n_completed=Count("enrolments", filter=Q(enrolments__status=S.COMPLETED)),
    ).order_by("-start_date", "-id")


# --- Attendance --------------------------------------------------------------------------------


def session_attendance_grid(*, session: Session) -> list[Enrolment]:
    """The offering's confirmed participants with `present` for this session (one query)."""
    marked = Attendance.objects.filter(session_id=session.pk, enrolment_id=OuterRef("pk"))
    return list(
        Enrolment.objects.filter(
            offering_id=session.offering_id,
            status__in=Enrolment.SEAT_STATUSES,
        )
        .select_related("employee", "employee__unit")
        .annotate(
            present=Exists(marked.filter(present=True)),
            marked=Exists(marked),
        )
        .order_by("employee__name", "id")
    )


def attendance_rows(*, offering: Offering) -> tuple[list[Enrolment], int]:
    """Confirmed participants with `present_count` and `rate` (%) over the offering's
    non-cancelled sessions, both computed in SQL; and the number of those sessions."""
    total = (
        Session.objects.filter(offering_id=offering.pk)
        .exclude(status=Session.Status.CANCELLED)
        .count()
    )
    present = Count(
        "attendances",
        filter=Q(attendances__present=True)
        & ~Q(attendances__session__status=Session.Status.CANCELLED),
    )
    qs = (
        Enrolment.objects.filter(offering_id=offering.pk, status=S.CONFIRMED)
        .select_related("employee", "employee__unit")
        .annotate(present_count=present)
        .order_by("employee__name", "id")
    )
    if total:
        qs = qs.annotate(
            rate=ExpressionWrapper(
                F("present_count") * Value(100.0) / Value(total),
                output_field=FloatField(),
            )
        )
    rows = list(qs)
    for row in rows:
        if total:
            row.rate = Decimal(str(round(row.rate, 2)))
            row.attended = row.present_count * 100 >= offering.min_attendance_percent * total
        else:
            row.rate = Decimal(100)
            row.attended = True
    return rows, total


# --- Completion ----------------------------------------------------------------------------------


@dataclass
class CompletionRequirements:
    """What the completion rule asks of a batch (`training.services.completion`)."""

    total_sessions: int
    min_attendance: int
    course_id: int | None
    required_lessons: int
    post_pass_mark: int | None
    online_post_test: bool
    individual: bool
    jp: Decimal = Decimal(0)


def completion_requirements(*, offering: Offering) -> CompletionRequirements:
    """Sessions to attend, the course's required lessons, the post-test pass mark (the
    course's online post-test, else the batch's paper-test mark) — two queries."""
    total = (
        Session.objects.filter(offering_id=offering.pk)
        .exclude(status=Session.Status.CANCELLED)
        .count()
    )
    course = (
        Course.objects.filter(offering_id=offering.pk)
        .annotate(
            n_lessons=Count("lessons", distinct=True),
            n_required=Count("lessons", filter=Q(lessons__required=True), distinct=True),
            post_pass=Max("lessons__quiz__pass_percent", filter=Q(lessons__quiz__kind="post")),
            n_post=Count("lessons__quiz", filter=Q(lessons__quiz__kind="post"), distinct=True),
        )
        .values("id", "n_lessons", "n_required", "post_pass", "n_post")
        .first()
    )
    online_post = bool(course and course["n_post"])
    pass_mark = course["post_pass"] if online_post else offering.post_test_pass_mark
    return CompletionRequirements(
        total_sessions=total,
        min_attendance=offering.min_attendance_percent,
        course_id=course["id"] if course else None,
        required_lessons=course["n_required"] if course else 0,
        post_pass_mark=pass_mark,
        online_post_test=online_post,
        individual=bool(course and course["n_lessons"]) and total == 0,
    )


def completion_rows(
    *, offering: Offering, requirements: CompletionRequirements, enrolment_ids=None
) -> list[Enrolment]:
    """Confirmed participants with `present_count`, `rate` (%), `attended` and `lessons_done`
    (required lessons of the batch's course completed), computed in SQL (one query)."""
    total = requirements.total_sessions
    present = Count(
        "attendances",
        filter=Q(attendances__present=True)
        & ~Q(attendances__session__status=Session.Status.CANCELLED),
    )
    done = (
        LessonProgress.objects.filter(
            enrolment_id=OuterRef("pk"),
            status=LessonProgress.Status.COMPLETED,
            lesson__required=True,
            lesson__course_id=requirements.course_id,
        )
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = (
        Enrolment.objects.filter(offering_id=offering.pk, status=S.CONFIRMED)
        .select_related("employee", "employee__unit")
        .annotate(
            present_count=present,
            lessons_done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
        )
        .order_by("employee__name", "id")
    )
    if enrolment_ids is not None:
        qs = qs.filter(pk__in=enrolment_ids)
    rows = list(qs)
    for row in rows:
        if total:
            row.rate = Decimal(row.present_count * 100) / Decimal(total)
            row.rate = row.rate.quantize(Decimal("0.01"))
            row.attended = row.present_count * 100 >= offering.min_attendance_percent * total
        else:
            row.rate = Decimal(100)
            row.attended = True
    return rows


# --- Bulk enrolment input ----------------------------------------------------------------------


def employees_by_nips(*, region: Region, nips: list[str]) -> tuple[list[Employee], list[str]]:
    """Employees of the region with these NIPs (in the given order) and the NIPs not found."""
    found = {
        e.nip: e
        for e in Employee.objects.filter(region=region, nip__in=set(nips)).select_related("unit")
    }
    employees, unknown, seen = [], [], set()
    for nip in nips:
        if nip in seen:
            continue
        seen.add(nip)
        if nip in found:
            employees.append(found[nip])
        else:
            unknown.append(nip)
    return employees, unknown


def employees_of_unit(*, region: Region, unit: Unit) -> list[Employee]:
    return list(
        Employee.objects.filter(region=region, unit=unit, is_active=True)
        .select_related("unit")
        .order_by("name")
    )


@dataclass(frozen=True)
class SessionNeighbours:
    previous: Session | None
    next: Session | None
    position: int
    total: int


def session_neighbours(*, session: Session) -> SessionNeighbours:
    """The sessions before and after `session` in its offering, by start time (one query)."""
    sessions = list(
        Session.objects.filter(offering_id=session.offering_id).order_by("starts_at", "id")
    )
    index = next(i for i, s in enumerate(sessions) if s.pk == session.pk)
    return SessionNeighbours(
        previous=sessions[index - 1] if index > 0 else None,
        next=sessions[index + 1] if index + 1 < len(sessions) else None,
        position=index + 1,
        total=len(sessions),
    )


def enrolment_live(*, offering: Offering, employee: Employee) -> Enrolment | None:
    """The employee's live enrolment in the offering, if any (one query)."""
    return (
        Enrolment.objects.filter(
            offering=offering, employee=employee, status__in=Enrolment.LIVE_STATUSES
        )
        .select_related("offering", "offering__program")
        .first()
    )


def enrolment_sessions_with_attendance(*, enrolment: Enrolment) -> list[Session]:
    """The offering's sessions, each with `present` (True/False/None) for this enrolment."""
    present = dict(
        Attendance.objects.filter(enrolment=enrolment).values_list("session_id", "present")
    )
    sessions = list(
        Session.objects.filter(offering_id=enrolment.offering_id).order_by("starts_at", "id")
    )
    for session in sessions:
        session.present = present.get(session.pk)
    return sessions
