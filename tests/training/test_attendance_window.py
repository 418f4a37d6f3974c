"""Attendance is marked from the session's day (or a configured lead time), never hours
before; a running batch shows each participant's live attendance rate (issue 16 item 7)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from tests.factories.training import EnrolmentFactory, OfferingFactory, SessionFactory
from training.models import Attendance
from training.services.completion import attendance_save

pytestmark = pytest.mark.django_db


def _session(region, offering, starts_at):
    return SessionFactory(
        region=region,
        offering=offering,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
    )


@pytest.fixture
def batch(region):
    with scope(region=region):
        offering = OfferingFactory(region=region)
        enrolment = EnrolmentFactory(region=region, offering=offering)
    return offering, enrolment


def test_attendance_of_tomorrows_session_is_refused_with_a_clear_message(region, admin, batch):
    offering, enrolment = batch
    tomorrow = timezone.now() + dt.timedelta(days=1, hours=1)
    with scope(region=region):
        session = _session(region, offering, tomorrow)
        with pytest.raises(ValidationError, match="baru dapat dicatat mulai"):
            attendance_save(session=session, present_ids=[enrolment.pk], actor=admin.user)
        assert not Attendance.objects.exists()


def test_the_page_says_when_marking_opens_and_a_post_writes_nothing(region, admin, batch, login):
    offering, enrolment = batch
    with scope(region=region):
        session = _session(region, offering, timezone.now() + dt.timedelta(days=2))
    client = login(admin)
    page_url = reverse("training:session_attendance", args=[region.slug, session.pk])
    html = client.get(page_url).content.decode()
    assert "Sesi belum dimulai. Kehadiran dapat dicatat mulai" in html
    assert "Simpan presensi" not in html
    response = client.post(page_url, {"present": [enrolment.pk]}, follow=True)
    assert "baru dapat dicatat mulai" in response.content.decode()
    with scope(region=region):
        assert not Attendance.objects.exists()


def test_on_the_session_day_attendance_can_be_marked_before_it_starts(region, admin, batch):
    offering, enrolment = batch
    local_now = timezone.localtime()
    end_of_day = local_now.replace(hour=23, minute=59, second=0, microsecond=0)
    with scope(region=region):
        session = _session(region, offering, max(end_of_day, local_now))
        assert attendance_save(session=session, present_ids=[enrolment.pk], actor=admin.user) == 1


def test_a_configured_lead_time_replaces_the_session_day(region, admin, batch, settings):
    settings.KOMPETENSI_ATTENDANCE_OPENS_MINUTES = 30
    offering, enrolment = batch
    now = timezone.now()
    with scope(region=region):
        soon = _session(region, offering, now + dt.timedelta(minutes=10))
        later = _session(region, offering, now + dt.timedelta(hours=2))
        assert attendance_save(session=soon, present_ids=[enrolment.pk], actor=admin.user) == 1
        with pytest.raises(ValidationError):
            attendance_save(session=later, present_ids=[enrolment.pk], actor=admin.user)


def test_a_running_batch_shows_the_live_attendance_rate(region, admin, batch, login):
    offering, enrolment = batch
    now = timezone.now()
    with scope(region=region):
        first = _session(region, offering, now - dt.timedelta(days=1))
        _session(region, offering, now - dt.timedelta(hours=1))
        _session(region, offering, now + dt.timedelta(days=3))  # not held yet: not counted
        attendance_save(session=first, present_ids=[enrolment.pk], actor=admin.user)
    html = (
        login(admin)
        .get(reverse("training:offering_participants", args=[region.slug, offering.pk]))
        .content.decode()
    )
    assert "50%" in html and "1 dari 2 sesi" in html
