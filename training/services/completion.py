"""Attendance per session and the one completion rule of every kind of batch.

Completion is decided here, in one place, for classroom, e-learning and blended batches
(DOMAIN rule 11), by the same code whoever triggers it:

1. attendance: a batch with sessions needs `min_attendance_percent` of its non-cancelled
   sessions (classroom and blended); a batch without sessions counts everyone as present;
2. post-test: when the batch's course has a post-test (its pass mark), or the batch records
   paper tests (`Offering.post_test_pass_mark`), the post-test score must reach the pass mark;
   a missing or lower score is "not passed" (tidak lulus, `Enrolment.Status.FAILED`);
3. required lessons: every required lesson of the batch's course is done.

Outcome: completed (JP by the form's rules through `jp_rules.jp_award`, a verified
development record, and a certificate issued in the background), no-show / requirements not
met, or not passed — with the reason written on the enrolment for the participant to see.

An online-only batch (a course and no sessions) completes each participant when they finish
(`enrolment_finish`, called by the learning services); a classroom or blended batch completes
when the admin completes it (`offering_complete`). Both go through `_decide` and `_apply`.
Completing a batch stays a constant number of queries whatever the number of participants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions import audit
from regions.notifications import notify_many
from training.models import Attendance, DevelopmentRecord, Enrolment, Offering, Session
from training.notifications import Kind
from training.seats import lock_offering
from training.selectors.enrolment import (
    CompletionRequirements,
    completion_requirements,
    completion_rows,
)
from training.services.certificates import certificate_run_start
from training.services.history import history_record, history_record_many
from training.services.jp_rules import jp_award, jp_format

S = Enrolment.Status
FINISHED_REASON = "angkatan selesai"


def attendance_opens_at(session: Session) -> dt.datetime:
    """From when a session's attendance may be marked: `KOMPETENSI_ATTENDANCE_OPENS_MINUTES`
    before it starts, or (unset, the default) from the start of the session's day."""
    minutes = getattr(settings, "KOMPETENSI_ATTENDANCE_OPENS_MINUTES", None)
    if minutes is not None:
        return session.starts_at - dt.timedelta(minutes=int(minutes))
    local = timezone.localtime(session.starts_at)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def attendance_is_open(session: Session, *, now=None) -> bool:
    return (now or timezone.now()) >= attendance_opens_at(session)


@transaction.atomic
def attendance_save(*, session: Session, present_ids, actor) -> int:
    """Mark who attended `session`: every confirmed participant gets a row (present or not),
    written in one bulk upsert. Ids of anyone not confirmed are ignored. Returns how many
    participants were marked present."""
    offering = lock_offering(offering_id=session.offering_id)
    session = Session.objects.get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("Sesi ini dibatalkan; kehadiran tidak dicatat."), code="cancelled")
    if not attendance_is_open(session):
        raise ValidationError(
            _("Kehadiran sesi ini baru dapat dicatat mulai %(when)s.")
            % {"when": timezone.localtime(attendance_opens_at(session)).strftime("%d-%m-%Y %H:%M")},
            code="too_early",
        )
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
    failed: int = 0
    cancelled: int = 0
    records_created: int = 0
    already_completed: bool = False


def _organiser(offering: Offering) -> str:
    provider = offering.program.provider
    return provider.name if provider is not None else offering.region.agency_name


def _create_records(
    *, offering: Offering, actor, now, history: list, notices: list, only_ids=None
) -> int:
    """One verified development record per completed enrolment that has none yet, written in
    one INSERT; their history events and notifications are added to `history` and `notices`
    (written by the caller, in bulk)."""
    program = offering.program
    user = actor if getattr(actor, "is_authenticated", False) else None
    pending = Enrolment.objects.filter(
        offering_id=offering.pk, status=S.COMPLETED, record__isnull=True
    ).select_related("employee")
    if only_ids is not None:
        pending = pending.filter(pk__in=only_ids)
    pending = list(pending)
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


# --- The rule ----------------------------------------------------------------------------------


def _decide(row: Enrolment, req: CompletionRequirements) -> tuple[str, str]:
    """(status, reason) of one participant under the rule (module docstring). `row` carries
    `rate`, `attended` and `lessons_done` from `completion_rows`."""
    if req.total_sessions and not row.attended:
        return S.NO_SHOW, _("Kehadiran %(rate)s%% (minimal %(min)s%%).") % {
            "rate": f"{row.rate:.0f}",
            "min": req.min_attendance,
        }
    if req.post_pass_mark is not None:
        score = row.post_test_score
        if score is None:
            return S.FAILED, _("Tidak lulus: nilai post-test belum ada (nilai lulus %(pass)s).") % {
                "pass": req.post_pass_mark
            }
        if score < req.post_pass_mark:
            return S.FAILED, _(
                "Tidak lulus: nilai post-test %(score)s di bawah nilai lulus %(pass)s."
            ) % {"score": f"{score:.0f}", "pass": req.post_pass_mark}
    if req.required_lessons and row.lessons_done < req.required_lessons:
        return S.NO_SHOW, _("Materi wajib baru selesai %(done)s dari %(total)s.") % {
            "done": row.lessons_done,
            "total": req.required_lessons,
        }
    parts = []
    if req.total_sessions:
        parts.append(
            _("Kehadiran %(rate)s%% (minimal %(min)s%%).")
            % {"rate": f"{row.rate:.0f}", "min": req.min_attendance}
        )
    if req.required_lessons:
        parts.append(_("Semua materi wajib selesai."))
    if req.post_pass_mark is not None:
        parts.append(
            _("Post-test %(score)s (nilai lulus %(pass)s).")
            % {"score": f"{row.post_test_score:.0f}", "pass": req.post_pass_mark}
        )
    parts.append(_("%(jp)s JP dicatat.") % {"jp": jp_format(req.jp)})
    return S.COMPLETED, " ".join(str(p) for p in parts)


def _apply(
    *,
    offering: Offering,
    rows: list[Enrolment],
    req: CompletionRequirements,
    actor,
    now,
    result: CompletionResult,
    history: list,
    notices: list,
    changes: list,
    only_completed: bool = False,
) -> list[int]:
    """Decide each row and write the outcomes set-based (one UPDATE per outcome, one for the
    per-person rate and reason). With `only_completed`, rows that do not complete are left as
    they are (a participant still learning). Returns the ids completed."""
    decided = []
    before = {enrolment.pk: enrolment.status for enrolment in rows}
    for enrolment in rows:
        status, reason = _decide(enrolment, req)
        if only_completed and status != S.COMPLETED:
            continue
        _finish(
            enrolment,
            to_status=status,
            reason=reason,
            history=history,
            attendance_rate=enrolment.rate,
            outcome_reason=reason,
            jp_awarded=req.jp if status == S.COMPLETED else None,
        )
        decided.append(enrolment)
        if status == S.COMPLETED:
            result.completed += 1
        elif status == S.FAILED:
            result.failed += 1
        else:
            result.no_show += 1
    for status in (S.COMPLETED, S.NO_SHOW, S.FAILED):
        ids = [e.pk for e in decided if e.status == status]
        if ids:
            Enrolment.objects.filter(pk__in=ids).update(
                status=status,
                jp_awarded=req.jp if status == S.COMPLETED else None,
                completed_at=now,
                updated_at=now,
            )
    if decided:
        Enrolment.objects.bulk_update(decided, ["attendance_rate", "outcome_reason"])
    changes += [(e, before[e.pk]) for e in decided]
    return [e.pk for e in decided if e.status == S.COMPLETED]


def _audit(offering: Offering, changes: list) -> None:
    """The audit trail of the set-based UPDATEs (they send no model signals), from the
    (enrolment, status before) pairs: one INSERT."""
    if not changes:
        return
    audit.record_many(
        action=audit.Action.UPDATE,
        region=offering.region,
        items=[
            (
                e,
                {
                    "status": [before, e.status],
                    "jp_awarded": [None, audit.plain(e.jp_awarded)],
                },
            )
            for e, before in changes
        ],
        note=_("Angkatan diselesaikan"),
    )


@transaction.atomic
def offering_complete(*, offering: Offering, actor) -> CompletionResult:
    """Close an offering: each confirmed participant is decided by the rule (module
    docstring). Requests and waitlist entries still open are cancelled ("angkatan selesai").
    The certificates of those completed are issued by a background run.

    One short transaction under the offering lock, in a constant number of queries whatever
    the number of participants: bulk reads, one UPDATE per set of enrolments, one INSERT each
    for records, history events, notifications and the certificate run. Running it again
    creates nothing new (it only fills in a record a completed enrolment might lack;
    notifications have dedup keys).
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
    req = completion_requirements(offering=locked)
    req.jp = jp_award(program=locked.program, offering=locked)
    rows = completion_rows(offering=locked, requirements=req)
    changes: list = []
    _apply(
        offering=locked,
        rows=rows,
        req=req,
        actor=actor,
        now=now,
        result=result,
        history=history,
        notices=notices,
        changes=changes,
    )
    leftovers = list(
        Enrolment.objects.filter(
            offering_id=locked.pk, status__in=Enrolment.WAITING_STATUSES
        ).select_related("employee")
    )
    changes += [(enrolment, enrolment.status) for enrolment in leftovers]
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
    _audit(locked, changes)
    locked.status = Offering.Status.COMPLETED
    locked.completed_at = now
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    offering.status, offering.completed_at = locked.status, locked.completed_at
    if result.completed:
        certificate_run_start(offering=locked, actor=actor)
    return result


def completion_preview(*, offering: Offering) -> tuple[list[Enrolment], CompletionRequirements]:
    """What `offering_complete` would decide now (the admin's page), without writing."""
    req = completion_requirements(offering=offering)
    req.jp = jp_award(program=offering.program, offering=offering)
    rows = completion_rows(offering=offering, requirements=req)
    for row in rows:
        row.verdict, row.verdict_reason = _decide(row, req)
    return rows, req


@transaction.atomic
def enrolment_finish(*, enrolment: Enrolment, actor=None) -> bool:
    """A participant of an online-only batch finished the course: complete them now by the
    same rule (no-op when the batch has sessions — the admin completes it — or the rule is not
    met yet). Returns whether they were completed."""
    offering = lock_offering(offering_id=enrolment.offering_id)
    if not offering.is_active:
        return False
    req = completion_requirements(offering=offering)
    if not req.individual:
        return False
    req.jp = jp_award(program=offering.program, offering=offering)
    rows = completion_rows(offering=offering, requirements=req, enrolment_ids=[enrolment.pk])
    if not rows:
        return False
    result = CompletionResult()
    history: list[dict] = []
    notices: list[dict] = []
    now = timezone.now()
    changes: list = []
    completed = _apply(
        offering=offering,
        rows=rows,
        req=req,
        actor=actor,
        now=now,
        result=result,
        history=history,
        notices=notices,
        changes=changes,
        only_completed=True,
    )
    if not completed:
        return False
    _audit(offering, changes)
    _create_records(
        offering=offering,
        actor=actor,
        now=now,
        history=history,
        notices=notices,
        only_ids=completed,
    )
    history_record_many(events=history, actor=actor)
    notify_many(region=offering.region, items=notices)
    certificate_run_start(offering=offering, actor=actor, enrolment_ids=completed)
    enrolment.status = S.COMPLETED
    enrolment.jp_awarded = req.jp
    return True


@transaction.atomic
def enrolment_fail(*, enrolment: Enrolment, reason: str, actor=None) -> None:
    """The participant can no longer pass (the post-test's attempts are used up without a pass):
    "not passed" now, with the reason they see; no JP, no certificate."""
    locked = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    if locked.status != S.CONFIRMED:
        return
    now = timezone.now()
    Enrolment.objects.filter(pk=locked.pk).update(
        status=S.FAILED, outcome_reason=reason, jp_awarded=None, completed_at=now, updated_at=now
    )
    history_record(
        subject=locked,
        action=S.FAILED,
        actor=actor,
        from_status=S.CONFIRMED,
        to_status=S.FAILED,
        reason=reason,
    )
    enrolment.status, enrolment.outcome_reason = S.FAILED, reason
