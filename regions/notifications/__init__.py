"""Notifications: recorded once, delivered per channel exactly once, about anything an app
registers. This package knows nothing of training or evaluations.

| module | role |
| --- | --- |
| `kinds` | the registry of notification kinds (label, icon, email template, default page, hooks); apps fill it in `AppConfig.ready()` |
| `service` | `notify()` / `notify_once()` / `notify_new()` / `notify_many()` (bulk, constant queries): record with a dedup key, queue deliveries after commit |
| `delivery` | queue (never fails on a broker outage), compare-and-swap claim, send, sweep (and the periodic job "sweep" over all regions) |
| `channels` | in-app and email channels (each builds its own message), extra channels by setting |
| `rendering` | a notification's message (subject, text, action, link) from the kind's template |
| `inbox` | the portal's reads and writes (list, unread count, mark read) |
| `tasks` | `regions.tasks.send_delivery` and `regions.tasks.sweep_deliveries` |

Import graph (no cycles): values, kinds ← rendering ← channels ← delivery ← service, tasks;
inbox needs only the models. The tasks are queued by name (`kompetensi.tasks.resolve_task`).
Where a newcomer adds a kind: see docs/architecture.md ("Notifications").
"""

from .channels import (
    TRANSIENT_ERRORS,
    Channel,
    SkipDelivery,
    build_email,
    check_notification_channels,
    configured_channel_names,
    get_channel,
)
from .delivery import (
    broker_backoff_reset,
    deliveries_enqueue,
    deliveries_sweep,
    delivery_send,
)
from .inbox import (
    notification_list,
    notification_mark_all_read,
    notification_mark_read,
    notification_unread_count,
)
from .kinds import (
    EmailParts,
    NotificationKind,
    Target,
    get_kind,
    is_registered,
    kind_icon,
    kind_label,
    region_path,
    register_kinds,
    registered_kinds,
    subject_pk,
)
from .rendering import Message, absolute_url, message_context, notification_path, render_message
from .service import notify, notify_many, notify_new, notify_once

__all__ = [
    "TRANSIENT_ERRORS",
    "Channel",
    "EmailParts",
    "Message",
    "NotificationKind",
    "SkipDelivery",
    "Target",
    "absolute_url",
    "broker_backoff_reset",
    "build_email",
    "check_notification_channels",
    "configured_channel_names",
    "deliveries_enqueue",
    "deliveries_sweep",
    "delivery_send",
    "get_channel",
    "get_kind",
    "is_registered",
    "kind_icon",
    "kind_label",
    "message_context",
    "notification_list",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_path",
    "notification_unread_count",
    "notify",
    "notify_many",
    "notify_new",
    "notify_once",
    "region_path",
    "register_kinds",
    "registered_kinds",
    "render_message",
    "subject_pk",
]
