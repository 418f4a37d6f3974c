"""A participant working through their batch's course: opening lessons, marking them done,
the video position, the SCORM runtime's data, and the progress written to the enrolment.

Every write checks the access rules of `training.selectors.courses` again (lesson of the
enrolment's own batch course, batch started, lesson not locked) and ends in
`progress_refresh`, which writes `course_progress` / `last_lesson` on the enrolment and, when
the last required lesson is done in an online-only batch, asks the completion service to
decide (`training.services.completion.enrolment_finish`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from training.models import Enrolment, Lesson, LessonProgress
from training.selectors.courses import course_of_offering, course_outline, offering_has_started
from training.services.completion import enrolment_finish

P = LessonProgress.Status
K = Lesson.Kind

# SCORM 1.2 cmi.core.lesson_status values that complete a lesson.
SCORM_DONE = ("passed", "completed")
SCORM_STATUSES = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")
SUSPEND_DATA_MAX = 64 * 1024  # SCORM 1.2 allows 4,096 characters; some tools write more


def lesson_access(*, enrolment: Enrolment, lesson: Lesson, for_write: bool = True):
    """The outline of the enrolment's course if `lesson` may be opened; else ValidationError.
    (The views answer 404 for a lesson of another course before they get here.)"""
    if not enrolment.can_learn:
        raise ValidationError(
            _("Materi hanya terbuka untuk peserta terkonfirmasi."), code="not_participant"
        )
    course = lesson.course
    if course.offering_id != enrolment.offering_id:
        raise ValidationError(_("Materi ini bukan bagian dari angkatan Anda."), code="other_course")
    if not offering_has_started(enrolment.offering):
        raise ValidationError(
            _("Materi dapat dibuka mulai tanggal %(date)s.")
            % {"date": enrolment.offering.start_date.strftime("%d-%m-%Y")},
            code="not_started",
        )
    if for_write and enrolment.is_finished:
        raise ValidationError(
            _("Hasil pelatihan Anda sudah ditetapkan; materi tetap dapat dibaca."),
            code="finished",
        )
    outline = course_outline(course=course, enrolment=enrolment)
    current = outline.lesson(lesson.pk)
    if current is None or current.locked:
        raise ValidationError(_("Materi ini belum terbuka untuk Anda."), code="locked")
    return outline


def _progress(enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"region_id": enrolment.region_id}
    )
    return progress


@transaction.atomic
def lesson_open(*, enrolment: Enrolment, lesson: Lesson) -> LessonProgress | None:
    """The participant opened the lesson: remember it as where they are. A finished
    enrolment reads without writing anything."""
    if enrolment.is_finished:
        lesson_access(enrolment=enrolment, lesson=lesson, for_write=False)
        return None
    lesson_access(enrolment=enrolment, lesson=lesson)
    progress = _progress(enrolment, lesson)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, updated_at=timezone.now())
    return progress


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """Mark a text, file or video lesson done (SCORM and quizzes finish themselves)."""
    if lesson.kind in (K.SCORM, K.QUIZ):
        raise ValidationError(
            _("Materi ini selesai dengan sendirinya saat paket atau tes diselesaikan."),
            code="self_completing",
        )
    lesson_access(enrolment=enrolment, lesson=lesson)
    progress = _progress(enrolment, lesson)
    if progress.status != P.COMPLETED:
        progress.status = P.COMPLETED
        progress.completed_at = timezone.now()
        progress.save(update_fields=["status", "completed_at", "updated_at"])
    progress_refresh(enrolment=enrolment, lesson=lesson)
    return progress


@transaction.atomic
def video_position_save(*, enrolment: Enrolment, lesson: Lesson, position) -> None:
    """Remember where the participant is in a video (seconds)."""
    if lesson.kind != K.VIDEO:
        raise ValidationError(_("Materi ini bukan video."), code="kind")
    try:
        seconds = float(position)
    except (TypeError, ValueError):
        raise ValidationError(_("Posisi video tidak valid."), code="invalid") from None
    if not 0 <= seconds < 24 * 3600:
        raise ValidationError(_("Posisi video tidak valid."), code="invalid")
    lesson_access(enrolment=enrolment, lesson=lesson)
    progress = _progress(enrolment, lesson)
    progress.video_position = seconds
    progress.save(update_fields=["video_position", "updated_at"])


def _cmi(data: dict, *path, default=""):
    value = data
    for key in path:
        if not isinstance(value, dict):
            return default
        value = value.get(key, default)
    return value if isinstance(value, str | int | float) else default


@transaction.atomic
def scorm_commit(*, enrolment: Enrolment, lesson: Lesson, cmi: dict) -> LessonProgress:
    """Store what the SCORM 1.2 runtime committed (`{"cmi": {"core": {...}, ...}}`): lesson
    status, raw score, location and suspend data (for resume), total time. A passed or
    completed status completes the lesson; it is never undone by a later commit."""
    if lesson.kind != K.SCORM:
        raise ValidationError(_("Materi ini bukan paket SCORM."), code="kind")
    if not isinstance(cmi, dict) or not isinstance(cmi.get("cmi"), dict):
        raise ValidationError(_("Data SCORM tidak valid."), code="invalid")
    data = cmi["cmi"]
    status = str(_cmi(data, "core", "lesson_status")).strip().lower()
    if status and status not in SCORM_STATUSES:
        raise ValidationError(_("Status pelajaran SCORM tidak dikenal."), code="invalid")
    raw = _cmi(data, "core", "score", "raw")
    score = None
    if raw not in ("", None):
        try:
            score = Decimal(str(raw))
        except InvalidOperation:
            raise ValidationError(_("Nilai SCORM tidak valid."), code="invalid") from None
        if not Decimal(0) <= score <= Decimal(1000):
            raise ValidationError(_("Nilai SCORM tidak valid."), code="invalid")
    suspend = str(_cmi(data, "suspend_data"))
    if len(suspend) > SUSPEND_DATA_MAX:
        raise ValidationError(_("Data lanjutan SCORM terlalu besar."), code="too_large")
    lesson_access(enrolment=enrolment, lesson=lesson)
    progress = _progress(enrolment, lesson)
    if status:
        progress.scorm_status = status
    if score is not None:
        progress.scorm_score = score
    progress.scorm_location = str(_cmi(data, "core", "lesson_location"))[:255]
    progress.scorm_suspend_data = suspend
    total = str(_cmi(data, "core", "total_time"))[:20]
    if total:
        progress.scorm_total_time = total
    finished_now = status in SCORM_DONE and progress.status != P.COMPLETED
    if finished_now:
        progress.status = P.COMPLETED
        progress.completed_at = timezone.now()
    progress.save()
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, updated_at=timezone.now())
    if finished_now:
        progress_refresh(enrolment=enrolment, lesson=lesson)
    return progress


def scorm_state(*, progress: LessonProgress | None) -> dict:
    """What the runtime is given back on resume (`loadFromJSON`)."""
    if progress is None:
        return {"cmi": {"core": {"entry": "ab-initio"}}}
    status = progress.scorm_status or "not attempted"
    return {
        "cmi": {
            "core": {
                "lesson_status": status,
                "lesson_location": progress.scorm_location,
                "score": {"raw": "" if progress.scorm_score is None else str(progress.scorm_score)},
                "entry": "resume" if progress.scorm_suspend_data or progress.scorm_location else "",
            },
            "suspend_data": progress.scorm_suspend_data,
        }
    }


def progress_refresh(*, enrolment: Enrolment, lesson: Lesson | None = None) -> int:
    """Write the course progress (% of required lessons done) on the enrolment and, when the
    course is finished, let the completion service decide. Returns the percentage."""
    course = lesson.course if lesson is not None else None
    if course is None:
        course = course_of_offering(offering=enrolment.offering)
    if course is None:
        return 0
    outline = course_outline(course=course, enrolment=enrolment)
    fields = {"course_progress": outline.percent, "updated_at": timezone.now()}
    if lesson is not None:
        fields["last_lesson"] = lesson
    Enrolment.objects.filter(pk=enrolment.pk).update(**fields)
    enrolment.course_progress = outline.percent
    if outline.finished and enrolment.status == Enrolment.Status.CONFIRMED:
        enrolment_finish(enrolment=enrolment, actor=None)
    return outline.percent
