"""Integration: the UX details of the catalogue, enrolment and records pages (views + templates).

Seats outlook on the approvals page, the enrol page's breadcrumb and window, the offering and
programme forms, attendance navigation, the catalogue's filters on phones and empty states.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_scopes import scope, scopes_disabled

from tests.factories.regions import quick_employee, quick_employees
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    SessionFactory,
    SpeakerFactory,
    development_form,
)
from training.models import Enrolment, OfferingUnitQuota, Program
from training.selectors import enrolment as selectors

pytestmark = pytest.mark.django_db
S = Enrolment.Status


def url(name, **kwargs):
    return reverse(f"training:{name}", kwargs={"region_slug": "semarang", **kwargs})


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _requested(region, offering, employee):
    with scopes_disabled():
        return EnrolmentFactory(
            region=region,
            offering=offering,
            employee=employee,
            status=S.REQUESTED,
            confirmed_at=None,
        )


def _confirmed(region, offering, n, **kwargs):
    with scopes_disabled():
        for person in quick_employees(region, n):
            EnrolmentFactory(region=region, offering=offering, employee=person, **kwargs)


# --- Approvals: seats per offering -------------------------------------------------------------


def test_approvals_warn_when_requests_exceed_the_seats_left(region, supervisor, login):
    full_soon = OfferingFactory(region=region, seats=4, requires_approval=True)
    _confirmed(region, full_soon, 2)
    roomy = OfferingFactory(region=region, seats=10, requires_approval=True)
    team = quick_employees(region, 4, supervisor=supervisor)
    for person in team[:3]:
        _requested(region, full_soon, person)
    _requested(region, roomy, team[3])

    html = login(supervisor).get(url("approval_list")).content.decode()

    assert "Kursi tersisa 2 untuk 3 permohonan: sisanya masuk daftar tunggu." in html
    assert "Sisa 2 kursi" in html and "Sisa 10 kursi" in html
    # One warning shown: the roomy offering's request fits, its warning stays hidden.
    assert html.count("data-seat-warning >") == 1
    assert html.count("data-seat-warning hidden>") == 1
    assert 'data-select-all="enrolments"' in html and "Pilih semua" in html


def test_approvals_warning_without_waitlist_says_the_rest_is_refused(region, supervisor, login):
    offering = OfferingFactory(region=region, seats=1, requires_approval=True, has_waitlist=False)
    for person in quick_employees(region, 2, supervisor=supervisor):
        _requested(region, offering, person)

    html = login(supervisor).get(url("approval_list")).content.decode()

    assert "Kursi tersisa 1 untuk 2 permohonan: sisanya ditolak karena kuota penuh" in html


def test_approvals_group_requests_by_offering(region, supervisor, login):
    later = OfferingFactory(
        region=region,
        requires_approval=True,
        start_date=timezone.localdate() + dt.timedelta(days=30),
    )
    sooner = OfferingFactory(region=region, requires_approval=True)
    team = quick_employees(region, 3, supervisor=supervisor)
    first = _requested(region, later, team[0])
    second = _requested(region, sooner, team[1])
    third = _requested(region, later, team[2])

    page = login(supervisor).get(url("approval_list")).context["page"]

    assert [e.pk for e in page.object_list] == [second.pk, first.pk, third.pk]


def test_seat_outlook_counts_reserved_seats_for_their_unit_only(region, supervisor, unit):
    offering = OfferingFactory(region=region, seats=1, requires_approval=True)
    with scopes_disabled():
        OfferingUnitQuota.objects.create(region=region, offering=offering, unit=unit, seats=2)
    in_unit = quick_employee(region, unit=unit, supervisor=supervisor)
    others = quick_employees(region, 3, supervisor=supervisor)
    for person in [in_unit, *others]:
        _requested(region, offering, person)

    with scope(region=region):
        pending = selectors.approvals_pending(region=region, supervisor=supervisor)
        outlook = selectors.approval_seat_outlook(pending=pending, offerings=[offering])[
            offering.pk
        ]

    # The unit's employee takes a reserved seat; the other three share one general seat.
    assert outlook["general_left"] == 1
    assert outlook["reserved_left"] == {unit.pk: 2}
    assert (outlook["requests"], outlook["fits"], outlook["overflow"]) == (4, 2, 2)


def test_approvals_keep_the_choice_after_an_error(region, supervisor, login):
    offering = OfferingFactory(region=region, requires_approval=True)
    chosen = _requested(region, offering, quick_employee(region, supervisor=supervisor))

    response = login(supervisor).post(
        url("approval_list"), {"decision": "reject", "reason": "", "enrolments": [chosen.pk]}
    )

    assert response.status_code == 200
    assert f'value="{chosen.pk}" id="pick-{chosen.pk}"' in response.content.decode()
    assert chosen.pk in response.context["selected"]


def test_approvals_query_count_is_constant_over_offerings(region, supervisor, login):
    client = login(supervisor)
    team = quick_employees(region, 3, supervisor=supervisor)
    _requested(region, OfferingFactory(region=region, requires_approval=True), team[0])
    one = count_queries(client, url("approval_list"))
    _requested(region, OfferingFactory(region=region, requires_approval=True), team[1])
    _requested(region, OfferingFactory(region=region, requires_approval=True), team[2])
    assert count_queries(client, url("approval_list")) == one


# --- Enrol page ---------------------------------------------------------------------------------


def test_enrol_page_leads_back_to_the_catalogue_and_programme(region, employee, login):
    offering = OfferingFactory(region=region)

    html = login(employee).get(url("offering_enrol", offering_id=offering.pk)).content.decode()

    assert f'href="{url("catalogue")}"' in html
    assert f'href="{url("catalogue_program", pk=offering.program_id)}"' in html
    assert 'aria-current="page">Daftar<' in html


def test_enrol_page_shows_a_one_day_window_as_one_date(region, employee, login):
    today = timezone.localdate()
    offering = OfferingFactory(region=region, enrolment_opens=today, enrolment_closes=today)

    html = login(employee).get(url("offering_enrol", offering_id=offering.pk)).content.decode()

    with translation.override("id"):
        day = date_format(today, "j M Y")
    assert f"Pendaftaran hanya pada {day}." in html


def test_enrol_page_shows_a_window_within_a_year_once_with_the_year(region, employee, login):
    offering = OfferingFactory(
        region=region,
        start_date=dt.date(2099, 12, 10),
        end_date=dt.date(2099, 12, 12),
        enrolment_opens=dt.date(2099, 11, 25),
        enrolment_closes=dt.date(2099, 11, 30),
    )

    html = login(employee).get(url("offering_enrol", offering_id=offering.pk)).content.decode()

    assert "25 Nov – 30 Nov 2099" in html
    assert "10 Des – 12 Des 2099" in html


# --- Offering and programme forms -------------------------------------------------------------


def test_offering_form_labels_and_a_link_to_add_speakers_when_there_are_none(region, admin, login):
    offering = OfferingFactory(region=region)

    html = login(admin).get(url("offering_edit", pk=offering.pk)).content.decode()

    assert "Gunakan daftar tunggu bila kuota penuh" in html
    assert "Perlu persetujuan atasan langsung" in html
    assert "Belum ada narasumber aktif di wilayah ini." in html
    assert f'href="{url("speaker_create")}"' in html
    assert 'name="speakers"' not in html
    # Dates side by side on desktop.
    assert html.count('<div class="col-md-6">') >= 8


def test_offering_form_lists_speakers_when_there_are_some(region, admin, login):
    offering = OfferingFactory(region=region)
    SpeakerFactory(region=region, name="Dr. Rina Wulandari")

    html = login(admin).get(url("offering_edit", pk=offering.pk)).content.decode()

    assert 'name="speakers"' in html and "Dr. Rina Wulandari" in html
    assert "Belum ada narasumber aktif" not in html
    assert "Pilih satu atau lebih." in html


def test_program_form_offers_position_types_as_checkboxes_and_all_golongan(region, admin, login):
    html = login(admin).get(url("program_create")).content.decode()

    assert 'type="checkbox" name="target_position_types" value="pelaksana"' in html
    assert "<legend" in html and "Sasaran jenis jabatan" in html
    assert html.count("— Semua golongan —") == 2
    assert "---------" not in html
    assert '<span class="d-md-none">Pilih satu atau lebih.</span>' in html


def test_program_form_saves_checked_position_types(region, admin, login):
    with scope(region=region):
        form_id = development_form().pk
    response = login(admin).post(
        url("program_create"),
        {
            "code": "PT-UX-01",
            "title": "Pelatihan Pelayanan Prima",
            "form": form_id,
            "competency_type": "teknis",
            "jp": 16,
            "delivery_mode": "tatap_muka",
            "target_position_types": ["pengawas", "pelaksana"],
            "target_min_golongan": "",
            "target_max_golongan": "",
            "planned_budget": 0,
        },
    )

    assert response.status_code == 302
    with scopes_disabled():
        program = Program.objects.get(region=region, code="PT-UX-01")
    assert sorted(program.target_position_types) == ["pelaksana", "pengawas"]
    assert program.target_min_golongan is None


# --- Attendance -------------------------------------------------------------------------------


def _sessions(region, offering, n):
    start = timezone.make_aware(dt.datetime.combine(offering.start_date, dt.time(9, 0)))
    return [
        SessionFactory(
            region=region,
            offering=offering,
            title=f"Pertemuan {i + 1}",
            starts_at=start + dt.timedelta(days=i),
            ends_at=start + dt.timedelta(days=i, hours=3),
        )
        for i in range(n)
    ]


def test_attendance_links_back_to_participants_and_to_neighbour_sessions(region, admin, login):
    offering = OfferingFactory(region=region)
    first, middle, last = _sessions(region, offering, 3)
    client = login(admin)

    html = client.get(url("session_attendance", session_id=middle.pk)).content.decode()

    assert f'href="{url("offering_participants", offering_id=offering.pk)}"' in html
    assert "Kembali ke peserta" in html
    assert f'href="{url("session_attendance", session_id=first.pk)}" rel="prev"' in html
    assert f'href="{url("session_attendance", session_id=last.pk)}" rel="next"' in html
    assert "Sesi 2 dari 3" in html

    html = client.get(url("session_attendance", session_id=first.pk)).content.decode()
    assert 'rel="prev"' not in html
    assert f'href="{url("session_attendance", session_id=middle.pk)}" rel="next"' in html


def test_attendance_of_a_single_session_has_no_session_links(region, admin, login):
    (only,) = _sessions(region, OfferingFactory(region=region), 1)

    html = login(admin).get(url("session_attendance", session_id=only.pk)).content.decode()

    assert 'rel="prev"' not in html and 'rel="next"' not in html
    assert "Kembali ke peserta" in html


# --- Catalogue filters on phones ----------------------------------------------------------------


def test_catalogue_filters_collapse_on_phones_and_open_when_one_is_used(region, employee, login):
    client = login(employee)

    html = client.get(url("catalogue")).content.decode()
    assert 'class="collapse d-md-block" id="catalogue-filters"' in html
    assert 'data-bs-target="#catalogue-filters"' in html and 'aria-expanded="false"' in html
    # The search box stays outside the collapsed part.
    assert html.index('id="filter-q"') < html.index('id="catalogue-filters"')

    html = client.get(url("catalogue"), {"mode": "daring"}).content.decode()
    assert 'class="collapse d-md-block show" id="catalogue-filters"' in html
    assert 'aria-expanded="true"' in html


# --- Empty states -----------------------------------------------------------------------------


def test_empty_my_enrolments_lead_to_the_catalogue(employee, login):
    html = login(employee).get(url("my_enrolments")).content.decode()

    assert "Anda belum mendaftar pelatihan apa pun." in html
    assert f'class="btn btn-primary" href="{url("catalogue")}"' in html


def test_empty_offering_lists_say_where_offerings_come_from(region, admin, login):
    client = login(admin)

    html = client.get(url("offering_list")).content.decode()
    assert "Belum ada angkatan." in html
    assert f'class="btn btn-primary" href="{url("program_list")}"' in html

    html = client.get(url("offering_list"), {"q": "tidak-ada"}).content.decode()
    assert "Tidak ada angkatan yang cocok dengan filter ini." in html

    html = client.get(url("enrolment_overview")).content.decode()
    assert "Angkatan ditambahkan dari halaman program pelatihan" in html
    assert f'class="btn btn-primary" href="{url("program_list")}"' in html

    html = client.get(url("enrolment_overview"), {"status": "open"}).content.decode()
    assert "Tidak ada angkatan dengan status ini." in html


# --- Record review ------------------------------------------------------------------------------


def test_record_review_lays_labels_and_values_out_in_a_grid(region, admin, login):
    record = DevelopmentRecordFactory(region=region)

    html = login(admin).get(url("record_review", record_id=record.pk)).content.decode()

    assert '<dl class="row mb-0 profile dl-pairs">' in html
    assert html.count('<dt class="col-sm-4">') == html.count('<dd class="col-sm-8')
    assert '<dt class="col-sm-4">Bentuk pengembangan</dt>' in html


def test_programme_page_says_a_one_day_window_closes_today(region, employee, login):
    today = timezone.localdate()
    offering = OfferingFactory(region=region, enrolment_opens=today, enrolment_closes=today)

    html = login(employee).get(url("catalogue_program", pk=offering.program_id)).content.decode()

    with translation.override("id"):
        day = date_format(today, "j M Y")
    assert f"Pendaftaran hanya pada {day}" in html
    assert "Pendaftaran ditutup hari ini" in html
