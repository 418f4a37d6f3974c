"""Integration: the ASN catalogue (search, filters, seats left, drafts hidden) and its query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.factories.regions import EmployeeFactory
from tests.factories.training import (
    CompetencyFactory,
    OfferingFactory,
    ProgramFactory,
    SessionFactory,
    SpeakerFactory,
    development_form,
    enrol,
)
from training.models import Enrolment, Offering, OfferingUnitQuota, Program
from training.selectors import catalogue as selectors

S = Enrolment.Status


def _titles(region, **filters):
    return [p.title for p in selectors.catalogue_programs(region=region, **filters)]


def _catalogue(client, region, **params):
    return client.get(reverse("training:catalogue", args=[region.slug]), params)


# --- Visibility --------------------------------------------------------------------------------


def test_only_published_programmes_of_the_region_are_listed(region, other_region, employee, login):
    ProgramFactory(region=region, title="Terbit", status=Program.Status.PUBLISHED)
    ProgramFactory(region=region, title="Draf rahasia", status=Program.Status.DRAFT)
    ProgramFactory(region=region, title="Arsip lama", status=Program.Status.ARCHIVED)
    ProgramFactory(region=other_region, title="Program Binjai", status=Program.Status.PUBLISHED)
    response = _catalogue(login(employee), region)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Terbit" in body
    for hidden in ("Draf rahasia", "Arsip lama", "Program Binjai"):
        assert hidden not in body


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.ARCHIVED])
def test_unpublished_programme_page_is_404_for_asn(region, employee, login, status):
    program = ProgramFactory(region=region, status=status)
    url = reverse("training:catalogue_program", args=[region.slug, program.pk])
    assert login(employee).get(url).status_code == 404


def test_programme_page_shows_offerings_seats_left_and_enrol_button(region, employee, login):
    program = ProgramFactory(region=region, title="Manajemen Arsip")
    open_offering = OfferingFactory(region=region, program=program, name="Angkatan Buka", seats=5)
    for status in (S.CONFIRMED, S.CONFIRMED, S.COMPLETED, S.REQUESTED, S.WAITLISTED):
        enrol(open_offering, status)
    planned = OfferingFactory(
        region=region,
        program=program,
        name="Angkatan Rencana",
        status=Offering.Status.PLANNED,
        start_date=timezone.localdate() + dt.timedelta(days=60),
        end_date=timezone.localdate() + dt.timedelta(days=61),
        enrolment_opens=timezone.localdate() + dt.timedelta(days=30),
        enrolment_closes=timezone.localdate() + dt.timedelta(days=50),
    )
    OfferingFactory(
        region=region, program=program, name="Angkatan Batal", status=Offering.Status.CANCELLED
    )
    response = login(employee).get(
        reverse("training:catalogue_program", args=[region.slug, program.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Angkatan Buka" in body and "Angkatan Rencana" in body
    assert "Angkatan Batal" not in body
    offerings = {o.name: o for o in response.context["offerings"]}
    assert offerings["Angkatan Buka"].seats_left == 2  # 5 seats − 2 confirmed − 1 completed
    assert offerings["Angkatan Buka"].enrolment_open is True
    assert offerings["Angkatan Rencana"].enrolment_open is False
    enrol_url = reverse("training:offering_enrol", args=[region.slug, open_offering.pk])
    assert f'href="{enrol_url}"' in body
    assert reverse("training:offering_enrol", args=[region.slug, planned.pk]) not in body


def test_full_offering_without_waitlist_has_no_enrol_button(region, employee, login):
    offering = OfferingFactory(region=region, seats=1, has_waitlist=False)
    enrol(offering, S.CONFIRMED)
    response = login(employee).get(
        reverse("training:catalogue_program", args=[region.slug, offering.program.pk])
    )
    assert reverse("training:offering_enrol", args=[region.slug, offering.pk]) not in (
        response.content.decode()
    )
    assert "Kuota penuh" in response.content.decode()


def test_seats_left_counts_free_reserved_unit_seats(in_region, unit):
    offering = OfferingFactory(region=in_region, seats=3)
    OfferingUnitQuota.objects.create(region=in_region, offering=offering, unit=unit, seats=2)
    enrol(offering, S.CONFIRMED)  # general seat
    member = EmployeeFactory(region=in_region, unit=unit)
    enrol(offering, S.CONFIRMED, employee=member, reserved_unit=unit)
    (row,) = selectors.catalogue_offerings(program=offering.program)
    assert row.seats_total == 5
    assert row.seats_taken == 2
    assert row.seats_left == 3  # 2 general + 1 reserved


# --- Filters -----------------------------------------------------------------------------------


def test_search_matches_title_code_and_description(in_region):
    ProgramFactory(region=in_region, title="Pelatihan Kearsipan", code="ARS-1")
    ProgramFactory(
        region=in_region, title="Bimtek SAKIP", code="SKP-2", description="akuntabilitas"
    )
    ProgramFactory(region=in_region, title="Coaching Kepemimpinan", code="LDR-3")
    assert _titles(in_region, search="arsip") == ["Pelatihan Kearsipan"]
    assert _titles(in_region, search="skp-2") == ["Bimtek SAKIP"]
    assert _titles(in_region, search="AKUNTABILITAS") == ["Bimtek SAKIP"]
    assert _titles(in_region, search="tidak ada") == []


def test_filter_by_form_competency_and_mode(in_region):
    arsip = CompetencyFactory(region=in_region, name="Kearsipan")
    other = CompetencyFactory(region=in_region, name="Keuangan")
    a = ProgramFactory(
        region=in_region, title="A", form=development_form(3), delivery_mode="daring"
    )
    a.competencies.set([arsip, other])
    b = ProgramFactory(region=in_region, title="B", form=development_form(16))
    b.competencies.set([other])
    ProgramFactory(region=in_region, title="C", form=development_form(3), delivery_mode="blended")
    assert _titles(in_region, form_id=3) == ["A", "C"]
    assert _titles(in_region, form_id=16) == ["B"]
    assert _titles(in_region, competency_id=arsip.pk) == ["A"]
    assert _titles(in_region, competency_id=other.pk) == ["A", "B"]
    assert _titles(in_region, mode="daring") == ["A"]
    assert _titles(in_region, mode="blended", form_id=3) == ["C"]


def test_filter_by_month_ignores_cancelled_offerings(in_region):
    month = (timezone.localdate().replace(day=1) + dt.timedelta(days=62)).replace(day=1)
    in_month = month + dt.timedelta(days=9)
    kw = {
        "start_date": in_month,
        "end_date": in_month + dt.timedelta(days=1),
        "enrolment_opens": timezone.localdate(),
        "enrolment_closes": in_month,
    }
    OfferingFactory(
        region=in_region, program=ProgramFactory(region=in_region, title="Bulan itu"), **kw
    )
    OfferingFactory(
        region=in_region,
        program=ProgramFactory(region=in_region, title="Batal"),
        status=Offering.Status.CANCELLED,
        **kw,
    )
    OfferingFactory(region=in_region, program=ProgramFactory(region=in_region, title="Bulan ini"))
    assert _titles(in_region, month=month) == ["Bulan itu"]


def test_filter_open_seats(in_region, unit):
    today = timezone.localdate()
    OfferingFactory(region=in_region, program=ProgramFactory(region=in_region, title="Ada kursi"))
    full = OfferingFactory(
        region=in_region, program=ProgramFactory(region=in_region, title="Penuh"), seats=1
    )
    enrol(full, S.CONFIRMED)
    OfferingFactory(
        region=in_region,
        program=ProgramFactory(region=in_region, title="Belum dibuka"),
        status=Offering.Status.PLANNED,
    )
    OfferingFactory(
        region=in_region,
        program=ProgramFactory(region=in_region, title="Sudah tutup"),
        enrolment_opens=today - dt.timedelta(days=10),
        enrolment_closes=today - dt.timedelta(days=1),
    )
    reserved = OfferingFactory(
        region=in_region, program=ProgramFactory(region=in_region, title="Kursi unit"), seats=1
    )
    enrol(reserved, S.CONFIRMED)
    # The general seat is taken, but a seat reserved for a unit is still free.
    OfferingUnitQuota.objects.create(region=in_region, offering=reserved, unit=unit, seats=1)
    assert _titles(in_region, open_seats=True) == ["Ada kursi", "Kursi unit"]
    assert len(_titles(in_region)) == 5


def test_filters_through_the_page(region, employee, login):
    ProgramFactory(region=region, title="Pelatihan Kearsipan", delivery_mode="daring")
    ProgramFactory(region=region, title="Pelatihan Keuangan", delivery_mode="tatap_muka")
    client = login(employee)
    body = _catalogue(client, region, q="arsip", mode="daring").content.decode()
    assert "Pelatihan Kearsipan" in body and "Pelatihan Keuangan" not in body
    body = _catalogue(client, region, mode="bukan-moda", form="x", month="2026-13").content.decode()
    assert "Pelatihan Kearsipan" in body and "Pelatihan Keuangan" in body
    empty = _catalogue(client, region, q="zzz").content.decode()
    assert "Tidak ada pelatihan yang cocok" in empty


# --- Query counts ------------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches (content types, sessions) first
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_catalogue_programme(region, title):
    program = ProgramFactory(region=region, title=title)
    with scopes_disabled():
        program.competencies.set(
            [CompetencyFactory(region=region), CompetencyFactory(region=region)]
        )
    offering = OfferingFactory(region=region, program=program)
    enrol(offering, S.CONFIRMED)
    return program


def test_catalogue_query_count_is_constant(region, employee, login, django_assert_num_queries):
    client = login(employee)
    url = reverse("training:catalogue", args=[region.slug])
    _add_catalogue_programme(region, "Satu")
    once = _count_queries(client, url)
    _add_catalogue_programme(region, "Dua")
    _add_catalogue_programme(region, "Tiga")
    with django_assert_num_queries(once):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 3


def test_catalogue_programme_query_count_is_constant(
    region, employee, login, django_assert_num_queries
):
    program = ProgramFactory(region=region)

    def add_offering():
        offering = OfferingFactory(region=region, program=program)
        with scopes_disabled():
            offering.speakers.set([SpeakerFactory(region=region), SpeakerFactory(region=region)])
        SessionFactory(region=region, offering=offering, speaker=SpeakerFactory(region=region))
        enrol(offering, S.CONFIRMED)

    client = login(employee)
    url = reverse("training:catalogue_program", args=[region.slug, program.pk])
    add_offering()
    once = _count_queries(client, url)
    add_offering()
    add_offering()
    with django_assert_num_queries(once):
        response = client.get(url)
    assert len(response.context["offerings"]) == 3
