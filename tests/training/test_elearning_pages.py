"""Integration: the pages of online courses, tests, paper scores and certificates — what an
admin and an ASN see and can do, the refusals (disguised uploads, unsafe SCORM packages,
tampered quiz forms), the lesson media (range requests, restrictive headers), the public
verification page (rate-limited), and query counts at two sizes."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from tests.factories.regions import EmployeeFactory, quick_employees
from tests.factories.training import (
    MP4_BYTES,
    PDF_BYTES,
    WEBM_BYTES,
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
    build_course,
    right_answers,
    scorm_zip,
    upload,
)
from training.models import (
    Certificate,
    CertificateRun,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    Offering,
    Question,
    QuizAttempt,
)
from training.services import certificates, courses, quizzes
from training.services.catalogue import offering_create

pytestmark = pytest.mark.django_db
S = Enrolment.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KOMPETENSI_BASE_URL = "https://kompetensi.example.go.id"


def url(name, region, *args):
    return reverse(f"training:{name}", args=[region.slug, *args])


@pytest.fixture
def program(region):
    with scope(region=region):
        program = ProgramFactory(region=region, jp=12, title="Literasi Digital ASN")
        build_course(program)
    return program


@pytest.fixture
def batch(region, program):
    today = timezone.localdate()
    with scope(region=region):
        offering = offering_create(
            program=program,
            name="Angkatan Daring 1",
            start_date=today,
            end_date=today + dt.timedelta(days=10),
            enrolment_opens=today - dt.timedelta(days=3),
            enrolment_closes=today,
            seats=40,
        )
        Offering.objects.filter(pk=offering.pk).update(status=Offering.Status.RUNNING)
        offering.refresh_from_db()
    return offering


@pytest.fixture
def learner(region, batch, employee):
    with scope(region=region):
        return EnrolmentFactory(region=region, offering=batch, employee=employee)


def lessons(region, offering):
    with scope(region=region):
        course = Course.objects.get(offering=offering)
        return {lesson.title: lesson for lesson in Lesson.objects.filter(course=course)}


# --- Admin: building ---------------------------------------------------------------------------


def test_admin_builds_a_course_in_the_browser_pages(login, admin, region, program):
    client = login(admin)
    page = client.get(url("course_program", region, program.pk))
    assert page.status_code == 200
    assert "Kursus induk program" in page.content.decode()
    with scope(region=region):
        course = Course.objects.get(program=program)
        module = course.modules.get()
    response = client.post(url("module_create", region, course.pk), {"title": "Modul 2"})
    assert response.status_code == 302
    response = client.post(
        url("lesson_create", region, module.pk) + "?jenis=text",
        {
            "kind": "text",
            "title": "Etika digital",
            "required": "on",
            "body": "<p>Isi<script>alert(1)</script></p>",
        },
    )
    assert response.status_code == 302
    with scope(region=region):
        lesson = Lesson.objects.get(title="Etika digital")
    assert "<script" not in lesson.body
    response = client.post(
        url("lesson_create", region, module.pk) + "?jenis=file",
        {
            "kind": "file",
            "title": "Modul PDF",
            "required": "on",
            "attachment": upload("modul.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("lesson_create", region, module.pk) + "?jenis=video",
        {"kind": "video", "title": "Video", "video": upload("v.webm", WEBM_BYTES)},
    )
    assert response.status_code == 302
    # Move and reorder.
    assert (
        client.post(url("lesson_move", region, lesson.pk), {"direction": "up"}).status_code == 302
    )
    preview = client.get(url("course_preview", region, course.pk) + f"?materi={lesson.pk}")
    assert preview.status_code == 200 and "Pratinjau" in preview.content.decode()
    assert "Isi" in preview.content.decode()
    # Question bank and quiz settings.
    response = client.post(
        url("question_create", region, course.pk),
        {"kind": "truefalse", "text": "ASN wajib 20 JP per tahun.", "statement_true": "on"},
    )
    assert response.status_code == 302
    with scope(region=region):
        truefalse = Question.objects.get(text="ASN wajib 20 JP per tahun.")
        assert [c.is_correct for c in truefalse.choices.all()] == [True, False]
        post = Lesson.objects.get(course=course, title="Post-test")
    response = client.post(
        url("quiz_settings", region, post.pk),
        {"kind": "post", "pass_percent": "", "max_attempts": 2, "scoring": "best"},
    )
    assert response.status_code == 200
    assert "nilai lulus" in response.content.decode()  # a post-test needs a pass mark
    assert client.get(url("quiz_stats", region, post.pk)).status_code == 200
    assert client.get(url("question_list", region, course.pk)).status_code == 200


@pytest.mark.parametrize(
    ("kind", "field", "file", "message"),
    [
        ("video", "video", ("film.mp4", b"bukan video sama sekali" * 10), "MP4 atau WebM"),
        ("file", "attachment", ("modul.pdf", b"<html>bukan pdf</html>" * 10), "PDF, DOCX, PPTX"),
        ("file", "attachment", ("modul.docx", b"PK\x03\x04" + b"\x00" * 40), "PDF, DOCX, PPTX"),
        (
            "scorm",
            "package",
            ("paket.zip", scorm_zip(manifest=False)),
            "tidak memiliki imsmanifest",
        ),
        (
            "scorm",
            "package",
            ("paket.zip", scorm_zip(extra=[("../../luar.html", "x")])),
            "jalur berkas yang tidak aman",
        ),
        (
            "scorm",
            "package",
            ("paket.zip", scorm_zip(extra=[("/etc/passwd", "x")])),
            "jalur berkas yang tidak aman",
        ),
        ("scorm", "package", ("paket.zip", b"bukan zip" * 20), "berkas zip"),
    ],
)
def test_disguised_or_unsafe_uploads_are_refused(
    login, admin, region, program, kind, field, file, message, tmp_path
):
    with scope(region=region):
        module = Course.objects.get(program=program).modules.get()
        before = Lesson.objects.count()
    response = login(admin).post(
        url("lesson_create", region, module.pk) + f"?jenis={kind}",
        {"kind": kind, "title": "Berkas", field: upload(*file)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    with scope(region=region):
        assert Lesson.objects.count() == before
    assert not list((tmp_path / "scorm").rglob("*")) if (tmp_path / "scorm").exists() else True


def test_a_scorm_package_with_too_many_files_is_refused(login, admin, region, program, settings):
    settings.KOMPETENSI_SCORM_MAX_FILES = 5
    with scope(region=region):
        module = Course.objects.get(program=program).modules.get()
    package = scorm_zip(extra=[(f"aset/{i}.txt", "x") for i in range(10)])
    response = login(admin).post(
        url("lesson_create", region, module.pk) + "?jenis=scorm",
        {"kind": "scorm", "title": "Banyak", "package": upload("p.zip", package)},
    )
    assert "terlalu banyak berkas" in response.content.decode()


def test_a_zip_bomb_is_refused_by_its_unpacked_size(login, admin, region, program, settings):
    settings.KOMPETENSI_SCORM_MAX_BYTES = 50_000
    with scope(region=region):
        module = Course.objects.get(program=program).modules.get()
    package = scorm_zip(extra=[("besar.bin", b"\x00" * 200_000)])
    response = login(admin).post(
        url("lesson_create", region, module.pk) + "?jenis=scorm",
        {"kind": "scorm", "title": "Bom", "package": upload("p.zip", package)},
    )
    assert "terlalu besar" in response.content.decode()


def test_asn_cannot_use_admin_pages(login, employee, region, program):
    client = login(employee)
    assert client.get(url("course_program", region, program.pk)).status_code == 403
    assert client.get(url("certificate_settings", region)).status_code == 403


# --- ASN: learning -----------------------------------------------------------------------------


def test_asn_works_through_the_course_pages(login, region, batch, learner, employee):
    client = login(employee)
    detail = client.get(url("my_enrolment_detail", region, learner.pk)).content.decode()
    assert "Materi" in detail
    course = client.get(url("learn_course", region, learner.pk))
    assert course.status_code == 200 and "Mulai belajar" in course.content.decode()
    by_title = lessons(region, batch)
    locked = client.get(url("learn_lesson", region, learner.pk, by_title["Pengantar"].pk))
    assert locked.status_code == 302  # the pre-test comes first
    response = client.post(url("learn_quiz_start", region, learner.pk, by_title["Pre-test"].pk))
    with scope(region=region):
        attempt = QuizAttempt.objects.get(enrolment=learner)
    assert response["Location"] == url("learn_attempt", region, learner.pk, attempt.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Kirim jawaban" in page.content.decode()
    with scope(region=region):
        answers = right_answers(attempt)
    form = {f"q{q}": c for q, c in answers.items()}
    result = client.post(url("learn_attempt", region, learner.pk, attempt.pk), form, follow=True)
    assert "100" in result.content.decode() and "Pembahasan" in result.content.decode()
    text = client.get(url("learn_lesson", region, learner.pk, by_title["Pengantar"].pk))
    assert text.status_code == 200 and "Selamat datang." in text.content.decode()
    done = client.post(url("learn_lesson", region, learner.pk, by_title["Pengantar"].pk))
    assert done["Location"] == url("learn_lesson", region, learner.pk, by_title["Post-test"].pk)
    learner.refresh_from_db()
    assert learner.course_progress == 66
    home = client.get(reverse("region:home", args=[region.slug])).content.decode()
    assert "Lanjutkan belajar" in home and "Post-test" in home


def test_a_tampered_quiz_form_is_refused(login, region, batch, learner, employee):
    client = login(employee)
    pre = lessons(region, batch)["Pre-test"]
    client.post(url("learn_quiz_start", region, learner.pk, pre.pk))
    with scope(region=region):
        attempt = QuizAttempt.objects.get(enrolment=learner)
        foreign = build_course(ProgramFactory(region=region)).questions.first()
        foreign_choice = foreign.choices.first().pk
    response = client.post(
        url("learn_attempt", region, learner.pk, attempt.pk),
        {f"q{foreign.pk}": foreign_choice},
        follow=True,
    )
    assert "bukan bagian dari percobaan" in response.content.decode()
    with scope(region=region):
        assert QuizAttempt.objects.get(pk=attempt.pk).submitted_at is None


def test_another_participants_attempt_is_404(login, region, batch, learner, employee):
    with scope(region=region):
        other = EnrolmentFactory(region=region, offering=batch)
        attempt = quizzes.attempt_start(
            quiz=lessons(region, batch)["Pre-test"].quiz, enrolment=other
        )
    client = login(employee)
    assert client.get(url("learn_attempt", region, learner.pk, attempt.pk)).status_code == 404
    assert client.get(url("learn_attempt", region, other.pk, attempt.pk)).status_code == 404


def test_video_streams_with_range_requests(login, admin, region, program, batch, learner, employee):
    with scope(region=region):
        course = Course.objects.get(offering=batch)
        video = courses.lesson_create(
            module=course.modules.get(),
            kind="video",
            title="Video",
            video=upload("v.mp4", MP4_BYTES),
        )
    client = login(employee)
    full = client.get(url("lesson_video", region, video.pk))
    assert full.status_code == 200 and full["Accept-Ranges"] == "bytes"
    assert b"".join(full.streaming_content) == MP4_BYTES
    part = client.get(url("lesson_video", region, video.pk), HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-11/{len(MP4_BYTES)}"
    assert b"".join(part.streaming_content) == MP4_BYTES[4:12]
    tail = client.get(url("lesson_video", region, video.pk), HTTP_RANGE="bytes=-8")
    assert b"".join(tail.streaming_content) == MP4_BYTES[-8:]
    beyond = client.get(url("lesson_video", region, video.pk), HTTP_RANGE="bytes=99999-")
    assert beyond.status_code == 416
    # Someone not in the batch gets nothing.
    with scope(region=region):
        outsider = EmployeeFactory(region=region)
    assert login(outsider).get(url("lesson_video", region, video.pk)).status_code == 404


def test_scorm_content_is_served_with_restrictive_headers_and_commits(
    login, admin, region, program, batch, learner, employee
):
    with scope(region=region):
        course = Course.objects.get(offering=batch)
        lesson = courses.lesson_create(
            module=course.modules.get(),
            kind="scorm",
            title="Simulasi",
            package=upload("p.zip", scorm_zip()),
        )
        Course.objects.filter(pk=course.pk).update(sequential=False)
        LessonProgress.objects.create(
            region=region,
            enrolment=learner,
            lesson=lessons(region, batch)["Pre-test"],
            status="completed",
        )
    client = login(employee)
    page = client.get(url("lesson_scorm", region, lesson.pk, "index.html"))
    assert page.status_code == 200
    assert page["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"]
    assert "'unsafe-inline'" in page["Content-Security-Policy"]  # the package's own policy
    assert "Content-Security-Policy-Report-Only" not in page.headers
    assert (
        client.get(url("lesson_scorm", region, lesson.pk, "../../settings.py")).status_code == 404
    )
    token = signing.dumps([employee.user.pk, learner.pk, lesson.pk], salt="training.scorm-commit")
    commit = url("learn_scorm_commit", region, learner.pk, lesson.pk, token)
    body = '{"cmi": {"core": {"lesson_status": "passed", "score": {"raw": "88"}}}}'
    response = client.post(commit, body, content_type="text/plain;charset=UTF-8")
    assert response.status_code == 200, response.json()
    assert response.json()["result"] is True
    with scope(region=region):
        progress = LessonProgress.objects.get(enrolment=learner, lesson=lesson)
    assert progress.status == "completed" and progress.scorm_score == Decimal(88)
    forged = url("learn_scorm_commit", region, learner.pk, lesson.pk, "forged")
    assert client.post(forged, body, content_type="application/json").status_code == 404


# --- Paper scores ------------------------------------------------------------------------------


def test_admin_enters_paper_scores_in_the_grid(login, admin, region):
    with scope(region=region):
        offering = OfferingFactory(region=region, status=Offering.Status.RUNNING)
        a, b = (
            EnrolmentFactory(region=region, offering=offering, employee=e)
            for e in quick_employees(region, 2)
        )
    client = login(admin)
    assert client.get(url("offering_scores", region, offering.pk)).status_code == 200
    bad = client.post(
        url("offering_scores", region, offering.pk),
        {f"pre_{a.pk}": "70", f"post_{a.pk}": "120", f"pre_{b.pk}": "", f"post_{b.pk}": "80"},
    )
    assert "antara 0 dan 100" in bad.content.decode()
    a.refresh_from_db()
    assert a.pre_test_score is None  # nothing half-written
    ok = client.post(
        url("offering_scores", region, offering.pk),
        {f"pre_{a.pk}": "70", f"post_{a.pk}": "90,5", f"pre_{b.pk}": "", f"post_{b.pk}": "80"},
    )
    assert ok.status_code == 302
    a.refresh_from_db()
    assert (a.pre_test_score, a.post_test_score) == (Decimal(70), Decimal("90.50"))
    xlsx = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["NIP", "Pre", "Post"])
    book.active.append([b.employee.nip, 40, 85])
    book.save(xlsx)
    imported = client.post(
        url("offering_scores", region, offering.pk),
        {"import": "1", "file": upload("nilai.xlsx", xlsx.getvalue())},
    )
    assert imported.status_code == 302
    b.refresh_from_db()
    assert (b.pre_test_score, b.post_test_score) == (Decimal(40), Decimal(85))


# --- Certificates ------------------------------------------------------------------------------


def _issue(region, offering, people, django_capture_on_commit_callbacks):
    with scope(region=region):
        enrolments = [
            EnrolmentFactory(
                region=region, offering=offering, employee=e, status=S.COMPLETED, jp_awarded=12
            )
            for e in people
        ]
        with django_capture_on_commit_callbacks(execute=True):
            certificates.certificate_run_start(offering=offering)
    return enrolments


def test_certificate_numbers_follow_the_pattern_unique_per_region_and_year(
    region, other_region, batch, django_capture_on_commit_callbacks
):
    with scope(region=region):
        certificates.certificate_settings_update(
            region=region,
            number_pattern="800/{seq:03d}/BKPP/{year}",
            signer_name="Drs. Yoga Pamungkas",
            signer_title="Kepala BKPP Kota Semarang",
            signer_nip="197911182002041003",
            city="Semarang",
        )
        people = quick_employees(region, 3)
    _issue(region, batch, people, django_capture_on_commit_callbacks)
    year = timezone.localdate().year
    with scope(region=region):
        numbers = sorted(Certificate.objects.values_list("number", flat=True))
        run = CertificateRun.objects.get()
    assert numbers == [f"800/{n:03d}/BKPP/{year}" for n in (1, 2, 3)]
    assert (run.status, run.total, run.done, run.percent) == ("done", 3, 3, 100)
    with scopes_disabled():
        other = OfferingFactory(region=other_region)
    _issue(
        other_region, other, quick_employees(other_region, 1), django_capture_on_commit_callbacks
    )
    with scopes_disabled():
        assert Certificate.objects.get(region=other_region).sequence == 1  # own counter


def test_pattern_is_checked(region):
    with scope(region=region), pytest.raises(Exception, match="seq"):
        certificates.certificate_settings_update(
            region=region,
            number_pattern="800/BKPP/{year}",
            signer_name="x",
            signer_title="y",
            signer_nip="",
            city="",
        )


def test_reissue_and_revoke_with_history_and_public_verification(
    client, login, admin, region, batch, django_capture_on_commit_callbacks
):
    (enrolment,) = _issue(
        region, batch, quick_employees(region, 1), django_capture_on_commit_callbacks
    )
    with scope(region=region):
        certificate = Certificate.objects.get(enrolment=enrolment)
    verify = reverse("certificate_verify_code", args=[certificate.code])
    page = client.get(verify)
    assert page.status_code == 200 and "Sertifikat SAH" in page.content.decode()
    assert enrolment.employee.name in page.content.decode()
    assert enrolment.employee.nip not in page.content.decode()  # nothing else about the person
    admin_client = login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            url("certificate_reissue", region, certificate.pk), {"reissue-reason": "Nama salah eja"}
        )
    with scope(region=region):
        certificate.refresh_from_db()
    assert certificate.version == 2 and certificate.rendered_at is not None
    assert certificate.file.name.endswith("-v2.pdf")
    admin_client.post(url("certificate_revoke", region, certificate.pk), {"revoke-reason": ""})
    with scope(region=region):
        certificate.refresh_from_db()
    assert certificate.status == "valid"  # a reason is required
    admin_client.post(
        url("certificate_revoke", region, certificate.pk),
        {"revoke-reason": "Data kehadiran keliru"},
    )
    detail = admin_client.get(url("certificate_detail", region, certificate.pk)).content.decode()
    assert "Diterbitkan ulang" in detail and "Nama salah eja" in detail
    assert "Dicabut" in detail and "Data kehadiran keliru" in detail
    client.logout()
    assert "DICABUT" in client.get(verify).content.decode()
    unknown = client.get(reverse("certificate_verify_code", args=["TIDAKADA" * 3]))
    assert unknown.status_code == 404 and "tidak ditemukan" in unknown.content.decode()
    form = client.get(reverse("certificate_verify") + f"?code={certificate.code.lower()}")
    assert form["Location"] == verify


def test_verification_is_rate_limited(client, monkeypatch):
    from training.views import certificates as views

    assert views.VERIFY_LIMIT == 30  # a minute's lookups per address in production
    monkeypatch.setattr(views, "VERIFY_LIMIT", 2)  # a short burst keeps the test quick
    for _i in range(2):
        client.get(reverse("certificate_verify_code", args=["X" * 24]))
    limited = client.get(reverse("certificate_verify_code", args=["Y" * 24]))
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert "Terlalu banyak pemeriksaan" in limited.content.decode()


def test_asn_downloads_their_certificate_from_enrolment_jp_page_and_list(
    login, region, batch, employee, django_capture_on_commit_callbacks
):
    (enrolment,) = _issue(region, batch, [employee], django_capture_on_commit_callbacks)
    with scope(region=region):
        certificate = Certificate.objects.get(enrolment=enrolment)
    client = login(employee)
    download = url("my_certificate_download", region, certificate.pk)
    for page in ("my_enrolment_detail", "my_jp", "my_certificates"):
        args = [enrolment.pk] if page == "my_enrolment_detail" else []
        assert download in client.get(url(page, region, *args)).content.decode(), page
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    with scope(region=region):
        someone = EmployeeFactory(region=region)
    assert login(someone).get(download).status_code == 404


def test_admin_certificate_pages_and_preview(
    login, admin, region, batch, django_capture_on_commit_callbacks
):
    _issue(region, batch, quick_employees(region, 2), django_capture_on_commit_callbacks)
    client = login(admin)
    page = client.get(url("offering_certificates", region, batch.pk)).content.decode()
    assert "2 dari 2 (100%)" in page
    with scope(region=region):
        run = CertificateRun.objects.get()
    assert client.get(url("certificate_run_status", region, run.pk)).status_code == 200
    preview = client.get(url("certificate_preview", region))
    assert preview["Content-Type"] == "application/pdf"
    assert client.get(url("certificate_preview", region) + "?html=1").status_code == 200
    response = client.post(
        url("certificate_settings", region),
        {
            "number_pattern": "{seq}/BKPP/{year}",
            "signer_name": "Yoga",
            "signer_title": "Kepala",
            "logo": upload("logo.png", b"GIF89a" + b"\x00" * 20),
        },
    )
    assert "PNG atau JPG" in response.content.decode()


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("participants", [3, 12])
def test_issuing_certificates_takes_constant_queries_per_chunk(
    region, batch, participants, django_assert_num_queries
):
    """Numbering is one set of bulk writes whatever the size; the rendered PDFs are written
    and the progress bar moved with two UPDATEs per chunk of 10 certificates."""
    with scope(region=region):
        for e in quick_employees(region, participants):
            EnrolmentFactory(region=region, offering=batch, employee=e, status=S.COMPLETED)
        run = CertificateRun.objects.create(region=region, offering=batch)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.get_for_model(Enrolment)  # a per-process cache
        chunks = participants // certificates.PROGRESS_EVERY
        rest = 1 if participants % certificates.PROGRESS_EVERY else 0
        with django_assert_num_queries(29 + 2 * chunks + rest):
            certificates.certificate_run_execute(run_id=run.pk)
        assert Certificate.objects.filter(rendered_at__isnull=False).count() == participants


@pytest.mark.parametrize("extra_lessons", [1, 10])
def test_course_page_query_count_is_constant(
    login, region, batch, learner, employee, extra_lessons, django_assert_num_queries
):
    with scope(region=region):
        course = Course.objects.get(offering=batch)
        module = course.modules.get()
        for i in range(extra_lessons):
            courses.lesson_create(module=module, kind="text", title=f"Bab {i}", body="<p>x</p>")
    client = login(employee)
    client.get(url("learn_course", region, learner.pk))
    with django_assert_num_queries(13):
        assert client.get(url("learn_course", region, learner.pk)).status_code == 200


def test_learning_statuses_do_not_break_the_participants_page(login, admin, region, batch):
    with scope(region=region):
        EnrolmentFactory(region=region, offering=batch, status=S.FAILED, outcome_reason="x")
    page = login(admin).get(url("offering_participants", region, batch.pk))
    assert page.status_code == 200 and "Tidak lulus" in page.content.decode()


def _count_queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_admin_course_pages_take_the_same_queries_at_two_sizes(
    login, admin, region, program, batch, django_capture_on_commit_callbacks
):
    """Builder, question bank, item statistics, paper-score grid and the batch's certificates:
    the same number of queries with a few rows and with more."""
    client = login(admin)
    with scope(region=region):
        course = Course.objects.get(program=program)
        post = Lesson.objects.get(course=batch.course, title="Post-test")
    pages = {
        "builder": url("course_program", region, program.pk),
        "questions": url("question_list", region, course.pk),
        "stats": url("quiz_stats", region, post.pk),
        "scores": url("offering_scores", region, batch.pk),
        "certificates": url("offering_certificates", region, batch.pk),
    }

    def grow(n):
        with scope(region=region):
            module = course.modules.get()
            for i in range(n):
                courses.lesson_create(module=module, kind="text", title=f"T{n}{i}", body="<p>x</p>")
                courses.question_create(
                    course=course,
                    kind="single",
                    text=f"Q{n}{i}",
                    choices=[("a", True), ("b", False)],
                )
            for person in quick_employees(region, n):
                EnrolmentFactory(region=region, offering=batch, employee=person)
        _issue(region, batch, quick_employees(region, n), django_capture_on_commit_callbacks)

    grow(1)
    small = {name: _count_queries(client, path) for name, path in pages.items()}
    grow(6)
    large = {name: _count_queries(client, path) for name, path in pages.items()}
    assert small == large, (small, large)


def test_item_statistics_take_the_same_queries_at_two_sizes(region, batch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from training.selectors.courses import quiz_item_statistics

    with scope(region=region):
        pre = Lesson.objects.get(course=batch.course, title="Pre-test").quiz
        counts = []
        for n in (1, 5):
            for _i in range(n):
                enrolment = EnrolmentFactory(region=region, offering=batch)
                attempt = quizzes.attempt_start(quiz=pre, enrolment=enrolment)
                quizzes.attempt_submit(
                    attempt=attempt, enrolment=enrolment, answers=right_answers(attempt)
                )
            with CaptureQueriesContext(connection) as queries:
                stats = quiz_item_statistics(quiz=pre)
                [c["picks"] for row in stats["rows"] for c in row["choices"]]
            counts.append(len(queries))
    assert counts[0] == counts[1] == 5
