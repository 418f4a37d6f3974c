"""Region routes of notification pages (bell, list, detail, mark read)."""

from regions.notifications import notify
from training.notifications import Kind


def build_leak(leak):
    if not hasattr(leak, "notification"):
        leak.notification = notify(
            recipient=leak.employee,
            kind=Kind.ENROLMENT_REJECTED,
            context={"reason": "Rahasia Binjai"},
            dedup_key=f"leak:{leak.employee.pk}:notification",
        )


ROUTES = {
    "notifications:list": lambda leak: {},
    "notifications:bell": lambda leak: {},
    "notifications:mark_all_read": lambda leak: {},
    "notifications:detail": lambda leak: {"pk": leak.notification.pk},
    "notifications:mark_read": lambda leak: {"pk": leak.notification.pk},
}
