"""End-to-end: an ASN on a phone takes an online course from pre-test to certificate, an
anonymous visitor verifies the certificate through its QR link, the admin revokes it; and a
classroom batch with paper-test scores completes through the same completion service.

The people, the programme's course (built with the services: a pre-test, a text lesson, a
video lesson, a SCORM 1.2 package this test builds itself, a post-test) and the batch are made
here; everything else is done by clicking through the portal in Chromium.
"""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect
from pypdf import PdfReader

from regions.models import PositionType
from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory, make_admin
from tests.factories.training import (
    WEBM_BYTES,
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
    development_form,
    question,
    scorm_zip,
    upload,
)
from training.models import Enrolment, Offering, Quiz
from training.services import certificates, courses
from training.services.catalogue import offering_create

from ..conftest import PASSWORD
from .conftest import log_in
from .helpers import expect_flash, national_reference_data, review_shots, sideways_overflow

pytestmark = pytest.mark.e2e

PHONE_360 = {"width": 360, "height": 740}
TITLE = "Literasi Digital untuk Pelayanan Publik"
LEARNER = "Rina Marlina"


def _quiz(lesson, kind, pass_percent=None):
    courses.quiz_update(
        quiz=lesson.quiz,
        kind=kind,
        question_count=None,
        shuffle_questions=True,
        shuffle_choices=True,
        pass_percent=pass_percent,
        max_attempts=2,
        time_limit_minutes=15,
        scoring=Quiz.Scoring.BEST,
    )


@pytest.fixture
def elearning(transactional_db, settings, tmp_path, live_server):
    national_reference_data()
    settings.MEDIA_ROOT = tmp_path
    settings.KOMPETENSI_BASE_URL = live_server.url
    with scopes_disabled():
        region = RegionFactory(
            slug="semarang",
            name="Semarang",
            province="Jawa Tengah",
            agency_name="BKPP Kota Semarang",
        )
    with scope(region=region):
        unit = UnitFactory(
            region=region, code="DISKOMINFO", name="Dinas Komunikasi dan Informatika"
        )
        admin = make_admin(region, unit=unit, name="Dewi Lestari, S.Sos.")
        learner = EmployeeFactory(
            region=region, unit=unit, name=LEARNER, position_type=PositionType.PELAKSANA
        )
        certificates.certificate_settings_update(
            region=region,
            number_pattern="800/{seq:03d}/BKPP/{year}",
            signer_name="Drs. Yoga Pamungkas, M.Si.",
            signer_title="Kepala BKPP Kota Semarang",
            signer_nip="197911182002041003",
            city="Semarang",
        )
        program = ProgramFactory(
            region=region, title=TITLE, jp=12, form=development_form(16), delivery_mode="daring"
        )
        course = courses.course_for_program(program=program)
        module = courses.module_create(course=course, title="Modul 1: Dasar literasi digital")
        _quiz(
            courses.lesson_create(module=module, kind="quiz", title="Pre-test", quiz_kind="pre"),
            "pre",
        )
        courses.lesson_create(
            module=module,
            kind="text",
            title="Mengenali hoaks",
            body="<h2>Ciri hoaks</h2><p>Judul provokatif dan sumber tidak jelas.</p>",
        )
        courses.lesson_create(
            module=module,
            kind="video",
            title="Video: cek fakta",
            video=upload("cek.webm", WEBM_BYTES),
        )
        courses.lesson_create(
            module=module,
            kind="scorm",
            title="Simulasi interaktif",
            package=upload("simulasi.zip", scorm_zip(title="Simulasi Cek Fakta", score=90)),
        )
        _quiz(
            courses.lesson_create(module=module, kind="quiz", title="Post-test", quiz_kind="post"),
            "post",
            pass_percent=70,
        )
        question(course, text="Apa kepanjangan ASN?", right="Aparatur Sipil Negara")
        question(
            course,
            text="Langkah pertama menghadapi berita viral?",
            right="Memeriksa sumbernya",
            wrong=("Langsung membagikan",),
        )
        today = timezone.localdate()
        offering = offering_create(
            program=program,
            name="Angkatan Daring I",
            start_date=today,
            end_date=today + dt.timedelta(days=4),
            enrolment_opens=today - dt.timedelta(days=7),
            enrolment_closes=today,
            seats=30,
        )
        Offering.objects.filter(pk=offering.pk).update(status=Offering.Status.RUNNING)
        enrolment = EnrolmentFactory(region=region, offering=offering, employee=learner)
    return region, admin, learner, enrolment


RIGHT = ("Aparatur Sipil Negara", "Memeriksa sumbernya")


def _answer(page, right=True):
    for text in RIGHT if right else ("Anggota Sipil Nasional", "Langsung membagikan"):
        page.get_by_label(text, exact=True).check()
    page.get_by_role("button", name="Kirim jawaban").click()


def _progress(page) -> str:
    return page.get_by_test_id("progress-percent").first.inner_text()


def test_asn_on_a_phone_learns_passes_and_gets_a_verifiable_certificate(
    elearning, new_page, live_server
):
    region, admin, learner, enrolment = elearning
    overflows = {}
    page = new_page(viewport=PHONE_360, is_mobile=True)
    log_in(page, learner.nip, PASSWORD)
    expect(page.get_by_role("heading", name="Lanjutkan belajar")).to_be_visible()
    page.get_by_role("link", name="Lanjutkan").click()

    # Pre-test: before the lessons open.
    expect(page.get_by_role("heading", level=1)).to_have_text("Pre-test")
    assert _progress(page) == "0%"
    page.get_by_role("button", name="Mulai tes").click()
    expect(page.get_by_role("timer")).to_contain_text("Sisa waktu")
    page.reload()  # an attempt in progress survives a reload
    expect(page.get_by_role("button", name="Kirim jawaban")).to_be_visible()
    review_shots(page, "elearning-quiz", overflows)
    _answer(page, right=False)
    expect(page.get_by_test_id("quiz-score")).to_have_text("0")
    page.get_by_role("link", name="Materi berikutnya").click()

    # Text lesson.
    expect(page.get_by_role("heading", name="Ciri hoaks")).to_be_visible()
    assert _progress(page) == "20%"
    review_shots(page, "elearning-text-lesson", overflows)
    page.get_by_role("button", name="Tandai selesai").click()

    # Video lesson (served from the portal with range requests).
    expect(page.get_by_role("heading", level=1)).to_have_text("Video: cek fakta")
    assert _progress(page) == "40%"
    video_src = page.locator("video").get_attribute("src")
    ranged = page.request.get(video_src, headers={"Range": "bytes=0-3"})
    assert ranged.status == 206 and ranged.body() == WEBM_BYTES[:4]
    page.get_by_role("button", name="Tandai selesai").click()

    # SCORM 1.2 lesson: the package talks to the vendored runtime in the parent page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Simulasi interaktif")
    assert _progress(page) == "60%"
    frame = page.frame_locator(".scorm-frame iframe")
    expect(frame.get_by_text("Mulai baru")).to_be_visible()
    review_shots(page, "elearning-scorm", overflows)
    with page.expect_navigation():
        frame.get_by_role("button", name="Selesai").click()
    expect(page.get_by_text("Status paket: passed")).to_be_visible()
    assert _progress(page) == "80%"
    page.get_by_role("link", name="Materi berikutnya").click()

    # Post-test: passed, JP awarded, certificate issued in the background.
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test")
    page.get_by_role("button", name="Mulai tes").click()
    _answer(page, right=True)
    expect(page.get_by_test_id("quiz-score")).to_have_text("100")
    expect(page.get_by_text("memperoleh 12 JP")).to_be_visible()
    review_shots(page, "elearning-result", overflows)

    page.goto(f"/{region.slug}/pendaftaran-saya/{enrolment.pk}/")
    expect(page.get_by_text("Selesai.", exact=False).first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh sertifikat").click()
    pdf = download_info.value.path().read_bytes()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    year = timezone.localdate().year
    assert LEARNER in text and TITLE in text and "12 JP" in text
    assert f"800/001/BKPP/{year}" in text and "Drs. Yoga Pamungkas" in text
    code = re.search(r"Kode verifikasi: ([A-Z0-9]{24})", text).group(1)
    assert live_server.url in text.replace("\n", "")

    page.goto(f"/{region.slug}/jp-saya/")
    expect(page.get_by_text(TITLE).first).to_be_visible()
    expect(page.get_by_text("12").first).to_be_visible()
    assert not overflows, overflows

    # Anyone with the QR link sees it valid, then revoked.
    visitor = new_page(viewport=PHONE_360, is_mobile=True)
    visitor.goto(f"/verifikasi/{code}/")
    expect(visitor.get_by_test_id("verify-status")).to_contain_text("Sertifikat SAH")
    expect(visitor.get_by_text(LEARNER)).to_be_visible()
    expect(visitor.get_by_text(learner.nip)).to_have_count(0)
    assert sideways_overflow(visitor) <= 0

    desk = new_page()
    log_in(desk, admin.nip, PASSWORD)
    desk.goto(f"/{region.slug}/kelola/angkatan/{enrolment.offering_id}/sertifikat/")
    desk.get_by_role("link", name="Detail").first.click()
    desk.locator("form").filter(has_text="Cabut sertifikat").get_by_label("Alasan").fill(
        "Data kehadiran keliru"
    )
    desk.get_by_role("button", name="Cabut", exact=True).click()
    expect_flash(desk, "Sertifikat dicabut.")

    visitor.reload()
    expect(visitor.get_by_test_id("verify-status")).to_contain_text("DICABUT")


@pytest.fixture
def classroom(transactional_db):
    national_reference_data()
    with scopes_disabled():
        region = RegionFactory(slug="binjai", name="Binjai", agency_name="BKPSDM Kota Binjai")
    with scope(region=region):
        unit = UnitFactory(region=region, code="BKPSDM", name="BKPSDM Kota Binjai")
        admin = make_admin(region, unit=unit, name="Admin Binjai")
        today = timezone.localdate()
        offering = OfferingFactory(
            region=region,
            program=ProgramFactory(region=region, title="Penyusunan SKP", jp=8),
            start_date=today - dt.timedelta(days=1),
            end_date=today,
            enrolment_opens=today - dt.timedelta(days=10),
            enrolment_closes=today - dt.timedelta(days=2),
            status=Offering.Status.RUNNING,
            post_test_pass_mark=70,
        )
        people = [
            EnrolmentFactory(
                region=region,
                offering=offering,
                employee=EmployeeFactory(region=region, unit=unit, name=name),
            )
            for name in ("Budi Santoso", "Siti Aminah")
        ]
    return region, admin, offering, people


def test_classroom_batch_with_paper_scores_completes_through_the_same_service(classroom, new_page):
    region, admin, offering, (budi, siti) = classroom
    page = new_page()
    log_in(page, admin.nip, PASSWORD)
    page.goto(f"/{region.slug}/kelola/angkatan/{offering.pk}/peserta/")
    page.get_by_role("link", name="Nilai tes").click()
    page.get_by_label("Pre-test Budi Santoso").fill("55")
    page.get_by_label("Post-test Budi Santoso").fill("85")
    page.get_by_label("Pre-test Siti Aminah").fill("60")
    page.get_by_label("Post-test Siti Aminah").fill("65")
    page.get_by_role("button", name="Simpan nilai").click()
    expect_flash(page, "Nilai disimpan")
    page.goto(f"/{region.slug}/kelola/angkatan/{offering.pk}/selesaikan/")
    expect(page.get_by_text("Nilai post-test paling sedikit 70.")).to_be_visible()
    page.get_by_role("button", name="Selesaikan dan catat JP").click()
    expect_flash(page, "1 peserta lulus")
    with scopes_disabled():
        statuses = dict(
            Enrolment.objects.filter(offering=offering).values_list("employee__name", "status")
        )
        failed = Enrolment.objects.get(pk=siti.pk)
    assert statuses == {"Budi Santoso": "completed", "Siti Aminah": "failed"}
    assert "65 di bawah nilai lulus 70" in failed.outcome_reason
