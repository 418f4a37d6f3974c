"""Integration: the admin catalogue pages (programmes, offerings, sessions, unit quotas).

Pages are driven as a real admin would: GET the form, POST it, follow the redirect. Bad input
shows an Indonesian message and writes nothing; list pages keep a constant query count.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from tests.factories.training import (
    CompetencyFactory,
    OfferingFactory,
    ProgramFactory,
    SessionFactory,
    SpeakerFactory,
    enrol,
    jakarta,
)
from training.models import Enrolment, Offering, OfferingUnitQuota, Program, Session

S = Enrolment.Status


def url(name, region, *args):
    return reverse(f"training:{name}", args=[region.slug, *args])


def _program_post(**overrides):
    data = {
        "code": "PT-2026-01",
        "title": "Pelayanan Publik Prima",
        "description": "Pelatihan layanan.",
        "form": "3",
        "competency_type": "teknis",
        "jp": "24",
        "delivery_mode": "tatap_muka",
        "planned_budget": "15000000",
    }
    data.update(overrides)
    return data


def _offering_post(**overrides):
    start = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "name": "Angkatan I",
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=2)).isoformat(),
        "enrolment_opens": timezone.localdate().isoformat(),
        "enrolment_closes": (start - dt.timedelta(days=1)).isoformat(),
        "seats": "30",
        "requires_approval": "on",
        "has_waitlist": "on",
        "venue": "Aula BKPP",
        "cost_per_participant": "0",
        "min_attendance_percent": "80",
        "cancel_cutoff_days": "1",
    }
    data.update(overrides)
    return data


def _body(response) -> str:
    return response.content.decode()


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["program_list", "program_create", "offering_list"])
def test_admin_pages_are_forbidden_to_asn(name, region, employee, login):
    assert login(employee).get(url(name, region)).status_code == 403


def test_asn_cannot_publish_a_programme(region, employee, login):
    program = ProgramFactory(region=region, status=Program.Status.DRAFT)
    assert login(employee).post(url("program_publish", region, program.pk)).status_code == 403
    with scope(region=region):
        program.refresh_from_db()
    assert program.status == Program.Status.DRAFT


# --- Programmes --------------------------------------------------------------------------------


def test_create_edit_publish_and_archive_a_programme(region, admin, login):
    client = login(admin)
    competency = CompetencyFactory(region=region)
    assert client.get(url("program_create", region)).status_code == 200
    response = client.post(
        url("program_create", region),
        _program_post(competencies=[str(competency.pk)], target_position_types=["pelaksana"]),
        follow=True,
    )
    assert response.status_code == 200
    assert "disimpan sebagai draf" in _body(response)
    with scope(region=region):
        program = Program.objects.get(code="PT-2026-01")
        assert program.status == Program.Status.DRAFT
        assert list(program.competencies.all()) == [competency]

    response = client.post(
        url("program_edit", region, program.pk), _program_post(title="Judul Baru", jp="32")
    )
    assert response.status_code == 302
    with scope(region=region):
        program.refresh_from_db()
    assert (program.title, program.jp) == ("Judul Baru", 32)

    assert client.get(url("program_publish", region, program.pk)).status_code == 200
    response = client.post(url("program_publish", region, program.pk), follow=True)
    assert "telah terbit" in _body(response)
    response = client.post(url("program_archive", region, program.pk), follow=True)
    assert "telah diarsipkan" in _body(response)
    with scope(region=region):
        program.refresh_from_db()
    assert program.status == Program.Status.ARCHIVED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"jp": "0"}, "Jumlah JP harus lebih dari 0."),
        ({"planned_budget": "-100"}, "Anggaran tidak boleh negatif."),
        ({"title": ""}, "Bidang ini harus diisi."),
    ],
)
def test_programme_bad_input_shows_a_message_and_saves_nothing(
    region, admin, login, overrides, message
):
    response = login(admin).post(url("program_create", region), _program_post(**overrides))
    assert response.status_code == 200
    assert message in _body(response)
    with scopes_disabled():
        assert not Program.objects.exists()


def test_duplicate_code_is_shown_on_the_form(region, admin, login):
    ProgramFactory(region=region, code="PT-2026-01")
    response = login(admin).post(url("program_create", region), _program_post())
    assert "Kode program PT-2026-01 sudah dipakai." in _body(response)
    with scopes_disabled():
        assert Program.objects.count() == 1


def test_archiving_with_an_open_offering_is_refused_with_a_message(region, admin, login):
    program = ProgramFactory(region=region)
    OfferingFactory(region=region, program=program, name="Angkatan Buka")
    response = login(admin).post(url("program_archive", region, program.pk), follow=True)
    assert "tidak dapat diarsipkan" in _body(response)
    with scope(region=region):
        program.refresh_from_db()
    assert program.status == Program.Status.PUBLISHED


def test_programme_list_search_and_filters(region, other_region, admin, login):
    ProgramFactory(region=region, title="Kearsipan Digital", status=Program.Status.DRAFT)
    ProgramFactory(region=region, title="Keuangan Daerah", form_id=8)
    ProgramFactory(region=other_region, title="Kearsipan Binjai")
    client = login(admin)

    def titles(**params):
        response = client.get(url("program_list", region), params)
        return [p.title for p in response.context["page"].object_list]

    assert titles() == ["Kearsipan Digital", "Keuangan Daerah"]
    assert titles(q="arsip") == ["Kearsipan Digital"]
    assert titles(status="published") == ["Keuangan Daerah"]
    assert titles(form="8") == ["Keuangan Daerah"]
    assert titles(status="tidak-ada", form="abc") == ["Kearsipan Digital", "Keuangan Daerah"]


# --- Offerings ---------------------------------------------------------------------------------


def test_create_an_offering_then_open_it(region, admin, login):
    program = ProgramFactory(region=region)
    speaker = SpeakerFactory(region=region)
    client = login(admin)
    page = client.get(url("offering_create", region, program.pk))
    assert page.status_code == 200
    response = client.post(
        url("offering_create", region, program.pk),
        _offering_post(speakers=[str(speaker.pk)]),
        follow=True,
    )
    assert "ditambahkan dengan status direncanakan" in _body(response)
    with scope(region=region):
        offering = Offering.objects.get(program=program)
        assert list(offering.speakers.all()) == [speaker]
    assert offering.status == Offering.Status.PLANNED
    assert offering.requires_approval is True

    response = client.post(url("offering_open", region, offering.pk), follow=True)
    assert "dibuka" in _body(response)
    with scope(region=region):
        offering.refresh_from_db()
    assert offering.status == Offering.Status.OPEN


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": timezone.localdate().isoformat()}, "Tanggal selesai tidak boleh sebelum"),
        (
            {"enrolment_opens": (timezone.localdate() + dt.timedelta(days=31)).isoformat()},
            "Pendaftaran harus dibuka paling lambat",
        ),
        ({"seats": "0"}, "Kuota peserta paling sedikit 1."),
        ({"cost_per_participant": "-1"}, "Biaya per peserta tidak boleh negatif."),
    ],
)
def test_offering_bad_input_shows_a_message_and_saves_nothing(
    region, admin, login, overrides, message
):
    program = ProgramFactory(region=region)
    response = login(admin).post(
        url("offering_create", region, program.pk), _offering_post(**overrides)
    )
    assert response.status_code == 200
    assert message in _body(response)
    with scopes_disabled():
        assert not Offering.objects.exists()


def test_speaker_of_another_region_is_not_accepted(region, other_region, admin, login):
    program = ProgramFactory(region=region)
    foreign = SpeakerFactory(region=other_region)
    response = login(admin).post(
        url("offering_create", region, program.pk), _offering_post(speakers=[str(foreign.pk)])
    )
    assert response.status_code == 200
    assert "Narasumber yang dipilih tidak terdaftar (aktif) di wilayah ini." in _body(response)
    with scopes_disabled():
        assert not Offering.objects.exists()


def test_opening_an_offering_of_a_draft_programme_is_refused(region, admin, login):
    program = ProgramFactory(region=region, status=Program.Status.DRAFT)
    offering = OfferingFactory(region=region, program=program, status=Offering.Status.PLANNED)
    response = login(admin).post(url("offering_open", region, offering.pk), follow=True)
    assert "hanya dapat dibuka bila programnya sudah terbit" in _body(response)
    with scope(region=region):
        offering.refresh_from_db()
    assert offering.status == Offering.Status.PLANNED


def test_seats_below_confirmed_are_refused_on_the_edit_page(region, admin, login):
    offering = OfferingFactory(region=region, seats=5)
    for _ in range(3):
        enrol(offering, S.CONFIRMED)
    post = _offering_post(
        name=offering.name,
        start_date=offering.start_date.isoformat(),
        end_date=offering.end_date.isoformat(),
        enrolment_opens=offering.enrolment_opens.isoformat(),
        enrolment_closes=offering.enrolment_closes.isoformat(),
        seats="2",
    )
    response = login(admin).post(url("offering_edit", region, offering.pk), post)
    assert response.status_code == 200
    assert "tidak boleh kurang dari 3 peserta yang sudah terkonfirmasi" in _body(response)
    with scope(region=region):
        offering.refresh_from_db()
    assert offering.seats == 5


def test_cancel_an_offering_through_the_page(region, admin, login):
    offering = OfferingFactory(region=region)
    enrolment = enrol(offering, S.CONFIRMED)
    client = login(admin)
    assert client.get(url("offering_cancel", region, offering.pk)).status_code == 200
    response = client.post(url("offering_cancel", region, offering.pk), {"reason": ""})
    assert "Alasan pembatalan wajib diisi." in _body(response)
    with scope(region=region):
        offering.refresh_from_db()
    assert offering.status == Offering.Status.OPEN

    response = client.post(
        url("offering_cancel", region, offering.pk), {"reason": "Anggaran dialihkan"}, follow=True
    )
    assert "dibatalkan" in _body(response)
    with scope(region=region):
        offering.refresh_from_db()
        enrolment.refresh_from_db()
    assert offering.status == Offering.Status.CANCELLED
    assert enrolment.status == S.CANCELLED
    # A cancelled offering is read-only: the edit page sends the admin back with a message.
    response = client.get(url("offering_edit", region, offering.pk), follow=True)
    assert "tidak dapat diubah lagi" in _body(response)


def test_copy_an_offering_through_the_page(region, admin, login):
    offering = OfferingFactory(region=region, status=Offering.Status.COMPLETED)
    SessionFactory(region=region, offering=offering)
    new_start = offering.start_date + dt.timedelta(days=60)
    client = login(admin)
    assert client.get(url("offering_copy", region, offering.pk)).status_code == 200
    response = client.post(
        url("offering_copy", region, offering.pk),
        {"name": "Angkatan II", "start_date": new_start.isoformat()},
    )
    assert response.status_code == 302
    with scope(region=region):
        copy = Offering.objects.get(name="Angkatan II")
        assert copy.sessions.count() == 1
    assert copy.start_date == new_start
    assert copy.status == Offering.Status.PLANNED


def test_offering_detail_shows_sessions_quotas_speakers_and_counts(region, admin, login, unit):
    offering = OfferingFactory(region=region, seats=10)
    speaker = SpeakerFactory(region=region, name="Dr. Ratna Sari")
    with scopes_disabled():
        offering.speakers.add(speaker)
        OfferingUnitQuota.objects.create(region=region, offering=offering, unit=unit, seats=4)
    SessionFactory(region=region, offering=offering, title="Sesi Pembukaan", speaker=speaker)
    enrol(offering, S.CONFIRMED)
    enrol(offering, S.WAITLISTED)
    response = login(admin).get(url("offering_detail", region, offering.pk))
    assert response.status_code == 200
    body = _body(response)
    for text in ("Sesi Pembukaan", "Dr. Ratna Sari", unit.name):
        assert text in body
    shown = response.context["offering"]
    assert (shown.seats_total, shown.seats_taken, shown.seats_left) == (14, 1, 13)
    assert (shown.waitlisted_count, shown.participant_count) == (1, 2)


# --- Unit quotas -------------------------------------------------------------------------------


def test_unit_quota_add_and_remove_through_the_page(region, admin, login, unit, other_unit):
    offering = OfferingFactory(region=region)
    client = login(admin)
    response = client.post(
        url("offering_quota_set", region, offering.pk), {"unit": other_unit.pk, "seats": "2"}
    )
    assert response.status_code == 400
    assert "Unit yang dipilih tidak ada atau tidak aktif di wilayah ini." in _body(response)
    response = client.post(
        url("offering_quota_set", region, offering.pk), {"unit": unit.pk, "seats": "0"}
    )
    assert "Kursi khusus paling sedikit 1." in _body(response)
    with scopes_disabled():
        assert not OfferingUnitQuota.objects.exists()

    response = client.post(
        url("offering_quota_set", region, offering.pk), {"unit": unit.pk, "seats": "3"}
    )
    assert response.status_code == 302
    with scope(region=region):
        quota = OfferingUnitQuota.objects.get(offering=offering)
    assert quota.seats == 3
    response = client.post(url("offering_quota_remove", region, quota.pk), follow=True)
    assert "dihapus" in _body(response)
    with scopes_disabled():
        assert not OfferingUnitQuota.objects.exists()


# --- Sessions ----------------------------------------------------------------------------------


def test_session_create_edit_and_cancel_through_the_pages(region, admin, login):
    offering = OfferingFactory(region=region)
    day = offering.start_date
    client = login(admin)
    assert client.get(url("session_create", region, offering.pk)).status_code == 200
    bad = client.post(
        url("session_create", region, offering.pk),
        {"title": "Materi", "starts_at": f"{day}T12:00", "ends_at": f"{day}T09:00"},
    )
    assert "Waktu selesai sesi harus setelah waktu mulai." in _body(bad)
    with scopes_disabled():
        assert not Session.objects.exists()

    response = client.post(
        url("session_create", region, offering.pk),
        {"title": "Materi", "starts_at": f"{day}T09:00", "ends_at": f"{day}T12:00"},
    )
    assert response.status_code == 302
    with scope(region=region):
        session = Session.objects.get(offering=offering)
    assert session.starts_at == jakarta(day.year, day.month, day.day, 9)

    response = client.post(
        url("session_edit", region, session.pk),
        {"title": "Materi inti", "starts_at": f"{day}T10:00", "ends_at": f"{day}T12:00"},
    )
    assert response.status_code == 302
    with scope(region=region):
        session.refresh_from_db()
    assert (session.title, session.sequence) == ("Materi inti", 1)

    response = client.post(url("session_cancel", region, session.pk), {"reason": ""})
    assert "Alasan pembatalan wajib diisi." in _body(response)
    client.post(url("session_cancel", region, session.pk), {"reason": "Hari libur"})
    with scope(region=region):
        session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (Session.Status.CANCELLED, "Hari libur")


def test_recurring_sessions_through_the_page(region, admin, login):
    start = timezone.localdate() + dt.timedelta(days=14)
    start += dt.timedelta(days=(1 - start.weekday()) % 7)  # a Tuesday
    offering = OfferingFactory(
        region=region, start_date=start, end_date=start + dt.timedelta(days=41)
    )
    client = login(admin)
    assert client.get(url("session_recurring", region, offering.pk)).status_code == 200
    response = client.post(
        url("session_recurring", region, offering.pk),
        {
            "title": "Kelas",
            "first_date": start.isoformat(),
            "weekdays": ["1"],
            "start_time": "09:00",
            "end_time": "12:00",
            "weeks": "6",
        },
        follow=True,
    )
    assert "6 sesi dibuat." in _body(response)
    with scope(region=region):
        assert Session.objects.filter(offering=offering).count() == 6


# --- Query counts ------------------------------------------------------------------------------


def _queries(client, target) -> int:
    client.get(target)  # warm per-process caches (content types, sessions) first
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


def _offering_with_activity(region, program=None, unit=None):
    offering = OfferingFactory(region=region, **({"program": program} if program else {}))
    speaker = SpeakerFactory(region=region)
    with scopes_disabled():
        offering.speakers.add(speaker)
    SessionFactory(region=region, offering=offering, speaker=speaker)
    enrol(offering, S.CONFIRMED)
    return offering


def test_programme_list_query_count_is_constant(region, admin, login, django_assert_num_queries):
    client = login(admin)
    target = url("program_list", region)
    _offering_with_activity(region)
    once = _queries(client, target)
    _offering_with_activity(region)
    _offering_with_activity(region)
    with django_assert_num_queries(once):
        response = client.get(target)
    assert len(response.context["page"].object_list) == 3


def test_offering_list_query_count_is_constant(region, admin, login, django_assert_num_queries):
    client = login(admin)
    target = url("offering_list", region)
    _offering_with_activity(region)
    once = _queries(client, target)
    _offering_with_activity(region)
    _offering_with_activity(region)
    with django_assert_num_queries(once):
        response = client.get(target)
    assert len(response.context["page"].object_list) == 3


def test_programme_detail_query_count_is_constant(region, admin, login, django_assert_num_queries):
    program = ProgramFactory(region=region)
    with scopes_disabled():
        program.competencies.add(CompetencyFactory(region=region))
    client = login(admin)
    target = url("program_detail", region, program.pk)
    _offering_with_activity(region, program)
    once = _queries(client, target)
    _offering_with_activity(region, program)
    _offering_with_activity(region, program)
    with django_assert_num_queries(once):
        response = client.get(target)
    assert len(response.context["page"].object_list) == 3


def test_offering_detail_query_count_is_constant(region, admin, login, django_assert_num_queries):
    from tests.factories.regions import UnitFactory

    offering = OfferingFactory(region=region)
    client = login(admin)
    target = url("offering_detail", region, offering.pk)

    def add_rows():
        speaker = SpeakerFactory(region=region)
        with scopes_disabled():
            offering.speakers.add(speaker)
            OfferingUnitQuota.objects.create(
                region=region, offering=offering, unit=UnitFactory(region=region), seats=2
            )
        SessionFactory(region=region, offering=offering, speaker=speaker)
        enrol(offering, S.CONFIRMED)

    add_rows()
    once = _queries(client, target)
    add_rows()
    add_rows()
    with django_assert_num_queries(once):
        response = client.get(target)
    assert len(response.context["sessions"]) == 3


def test_editing_keeps_a_speaker_deactivated_since(region, admin, login):
    offering = OfferingFactory(region=region)
    speaker = SpeakerFactory(region=region, is_active=False)
    with scopes_disabled():
        offering.speakers.add(speaker)
    post = _offering_post(
        name=offering.name,
        start_date=offering.start_date.isoformat(),
        end_date=offering.end_date.isoformat(),
        enrolment_opens=offering.enrolment_opens.isoformat(),
        enrolment_closes=offering.enrolment_closes.isoformat(),
        speakers=[str(speaker.pk)],
        venue="Ruang Rapat Lt. 2",
    )
    response = login(admin).post(url("offering_edit", region, offering.pk), post)
    assert response.status_code == 302
    with scope(region=region):
        offering.refresh_from_db()
        assert list(offering.speakers.all()) == [speaker]
    assert offering.venue == "Ruang Rapat Lt. 2"
    # A new offering cannot pick the inactive speaker.
    response = login(admin).post(
        url("offering_create", region, offering.program.pk),
        _offering_post(name="Angkatan Baru", speakers=[str(speaker.pk)]),
    )
    assert "Narasumber yang dipilih tidak terdaftar (aktif) di wilayah ini." in _body(response)


def test_every_admin_page_renders_for_the_admin(region, admin, login, unit):
    offering = OfferingFactory(region=region)
    program = offering.program
    session = SessionFactory(region=region, offering=offering)
    with scopes_disabled():
        quota = OfferingUnitQuota.objects.create(
            region=region, offering=offering, unit=unit, seats=2
        )
    client = login(admin)
    pages = [
        url("program_list", region),
        url("program_create", region),
        url("program_detail", region, program.pk),
        url("program_edit", region, program.pk),
        url("program_publish", region, program.pk),
        url("program_archive", region, program.pk),
        url("offering_create", region, program.pk),
        url("offering_list", region),
        url("offering_detail", region, offering.pk),
        url("offering_edit", region, offering.pk),
        url("offering_copy", region, offering.pk),
        url("offering_open", region, offering.pk),
        url("offering_start", region, offering.pk),
        url("offering_cancel", region, offering.pk),
        url("offering_quota_remove", region, quota.pk),
        url("session_create", region, offering.pk),
        url("session_recurring", region, offering.pk),
        url("session_edit", region, session.pk),
        url("session_cancel", region, session.pk),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    # Nothing changed by looking.
    with scope(region=region):
        offering.refresh_from_db()
        session.refresh_from_db()
    assert offering.status == Offering.Status.OPEN
    assert session.status == Session.Status.SCHEDULED


def test_national_viewer_browses_the_catalogue_without_enrol_buttons(region, login):
    from tests.factories.regions import UserFactory

    viewer = UserFactory(is_national_viewer=True)
    offering = OfferingFactory(region=region)
    client = login(viewer)
    assert client.get(url("catalogue", region)).status_code == 200
    page = client.get(url("catalogue_program", region, offering.program.pk))
    assert page.status_code == 200
    assert reverse("training:offering_enrol", args=[region.slug, offering.pk]) not in _body(page)
    assert client.get(url("program_list", region)).status_code == 403


# --- One flow: publish, add a batch, open it (issue 16 item 11) ---------------------------------


def test_publish_then_add_a_batch_and_open_it_in_two_screens(client, region, admin):
    with scope(region=region):
        program = ProgramFactory(region=region, status=Program.Status.DRAFT)
    client.force_login(admin.user)
    publish = reverse("training:program_publish", args=[region.slug, program.pk])
    assert "Terbitkan lalu tambah angkatan" in _body(client.get(publish))
    response = client.post(publish, {"then": "second"})
    create = reverse("training:offering_create", args=[region.slug, program.pk])
    assert response.status_code == 302 and response["Location"] == create
    assert "Simpan dan buka pendaftaran" in _body(client.get(create))
    response = client.post(create, _offering_post(then="open"), follow=True)
    assert "ditambahkan dan pendaftarannya dibuka" in _body(response)
    with scope(region=region):
        assert Offering.objects.get(program=program).status == Offering.Status.OPEN


def test_save_and_open_is_all_or_nothing(client, region, admin):
    with scope(region=region):
        program = ProgramFactory(region=region, status=Program.Status.DRAFT)
    client.force_login(admin.user)
    create = reverse("training:offering_create", args=[region.slug, program.pk])
    response = client.post(create, _offering_post(then="open"))
    assert response.status_code == 200
    assert "Angkatan hanya dapat dibuka bila programnya sudah terbit" in _body(response)
    with scope(region=region):
        assert not Offering.objects.filter(program=program).exists()  # nothing half-written
