"""Integration: the catalogue services (programmes, offerings, sessions, unit quotas).

Each refused change checks both the Indonesian message and that nothing was written.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from regions.models import Notification
from tests.factories.regions import EmployeeFactory, UnitFactory
from tests.factories.training import (
    CompetencyFactory,
    OfferingFactory,
    ProgramFactory,
    ProviderFactory,
    SessionFactory,
    SpeakerFactory,
    development_form,
    enrol,
    jakarta,
    notified,
)
from training.models import (
    Enrolment,
    HistoryEvent,
    Offering,
    OfferingUnitQuota,
    Program,
    Session,
)
from training.notifications import Kind
from training.selectors.history import history_for
from training.services import catalogue as services
from training.services import programmes

S = Enrolment.Status


def _messages(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


def _program_data(**overrides):
    data = {
        "code": "PT-01",
        "title": "Pelayanan Publik Prima",
        "form": development_form(3),
        "competency_type": "teknis",
        "jp": 24,
        "delivery_mode": "tatap_muka",
    }
    data.update(overrides)
    return data


def _offering_data(**overrides):
    start = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "name": "Angkatan I",
        "start_date": start,
        "end_date": start + dt.timedelta(days=2),
        "enrolment_opens": timezone.localdate(),
        "enrolment_closes": start - dt.timedelta(days=1),
        "seats": 30,
    }
    data.update(overrides)
    return data


# --- Programmes --------------------------------------------------------------------------------


def test_program_create_is_a_draft_with_its_competencies_and_targets(in_region, admin, unit):
    competency = CompetencyFactory(region=in_region)
    provider = ProviderFactory(region=in_region)
    program = programmes.program_create(
        region=in_region,
        actor=admin.user,
        competencies=[competency],
        target_units=[unit],
        target_position_types=["pelaksana"],
        provider=provider,
        planned_budget=Decimal("15000000"),
        **_program_data(),
    )
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT
    assert program.created_by == admin.user
    assert list(program.competencies.all()) == [competency]
    assert list(program.target_units.all()) == [unit]
    assert program.target_position_types == ["pelaksana"]
    assert program.provider == provider


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"jp": 0}, "Jumlah JP harus lebih dari 0."),
        ({"jp": -3}, "Jumlah JP harus lebih dari 0."),
        ({"planned_budget": Decimal("-1")}, "Anggaran tidak boleh negatif."),
        ({"title": "  "}, "Judul program wajib diisi."),
        ({"target_min_golongan": 41, "target_max_golongan": 31}, "Golongan maksimal"),
    ],
)
def test_program_create_refuses_bad_input(in_region, overrides, message):
    with pytest.raises(ValidationError) as exc:
        programmes.program_create(region=in_region, **_program_data(**overrides))
    assert message in _messages(exc)
    assert not Program.objects.exists()


def test_program_create_refuses_other_regions_objects(in_region, other_region, other_unit):
    foreign_provider = ProviderFactory(region=other_region)
    foreign_competency = CompetencyFactory(region=other_region)
    cases = [
        ({"provider": foreign_provider}, "Penyelenggara harus mitra dari wilayah ini."),
        ({"competencies": [foreign_competency]}, "Kompetensi harus dari kamus nasional"),
        ({"target_units": [other_unit]}, "Unit sasaran harus berada di wilayah ini."),
    ]
    for overrides, message in cases:
        with pytest.raises(ValidationError) as exc:
            programmes.program_create(region=in_region, **_program_data(**overrides))
        assert message in _messages(exc)
    assert not Program.objects.exists()


def test_program_code_is_unique_in_the_region_only(in_region, other_region):
    ProgramFactory(region=other_region, code="PT-01")
    programmes.program_create(region=in_region, **_program_data(code="PT-01"))
    with pytest.raises(ValidationError) as exc:
        programmes.program_create(region=in_region, **_program_data(code="pt-01", title="Lain"))
    assert "Kode program pt-01 sudah dipakai." in _messages(exc)
    assert Program.objects.count() == 1


def test_program_update_changes_fields_and_competencies(in_region):
    program = ProgramFactory(region=in_region, status=Program.Status.DRAFT)
    competency = CompetencyFactory(region=in_region)
    programmes.program_update(program=program, title="Judul Baru", jp=32, competencies=[competency])
    program.refresh_from_db()
    assert (program.title, program.jp) == ("Judul Baru", 32)
    assert list(program.competencies.all()) == [competency]


def test_program_update_refuses_bad_input_and_archived_programmes(in_region):
    program = ProgramFactory(region=in_region, jp=24)
    with pytest.raises(ValidationError) as exc:
        programmes.program_update(program=program, jp=0)
    assert "Jumlah JP harus lebih dari 0." in _messages(exc)
    program.refresh_from_db()
    assert program.jp == 24

    program.status = Program.Status.ARCHIVED
    program.save()
    with pytest.raises(ValidationError) as exc:
        programmes.program_update(program=program, title="Baru")
    assert "diarsipkan tidak dapat diubah" in _messages(exc)


def test_publish_requires_a_complete_programme(in_region, admin):
    program = ProgramFactory(region=in_region, status=Program.Status.DRAFT, title="")
    with pytest.raises(ValidationError) as exc:
        programmes.program_publish(program=program, actor=admin.user)
    assert "Program belum lengkap untuk diterbitkan; lengkapi: judul." in _messages(exc)
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT
    assert not HistoryEvent.objects.exists()


def test_publish_and_archive_write_history(in_region, admin):
    program = ProgramFactory(region=in_region, status=Program.Status.DRAFT)
    programmes.program_publish(program=program, actor=admin.user)
    programmes.program_archive(program=program, actor=admin.user)
    program.refresh_from_db()
    assert program.status == Program.Status.ARCHIVED
    events = [(e.action, e.from_status, e.to_status) for e in history_for(subject=program)]
    assert events == [("published", "draft", "published"), ("archived", "published", "archived")]
    with pytest.raises(ValidationError):
        programmes.program_archive(program=program, actor=admin.user)


@pytest.mark.parametrize("status", [Offering.Status.OPEN, Offering.Status.RUNNING])
def test_archiving_with_an_open_or_running_offering_is_refused(in_region, status):
    program = ProgramFactory(region=in_region)
    OfferingFactory(region=in_region, program=program, status=status, name="Angkatan III")
    with pytest.raises(ValidationError) as exc:
        programmes.program_archive(program=program)
    assert "masih ada angkatan yang dibuka atau sedang berlangsung: Angkatan III" in _messages(exc)
    program.refresh_from_db()
    assert program.status == Program.Status.PUBLISHED


def test_archiving_with_only_planned_or_finished_offerings_is_allowed(in_region):
    program = ProgramFactory(region=in_region)
    for status in (Offering.Status.PLANNED, Offering.Status.COMPLETED, Offering.Status.CANCELLED):
        OfferingFactory(region=in_region, program=program, status=status)
    programmes.program_archive(program=program)
    program.refresh_from_db()
    assert program.status == Program.Status.ARCHIVED


# --- Offerings ---------------------------------------------------------------------------------


def test_offering_create_is_planned_with_its_speakers(in_region):
    program = ProgramFactory(region=in_region)
    speaker = SpeakerFactory(region=in_region)
    offering = services.offering_create(
        program=program,
        speakers=[speaker],
        cost_per_participant=Decimal(750000),
        **_offering_data(),
    )
    offering.refresh_from_db()
    assert offering.status == Offering.Status.PLANNED
    assert offering.region == in_region
    assert list(offering.speakers.all()) == [speaker]
    assert offering.cost_per_participant == Decimal(750000)


def _days(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_date": _days(30), "end_date": _days(29)},
            "end_date",
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        ),
        (
            {"enrolment_opens": _days(31), "enrolment_closes": _days(31)},
            "enrolment_opens",
            "Pendaftaran harus dibuka paling lambat pada tanggal mulai angkatan.",
        ),
        (
            {"enrolment_opens": _days(10), "enrolment_closes": _days(5)},
            "enrolment_closes",
            "Tanggal tutup pendaftaran tidak boleh sebelum tanggal buka.",
        ),
        (
            {"enrolment_closes": _days(40)},
            "enrolment_closes",
            "Pendaftaran harus ditutup paling lambat pada tanggal selesai angkatan.",
        ),
        ({"seats": 0}, "seats", "Kuota peserta paling sedikit 1."),
        (
            {"cost_per_participant": Decimal("-5")},
            "cost_per_participant",
            "Biaya per peserta tidak boleh negatif.",
        ),
    ],
)
def test_offering_create_refuses_bad_input(in_region, overrides, field, message):
    program = ProgramFactory(region=in_region)
    with pytest.raises(ValidationError) as exc:
        services.offering_create(program=program, **_offering_data(**overrides))
    assert message in exc.value.message_dict[field]
    assert not Offering.objects.exists()


def test_offering_create_refuses_a_speaker_of_another_region(in_region, other_region):
    program = ProgramFactory(region=in_region)
    foreign = SpeakerFactory(region=other_region)
    with pytest.raises(ValidationError) as exc:
        services.offering_create(program=program, speakers=[foreign], **_offering_data())
    assert exc.value.message_dict["speakers"] == ["Narasumber harus terdaftar di wilayah ini."]
    assert not Offering.objects.exists()


def test_offering_of_an_archived_programme_is_refused(in_region):
    program = ProgramFactory(region=in_region, status=Program.Status.ARCHIVED)
    with pytest.raises(ValidationError) as exc:
        services.offering_create(program=program, **_offering_data())
    assert "diarsipkan tidak dapat ditambah angkatan" in _messages(exc)
    assert not Offering.objects.exists()


def test_seats_cannot_drop_below_the_seats_already_taken(in_region):
    offering = OfferingFactory(region=in_region, seats=10)
    for status in (S.CONFIRMED, S.CONFIRMED, S.COMPLETED, S.NO_SHOW):
        enrol(offering, status)
    for status in (S.REQUESTED, S.WAITLISTED, S.CANCELLED, S.REJECTED):
        enrol(offering, status)
    with pytest.raises(ValidationError) as exc:
        services.offering_update(offering=offering, seats=3)
    assert exc.value.message_dict["seats"] == [
        "Kuota peserta tidak boleh kurang dari 4 peserta yang sudah terkonfirmasi."
    ]
    offering.refresh_from_db()
    assert offering.seats == 10
    services.offering_update(offering=offering, seats=4)
    offering.refresh_from_db()
    assert offering.seats == 4


def test_more_seats_promote_the_waitlist(in_region):
    offering = OfferingFactory(region=in_region, seats=1)
    enrol(offering, S.CONFIRMED)
    waiting = enrol(offering, S.WAITLISTED)
    services.offering_update(offering=offering, seats=2)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_offering_open_requires_a_published_programme(in_region, admin):
    program = ProgramFactory(region=in_region, status=Program.Status.DRAFT)
    offering = OfferingFactory(region=in_region, program=program, status=Offering.Status.PLANNED)
    with pytest.raises(ValidationError) as exc:
        services.offering_open(offering=offering, actor=admin.user)
    assert "hanya dapat dibuka bila programnya sudah terbit" in _messages(exc)
    offering.refresh_from_db()
    assert offering.status == Offering.Status.PLANNED

    programmes.program_publish(program=program, actor=admin.user)
    services.offering_open(offering=offering, actor=admin.user)
    services.offering_start(offering=offering, actor=admin.user)
    offering.refresh_from_db()
    assert offering.status == Offering.Status.RUNNING
    actions = [(e.action, e.to_status) for e in history_for(subject=offering)]
    assert actions == [("opened", "open"), ("started", "running")]


def test_offering_transitions_are_guarded(in_region):
    planned = OfferingFactory(region=in_region, status=Offering.Status.PLANNED)
    with pytest.raises(ValidationError):
        services.offering_start(offering=planned)
    running = OfferingFactory(region=in_region, status=Offering.Status.RUNNING)
    with pytest.raises(ValidationError):
        services.offering_open(offering=running)
    completed = OfferingFactory(region=in_region, status=Offering.Status.COMPLETED)
    with pytest.raises(ValidationError) as exc:
        services.offering_cancel(offering=completed, reason="Tidak jadi")
    assert "tidak dapat dibatalkan" in _messages(exc)
    for offering in (planned, running, completed):
        before = offering.status
        offering.refresh_from_db()
        assert offering.status == before


@pytest.mark.parametrize("status", [Offering.Status.COMPLETED, Offering.Status.CANCELLED])
def test_finished_offerings_are_read_only(in_region, status):
    offering = OfferingFactory(region=in_region, status=status, seats=20)
    speaker = SpeakerFactory(region=in_region)
    attempts = [
        lambda: services.offering_update(offering=offering, seats=25),
        lambda: services.offering_unit_quota_set(
            offering=offering, unit=UnitFactory(region=in_region), seats=2
        ),
        lambda: services.session_create(
            offering=offering,
            title="Sesi",
            starts_at=jakarta(*offering.start_date.timetuple()[:3], 9),
            ends_at=jakarta(*offering.start_date.timetuple()[:3], 12),
            speaker=speaker,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert "tidak dapat diubah lagi" in _messages(exc)
    offering.refresh_from_db()
    assert offering.seats == 20
    assert not Session.objects.exists()
    assert not OfferingUnitQuota.objects.exists()


def test_offering_changes_notify_live_participants(in_region, caplog):
    caplog.set_level("INFO")
    offering = OfferingFactory(region=in_region)
    confirmed = enrol(offering, S.CONFIRMED)
    requested = enrol(offering, S.REQUESTED)
    cancelled = enrol(offering, S.CANCELLED)
    services.offering_update(offering=offering, seats=25)
    assert not any(kind == Kind.OFFERING_CHANGED for kind, _ in notified())

    services.offering_update(offering=offering, venue="Gedung Pandanaran Lt. 3")
    told = {pk for kind, pk in notified() if kind == Kind.OFFERING_CHANGED}
    assert told == {confirmed.employee_id, requested.employee_id}
    assert cancelled.employee_id not in told


def test_new_dates_that_leave_sessions_outside_are_refused(in_region):
    offering = OfferingFactory(region=in_region)
    SessionFactory(region=in_region, offering=offering, title="Pembukaan")
    with pytest.raises(ValidationError) as exc:
        services.offering_update(
            offering=offering,
            start_date=offering.start_date + dt.timedelta(days=1),
            end_date=offering.end_date + dt.timedelta(days=1),
        )
    assert "di luar tanggal baru (misalnya Pembukaan)" in _messages(exc)


def test_cancel_needs_a_reason_and_changes_nothing_without_one(in_region):
    offering = OfferingFactory(region=in_region)
    enrolment = enrol(offering, S.CONFIRMED)
    with pytest.raises(ValidationError) as exc:
        services.offering_cancel(offering=offering, reason="   ")
    assert exc.value.message_dict["reason"] == ["Alasan pembatalan wajib diisi."]
    offering.refresh_from_db()
    enrolment.refresh_from_db()
    assert offering.status == Offering.Status.OPEN
    assert enrolment.status == S.CONFIRMED
    assert not HistoryEvent.objects.exists()


def test_cancel_offering_cancels_live_enrolments_with_history_and_tells_them(
    in_region, admin, caplog
):
    caplog.set_level("INFO")
    offering = OfferingFactory(region=in_region)
    session = SessionFactory(region=in_region, offering=offering)
    live = [enrol(offering, status) for status in (S.REQUESTED, S.WAITLISTED, S.CONFIRMED)]
    rejected = enrol(offering, S.REJECTED)

    services.offering_cancel(offering=offering, actor=admin.user, reason="Narasumber berhalangan")

    offering.refresh_from_db()
    assert offering.status == Offering.Status.CANCELLED
    assert offering.cancel_reason == "Narasumber berhalangan"
    assert offering.cancelled_at is not None
    for enrolment in live:
        before = enrolment.status
        enrolment.refresh_from_db()
        assert enrolment.status == S.CANCELLED
        assert enrolment.cancelled_at is not None
        (event,) = history_for(subject=enrolment)
        assert (event.action, event.from_status, event.to_status) == (
            "offering_cancelled",
            before,
            "cancelled",
        )
        assert event.reason == "Narasumber berhalangan"
        assert event.actor == admin.user
    rejected.refresh_from_db()
    assert rejected.status == S.REJECTED
    assert not history_for(subject=rejected).exists()
    told = {pk for kind, pk in notified() if kind == Kind.OFFERING_CANCELLED}
    assert told == {e.employee_id for e in live}
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert session.sequence == 1
    assert [e.action for e in history_for(subject=offering)] == ["cancelled"]


def test_copy_makes_a_planned_batch_with_everything_shifted(in_region, unit):
    program = ProgramFactory(region=in_region)
    start = timezone.localdate() + dt.timedelta(days=10)
    source = OfferingFactory(
        region=in_region,
        program=program,
        status=Offering.Status.COMPLETED,
        start_date=start,
        end_date=start + dt.timedelta(days=7),
        enrolment_opens=start - dt.timedelta(days=20),
        enrolment_closes=start - dt.timedelta(days=2),
        seats=25,
        requires_approval=True,
        cost_per_participant=Decimal(500000),
    )
    speaker = SpeakerFactory(region=in_region)
    source.speakers.add(speaker)
    OfferingUnitQuota.objects.create(region=in_region, offering=source, unit=unit, seats=3)
    first = SessionFactory(
        region=in_region,
        offering=source,
        starts_at=jakarta(start.year, start.month, start.day, 9),
        ends_at=jakarta(start.year, start.month, start.day, 12),
        speaker=speaker,
    )
    SessionFactory(region=in_region, offering=source, status=Session.Status.CANCELLED)

    new_start = start + dt.timedelta(days=91)
    copy = services.offering_copy(offering=source, start_date=new_start, name="Angkatan II")

    copy.refresh_from_db()
    shift = dt.timedelta(days=91)
    assert copy.pk != source.pk
    assert copy.program == program
    assert copy.status == Offering.Status.PLANNED
    assert copy.name == "Angkatan II"
    assert (copy.start_date, copy.end_date) == (new_start, source.end_date + shift)
    assert copy.enrolment_opens == source.enrolment_opens + shift
    assert copy.enrolment_closes == source.enrolment_closes + shift
    assert (copy.seats, copy.requires_approval, copy.cost_per_participant) == (
        25,
        True,
        Decimal(500000),
    )
    assert list(copy.speakers.all()) == [speaker]
    assert list(copy.unit_quotas.values_list("unit_id", "seats")) == [(unit.pk, 3)]
    (session,) = copy.sessions.all()
    assert session.starts_at == first.starts_at + shift
    assert timezone.localtime(session.starts_at).hour == 9
    assert session.speaker == speaker
    assert session.status == Session.Status.SCHEDULED
    source.refresh_from_db()
    assert source.status == Offering.Status.COMPLETED
    assert source.sessions.count() == 2


@pytest.mark.parametrize("start_date", [dt.date.max, dt.date.min])
def test_offering_copy_out_of_range_start_is_refused(in_region, start_date):
    source = OfferingFactory(region=in_region)
    with pytest.raises(ValidationError) as exc:
        services.offering_copy(offering=source, start_date=start_date)
    assert "di luar rentang" in exc.value.message_dict["start_date"][0]
    assert Offering.objects.count() == 1


# --- Unit quotas -------------------------------------------------------------------------------


def test_unit_quota_set_update_and_remove(in_region, unit):
    offering = OfferingFactory(region=in_region)
    quota = services.offering_unit_quota_set(offering=offering, unit=unit, seats=3)
    assert quota.region == in_region
    services.offering_unit_quota_set(offering=offering, unit=unit, seats=5)
    quota.refresh_from_db()
    assert quota.seats == 5
    services.offering_unit_quota_remove(quota=quota)
    assert not OfferingUnitQuota.objects.exists()


def test_unit_quota_beyond_the_column_range_is_refused(in_region, unit):
    offering = OfferingFactory(region=in_region)
    with pytest.raises(ValidationError) as exc:
        services.offering_unit_quota_set(offering=offering, unit=unit, seats=2**63)
    assert "seats" in exc.value.message_dict
    assert not OfferingUnitQuota.objects.exists()


def test_unit_quota_for_a_unit_of_another_region_is_refused(in_region, other_unit):
    offering = OfferingFactory(region=in_region)
    with pytest.raises(ValidationError) as exc:
        services.offering_unit_quota_set(offering=offering, unit=other_unit, seats=3)
    assert exc.value.message_dict["unit"] == ["Unit harus berada di wilayah ini."]
    with scopes_disabled():
        assert not OfferingUnitQuota.objects.exists()


def test_unit_quota_cannot_drop_below_its_used_seats(in_region, unit):
    offering = OfferingFactory(region=in_region)
    quota = OfferingUnitQuota.objects.create(
        region=in_region, offering=offering, unit=unit, seats=3
    )
    for _ in range(2):
        enrol(
            offering,
            S.CONFIRMED,
            employee=EmployeeFactory(region=in_region, unit=unit),
            reserved_unit=unit,
        )
    with pytest.raises(ValidationError) as exc:
        services.offering_unit_quota_set(offering=offering, unit=unit, seats=1)
    assert "tidak boleh kurang dari 2 kursi yang sudah terpakai" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.offering_unit_quota_remove(quota=quota)
    assert "2 kursinya sudah terpakai" in _messages(exc)
    quota.refresh_from_db()
    assert quota.seats == 3


# --- Sessions ----------------------------------------------------------------------------------


def _session_offering(region):
    start = timezone.localdate() + dt.timedelta(days=20)
    return OfferingFactory(region=region, start_date=start, end_date=start + dt.timedelta(days=1))


def test_session_create_within_the_offering(in_region):
    offering = _session_offering(in_region)
    day = offering.start_date
    session = services.session_create(
        offering=offering,
        title="Pembukaan",
        starts_at=jakarta(day.year, day.month, day.day, 8),
        ends_at=jakarta(day.year, day.month, day.day, 10),
        location="Aula",
    )
    assert session.region == in_region
    assert session.status == Session.Status.SCHEDULED


def test_session_bad_input_is_refused(in_region, other_region):
    offering = _session_offering(in_region)
    day, after = offering.start_date, offering.end_date + dt.timedelta(days=1)
    foreign = SpeakerFactory(region=other_region)
    cases = [
        (
            {
                "starts_at": jakarta(day.year, day.month, day.day, 12),
                "ends_at": jakarta(day.year, day.month, day.day, 9),
            },
            "ends_at",
            "Waktu selesai sesi harus setelah waktu mulai.",
        ),
        (
            {
                "starts_at": jakarta(after.year, after.month, after.day, 9),
                "ends_at": jakarta(after.year, after.month, after.day, 12),
            },
            "starts_at",
            "Sesi harus berada dalam tanggal angkatan",
        ),
        (
            {
                "starts_at": jakarta(day.year, day.month, day.day, 9),
                "ends_at": jakarta(day.year, day.month, day.day, 12),
                "speaker": foreign,
            },
            "speaker",
            "Narasumber harus terdaftar di wilayah ini.",
        ),
    ]
    for overrides, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            services.session_create(offering=offering, title="Sesi", **overrides)
        assert message in " ".join(exc.value.message_dict[field])
    assert not Session.objects.exists()


def test_a_session_one_minute_past_midnight_after_the_end_is_outside(in_region):
    """Offering dates are Jakarta dates: 00:30 WIB on the next day is outside."""
    offering = _session_offering(in_region)
    end = offering.end_date
    with pytest.raises(ValidationError):
        services.session_create(
            offering=offering,
            title="Malam",
            starts_at=jakarta(end.year, end.month, end.day, 23),
            ends_at=jakarta(end.year, end.month, end.day, 23) + dt.timedelta(minutes=90),
        )


def test_session_update_bumps_sequence_and_announces_new_times(in_region, caplog):
    caplog.set_level("INFO")
    offering = _session_offering(in_region)
    session = SessionFactory(region=in_region, offering=offering)
    participant = enrol(offering, S.CONFIRMED)

    services.session_update(session=session, title="Materi inti")
    session.refresh_from_db()
    assert session.sequence == 1
    assert not any(kind == Kind.SESSION_CHANGED for kind, _ in notified())

    services.session_update(
        session=session,
        starts_at=session.starts_at + dt.timedelta(hours=1),
        ends_at=session.ends_at + dt.timedelta(hours=1),
    )
    session.refresh_from_db()
    assert session.sequence == 2
    assert (Kind.SESSION_CHANGED, participant.employee_id) in notified()


def test_session_update_refuses_end_before_start(in_region):
    offering = _session_offering(in_region)
    session = SessionFactory(region=in_region, offering=offering)
    with pytest.raises(ValidationError) as exc:
        services.session_update(session=session, ends_at=session.starts_at - dt.timedelta(hours=1))
    assert exc.value.message_dict["ends_at"] == ["Waktu selesai sesi harus setelah waktu mulai."]
    before = session.ends_at
    session.refresh_from_db()
    assert (session.ends_at, session.sequence) == (before, 0)


def test_session_cancel_needs_a_reason_then_keeps_the_session(in_region, admin, caplog):
    caplog.set_level("INFO")
    offering = _session_offering(in_region)
    session = SessionFactory(region=in_region, offering=offering)
    participant = enrol(offering, S.CONFIRMED)
    with pytest.raises(ValidationError) as exc:
        services.session_cancel(session=session, reason="")
    assert exc.value.message_dict["reason"] == ["Alasan pembatalan wajib diisi."]
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED

    services.session_cancel(session=session, actor=admin.user, reason="Gedung dipakai")
    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.sequence) == (
        Session.Status.CANCELLED,
        "Gedung dipakai",
        1,
    )
    assert (Kind.SESSION_CANCELLED, participant.employee_id) in notified()
    assert [e.action for e in history_for(subject=session)] == ["cancelled"]
    with pytest.raises(ValidationError):
        services.session_update(session=session, title="Lagi")


def _next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def test_weekly_pattern_for_six_weeks_makes_six_sessions_in_jakarta_time(in_region):
    tuesday = _next_weekday(timezone.localdate() + dt.timedelta(days=14), 1)
    offering = OfferingFactory(
        region=in_region, start_date=tuesday, end_date=tuesday + dt.timedelta(days=40)
    )
    sessions = services.session_create_recurring(
        offering=offering,
        title="Kelas menulis",
        first_date=tuesday - dt.timedelta(days=1),  # a Monday: the first meeting is the Tuesday
        weekdays=[1],
        weeks=6,
        start_time=dt.time(9, 0),
        end_time=dt.time(12, 0),
        location="Lab Komputer",
    )
    assert len(sessions) == 6
    stored = list(Session.objects.filter(offering=offering).order_by("starts_at"))
    assert len(stored) == 6
    for week, session in enumerate(stored):
        day = tuesday + dt.timedelta(weeks=week)
        assert session.starts_at == jakarta(day.year, day.month, day.day, 9)
        assert session.ends_at == jakarta(day.year, day.month, day.day, 12)
        assert session.starts_at.astimezone(dt.UTC).hour == 2  # WIB = UTC+7
        assert session.title == f"Kelas menulis – pertemuan {week + 1}"
        assert session.location == "Lab Komputer"
        assert session.region == in_region


def test_weekly_pattern_with_two_days_a_week(in_region):
    monday = _next_weekday(timezone.localdate() + dt.timedelta(days=14), 0)
    offering = OfferingFactory(
        region=in_region, start_date=monday, end_date=monday + dt.timedelta(days=13)
    )
    sessions = services.session_create_recurring(
        offering=offering,
        title="Bimtek",
        first_date=monday,
        weekdays=[3, 0],
        weeks=2,
        start_time=dt.time(13, 0),
        end_time=dt.time(15, 30),
    )
    days = [timezone.localtime(s.starts_at).date() for s in sessions]
    assert days == [
        monday,
        monday + dt.timedelta(days=3),
        monday + dt.timedelta(days=7),
        monday + dt.timedelta(days=10),
    ]


def test_weekly_pattern_leaving_the_offering_creates_nothing(in_region):
    tuesday = _next_weekday(timezone.localdate() + dt.timedelta(days=14), 1)
    offering = OfferingFactory(
        region=in_region, start_date=tuesday, end_date=tuesday + dt.timedelta(days=30)
    )
    with pytest.raises(ValidationError) as exc:
        services.session_create_recurring(
            offering=offering,
            title="Kelas",
            first_date=tuesday,
            weekdays=[1],
            weeks=6,
            start_time=dt.time(9, 0),
            end_time=dt.time(12, 0),
        )
    assert "berada di luar tanggal angkatan" in _messages(exc)
    assert not Session.objects.exists()


def test_weekly_pattern_refuses_end_time_before_start_time(in_region):
    offering = OfferingFactory(region=in_region)
    with pytest.raises(ValidationError) as exc:
        services.session_create_recurring(
            offering=offering,
            title="Kelas",
            first_date=offering.start_date,
            weekdays=[offering.start_date.weekday()],
            weeks=1,
            start_time=dt.time(12, 0),
            end_time=dt.time(9, 0),
        )
    assert exc.value.message_dict["end_time"] == ["Jam selesai harus setelah jam mulai."]
    assert not Session.objects.exists()


def test_generated_sessions_are_announced_once_per_participant(in_region, caplog):
    caplog.set_level("INFO")
    monday = _next_weekday(timezone.localdate() + dt.timedelta(days=14), 0)
    offering = OfferingFactory(
        region=in_region, start_date=monday, end_date=monday + dt.timedelta(days=20)
    )
    participant = enrol(offering, S.CONFIRMED)
    services.session_create_recurring(
        offering=offering,
        title="Kelas",
        first_date=monday,
        weekdays=[0, 2],
        weeks=3,
        start_time=dt.time(9, 0),
        end_time=dt.time(11, 0),
    )
    assert (Kind.OFFERING_CHANGED, participant.employee_id) in notified()
    assert not any(kind == Kind.SESSION_CHANGED for kind, _ in notified())
    with scopes_disabled():
        assert (
            Notification.objects.filter(
                recipient=participant.employee, kind=Kind.OFFERING_CHANGED
            ).count()
            <= 1
        )
