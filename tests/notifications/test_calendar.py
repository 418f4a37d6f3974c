"""Integration: the ASN's calendar download (METHOD:PUBLISH, upcoming confirmed sessions)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories.training import EnrolmentFactory, OfferingFactory, SessionFactory
from training.calendar import employee_calendar_ics, invitation_ics
from training.models import Enrolment, Offering, Session


def _uids(ics: bytes) -> list[str]:
    return [str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")]


def test_calendar_lists_upcoming_sessions_of_confirmed_enrolments_only(
    region, employee, other_employee, in_region
):
    now = timezone.now()
    confirmed = OfferingFactory(region=region)
    EnrolmentFactory(region=region, offering=confirmed, employee=employee)
    upcoming = SessionFactory(region=region, offering=confirmed)
    cancelled = SessionFactory(region=region, offering=confirmed, status=Session.Status.CANCELLED)
    past = SessionFactory(
        region=region,
        offering=confirmed,
        starts_at=now - dt.timedelta(days=2),
        ends_at=now - dt.timedelta(days=2) + dt.timedelta(hours=2),
    )
    waiting = OfferingFactory(region=region)
    EnrolmentFactory(
        region=region, offering=waiting, employee=employee, status=Enrolment.Status.WAITLISTED
    )
    waiting_session = SessionFactory(region=region, offering=waiting)
    dropped = OfferingFactory(region=region, status=Offering.Status.CANCELLED)
    EnrolmentFactory(region=region, offering=dropped, employee=employee)
    dropped_session = SessionFactory(region=region, offering=dropped)
    someone_else = SessionFactory(region=region)
    EnrolmentFactory(region=region, offering=someone_else.offering)

    ics = employee_calendar_ics(employee=employee)
    calendar = Calendar.from_ical(ics)
    assert calendar["METHOD"] == "PUBLISH"
    assert _uids(ics) == [f"session-{upcoming.pk}@kompetensi"]
    for session in (cancelled, past, waiting_session, dropped_session, someone_else):
        assert f"session-{session.pk}@" not in ics.decode()


def test_offering_without_sessions_is_one_all_day_event(region, employee, in_region):
    offering = OfferingFactory(region=region)
    enrolment = EnrolmentFactory(region=region, offering=offering, employee=employee)
    (event,) = Calendar.from_ical(invitation_ics(enrolment=enrolment)).walk("VEVENT")
    assert str(event["UID"]) == f"offering-{offering.pk}@kompetensi"
    assert event.decoded("DTSTART") == offering.start_date
    assert event.decoded("DTEND") == offering.end_date + dt.timedelta(days=1)


def test_my_calendar_download(region, employee, login):
    offering = OfferingFactory(region=region)
    EnrolmentFactory(region=region, offering=offering, employee=employee)
    session = SessionFactory(region=region, offering=offering, title="Pembukaan")
    response = login(employee).get(reverse("training:my_calendar", args=[region.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert _uids(response.content) == [f"session-{session.pk}@kompetensi"]
    assert "Pembukaan" in response.content.decode()


def test_calendar_nav_link_partial(region, employee):
    from django.template.loader import render_to_string

    html = render_to_string("partials/nav/asn_calendar.html", {"current_region": region})
    assert reverse("training:my_calendar", args=[region.slug]) in html
