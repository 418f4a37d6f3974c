"""Demo online courses for one region (registered as the `elearning` demo loader, after
`training`): a course for the e-learning programme (EL-LITDIG) with a self-paced batch the
demo ASN is working through, a blended programme with its own course and a batch with
classroom sessions, and the region's certificate settings.

Written through the services (sanitised text, checked SCORM package, copies into batches);
idempotent: a course that has lessons, a programme or batch that exists, an enrolment that
exists are left alone.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django_scopes import scope

from regions.models import Region
from training.demo import MINIMAL_PDF, _at, _demo_people
from training.models import (
    CertificateSettings,
    Course,
    DevelopmentForm,
    Enrolment,
    Lesson,
    Offering,
    Program,
    Quiz,
)
from training.models.catalogue import DeliveryMode
from training.models.competencies import CompetencyType
from training.services import catalogue, certificates, courses, enrolment, programmes

ELEARNING_CODE = "EL-LITDIG"
BLENDED_CODE = "BL-ANDAT"
SELF_PACED = "Kelas Mandiri"

QUESTIONS = [
    (
        "Apa langkah pertama saat menerima berita viral di grup percakapan?",
        [
            ("Memeriksa sumber dan tanggal beritanya", True),
            ("Langsung meneruskannya", False),
            ("Menghapus grup", False),
        ],
        "Periksa sumber, tanggal dan kesesuaian judul dengan isi sebelum membagikan.",
    ),
    (
        "Manakah yang termasuk data pribadi yang wajib dilindungi (UU 27/2022)?",
        [("NIK dan nomor telepon", True), ("Nama instansi", False), ("Alamat kantor", False)],
        "NIK, nomor telepon, data kesehatan dan data keuangan termasuk data pribadi.",
    ),
    (
        "Kata sandi yang kuat sebaiknya…",
        [
            ("Panjang dan unik untuk setiap layanan", True),
            ("Sama untuk semua akun", False),
            ("Berisi tanggal lahir", False),
        ],
        "Gunakan kata sandi panjang yang berbeda di setiap layanan, dibantu pengelola sandi.",
    ),
    (
        "Tautan yang meminta Anda memasukkan kata sandi akun kantor lewat pesan singkat adalah…",
        [("Kemungkinan phishing", True), ("Pemberitahuan resmi", False)],
        "Instansi tidak meminta kata sandi lewat pesan; laporkan ke admin TIK.",
    ),
    (
        "Sebelum mengunggah foto kegiatan layanan ke media sosial, ASN perlu…",
        [
            ("Memastikan tidak ada data pribadi warga yang terlihat", True),
            ("Menambah filter", False),
            ("Menandai semua rekan", False),
        ],
        "Dokumen dan layar berisi data warga tidak boleh ikut terfoto.",
    ),
]

SCO = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Simulasi cek fakta</title>
<link rel="stylesheet" href="gaya.css"></head><body>
<h1>Simulasi: cek fakta dalam 3 langkah</h1>
<ol><li>Baca seluruh berita, bukan hanya judulnya.</li><li>Cari sumber aslinya.</li>
<li>Bandingkan dengan kanal resmi pemerintah.</li></ol>
<p id="status"></p><button id="done" type="button">Saya sudah memahami</button>
<script src="sco.js"></script></body></html>"""

SCO_JS = """var api = window.parent && window.parent.API;
if (api) {
  api.LMSInitialize("");
  var seen = api.LMSGetValue("cmi.suspend_data");
  document.getElementById("status").textContent = seen ? "Lanjutan: " + seen : "";
  api.LMSSetValue("cmi.core.lesson_location", "langkah-1");
  api.LMSSetValue("cmi.suspend_data", "dibaca");
  api.LMSCommit("");
}
document.getElementById("done").addEventListener("click", function () {
  if (!api) return;
  api.LMSSetValue("cmi.core.score.raw", "100");
  api.LMSSetValue("cmi.core.lesson_status", "passed");
  api.LMSCommit("");
  api.LMSFinish("");
});
"""

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="demo-cek-fakta" version="1.2"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations default="o"><organization identifier="o"><title>Simulasi cek fakta</title>
  <item identifier="i" identifierref="r"><title>Simulasi cek fakta</title></item>
  </organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html">
  <file href="index.html"/><file href="sco.js"/><file href="gaya.css"/></resource></resources>
</manifest>"""


def demo_scorm_package() -> bytes:
    """A small SCORM 1.2 package (the demo's interactive lesson)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("index.html", SCO)
        archive.writestr("sco.js", SCO_JS)
        archive.writestr("gaya.css", "body{font-family:sans-serif;margin:1rem;line-height:1.5}")
    return buffer.getvalue()


def _quiz(lesson: Lesson, kind: str, *, pass_percent=None, count=None, minutes=None) -> None:
    courses.quiz_update(
        quiz=lesson.quiz,
        kind=kind,
        question_count=count,
        shuffle_questions=True,
        shuffle_choices=True,
        pass_percent=pass_percent,
        max_attempts=1 if kind == Quiz.Kind.PRE else 3,
        time_limit_minutes=minutes,
        scoring=Quiz.Scoring.BEST,
    )


def _elearning_course(program: Program) -> bool:
    course = courses.course_for_program(program=program)
    if Lesson.objects.filter(course=course).exists():
        return False
    courses.course_update(course=course, title="Literasi Digital ASN", sequential=True)
    intro = courses.module_create(course=course, title="Modul 1: Mengenali informasi yang benar")
    _quiz(
        courses.lesson_create(module=intro, kind="quiz", title="Pre-test", quiz_kind="pre"),
        Quiz.Kind.PRE,
        minutes=10,
    )
    courses.lesson_create(
        module=intro,
        kind="text",
        title="Ciri-ciri hoaks",
        duration_minutes=15,
        body=(
            "<h2>Ciri-ciri hoaks</h2><p>Hoaks biasanya memakai <strong>judul provokatif</strong>, "
            "tidak menyebut sumber yang jelas, dan meminta pembaca segera menyebarkan.</p>"
            "<ul><li>Periksa alamat situs dan akun pengirim.</li>"
            "<li>Cocokkan dengan kanal resmi instansi.</li>"
            "<li>Waspadai foto lama yang diberi keterangan baru.</li></ul>"
        ),
    )
    courses.lesson_create(
        module=intro,
        kind="scorm",
        title="Simulasi cek fakta",
        duration_minutes=10,
        package=SimpleUploadedFile("simulasi.zip", demo_scorm_package()),
    )
    data = courses.module_create(course=course, title="Modul 2: Keamanan data pribadi")
    courses.lesson_create(
        module=data,
        kind="text",
        title="Melindungi data pribadi warga",
        duration_minutes=20,
        body=(
            "<h2>Data pribadi dalam layanan publik</h2><p>UU 27/2022 mewajibkan pengendali "
            "data menjaga kerahasiaan data pribadi. Jangan mengirim salinan KTP warga melalui "
            "aplikasi percakapan pribadi.</p><blockquote>Data warga adalah amanah.</blockquote>"
        ),
    )
    courses.lesson_create(
        module=data,
        kind="file",
        title="Ringkasan materi (PDF)",
        required=False,
        attachment=SimpleUploadedFile("ringkasan-literasi-digital.pdf", MINIMAL_PDF),
    )
    _quiz(
        courses.lesson_create(module=data, kind="quiz", title="Post-test", quiz_kind="post"),
        Quiz.Kind.POST,
        pass_percent=70,
        count=4,
        minutes=15,
    )
    for text, choices, explanation in QUESTIONS:
        courses.question_create(
            course=course, kind="single", text=text, explanation=explanation, choices=choices
        )
    return True


def _blended_program(region: Region, actor) -> tuple[Program, bool]:
    program = Program.objects.filter(region=region, code=BLENDED_CODE).first()
    if program is not None:
        return program, False
    program = programmes.program_create(
        region=region,
        actor=actor,
        code=BLENDED_CODE,
        title="Analisis Data untuk Perencanaan (Blended)",
        form=DevelopmentForm.objects.get(pk=3),
        competency_type=CompetencyType.TEKNIS,
        jp=16,
        duration_days=3,
        delivery_mode=DeliveryMode.BLENDED,
        description=(
            "Belajar mandiri di portal (materi dan post-test), lalu dua sesi tatap muka untuk "
            "praktik mengolah data perencanaan dengan lembar kerja."
        ),
    )
    programmes.program_publish(program=program, actor=actor)
    course = courses.course_for_program(program=program)
    module = courses.module_create(course=course, title="Belajar mandiri sebelum kelas")
    courses.lesson_create(
        module=module,
        kind="text",
        title="Mengapa perencanaan butuh data",
        duration_minutes=20,
        body=(
            "<h2>Dari data ke keputusan</h2><p>Rencana kerja perangkat daerah disusun dari "
            "data capaian tahun lalu, kebutuhan layanan, dan anggaran.</p>"
            "<ol><li>Kumpulkan data.</li><li>Bersihkan.</li><li>Ringkas dalam tabel.</li></ol>"
        ),
    )
    _quiz(
        courses.lesson_create(module=module, kind="quiz", title="Post-test", quiz_kind="post"),
        Quiz.Kind.POST,
        pass_percent=60,
    )
    for text, choices, explanation in (
        (
            "Langkah setelah data dikumpulkan adalah…",
            [("Membersihkan data", True), ("Langsung membuat grafik", False)],
            "Data yang kotor menghasilkan kesimpulan yang salah.",
        ),
        (
            "Rata-rata dari 4, 6 dan 8 adalah…",
            [("6", True), ("18", False), ("8", False)],
            "(4 + 6 + 8) / 3 = 6.",
        ),
    ):
        courses.question_create(
            course=course, kind="single", text=text, explanation=explanation, choices=choices
        )
    return program, True


def load_elearning_demo(*, region: Region, today: dt.date, stdout=None) -> dict:
    created: dict[str, int] = {}

    def count(key: str, n: int = 1) -> None:
        created[key] = created.get(key, 0) + n

    with (
        override_settings(KOMPETENSI_NOTIFICATION_CHANNELS=["inapp"]),
        transaction.atomic(),
        scope(region=region),
    ):
        admin, _supervisor, asn, others = _demo_people(region)
        actor = admin.user
        if not CertificateSettings.objects.filter(region=region).exists():
            certificates.certificate_settings_update(
                region=region,
                number_pattern="800/{seq:03d}/" + region.slug.upper()[:10] + "/{year}",
                signer_name=admin.name,
                signer_title=f"Kepala {region.agency_name}",
                signer_nip=admin.nip,
                city=region.name,
            )
            count("certificate settings")
        program = Program.objects.filter(region=region, code=ELEARNING_CODE).first()
        if program is not None:
            if _elearning_course(program):
                count("courses")
            for offering in Offering.objects.filter(
                program=program, status__in=Offering.ACTIVE_STATUSES
            ):
                if not Course.objects.filter(offering=offering).exists():
                    courses.course_copy_to_offering(offering=offering)
            batch = Offering.objects.filter(program=program, name=SELF_PACED).first()
            if batch is None:
                start = today - dt.timedelta(days=3)
                batch = catalogue.offering_create(
                    program=program,
                    actor=actor,
                    name=SELF_PACED,
                    start_date=start,
                    end_date=today + dt.timedelta(days=27),
                    enrolment_opens=start - dt.timedelta(days=7),
                    enrolment_closes=today + dt.timedelta(days=20),
                    seats=200,
                    requires_approval=False,
                    online_link="",
                )
                catalogue.offering_open(offering=batch, actor=actor)
                catalogue.offering_start(offering=batch, actor=actor)
                count("offerings")
            taken = set(
                Enrolment.objects.filter(offering=batch).values_list("employee_id", flat=True)
            )
            people = [e for e in [asn, *others[40:48]] if e.pk not in taken]
            if people:
                outcomes = enrolment.enrolment_bulk_create(
                    offering=batch, employees=people, actor=actor
                )
                count("enrolments", sum(1 for o in outcomes if o.enrolment is not None))
        blended, made = _blended_program(region, actor)
        if made:
            count("programmes")
            count("courses")
        if not Offering.objects.filter(program=blended).exists():
            start = today + dt.timedelta(days=10)
            offering = catalogue.offering_create(
                program=blended,
                actor=actor,
                name="Angkatan I",
                start_date=start,
                end_date=start + dt.timedelta(days=2),
                enrolment_opens=today - dt.timedelta(days=3),
                enrolment_closes=start - dt.timedelta(days=2),
                seats=25,
                requires_approval=False,
                venue=f"Laboratorium komputer {region.agency_name}",
                min_attendance_percent=80,
            )
            for day in (1, 2):
                catalogue.session_create(
                    offering=offering,
                    actor=actor,
                    title=f"Praktik tatap muka {day}",
                    starts_at=_at(start + dt.timedelta(days=day), 8),
                    ends_at=_at(start + dt.timedelta(days=day), 12),
                    location=offering.venue,
                )
            catalogue.offering_open(offering=offering, actor=actor)
            count("offerings")
    if stdout is not None:
        summary = ", ".join(f"{k} +{v}" for k, v in created.items()) or "nothing new"
        stdout.write(f"{region.name:<13} elearning: {summary}")
    return created
