"""A notification's message: subject line, plain text, action label and link.

Each kind's template (`NotificationKind.email_template`, by default
`templates/notifications/email/<kind>.txt`) has three blocks, rendered one by one: `subject`,
`body` and `action`. The template sees:

- the caller's context values (`notify(context=...)`), and all of them as `ctx`;
- `notification`, `kind_label`, `recipient`, `region`, `subject` (the subject's current row),
  `employee_name` (context `employee`, else an Employee subject's name) and `reason` (context
  `reason` or `notes`);
- whatever the kind's `context` hook adds (e.g. training's `program_title`, `starts_at`...);
- `url` (absolute: the caller's `url`, the kind's default target, else the notification's own
  page) and `notification_url`.

The portal's detail page shows the same message; `channels.EmailChannel` wraps it in the
email layout.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompetensi import site

from ..models import Employee
from .kinds import get_kind
from .values import decode, first

# --- Settings ----------------------------------------------------------------------------------


# One public address for every message (kompetensi.site); re-exported for the channels.
base_url = site.base_url
absolute_url = site.absolute_url


def recipient_language(recipient) -> str:
    """The language to write to an employee in: their login's chosen language, else the
    portal's (Bahasa Indonesia)."""
    user = recipient.user if getattr(recipient, "user_id", None) else None
    return (getattr(user, "language", "") or settings.LANGUAGE_CODE) or "id"


# --- Subject -----------------------------------------------------------------------------------


def load_subject(notification):
    """The notification's subject as it is now, or None (none given, or deleted since)."""
    if not notification.subject_type_id or not notification.subject_id:
        return None
    model = ContentType.objects.get_for_id(notification.subject_type_id).model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=notification.subject_id).first()


def notification_path(notification) -> str:
    return reverse(
        "notifications:detail",
        kwargs={"region_slug": notification.region.slug, "pk": notification.pk},
    )


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


def message_context(notification, *, subject=None) -> dict:
    """What a kind's template sees: caller context first, the subject's current state second."""
    kind = get_kind(notification.kind)
    ctx = decode(notification.context or {})
    obj = subject if subject is not None else load_subject(notification)
    employee = obj if isinstance(obj, Employee) else None
    context = {
        **{k: v for k, v in ctx.items() if not k.startswith("_")},
        "ctx": ctx,
        "notification": notification,
        "kind_label": kind.label,
        "recipient": notification.recipient,
        "region": notification.region,
        "subject": obj,
        "employee_name": first(ctx.get("employee"), employee and employee.name) or "",
        "reason": first(ctx.get("reason"), ctx.get("notes")) or "",
    }
    if kind.context is not None:
        context.update(kind.context(notification=notification, subject=obj, ctx=ctx))
    context["url"] = absolute_url(ctx.get("_url") or notification_path(notification))
    context["notification_url"] = absolute_url(notification_path(notification))
    return context


def render_message(notification, *, subject=None) -> Message:
    """Subject line, plain-text body, action label and link, in the active language."""
    context = message_context(notification, subject=subject)
    template = get_kind(notification.kind).email_template
    blocks = _render_blocks(template, context)
    text = "\n".join(line.rstrip() for line in blocks.get("body", "").splitlines())
    return Message(
        subject=" ".join(blocks.get("subject", "").split()) or str(context["kind_label"]),
        text=re.sub(r"\n{3,}", "\n\n", text).strip(),
        action=blocks.get("action", "") or str(_("Buka di portal")),
        url=context["url"],
    )
