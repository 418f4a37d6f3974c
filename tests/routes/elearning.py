"""Region routes of online courses, tests, paper scores and certificates."""

from django.utils import timezone

from tests.factories.training import (
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
    build_course,
)
from training.models import (
    Certificate,
    CertificateRun,
    Course,
    Enrolment,
    Lesson,
    QuizAttempt,
)
from training.services.courses import course_copy_to_offering


def build_leak(leak):
    program = ProgramFactory(region=leak.region, title="Kursus Rahasia Binjai")
    course = build_course(program)
    offering = OfferingFactory(region=leak.region, program=program)
    course_copy_to_offering(offering=offering)
    leak.course = course
    leak.module = course.modules.first()
    leak.lesson = Lesson.objects.filter(course=course, kind="text").first()
    leak.quiz_lesson = Lesson.objects.filter(course=course, kind="quiz").first()
    leak.question = course.questions.first()
    leak.learning = EnrolmentFactory(
        region=leak.region,
        offering=offering,
        employee=leak.employee,
        status=Enrolment.Status.COMPLETED,
        certificate_number="800/1/RAHASIA/2026",
    )
    batch_course = Course.objects.get(offering=offering)
    leak.batch_lesson = Lesson.objects.filter(course=batch_course, kind="text").first()
    quiz = Lesson.objects.filter(course=batch_course, kind="quiz").first().quiz
    leak.attempt = QuizAttempt.objects.create(
        region=leak.region,
        quiz=quiz,
        enrolment=leak.learning,
        number=1,
        layout=[],
        started_at=timezone.now(),
    )
    leak.certificate = Certificate.objects.create(
        region=leak.region,
        enrolment=leak.learning,
        number="800/1/RAHASIA/2026",
        year=2026,
        sequence=1,
        code="RAHASIABINJAI0000000000X",
        holder_name="Rahasia Binjai",
        holder_nip=leak.employee.nip,
        program_title="Rahasia Binjai",
        offering_name="A1",
        start_date=offering.start_date,
        end_date=offering.end_date,
        jp=24,
        issued_at=timezone.now(),
    )
    leak.certificate_run = CertificateRun.objects.create(region=leak.region, offering=offering)
    leak.course_offering = offering
    leak.course_program = program


ROUTES = {
    "training:course_program": lambda leak: {"program_id": leak.course_program.pk},
    "training:course_copy_from": lambda leak: {"program_id": leak.course_program.pk},
    "training:course_offering": lambda leak: {"offering_id": leak.course_offering.pk},
    "training:course_settings": lambda leak: {"course_id": leak.course.pk},
    "training:course_reorder": lambda leak: {"course_id": leak.course.pk},
    "training:course_preview": lambda leak: {"course_id": leak.course.pk},
    "training:module_create": lambda leak: {"course_id": leak.course.pk},
    "training:module_edit": lambda leak: {"module_id": leak.module.pk},
    "training:module_delete": lambda leak: {"module_id": leak.module.pk},
    "training:module_move": lambda leak: {"module_id": leak.module.pk},
    "training:lesson_create": lambda leak: {"module_id": leak.module.pk},
    "training:lesson_edit": lambda leak: {"lesson_id": leak.lesson.pk},
    "training:lesson_delete": lambda leak: {"lesson_id": leak.lesson.pk},
    "training:lesson_move": lambda leak: {"lesson_id": leak.lesson.pk},
    "training:quiz_settings": lambda leak: {"lesson_id": leak.quiz_lesson.pk},
    "training:quiz_stats": lambda leak: {"lesson_id": leak.quiz_lesson.pk},
    "training:question_list": lambda leak: {"course_id": leak.course.pk},
    "training:question_create": lambda leak: {"course_id": leak.course.pk},
    "training:question_edit": lambda leak: {"question_id": leak.question.pk},
    "training:question_delete": lambda leak: {"question_id": leak.question.pk},
    "training:offering_scores": lambda leak: {"offering_id": leak.course_offering.pk},
    "training:offering_certificates": lambda leak: {"offering_id": leak.course_offering.pk},
    "training:certificate_run_status": lambda leak: {"run_id": leak.certificate_run.pk},
    "training:certificate_detail": lambda leak: {"certificate_id": leak.certificate.pk},
    "training:certificate_download": lambda leak: {"certificate_id": leak.certificate.pk},
    "training:certificate_reissue": lambda leak: {"certificate_id": leak.certificate.pk},
    "training:certificate_revoke": lambda leak: {"certificate_id": leak.certificate.pk},
    "training:certificate_settings": lambda leak: {},
    "training:certificate_preview": lambda leak: {},
    "training:learn_course": lambda leak: {"enrolment_id": leak.learning.pk},
    "training:learn_lesson": lambda leak: {
        "enrolment_id": leak.learning.pk,
        "lesson_id": leak.batch_lesson.pk,
    },
    "training:learn_video_position": lambda leak: {
        "enrolment_id": leak.learning.pk,
        "lesson_id": leak.batch_lesson.pk,
    },
    "training:learn_scorm_commit": lambda leak: {
        "enrolment_id": leak.learning.pk,
        "lesson_id": leak.batch_lesson.pk,
        "token": "x",
    },
    "training:learn_quiz_start": lambda leak: {
        "enrolment_id": leak.learning.pk,
        "lesson_id": leak.batch_lesson.pk,
    },
    "training:learn_attempt": lambda leak: {
        "enrolment_id": leak.learning.pk,
        "attempt_id": leak.attempt.pk,
    },
    "training:my_certificates": lambda leak: {},
    "training:my_certificate_download": lambda leak: {"certificate_id": leak.certificate.pk},
    "training:lesson_video": lambda leak: {"lesson_id": leak.batch_lesson.pk},
    "training:lesson_file": lambda leak: {"lesson_id": leak.batch_lesson.pk},
    "training:lesson_scorm": lambda leak: {"lesson_id": leak.batch_lesson.pk, "path": "index.html"},
}
