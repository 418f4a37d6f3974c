"""Integration: each kind's email (Indonesian text + HTML, absolute link) and the calendar
invitation that confirmations, changes and cancellations carry."""

import datetime as dt
import email
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope
from icalendar import Calendar

from evaluations.notifications import Kind as EvaluationKind
from regions.models import NotificationDelivery
from regions.notifications import build_email, notify, registered_kinds, render_message
from tests.factories.training import EnrolmentFactory, OfferingFactory, SessionFactory
from training.models import DevelopmentPlan, DevelopmentRecord, Enrolment, Session
from training.notifications import Kind

Status = NotificationDelivery.Status


@pytest.fixture
def offering(region):
    return OfferingFactory(
        region=region,
        program__title="Pelayanan Publik Prima",
        name="Angkatan I",
        venue="Aula BKPP",
    )


@pytest.fixture
def sessions(region, offering):
    start = timezone.make_aware(dt.datetime.combine(offering.start_date, dt.time(8, 30)))
    return [
        SessionFactory(
            region=region,
            offering=offering,
            title="Hari pertama",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
            sequence=2,
        ),
        SessionFactory(
            region=region,
            offering=offering,
            title="Hari kedua",
            starts_at=start + dt.timedelta(days=1),
            ends_at=start + dt.timedelta(days=1, hours=4),
        ),
    ]


@pytest.fixture
def enrolment(region, offering, employee):
    return EnrolmentFactory(region=region, offering=offering, employee=employee)


def _send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(**kwargs)
    assert len(mail.outbox) == 1, "exactly one email"
    return notification, mail.outbox[0]


def _calendar_parts(message):
    parsed = email.message_from_bytes(message.message().as_bytes())
    alternative = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    attachments = [p for p in parsed.walk() if p.get_filename() == "invite.ics"]
    return parsed, alternative, attachments


def _events(ics: bytes):
    calendar = Calendar.from_ical(ics)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_confirmation_email_is_indonesian_with_link_html_and_meeting_request(
    region, employee, enrolment, sessions, settings, django_capture_on_commit_callbacks
):
    settings.KOMPETENSI_BASE_URL = "https://kompetensi.semarangkota.go.id"
    settings.DEFAULT_FROM_EMAIL = "Kompetensi <noreply@semarangkota.go.id>"
    notification, message = _send(
        django_capture_on_commit_callbacks,
        recipient=employee,
        kind=Kind.ENROLMENT_CONFIRMED,
        subject=enrolment,
        context={"program": "Pelayanan Publik Prima", "offering": "Angkatan I"},
        dedup_key=f"enrolment:{enrolment.pk}:confirmed",
    )
    assert message.subject == "Pendaftaran terkonfirmasi: Pelayanan Publik Prima"
    assert "Yth. Siti Aminah," in message.body
    assert "Pendaftaran Anda telah terkonfirmasi" in message.body
    link = f"https://kompetensi.semarangkota.go.id/{region.slug}/pendaftaran-saya/{enrolment.pk}/"
    assert link in message.body
    assert "Aula BKPP" in message.body
    assert message.extra_headers["Message-ID"] == (
        f"<notification-{notification.pk}.email@kompetensi.semarangkota.go.id>"
    )
    html = dict((m, c) for c, m in message.alternatives)["text/html"]
    assert "<h1" in html and "Pendaftaran terkonfirmasi" in html
    assert f'href="{link}"' in html

    parsed, alternative, attachments = _calendar_parts(message)
    assert len(alternative) == 1
    assert alternative[0].get_param("method") == "REQUEST"
    assert len(attachments) == 1
    calendar, events = _events(attachments[0].get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    assert [str(e["UID"]) for e in events] == [
        f"session-{sessions[0].pk}@kompetensi",
        f"session-{sessions[1].pk}@kompetensi",
    ]
    first = events[0]
    assert first["SEQUENCE"] == 2
    assert first["STATUS"] == "CONFIRMED"
    assert first.decoded("DTSTART") == sessions[0].starts_at
    assert first.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert first["DTSTART"].to_ical().endswith(b"Z")
    assert str(first["ORGANIZER"]) == "mailto:noreply@semarangkota.go.id"
    assert first["ORGANIZER"].params["CN"] == region.agency_name
    attendee = first["ATTENDEE"]
    assert str(attendee) == f"mailto:{employee.email}"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"


def test_email_calendar_structure_is_what_outlook_and_gmail_expect(
    region, employee, enrolment, sessions, django_capture_on_commit_callbacks
):
    _notification, message = _send(
        django_capture_on_commit_callbacks,
        recipient=employee,
        kind=Kind.ENROLMENT_PROMOTED,
        subject=enrolment,
        dedup_key="promoted",
    )
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attachment = parsed.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    assert alternative.get_payload()[2].get_param("method") == "REQUEST"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"


def test_cancellation_carries_method_cancel_and_cancelled_events(
    region, employee, enrolment, sessions, django_capture_on_commit_callbacks
):
    with scope(region=region):
        Enrolment.objects.filter(pk=enrolment.pk).update(
            status=Enrolment.Status.CANCELLED, cancelled_at=timezone.now()
        )
    _notification, message = _send(
        django_capture_on_commit_callbacks,
        recipient=employee,
        kind=Kind.ENROLMENT_CANCELLED,
        subject=enrolment,
        context={"reason": "Bertugas ke luar kota"},
        dedup_key="cancelled",
    )
    assert "Alasan: Bertugas ke luar kota" in message.body
    _parsed, alternative, attachments = _calendar_parts(message)
    assert next(p for p in alternative if not p.get_filename()).get_param("method") == "CANCEL"
    calendar, events = _events(attachments[0].get_payload(decode=True))
    assert calendar["METHOD"] == "CANCEL"
    assert {str(e["UID"]) for e in events} == {f"session-{s.pk}@kompetensi" for s in sessions}
    assert {str(e["STATUS"]) for e in events} == {"CANCELLED"}


def test_session_change_updates_only_that_session_with_its_new_sequence(
    region, employee, enrolment, sessions, django_capture_on_commit_callbacks
):
    session = sessions[1]
    with scope(region=region):
        Session.objects.filter(pk=session.pk).update(location="Ruang Rapat 2", sequence=5)
    session.refresh_from_db()
    _notification, message = _send(
        django_capture_on_commit_callbacks,
        recipient=employee,
        kind=Kind.SESSION_CHANGED,
        subject=session,
        context={"changed": ["location"], "location": "Ruang Rapat 2"},
        dedup_key=f"session:{session.pk}:changed:5",
    )
    assert message.subject.startswith("Perubahan jadwal sesi: Hari kedua")
    assert "(tempat)" in message.body and "Ruang Rapat 2" in message.body
    _parsed, _alternative, attachments = _calendar_parts(message)
    calendar, events = _events(attachments[0].get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    assert len(events) == 1
    assert str(events[0]["UID"]) == f"session-{session.pk}@kompetensi"
    assert events[0]["SEQUENCE"] == 5
    assert str(events[0]["LOCATION"]) == "Ruang Rapat 2"


def test_cancelled_session_sends_cancel_for_that_uid(
    region, employee, enrolment, sessions, django_capture_on_commit_callbacks
):
    session = sessions[0]
    with scope(region=region):
        Session.objects.filter(pk=session.pk).update(
            status=Session.Status.CANCELLED, cancel_reason="Narasumber sakit", sequence=3
        )
    session.refresh_from_db()
    _notification, message = _send(
        django_capture_on_commit_callbacks,
        recipient=employee,
        kind=Kind.SESSION_CANCELLED,
        subject=session,
        context={"reason": "Narasumber sakit"},
        dedup_key="session-cancelled",
    )
    _parsed, _alternative, attachments = _calendar_parts(message)
    calendar, events = _events(attachments[0].get_payload(decode=True))
    assert calendar["METHOD"] == "CANCEL"
    assert [(str(e["UID"]), e["SEQUENCE"], str(e["STATUS"])) for e in events] == [
        (f"session-{session.pk}@kompetensi", 3, "CANCELLED")
    ]


def test_waitlisted_participant_gets_no_invitation(
    region, employee, offering, sessions, django_capture_on_commit_callbacks
):
    waiting = EnrolmentFactory(
        region=region,
        offering=offering,
        employee=employee,
        status=Enrolment.Status.WAITLISTED,
        confirmed_at=None,
    )
    _notification, message = _send(
        django_capture_on_commit_callbacks,
        recipient=employee,
        kind=Kind.SESSION_CHANGED,
        subject=sessions[0],
        dedup_key="waiting-change",
    )
    assert not [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert waiting.status == Enrolment.Status.WAITLISTED


def test_reminder_has_no_invitation(
    region, employee, enrolment, sessions, django_capture_on_commit_callbacks
):
    _notification, message = _send(
        django_capture_on_commit_callbacks,
        recipient=employee,
        kind=Kind.SESSION_REMINDER,
        subject=sessions[0],
        context={"lead": "1d"},
        dedup_key="reminder",
    )
    assert message.subject.startswith("Pengingat: Hari pertama")
    assert "kurang dari 24 jam" in message.body
    assert not message.attachments


def _subject_for(kind, region, employee, enrolment, sessions):
    if kind.startswith("session"):
        return sessions[0]
    if kind.startswith("offering") or kind == Kind.WINDOW_CLOSING:
        return enrolment.offering
    if kind.startswith("record"):
        from tests.factories.training import development_form

        with scope(region=region):
            return DevelopmentRecord.objects.create(
                region=region,
                employee=employee,
                year=2026,
                source="external",
                title="Webinar Arsip Digital",
                form=development_form(9),
                organiser="ANRI",
                start_date=dt.date(2026, 3, 1),
                end_date=dt.date(2026, 3, 1),
                jp=4,
                status=DevelopmentRecord.Status.VERIFIED,
            )
    if kind.startswith("plan"):
        with scope(region=region):
            return DevelopmentPlan.objects.create(region=region, employee=employee, year=2027)
    if kind in (Kind.APPROVAL_PENDING, Kind.JP_TARGET_ALERT, EvaluationKind.REPORT_READY):
        return employee
    return enrolment


# Every registered kind: training's, evaluations' (and any an app adds later).
@pytest.mark.parametrize("kind", [kind.key for kind in registered_kinds()])
def test_every_kind_renders_an_indonesian_subject_body_and_link(
    kind, region, employee, enrolment, sessions, settings
):
    settings.KOMPETENSI_BASE_URL = "https://portal.example.go.id"
    subject = _subject_for(kind, region, employee, enrolment, sessions)
    context = {
        "count": 2,
        "items": [],
        "audience": "self",
        "jp": 8,
        "target": 20,
        "shortfall": 12,
        "year": 2026,
        "days": 3,
        "lead": "3d",
        "closes": dt.date(2026, 12, 1),
        "seats_left": 4,
        "capacity": 20,
    }
    notification = notify(
        recipient=employee, kind=kind, subject=subject, context=context, dedup_key=f"render:{kind}"
    )
    with scope(region=region):
        message = render_message(notification)
        delivery = NotificationDelivery.objects.select_related(
            "notification__recipient__user", "notification__region"
        ).get(notification=notification, channel="email")
        built = build_email(delivery)
    assert message.subject and "{" not in message.subject and "None" not in message.subject
    assert len(message.text) > 40 and "{{" not in message.text and "None" not in message.text
    assert message.action
    assert message.url.startswith(f"https://portal.example.go.id/{region.slug}/")
    assert built.subject == message.subject
    assert message.url in built.body
    html = dict((m, c) for c, m in built.alternatives)["text/html"]
    assert message.url in html


def test_an_employee_who_chose_english_gets_english_emails(
    region, employee, enrolment, django_capture_on_commit_callbacks
):
    employee.user.language = "en"
    employee.user.save(update_fields=["language"])
    _notification, message = _send(
        django_capture_on_commit_callbacks,
        recipient=employee,
        kind=Kind.ENROLMENT_CONFIRMED,
        subject=enrolment,
        context={"program": "Pelayanan Publik Prima", "offering": "Angkatan I"},
        dedup_key=f"enrolment:{enrolment.pk}:confirmed",
    )
    assert message.subject == "Enrolment confirmed: Pelayanan Publik Prima"
    assert "Dear Siti Aminah," in message.body


def test_region_a_link_never_points_at_another_region(region, employee, enrolment):
    notification = notify(
        recipient=employee,
        kind=Kind.ENROLMENT_REJECTED,
        subject=enrolment,
        context={"reason": "Kuota penuh"},
        dedup_key="x",
    )
    with scope(region=region):
        message = render_message(notification)
    assert f"/{region.slug}/" in message.url
    assert "Alasan: Kuota penuh" in message.text


def test_caller_url_wins_over_the_default_link(region, employee, enrolment):
    notification = notify(
        recipient=employee,
        kind=Kind.CERTIFICATE_READY,
        subject=enrolment,
        context={"url": f"/{region.slug}/sertifikat/9/"},
        dedup_key="cert",
    )
    with scope(region=region):
        assert render_message(notification).url == (
            f"http://127.0.0.1:8000/{region.slug}/sertifikat/9/"
        )


def test_every_link_comes_from_the_one_configured_site_url(
    region, employee, enrolment, settings, django_capture_on_commit_callbacks
):
    """Issue 16 item 1: e-mails, certificate QR codes and report links share one address."""
    from training.services.certificates import verification_url

    settings.KOMPETENSI_BASE_URL = "http://127.0.0.1:8200/"
    _notification, message = _send(
        django_capture_on_commit_callbacks,
        recipient=employee,
        kind=Kind.ENROLMENT_CONFIRMED,
        subject=enrolment,
        context={"program": "Pelayanan Publik Prima", "offering": "Angkatan I"},
        dedup_key=f"enrolment:{enrolment.pk}:confirmed",
    )
    links = re.findall(r"https?://[^\s\"<>]+", message.body)
    assert links and all(link.startswith("http://127.0.0.1:8200/") for link in links)
    assert verification_url("ABCD-EFGH") == "http://127.0.0.1:8200/verifikasi/ABCD-EFGH/"
