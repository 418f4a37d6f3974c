"""End-to-end: post-training evaluation. A participant fills the survey after the batch ends
and edits it; the admin reads the batch report with its charts and sees a programme flagged
"kurang relevan"; after the L3 delay (the batch moved back in time) the recorded supervisor
gets the request and submits it while another supervisor cannot open it; the admin records an
L4 indicator.

People and batches are made with factories and services; everything users do is done through
the pages in Chromium, each person in their own browser.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from evaluations import jobs
from evaluations.models import Survey, SurveyItem
from evaluations.selectors.kirkpatrick import survey_questions
from evaluations.services import surveys
from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory, make_admin
from tests.factories.training import EnrolmentFactory, OfferingFactory, ProgramFactory
from training.models import Enrolment, Offering

from .helpers import expect_flash, heading, logged_in, national_reference_data

pytestmark = pytest.mark.e2e


def _ended(region, program, people, days_ago=1):
    today = timezone.localdate()
    end = today - dt.timedelta(days=days_ago)
    offering = OfferingFactory(
        region=region,
        program=program,
        name="Angkatan I",
        start_date=end - dt.timedelta(days=2),
        end_date=end,
        enrolment_opens=end - dt.timedelta(days=30),
        enrolment_closes=end - dt.timedelta(days=3),
        status=Offering.Status.COMPLETED,
    )
    for person in people:
        EnrolmentFactory(
            region=region,
            offering=offering,
            employee=person,
            status=Enrolment.Status.COMPLETED,
            completed_at=timezone.now() - dt.timedelta(days=days_ago),
            pre_test_score=50,
            post_test_score=80,
        )
    return offering


@pytest.fixture
def world(transactional_db):
    from django.contrib.contenttypes.models import ContentType

    # An earlier transactional test's flush recreated the content types under new ids: the
    # notifications made below must not use this process's stale cache.
    ContentType.objects.clear_cache()
    national_reference_data()
    with scopes_disabled():
        region = RegionFactory(slug="semarang", name="Semarang", agency_name="BKPP Kota Semarang")
        unit = UnitFactory(region=region, code="DUKCAPIL", name="Dinas Kependudukan")
        admin = make_admin(region, unit=unit, name="Dewi Lestari")
        boss = EmployeeFactory(region=region, unit=unit, name="Bambang Kepala Seksi")
        other_boss = EmployeeFactory(region=region, unit=unit, name="Rina Kepala Bidang")
        EmployeeFactory(region=region, unit=unit, supervisor=other_boss)
        asn = EmployeeFactory(region=region, unit=unit, supervisor=boss, name="Yusuf Hidayat")
        good = ProgramFactory(region=region, title="Pelayanan Prima Adminduk")
        offering = _ended(region, good, [asn])
        # Another programme that ten participants found irrelevant.
        poor = ProgramFactory(region=region, title="Pengelolaan Arsip Konvensional")
        people = [EmployeeFactory(region=region, unit=unit) for _ in range(10)]
        poor_batch = _ended(region, poor, people, days_ago=3)
    with scope(region=region):
        surveys.survey_open(offering=poor_batch)
        survey = Survey.objects.get(offering=poor_batch)
        for person in people:
            data = {}
            for q in survey_questions(survey=survey, offering=poor_batch):
                if q.item.kind == SurveyItem.Kind.LIKERT:
                    data[q.field] = "2" if q.item.is_relevance else "3"
                elif q.item.kind == SurveyItem.Kind.CHOICE:
                    data[q.field] = q.item.choices[-1]
                elif q.item.section == SurveyItem.Section.RELEVANCE:
                    data[q.field] = "Kantor kami sudah memakai arsip digital."
            surveys.survey_response_save(offering=poor_batch, employee=person, data=data)
    return region, admin, boss, other_boss, asn, offering, poor


def _fill_likert(page, value: str):
    for group in page.locator(".survey-form .btn-group").all():
        group.locator(f"label:text-is('{value}')").click()


def test_survey_report_flag_l3_and_l4(new_page, world):
    region, admin, boss, other_boss, asn, offering, poor = world
    jobs.survey_job()  # the batch ended yesterday: its survey opens and the ASN is invited

    # The participant fills the survey, then edits it.
    page = logged_in(new_page, asn)
    page.goto(reverse("evaluations:my_surveys", kwargs={"region_slug": region.slug}))
    page.get_by_role("link", name="Isi survei").click()
    expect(heading(page)).to_have_text("Survei pasca pelatihan")
    page.get_by_role("button", name="Kirim survei").click()
    expect(page.locator(".alert-danger")).to_contain_text("Periksa kembali")
    _fill_likert(page, "4")
    page.get_by_label("Ya", exact=True).check()
    page.get_by_label("Apa yang perlu diperbaiki dari pelatihan ini?").fill("Tambah praktik SIAK")
    page.get_by_role("button", name="Kirim survei").click()
    expect_flash(page, re.compile("jawaban survei Anda tersimpan"))
    expect(page.get_by_text("Sudah diisi")).to_be_visible()
    page.get_by_role("link", name="Ubah jawaban").click()
    _fill_likert(page, "5")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect_flash(page, re.compile("jawaban survei Anda tersimpan"))

    # The admin reads the batch report with its charts, and sees the flagged programme.
    admin_page = logged_in(new_page, admin)
    admin_page.goto(reverse("evaluations:evaluation_index", kwargs={"region_slug": region.slug}))
    expect(admin_page.get_by_role("alert")).to_contain_text("kurang relevan")
    row = admin_page.get_by_role("row", name=re.compile(poor.title))
    expect(row.locator(".relevance-flag")).to_be_visible()
    admin_page.get_by_role("link", name="Lihat daftar dan komentar").click()
    expect(admin_page.get_by_text("Kantor kami sudah memakai arsip digital.").first).to_be_visible()
    admin_page.goto(
        reverse(
            "evaluations:offering_report",
            kwargs={"region_slug": region.slug, "offering_id": offering.pk},
        )
    )
    expect(admin_page.get_by_test_id("l1-responses")).to_contain_text("1 / 1")
    expect(admin_page.locator("#chart-sections")).to_have_attribute("data-chart-ready", "true")
    expect(admin_page.locator("#chart-items")).to_have_attribute("data-chart-ready", "true")
    expect(admin_page.get_by_text("Tambah praktik SIAK")).to_be_visible()
    expect(admin_page.get_by_test_id("l2-gain")).to_contain_text("30")

    # Time moves on: the batch ended 91 days ago; the L3 job asks the recorded supervisor.
    with scopes_disabled():
        past = timezone.now() - dt.timedelta(days=91)
        Enrolment.objects.filter(offering=offering).update(completed_at=past)
    jobs.l3_job()
    intruder = logged_in(new_page, other_boss)
    boss_page = logged_in(new_page, boss)
    boss_page.goto(reverse("evaluations:my_surveys", kwargs={"region_slug": region.slug}))
    row = boss_page.get_by_role("row", name=re.compile("Yusuf Hidayat"))
    row.get_by_role("link", name="Isi evaluasi").click()
    l3_url = boss_page.url
    intruder_response = intruder.goto(l3_url)
    assert intruder_response.status == 404
    for name in ("q_apply", "q_quality", "q_share", "q_initiative"):
        boss_page.locator(f"label[for='{name}-4']").click()
    boss_page.get_by_label("Contoh penerapan").fill("Menyusun alur antrean baru di loket")
    boss_page.get_by_role("button", name="Kirim penilaian").click()
    expect_flash(boss_page, "Penilaian evaluasi pasca pelatihan tersimpan.")
    expect(boss_page.get_by_role("row", name=re.compile("Yusuf Hidayat"))).to_contain_text(
        "Sudah diisi"
    )

    # The admin records an L4 indicator and a measurement on the programme report.
    admin_page.goto(
        reverse(
            "evaluations:program_report",
            kwargs={"region_slug": region.slug, "program_id": offering.program_id},
        )
    )
    admin_page.get_by_label("Nama indikator").fill("Lama penerbitan KTP-el")
    admin_page.get_by_label("Satuan").fill("hari")
    admin_page.get_by_label("Nilai awal").fill("5")
    admin_page.get_by_label("Target", exact=True).fill("1")
    admin_page.get_by_role("button", name="Tambah", exact=True).click()
    expect_flash(admin_page, "Indikator hasil ditambahkan.")
    indicator = admin_page.locator(".indicator", has_text="Lama penerbitan KTP-el")
    indicator.get_by_label("Nilai terukur").fill("3")
    indicator.get_by_label("Sumber data").fill("Laporan Disdukcapil")
    indicator.get_by_role("button", name="Catat").click()
    expect_flash(admin_page, "Pengukuran indikator dicatat.")
    expect(admin_page.locator(".indicator")).to_contain_text("Kemajuan 50,0% menuju target")
    expect(admin_page.get_by_test_id("l1-responses")).to_contain_text("1 / 1")
