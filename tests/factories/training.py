import datetime as dt
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled

from regions.models import Notification
from training.models import (
    Competency,
    CompetencyLevel,
    CompetencyType,
    DeliveryMode,
    DevelopmentForm,
    DevelopmentPlan,
    DevelopmentPlanItem,
    DevelopmentRecord,
    EmployeeCompetency,
    Enrolment,
    Offering,
    PositionStandard,
    PositionStandardItem,
    Program,
    Provider,
    Session,
    Speaker,
)

from .base import ScopedFactory
from .regions import EmployeeFactory, RegionFactory

"""Factories and helpers of the training app: catalogue, enrolment, JP ledger, plans,
competencies, and upload files for evidence."""


def development_form(form_id: int = 3) -> DevelopmentForm:
    """A national form of development, loaded by migration (3 = Diklat Teknis)."""
    return DevelopmentForm.objects.get(pk=form_id)


class ProviderFactory(ScopedFactory):
    class Meta:
        model = Provider

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Universitas Contoh {n}")
    kind = Provider.Kind.UNIVERSITY


class SpeakerFactory(ScopedFactory):
    class Meta:
        model = Speaker

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Dr. Narasumber {n}")
    expertise = "Kebijakan publik"


class CompetencyFactory(ScopedFactory):
    class Meta:
        model = Competency

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"T.{n:02d}")
    name = factory.Sequence(lambda n: f"Pengelolaan Arsip Digital {n}")
    type = CompetencyType.TEKNIS


class ProgramFactory(ScopedFactory):
    class Meta:
        model = Program

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"PRG-{n:03d}")
    title = factory.Sequence(lambda n: f"Pelatihan Pelayanan Publik {n}")
    description = "Pelatihan untuk meningkatkan kualitas layanan."
    form = factory.LazyFunction(development_form)
    competency_type = CompetencyType.TEKNIS
    jp = 24
    delivery_mode = DeliveryMode.TATAP_MUKA
    status = Program.Status.PUBLISHED


class OfferingFactory(ScopedFactory):
    """An open batch: the window is open today and it starts in two weeks."""

    class Meta:
        model = Offering

    region = factory.SubFactory(RegionFactory)
    program = factory.LazyAttribute(lambda o: ProgramFactory(region=o.region))
    name = factory.Sequence(lambda n: f"Angkatan {n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=2))
    enrolment_opens = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    enrolment_closes = factory.LazyAttribute(lambda o: o.start_date - dt.timedelta(days=1))
    seats = 20
    requires_approval = False
    has_waitlist = True
    venue = "Aula BKPSDM"
    status = Offering.Status.OPEN


class SessionFactory(ScopedFactory):
    class Meta:
        model = Session

    region = factory.SubFactory(RegionFactory)
    offering = factory.LazyAttribute(lambda o: OfferingFactory(region=o.region))
    title = factory.Sequence(lambda n: f"Sesi {n}")
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(dt.datetime.combine(o.offering.start_date, dt.time(9, 0)))
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    location = "Aula BKPSDM"


class EnrolmentFactory(ScopedFactory):
    """A confirmed enrolment written directly (tests of services use the services)."""

    class Meta:
        model = Enrolment

    region = factory.SubFactory(RegionFactory)
    offering = factory.LazyAttribute(lambda o: OfferingFactory(region=o.region))
    employee = factory.LazyAttribute(lambda o: EmployeeFactory(region=o.region))
    status = Enrolment.Status.CONFIRMED
    source = Enrolment.Source.SELF
    requested_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def pdf_upload(name: str = "sertifikat.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "sertifikat.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def jpeg_upload(name: str = "sertifikat.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


class DevelopmentRecordFactory(ScopedFactory):
    """An external record waiting for verification, done last week; with `verified=True`, a
    verified external record (a 24-JP Diklat Teknis of March 2026 with a certificate)."""

    class Meta:
        model = DevelopmentRecord

    class Params:
        verified = factory.Trait(
            title=factory.Sequence(lambda n: f"Bimtek Arsip Digital {n}"),
            form_id=3,
            start_date=dt.date(2026, 3, 2),
            end_date=dt.date(2026, 3, 4),
            year=2026,
            jp=24,
            certificate_number=factory.Sequence(lambda n: f"SERT/{n:05d}"),
            status=DevelopmentRecord.Status.VERIFIED,
            verified_at=factory.LazyFunction(timezone.now),
        )

    region = factory.SubFactory(RegionFactory)
    employee = factory.LazyAttribute(lambda o: EmployeeFactory(region=o.region))
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    year = factory.LazyAttribute(lambda o: o.end_date.year)
    source = DevelopmentRecord.Source.EXTERNAL
    title = factory.Sequence(lambda n: f"Seminar Pelayanan Publik {n}")
    form_id = 9  # Seminar (a national form, loaded by migration)
    organiser = "BPSDM Provinsi"
    jp = Decimal("4")
    status = DevelopmentRecord.Status.SUBMITTED


class DevelopmentPlanFactory(ScopedFactory):
    class Meta:
        model = DevelopmentPlan

    region = factory.SubFactory(RegionFactory)
    employee = factory.LazyAttribute(lambda o: EmployeeFactory(region=o.region))
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    status = DevelopmentPlan.Status.DRAFT


class DevelopmentPlanItemFactory(ScopedFactory):
    class Meta:
        model = DevelopmentPlanItem

    region = factory.LazyAttribute(lambda o: o.plan.region)
    plan = factory.SubFactory(DevelopmentPlanFactory)
    description = factory.Sequence(lambda n: f"Pelatihan analisis data {n}")
    planned_jp = 8
    planned_month = 5


def enrol(offering, status=Enrolment.Status.CONFIRMED, *, employee=None, reserved_unit=None):
    """An enrolment of a new (or the given) employee of the offering's region in `status`."""
    employee = employee or EmployeeFactory(region=offering.region)
    return EnrolmentFactory(
        region=offering.region,
        offering=offering,
        employee=employee,
        status=status,
        reserved_unit=reserved_unit,
        waitlisted_at=timezone.now() if status == Enrolment.Status.WAITLISTED else None,
    )


def notified() -> set[tuple[str, int]]:
    """(kind, employee id) of every notification recorded so far."""
    with scopes_disabled():
        return set(Notification.objects.values_list("kind", "recipient_id"))


def jakarta(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


MANAGERIAL_CODES = [f"M.0{n}" for n in range(1, 9)]


def national(code: str) -> Competency:
    """A national competency loaded by migration (M.01–M.08, SK.01)."""
    with scopes_disabled():
        return Competency.objects.get(region__isnull=True, code=code)


def technical(region, code: str, name: str | None = None, **kwargs) -> Competency:
    competency = CompetencyFactory(
        region=region, code=code, name=name or f"Teknis {code}", **kwargs
    )
    with scopes_disabled():
        for level in range(1, 6):
            CompetencyLevel.objects.create(
                competency=competency, level=level, description=f"{code} level {level}"
            )
    return competency


def standard(region, *, items=(), position_type="pelaksana", **kwargs) -> PositionStandard:
    """A position standard with items given as (competency, required level) pairs."""
    with scopes_disabled():
        result = PositionStandard.objects.create(
            region=region, position_type=position_type, **kwargs
        )
        for competency, level in items:
            PositionStandardItem.objects.create(
                region=region, standard=result, competency=competency, required_level=level
            )
    return result


def assess(employee, competency, level: int, *, on: dt.date | None = None, source="self"):
    with scopes_disabled():
        return EmployeeCompetency.objects.create(
            region=employee.region,
            employee=employee,
            competency=competency,
            level=level,
            source=source,
            assessed_on=on or dt.date(2025, 6, 1),
        )


def program_for(
    region,
    *competencies,
    status=Program.Status.PUBLISHED,
    offering_status=Offering.Status.OPEN,
    **kwargs,
) -> Program:
    """A programme developing `competencies`, with one offering in `offering_status`
    (None: no offering)."""
    program = ProgramFactory(region=region, status=status, **kwargs)
    with scopes_disabled():
        program.competencies.set(competencies)
    if offering_status is not None:
        OfferingFactory(region=region, program=program, status=offering_status)
    return program


# --- Online courses ----------------------------------------------------------------------------

WEBM_BYTES = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 64
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64

SCORM_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="kompetensi-test" version="1.2"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations default="org"><organization identifier="org"><title>{title}</title>
    <item identifier="i1" identifierref="r1"><title>{title}</title></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/></resource></resources>
</manifest>"""

# A SCO that talks to the LMS like an authoring tool's: find the API in the parent window,
# initialise, resume from suspend_data, and on "Selesai" report passed with a score.
SCORM_INDEX = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p id="resume"></p>
<button id="finish" type="button">Selesai</button>
<script>
var api = window.parent && window.parent.API;
api.LMSInitialize("");
var previous = api.LMSGetValue("cmi.suspend_data");
document.getElementById("resume").textContent = previous ? "Lanjut dari: " + previous : "Mulai baru";
api.LMSSetValue("cmi.core.lesson_location", "halaman-2");
api.LMSSetValue("cmi.suspend_data", "langkah=2");
api.LMSSetValue("cmi.core.lesson_status", "incomplete");
api.LMSCommit("");
document.getElementById("finish").addEventListener("click", function () {{
  api.LMSSetValue("cmi.core.score.raw", "{score}");
  api.LMSSetValue("cmi.core.lesson_status", "passed");
  api.LMSCommit("");
  api.LMSFinish("");
}});
</script></body></html>"""


def scorm_zip(
    *, title: str = "Modul Interaktif", score: int = 90, manifest: bool = True, extra=()
) -> bytes:
    """A small SCORM 1.2 package made here (no authoring tool): imsmanifest.xml and a SCO."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if manifest:
            archive.writestr("imsmanifest.xml", SCORM_MANIFEST.format(title=title))
        archive.writestr("index.html", SCORM_INDEX.format(title=title, score=score))
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def question(
    course,
    text="Apa kepanjangan ASN?",
    right="Aparatur Sipil Negara",
    wrong=("Anggota Sipil Nasional",),
):
    """A single-choice question in the course's bank (through the service)."""
    from training.services.courses import question_create

    return question_create(
        course=course,
        kind="single",
        text=text,
        explanation="ASN = Aparatur Sipil Negara (UU 20/2023).",
        choices=[(right, True), *((w, False) for w in wrong)],
    )


def build_course(program, *, with_tests=True, pass_percent=70, questions=3, sequential=True):
    """A programme's course through the services: a module with a text lesson, and (with
    tests) a pre-test first and a post-test last over a bank of `questions` questions."""
    from training.models import Quiz
    from training.services import courses

    course = courses.course_for_program(program=program)
    if not sequential:
        courses.course_update(course=course, title=course.title, sequential=False)
    module = courses.module_create(course=course, title="Modul 1: Dasar")
    if with_tests:
        pre = courses.lesson_create(module=module, kind="quiz", title="Pre-test", quiz_kind="pre")
        courses.quiz_update(
            quiz=pre.quiz,
            kind=Quiz.Kind.PRE,
            question_count=None,
            shuffle_questions=False,
            shuffle_choices=False,
            pass_percent=None,
            max_attempts=1,
            time_limit_minutes=None,
            scoring=Quiz.Scoring.BEST,
        )
    courses.lesson_create(
        module=module, kind="text", title="Pengantar", body="<p>Selamat datang.</p>"
    )
    if with_tests:
        post = courses.lesson_create(
            module=module, kind="quiz", title="Post-test", quiz_kind="post"
        )
        courses.quiz_update(
            quiz=post.quiz,
            kind=Quiz.Kind.POST,
            question_count=None,
            shuffle_questions=True,
            shuffle_choices=True,
            pass_percent=pass_percent,
            max_attempts=2,
            time_limit_minutes=None,
            scoring=Quiz.Scoring.BEST,
        )
        for i in range(questions):
            question(course, text=f"Soal {i + 1}: apa kepanjangan ASN?")
    return course


def right_answers(attempt) -> dict:
    """{question id: [correct choice ids]} for an attempt."""
    from training.models import Choice

    ids = [item["q"] for item in attempt.layout]
    answers: dict = {}
    for q, c in Choice.objects.filter(question_id__in=ids, is_correct=True).values_list(
        "question_id", "id"
    ):
        answers.setdefault(str(q), []).append(c)
    return answers
