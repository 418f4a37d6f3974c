"""Building online courses: a programme's course, its modules and lessons, the question bank,
quiz settings, and copies (programme → batch, programme → programme).

A programme's course is the master. Each batch (offering) gets its own copy when the batch
is created or when an admin copies it on purpose (`course_copy_to_offering`); participants
only ever see their batch's copy, so editing the master never moves the ground under a
running batch. Copying is done in a constant number of queries (bulk INSERTs per table).

Every write is keyword-only and atomic and refuses bad input with a `ValidationError` in
Indonesian; lesson files are checked by `training.lesson_files` before anything is stored.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from training import lesson_files
from training.models import (
    Choice,
    Course,
    CourseModule,
    Lesson,
    Offering,
    Program,
    Question,
    Quiz,
)
from training.sanitize import html_is_empty, sanitize_html

K = Lesson.Kind


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _same_course(course: Course, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.course_id != course.pk:
            _refuse(_("Materi atau soal ini bukan bagian dari kursus tersebut."), "other_course")


def _guard_editable(course: Course) -> None:
    """A completed or cancelled batch's course is history."""
    if course.offering_id is not None:
        offering = Offering.objects.only("status").get(pk=course.offering_id)
        if offering.is_closed:
            _refuse(
                _("Angkatan ini sudah selesai atau dibatalkan; kursusnya tidak dapat diubah."),
                "offering_closed",
            )


def _touch(course: Course) -> None:
    Course.objects.filter(pk=course.pk).update(updated_at=timezone.now())


# --- Course ------------------------------------------------------------------------------------


@transaction.atomic
def course_for_program(*, program: Program) -> Course:
    """The programme's course, created (empty, titled after the programme) if it has none."""
    course = Course.objects.filter(program=program).first()
    if course is None:
        course = Course.objects.create(
            region_id=program.region_id, program=program, title=program.title[:200]
        )
    return course


@transaction.atomic
def course_update(*, course: Course, title: str, sequential: bool) -> Course:
    _guard_editable(course)
    title = (title or "").strip()
    if not title:
        _refuse(_("Judul kursus wajib diisi."), "title")
    course.title, course.sequential = title[:200], bool(sequential)
    course.save(update_fields=["title", "sequential", "updated_at"])
    return course


# --- Modules -----------------------------------------------------------------------------------


def _next_position(qs) -> int:
    return (qs.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def module_create(*, course: Course, title: str) -> CourseModule:
    _guard_editable(course)
    title = (title or "").strip()
    if not title:
        _refuse(_("Judul modul wajib diisi."), "title")
    module = CourseModule.objects.create(
        region_id=course.region_id,
        course=course,
        title=title[:200],
        position=_next_position(CourseModule.objects.filter(course=course)),
    )
    _touch(course)
    return module


@transaction.atomic
def module_update(*, module: CourseModule, title: str) -> CourseModule:
    _guard_editable(module.course)
    title = (title or "").strip()
    if not title:
        _refuse(_("Judul modul wajib diisi."), "title")
    module.title = title[:200]
    module.save(update_fields=["title"])
    return module


@transaction.atomic
def module_delete(*, module: CourseModule) -> None:
    course = module.course
    _guard_editable(course)
    if Lesson.objects.filter(module=module, progress__isnull=False).exists():
        _refuse(
            _("Modul ini memuat materi yang sudah dipelajari peserta; modul tidak dapat dihapus."),
            "in_use",
        )
    module.delete()
    _touch(course)


def _swap(model, obj, *, siblings, direction: str) -> None:
    ordered = list(siblings.order_by("position", "id").values_list("id", flat=True))
    index = ordered.index(obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        _refuse(_("Arah pemindahan tidak dikenal."), "direction")
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(model, ordered)


def _renumber(model, ordered_ids) -> None:
    objects = [model(pk=pk, position=i) for i, pk in enumerate(ordered_ids, start=1)]
    model.objects.bulk_update(objects, ["position"])


@transaction.atomic
def module_move(*, module: CourseModule, direction: str) -> None:
    _guard_editable(module.course)
    _swap(
        CourseModule,
        module,
        siblings=CourseModule.objects.filter(course_id=module.course_id),
        direction=direction,
    )
    _touch(module.course)


@transaction.atomic
def course_reorder(*, course: Course, module_ids, lesson_order: dict) -> None:
    """Set the whole order at once (drag and drop): `module_ids` in order, `lesson_order`
    {module id: [lesson ids in order]} — a lesson may move to another module of the course.
    Ids from another course are refused and nothing changes."""
    _guard_editable(course)
    modules = set(CourseModule.objects.filter(course=course).values_list("id", flat=True))
    lessons = set(Lesson.objects.filter(course=course).values_list("id", flat=True))
    try:
        module_ids = [int(i) for i in module_ids]
        lesson_order = {int(m): [int(i) for i in ids] for m, ids in lesson_order.items()}
    except (TypeError, ValueError):
        _refuse(_("Urutan yang dikirim tidak valid."), "invalid")
    given_lessons = [i for ids in lesson_order.values() for i in ids]
    if (
        set(module_ids) != modules
        or len(module_ids) != len(modules)
        or not set(lesson_order) <= modules
        or sorted(given_lessons) != sorted(lessons)
    ):
        _refuse(
            _("Urutan memuat modul atau materi yang bukan bagian dari kursus ini."),
            "other_course",
        )
    _renumber(CourseModule, module_ids)
    rows = []
    for module_id, ids in lesson_order.items():
        for position, lesson_id in enumerate(ids, start=1):
            rows.append(Lesson(pk=lesson_id, module_id=module_id, position=position))
    Lesson.objects.bulk_update(rows, ["module_id", "position"])
    _touch(course)


# --- Lessons -----------------------------------------------------------------------------------


def _clean_lesson_fields(*, kind: str, title: str, body: str, video_url: str) -> dict:
    title = (title or "").strip()
    if not title:
        _refuse(_("Judul materi wajib diisi."), "title")
    if kind not in K.values:
        _refuse(_("Jenis materi tidak dikenal."), "kind")
    data = {"title": title[:200]}
    if kind == K.TEXT:
        clean = sanitize_html(body)
        if html_is_empty(clean):
            _refuse(_("Isi materi teks wajib diisi."), "body")
        data["body"] = clean
    if kind == K.VIDEO:
        url = (video_url or "").strip()
        if url and not url.lower().startswith("https://"):
            _refuse(_("Tautan video harus diawali https://."), "video_url")
        data["video_url"] = url
    return data


def _store_lesson_files(lesson: Lesson, *, video=None, attachment=None, package=None) -> list:
    """Check and store the lesson's uploads; returns storage names written (to undo)."""
    written = []
    try:
        if video is not None:
            kind = lesson_files.validate_video(video)
            lesson.video.name = lesson_files.store_upload(
                region_id=lesson.region_id, file=video, extension=kind
            )
            written.append(lesson.video.name)
            lesson.size_bytes = video.size
            lesson.video_url = ""
        if attachment is not None:
            kind = lesson_files.validate_document(attachment)
            lesson.attachment.name = lesson_files.store_upload(
                region_id=lesson.region_id, file=attachment, extension=kind
            )
            written.append(lesson.attachment.name)
            base = (getattr(attachment, "name", "") or "materi").rsplit("/", 1)[-1]
            stem = base.rsplit(".", 1)[0][:150] or "materi"
            lesson.attachment_name = f"{stem}.{kind}"
            lesson.size_bytes = attachment.size
        if package is not None:
            info = lesson_files.inspect_scorm(package)
            lesson.scorm_root = lesson_files.extract_scorm(package, region_id=lesson.region_id)
            lesson.scorm_launch = info.launch
            lesson.size_bytes = info.size
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return written


@transaction.atomic
def lesson_create(
    *,
    module: CourseModule,
    kind: str,
    title: str,
    required: bool = True,
    duration_minutes: int | None = None,
    body: str = "",
    video=None,
    video_url: str = "",
    attachment=None,
    package=None,
    quiz_kind: str = Quiz.Kind.PRACTICE,
) -> Lesson:
    """A lesson at the end of `module`. A video needs an upload or a link, a file lesson a
    document, a SCORM lesson a package, a quiz lesson its kind (pre, post, practice)."""
    course = module.course
    _guard_editable(course)
    data = _clean_lesson_fields(kind=kind, title=title, body=body, video_url=video_url)
    if kind == K.VIDEO and video is None and not data.get("video_url"):
        _refuse(_("Unggah video MP4/WebM atau isi tautan video."), "video")
    if kind == K.FILE and attachment is None:
        _refuse(_("Unggah berkas materi (PDF, DOCX, PPTX atau XLSX)."), "attachment")
    if kind == K.SCORM and package is None:
        _refuse(_("Unggah paket SCORM 1.2 (berkas zip)."), "package")
    if kind == K.QUIZ:
        _check_quiz_kind(course, quiz_kind)
    lesson = Lesson(
        region_id=course.region_id,
        course=course,
        module=module,
        kind=kind,
        required=bool(required),
        duration_minutes=duration_minutes,
        position=_next_position(Lesson.objects.filter(module=module)),
        **data,
    )
    _store_lesson_files(
        lesson,
        video=video if kind == K.VIDEO else None,
        attachment=attachment if kind == K.FILE else None,
        package=package if kind == K.SCORM else None,
    )
    lesson.save()
    if kind == K.QUIZ:
        Quiz.objects.create(
            region_id=course.region_id,
            lesson=lesson,
            kind=quiz_kind,
            pass_percent=70 if quiz_kind == Quiz.Kind.POST else None,
            max_attempts=1 if quiz_kind == Quiz.Kind.PRE else 3,
        )
    _touch(course)
    return lesson


def _check_quiz_kind(course: Course, quiz_kind: str, *, exclude_lesson=None) -> None:
    if quiz_kind not in Quiz.Kind.values:
        _refuse(_("Jenis tes tidak dikenal."), "quiz_kind")
    if quiz_kind in (Quiz.Kind.PRE, Quiz.Kind.POST):
        clash = Quiz.objects.filter(lesson__course=course, kind=quiz_kind)
        if exclude_lesson is not None:
            clash = clash.exclude(lesson=exclude_lesson)
        if clash.exists():
            _refuse(
                _("Kursus ini sudah memiliki %(kind)s; satu kursus hanya punya satu.")
                % {"kind": Quiz.Kind(quiz_kind).label},
                "duplicate_test",
            )


@transaction.atomic
def lesson_update(
    *,
    lesson: Lesson,
    title: str,
    required: bool,
    duration_minutes: int | None = None,
    body: str = "",
    video=None,
    video_url: str = "",
    attachment=None,
    package=None,
) -> Lesson:
    course = lesson.course
    _guard_editable(course)
    data = _clean_lesson_fields(kind=lesson.kind, title=title, body=body, video_url=video_url)
    old_files = []
    if video is not None and lesson.video:
        old_files.append(lesson.video.name)
    if attachment is not None and lesson.attachment:
        old_files.append(lesson.attachment.name)
    for name, value in data.items():
        setattr(lesson, name, value)
    if lesson.kind == K.VIDEO and video is None and not lesson.video and not lesson.video_url:
        _refuse(_("Unggah video MP4/WebM atau isi tautan video."), "video")
    lesson.required = bool(required)
    lesson.duration_minutes = duration_minutes
    _store_lesson_files(
        lesson,
        video=video if lesson.kind == K.VIDEO else None,
        attachment=attachment if lesson.kind == K.FILE else None,
        package=package if lesson.kind == K.SCORM else None,
    )
    if lesson.kind == K.VIDEO and data.get("video_url") and video is None and lesson.video:
        # A link replaces the uploaded video only when the admin cleared the upload.
        pass
    lesson.save()
    _touch(course)
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson) -> None:
    course = lesson.course
    _guard_editable(course)
    if lesson.progress.exists() or (lesson.kind == K.QUIZ and lesson.quiz.attempts.exists()):
        _refuse(
            _("Materi ini sudah dipelajari atau dikerjakan peserta; materi tidak dapat dihapus."),
            "in_use",
        )
    lesson.delete()
    _touch(course)


@transaction.atomic
def lesson_move(*, lesson: Lesson, direction: str) -> None:
    _guard_editable(lesson.course)
    _swap(
        Lesson,
        lesson,
        siblings=Lesson.objects.filter(module_id=lesson.module_id),
        direction=direction,
    )
    _touch(lesson.course)


@transaction.atomic
def quiz_update(
    *,
    quiz: Quiz,
    kind: str,
    question_count: int | None,
    shuffle_questions: bool,
    shuffle_choices: bool,
    pass_percent: int | None,
    max_attempts: int,
    time_limit_minutes: int | None,
    scoring: str,
) -> Quiz:
    course = quiz.lesson.course
    _guard_editable(course)
    _check_quiz_kind(course, kind, exclude_lesson=quiz.lesson)
    if kind == Quiz.Kind.POST and not pass_percent:
        _refuse(_("Post-test memerlukan nilai lulus (1–100%)."), "pass_percent")
    if pass_percent is not None and not 1 <= pass_percent <= 100:
        _refuse(_("Nilai lulus harus antara 1 dan 100."), "pass_percent")
    if not max_attempts or max_attempts < 1:
        _refuse(_("Kesempatan mengerjakan paling sedikit 1 kali."), "max_attempts")
    if question_count is not None and question_count < 1:
        _refuse(_("Jumlah soal paling sedikit 1, atau kosongkan untuk semua soal."), "count")
    if scoring not in Quiz.Scoring.values:
        _refuse(_("Pilihan nilai yang dihitung tidak dikenal."), "scoring")
    if time_limit_minutes is not None and time_limit_minutes < 1:
        _refuse(_("Batas waktu paling sedikit 1 menit, atau kosongkan."), "time_limit")
    quiz.kind = kind
    quiz.question_count = question_count
    quiz.shuffle_questions = bool(shuffle_questions)
    quiz.shuffle_choices = bool(shuffle_choices)
    quiz.pass_percent = pass_percent if kind != Quiz.Kind.PRE else None
    quiz.max_attempts = max_attempts
    quiz.time_limit_minutes = time_limit_minutes
    quiz.scoring = scoring
    quiz.save()
    _touch(course)
    return quiz


# --- Question bank -----------------------------------------------------------------------------


def _clean_question(kind: str, text: str, choices: list[tuple[str, bool]]):
    text = (text or "").strip()
    if not text:
        _refuse(_("Teks pertanyaan wajib diisi."), "text")
    if kind not in Question.Kind.values:
        _refuse(_("Jenis soal tidak dikenal."), "kind")
    if kind == Question.Kind.TRUE_FALSE:
        correct = [c for _t, c in choices]
        truth = bool(correct and correct[0])
        choices = [(_("Benar"), truth), (_("Salah"), not truth)]
    choices = [((t or "").strip()[:500], bool(c)) for t, c in choices if (t or "").strip()]
    if len(choices) < 2:
        _refuse(_("Isi paling sedikit dua pilihan jawaban."), "choices")
    n_correct = sum(1 for _t, c in choices if c)
    if n_correct == 0:
        _refuse(_("Tandai paling sedikit satu jawaban yang benar."), "choices")
    if kind == Question.Kind.SINGLE and n_correct != 1:
        _refuse(
            _("Soal pilihan ganda satu jawaban harus punya tepat satu jawaban benar."), "choices"
        )
    return text, choices


@transaction.atomic
def question_create(
    *, course: Course, kind: str, text: str, explanation: str = "", choices
) -> Question:
    """`choices`: (text, is_correct) pairs; for true/false, one pair whose flag says whether
    the statement is true."""
    _guard_editable(course)
    text, choices = _clean_question(kind, text, list(choices))
    question = Question.objects.create(
        region_id=course.region_id,
        course=course,
        kind=kind,
        text=text,
        explanation=(explanation or "").strip(),
        position=_next_position(Question.objects.filter(course=course)),
    )
    Choice.objects.bulk_create(
        Choice(region_id=course.region_id, question=question, text=t, is_correct=c, position=i)
        for i, (t, c) in enumerate(choices, start=1)
    )
    _touch(course)
    return question


@transaction.atomic
def question_update(
    *, question: Question, kind: str, text: str, explanation: str = "", choices
) -> Question:
    course = question.course
    _guard_editable(course)
    text, choices = _clean_question(kind, text, list(choices))
    if question.answers.exists():
        _refuse(
            _(
                "Soal ini sudah pernah dijawab peserta; ubahannya akan mengacaukan nilai. "
                "Buat soal baru dan hapus yang lama dari bank soal."
            ),
            "in_use",
        )
    question.kind, question.text = kind, text
    question.explanation = (explanation or "").strip()
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(region_id=course.region_id, question=question, text=t, is_correct=c, position=i)
        for i, (t, c) in enumerate(choices, start=1)
    )
    _touch(course)
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    course = question.course
    _guard_editable(course)
    if question.answers.exists():
        _refuse(_("Soal ini sudah pernah dijawab peserta; soal tidak dapat dihapus."), "in_use")
    question.delete()
    _touch(course)


# --- Copies ------------------------------------------------------------------------------------


def _copy_into(source: Course, target: Course) -> None:
    """Copy `source`'s modules, lessons (files shared: they are never changed in place, only
    replaced), quizzes and question bank into the empty `target`, in bulk INSERTs."""
    region_id = target.region_id
    modules = list(CourseModule.objects.filter(course=source).order_by("position", "id"))
    new_modules = CourseModule.objects.bulk_create(
        CourseModule(region_id=region_id, course=target, title=m.title, position=m.position)
        for m in modules
    )
    module_map = {old.pk: new for old, new in zip(modules, new_modules, strict=True)}
    lessons = list(
        Lesson.objects.filter(course=source).select_related("quiz").order_by("position", "id")
    )
    new_lessons = Lesson.objects.bulk_create(
        Lesson(
            region_id=region_id,
            course=target,
            module=module_map[lesson.module_id],
            title=lesson.title,
            kind=lesson.kind,
            position=lesson.position,
            required=lesson.required,
            duration_minutes=lesson.duration_minutes,
            body=lesson.body,
            video=lesson.video.name,
            video_url=lesson.video_url,
            attachment=lesson.attachment.name,
            attachment_name=lesson.attachment_name,
            scorm_root=lesson.scorm_root,
            scorm_launch=lesson.scorm_launch,
            size_bytes=lesson.size_bytes,
        )
        for lesson in lessons
    )
    quizzes = []
    for old, new in zip(lessons, new_lessons, strict=True):
        quiz = getattr(old, "quiz", None) if old.kind == K.QUIZ else None
        if quiz is not None:
            quizzes.append(
                Quiz(
                    region_id=region_id,
                    lesson=new,
                    kind=quiz.kind,
                    question_count=quiz.question_count,
                    shuffle_questions=quiz.shuffle_questions,
                    shuffle_choices=quiz.shuffle_choices,
                    pass_percent=quiz.pass_percent,
                    max_attempts=quiz.max_attempts,
                    time_limit_minutes=quiz.time_limit_minutes,
                    scoring=quiz.scoring,
                )
            )
    Quiz.objects.bulk_create(quizzes)
    questions = list(Question.objects.filter(course=source).order_by("position", "id"))
    new_questions = Question.objects.bulk_create(
        Question(
            region_id=region_id,
            course=target,
            kind=q.kind,
            text=q.text,
            explanation=q.explanation,
            position=q.position,
        )
        for q in questions
    )
    question_map = {old.pk: new for old, new in zip(questions, new_questions, strict=True)}
    Choice.objects.bulk_create(
        Choice(
            region_id=region_id,
            question=question_map[c.question_id],
            text=c.text,
            is_correct=c.is_correct,
            position=c.position,
        )
        for c in Choice.objects.filter(question__course=source).order_by("position", "id")
    )


@transaction.atomic
def course_copy_to_offering(*, offering: Offering, replace: bool = False) -> Course | None:
    """Give the batch a copy of its programme's course (None when the programme has none).

    A batch that already has a copy keeps it unless `replace` (the admin's "update the batch's
    copy"): refused once participants have progress or attempts in it, and for a closed batch.
    """
    source = Course.objects.filter(program_id=offering.program_id).first()
    if source is None:
        if replace:
            _refuse(_("Program ini belum memiliki kursus untuk disalin."), "no_course")
        return None
    existing = Course.objects.filter(offering=offering).first()
    if existing is not None:
        if not replace:
            return existing
        if offering.is_closed:
            _refuse(
                _("Angkatan ini sudah selesai atau dibatalkan; kursusnya tidak dapat diubah."),
                "offering_closed",
            )
        if Lesson.objects.filter(course=existing, progress__isnull=False).exists() or (
            Quiz.objects.filter(lesson__course=existing, attempts__isnull=False).exists()
        ):
            _refuse(
                _(
                    "Peserta sudah mulai belajar di kursus angkatan ini; salinan tidak dapat "
                    "diganti agar kemajuan mereka tidak hilang. Ubah materi angkatan satu per satu."
                ),
                "in_use",
            )
        existing.delete()
    course = Course.objects.create(
        region_id=offering.region_id,
        offering=offering,
        title=source.title,
        sequential=source.sequential,
        copied_from=source,
        copied_at=timezone.now(),
    )
    _copy_into(source, course)
    return course


@transaction.atomic
def course_copy_from_program(*, program: Program, source_program: Program) -> Course:
    """Fill `program`'s course with a copy of another programme's course (same region).
    Refused when the target already has content."""
    if source_program.region_id != program.region_id or source_program.pk == program.pk:
        _refuse(_("Pilih program lain dari wilayah ini."), "source")
    source = Course.objects.filter(program=source_program).first()
    if source is None or not Lesson.objects.filter(course=source).exists():
        _refuse(_("Program sumber belum memiliki materi kursus."), "no_course")
    target = course_for_program(program=program)
    if (
        Lesson.objects.filter(course=target).exists()
        or Question.objects.filter(course=target).exists()
    ):
        _refuse(
            _("Kursus program ini sudah berisi materi; salin hanya ke kursus yang masih kosong."),
            "not_empty",
        )
    CourseModule.objects.filter(course=target).delete()
    target.sequential = source.sequential
    target.copied_from = source
    target.copied_at = timezone.now()
    target.save(update_fields=["sequential", "copied_from", "copied_at", "updated_at"])
    _copy_into(source, target)
    return target
