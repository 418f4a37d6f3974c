"""Helpers for the catalogue tests: enrolments in a given state and what was notified."""

import datetime as dt

from django.utils import timezone
from django_scopes import scopes_disabled

from regions.models import Notification
from training.models import Enrolment

from .factories import EmployeeFactory
from .factories_training import EnrolmentFactory


def enrol(offering, status=Enrolment.Status.CONFIRMED, *, employee=None, reserved_unit=None):
    """An enrolment of a new (or the given) employee of the offering's region in `status`."""
    employee = employee or EmployeeFactory(region=offering.region)
    return EnrolmentFactory(
        region=offering.region,
        offering=offering,
        employee=employee,
        status=status,
        reserved_unit=reserved_unit,
        waitlisted_at=timezone.now() if status == Enrolment.Status.WAITLISTED else None,
    )


def notified(caplog) -> set[tuple[str, int]]:
    """(kind, employee id) of every notify() call so far: read from the recorded notifications
    when the delivery service stores them, else from notify()'s log line."""
    with scopes_disabled():
        pairs = {
            (kind, pk) for kind, pk in Notification.objects.values_list("kind", "recipient_id")
        }
    for record in caplog.records:
        # notify() lives in the regions.notifications package (regions.notifications.service).
        if record.name.startswith("regions.notifications") and str(record.msg).startswith(
            "notify "
        ):
            pairs.add((str(record.args[0]), record.args[1]))
    return pairs


def jakarta(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())
