"""Integration: online courses — building, copies into batches, locks, quizzes graded on the
server, SCORM commits, progress, and the one completion rule for e-learning, classroom and
blended batches (JP by the form's rules, "tidak lulus", certificates in the background)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled
from pypdf import PdfReader

from regions.models import Notification
from tests.factories.regions import EmployeeFactory, quick_employees
from tests.factories.training import (
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
    SessionFactory,
    build_course,
    right_answers,
    upload,
)
from training.models import (
    AttemptAnswer,
    Certificate,
    Course,
    DevelopmentRecord,
    Enrolment,
    Lesson,
    LessonProgress,
    Offering,
    Quiz,
    QuizAttempt,
)
from training.selectors.courses import course_outline, quiz_item_statistics
from training.services import completion, courses, learning, quizzes, scores
from training.services.catalogue import offering_create

pytestmark = pytest.mark.django_db
S = Enrolment.Status


def _elearning_batch(region, program=None, **kwargs):
    """A running online batch (no sessions) of a programme with a course, started today."""
    program = program or ProgramFactory(region=region, jp=12, delivery_mode="daring")
    if not Course.objects.filter(program=program).exists():
        build_course(program, **kwargs)
    today = timezone.localdate()
    offering = offering_create(
        program=program,
        name="Angkatan Daring",
        start_date=today,
        end_date=today + dt.timedelta(days=13),
        enrolment_opens=today - dt.timedelta(days=5),
        enrolment_closes=today,
        seats=50,
    )
    Offering.objects.filter(pk=offering.pk).update(status=Offering.Status.RUNNING)
    offering.refresh_from_db()
    return offering


def _lessons(offering):
    course = Course.objects.get(offering=offering)
    return {lesson.title: lesson for lesson in Lesson.objects.filter(course=course)}


def _take(enrolment, lesson, *, right=True):
    attempt = quizzes.attempt_start(quiz=lesson.quiz, enrolment=enrolment)
    answers = right_answers(attempt) if right else {}
    return quizzes.attempt_submit(attempt=attempt, enrolment=enrolment, answers=answers)


# --- Building ---------------------------------------------------------------------------------


def test_text_lessons_are_sanitised(in_region, region):
    course = courses.course_for_program(program=ProgramFactory(region=region))
    module = courses.module_create(course=course, title="M1")
    lesson = courses.lesson_create(
        module=module,
        kind="text",
        title="Bahaya",
        body='<p onclick="steal()">Halo<script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><img src="/a.png" onerror="x()">'
        '<b style="color:red">tebal</b></p>',
    )
    assert "script" not in lesson.body and "onclick" not in lesson.body
    assert "javascript:" not in lesson.body and "onerror" not in lesson.body
    assert "style=" not in lesson.body
    assert "<b>tebal</b>" in lesson.body
    with pytest.raises(ValidationError, match="wajib diisi"):
        courses.lesson_create(module=module, kind="text", title="Kosong", body="<script>x</script>")


def test_a_batch_learns_from_its_own_copy(in_region, region):
    program = ProgramFactory(region=region)
    master = build_course(program)
    offering = _elearning_batch(region, program)
    copy = Course.objects.get(offering=offering)
    assert copy.copied_from == master
    assert (
        Lesson.objects.filter(course=copy).count() == Lesson.objects.filter(course=master).count()
    )
    assert copy.questions.count() == master.questions.count() == 3
    # Editing the master does not touch the running batch.
    courses.lesson_create(
        module=master.modules.first(), kind="text", title="Baru di induk", body="<p>x</p>"
    )
    assert not Lesson.objects.filter(course=copy, title="Baru di induk").exists()
    # The admin updates the copy on purpose — until participants have started.
    courses.course_copy_to_offering(offering=offering, replace=True)
    copy = Course.objects.get(offering=offering)
    assert Lesson.objects.filter(course=copy, title="Baru di induk").exists()
    enrolment = EnrolmentFactory(region=region, offering=offering)
    learning.lesson_open(enrolment=enrolment, lesson=_lessons(offering)["Pre-test"])
    with pytest.raises(ValidationError, match="sudah mulai belajar"):
        courses.course_copy_to_offering(offering=offering, replace=True)


def test_copy_a_course_from_another_programme(in_region, region, other_region):
    source = ProgramFactory(region=region)
    build_course(source)
    target = ProgramFactory(region=region)
    course = courses.course_copy_from_program(program=target, source_program=source)
    assert course.lessons.count() == 3 and course.questions.count() == 3
    with pytest.raises(ValidationError, match="sudah berisi materi"):
        courses.course_copy_from_program(program=target, source_program=source)
    with scopes_disabled():
        foreign = ProgramFactory(region=other_region)
    with pytest.raises(ValidationError, match="wilayah ini"):
        courses.course_copy_from_program(
            program=ProgramFactory(region=region), source_program=foreign
        )


def test_reorder_refuses_ids_of_another_course(in_region, region):
    a = build_course(ProgramFactory(region=region))
    b = build_course(ProgramFactory(region=region))
    module = a.modules.get()
    lessons = list(a.lessons.order_by("position").values_list("id", flat=True))
    courses.course_reorder(
        course=a, module_ids=[module.pk], lesson_order={module.pk: list(reversed(lessons))}
    )
    assert list(a.lessons.order_by("position").values_list("id", flat=True)) == lessons[::-1]
    foreign = b.lessons.first().pk
    with pytest.raises(ValidationError, match="bukan bagian"):
        courses.course_reorder(
            course=a, module_ids=[module.pk], lesson_order={module.pk: [*lessons[:-1], foreign]}
        )
    assert list(a.lessons.order_by("position").values_list("id", flat=True)) == lessons[::-1]


def test_one_pre_test_and_one_post_test_per_course(in_region, region):
    course = build_course(ProgramFactory(region=region))
    with pytest.raises(ValidationError, match="sudah memiliki"):
        courses.lesson_create(
            module=course.modules.get(), kind="quiz", title="Post lagi", quiz_kind="post"
        )


# --- Locks and progress ------------------------------------------------------------------------


def test_pre_test_first_then_lessons_then_post_test(in_region, region):
    offering = _elearning_batch(region)
    enrolment = EnrolmentFactory(region=region, offering=offering)
    lessons = _lessons(offering)
    with pytest.raises(ValidationError, match="belum terbuka"):
        learning.lesson_complete(enrolment=enrolment, lesson=lessons["Pengantar"])
    _take(enrolment, lessons["Pre-test"], right=False)  # a pre-test has no pass mark
    enrolment.refresh_from_db()
    assert enrolment.pre_test_score == Decimal("0.00")
    with pytest.raises(ValidationError, match="belum terbuka"):
        quizzes.attempt_start(quiz=lessons["Post-test"].quiz, enrolment=enrolment)
    learning.lesson_complete(enrolment=enrolment, lesson=lessons["Pengantar"])
    enrolment.refresh_from_db()
    assert enrolment.course_progress == 66  # 2 of 3 required lessons
    assert enrolment.last_lesson == lessons["Pengantar"]


def test_nobody_learns_in_another_batch_or_before_the_start(in_region, region):
    offering = _elearning_batch(region)
    other = _elearning_batch(region)
    enrolment = EnrolmentFactory(region=region, offering=other)
    with pytest.raises(ValidationError, match="bukan bagian"):
        learning.lesson_open(enrolment=enrolment, lesson=_lessons(offering)["Pre-test"])
    waiting = EnrolmentFactory(region=region, offering=offering, status=S.WAITLISTED)
    with pytest.raises(ValidationError, match="terkonfirmasi"):
        learning.lesson_open(enrolment=waiting, lesson=_lessons(offering)["Pre-test"])
    Offering.objects.filter(pk=offering.pk).update(
        start_date=timezone.localdate() + dt.timedelta(days=3),
        end_date=timezone.localdate() + dt.timedelta(days=9),
        enrolment_opens=timezone.localdate(),
        enrolment_closes=timezone.localdate(),
    )
    early = EnrolmentFactory(region=region, offering=Offering.objects.get(pk=offering.pk))
    with pytest.raises(ValidationError, match="mulai tanggal"):
        learning.lesson_open(enrolment=early, lesson=_lessons(offering)["Pre-test"])


# --- Quizzes -----------------------------------------------------------------------------------


def test_attempt_resumes_and_grades_on_the_server(in_region, region):
    offering = _elearning_batch(region)
    enrolment = EnrolmentFactory(region=region, offering=offering)
    pre = _lessons(offering)["Pre-test"]
    Quiz.objects.filter(pk=pre.quiz.pk).update(time_limit_minutes=20)
    pre.quiz.refresh_from_db()
    first = quizzes.attempt_start(quiz=pre.quiz, enrolment=enrolment)
    again = quizzes.attempt_start(quiz=pre.quiz, enrolment=enrolment)
    assert again.pk == first.pk and again.layout == first.layout  # a reload resumes it
    assert 19 * 60 <= quizzes.seconds_left(again) <= 20 * 60
    answers = right_answers(first)
    wrong_question = next(iter(answers))
    answers[wrong_question] = []  # one left unanswered
    graded = quizzes.attempt_submit(attempt=first, enrolment=enrolment, answers=answers)
    assert (graded.correct, graded.total, graded.score) == (2, 3, Decimal("66.67"))
    assert AttemptAnswer.objects.filter(attempt=first).count() == 3


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ("other_person", "bukan milik Anda"),
        ("foreign_question", "bukan bagian dari percobaan"),
        ("foreign_choice", "bukan milik soalnya"),
        ("twice", "dua kali"),
        ("late", "Waktu mengerjakan sudah habis"),
        ("garbage", "tidak valid"),
    ],
)
def test_tampered_submissions_are_refused_and_nothing_is_written(
    in_region, region, tamper, message
):
    offering = _elearning_batch(region)
    enrolment = EnrolmentFactory(region=region, offering=offering)
    intruder = EnrolmentFactory(region=region, offering=offering)
    pre = _lessons(offering)["Pre-test"]
    attempt = quizzes.attempt_start(quiz=pre.quiz, enrolment=enrolment)
    answers = right_answers(attempt)
    who = enrolment
    other_course = build_course(ProgramFactory(region=region))
    foreign = other_course.questions.first()
    if tamper == "other_person":
        who = intruder
    elif tamper == "foreign_question":
        answers[str(foreign.pk)] = [foreign.choices.first().pk]
    elif tamper == "foreign_choice":
        answers[next(iter(answers))] = [foreign.choices.first().pk]
    elif tamper == "twice":
        quizzes.attempt_submit(attempt=attempt, enrolment=enrolment, answers=answers)
    elif tamper == "late":
        QuizAttempt.objects.filter(pk=attempt.pk).update(
            deadline=timezone.now() - dt.timedelta(minutes=5)
        )
        attempt.refresh_from_db()
    elif tamper == "garbage":
        answers = {"abc": ["x"]}
    written = AttemptAnswer.objects.count()
    with pytest.raises(ValidationError, match=message):
        quizzes.attempt_submit(attempt=attempt, enrolment=who, answers=answers)
    assert AttemptAnswer.objects.count() == written
    if tamper != "twice":
        assert QuizAttempt.objects.get(pk=attempt.pk).submitted_at is None


def test_counted_score_best_or_last(in_region, region):
    offering = _elearning_batch(region)
    enrolment = EnrolmentFactory(region=region, offering=offering)
    lessons = _lessons(offering)
    _take(enrolment, lessons["Pre-test"])
    learning.lesson_complete(enrolment=enrolment, lesson=lessons["Pengantar"])
    post = lessons["Post-test"].quiz
    Quiz.objects.filter(pk=post.pk).update(max_attempts=3, pass_percent=100)
    post.refresh_from_db()
    attempt = quizzes.attempt_start(quiz=post, enrolment=enrolment)
    answers = right_answers(attempt)
    answers.pop(next(iter(answers)))
    quizzes.attempt_submit(attempt=attempt, enrolment=enrolment, answers=answers)  # 66.67
    attempt = quizzes.attempt_start(quiz=post, enrolment=enrolment)
    quizzes.attempt_submit(attempt=attempt, enrolment=enrolment, answers={})  # 0
    enrolment.refresh_from_db()
    assert enrolment.post_test_score == Decimal("66.67")  # best
    Quiz.objects.filter(pk=post.pk).update(scoring=Quiz.Scoring.LAST)
    post.refresh_from_db()
    assert quizzes.counted_score(quiz=post, enrolment=enrolment) == Decimal("0.00")


def test_item_statistics(in_region, region):
    offering = _elearning_batch(region)
    pre = _lessons(offering)["Pre-test"]
    people = [EnrolmentFactory(region=region, offering=offering) for _ in range(4)]
    for i, enrolment in enumerate(people):
        attempt = quizzes.attempt_start(quiz=pre.quiz, enrolment=enrolment)
        answers = right_answers(attempt)
        keep = dict(list(answers.items())[:i])  # 0, 1, 2, 3 right answers
        quizzes.attempt_submit(attempt=attempt, enrolment=enrolment, answers=keep)
    stats = quiz_item_statistics(quiz=pre.quiz)
    assert stats["attempts"] == 4 and stats["group_size"] == 2
    first = stats["rows"][0]
    assert first["answered"] == 4
    assert first["share_correct"] == 0.75
    # Upper group (3 and 2 right) answered question 1 right; lower (1 and 0) once.
    assert first["discrimination"] == 0.5
    picks = {c["choice"].is_correct: c["picks"] for c in first["choices"]}
    assert picks[True] == 3


# --- One completion rule -----------------------------------------------------------------------


def test_elearning_participant_completes_when_they_finish(
    in_region, region, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.KOMPETENSI_BASE_URL = "https://kompetensi.example.go.id"
    offering = _elearning_batch(region)
    employee = EmployeeFactory(region=region, name="Rina Marlina")
    enrolment = EnrolmentFactory(region=region, offering=offering, employee=employee)
    lessons = _lessons(offering)
    _take(enrolment, lessons["Pre-test"], right=False)
    learning.lesson_complete(enrolment=enrolment, lesson=lessons["Pengantar"])
    with django_capture_on_commit_callbacks(execute=True):
        _take(enrolment, lessons["Post-test"])
    enrolment.refresh_from_db()
    assert enrolment.status == S.COMPLETED
    assert enrolment.jp_awarded == Decimal(12)
    assert enrolment.course_progress == 100
    assert (enrolment.pre_test_score, enrolment.post_test_score) == (Decimal(0), Decimal(100))
    assert "post-test 100" in enrolment.outcome_reason.lower()
    record = DevelopmentRecord.objects.get(enrolment=enrolment)
    assert record.status == DevelopmentRecord.Status.VERIFIED and record.jp == Decimal(12)
    # The certificate was issued by the background run (eager in tests).
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.rendered_at is not None and len(certificate.code) == 24
    assert enrolment.certificate_number == certificate.number == record.certificate_number
    text = PdfReader(io.BytesIO(certificate.file.read())).pages[0].extract_text()
    assert "Rina Marlina" in text and certificate.number in text and "12 JP" in text
    assert certificate.code in text
    with scopes_disabled():
        kinds = list(Notification.objects.filter(recipient=employee).values_list("kind", flat=True))
    assert kinds.count("certificate_ready") == 1 and kinds.count("enrolment_completed") == 1
    # Completing the batch later changes nothing for them and sends nothing twice.
    Offering.objects.filter(pk=offering.pk).update(end_date=timezone.localdate())
    offering.refresh_from_db()
    completion.offering_complete(offering=offering, actor=None)
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    with scopes_disabled():
        assert (
            Notification.objects.filter(recipient=employee, kind="certificate_ready").count() == 1
        )


def test_failing_the_post_test_is_tidak_lulus(in_region, region):
    offering = _elearning_batch(region)
    enrolment = EnrolmentFactory(region=region, offering=offering)
    lessons = _lessons(offering)
    _take(enrolment, lessons["Pre-test"])
    learning.lesson_complete(enrolment=enrolment, lesson=lessons["Pengantar"])
    _take(enrolment, lessons["Post-test"], right=False)
    enrolment.refresh_from_db()
    assert enrolment.status == S.CONFIRMED  # one attempt left
    _take(enrolment, lessons["Post-test"], right=False)
    enrolment.refresh_from_db()
    assert enrolment.status == S.FAILED
    assert "di bawah nilai lulus 70" in enrolment.outcome_reason
    assert enrolment.jp_awarded is None
    assert not Certificate.objects.filter(enrolment=enrolment).exists()
    assert not DevelopmentRecord.objects.filter(enrolment=enrolment).exists()
    with pytest.raises(ValidationError, match="sudah ditetapkan"):
        learning.lesson_complete(enrolment=enrolment, lesson=lessons["Pengantar"])


def test_batch_completion_decides_unfinished_learners(in_region, region, admin):
    offering = _elearning_batch(region)
    done, halfway, failed = (EnrolmentFactory(region=region, offering=offering) for _ in range(3))
    lessons = _lessons(offering)
    for enrolment in (done, halfway, failed):
        _take(enrolment, lessons["Pre-test"])
    for enrolment in (done, failed):
        learning.lesson_complete(enrolment=enrolment, lesson=lessons["Pengantar"])
    _take(done, lessons["Post-test"])
    _take(failed, lessons["Post-test"], right=False)  # one attempt left, still confirmed
    Offering.objects.filter(pk=offering.pk).update(end_date=timezone.localdate())
    offering.refresh_from_db()
    result = completion.offering_complete(offering=offering, actor=admin.user)
    # `done` completed when they finished; the others are decided now.
    assert (result.completed, result.no_show, result.failed) == (0, 0, 2)
    halfway.refresh_from_db()
    failed.refresh_from_db()
    done.refresh_from_db()
    assert done.status == S.COMPLETED
    assert halfway.status == S.FAILED and "belum ada" in halfway.outcome_reason
    assert failed.status == S.FAILED and "nilai post-test 0" in failed.outcome_reason


def test_classroom_batch_with_paper_scores_completes_through_the_same_rule(
    in_region, region, admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    program = ProgramFactory(region=region, jp=16)
    offering = OfferingFactory(
        region=region,
        program=program,
        start_date=today - dt.timedelta(days=1),
        end_date=today,
        enrolment_opens=today - dt.timedelta(days=9),
        enrolment_closes=today - dt.timedelta(days=2),
        status=Offering.Status.RUNNING,
        post_test_pass_mark=70,
    )
    session = SessionFactory(region=region, offering=offering)
    a, b, c = (
        EnrolmentFactory(region=region, offering=offering, employee=e)
        for e in quick_employees(region, 3)
    )
    completion.attendance_save(session=session, present_ids=[a.pk, b.pk], actor=admin.user)
    scores.offering_scores_save(
        offering=offering,
        scores={
            a.pk: (Decimal(50), Decimal(85)),
            b.pk: (Decimal(40), Decimal(60)),
            c.pk: (None, Decimal(90)),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = completion.offering_complete(offering=offering, actor=admin.user)
    assert (result.completed, result.failed, result.no_show) == (1, 1, 1)
    a.refresh_from_db()
    b.refresh_from_db()
    c.refresh_from_db()
    assert a.status == S.COMPLETED and a.jp_awarded == Decimal(16)
    assert b.status == S.FAILED and "60 di bawah nilai lulus 70" in b.outcome_reason
    assert c.status == S.NO_SHOW and "Kehadiran 0%" in c.outcome_reason
    assert Certificate.objects.filter(enrolment=a).exists()
    assert not Certificate.objects.filter(enrolment__in=[b, c]).exists()


def test_paper_scores_refuse_other_batches_and_bad_rows(in_region, region):
    offering = OfferingFactory(region=region, status=Offering.Status.RUNNING)
    mine = EnrolmentFactory(region=region, offering=offering)
    stranger = EnrolmentFactory(region=region)
    with pytest.raises(ValidationError, match="bukan bagian"):
        scores.offering_scores_save(offering=offering, scores={stranger.pk: (None, Decimal(90))})
    nip = mine.employee.nip
    result = scores.offering_scores_import(
        offering=offering,
        file=upload("nilai.csv", f"NIP;Pre;Post\n{nip};55;abc\n199901012020011001;1;2\n".encode()),
    )
    assert [n for n, _m in result.errors] == [2, 3]
    assert "bukan angka" in result.errors[0][1] and "bukan peserta" in result.errors[1][1]
    mine.refresh_from_db()
    assert mine.pre_test_score is None  # nothing written
    result = scores.offering_scores_import(
        offering=offering, file=upload("nilai.csv", f'NIP,Pre,Post\n{nip},55,"80,5"\n'.encode())
    )
    assert not result.errors and result.saved == 1
    mine.refresh_from_db()
    assert (mine.pre_test_score, mine.post_test_score) == (Decimal(55), Decimal("80.50"))


def test_blended_batch_needs_attendance_and_lessons(in_region, region, admin):
    program = ProgramFactory(region=region, jp=20, delivery_mode="blended")
    offering = _elearning_batch(region, program, with_tests=False)
    session = SessionFactory(
        region=region,
        offering=offering,
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    ok, absent, lazy = (EnrolmentFactory(region=region, offering=offering) for _ in range(3))
    intro = _lessons(offering)["Pengantar"]
    for enrolment in (ok, absent):
        learning.lesson_complete(enrolment=enrolment, lesson=intro)
    ok.refresh_from_db()
    assert ok.status == S.CONFIRMED  # blended: the admin completes the batch
    completion.attendance_save(session=session, present_ids=[ok.pk, lazy.pk], actor=admin.user)
    Offering.objects.filter(pk=offering.pk).update(end_date=timezone.localdate())
    offering.refresh_from_db()
    completion.offering_complete(offering=offering, actor=admin.user)
    statuses = dict(Enrolment.objects.filter(offering=offering).values_list("pk", "status"))
    assert statuses == {ok.pk: S.COMPLETED, absent.pk: S.NO_SHOW, lazy.pk: S.NO_SHOW}
    lazy.refresh_from_db()
    assert "Materi wajib baru selesai 0 dari 1" in lazy.outcome_reason


# --- SCORM ------------------------------------------------------------------------------------


def test_scorm_commit_stores_and_completes(in_region, region, settings, tmp_path):  # noqa: C901
    from tests.factories.training import scorm_zip

    settings.MEDIA_ROOT = tmp_path
    program = ProgramFactory(region=region)
    course = build_course(program, with_tests=False)
    courses.lesson_create(
        module=course.modules.get(),
        kind="scorm",
        title="Simulasi",
        package=upload("paket.zip", scorm_zip()),
    )
    offering = _elearning_batch(region, program)
    enrolment = EnrolmentFactory(region=region, offering=offering)
    lessons = _lessons(offering)
    learning.lesson_complete(enrolment=enrolment, lesson=lessons["Pengantar"])
    scorm = lessons["Simulasi"]
    progress = learning.scorm_commit(
        enrolment=enrolment,
        lesson=scorm,
        cmi={
            "cmi": {
                "core": {"lesson_status": "incomplete", "lesson_location": "p2"},
                "suspend_data": "langkah=2",
            }
        },
    )
    assert progress.status == LessonProgress.Status.STARTED
    state = learning.scorm_state(progress=progress)
    assert state["cmi"]["suspend_data"] == "langkah=2" and state["cmi"]["core"]["entry"] == "resume"
    learning.scorm_commit(
        enrolment=enrolment,
        lesson=scorm,
        cmi={
            "cmi": {"core": {"lesson_status": "passed", "score": {"raw": "90"}}, "suspend_data": ""}
        },
    )
    enrolment.refresh_from_db()
    assert enrolment.status == S.COMPLETED  # both required lessons done, no post-test
    progress.refresh_from_db()
    assert (
        progress.scorm_score == Decimal(90) and progress.status == LessonProgress.Status.COMPLETED
    )
    with pytest.raises(ValidationError):
        learning.scorm_commit(enrolment=enrolment, lesson=scorm, cmi={"cmi": "x"})


# --- JP rules ----------------------------------------------------------------------------------


def test_programme_jp_is_checked_against_its_form_and_duration(in_region, region):
    from tests.factories.training import development_form
    from training.services.programmes import program_create

    seminar = development_form(9)
    with pytest.raises(ValidationError, match="paling banyak 4 JP"):
        program_create(
            region=region,
            code="SEM-1",
            title="Seminar",
            form=seminar,
            competency_type="teknis",
            jp=40,
            delivery_mode="tatap_muka",
            duration_days=1,
        )
    with pytest.raises(ValidationError, match="lama pelaksanaan"):
        program_create(
            region=region,
            code="SEM-2",
            title="Seminar",
            form=seminar,
            competency_type="teknis",
            jp=4,
            delivery_mode="tatap_muka",
        )
    ok = program_create(
        region=region,
        code="SEM-3",
        title="Seminar",
        form=seminar,
        competency_type="teknis",
        jp=8,
        delivery_mode="tatap_muka",
        duration_days=2,
    )
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="tidak sesuai tanggal angkatan"):
        offering_create(
            program=ok,
            name="A1",
            start_date=today,
            end_date=today,
            enrolment_opens=today,
            enrolment_closes=today,
            seats=10,
        )
    # International: 6 JP a day for a seminar, so 8 JP fit in two days and in... one day no.
    offering = offering_create(
        program=ok,
        name="A2",
        start_date=today,
        end_date=today + dt.timedelta(days=1),
        enrolment_opens=today,
        enrolment_closes=today,
        seats=10,
        is_international=True,
    )
    from training.services.jp_rules import jp_award

    assert jp_award(program=ok, offering=offering) == Decimal(8)


def test_completion_never_awards_more_than_the_rules_allow(in_region, region, admin):
    from tests.factories.training import development_form

    program = ProgramFactory(region=region, form=development_form(9), jp=40)  # legacy data
    today = timezone.localdate()
    offering = OfferingFactory(
        region=region,
        program=program,
        start_date=today,
        end_date=today,
        enrolment_opens=today,
        enrolment_closes=today,
        status=Offering.Status.RUNNING,
    )
    enrolment = EnrolmentFactory(region=region, offering=offering)
    completion.offering_complete(offering=offering, actor=admin.user)
    enrolment.refresh_from_db()
    assert enrolment.jp_awarded == Decimal(4)  # a one-day seminar: 4 JP
    assert DevelopmentRecord.objects.get(enrolment=enrolment).jp == Decimal(4)


def test_lesson_progress_outline_counts(in_region, region):
    offering = _elearning_batch(region)
    enrolment = EnrolmentFactory(region=region, offering=offering)
    outline = course_outline(course=Course.objects.get(offering=offering), enrolment=enrolment)
    assert outline.required_total == 3 and outline.percent == 0
    assert outline.next_lesson.title == "Pre-test"
    assert [lesson.locked for lesson in outline.lessons] == [False, True, True]


def test_existing_data_breaking_the_jp_rule_is_reported_by_a_check(in_region, region):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from tests.factories.training import development_form
    from training.checks import jp_rules_check

    today = timezone.localdate()
    legacy = ProgramFactory(region=region, code="SEM-LAMA", form=development_form(9), jp=40)
    OfferingFactory(
        region=region,
        program=legacy,
        start_date=today,
        end_date=today,
        enrolment_opens=today,
        enrolment_closes=today,
    )
    (warning,) = jp_rules_check(databases=["default"])
    assert warning.id == "training.W001" and "SEM-LAMA" in warning.msg and "40 JP" in warning.msg
    legacy.refresh_from_db()
    assert legacy.jp == 40  # reported, not rewritten
    with pytest.raises(SystemCheckError):
        call_command("check", "--database", "default", "--fail-level", "WARNING")
