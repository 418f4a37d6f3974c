"""Delivery channels of notifications: a small registry of classes with `send(delivery)`.

Settings:
- `KOMPETENSI_NOTIFICATION_CHANNELS` (default `["email", "inapp"]`): the channels every new
  notification is delivered on, one `NotificationDelivery` row each.
- `KOMPETENSI_NOTIFICATION_CHANNEL_CLASSES` (default `{}`): extra channels by dotted path, e.g.
  `{"whatsapp": "myagency.channels.WhatsAppChannel"}`; a class subclasses `Channel`.

A channel's `send()` either returns (sent), raises `SkipDelivery` (nothing to send, e.g. no
email address: the delivery is marked skipped), or raises any other exception (the delivery
goes back to pending and is retried with back-off; see `regions.notifications.delivery`).

Each channel builds its own message from `rendering` (and the kind's hooks); a channel never
calls back into the modules that deliver through it.
"""

import os
import time
from email.utils import formataddr, parseaddr
from smtplib import SMTPException
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django_scopes import scope

from ..selectors import employee_email
from .kinds import get_kind
from .rendering import absolute_url, base_url, load_subject, recipient_language, render_message

DEFAULT_CHANNELS = ["email", "inapp"]
# Test hook for the worker-crash test (tests/jobs): when this environment variable is set,
# a "slow-email" channel exists that waits that many seconds and then sends the email.
SLOW_CHANNEL_ENV = "KOMPETENSI_TEST_SLOW_CHANNEL_SECONDS"

# Errors worth retrying: the database or the mail server is away for a moment.
TRANSIENT_ERRORS = (OperationalError, SMTPException, ConnectionError, TimeoutError, OSError)


class SkipDelivery(Exception):
    """The channel has nothing to deliver for this recipient (not an error)."""


class Channel:
    name = ""
    # An inline channel is delivered when the notification is recorded (no task needed).
    inline = False

    def send(self, delivery) -> None:
        raise NotImplementedError


class InAppChannel(Channel):
    """The portal itself: the notification row is what the bell and the list show."""

    name = "inapp"
    inline = True

    def send(self, delivery) -> None:
        return None


class EmailChannel(Channel):
    """An email from the kind's template (templates/notifications/email/), with what the kind's
    `email_parts` hook adds (training: a calendar invitation for confirmations and schedule
    changes)."""

    name = "email"

    def send(self, delivery) -> None:
        message = build_email(delivery)
        if message is None:
            raise SkipDelivery("no email address")
        message.send(fail_silently=False)


class SlowEmailChannel(EmailChannel):
    """Test-only: waits, then sends like the email channel (registered by SLOW_CHANNEL_ENV)."""

    name = "slow-email"

    def send(self, delivery) -> None:
        time.sleep(float(os.environ.get(SLOW_CHANNEL_ENV) or 0))
        super().send(delivery)


def build_email(delivery) -> EmailMultiAlternatives | None:
    """The email of a delivery in the recipient's language; None without an address."""
    notification = delivery.notification
    recipient = notification.recipient
    address = employee_email(recipient)
    if not address or not recipient.is_active:
        return None
    region = notification.region
    kind = get_kind(notification.kind)
    with scope(region=region), translation.override(recipient_language(recipient)):
        subject = load_subject(notification)
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
        parts = (
            kind.email_parts(notification=notification, subject=subject)
            if kind.email_parts is not None
            else None
        )
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
    if parts is not None:
        for content, mimetype in parts.alternatives:
            email.attach_alternative(content, mimetype)
        for filename, content, mimetype in parts.attachments:
            email.attach(filename, content, mimetype)
    return email


BUILTIN_CHANNELS: dict[str, type[Channel]] = {"email": EmailChannel, "inapp": InAppChannel}


def channel_classes() -> dict[str, type[Channel]]:
    classes = dict(BUILTIN_CHANNELS)
    for name, path in getattr(settings, "KOMPETENSI_NOTIFICATION_CHANNEL_CLASSES", {}).items():
        classes[name] = import_string(path) if isinstance(path, str) else path
    if os.environ.get(SLOW_CHANNEL_ENV):
        classes[SlowEmailChannel.name] = SlowEmailChannel
    return classes


def configured_channel_names() -> list[str]:
    return list(getattr(settings, "KOMPETENSI_NOTIFICATION_CHANNELS", DEFAULT_CHANNELS))


def get_channel(name: str) -> Channel:
    try:
        return channel_classes()[name]()
    except KeyError:
        raise LookupError(f"unknown notification channel {name!r}") from None


@checks.register()
def check_notification_channels(app_configs=None, **kwargs):
    """`manage.py check` (and every worker start) fails on a channel name nobody registered."""
    try:
        known = channel_classes()
    except ImportError as exc:
        return [checks.Error(f"Cannot import a notification channel: {exc}", id="regions.E101")]
    unknown = [name for name in configured_channel_names() if name not in known]
    if unknown:
        return [
            checks.Error(
                f"Unknown notification channel(s) {unknown} in KOMPETENSI_NOTIFICATION_CHANNELS.",
                hint="Register them in KOMPETENSI_NOTIFICATION_CHANNEL_CLASSES.",
                id="regions.E102",
            )
        ]
    return []
