"""Training's notification kinds, registered with `regions.notifications` in
`TrainingConfig.ready()`.

Services call `notify(kind=Kind.X, ...)` (`from training.notifications import Kind`,
`from regions.notifications import notify`). Each kind's email template is
`templates/notifications/email/<kind>.txt`.

| kind | recipient | subject | useful context keys |
| --- | --- | --- | --- |
| enrolment_* | the ASN (requested: the supervisor) | Enrolment | program, offering, start_date, end_date, employee, reason, position, motivation |
| offering_changed / _cancelled | each participant | Offering | changed, change, reason, venue, online_link |
| session_changed / _cancelled / _reminder | each participant | Session | changed, change, reason, starts_at, ends_at, location |
| certificate_ready | the ASN | Enrolment | certificate_number |
| record_verified / _rejected | the ASN | DevelopmentRecord | title, jp, year, reason |
| plan_submitted / _approved / _returned | supervisor / ASN | DevelopmentPlan | employee, year, supervisor, notes |
| approval_pending, jp_target_alert, window_closing | (periodic jobs, training.jobs) | Employee / Offering | |

What the hooks add for every training kind (`training_context`): `enrolment` (the subject, or
the recipient's enrolment in the subject's offering), `offering_obj`, `session_obj`, `record`,
`plan`, `program_title`, `offering_name`, `session_title`, `employee_name`, `start_date`,
`end_date`, `starts_at`, `ends_at`, `location`, `online_link` (caller context first, the
subject's current state second) and `changed_labels` (names of `context["changed"]` fields).
Confirmations and schedule changes carry a calendar invitation, cancellations a calendar
cancellation (`training.calendar`).

The evaluation kinds about an enrolment (survey_open, l3_assessment_due) live in
`evaluations.notifications` and reuse these hooks.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Employee
from regions.notifications import EmailParts, NotificationKind, Target, subject_pk
from regions.notifications.values import as_date, as_datetime, first

from .calendar import CANCEL, REQUEST, invitation_ics
from .models import DevelopmentPlan, DevelopmentRecord, Enrolment, Offering, Session


class Kind(models.TextChoices):
    ENROLMENT_REQUESTED = "enrolment_requested", _("Permohonan persetujuan pendaftaran")
    ENROLMENT_CONFIRMED = "enrolment_confirmed", _("Pendaftaran terkonfirmasi")
    ENROLMENT_APPROVED = "enrolment_approved", _("Pendaftaran disetujui atasan")
    ENROLMENT_REJECTED = "enrolment_rejected", _("Pendaftaran ditolak")
    ENROLMENT_WAITLISTED = "enrolment_waitlisted", _("Masuk daftar tunggu")
    ENROLMENT_PROMOTED = "enrolment_promoted", _("Naik dari daftar tunggu")
    ENROLMENT_CANCELLED = "enrolment_cancelled", _("Pendaftaran dibatalkan")
    ENROLMENT_COMPLETED = "enrolment_completed", _("Pelatihan selesai, JP dicatat")
    OFFERING_CHANGED = "offering_changed", _("Perubahan angkatan")
    OFFERING_CANCELLED = "offering_cancelled", _("Angkatan dibatalkan")
    SESSION_CHANGED = "session_changed", _("Perubahan jadwal sesi")
    SESSION_CANCELLED = "session_cancelled", _("Sesi dibatalkan")
    SESSION_REMINDER = "session_reminder", _("Pengingat sesi")
    CERTIFICATE_READY = "certificate_ready", _("Sertifikat tersedia")
    RECORD_VERIFIED = "record_verified", _("Riwayat pelatihan diverifikasi")
    RECORD_REJECTED = "record_rejected", _("Riwayat pelatihan ditolak")
    PLAN_SUBMITTED = "plan_submitted", _("Rencana pengembangan diajukan")
    PLAN_APPROVED = "plan_approved", _("Rencana pengembangan disetujui")
    PLAN_RETURNED = "plan_returned", _("Rencana pengembangan dikembalikan")
    APPROVAL_PENDING = "approval_pending", _("Pengingat persetujuan tertunda")
    JP_TARGET_ALERT = "jp_target_alert", _("Peringatan capaian JP")
    WINDOW_CLOSING = "window_closing", _("Pendaftaran segera ditutup")


# Names of changed fields (catalogue services put them in context["changed"]).
CHANGED_FIELD_LABELS = {
    "starts_at": _("waktu mulai"),
    "ends_at": _("waktu selesai"),
    "location": _("tempat"),
    "venue": _("tempat"),
    "online_link": _("tautan daring"),
    "start_date": _("tanggal mulai"),
    "end_date": _("tanggal selesai"),
    "title": _("judul"),
    "speaker": _("narasumber"),
}


# --- Subject -----------------------------------------------------------------------------------


@dataclass
class SubjectParts:
    """The objects a notification is about, derived from its subject."""

    obj: object = None
    enrolment: object = None
    offering: object = None
    program: object = None
    session: object = None
    record: object = None
    plan: object = None
    employee: object = None


def subject_parts(obj) -> SubjectParts:
    parts = SubjectParts(obj=obj)
    if isinstance(obj, Enrolment):
        parts.enrolment, parts.offering, parts.employee = obj, obj.offering, obj.employee
    elif isinstance(obj, Session):
        parts.session, parts.offering = obj, obj.offering
    elif isinstance(obj, Offering):
        parts.offering = obj
    elif isinstance(obj, DevelopmentRecord):
        parts.record, parts.employee = obj, obj.employee
    elif isinstance(obj, DevelopmentPlan):
        parts.plan, parts.employee = obj, obj.employee
    elif isinstance(obj, Employee):
        parts.employee = obj
    if parts.offering is not None:
        parts.program = parts.offering.program
    return parts


# --- Hooks -------------------------------------------------------------------------------------


def training_about(*, subject, recipient) -> str | None:
    """The list line of a training subject; None for others (the registry's default applies:
    an employee's name, else the subject as text)."""
    parts = subject_parts(subject)
    if parts.session is not None:
        return f"{parts.program.title}: {parts.session.title}"
    if parts.offering is not None:
        about = f"{parts.program.title} – {parts.offering.name}"
        if parts.employee is not None and parts.employee.pk != recipient.pk:
            about = f"{parts.employee.name} · {about}"
        return about
    if parts.record is not None:
        return parts.record.title
    if parts.plan is not None:
        return f"{parts.plan.employee.name} · {parts.plan.year}"
    return None


def training_context(*, notification, subject, ctx) -> dict:
    """What training's templates see besides the registry's common values."""
    parts = subject_parts(subject)
    offering, session, program = parts.offering, parts.session, parts.program
    enrolment = parts.enrolment
    recipient = notification.recipient
    if enrolment is None and offering is not None:
        enrolment = (
            Enrolment.objects.filter(offering=offering, employee=recipient).order_by("-id").first()
        )
    employee = parts.employee
    changed = ctx.get("changed") or []
    if isinstance(changed, str):
        changed = [changed]
    return {
        "enrolment": enrolment,
        "offering_obj": offering,
        "session_obj": session,
        "record": parts.record,
        "plan": parts.plan,
        "program_title": first(ctx.get("program"), program and program.title) or "",
        "offering_name": first(ctx.get("offering"), offering and offering.name) or "",
        "session_title": first(ctx.get("session"), session and session.title) or "",
        "employee_name": first(ctx.get("employee"), employee and employee.name) or "",
        "start_date": as_date(first(ctx.get("start_date"), offering and offering.start_date)),
        "end_date": as_date(first(ctx.get("end_date"), offering and offering.end_date)),
        "starts_at": as_datetime(first(ctx.get("starts_at"), session and session.starts_at)),
        "ends_at": as_datetime(first(ctx.get("ends_at"), session and session.ends_at)),
        "location": first(
            ctx.get("location"),
            ctx.get("venue"),
            session and session.location,
            offering and offering.venue,
        )
        or "",
        "online_link": first(
            ctx.get("online_link"),
            session and session.online_link,
            offering and offering.online_link,
        )
        or "",
        "changed_labels": [str(CHANGED_FIELD_LABELS.get(name, name)) for name in changed],
    }


def _recipient_enrolment(notification, subject) -> tuple[Enrolment | None, Session | None]:
    """The recipient's enrolment the subject is about, and the session when it is one."""
    recipient = notification.recipient
    session = subject if isinstance(subject, Session) else None
    if isinstance(subject, Enrolment):
        enrolment = subject
    elif isinstance(subject, Session | Offering):
        offering = subject.offering if session is not None else subject
        enrolment = (
            Enrolment.objects.filter(offering=offering, employee=recipient)
            .select_related("offering__program", "offering__region", "employee__user")
            .order_by("-id")
            .first()
        )
    else:
        return None, None
    if enrolment is None or enrolment.employee_id != recipient.pk:
        return None, None
    return enrolment, session


def _calendar_parts(ics: bytes, method: str) -> EmailParts:
    return EmailParts(
        alternatives=((ics.decode(), f"text/calendar; method={method}"),),
        attachments=(("invite.ics", ics, "application/ics"),),
    )


def calendar_request(*, notification, subject) -> EmailParts | None:
    """The meeting request of a confirmed enrolment (confirmations and schedule changes)."""
    enrolment, session = _recipient_enrolment(notification, subject)
    if enrolment is None or enrolment.status != Enrolment.Status.CONFIRMED:
        return None
    ics = invitation_ics(enrolment=enrolment, method=REQUEST, session=session)
    return _calendar_parts(ics, REQUEST)


def calendar_cancel(*, notification, subject) -> EmailParts | None:
    """The calendar cancellation, only to someone who had received the invitation."""
    enrolment, session = _recipient_enrolment(notification, subject)
    if enrolment is None or enrolment.confirmed_at is None:
        return None
    ics = invitation_ics(enrolment=enrolment, method=CANCEL, session=session)
    return _calendar_parts(ics, CANCEL)


# --- The kinds ---------------------------------------------------------------------------------

ENROLMENT_PAGE = Target(
    "training:my_enrolment_detail", subject_pk("enrolment_id", "training.enrolment")
)
MY_ENROLMENTS = Target("training:my_enrolments")
RECORD_PAGE = Target(
    "training:record_detail", subject_pk("record_id", "training.developmentrecord")
)
MY_PLAN = Target("training:plan_mine")


def _kind(kind: Kind, icon: str, target: Target | None = None, email_parts=None):
    return NotificationKind(
        key=kind.value,
        label=kind.label,
        icon=icon,
        target=target,
        context=training_context,
        about=training_about,
        email_parts=email_parts,
    )


KINDS = (
    _kind(
        Kind.ENROLMENT_REQUESTED,
        "bi-person-check",
        Target("training:approval_decide", subject_pk("enrolment_id", "training.enrolment")),
    ),
    _kind(Kind.ENROLMENT_CONFIRMED, "bi-person-check", ENROLMENT_PAGE, calendar_request),
    _kind(Kind.ENROLMENT_APPROVED, "bi-person-check", ENROLMENT_PAGE, calendar_request),
    _kind(Kind.ENROLMENT_REJECTED, "bi-person-check", ENROLMENT_PAGE),
    _kind(Kind.ENROLMENT_WAITLISTED, "bi-person-check", ENROLMENT_PAGE),
    _kind(Kind.ENROLMENT_PROMOTED, "bi-person-check", ENROLMENT_PAGE, calendar_request),
    _kind(Kind.ENROLMENT_CANCELLED, "bi-person-check", ENROLMENT_PAGE, calendar_cancel),
    _kind(Kind.ENROLMENT_COMPLETED, "bi-person-check", Target("training:my_jp")),
    _kind(Kind.OFFERING_CHANGED, "bi-calendar-range", MY_ENROLMENTS, calendar_request),
    _kind(Kind.OFFERING_CANCELLED, "bi-calendar-range", MY_ENROLMENTS, calendar_cancel),
    _kind(Kind.SESSION_CHANGED, "bi-calendar-event", MY_ENROLMENTS, calendar_request),
    _kind(Kind.SESSION_CANCELLED, "bi-calendar-event", MY_ENROLMENTS, calendar_cancel),
    _kind(Kind.SESSION_REMINDER, "bi-calendar-event", MY_ENROLMENTS),
    _kind(Kind.CERTIFICATE_READY, "bi-award", ENROLMENT_PAGE),
    _kind(Kind.RECORD_VERIFIED, "bi-journal-check", RECORD_PAGE),
    _kind(Kind.RECORD_REJECTED, "bi-journal-check", RECORD_PAGE),
    _kind(
        Kind.PLAN_SUBMITTED,
        "bi-signpost-split",
        Target("training:team_plan_decide", subject_pk("plan_id", "training.developmentplan")),
    ),
    _kind(Kind.PLAN_APPROVED, "bi-signpost-split", MY_PLAN),
    _kind(Kind.PLAN_RETURNED, "bi-signpost-split", MY_PLAN),
    _kind(Kind.APPROVAL_PENDING, "bi-hourglass-split", Target("training:approval_list")),
    # Each audience's page comes with the alert (context "url", see training.jobs).
    _kind(Kind.JP_TARGET_ALERT, "bi-graph-up"),
    _kind(
        Kind.WINDOW_CLOSING,
        "bi-door-closed",
        Target("training:offering_detail", subject_pk("pk", "training.offering")),
    ),
)
