"""Integration: the recognition list — ranking and ties, PNS and PPPK apart, per unit, size,
publishing (ASN see it), opting out of being named, export and the certificate PDF."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from dashboards.models import RecognitionEntry, RecognitionList
from dashboards.selectors import recognition as selectors
from dashboards.services import recognition as services

from .conftest import YEAR, person, record

pytestmark = pytest.mark.django_db


def url(name, region, **query):
    base = reverse(f"dashboards:{name}", kwargs={"region_slug": region.slug})
    return base + "?" + "&".join(f"{k}={v}" for k, v in {"tahun": YEAR, **query}.items())


def names(groups):
    return {g.label: [p.employee.name for p in g.people] for g in groups}


def test_ranking_by_jp_pns_and_pppk_apart(world, region):
    with scope(region=region):
        groups = selectors.preview(
            region=region, settings=RecognitionList(region=region, year=YEAR)
        )
    assert names(groups) == {
        "PNS": ["Eko Prasetyo", "Agus Salim", "Citra Lestari"],
        "PPPK": ["Bambang PPPK"],
    }
    eko = groups[0].people[0]
    assert (eko.rank, eko.verified_jp, eko.programmes, eko.reached_on) == (
        1,
        30,
        1,
        dt.date(YEAR, 5, 5),
    )


def test_ties_go_to_who_reached_the_target_first(world, region):
    with scopes_disabled():
        early = person(region, world.dinkes, "Zainal Awal")
        late = person(region, world.dinkes, "Yusuf Akhir")
        # Both 30 JP in two activities; Zainal reached 20 JP in January, Yusuf in June.
        record(early, 20, dt.date(YEAR, 1, 15))
        record(early, 10, dt.date(YEAR, 9, 1))
        record(late, 10, dt.date(YEAR, 2, 1))
        record(late, 20, dt.date(YEAR, 6, 1))
    settings = RecognitionList(region=region, year=YEAR, size=3)
    with scope(region=region):
        groups = selectors.preview(region=region, settings=settings)
        by_programmes = selectors.preview(
            region=region,
            settings=RecognitionList(
                region=region,
                year=YEAR,
                size=1,
                criterion=RecognitionList.Criterion.PROGRAMMES,
            ),
        )
    assert names(groups)["PNS"] == ["Zainal Awal", "Yusuf Akhir", "Eko Prasetyo"]
    # By number of activities (2 each), then JP, then the date the target was reached.
    assert names(by_programmes)["PNS"] == ["Zainal Awal"]


def test_per_unit_and_minimum_jp(world, region):
    settings = RecognitionList(region=region, year=YEAR, size=1, per_unit=True, min_jp=10)
    with scope(region=region):
        groups = selectors.preview(region=region, settings=settings)
    shown = {(g.label, g.unit.name): [p.employee.name for p in g.people] for g in groups}
    assert shown == {
        ("PNS", "Dinas Kesehatan"): ["Agus Salim"],
        ("PNS", "Kecamatan Tugu"): ["Eko Prasetyo"],
        ("PPPK", "Dinas Kesehatan"): ["Bambang PPPK"],
    }


def test_admin_publishes_and_an_asn_sees_it_without_opted_out_names(
    client, region, world, admin, other_admin
):
    with scope(region=region):
        services.opt_out_set(employee=world.p1, opted_out=True)
    client.force_login(world.p4.user)
    before = client.get(url("recognition", region)).content.decode()
    assert "belum diterbitkan" in before
    assert "Eko Prasetyo" not in before  # not published: ASN see nothing yet

    client.force_login(admin.user)
    saved = client.post(url("recognition", region), {"criterion": "jp", "size": 2, "min_jp": 0})
    assert saved.status_code == 302
    response = client.post(url("recognition_publish", region), {"tahun": YEAR})
    assert response.status_code == 302
    with scopes_disabled():
        recognition = RecognitionList.objects.get(region=region, year=YEAR)
        entries = list(recognition.entries.order_by("employment_type", "rank"))
    assert recognition.is_published and recognition.published_by == admin.user
    assert [e.employee.name for e in entries] == ["Eko Prasetyo", "Agus Salim", "Bambang PPPK"]
    admin_page = client.get(url("recognition", region)).content.decode()
    assert "Agus Salim" in admin_page  # the admin still sees who opted out

    client.force_login(world.p4.user)
    page = client.get(url("recognition", region)).content.decode()
    assert "Eko Prasetyo" in page and "Bambang PPPK" in page
    assert "Agus Salim" not in page
    assert "Nama tidak ditampilkan atas permintaan pegawai" in page
    assert "Piagam (PDF)" not in page
    # Agus himself sees his own name.
    client.force_login(world.p1.user)
    assert "Agus Salim" in client.get(url("recognition", region)).content.decode()
    asn = client.get(url("asn", region)).content.decode()
    assert "peringkat 2" in asn


def test_published_list_is_frozen_until_withdrawn(world, region, admin):
    with scope(region=region):
        services.recognition_publish(region=region, year=YEAR, actor=admin.user)
        with pytest.raises(ValidationError):
            services.recognition_publish(region=region, year=YEAR, actor=admin.user)
        with pytest.raises(ValidationError):
            services.recognition_settings_save(
                region=region, year=YEAR, criterion="jp", size=5, per_unit=False, min_jp=0
            )
        record(world.p4, 100, dt.date(YEAR, 10, 1))  # Dewi now leads, but the list stays
        published = selectors.published(
            recognition=RecognitionList.objects.get(region=region, year=YEAR)
        )
        assert "Dewi Anggraini" not in names(published)["PNS"]
        services.recognition_withdraw(region=region, year=YEAR, actor=admin.user)
        assert not RecognitionEntry.objects.filter(region=region).exists()
        services.recognition_publish(region=region, year=YEAR, actor=admin.user)
        again = selectors.published(
            recognition=RecognitionList.objects.get(region=region, year=YEAR)
        )
    assert names(again)["PNS"][0] == "Dewi Anggraini"


def test_nobody_to_rank_cannot_be_published(region, admin):
    with scope(region=region), pytest.raises(ValidationError):
        services.recognition_publish(region=region, year=YEAR, actor=admin.user)


def test_bad_criteria_get_a_message(client, region, world, admin):
    client.force_login(admin.user)
    response = client.post(url("recognition", region), {"criterion": "x", "size": 0, "min_jp": -1})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"criterion", "size", "min_jp"}


def test_only_admins_manage_and_print(client, region, world, admin):
    client.force_login(world.p1.user)
    assert client.post(url("recognition", region), {"size": 3}).status_code == 403
    assert client.post(url("recognition_publish", region), {"tahun": YEAR}).status_code == 403
    assert client.get(url("recognition_export", region, format="csv")).status_code == 403


def test_export_and_certificate(client, region, world, admin):
    with scope(region=region):
        services.recognition_publish(region=region, year=YEAR, actor=admin.user)
        entry = RecognitionEntry.objects.get(region=region, employee=world.p3)
    client.force_login(admin.user)
    exported = client.get(url("recognition_export", region, format="csv"))
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert "Eko Prasetyo" in text and "Bambang PPPK" in text
    pdf = client.get(
        reverse(
            "dashboards:recognition_certificate",
            kwargs={"region_slug": region.slug, "entry_id": entry.pk},
        )
    )
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_opt_out_toggles(client, region, world):
    client.force_login(world.p1.user)
    target = reverse("dashboards:recognition_opt_out", kwargs={"region_slug": region.slug})
    client.post(target, {"sembunyikan": "1"})
    with scope(region=region):
        assert selectors.is_opted_out(employee=world.p1)
    client.post(target, {"sembunyikan": "0", "next": "https://example.com/"})
    with scope(region=region):
        assert not selectors.is_opted_out(employee=world.p1)
