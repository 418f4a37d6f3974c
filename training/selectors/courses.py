"""Reads of online courses: the outline a participant (or an admin's preview) sees with what
is done and what is still locked, the next lesson, and item statistics of quizzes.

The access rules are here, once, and the services check them again before a write:
- a lesson opens only to a participant whose enrolment may learn (`Enrolment.can_learn`) in a
  batch that has started;
- while the course has a pre-test that was not taken, only the pre-test is open;
- a post-test opens once every other required lesson is done;
- in a sequential course a lesson opens once every required lesson before it is done.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from training.models import (
    AttemptAnswer,
    Choice,
    Course,
    CourseModule,
    Enrolment,
    Lesson,
    LessonProgress,
    Offering,
    Question,
    Quiz,
    QuizAttempt,
)

DONE = LessonProgress.Status.COMPLETED


@dataclass
class Outline:
    course: Course
    modules: list = field(default_factory=list)
    lessons: list = field(default_factory=list)
    required_total: int = 0
    required_done: int = 0
    next_lesson: Lesson | None = None
    pre_test: Lesson | None = None
    post_test: Lesson | None = None

    @property
    def percent(self) -> int:
        if not self.required_total:
            return 100 if self.lessons else 0
        return int(self.required_done * 100 / self.required_total)

    @property
    def finished(self) -> bool:
        return bool(self.lessons) and self.required_done >= self.required_total

    def lesson(self, pk: int) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.pk == pk), None)


def course_of_offering(*, offering: Offering) -> Course | None:
    return Course.objects.filter(offering_id=offering.pk).first()


def course_outline(*, course: Course, enrolment: Enrolment | None = None) -> Outline:
    """Modules and lessons in order, each lesson with `progress` (or None), `done`, `locked`
    and `quiz`; with an enrolment, what is done; without one (an admin's preview), nothing is
    locked. Three queries whatever the size of the course."""
    modules = list(CourseModule.objects.filter(course=course).order_by("position", "id"))
    lessons = list(
        Lesson.objects.filter(course=course)
        .select_related("quiz")
        .order_by("module__position", "module_id", "position", "id")
    )
    progress = {}
    if enrolment is not None:
        progress = {
            p.lesson_id: p for p in LessonProgress.objects.filter(enrolment_id=enrolment.pk)
        }
    outline = Outline(course=course)
    by_module = {m.pk: m for m in modules}
    for module in modules:
        module.outline_lessons = []
    for lesson in lessons:
        lesson.progress_row = progress.get(lesson.pk)
        lesson.done = lesson.progress_row is not None and lesson.progress_row.status == DONE
        lesson.quiz_obj = getattr(lesson, "quiz", None) if lesson.kind == Lesson.Kind.QUIZ else None
        if lesson.quiz_obj is not None and lesson.quiz_obj.kind == Quiz.Kind.PRE:
            outline.pre_test = outline.pre_test or lesson
        if lesson.quiz_obj is not None and lesson.quiz_obj.kind == Quiz.Kind.POST:
            outline.post_test = outline.post_test or lesson
        by_module[lesson.module_id].outline_lessons.append(lesson)
    outline.modules = modules
    outline.lessons = lessons
    required = [lesson for lesson in lessons if lesson.required]
    outline.required_total = len(required)
    outline.required_done = sum(1 for lesson in required if lesson.done)
    _locks(outline, preview=enrolment is None)
    outline.next_lesson = next(
        (lesson for lesson in lessons if not lesson.done and not lesson.locked), None
    )
    return outline


def _locks(outline: Outline, *, preview: bool) -> None:
    pre_pending = outline.pre_test is not None and not outline.pre_test.done
    others_done = all(
        lesson.done
        for lesson in outline.lessons
        if lesson.required and lesson is not outline.post_test
    )
    earlier_required_done = True
    for lesson in outline.lessons:
        locked = False
        if not preview and (
            pre_pending
            and lesson is not outline.pre_test
            or lesson is outline.post_test
            and not others_done
            or outline.course.sequential
            and not earlier_required_done
        ):
            locked = True
        lesson.locked = locked
        if lesson.required and not lesson.done:
            earlier_required_done = False


def offering_has_started(offering: Offering) -> bool:
    return offering.start_date <= timezone.localdate()


def quiz_attempts(*, quiz: Quiz, enrolment: Enrolment) -> list[QuizAttempt]:
    return list(QuizAttempt.objects.filter(quiz=quiz, enrolment=enrolment).order_by("number"))


def attempt_questions(*, attempt: QuizAttempt) -> list[Question]:
    """The attempt's questions in the drawn order, each with `shown_choices` in the drawn
    order (two queries)."""
    question_ids = [item["q"] for item in attempt.layout]
    questions = {q.pk: q for q in Question.objects.filter(pk__in=question_ids)}
    choices = {c.pk: c for c in Choice.objects.filter(question_id__in=question_ids)}
    result = []
    for item in attempt.layout:
        question = questions.get(item["q"])
        if question is None:
            continue
        question.shown_choices = [choices[c] for c in item["c"] if c in choices]
        result.append(question)
    return result


def attempt_review(*, attempt: QuizAttempt) -> list[Question]:
    """The submitted attempt's questions with `picked` (choice ids) and `answer_correct`."""
    questions = attempt_questions(attempt=attempt)
    picked: dict[int, set] = {}
    correct: dict[int, bool] = {}
    for answer in AttemptAnswer.objects.filter(attempt=attempt).prefetch_related("choices"):
        picked[answer.question_id] = {c.pk for c in answer.choices.all()}
        correct[answer.question_id] = answer.is_correct
    for question in questions:
        question.picked = picked.get(question.pk, set())
        question.answer_correct = correct.get(question.pk, False)
    return questions


# --- Item statistics ---------------------------------------------------------------------------

GROUP_SHARE = 0.27  # upper and lower 27 % (Kelley)


def quiz_item_statistics(*, quiz: Quiz) -> dict:
    """Per question of the course's bank that was answered in this quiz: answers, share
    correct, discrimination index (share correct in the upper 27 % of submitted attempts by
    score minus the lower 27 %), and per choice how often it was picked. Aggregated in SQL:
    five queries whatever the number of attempts."""
    submitted = QuizAttempt.objects.filter(quiz=quiz, submitted_at__isnull=False)
    n = submitted.count()
    k = max(1, math.ceil(n * GROUP_SHARE)) if n >= 2 else 0
    upper = submitted.order_by("-score", "id").values("id")[:k]
    lower = submitted.order_by("score", "id").values("id")[:k]
    answers = AttemptAnswer.objects.filter(attempt__quiz=quiz, attempt__submitted_at__isnull=False)
    stats = {
        row["question_id"]: row
        for row in answers.values("question_id").annotate(
            answered=Count("id"),
            right=Count("id", filter=Q(is_correct=True)),
            upper_right=Count("id", filter=Q(is_correct=True, attempt_id__in=upper))
            if k
            else Count("id", filter=Q(pk__in=[])),
            lower_right=Count("id", filter=Q(is_correct=True, attempt_id__in=lower))
            if k
            else Count("id", filter=Q(pk__in=[])),
        )
    }
    picks = dict(
        Choice.objects.filter(question__course_id=quiz.lesson.course_id)
        .annotate(
            n=Count(
                "picks",
                filter=Q(picks__attempt__quiz=quiz, picks__attempt__submitted_at__isnull=False),
            )
        )
        .values_list("id", "n")
    )
    questions = list(
        Question.objects.filter(course_id=quiz.lesson.course_id)
        .prefetch_related("choices")
        .order_by("position", "id")
    )
    rows = []
    for question in questions:
        row = stats.get(question.pk)
        answered = row["answered"] if row else 0
        share = row["right"] / answered if answered else None
        index = (row["upper_right"] - row["lower_right"]) / k if row and k else None
        choices = [
            {
                "choice": choice,
                "picks": picks.get(choice.pk, 0),
                "share": picks.get(choice.pk, 0) / answered if answered else None,
            }
            for choice in question.choices.all()
        ]
        rows.append(
            {
                "question": question,
                "answered": answered,
                "share_correct": share,
                "discrimination": index,
                "choices": choices,
                "flag": answered >= 5
                and ((share is not None and (share < 0.2 or share > 0.95)) or (index or 0) < 0.2),
            }
        )
    return {"attempts": n, "group_size": k, "rows": rows}


def enrolments_by_course_progress(*, offering: Offering):
    """Participants of a batch with their course progress (for the admin's overview)."""
    return (
        Enrolment.objects.filter(offering_id=offering.pk, status__in=Enrolment.LEARNING_STATUSES)
        .select_related("employee", "employee__unit", "last_lesson")
        .order_by("employee__name", "id")
    )


CONTINUE_LIMIT = 3


def continue_learning(*, employee) -> list[Enrolment]:
    """The employee's batches with a course they are working through (confirmed, started),
    most recently active first, each with `next_lesson` and `percent`. At most
    CONTINUE_LIMIT, so a constant number of queries (one, plus three per batch)."""
    today = timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(
            region_id=employee.region_id,
            employee=employee,
            status=Enrolment.Status.CONFIRMED,
            offering__start_date__lte=today,
            offering__course__isnull=False,
        )
        .select_related("offering", "offering__program", "offering__course")
        .order_by("-updated_at", "-id")[:CONTINUE_LIMIT]
    )
    for enrolment in enrolments:
        outline = course_outline(course=enrolment.offering.course, enrolment=enrolment)
        enrolment.next_lesson = outline.next_lesson
        enrolment.percent = outline.percent
    return enrolments
