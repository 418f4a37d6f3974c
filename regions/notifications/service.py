"""`notify()`: the one notification service every feature calls.

Call it inside the transaction that caused the event. The notification is recorded with a
deduplication key, one `NotificationDelivery` per configured channel (email, in-app, later
SMS/WhatsApp: see `channels`), and the deliveries are queued only after the transaction
commits. Each is sent exactly once however often the caller, a job or a task runs:

- `dedup_key` is unique: a second `notify()` with the same key returns the first notification
  and creates nothing;
- a delivery is claimed with compare-and-swap and sent once (see `delivery`);
- a broker outage never fails `notify()`: the delivery stays `pending` and the periodic sweep
  queues it again once the broker is back.

`kind` must be registered (see `kinds`); the kind's hooks give the default page to open
(`target`) and the short line shown in lists (`about`), both stored with the notification.
Every context may carry `url`: the path (e.g. from `reverse()`) of the page to open; without it
the kind's target is used, else the notification's own page. Emails link to
`KOMPETENSI_BASE_URL` + that path.
"""

import hashlib
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope

from ..models import Employee, Notification, NotificationDelivery
from .channels import configured_channel_names, get_channel
from .delivery import deliveries_enqueue
from .kinds import NotificationKind, get_kind, is_registered
from .values import encode


def _dedup_key(kind: str, dedup_key: str) -> str:
    key = (dedup_key or "").strip()
    if not key:
        return f"{kind}:{uuid.uuid4().hex}"
    if len(key) > 200:
        digest = hashlib.sha256(key.encode()).hexdigest()[:40]
        key = f"{key[:150]}#{digest}"
    return key


def _about(kind: NotificationKind, subject, recipient) -> str:
    """A short, language-neutral line naming what the notification is about (for lists)."""
    if kind.about is not None:
        about = kind.about(subject=subject, recipient=recipient)
        if about is not None:
            return about
    if isinstance(subject, Employee):
        return subject.name
    return str(subject) if subject is not None else ""


def _default_target(kind: NotificationKind, subject, region_slug: str) -> str:
    if kind.target is None:
        return ""
    return kind.target.path(subject=subject, region_slug=region_slug)


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
    if recipient is None:
        return None, False
    kind = str(kind)
    if not is_registered(kind):
        raise ValueError(f"unknown notification kind {kind!r}")
    definition = get_kind(kind)
    key = _dedup_key(kind, dedup_key)
    region = recipient.region
    with scope(region=region):
        existing = Notification.objects.filter(region=region, dedup_key=key).first()
        if existing is not None:
            return existing, False
        stored = encode(dict(context or {}))
        stored["_about"] = _about(definition, subject, recipient)
        stored["_url"] = str(stored.get("url") or "") or _default_target(
            definition, subject, region.slug
        )
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


def notify_new(items: list[tuple[str, dict]]) -> int:
    """notify() each (dedup_key, kwargs) not recorded yet, in one transaction, so deliveries are
    queued when the batch commits (periodic jobs call it once per batch). Returns how many this
    call recorded (a concurrent run of the same job records the others)."""
    if not items:
        return 0
    known = set(
        Notification.objects.filter(dedup_key__in=[key for key, _ in items]).values_list(
            "dedup_key", flat=True
        )
    )
    created = 0
    with transaction.atomic():
        for key, kwargs in items:
            if key in known:
                continue
            _notification, new = notify_once(dedup_key=key, **kwargs)
            created += new
    return created


def notify_many(*, region, items: list[dict]) -> int:
    """notify() many employees of one region at once, in a constant number of queries: one read
    of the dedup keys already recorded, one INSERT of the notifications, one of their
    deliveries (bulk writes need a batch per 999 parameters on SQLite). Each item holds
    `recipient`, `kind`, `subject`, `context`, `dedup_key` as notify() takes them; give the
    subjects with what the kind's `about` hook reads already loaded (e.g. an enrolment's
    offering, programme and employee). Items already recorded are skipped, so a retried call
    creates nothing twice. Returns how many were recorded. Deliveries are queued on commit."""
    if not items:
        return 0
    prepared = []
    for item in items:
        kind = str(item["kind"])
        if not is_registered(kind):
            raise ValueError(f"unknown notification kind {kind!r}")
        key = _dedup_key(kind, item.get("dedup_key", ""))
        prepared.append((key, kind, item))
    with scope(region=region):
        known = set(
            Notification.objects.filter(
                region=region, dedup_key__in=[key for key, _kind, _item in prepared]
            ).values_list("dedup_key", flat=True)
        )
        rows, seen = [], set()
        for key, kind, item in prepared:
            if key in known or key in seen or item["recipient"] is None:
                continue
            seen.add(key)
            definition, subject = get_kind(kind), item.get("subject")
            stored = encode(dict(item.get("context") or {}))
            stored["_about"] = _about(definition, subject, item["recipient"])
            stored["_url"] = str(stored.get("url") or "") or _default_target(
                definition, subject, region.slug
            )
            rows.append(
                Notification(
                    region=region,
                    recipient=item["recipient"],
                    kind=kind,
                    subject_type=(
                        ContentType.objects.get_for_model(subject) if subject is not None else None
                    ),
                    subject_id=getattr(subject, "pk", None),
                    context=stored,
                    dedup_key=key,
                )
            )
        if not rows:
            return 0
        try:
            with transaction.atomic():
                notifications = Notification.objects.bulk_create(rows)
                now = timezone.now()
                channels = [(name, get_channel(name)) for name in configured_channel_names()]
                deliveries = NotificationDelivery.objects.bulk_create(
                    [
                        NotificationDelivery(
                            region=region,
                            notification=notification,
                            channel=name,
                            status=(
                                NotificationDelivery.Status.SENT
                                if channel.inline
                                else NotificationDelivery.Status.PENDING
                            ),
                            sent_at=now if channel.inline else None,
                            attempts=1 if channel.inline else 0,
                        )
                        for notification in notifications
                        for name, channel in channels
                    ]
                )
        except IntegrityError:
            # A concurrent writer recorded some of these keys meanwhile: fall back to one by
            # one, where the dedup key decides each.
            return sum(
                notify_once(
                    recipient=item["recipient"],
                    kind=kind,
                    subject=item.get("subject"),
                    context=item.get("context"),
                    dedup_key=key,
                )[1]
                for key, kind, item in prepared
                if key not in known
            )
    pending = [d.pk for d in deliveries if d.status == NotificationDelivery.Status.PENDING]
    if pending:
        transaction.on_commit(lambda: deliveries_enqueue(delivery_ids=pending), robust=True)
    return len(notifications)
