"""The one notification service every feature calls.

Call `notify(...)` inside the transaction that caused the event. The notification is recorded
with a deduplication key, one `NotificationDelivery` per configured channel (email, in-app,
later SMS/WhatsApp: see `regions.notification_channels`), and the deliveries are queued only
after the transaction commits. Each is sent exactly once however often the caller, a job or a
task runs:

- `dedup_key` is unique: a second `notify()` with the same key returns the first notification
  and creates nothing;
- a delivery is claimed with compare-and-swap (`pending → sending`, one UPDATE that only one
  worker can win), sent, then marked `sent`; a claim older than the stale limit (longer than
  the send task's hard time limit, so its worker is gone) may be claimed again;
- a broker outage never fails `notify()`: the delivery stays `pending` and the periodic sweep
  (`deliveries_sweep`) queues it again once the broker is back.

Subjects and context per kind (context values are optional; the subject fills the gaps):

| kind | recipient | subject | useful context keys |
| --- | --- | --- | --- |
| enrolment_* | the ASN (requested: the supervisor) | Enrolment | program, offering, start_date, end_date, employee, reason, position, motivation |
| offering_changed / _cancelled | each participant | Offering | changed, change, reason, venue, online_link |
| session_changed / _cancelled / _reminder | each participant | Session | changed, change, reason, starts_at, ends_at, location |
| certificate_ready | the ASN | Enrolment | certificate_number |
| record_verified / _rejected | the ASN | DevelopmentRecord | title, jp, year, reason |
| survey_open | the ASN | Enrolment | due_date |
| l3_assessment_due | the supervisor | Enrolment | due_date |
| plan_submitted / _approved / _returned | supervisor / ASN | DevelopmentPlan | employee, year, supervisor, notes |
| approval_pending, jp_target_alert, window_closing | (periodic jobs, regions.jobs) | | |

Every context may carry `url`: the path (e.g. from `reverse()`) of the page to open; without
it a sensible page of the kind is used. Emails link to `KOMPETENSI_BASE_URL` + that path.
"""

import datetime as dt
import hashlib
import logging
import re
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import BlockNode
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from .notification_channels import (
    TRANSIENT_ERRORS,
    SkipDelivery,
    configured_channel_names,
    get_channel,
)

logger = logging.getLogger(__name__)


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
    SURVEY_OPEN = "survey_open", _("Survei pasca pelatihan dibuka")
    L3_ASSESSMENT_DUE = "l3_assessment_due", _("Evaluasi pasca pelatihan oleh atasan")
    PLAN_SUBMITTED = "plan_submitted", _("Rencana pengembangan diajukan")
    PLAN_APPROVED = "plan_approved", _("Rencana pengembangan disetujui")
    PLAN_RETURNED = "plan_returned", _("Rencana pengembangan dikembalikan")
    APPROVAL_PENDING = "approval_pending", _("Pengingat persetujuan tertunda")
    JP_TARGET_ALERT = "jp_target_alert", _("Peringatan capaian JP")
    WINDOW_CLOSING = "window_closing", _("Pendaftaran segera ditutup")
    REPORT_READY = "report_ready", _("Laporan tersedia")


KIND_ICONS = {
    "enrolment": "bi-person-check",
    "offering": "bi-calendar-range",
    "session": "bi-calendar-event",
    "certificate": "bi-award",
    "record": "bi-journal-check",
    "survey": "bi-ui-checks",
    "l3": "bi-clipboard-check",
    "plan": "bi-signpost-split",
    "approval": "bi-hourglass-split",
    "jp": "bi-graph-up",
    "window": "bi-door-closed",
    "report": "bi-file-earmark-text",
}

# Page opened from a notification when the caller gave no `url`: (url name, URL kwarg taking the
# subject's pk, the subject's model). A page no area has built yet, or a subject of another
# model, falls back to the notification's own page.
DEFAULT_TARGETS: dict[str, tuple[str, str | None, str | None]] = {
    Kind.ENROLMENT_REQUESTED: ("training:approval_decide", "enrolment_id", "training.enrolment"),
    Kind.ENROLMENT_CONFIRMED: (
        "training:my_enrolment_detail",
        "enrolment_id",
        "training.enrolment",
    ),
    Kind.ENROLMENT_APPROVED: ("training:my_enrolment_detail", "enrolment_id", "training.enrolment"),
    Kind.ENROLMENT_REJECTED: ("training:my_enrolment_detail", "enrolment_id", "training.enrolment"),
    Kind.ENROLMENT_WAITLISTED: (
        "training:my_enrolment_detail",
        "enrolment_id",
        "training.enrolment",
    ),
    Kind.ENROLMENT_PROMOTED: ("training:my_enrolment_detail", "enrolment_id", "training.enrolment"),
    Kind.ENROLMENT_CANCELLED: (
        "training:my_enrolment_detail",
        "enrolment_id",
        "training.enrolment",
    ),
    Kind.ENROLMENT_COMPLETED: ("training:my_jp", None, None),
    Kind.CERTIFICATE_READY: ("training:my_enrolment_detail", "enrolment_id", "training.enrolment"),
    Kind.OFFERING_CHANGED: ("training:my_enrolments", None, None),
    Kind.OFFERING_CANCELLED: ("training:my_enrolments", None, None),
    Kind.SESSION_CHANGED: ("training:my_enrolments", None, None),
    Kind.SESSION_CANCELLED: ("training:my_enrolments", None, None),
    Kind.SESSION_REMINDER: ("training:my_enrolments", None, None),
    Kind.RECORD_VERIFIED: ("training:record_detail", "record_id", "training.developmentrecord"),
    Kind.RECORD_REJECTED: ("training:record_detail", "record_id", "training.developmentrecord"),
    Kind.PLAN_SUBMITTED: ("training:team_plan_decide", "plan_id", "training.developmentplan"),
    Kind.PLAN_APPROVED: ("training:plan_mine", None, None),
    Kind.PLAN_RETURNED: ("training:plan_mine", None, None),
    Kind.APPROVAL_PENDING: ("training:approval_list", None, None),
    Kind.WINDOW_CLOSING: ("training:offering_detail", "pk", "training.offering"),
    Kind.REPORT_READY: ("evaluations:report_list", None, None),
}


def region_path(name: str, region_slug: str, **kwargs) -> str:
    """The path of a region page, or "" when no area has built that page (yet)."""
    try:
        return reverse(name, kwargs={"region_slug": region_slug, **kwargs})
    except NoReverseMatch:
        return ""


# Kinds whose email carries a calendar invitation (REQUEST) or cancellation (CANCEL).
INVITE_KINDS = {
    Kind.ENROLMENT_CONFIRMED,
    Kind.ENROLMENT_APPROVED,
    Kind.ENROLMENT_PROMOTED,
    Kind.OFFERING_CHANGED,
    Kind.SESSION_CHANGED,
}
CANCEL_KINDS = {Kind.ENROLMENT_CANCELLED, Kind.OFFERING_CANCELLED, Kind.SESSION_CANCELLED}

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

# After a broker error, publishing is skipped for a while (the sweep sends later), so an outage
# does not make each notify() of a large transaction wait for its own connection timeout.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0

PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


# --- Settings ----------------------------------------------------------------------------------


def base_url() -> str:
    return getattr(settings, "KOMPETENSI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def stale_after() -> dt.timedelta:
    """A `sending` claim older than this belongs to a worker that is gone (it is longer than the
    send task's hard time limit, see regions.tasks)."""
    return dt.timedelta(seconds=getattr(settings, "KOMPETENSI_NOTIFICATION_STALE_SECONDS", 300))


def max_attempts() -> int:
    return int(getattr(settings, "KOMPETENSI_NOTIFICATION_MAX_ATTEMPTS", 8))


def recipient_language(recipient) -> str:
    """The language to write to an employee in. No per-user preference is stored yet, so it is
    the portal's default (Bahasa Indonesia); English texts come from the locale files."""
    return settings.LANGUAGE_CODE or "id"


def absolute_url(path: str) -> str:
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return f"{base_url()}{path if path.startswith('/') else '/' + path}"


# --- Context (stored as JSON) ------------------------------------------------------------------


def _encode(value):
    """Make a context value JSON-safe, keeping dates and decimals recognisable."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return {"__type__": "datetime", "value": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__type__": "date", "value": value.isoformat()}
    if isinstance(value, Decimal):
        return {"__type__": "decimal", "value": str(value)}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_encode(v) for v in value]
    return str(value)


def _decode(value):
    if isinstance(value, dict):
        kind = value.get("__type__")
        if kind == "datetime":
            return parse_datetime(value["value"])
        if kind == "date":
            return parse_date(value["value"])
        if kind == "decimal":
            return Decimal(value["value"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _as_date(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date) or value in (None, ""):
        return value or None
    return parse_date(str(value)) if isinstance(value, str) else None


def _as_datetime(value):
    if isinstance(value, dt.datetime) or value in (None, ""):
        return value or None
    return parse_datetime(value) if isinstance(value, str) else None


def _dedup_key(kind: str, dedup_key: str) -> str:
    key = (dedup_key or "").strip()
    if not key:
        return f"{kind}:{uuid.uuid4().hex}"
    if len(key) > 200:
        digest = hashlib.sha256(key.encode()).hexdigest()[:40]
        key = f"{key[:150]}#{digest}"
    return key


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


def _subject_parts(obj) -> SubjectParts:
    from training.models import DevelopmentPlan, DevelopmentRecord, Enrolment, Offering, Session

    from .models import Employee

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


def _about(parts: SubjectParts, recipient) -> str:
    """A short, language-neutral line naming what the notification is about (for lists)."""
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
    if parts.employee is not None:
        return parts.employee.name
    return str(parts.obj) if parts.obj is not None else ""


def _default_target(kind: str, parts: SubjectParts, region_slug: str) -> str:
    target = DEFAULT_TARGETS.get(kind)
    if target is None:
        return ""
    name, kwarg, model = target
    if not kwarg:
        return region_path(name, region_slug)
    if parts.obj is None or parts.obj._meta.label_lower != model:
        return ""
    return region_path(name, region_slug, **{kwarg: parts.obj.pk})


def _load_subject(notification):
    if not notification.subject_type_id or not notification.subject_id:
        return None
    model = ContentType.objects.get_for_id(notification.subject_type_id).model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=notification.subject_id).first()


# --- notify() ----------------------------------------------------------------------------------


def notify(*, recipient, kind: str, subject=None, context: dict | None = None, dedup_key: str = ""):
    """Notify one employee (regions.models.Employee) of an event about `subject`.

    `context` holds the values the message template needs (strings, numbers, dates).
    `dedup_key` makes the call idempotent: a second call with the same key sends nothing and
    returns the first notification. Deliveries are queued after the transaction commits.
    """
    notification, _created = notify_once(
        recipient=recipient, kind=kind, subject=subject, context=context, dedup_key=dedup_key
    )
    return notification


def notify_once(*, recipient, kind: str, subject=None, context=None, dedup_key: str = ""):
    """notify(), also telling whether this call recorded it: (notification, created)."""
    from .models import Notification, NotificationDelivery

    if recipient is None:
        return None, False
    kind = str(kind)
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    key = _dedup_key(kind, dedup_key)
    region = recipient.region
    with scope(region=region):
        existing = Notification.objects.filter(region=region, dedup_key=key).first()
        if existing is not None:
            return existing, False
        parts = _subject_parts(subject)
        stored = _encode(dict(context or {}))
        stored["_about"] = _about(parts, recipient)
        stored["_url"] = str(stored.get("url") or "") or _default_target(kind, parts, region.slug)
        now = timezone.now()
        channels = [(name, get_channel(name)) for name in configured_channel_names()]
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    region=region,
                    recipient=recipient,
                    kind=kind,
                    subject_type=(
                        ContentType.objects.get_for_model(subject) if subject is not None else None
                    ),
                    subject_id=getattr(subject, "pk", None),
                    context=stored,
                    dedup_key=key,
                )
                deliveries = NotificationDelivery.objects.bulk_create(
                    [
                        NotificationDelivery(
                            region=region,
                            notification=notification,
                            channel=name,
                            # An inline channel (in-app) is delivered by recording the row.
                            status=(
                                NotificationDelivery.Status.SENT
                                if channel.inline
                                else NotificationDelivery.Status.PENDING
                            ),
                            sent_at=now if channel.inline else None,
                            attempts=1 if channel.inline else 0,
                        )
                        for name, channel in channels
                    ]
                )
        except IntegrityError:
            # Someone recorded the same event at the same moment: theirs wins.
            return Notification.objects.filter(region=region, dedup_key=key).first(), False
        pending = [d.pk for d in deliveries if d.status == NotificationDelivery.Status.PENDING]
    if pending:
        transaction.on_commit(lambda: deliveries_enqueue(delivery_ids=pending), robust=True)
    return notification, True


# --- Delivery ----------------------------------------------------------------------------------


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import KombuError

    errors: list[type[BaseException]] = [KombuError, OSError]
    try:
        from redis.exceptions import RedisError

        errors.append(RedisError)
    except ImportError:  # pragma: no cover - redis is a dependency of celery[redis]
        pass
    return tuple(errors)


def deliveries_enqueue(*, delivery_ids) -> int:
    """Queue a send task per delivery. Never raises: with the broker down the deliveries stay
    pending and the sweep queues them later. Returns how many were queued."""
    global _broker_down_until
    from .tasks import send_delivery

    eager = send_delivery.app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        logger.info("Broker recently unavailable; %d deliveries left pending.", len(delivery_ids))
        return 0
    broker_errors = _broker_errors()
    queued = 0
    for delivery_id in delivery_ids:
        try:
            send_delivery.apply_async(
                args=[delivery_id], retry=True, retry_policy=PUBLISH_RETRY_POLICY
            )
        except broker_errors as exc:
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            logger.warning(
                "Broker unavailable (%s); %d notification deliveries left pending for the sweep.",
                exc,
                len(delivery_ids) - queued,
            )
            break
        except Exception:
            # Eager mode (no broker) runs the task here; its failure is recorded on the row.
            logger.exception("Sending notification delivery %s failed", delivery_id)
        queued += 1
    return queued


def broker_backoff_reset() -> None:
    """Forget a past broker error (tests, or an operator who knows the broker is back)."""
    global _broker_down_until
    _broker_down_until = 0.0


def delivery_send(*, delivery_id: int) -> str:
    """Claim, send and mark one delivery. Returns "sent", "skipped", "failed" or "not_claimed".

    The claim is a compare-and-swap UPDATE (pending, or sending but stale → sending), so of
    two workers handed the same delivery only one sends. A transient error puts the delivery
    back to pending and re-raises (the task retries with back-off); other errors, or too many
    attempts, mark it failed.
    """
    from .models import NotificationDelivery

    Status = NotificationDelivery.Status
    claimed_at = timezone.now()
    claimable = Q(status=Status.PENDING) | Q(
        status=Status.SENDING, claimed_at__lt=claimed_at - stale_after()
    )
    claimed = (
        NotificationDelivery.objects.filter(pk=delivery_id)
        .filter(claimable)
        .update(status=Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return "not_claimed"
    mine = NotificationDelivery.objects.filter(
        pk=delivery_id, status=Status.SENDING, claimed_at=claimed_at
    )
    delivery = NotificationDelivery.objects.select_related(
        "notification__recipient__user", "notification__region"
    ).get(pk=delivery_id)
    try:
        channel = get_channel(delivery.channel)
        channel.send(delivery)
    except SkipDelivery as exc:
        mine.update(status=Status.SKIPPED, last_error=str(exc)[:1000])
        return "skipped"
    except TRANSIENT_ERRORS as exc:
        exhausted = delivery.attempts >= max_attempts()
        mine.update(
            status=Status.FAILED if exhausted else Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:1000],
        )
        if exhausted:
            logger.error("Notification delivery %s failed %s times", delivery_id, delivery.attempts)
            return "failed"
        raise
    except Exception as exc:
        logger.exception("Notification delivery %s failed", delivery_id)
        mine.update(status=Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:1000])
        return "failed"
    mine.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def deliveries_sweep(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Queue again what was never sent, in the current region scope: pending for more than a
    minute (the broker was down, or a retry gave up) and `sending` claims gone stale."""
    from .models import NotificationDelivery

    Status = NotificationDelivery.Status
    now = now or timezone.now()
    retry_gap = dt.timedelta(minutes=5)
    ids = list(
        NotificationDelivery.objects.filter(
            Q(
                status=Status.PENDING,
                created_at__lt=now - dt.timedelta(minutes=1),
                attempts__lt=max_attempts(),
            )
            & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - retry_gap))
            | Q(status=Status.SENDING, claimed_at__lt=now - stale_after())
        )
        .order_by("id")
        .values_list("id", flat=True)[:batch_size]
    )
    return deliveries_enqueue(delivery_ids=ids) if ids else 0


# --- Rendering ---------------------------------------------------------------------------------


@dataclass
class Message:
    subject: str
    text: str
    action: str
    url: str


def _render_blocks(template_name: str, context: dict) -> dict[str, str]:
    """Render each `{% block %}` of a template on its own (subject, body, action)."""
    template = get_template(template_name).template
    ctx = Context(context, autoescape=False)
    blocks = {}
    with ctx.render_context.push_state(template), ctx.bind_template(template):
        for node in template.nodelist.get_nodes_by_type(BlockNode):
            blocks[node.name] = node.render(ctx).strip()
    return blocks


def _first(*values):
    for value in values:
        if value not in (None, "", [], {}):
            return value
    return None


def message_context(notification, *, subject=None) -> dict:
    """What a kind's template sees: caller context first, the subject's current state second."""
    from training.models import Enrolment

    ctx = _decode(notification.context or {})
    obj = subject if subject is not None else _load_subject(notification)
    parts = _subject_parts(obj)
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
        **{k: v for k, v in ctx.items() if not k.startswith("_")},
        "ctx": ctx,
        "notification": notification,
        "kind_label": Kind(notification.kind).label,
        "recipient": recipient,
        "region": notification.region,
        "subject": obj,
        "enrolment": enrolment,
        "offering_obj": offering,
        "session_obj": session,
        "record": parts.record,
        "plan": parts.plan,
        "program_title": _first(ctx.get("program"), program and program.title) or "",
        "offering_name": _first(ctx.get("offering"), offering and offering.name) or "",
        "session_title": _first(ctx.get("session"), session and session.title) or "",
        "employee_name": _first(ctx.get("employee"), employee and employee.name) or "",
        "start_date": _as_date(_first(ctx.get("start_date"), offering and offering.start_date)),
        "end_date": _as_date(_first(ctx.get("end_date"), offering and offering.end_date)),
        "starts_at": _as_datetime(_first(ctx.get("starts_at"), session and session.starts_at)),
        "ends_at": _as_datetime(_first(ctx.get("ends_at"), session and session.ends_at)),
        "location": _first(
            ctx.get("location"),
            ctx.get("venue"),
            session and session.location,
            offering and offering.venue,
        )
        or "",
        "online_link": _first(
            ctx.get("online_link"),
            session and session.online_link,
            offering and offering.online_link,
        )
        or "",
        "reason": _first(ctx.get("reason"), ctx.get("notes")) or "",
        "changed_labels": [str(CHANGED_FIELD_LABELS.get(name, name)) for name in changed],
        "url": absolute_url(ctx.get("_url") or notification_path(notification)),
        "notification_url": absolute_url(notification_path(notification)),
    }


def notification_path(notification) -> str:
    return reverse(
        "notifications:detail",
        kwargs={"region_slug": notification.region.slug, "pk": notification.pk},
    )


def render_message(notification, *, subject=None) -> Message:
    """Subject line, plain-text body, action label and link, in the active language."""
    context = message_context(notification, subject=subject)
    blocks = _render_blocks(f"notifications/email/{notification.kind}.txt", context)
    text = "\n".join(line.rstrip() for line in blocks.get("body", "").splitlines())
    return Message(
        subject=" ".join(blocks.get("subject", "").split()) or str(context["kind_label"]),
        text=re.sub(r"\n{3,}", "\n\n", text).strip(),
        action=blocks.get("action", "") or str(_("Buka di portal")),
        url=context["url"],
    )


def _invitation(notification, subject) -> tuple[bytes, str] | None:
    """The calendar part of an email: (ics, method) or None."""
    from training.calendar import CANCEL, REQUEST, invitation_ics
    from training.models import Enrolment, Offering, Session

    kind = notification.kind
    if kind not in INVITE_KINDS and kind not in CANCEL_KINDS:
        return None
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
        return None
    if enrolment is None or enrolment.employee_id != recipient.pk:
        return None
    if kind in INVITE_KINDS:
        if enrolment.status != Enrolment.Status.CONFIRMED:
            return None
        return invitation_ics(enrolment=enrolment, method=REQUEST, session=session), REQUEST
    # A cancellation only matters to someone who had received the invitation.
    if enrolment.confirmed_at is None:
        return None
    return invitation_ics(enrolment=enrolment, method=CANCEL, session=session), CANCEL


def build_email(delivery) -> EmailMultiAlternatives | None:
    """The email of a delivery in the recipient's language; None without an address."""
    from training.calendar import employee_email

    notification = delivery.notification
    recipient = notification.recipient
    address = employee_email(recipient)
    if not address or not recipient.is_active:
        return None
    region = notification.region
    with scope(region=region), translation.override(recipient_language(recipient)):
        subject = _load_subject(notification)
        message = render_message(notification, subject=subject)
        layout = {
            "message": message,
            "recipient": recipient,
            "region": region,
            "notifications_url": absolute_url(
                reverse("notifications:list", kwargs={"region_slug": region.slug})
            ),
            "portal_url": absolute_url(reverse("region:home", kwargs={"region_slug": region.slug})),
        }
        text = render_to_string("notifications/email/layout.txt", layout)
        html = render_to_string("notifications/email/layout.html", layout)
        invitation = _invitation(notification, subject)
    _name, from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    host = urlsplit(base_url()).hostname or "kompetensi.local"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=text,
        from_email=formataddr((region.agency_name or "Kompetensi", from_address)),
        to=[formataddr((recipient.name, address))],
        headers={
            # Stable per delivery: a mail server that sees it twice keeps one.
            "Message-ID": f"<notification-{notification.pk}.{delivery.channel}@{host}>",
            "Auto-Submitted": "auto-generated",
            "X-Kompetensi-Notification": str(notification.pk),
        },
    )
    email.attach_alternative(html, "text/html")
    if invitation is not None:
        ics, method = invitation
        email.attach_alternative(ics.decode(), f"text/calendar; method={method}")
        email.attach("invite.ics", ics, "application/ics")
    return email


# --- Reads and writes for the portal -----------------------------------------------------------


def notification_list(*, recipient, unread_only: bool = False):
    from .models import Notification

    qs = Notification.objects.filter(region_id=recipient.region_id, recipient=recipient)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, recipient) -> int:
    return notification_list(recipient=recipient, unread_only=True).count()


def notification_mark_read(*, notification) -> None:
    """Idempotent: a notification read twice keeps its first read time."""
    from .models import Notification

    now = timezone.now()
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now
    )
    if updated:
        notification.read_at = now


def notification_mark_all_read(*, recipient) -> int:
    return notification_list(recipient=recipient, unread_only=True).update(read_at=timezone.now())


def kind_icon(kind: str) -> str:
    return KIND_ICONS.get(kind.split("_", 1)[0], "bi-bell")
