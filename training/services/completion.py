"""Attendance per session and completion of an offering (JP awarded, verified records)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions import audit
from regions.notifications import notify_many
from training.models import Attendance, DevelopmentRecord, Enrolment, Offering, Session
from training.notifications import Kind
from training.seats import lock_offering
from training.selectors.enrolment import attendance_rows
from training.services.history import history_record_many

S = Enrolment.Status
FINISHED_REASON = "angkatan selesai"


@transaction.atomic
def attendance_save(*, session: Session, present_ids, actor) -> int:
    """Mark who attended `session`: every confirmed participant gets a row (present or not),
    written in one bulk upsert. Ids of anyone not confirmed are ignored. Returns how many
    participants were marked present."""
    offering = lock_offering(offering_id=session.offering_id)
    session = Session.objects.get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("Sesi ini dibatalkan; kehadiran tidak dicatat."), code="cancelled")
    if offering.is_closed:
        raise ValidationError(
            _("Angkatan ini sudah %(status)s; kehadiran tidak dapat diubah lagi.")
            % {"status": offering.get_status_display().lower()},
            code="offering_closed",
        )
    wanted = {int(i) for i in present_ids}
    enrolment_ids = list(
        Enrolment.objects.filter(offering_id=offering.pk, status=S.CONFIRMED).values_list(
            "id", flat=True
        )
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = [
        Attendance(
            region_id=offering.region_id,
            session_id=session.pk,
            enrolment_id=enrolment_id,
            present=enrolment_id in wanted,
            marked_by=user,
        )
        for enrolment_id in enrolment_ids
    ]
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["session", "enrolment"],
        update_fields=["present", "marked_by", "marked_at"],
    )
    return sum(1 for row in rows if row.present)


@dataclass
class CompletionResult:
    completed: int = 0
    no_show: int = 0
    cancelled: int = 0
    records_created: int = 0
    already_completed: bool = False


def _organiser(offering: Offering) -> str:
    provider = offering.program.provider
    return provider.name if provider is not None else offering.region.agency_name


def _create_records(*, offering: Offering, actor, now, history: list, notices: list) -> int:
    """One verified development record per completed enrolment that has none yet, written in
    one INSERT; their history events and notifications are added to `history` and `notices`
    (written by the caller, in bulk)."""
    program = offering.program
    user = actor if getattr(actor, "is_authenticated", False) else None
    pending = list(
        Enrolment.objects.filter(
            offering_id=offering.pk, status=S.COMPLETED, record__isnull=True
        ).select_related("employee")
    )
    records = DevelopmentRecord.objects.bulk_create(
        DevelopmentRecord(
            region_id=offering.region_id,
            employee_id=enrolment.employee_id,
            year=offering.end_date.year,
            source=DevelopmentRecord.Source.ENROLMENT,
            enrolment=enrolment,
            program=program,
            title=program.title,
            form_id=program.form_id,
            organiser=_organiser(offering),
            start_date=offering.start_date,
            end_date=offering.end_date,
            jp=enrolment.jp_awarded or program.jp,
            is_international=offering.is_international,
            certificate_number=enrolment.certificate_number,
            status=DevelopmentRecord.Status.VERIFIED,
            verified_by=user,
            verified_at=now,
        )
        for enrolment in pending
    )
    for enrolment, record in zip(pending, records, strict=True):
        enrolment.offering = offering
        history.append(
            {
                "subject": record,
                "action": "verified",
                "to_status": DevelopmentRecord.Status.VERIFIED,
                "reason": _("Dicatat otomatis dari penyelesaian angkatan."),
            }
        )
        notices.append(
            {
                "recipient": enrolment.employee,
                "kind": Kind.ENROLMENT_COMPLETED,
                "subject": enrolment,
                "context": {
                    "program": program.title,
                    "offering": offering.name,
                    "jp": str(record.jp),
                    "year": record.year,
                },
                "dedup_key": f"enrolment:{enrolment.pk}:completed",
            }
        )
    return len(records)


def _finish(enrolment: Enrolment, *, to_status: str, reason: str, history: list, **fields):
    """Set a final status in memory (written by the caller in one bulk UPDATE) and note its
    history event."""
    history.append(
        {
            "subject": enrolment,
            "action": to_status,
            "from_status": enrolment.status,
            "to_status": to_status,
            "reason": reason,
        }
    )
    enrolment.status = to_status
    for name, value in fields.items():
        setattr(enrolment, name, value)


def offering_can_complete_today(*, offering: Offering) -> bool:
    """JP are awarded for a whole programme: completion opens on its last day."""
    return timezone.localdate() >= offering.end_date


@transaction.atomic
def offering_complete(*, offering: Offering, actor) -> CompletionResult:
    """Close an offering: each confirmed participant is completed (JP awarded, one verified
    development record) when their attendance over the non-cancelled sessions reaches
    `min_attendance_percent` (no sessions: everyone confirmed counts as attended), else no-show.
    Requests and waitlist entries still open are cancelled ("angkatan selesai").

    One short transaction under the offering lock, in a constant number of queries whatever
    the number of participants: bulk reads, one UPDATE per set of enrolments, one INSERT each
    for records, history events and notifications. Running it again creates nothing new (it
    only fills in a record a completed enrolment might lack; notifications have dedup keys).
    """
    locked = lock_offering(offering_id=offering.pk)
    result = CompletionResult()
    history: list[dict] = []
    notices: list[dict] = []
    now = timezone.now()
    if locked.status == Offering.Status.COMPLETED:
        result.already_completed = True
        result.records_created = _create_records(
            offering=locked, actor=actor, now=now, history=history, notices=notices
        )
        history_record_many(events=history, actor=actor)
        notify_many(region=locked.region, items=notices)
        return result
    if locked.status == Offering.Status.CANCELLED:
        raise ValidationError(
            _("Angkatan yang dibatalkan tidak dapat diselesaikan."), code="offering_cancelled"
        )
    if not offering_can_complete_today(offering=locked):
        raise ValidationError(
            _("Angkatan baru dapat diselesaikan mulai hari terakhir pelaksanaan (%(date)s).")
            % {"date": locked.end_date.strftime("%d-%m-%Y")},
            code="not_finished",
        )
    jp = locked.program.jp
    rows, _total_sessions = attendance_rows(offering=locked)
    before = {enrolment.pk: enrolment.status for enrolment in rows}
    for enrolment in rows:
        rate = enrolment.rate
        reason = _("Kehadiran %(rate)s%% (minimal %(min)s%%).") % {
            "rate": f"{rate:.0f}",
            "min": locked.min_attendance_percent,
        }
        if enrolment.attended:
            _finish(
                enrolment,
                to_status=S.COMPLETED,
                reason=reason,
                history=history,
                attendance_rate=rate,
                jp_awarded=jp,
                completed_at=now,
                updated_at=now,
            )
            result.completed += 1
        else:
            _finish(
                enrolment,
                to_status=S.NO_SHOW,
                reason=reason,
                history=history,
                attendance_rate=rate,
                jp_awarded=None,
                completed_at=now,
                updated_at=now,
            )
            result.no_show += 1
    # Set-based: one UPDATE per outcome, one for the per-person rates (a single CASE column;
    # bulk_update of every field would build a CASE per field and row in Python).
    for status, awarded in ((S.COMPLETED, jp), (S.NO_SHOW, None)):
        ids = [e.pk for e in rows if e.status == status]
        if ids:
            Enrolment.objects.filter(pk__in=ids).update(
                status=status, jp_awarded=awarded, completed_at=now, updated_at=now
            )
    Enrolment.objects.bulk_update(rows, ["attendance_rate"])
    leftovers = list(
        Enrolment.objects.filter(
            offering_id=locked.pk, status__in=Enrolment.WAITING_STATUSES
        ).select_related("employee")
    )
    before.update({enrolment.pk: enrolment.status for enrolment in leftovers})
    for enrolment in leftovers:
        _finish(
            enrolment,
            to_status=S.CANCELLED,
            reason=FINISHED_REASON,
            history=history,
            cancelled_at=now,
            updated_at=now,
        )
        enrolment.offering = locked
        notices.append(
            {
                "recipient": enrolment.employee,
                "kind": Kind.ENROLMENT_CANCELLED,
                "subject": enrolment,
                "context": {
                    "program": locked.program.title,
                    "offering": locked.name,
                    "reason": FINISHED_REASON,
                },
                "dedup_key": f"enrolment:{enrolment.pk}:cancelled",
            }
        )
        result.cancelled += 1
    if leftovers:
        Enrolment.objects.filter(pk__in=[e.pk for e in leftovers]).update(
            status=S.CANCELLED, cancelled_at=now, updated_at=now
        )
    result.records_created = _create_records(
        offering=locked, actor=actor, now=now, history=history, notices=notices
    )
    history_record_many(events=history, actor=actor)
    notify_many(region=locked.region, items=notices)
    # The audit trail of the set-based UPDATEs above (no model signals): one INSERT.
    audit.record_many(
        action=audit.Action.UPDATE,
        region=locked.region,
        items=[
            (
                e,
                {
                    "status": [before.get(e.pk, S.REQUESTED), e.status],
                    "jp_awarded": [None, audit.plain(e.jp_awarded)],
                },
            )
            for e in (*rows, *leftovers)
        ],
        note=_("Angkatan diselesaikan"),
    )
    locked.status = Offering.Status.COMPLETED
    locked.completed_at = now
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    offering.status, offering.completed_at = locked.status, locked.completed_at
    return result
