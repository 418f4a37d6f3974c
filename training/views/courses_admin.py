"""BKPSDM admin pages of online courses: the builder (programme master and a batch's copy),
lessons, quizzes and the question bank, item statistics, preview, copies, and paper-test
scores. Thin: forms parse, services decide."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from kompetensi.views import id_param
from regions.permissions import region_admin_required
from training.forms.courses import (
    CopyCourseForm,
    CourseSettingsForm,
    LessonForm,
    ModuleForm,
    QuestionForm,
    QuizSettingsForm,
    ScoresImportForm,
)
from training.models import (
    Course,
    CourseModule,
    Enrolment,
    Lesson,
    Offering,
    Program,
    Question,
    Quiz,
)
from training.selectors.courses import course_outline, quiz_item_statistics
from training.services import courses as services
from training.services import scores as score_services


def _course(request, course_id) -> Course:
    return get_object_or_404(
        Course.objects.select_related("program", "offering", "offering__program"),
        region=request.region,
        pk=course_id,
    )


def _module(request, module_id) -> CourseModule:
    return get_object_or_404(
        CourseModule.objects.select_related("course"), region=request.region, pk=module_id
    )


def _lesson(request, lesson_id) -> Lesson:
    return get_object_or_404(
        Lesson.objects.select_related("course", "module"), region=request.region, pk=lesson_id
    )


def _question(request, question_id) -> Question:
    return get_object_or_404(
        Question.objects.select_related("course"), region=request.region, pk=question_id
    )


def builder_url(course: Course, slug: str) -> str:
    if course.offering_id:
        return reverse("training:course_offering", args=[slug, course.offering_id])
    return reverse("training:course_program", args=[slug, course.program_id])


def _back(request, course: Course):
    return redirect(builder_url(course, request.region.slug))


def _builder(request, course: Course, *, program=None, offering=None):
    outline = course_outline(course=course)
    other_programs = Program.objects.filter(region=request.region).exclude(
        pk=course.program_id or 0
    )
    return render(
        request,
        "training/courses/builder.html",
        {
            "course": course,
            "outline": outline,
            "program": program or (offering.program if offering else None),
            "offering": offering,
            "settings_form": CourseSettingsForm(
                initial={"title": course.title, "sequential": course.sequential}
            ),
            "module_form": ModuleForm(),
            "copy_form": CopyCourseForm(programs=other_programs) if program else None,
            "kinds": Lesson.Kind.choices,
            "question_count": Question.objects.filter(course=course).count(),
        },
    )


@region_admin_required
def course_program(request, region_slug, program_id):
    program = get_object_or_404(Program, region=request.region, pk=program_id)
    course = services.course_for_program(program=program)
    return _builder(request, course, program=program)


@region_admin_required
def course_offering(request, region_slug, offering_id):
    offering = get_object_or_404(
        Offering.objects.select_related("program"), region=request.region, pk=offering_id
    )
    if request.method == "POST":
        try:
            services.course_copy_to_offering(offering=offering, replace=True)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Kursus angkatan diperbarui dari kursus program terbaru."))
        return redirect("training:course_offering", region_slug, offering.pk)
    course = Course.objects.filter(offering=offering).first()
    if course is None:
        return render(
            request,
            "training/courses/no_course.html",
            {
                "offering": offering,
                "program_course": Course.objects.filter(program_id=offering.program_id).first(),
            },
        )
    return _builder(request, course, offering=offering)


@region_admin_required
def course_settings(request, region_slug, course_id):
    course = _course(request, course_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CourseSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.course_update(course=course, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Pengaturan kursus disimpan."))
    else:
        messages.error(request, _("Judul kursus wajib diisi."))
    return _back(request, course)


@region_admin_required
def course_copy_from(request, region_slug, program_id):
    program = get_object_or_404(Program, region=request.region, pk=program_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    others = Program.objects.filter(region=request.region).exclude(pk=program.pk)
    form = CopyCourseForm(request.POST, programs=others)
    if form.is_valid():
        try:
            services.course_copy_from_program(
                program=program, source_program=form.cleaned_data["source"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Kursus disalin."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("training:course_program", region_slug, program.pk)


@region_admin_required
def course_reorder(request, region_slug, course_id):
    """Drag and drop: the whole order as JSON {"modules": [...], "lessons": {module: [...]}}."""
    course = _course(request, course_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        data = json.loads(request.body or b"{}")
        services.course_reorder(
            course=course, module_ids=data.get("modules", []), lesson_order=data.get("lessons", {})
        )
    except (ValueError, AttributeError):
        return HttpResponseBadRequest(_("Urutan yang dikirim tidak valid."))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "message": " ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True, "message": _("Urutan disimpan.")})


@region_admin_required
def module_create(request, region_slug, course_id):
    course = _course(request, course_id)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_create(course=course, title=form.cleaned_data["title"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Modul ditambahkan."))
            return _back(request, course)
    return render(request, "training/courses/module_form.html", {"form": form, "course": course})


@region_admin_required
def module_edit(request, region_slug, module_id):
    module = _module(request, module_id)
    form = ModuleForm(request.POST or None, initial={"title": module.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(module=module, title=form.cleaned_data["title"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Modul diubah."))
            return _back(request, module.course)
    return render(
        request,
        "training/courses/module_form.html",
        {"form": form, "course": module.course, "module": module},
    )


@region_admin_required
def module_delete(request, region_slug, module_id):
    module = _module(request, module_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.module_delete(module=module)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Modul dihapus."))
    return _back(request, module.course)


@region_admin_required
def module_move(request, region_slug, module_id):
    module = _module(request, module_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.module_move(module=module, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, module.course)


@region_admin_required
def lesson_create(request, region_slug, module_id):
    module = _module(request, module_id)
    kind = request.GET.get("jenis") or request.POST.get("kind", "")
    if kind not in Lesson.Kind.values:
        kind = Lesson.Kind.TEXT
    form = LessonForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson = services.lesson_create(
                module=module,
                kind=kind,
                title=data["title"],
                required=data.get("required", False),
                duration_minutes=data.get("duration_minutes"),
                body=data.get("body", ""),
                video=data.get("video") or None,
                video_url=data.get("video_url", ""),
                attachment=data.get("attachment") or None,
                package=data.get("package") or None,
                quiz_kind=data.get("quiz_kind") or Quiz.Kind.PRACTICE,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Materi ditambahkan."))
            if kind == Lesson.Kind.QUIZ:
                return redirect("training:quiz_settings", region_slug, lesson.pk)
            return _back(request, module.course)
    return render(
        request,
        "training/courses/lesson_form.html",
        {
            "form": form,
            "course": module.course,
            "module": module,
            "kind": kind,
            "kind_label": Lesson.Kind(kind).label,
        },
    )


@region_admin_required
def lesson_edit(request, region_slug, lesson_id):
    lesson = _lesson(request, lesson_id)
    initial = {
        "title": lesson.title,
        "required": lesson.required,
        "duration_minutes": lesson.duration_minutes,
        "body": lesson.body,
        "video_url": lesson.video_url,
    }
    form = LessonForm(
        request.POST or None, request.FILES or None, kind=lesson.kind, editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.lesson_update(
                lesson=lesson,
                title=data["title"],
                required=data.get("required", False),
                duration_minutes=data.get("duration_minutes"),
                body=data.get("body", ""),
                video=data.get("video") or None,
                video_url=data.get("video_url", ""),
                attachment=data.get("attachment") or None,
                package=data.get("package") or None,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Materi diubah."))
            return _back(request, lesson.course)
    return render(
        request,
        "training/courses/lesson_form.html",
        {
            "form": form,
            "course": lesson.course,
            "lesson": lesson,
            "kind": lesson.kind,
            "kind_label": lesson.get_kind_display(),
        },
    )


@region_admin_required
def lesson_delete(request, region_slug, lesson_id):
    lesson = _lesson(request, lesson_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.lesson_delete(lesson=lesson)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Materi dihapus."))
    return _back(request, lesson.course)


@region_admin_required
def lesson_move(request, region_slug, lesson_id):
    lesson = _lesson(request, lesson_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.lesson_move(lesson=lesson, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, lesson.course)


@region_admin_required
def quiz_settings(request, region_slug, lesson_id):
    lesson = _lesson(request, lesson_id)
    quiz = getattr(lesson, "quiz", None) if lesson.kind == Lesson.Kind.QUIZ else None
    if quiz is None:
        raise Http404(_("Materi ini bukan kuis."))
    fields = (
        "kind",
        "question_count",
        "shuffle_questions",
        "shuffle_choices",
        "pass_percent",
        "max_attempts",
        "time_limit_minutes",
        "scoring",
    )
    form = QuizSettingsForm(
        request.POST or None, initial={name: getattr(quiz, name) for name in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quiz_update(quiz=quiz, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Pengaturan tes disimpan."))
            return _back(request, lesson.course)
    return render(
        request,
        "training/courses/quiz_settings.html",
        {
            "form": form,
            "lesson": lesson,
            "quiz": quiz,
            "course": lesson.course,
            "question_count": Question.objects.filter(course=lesson.course).count(),
        },
    )


@region_admin_required
def quiz_stats(request, region_slug, lesson_id):
    lesson = _lesson(request, lesson_id)
    quiz = getattr(lesson, "quiz", None) if lesson.kind == Lesson.Kind.QUIZ else None
    if quiz is None:
        raise Http404(_("Materi ini bukan kuis."))
    return render(
        request,
        "training/courses/quiz_stats.html",
        {
            "lesson": lesson,
            "quiz": quiz,
            "course": lesson.course,
            "stats": quiz_item_statistics(quiz=quiz),
        },
    )


@region_admin_required
def question_list(request, region_slug, course_id):
    course = _course(request, course_id)
    questions = Question.objects.filter(course=course).prefetch_related("choices")
    return render(
        request,
        "training/courses/question_list.html",
        {"course": course, "questions": questions, "builder": builder_url(course, region_slug)},
    )


def _question_form_page(request, course, form, question=None):
    return render(
        request,
        "training/courses/question_form.html",
        {"course": course, "form": form, "question": question},
    )


@region_admin_required
def question_create(request, region_slug, course_id):
    course = _course(request, course_id)
    form = QuestionForm(request.POST or None, initial={"kind": Question.Kind.SINGLE})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(
                course=course,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                explanation=form.cleaned_data["explanation"],
                choices=form.choices(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Soal ditambahkan ke bank soal."))
            if "another" in request.POST:
                return redirect("training:question_create", region_slug, course.pk)
            return redirect("training:question_list", region_slug, course.pk)
    return _question_form_page(request, course, form)


@region_admin_required
def question_edit(request, region_slug, question_id):
    question = _question(request, question_id)
    initial = {"kind": question.kind, "text": question.text, "explanation": question.explanation}
    for i, choice in enumerate(question.choices.all()):
        initial[f"choice_{i}"] = choice.text
        initial[f"correct_{i}"] = choice.is_correct
        if i == 0:
            initial["statement_true"] = choice.is_correct
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                question=question,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                explanation=form.cleaned_data["explanation"],
                choices=form.choices(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Soal diubah."))
            return redirect("training:question_list", region_slug, question.course_id)
    return _question_form_page(request, question.course, form, question)


@region_admin_required
def question_delete(request, region_slug, question_id):
    question = _question(request, question_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.question_delete(question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Soal dihapus."))
    return redirect("training:question_list", region_slug, question.course_id)


@region_admin_required
def course_preview(request, region_slug, course_id):
    """The course as an ASN sees it (nothing locked, nothing recorded)."""
    course = _course(request, course_id)
    outline = course_outline(course=course)
    lesson = None
    lesson_id = request.GET.get("materi")
    if id_param(lesson_id) is not None:
        lesson = outline.lesson(id_param(lesson_id))
        if lesson is None:
            raise Http404(_("Materi tidak ditemukan."))
    lesson = lesson or (outline.lessons[0] if outline.lessons else None)
    return render(
        request,
        "training/learning/lesson.html",
        {
            "preview": True,
            "course": course,
            "outline": outline,
            "lesson": lesson,
            "builder": builder_url(course, region_slug),
        },
    )


# --- Paper-test scores -------------------------------------------------------------------------


@region_admin_required
def offering_scores(request, region_slug, offering_id):
    """The grid of pre/post-test scores of a batch's participants (paper tests), and the
    import from CSV/XLSX."""
    offering = get_object_or_404(
        Offering.objects.select_related("program"), region=request.region, pk=offering_id
    )
    rows = list(
        Enrolment.objects.filter(offering_id=offering.pk, status__in=Enrolment.SEAT_STATUSES)
        .select_related("employee", "employee__unit")
        .order_by("employee__name", "id")
    )
    errors = {}
    import_form = ScoresImportForm()
    import_errors = []
    if request.method == "POST" and "import" in request.POST:
        import_form = ScoresImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            try:
                result = score_services.offering_scores_import(
                    offering=offering, file=import_form.cleaned_data["file"]
                )
            except ValidationError as exc:
                import_form.add_error("file", exc)
            else:
                if result.errors:
                    import_errors = result.errors
                else:
                    messages.success(
                        request, _("%(n)d nilai peserta diimpor.") % {"n": result.saved}
                    )
                    return redirect("training:offering_scores", region_slug, offering.pk)
    elif request.method == "POST":
        scores = {}
        for row in rows:
            try:
                pre = score_services.parse_score(request.POST.get(f"pre_{row.pk}", ""))
                post = score_services.parse_score(request.POST.get(f"post_{row.pk}", ""))
            except ValidationError as exc:
                errors[row.pk] = exc.messages[0]
                continue
            scores[row.pk] = (pre, post)
            row.pre_test_score, row.post_test_score = pre, post
        if not errors:
            try:
                saved = score_services.offering_scores_save(offering=offering, scores=scores)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Nilai disimpan (%(n)d berubah).") % {"n": saved})
                return redirect("training:offering_scores", region_slug, offering.pk)
        else:
            messages.error(request, _("Periksa nilai yang ditandai; tidak ada yang disimpan."))
    for row in rows:
        row.error = errors.get(row.pk, "")
    return render(
        request,
        "training/courses/scores.html",
        {
            "offering": offering,
            "rows": rows,
            "import_form": import_form,
            "import_errors": import_errors,
            "editable": offering.is_active,
        },
    )
