"""Enrolment: the seat-keeping services (enrol, approve, reject, cancel, waitlist, bulk).

Seats
-----
Seats are counted by the seat engine, `training.seats` (its docstring explains the pools and
the "never oversold" invariant): every service here that takes or frees a seat locks the
offering (`lock_offering`), re-counts (`seat_state`) and only then writes.

Approval
--------
When the offering requires the supervisor's approval and the employee enrols themselves, the
enrolment is `requested` and holds **no** seat. The seat is taken when it is approved (by the
recorded direct supervisor or an admin): confirmed if a seat fits, else waitlisted (joining the
queue at approval time), or rejected with "kuota penuh" when the offering has no waitlist.
Admin enrolments (single or bulk) skip the approval and are not bound to the enrolment window
(an admin may add a late participant while the offering is open or running); self-enrolment
needs an open offering inside its window.

Waitlist
--------
First come, first served (`waitlisted_at`, `id`). Whenever a seat is freed (cancel, reject or
removal of a seat holder) the waitlist is walked in order under the same lock and every entry
that fits a free seat is promoted: a free reserved seat goes to someone of that unit, a free
general seat to anyone. Promotion re-counts seats under the lock, so a retried call is harmless.
`offering_fill_from_waitlist` does the same on demand (e.g. after an admin raises the seats).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Employee
from regions.notifications import notify, notify_many
from training.models import Enrolment, Offering, Program
from training.notifications import Kind
from training.seats import SeatState, lock_offering, seat_state
from training.services.history import history_record, history_record_many

S = Enrolment.Status

# Reason written when a request is refused because the offering is full and has no waitlist.
QUOTA_FULL = "kuota penuh"


# --- Helpers -----------------------------------------------------------------------------------


def _now():
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _dedup(enrolment: Enrolment, event: str) -> str:
    return f"enrolment:{enrolment.pk}:{event}"


def _context(enrolment: Enrolment, offering: Offering, **extra) -> dict:
    return {
        "program": offering.program.title,
        "offering": offering.name,
        "start_date": offering.start_date.isoformat(),
        "end_date": offering.end_date.isoformat(),
        "employee": enrolment.employee.name,
        **extra,
    }


def _notify(enrolment: Enrolment, offering: Offering, kind: str, event: str, **extra) -> None:
    notify(
        recipient=enrolment.employee,
        kind=kind,
        subject=enrolment,
        context=_context(enrolment, offering, **extra),
        dedup_key=_dedup(enrolment, event),
    )


def _lock_enrolment(enrolment: Enrolment) -> tuple[Enrolment, Offering]:
    """Lock the enrolment's offering, then re-read the enrolment (its status may have moved)."""
    offering = lock_offering(offering_id=enrolment.offering_id)
    fresh = Enrolment.objects.select_related("employee", "employee__unit").get(pk=enrolment.pk)
    return fresh, offering


def _sync(target: Enrolment, source: Enrolment) -> None:
    """Copy the fresh state back onto the caller's instance."""
    for f in target._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


def _transition(
    enrolment: Enrolment,
    *,
    to_status: str,
    action: str,
    actor,
    reason: str = "",
    fields: dict | None = None,
) -> None:
    """Write a status change and its history event."""
    from_status = enrolment.status
    enrolment.status = to_status
    update_fields = ["status", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(enrolment, name, value)
        update_fields.append(name)
    enrolment.save(update_fields=update_fields)
    history_record(
        subject=enrolment,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def _illegal(enrolment: Enrolment, what: str) -> ValidationError:
    return ValidationError(
        _("Pendaftaran berstatus %(status)s tidak dapat %(what)s.")
        % {"status": enrolment.get_status_display().lower(), "what": what},
        code="illegal_transition",
    )


def _check_can_enrol(*, offering: Offering, employee: Employee, source: str) -> None:
    _check_employee(offering=offering, employee=employee)
    _check_offering_open(offering=offering, source=source)


def _check_employee(*, offering: Offering, employee: Employee) -> None:
    if employee.region_id != offering.region_id:
        raise ValidationError(
            _("Angkatan ini milik wilayah lain; pendaftaran hanya untuk pegawai wilayahnya."),
            code="other_region",
        )
    if not employee.is_active:
        raise ValidationError(
            _("Pegawai %(name)s tidak aktif sehingga tidak dapat didaftarkan.")
            % {"name": employee.name},
            code="inactive_employee",
        )


def _check_offering_open(*, offering: Offering, source: str) -> None:
    if offering.program.status != Program.Status.PUBLISHED:
        raise ValidationError(
            _("Program pelatihan ini belum diterbitkan atau sudah diarsipkan."),
            code="program_not_published",
        )
    if offering.status == Offering.Status.CANCELLED:
        raise ValidationError(_("Angkatan ini sudah dibatalkan."), code="offering_cancelled")
    if offering.status == Offering.Status.COMPLETED:
        raise ValidationError(_("Angkatan ini sudah selesai."), code="offering_completed")
    allowed = (
        Offering.ENROLLING_STATUSES
        if source == Enrolment.Source.ADMIN
        else Offering.SELF_ENROLLING_STATUSES
    )
    if offering.status not in allowed:
        raise ValidationError(
            _("Pendaftaran angkatan ini tidak dibuka (status: %(status)s).")
            % {"status": offering.get_status_display().lower()},
            code="offering_not_open",
        )
    if source != Enrolment.Source.ADMIN:
        today = _today()
        if today < offering.enrolment_opens:
            raise ValidationError(
                _("Pendaftaran baru dibuka pada %(date)s.")
                % {"date": offering.enrolment_opens.strftime("%d-%m-%Y")},
                code="window_not_open",
            )
        if today > offering.enrolment_closes:
            raise ValidationError(
                _("Pendaftaran sudah ditutup pada %(date)s.")
                % {"date": offering.enrolment_closes.strftime("%d-%m-%Y")},
                code="window_closed",
            )


def enrolment_blockers(*, offering: Offering, employee: Employee) -> list[str]:
    """Why this employee cannot enrol themselves now (empty when they can). For pages; the
    service checks again under the lock."""
    try:
        _check_can_enrol(offering=offering, employee=employee, source=Enrolment.Source.SELF)
    except ValidationError as exc:
        return exc.messages
    return []


def _duplicate_error() -> ValidationError:
    return ValidationError(
        _("Pegawai ini sudah terdaftar di angkatan ini."), code="already_enrolled"
    )


def _seat_or_queue(
    *,
    enrolment: Enrolment,
    offering: Offering,
    actor,
    state: SeatState,
    action_confirmed: str,
    kind_confirmed: str,
    reason: str = "",
    extra_fields: dict | None = None,
) -> None:
    """Give the (requested or new) enrolment a seat, a waitlist place, or refuse it."""
    now = _now()
    fits, reserved_unit_id = state.pick(enrolment.employee.unit_id)
    if fits:
        state.take(reserved_unit_id)
        _transition(
            enrolment,
            to_status=S.CONFIRMED,
            action=action_confirmed,
            actor=actor,
            reason=reason,
            fields={
                "reserved_unit_id": reserved_unit_id,
                "confirmed_at": now,
                **(extra_fields or {}),
            },
        )
        _notify(enrolment, offering, kind_confirmed, "confirmed")
    elif offering.has_waitlist:
        _transition(
            enrolment,
            to_status=S.WAITLISTED,
            action="waitlisted",
            actor=actor,
            reason=reason,
            fields={"waitlisted_at": now, **(extra_fields or {})},
        )
        _notify(
            enrolment,
            offering,
            Kind.ENROLMENT_WAITLISTED,
            "waitlisted",
            position=waitlist_position(enrolment=enrolment),
        )
    else:
        raise ValidationError(
            _("Kuota angkatan ini sudah penuh dan tidak ada daftar tunggu."), code="quota_full"
        )


def waitlist_position(*, enrolment: Enrolment) -> int | None:
    """1-based place of a waitlisted enrolment in its offering's queue (None otherwise)."""
    if enrolment.status != S.WAITLISTED or enrolment.waitlisted_at is None:
        return None
    ahead = (
        Enrolment.objects.filter(offering_id=enrolment.offering_id, status=S.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=enrolment.waitlisted_at)
            | Q(waitlisted_at=enrolment.waitlisted_at, id__lt=enrolment.pk)
        )
        .count()
    )
    return ahead + 1


# --- Enrol -------------------------------------------------------------------------------------


def _find_by_key(*, region_id: int, idempotency_key: str) -> Enrolment | None:
    return (
        Enrolment.objects.filter(region_id=region_id, idempotency_key=idempotency_key)
        .select_related("employee")
        .first()
    )


def _replay(existing: Enrolment, *, offering: Offering, employee: Employee) -> Enrolment:
    """The first result of a retried call with the same key (marked `replayed`), or a conflict
    when the key was used for another enrolment."""
    if existing.offering_id != offering.pk or existing.employee_id != employee.pk:
        raise ValidationError(
            _("Kunci idempotensi ini sudah dipakai untuk pendaftaran lain."),
            code="idempotency_conflict",
        )
    existing.replayed = True
    return existing


def _insert(*, offering: Offering, employee: Employee, actor, source, motivation, key, **fields):
    """INSERT the enrolment; a partial unique constraint turns a concurrent retry with the same
    key into its replay, and a double enrolment into "already enrolled"."""
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                region_id=offering.region_id,
                offering=offering,
                employee=employee,
                source=source,
                motivation=motivation.strip(),
                idempotency_key=key,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                **fields,
            )
    except IntegrityError:
        if key:
            existing = _find_by_key(region_id=offering.region_id, idempotency_key=key)
            if existing is not None:
                return _replay(existing, offering=offering, employee=employee)
        raise _duplicate_error() from None


def enrolment_create(
    *,
    offering: Offering,
    employee: Employee,
    actor,
    source: str = Enrolment.Source.SELF,
    motivation: str = "",
    idempotency_key: str = "",
) -> Enrolment:
    """Enrol one employee: requested (approval needed), confirmed, waitlisted, or refused.

    Raises ValidationError (nothing written) when the enrolment is not allowed or the offering is
    full without a waitlist. With an `idempotency_key` a retried call returns the first result,
    marked `replayed = True` (of any number of concurrent calls with one key exactly one
    creates: the check is repeated under the offering lock, and the key's unique constraint is
    the backstop).

    The offering's lock is held only for the seat decision (a rush on one batch is limited by
    the machine, not the lock): checks that need no seat count run before it; under it one
    short transaction re-checks the offering, counts the seats and writes the enrolment with its
    final status and its history (one INSERT each) — all or nothing. The notification follows in
    its own transaction once the decision has committed (when the caller holds no outer
    transaction; inside one, everything commits together as before).
    """
    if idempotency_key:
        existing = _find_by_key(region_id=offering.region_id, idempotency_key=idempotency_key)
        if existing is not None:
            return _replay(existing, offering=offering, employee=employee)
    _check_can_enrol(offering=offering, employee=employee, source=source)
    live = (
        Enrolment.objects.filter(
            offering_id=offering.pk, employee_id=employee.pk, status__in=Enrolment.LIVE_STATUSES
        )
        .select_related("employee")
        .first()
    )
    if live is not None:
        # A concurrent call with the same key may have committed since the first look: that
        # is its replay, not a double enrolment.
        if idempotency_key and live.idempotency_key == idempotency_key:
            return _replay(live, offering=offering, employee=employee)
        raise _duplicate_error()
    if offering.requires_approval and source != Enrolment.Source.ADMIN:
        return _request(
            offering=offering,
            employee=employee,
            actor=actor,
            source=source,
            motivation=motivation,
            idempotency_key=idempotency_key,
        )

    with transaction.atomic():
        # --- under the offering's lock: the seat decision and its rows, nothing else ---
        locked = lock_offering(offering_id=offering.pk)
        if idempotency_key:
            existing = _find_by_key(region_id=offering.region_id, idempotency_key=idempotency_key)
            if existing is not None:
                return _replay(existing, offering=locked, employee=employee)
        _check_offering_open(offering=locked, source=source)
        state = seat_state(offering=locked)
        now = _now()
        fits, reserved_unit_id = state.pick(employee.unit_id)
        if fits:
            fields = {
                "status": S.CONFIRMED,
                "confirmed_at": now,
                "reserved_unit_id": reserved_unit_id,
            }
        elif locked.has_waitlist:
            fields = {"status": S.WAITLISTED, "waitlisted_at": now}
        else:
            raise ValidationError(
                _("Kuota angkatan ini sudah penuh dan tidak ada daftar tunggu."),
                code="quota_full",
            )
        enrolment = _insert(
            offering=locked,
            employee=employee,
            actor=actor,
            source=source,
            motivation=motivation,
            key=idempotency_key,
            requested_at=now,
            **fields,
        )
        if getattr(enrolment, "replayed", False):
            return enrolment
        history_record_many(
            events=[
                {"subject": enrolment, "action": "created", "to_status": S.REQUESTED},
                {
                    "subject": enrolment,
                    "action": "confirmed" if fits else "waitlisted",
                    "from_status": S.REQUESTED,
                    "to_status": fields["status"],
                },
            ],
            actor=actor,
        )
    # --- the decision has committed (lock released): tell the employee ---
    with transaction.atomic():
        if fits:
            _notify(enrolment, locked, Kind.ENROLMENT_CONFIRMED, "confirmed")
        else:
            _notify(
                enrolment,
                locked,
                Kind.ENROLMENT_WAITLISTED,
                "waitlisted",
                position=waitlist_position(enrolment=enrolment),
            )
    return enrolment


@transaction.atomic
def _request(*, offering, employee, actor, source, motivation, idempotency_key) -> Enrolment:
    """A request for the supervisor's approval: it holds no seat, so no lock is taken."""
    enrolment = _insert(
        offering=offering,
        employee=employee,
        actor=actor,
        source=source,
        motivation=motivation,
        key=idempotency_key,
        status=S.REQUESTED,
        requested_at=_now(),
    )
    if getattr(enrolment, "replayed", False):
        return enrolment
    history_record(subject=enrolment, action="created", actor=actor, to_status=S.REQUESTED)
    if employee.supervisor_id:
        notify(
            recipient=employee.supervisor,
            kind=Kind.ENROLMENT_REQUESTED,
            subject=enrolment,
            context=_context(enrolment, offering, motivation=enrolment.motivation),
            dedup_key=_dedup(enrolment, "requested"),
        )
    return enrolment


# --- Decide (supervisor or admin) --------------------------------------------------------------


def can_decide(*, enrolment: Enrolment, actor, by_admin: bool) -> bool:
    """Admins decide any request; otherwise only the employee's recorded direct supervisor."""
    if by_admin:
        return True
    supervisor_id = enrolment.employee.supervisor_id
    if supervisor_id is None or not getattr(actor, "is_authenticated", False):
        return False
    return Employee.objects.filter(
        region_id=enrolment.region_id, pk=supervisor_id, user=actor, is_active=True
    ).exists()


def _check_decider(enrolment: Enrolment, actor, by_admin: bool) -> None:
    if not can_decide(enrolment=enrolment, actor=actor, by_admin=by_admin):
        raise ValidationError(
            _("Hanya atasan langsung pegawai ini atau admin yang dapat memutuskan pendaftaran."),
            code="not_supervisor",
        )
    # Nobody decides their own request, not even an admin (as with verifying one's own JP).
    own_user = enrolment.employee.user_id
    if own_user is not None and own_user == getattr(actor, "pk", None):
        raise ValidationError(
            _("Anda tidak dapat memutuskan permohonan Anda sendiri."), code="own_request"
        )


@transaction.atomic
def enrolment_approve(
    *, enrolment: Enrolment, actor, by_admin: bool = False, reason: str = ""
) -> Enrolment:
    """Approve a request: confirmed if a seat fits, else waitlisted, else rejected (kuota penuh).

    Returns the enrolment in its new status; the caller tells the outcome from `status`.
    """
    fresh, offering = _lock_enrolment(enrolment)
    _check_decider(fresh, actor, by_admin)
    if fresh.status != S.REQUESTED:
        raise _illegal(fresh, _("disetujui"))
    if not offering.is_active:
        raise ValidationError(
            _("Angkatan ini sudah %(status)s; permohonan tidak dapat disetujui.")
            % {"status": offering.get_status_display().lower()},
            code="offering_closed",
        )
    if not fresh.employee.is_active:
        raise ValidationError(
            _("Pegawai %(name)s tidak aktif lagi.") % {"name": fresh.employee.name},
            code="inactive_employee",
        )
    now = _now()
    decided = {"decided_by": actor if getattr(actor, "is_authenticated", False) else None}
    decided.update(decided_at=now, decision_reason=reason.strip())
    state = seat_state(offering=offering)
    if not offering.has_waitlist and not state.pick(fresh.employee.unit_id)[0]:
        _transition(
            fresh,
            to_status=S.REJECTED,
            action="rejected",
            actor=actor,
            reason=QUOTA_FULL,
            fields={**decided, "decision_reason": QUOTA_FULL},
        )
        _notify(fresh, offering, Kind.ENROLMENT_REJECTED, "rejected", reason=QUOTA_FULL)
    else:
        _seat_or_queue(
            enrolment=fresh,
            offering=offering,
            actor=actor,
            state=state,
            action_confirmed="approved",
            kind_confirmed=Kind.ENROLMENT_APPROVED,
            reason=reason.strip(),
            extra_fields=decided,
        )
    _sync(enrolment, fresh)
    return enrolment


@transaction.atomic
def enrolment_reject(
    *, enrolment: Enrolment, actor, reason: str, by_admin: bool = False
) -> Enrolment:
    """Reject a request (supervisor or admin); an admin may also reject a waitlisted or
    confirmed participant, which frees the seat for the waitlist. A reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan penolakan.")}, code="reason_required")
    fresh, offering = _lock_enrolment(enrolment)
    _check_decider(fresh, actor, by_admin)
    allowed = Enrolment.ONGOING_STATUSES if by_admin else (S.REQUESTED,)
    if fresh.status not in allowed:
        raise _illegal(fresh, _("ditolak"))
    held_seat = fresh.holds_seat
    _transition(
        fresh,
        to_status=S.REJECTED,
        action="rejected",
        actor=actor,
        reason=reason,
        fields={
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
            "decided_at": _now(),
            "decision_reason": reason,
        },
    )
    _notify(fresh, offering, Kind.ENROLMENT_REJECTED, "rejected", reason=reason)
    if held_seat:
        _promote(offering=offering, actor=actor)
    _sync(enrolment, fresh)
    return enrolment


# --- Cancel ------------------------------------------------------------------------------------


def cancel_deadline(*, offering: Offering) -> dt.date:
    """The last day an ASN may cancel their own enrolment (`Offering.cancel_deadline`)."""
    return offering.cancel_deadline


@transaction.atomic
def enrolment_cancel(
    *, enrolment: Enrolment, actor, reason: str = "", by_admin: bool = False
) -> Enrolment:
    """Cancel a live enrolment: by the ASN up to the cut-off, or by an admin (reason required).

    A freed seat goes to the waitlist in the same transaction.
    """
    reason = (reason or "").strip()
    if by_admin and not reason:
        raise ValidationError({"reason": _("Tuliskan alasan pembatalan.")}, code="reason_required")
    fresh, offering = _lock_enrolment(enrolment)
    if not fresh.is_ongoing:
        raise _illegal(fresh, _("dibatalkan"))
    if offering.is_closed:
        raise ValidationError(
            _("Angkatan ini sudah %(status)s; pendaftaran tidak dapat diubah lagi.")
            % {"status": offering.get_status_display().lower()},
            code="offering_closed",
        )
    if not by_admin:
        own = (
            Employee.objects.filter(pk=fresh.employee_id, user=actor).exists()
            if getattr(actor, "is_authenticated", False)
            else False
        )
        if not own:
            raise ValidationError(
                _("Anda hanya dapat membatalkan pendaftaran Anda sendiri."), code="not_owner"
            )
        deadline = offering.cancel_deadline
        if _today() > deadline:
            raise ValidationError(
                _(
                    "Batas pembatalan sudah lewat (paling lambat %(date)s). Hubungi admin "
                    "BKPSDM bila Anda berhalangan hadir."
                )
                % {"date": deadline.strftime("%d-%m-%Y")},
                code="cutoff_passed",
            )
    held_seat = fresh.holds_seat
    _transition(
        fresh,
        to_status=S.CANCELLED,
        action="cancelled_by_admin" if by_admin else "cancelled",
        actor=actor,
        reason=reason,
        fields={"cancelled_at": _now()},
    )
    _notify(fresh, offering, Kind.ENROLMENT_CANCELLED, "cancelled", reason=reason)
    if held_seat:
        _promote(offering=offering, actor=actor)
    _sync(enrolment, fresh)
    return enrolment


# --- Waitlist ----------------------------------------------------------------------------------


def _rebalance_reserved(*, offering: Offering, state: SeatState) -> None:
    """Move confirmed general-seat holders into their unit's free reserved seats.

    Frees general seats for the waitlist when a reserved seat opens and the unit's own people
    already sit on general seats. Not a status change, so no history event.
    """
    for unit_id in list(state.quotas):
        free = state.reserved_free(unit_id)
        if not free:
            continue
        movers = list(
            Enrolment.objects.filter(
                offering_id=offering.pk,
                status=S.CONFIRMED,
                reserved_unit__isnull=True,
                employee__unit_id=unit_id,
            )
            .order_by("confirmed_at", "id")
            .values_list("id", flat=True)[:free]
        )
        if movers:
            Enrolment.objects.filter(pk__in=movers).update(
                reserved_unit_id=unit_id, updated_at=_now()
            )
            state.general_used -= len(movers)
            state.reserved_used[unit_id] = state.reserved_used.get(unit_id, 0) + len(movers)


def _promote(*, offering: Offering, actor) -> list[Enrolment]:
    """Promote waitlisted enrolments (FCFS) into free seats. Caller holds the offering lock."""
    if not offering.is_active:
        return []
    state = seat_state(offering=offering)
    _rebalance_reserved(offering=offering, state=state)
    promoted: list[Enrolment] = []
    if not state.any_free:
        return promoted
    queue = (
        Enrolment.objects.filter(offering_id=offering.pk, status=S.WAITLISTED)
        .select_related("employee")
        .order_by("waitlisted_at", "id")
    )
    now = _now()
    for enrolment in queue.iterator(chunk_size=200):
        if not state.any_free:
            break
        if not enrolment.employee.is_active:
            continue
        fits, reserved_unit_id = state.pick(enrolment.employee.unit_id)
        if not fits:
            continue
        state.take(reserved_unit_id)
        _transition(
            enrolment,
            to_status=S.CONFIRMED,
            action="promoted",
            actor=actor,
            reason=_("naik dari daftar tunggu"),
            fields={"reserved_unit_id": reserved_unit_id, "confirmed_at": now},
        )
        _notify(enrolment, offering, Kind.ENROLMENT_PROMOTED, "promoted")
        promoted.append(enrolment)
    return promoted


@transaction.atomic
def offering_fill_from_waitlist(*, offering: Offering, actor) -> list[Enrolment]:
    """Promote waitlisted participants into every free seat (FCFS). Safe to call any time:
    it locks the offering and re-counts, so a retried or concurrent call promotes nobody twice.

    Call it after raising an offering's seats or adding a unit quota.
    """
    locked = lock_offering(offering_id=offering.pk)
    return _promote(offering=locked, actor=actor)


# --- Bulk enrolment by an admin ----------------------------------------------------------------


@dataclass
class BulkOutcome:
    label: str  # the NIP or name the admin gave
    employee: Employee | None
    status: str  # confirmed / waitlisted / requested / refused
    message: str = ""
    enrolment: Enrolment | None = None


@transaction.atomic
def enrolment_bulk_create(
    *, offering: Offering, employees: list[Employee], actor, unknown: list[str] = ()
) -> list[BulkOutcome]:
    """Enrol many employees as an admin (no supervisor's approval), reporting an outcome per
    person: confirmed, waitlisted or refused with the reason. `unknown` lists identifiers that
    matched no employee.

    One short transaction under the offering lock, in a constant number of queries whatever
    the number of people: the seats are counted once and handed out in order in memory (the
    same rule as `enrolment_create`), then the enrolments, their history and their
    notifications are written with one INSERT each. A refusal is that person's outcome; it
    never undoes the others.
    """
    outcomes = [
        BulkOutcome(
            label=label,
            employee=None,
            status="refused",
            message=_("NIP tidak ditemukan di wilayah ini."),
        )
        for label in unknown
    ]
    people, seen = [], set()
    for employee in employees:
        if employee.pk not in seen:
            seen.add(employee.pk)
            people.append(employee)
    if not people:
        return outcomes
    locked = lock_offering(offering_id=offering.pk)
    try:
        _check_offering_open(offering=locked, source=Enrolment.Source.ADMIN)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        return outcomes + [
            BulkOutcome(label=p.nip, employee=p, status="refused", message=message) for p in people
        ]
    live = set(
        Enrolment.objects.filter(
            offering_id=locked.pk,
            employee_id__in=[p.pk for p in people],
            status__in=Enrolment.LIVE_STATUSES,
        ).values_list("employee_id", flat=True)
    )
    state = seat_state(offering=locked)
    queued = Enrolment.objects.filter(offering_id=locked.pk, status=S.WAITLISTED).count()
    now = _now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    new: list[tuple[BulkOutcome, Enrolment]] = []
    for employee in people:
        try:
            _check_employee(offering=locked, employee=employee)
            if employee.pk in live:
                raise _duplicate_error()
            fits, reserved_unit_id = state.pick(employee.unit_id)
            if not fits and not locked.has_waitlist:
                raise ValidationError(
                    _("Kuota angkatan ini sudah penuh dan tidak ada daftar tunggu."),
                    code="quota_full",
                )
        except ValidationError as exc:
            outcome = BulkOutcome(
                label=employee.nip,
                employee=employee,
                status="refused",
                message=" ".join(exc.messages),
            )
            outcomes.append(outcome)
            continue
        if fits:
            state.take(reserved_unit_id)
        outcome = BulkOutcome(label=employee.nip, employee=employee, status="")
        outcomes.append(outcome)
        new.append(
            (
                outcome,
                Enrolment(
                    region_id=locked.region_id,
                    offering=locked,
                    employee=employee,
                    status=S.CONFIRMED if fits else S.WAITLISTED,
                    source=Enrolment.Source.ADMIN,
                    reserved_unit_id=reserved_unit_id if fits else None,
                    requested_at=now,
                    confirmed_at=now if fits else None,
                    waitlisted_at=None if fits else now,
                    created_by=user,
                ),
            )
        )
    created = Enrolment.objects.bulk_create([enrolment for _outcome, enrolment in new])
    events, notices = [], []
    for enrolment in created:
        confirmed = enrolment.status == S.CONFIRMED
        events.append({"subject": enrolment, "action": "created", "to_status": S.REQUESTED})
        events.append(
            {
                "subject": enrolment,
                "action": "confirmed" if confirmed else "waitlisted",
                "from_status": S.REQUESTED,
                "to_status": enrolment.status,
            }
        )
        extra = {}
        if not confirmed:
            queued += 1
            extra["position"] = queued
        notices.append(
            {
                "recipient": enrolment.employee,
                "kind": Kind.ENROLMENT_CONFIRMED if confirmed else Kind.ENROLMENT_WAITLISTED,
                "subject": enrolment,
                "context": _context(enrolment, locked, **extra),
                "dedup_key": _dedup(enrolment, "confirmed" if confirmed else "waitlisted"),
            }
        )
    history_record_many(events=events, actor=actor)
    notify_many(region=locked.region, items=notices)
    for outcome, enrolment in new:
        outcome.status, outcome.enrolment = enrolment.status, enrolment
    return outcomes
