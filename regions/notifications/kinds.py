"""The registry of notification kinds.

regions delivers notifications but knows nothing of what they are about: each app describes
its kinds and registers them in its `AppConfig.ready()` (like pretix's
`register_notification_types`):

    # training/notifications.py
    KINDS = (
        NotificationKind(
            key="enrolment_confirmed",
            label=_("Pendaftaran terkonfirmasi"),
            icon="bi-person-check",
            target=Target("training:my_enrolment_detail", subject_pk("enrolment_id", "training.enrolment")),
            context=training_context,
            about=training_about,
            email_parts=calendar_request,
        ),
        ...
    )

    # training/apps.py, in ready()
    register_kinds(*notifications.KINDS)

A kind has:
- `key`: what `notify(kind=...)` takes and `Notification.kind` stores (at most 40 characters);
- `label` (lazy, Indonesian msgid) and `icon` (a Bootstrap icon class) for the bell, the list
  and the detail page;
- `template`: the email template, `notifications/email/<key>.txt` unless given, with the
  blocks `subject`, `body` and `action` (see `regions.notifications.rendering`);
- `target`: the page a notification opens when the caller gave no `url`;
- `context(notification=, subject=, ctx=) -> dict`: subject-specific values added to what the
  template sees (the caller's context is `ctx`);
- `about(subject=, recipient=) -> str | None`: the short line under the label in lists,
  stored when the notification is recorded (None: the default, the subject's name);
- `email_parts(notification=, subject=) -> EmailParts | None`: alternatives and attachments
  of the email (a calendar invitation, for instance).

Hooks receive the subject already loaded, and run inside the region's scope.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

DEFAULT_ICON = "bi-bell"
KEY_MAX_LENGTH = 40


def region_path(name: str, region_slug: str, **kwargs) -> str:
    """The path of a region page, or "" when no area has built that page (yet)."""
    try:
        return reverse(name, kwargs={"region_slug": region_slug, **kwargs})
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class Target:
    """A region page: its URL name, and how to get its other URL kwargs from the subject.

    `kwargs` is None for a page that takes only the region; otherwise it returns the kwargs
    for a subject, or None when the subject does not fit (then there is no target and the
    notification's own page is opened)."""

    url_name: str
    kwargs: Callable[[Any], dict | None] | None = None

    def path(self, *, subject, region_slug: str) -> str:
        if self.kwargs is None:
            return region_path(self.url_name, region_slug)
        kwargs = self.kwargs(subject) if subject is not None else None
        if kwargs is None:
            return ""
        return region_path(self.url_name, region_slug, **kwargs)


def subject_pk(kwarg: str, model: str) -> Callable[[Any], dict | None]:
    """Target kwargs `{kwarg: subject.pk}` when the subject is a `model` ("app_label.model")."""

    def kwargs(subject) -> dict | None:
        if subject is None or subject._meta.label_lower != model:
            return None
        return {kwarg: subject.pk}

    kwargs.__qualname__ = f"subject_pk({kwarg!r}, {model!r})"
    return kwargs


@dataclass(frozen=True)
class EmailParts:
    """What a kind adds to its email besides the plain-text and HTML bodies."""

    # (content, mimetype), e.g. (ics_text, "text/calendar; method=REQUEST")
    alternatives: tuple[tuple[str, str], ...] = ()
    # (filename, content, mimetype), e.g. ("invite.ics", ics_bytes, "application/ics")
    attachments: tuple[tuple[str, bytes, str], ...] = ()


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: Any  # a lazy translation
    icon: str = DEFAULT_ICON
    template: str = ""
    target: Target | None = None
    context: Callable[..., dict] | None = None
    about: Callable[..., str | None] | None = None
    email_parts: Callable[..., EmailParts | None] | None = None

    @property
    def email_template(self) -> str:
        return self.template or f"notifications/email/{self.key}.txt"


_registry: dict[str, NotificationKind] = {}


def register_kinds(*kinds: NotificationKind) -> None:
    """Add kinds to the registry (from an `AppConfig.ready()`). Registering an equal kind again
    is harmless; another kind under a taken key is a programming error."""
    for kind in kinds:
        key = str(kind.key)
        if not key or len(key) > KEY_MAX_LENGTH:
            raise ValueError(f"notification kind key {key!r} must have 1-{KEY_MAX_LENGTH} chars")
        existing = _registry.get(key)
        if existing is not None and existing != kind:
            raise ValueError(f"notification kind {key!r} is already registered")
        _registry[key] = kind


def registered_kinds() -> list[NotificationKind]:
    """Every registered kind, in registration order (apps in INSTALLED_APPS order)."""
    return list(_registry.values())


def is_registered(key: str) -> bool:
    return str(key) in _registry


def get_kind(key: str) -> NotificationKind:
    """The kind registered under `key`; ValueError for an unknown one (a programming error)."""
    try:
        return _registry[str(key)]
    except KeyError:
        raise ValueError(f"unknown notification kind {key!r}") from None


def kind_label(key: str):
    """The kind's label for the portal, or "" for a kind no app registers (any more)."""
    kind = _registry.get(str(key))
    return kind.label if kind is not None else ""


def kind_icon(key: str) -> str:
    kind = _registry.get(str(key))
    return kind.icon if kind is not None else DEFAULT_ICON
