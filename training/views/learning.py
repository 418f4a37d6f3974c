"""ASN pages of their batch's online course: the course outline ("Materi"), lessons, quizzes,
and the lesson media (video with HTTP range requests, documents, SCORM content).

Pages stay light for a 360-px phone on a slow link: server-rendered HTML, one small script
per kind of lesson, the SCORM runtime only on SCORM lessons, videos streamed in ranges.
"""

import json
import mimetypes
import os
import re

from csp.decorators import csp_exempt
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from regions.permissions import region_employee_required
from training import lesson_files
from training.models import Enrolment, Lesson, QuizAttempt
from training.selectors import enrolment as enrolment_selectors
from training.selectors.courses import (
    attempt_questions,
    attempt_review,
    course_of_offering,
    course_outline,
    offering_has_started,
    quiz_attempts,
)
from training.services import learning as services
from training.services import quizzes

SCORM_SALT = "training.scorm-commit"


def _enrolment(request, enrolment_id) -> Enrolment:
    try:
        return enrolment_selectors.enrolment_detail(
            region=request.region, pk=enrolment_id, employee=request.access.employee
        )
    except Enrolment.DoesNotExist:
        raise Http404(_("Pendaftaran tidak ditemukan.")) from None


def _course_and_lesson(request, enrolment, lesson_id):
    course = course_of_offering(offering=enrolment.offering)
    if course is None:
        raise Http404(_("Angkatan ini tidak memiliki kursus daring."))
    lesson = get_object_or_404(
        Lesson.objects.select_related("course", "module"),
        region=request.region,
        course=course,
        pk=lesson_id,
    )
    return course, lesson


@region_employee_required
def learn_course(request, region_slug, enrolment_id):
    enrolment = _enrolment(request, enrolment_id)
    course = course_of_offering(offering=enrolment.offering)
    if course is None:
        raise Http404(_("Angkatan ini tidak memiliki kursus daring."))
    outline = course_outline(course=course, enrolment=enrolment)
    return render(
        request,
        "training/learning/course.html",
        {
            "enrolment": enrolment,
            "course": course,
            "outline": outline,
            "can_learn": enrolment.can_learn,
            "started": offering_has_started(enrolment.offering),
        },
    )


def _lesson_context(request, enrolment, course, lesson, outline):
    progress = lesson.progress_row
    context = {
        "enrolment": enrolment,
        "course": course,
        "outline": outline,
        "lesson": lesson,
        "progress": progress,
        "preview": False,
    }
    index = outline.lessons.index(lesson)
    context["previous_lesson"] = outline.lessons[index - 1] if index > 0 else None
    context["next_in_order"] = (
        outline.lessons[index + 1] if index + 1 < len(outline.lessons) else None
    )
    if lesson.kind == Lesson.Kind.SCORM:
        token = signing.dumps([request.user.pk, enrolment.pk, lesson.pk], salt=SCORM_SALT)
        context["scorm_commit_url"] = reverse(
            "training:learn_scorm_commit",
            args=[request.region.slug, enrolment.pk, lesson.pk, token],
        )
        context["scorm_state"] = json.dumps(services.scorm_state(progress=progress))
    if lesson.kind == Lesson.Kind.QUIZ:
        quiz = lesson.quiz
        context["quiz"] = quiz
        context["attempts"] = quiz_attempts(quiz=quiz, enrolment=enrolment)
        context["open_attempt"] = next(
            (a for a in context["attempts"] if a.submitted_at is None), None
        )
        context["attempts_left"] = quizzes.attempts_left(quiz=quiz, enrolment=enrolment)
    return context


@region_employee_required
def learn_lesson(request, region_slug, enrolment_id, lesson_id):
    enrolment = _enrolment(request, enrolment_id)
    course, lesson = _course_and_lesson(request, enrolment, lesson_id)
    if request.method == "POST":
        try:
            services.lesson_complete(enrolment=enrolment, lesson=lesson)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("training:learn_lesson", region_slug, enrolment.pk, lesson.pk)
        enrolment.refresh_from_db()
        if enrolment.status == Enrolment.Status.COMPLETED:
            messages.success(
                request,
                _(
                    "Selamat, Anda menyelesaikan pelatihan ini. JP sudah dicatat; sertifikat sedang disiapkan."
                ),
            )
            return redirect("training:learn_course", region_slug, enrolment.pk)
        messages.success(request, _("Materi ditandai selesai."))
        outline = course_outline(course=course, enrolment=enrolment)
        if outline.next_lesson is not None:
            return redirect(
                "training:learn_lesson", region_slug, enrolment.pk, outline.next_lesson.pk
            )
        return redirect("training:learn_course", region_slug, enrolment.pk)
    try:
        services.lesson_open(enrolment=enrolment, lesson=lesson)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("training:learn_course", region_slug, enrolment.pk)
    outline = course_outline(course=course, enrolment=enrolment)
    current = outline.lesson(lesson.pk)
    return render(
        request,
        "training/learning/lesson.html",
        _lesson_context(request, enrolment, course, current, outline),
    )


@region_employee_required
def learn_video_position(request, region_slug, enrolment_id, lesson_id):
    enrolment = _enrolment(request, enrolment_id)
    _course, lesson = _course_and_lesson(request, enrolment, lesson_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        if request.POST.get("ended") == "1":
            services.lesson_complete(enrolment=enrolment, lesson=lesson)
        else:
            services.video_position_save(
                enrolment=enrolment, lesson=lesson, position=request.POST.get("position")
            )
    except ValidationError as exc:
        return JsonResponse({"ok": False, "message": " ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True})


@csrf_exempt
@region_employee_required
def learn_scorm_commit(request, region_slug, enrolment_id, lesson_id, token):
    """The SCORM runtime's commits (also sent with navigator.sendBeacon on unload, which
    cannot carry a CSRF header): the signed token in the URL binds the commit to this user,
    enrolment and lesson, and the session must be the same user's."""
    try:
        user_id, token_enrolment, token_lesson = signing.loads(
            token, salt=SCORM_SALT, max_age=12 * 3600
        )
    except signing.BadSignature:
        raise Http404(_("Tautan tidak valid.")) from None
    if (user_id, token_enrolment, token_lesson) != (request.user.pk, enrolment_id, lesson_id):
        raise Http404(_("Tautan tidak valid."))
    enrolment = _enrolment(request, enrolment_id)
    _course, lesson = _course_and_lesson(request, enrolment, lesson_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if len(request.body) > 256 * 1024:
        return JsonResponse({"result": False, "errorCode": 101}, status=413)
    try:
        data = json.loads(request.body or b"{}")
        services.scorm_commit(enrolment=enrolment, lesson=lesson, cmi=data)
    except ValueError:
        return JsonResponse({"result": False, "errorCode": 101}, status=400)
    except ValidationError as exc:
        return JsonResponse(
            {"result": False, "errorCode": 101, "message": " ".join(exc.messages)}, status=400
        )
    return JsonResponse({"result": True, "errorCode": 0})


# --- Quizzes -----------------------------------------------------------------------------------


@region_employee_required
def learn_quiz_start(request, region_slug, enrolment_id, lesson_id):
    enrolment = _enrolment(request, enrolment_id)
    _course, lesson = _course_and_lesson(request, enrolment, lesson_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if lesson.kind != Lesson.Kind.QUIZ:
        raise Http404(_("Materi ini bukan tes."))
    try:
        attempt = quizzes.attempt_start(quiz=lesson.quiz, enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("training:learn_lesson", region_slug, enrolment.pk, lesson.pk)
    return redirect("training:learn_attempt", region_slug, enrolment.pk, attempt.pk)


def _attempt(request, enrolment, attempt_id) -> QuizAttempt:
    return get_object_or_404(
        QuizAttempt.objects.select_related("quiz", "quiz__lesson", "quiz__lesson__course"),
        region=request.region,
        enrolment=enrolment,
        pk=attempt_id,
    )


@region_employee_required
def learn_attempt(request, region_slug, enrolment_id, attempt_id):
    """An attempt in progress (reload-safe: same questions, remaining time) or its result."""
    enrolment = _enrolment(request, enrolment_id)
    attempt = _attempt(request, enrolment, attempt_id)
    quiz = attempt.quiz
    if request.method == "POST":
        answers = {}
        for item in attempt.layout:
            values = request.POST.getlist(f"q{item['q']}")
            if values:
                answers[str(item["q"])] = values
        for key in request.POST:
            # A question that is not in the attempt (tampered form) is refused by the service.
            match = re.fullmatch(r"q(\d+)", key)
            if match and key[1:] not in answers and request.POST.getlist(key):
                answers[key[1:]] = request.POST.getlist(key)
        try:
            quizzes.attempt_submit(attempt=attempt, enrolment=enrolment, answers=answers)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Jawaban terkirim dan sudah dinilai."))
        return redirect("training:learn_attempt", region_slug, enrolment.pk, attempt.pk)
    enrolment.refresh_from_db()
    context = {
        "enrolment": enrolment,
        "attempt": attempt,
        "quiz": quiz,
        "lesson": quiz.lesson,
        "course": quiz.lesson.course,
    }
    if attempt.submitted_at is None:
        context["questions"] = attempt_questions(attempt=attempt)
        context["seconds_left"] = quizzes.seconds_left(attempt)
        return render(request, "training/learning/attempt.html", context)
    context["questions"] = attempt_review(attempt=attempt)
    context["outline"] = course_outline(course=quiz.lesson.course, enrolment=enrolment)
    context["attempts_left"] = quizzes.attempts_left(quiz=quiz, enrolment=enrolment)
    return render(request, "training/learning/attempt_result.html", context)


# --- Media (participants of the batch, and the region's admins for the preview) ---------------


def _media_lesson(request, lesson_id) -> Lesson:
    lesson = get_object_or_404(
        Lesson.objects.select_related("course"), region=request.region, pk=lesson_id
    )
    access = request.access
    if access.is_admin:
        return lesson
    employee = access.employee
    if employee is None or lesson.course.offering_id is None:
        raise Http404(_("Materi tidak ditemukan."))
    enrolment = (
        Enrolment.objects.filter(
            offering_id=lesson.course.offering_id,
            employee=employee,
            status__in=Enrolment.LEARNING_STATUSES,
        )
        .select_related("offering")
        .first()
    )
    if enrolment is None:
        raise Http404(_("Materi tidak ditemukan."))
    if not offering_has_started(enrolment.offering):
        raise Http404(_("Materi belum dibuka."))
    return lesson


RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _file_chunks(handle, start, length):
    handle.seek(start)
    remaining = length
    try:
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def lesson_video(request, region_slug, lesson_id):
    """The uploaded video, with HTTP range requests (seek and resume on slow links)."""
    lesson = _media_lesson(request, lesson_id)
    if lesson.kind != Lesson.Kind.VIDEO or not lesson.video:
        raise Http404(_("Video tidak ditemukan."))
    name = lesson.video.name
    size = default_storage.size(name)
    content_type = "video/webm" if name.endswith(".webm") else "video/mp4"
    header = request.headers.get("Range", "")
    match = RANGE.match(header.strip()) if header else None
    start, end = 0, size - 1
    status = 200
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = int(match.group(2)) if match.group(2) else size - 1
        else:
            start = max(0, size - int(match.group(2)))
        end = min(end, size - 1)
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        status = 206
    length = end - start + 1
    response = StreamingHttpResponse(
        _file_chunks(default_storage.open(name, "rb"), start, length),
        status=status,
        content_type=content_type,
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def lesson_file(request, region_slug, lesson_id):
    lesson = _media_lesson(request, lesson_id)
    if lesson.kind != Lesson.Kind.FILE or not lesson.attachment:
        raise Http404(_("Berkas tidak ditemukan."))
    extension = os.path.splitext(lesson.attachment.name)[1].lstrip(".")
    response = FileResponse(
        default_storage.open(lesson.attachment.name, "rb"),
        as_attachment=True,
        filename=lesson.attachment_name or f"materi.{extension}",
        content_type=lesson_files.DOCUMENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


SCORM_CSP = (
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


@csp_exempt(REPORT_ONLY=True)  # the package's own policy (SCORM_CSP) is the only one
def lesson_scorm(request, region_slug, lesson_id, path):
    """A file of an unpacked SCORM package, from the package's own path, with restrictive
    headers (framed only by the portal, no sniffing, no referrer)."""
    lesson = _media_lesson(request, lesson_id)
    if lesson.kind != Lesson.Kind.SCORM or not lesson.scorm_root:
        raise Http404(_("Paket tidak ditemukan."))
    name = lesson_files.scorm_member_name(lesson.scorm_root, path)
    if name is None or not default_storage.exists(name):
        raise Http404(_("Berkas paket tidak ditemukan."))
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(
        default_storage.open(name, "rb"), content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SCORM_CSP
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, max-age=3600"
    return response
