"""Calendar invitations (iCalendar, RFC 5545 / iTIP RFC 5546) for training sessions.

Each session is one calendar event with a stable UID (`session-<id>@kompetensi`) and
SEQUENCE = `Session.sequence`, so a changed or cancelled session replaces the event the
attendee already has instead of adding a second one. Times are written in UTC.

- `invitation_ics(enrolment=..., method="REQUEST" | "CANCEL")`: the meeting request (or
  cancellation) mailed to one participant; Outlook and Google Calendar show it as a meeting.
- `employee_calendar_ics(employee=...)`: METHOD:PUBLISH, every upcoming session of the
  employee's confirmed enrolments, for download or subscription.

An offering without sessions is one all-day event over its dates (UID `offering-<id>@...`).
Outlook reads only the first event of an invitation; a multi-session offering therefore also
offers the personal calendar download, which carries every session.
"""

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from regions.models import Employee, Region
from regions.selectors import employee_email

from .models import Enrolment, Offering, Session

PRODID = "-//Kompetensi ASN//Kalender Pelatihan//ID"
UID_DOMAIN = "kompetensi"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"
METHODS = (REQUEST, CANCEL, PUBLISH)
# Offering-level events have no sequence column: minutes since this epoch grow with each edit.
_SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{UID_DOMAIN}"


def offering_uid(offering: Offering) -> str:
    return f"offering-{offering.pk}@{UID_DOMAIN}"


def _organizer(region: Region) -> vCalAddress:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'no-reply@kompetensi.local'}")
    organizer.params["cn"] = vText(region.agency_name or region.name)
    return organizer


def _attendee(employee: Employee, *, cancelled: bool) -> vCalAddress | None:
    address = employee_email(employee)
    if not address:
        return None
    attendee = vCalAddress(f"mailto:{address}")
    attendee.params["cn"] = vText(employee.name)
    attendee.params["cutype"] = "INDIVIDUAL"
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "NEEDS-ACTION"
    if not cancelled:
        attendee.params["rsvp"] = "TRUE"
    return attendee


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _description(offering: Offering, session: Session | None) -> str:
    lines = [f"{offering.program.title} – {offering.name}"]
    if session is not None and session.speaker_id:
        lines.append(_("Narasumber: %(name)s") % {"name": session.speaker.name})
    link = (session.online_link if session is not None else "") or offering.online_link
    if link:
        lines.append(_("Tautan daring: %(url)s") % {"url": link})
    if session is not None and session.status == Session.Status.CANCELLED and session.cancel_reason:
        lines.append(_("Alasan pembatalan: %(reason)s") % {"reason": session.cancel_reason})
    return "\n".join(lines)


def _base_event(
    *, uid: str, summary: str, sequence: int, cancelled: bool, attendee, organizer
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer is not None:
        event.add("organizer", organizer, encode=0)
    if attendee is not None:
        event.add("attendee", attendee, encode=0)
    return event


def session_events(
    *,
    sessions: Iterable[Session],
    region: Region,
    attendee: Employee | None = None,
    cancelled: bool = False,
    with_organizer: bool = True,
) -> list[Event]:
    """One VEVENT per session; `cancelled` marks all of them STATUS:CANCELLED.

    A session that is itself cancelled is always written as cancelled.
    """
    organizer = _organizer(region) if with_organizer else None
    events = []
    for session in sessions:
        offering = session.offering
        is_cancelled = cancelled or session.status == Session.Status.CANCELLED
        event = _base_event(
            uid=session_uid(session),
            summary=f"{offering.program.title}: {session.title}",
            sequence=session.sequence,
            cancelled=is_cancelled,
            attendee=_attendee(attendee, cancelled=is_cancelled) if attendee else None,
            organizer=organizer,
        )
        event.add("dtstart", _utc(session.starts_at))
        event.add("dtend", _utc(session.ends_at))
        location = session.location or offering.venue or session.online_link
        if location:
            event.add("location", location)
        link = session.online_link or offering.online_link
        if link:
            event.add("url", link)
        event.add("description", _description(offering, session))
        events.append(event)
    return events


def _offering_event(
    *, offering: Offering, region: Region, attendee: Employee | None, cancelled: bool
) -> Event:
    """An all-day event over the offering's dates, for an offering without sessions."""
    is_cancelled = cancelled or offering.status == Offering.Status.CANCELLED
    updated = offering.updated_at or timezone.now()
    event = _base_event(
        uid=offering_uid(offering),
        summary=f"{offering.program.title} – {offering.name}",
        sequence=max(0, int((updated - _SEQUENCE_EPOCH).total_seconds() // 60)),
        cancelled=is_cancelled,
        attendee=_attendee(attendee, cancelled=is_cancelled) if attendee else None,
        organizer=_organizer(region),
    )
    event.add("dtstart", offering.start_date)
    event.add("dtend", offering.end_date + dt.timedelta(days=1))
    if offering.venue:
        event.add("location", offering.venue)
    if offering.online_link:
        event.add("url", offering.online_link)
    event.add("description", _description(offering, None))
    return event


def _calendar(method: str, *, name: str = "") -> Calendar:
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def invitation_ics(
    *, enrolment: Enrolment, method: str = REQUEST, session: Session | None = None
) -> bytes:
    """The meeting request (REQUEST) or cancellation (CANCEL) for one participant.

    With `session`, only that session (one UID, as iTIP prefers for a changed session);
    otherwise every session of the offering. Cancelled sessions are sent as cancelled.
    """
    offering = enrolment.offering
    region = offering.region
    calendar = _calendar(method)
    cancelled = method == CANCEL
    if session is not None:
        sessions = [session]
    else:
        sessions = list(
            Session.objects.filter(offering=offering)
            .select_related("offering__program", "speaker")
            .order_by("starts_at", "id")
        )
    if sessions:
        for event in session_events(
            sessions=sessions, region=region, attendee=enrolment.employee, cancelled=cancelled
        ):
            calendar.add_component(event)
    else:
        calendar.add_component(
            _offering_event(
                offering=offering, region=region, attendee=enrolment.employee, cancelled=cancelled
            )
        )
    return calendar.to_ical()


def employee_upcoming_sessions(*, employee: Employee, now: dt.datetime | None = None):
    """Upcoming, not cancelled sessions of the employee's confirmed enrolments."""
    now = now or timezone.now()
    offering_ids = Enrolment.objects.filter(
        employee=employee, status=Enrolment.Status.CONFIRMED
    ).values("offering_id")
    return (
        Session.objects.filter(
            offering_id__in=offering_ids, status=Session.Status.SCHEDULED, ends_at__gte=now
        )
        .exclude(offering__status=Offering.Status.CANCELLED)
        .select_related("offering__program", "speaker")
        .order_by("starts_at", "id")
    )


def employee_calendar_ics(*, employee: Employee) -> bytes:
    """METHOD:PUBLISH with every upcoming session of the employee's confirmed enrolments."""
    region = employee.region
    calendar = _calendar(PUBLISH, name=_("Pelatihan saya · %(region)s") % {"region": region.name})
    for event in session_events(
        sessions=employee_upcoming_sessions(employee=employee),
        region=region,
        with_organizer=True,
    ):
        calendar.add_component(event)
    return calendar.to_ical()
