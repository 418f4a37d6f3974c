"""Quizzes: starting (or resuming) an attempt, submitting it, grading on the server, and the
pre/post-test scores written to the enrolment.

An attempt fixes its questions and the order of their choices when it starts (all of the
course's bank or N drawn at random, shuffled if the quiz says so); a reload resumes the same
attempt with the time that is left. Submitting is refused, with nothing written, for another
person's attempt, an attempt already submitted, after the time limit plus a short grace, and
for a question that is not in the attempt or a choice that is not the question's. Grading:
a question is right when the picked choices are exactly its correct ones; the score is the
share of right questions (0–100).

The counted score of a pre- or post-test (best or last attempt, as the quiz says) goes to the
enrolment through `training.services.scores.enrolment_scores_set`, the one writer of
`pre_test_score` / `post_test_score`.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from training.models import (
    AttemptAnswer,
    Choice,
    Enrolment,
    LessonProgress,
    Question,
    Quiz,
    QuizAttempt,
)
from training.services.completion import enrolment_fail
from training.services.learning import lesson_access, progress_refresh
from training.services.scores import enrolment_scores_set

GRACE = dt.timedelta(seconds=30)
P = LessonProgress.Status


def attempt_open(*, quiz: Quiz, enrolment: Enrolment) -> QuizAttempt | None:
    return QuizAttempt.objects.filter(
        quiz=quiz, enrolment=enrolment, submitted_at__isnull=True
    ).first()


def attempts_left(*, quiz: Quiz, enrolment: Enrolment) -> int:
    used = QuizAttempt.objects.filter(quiz=quiz, enrolment=enrolment).count()
    return max(0, quiz.max_attempts - used)


def _passed_already(quiz: Quiz, enrolment: Enrolment) -> bool:
    return QuizAttempt.objects.filter(quiz=quiz, enrolment=enrolment, passed=True).exists()


@transaction.atomic
def attempt_start(*, quiz: Quiz, enrolment: Enrolment, seed=None) -> QuizAttempt:
    """The participant's open attempt (resumed as it was), or a new one."""
    lesson = quiz.lesson
    lesson_access(enrolment=enrolment, lesson=lesson)
    Enrolment.objects.select_for_update(of=("self",)).filter(pk=enrolment.pk).first()
    existing = attempt_open(quiz=quiz, enrolment=enrolment)
    if existing is not None:
        return existing
    if quiz.kind == Quiz.Kind.POST and _passed_already(quiz, enrolment):
        raise ValidationError(_("Anda sudah lulus post-test ini."), code="passed")
    used = QuizAttempt.objects.filter(quiz=quiz, enrolment=enrolment).aggregate(m=Max("number"))[
        "m"
    ]
    if (used or 0) >= quiz.max_attempts:
        raise ValidationError(
            _("Kesempatan mengerjakan tes ini sudah habis (%(n)s kali).")
            % {"n": quiz.max_attempts},
            code="no_attempts",
        )
    questions = list(Question.objects.filter(course_id=lesson.course_id).order_by("position", "id"))
    if not questions:
        raise ValidationError(_("Bank soal kursus ini masih kosong."), code="no_questions")
    rng = random.Random(seed)
    if quiz.question_count and quiz.question_count < len(questions):
        questions = rng.sample(questions, quiz.question_count)
        if not quiz.shuffle_questions:
            questions.sort(key=lambda q: (q.position, q.pk))
    elif quiz.shuffle_questions:
        rng.shuffle(questions)
    choices: dict[int, list[int]] = {}
    for question_id, choice_id in (
        Choice.objects.filter(question__in=questions)
        .order_by("position", "id")
        .values_list("question_id", "id")
    ):
        choices.setdefault(question_id, []).append(choice_id)
    layout = []
    for question in questions:
        ids = list(choices.get(question.pk, []))
        if quiz.shuffle_choices and question.kind != Question.Kind.TRUE_FALSE:
            rng.shuffle(ids)
        layout.append({"q": question.pk, "c": ids})
    now = timezone.now()
    deadline = (
        now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    )
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                region_id=enrolment.region_id,
                quiz=quiz,
                enrolment=enrolment,
                number=(used or 0) + 1,
                layout=layout,
                started_at=now,
                deadline=deadline,
                total=len(layout),
            )
    except IntegrityError:
        # A second tab started one at the same moment: resume that one.
        return attempt_open(quiz=quiz, enrolment=enrolment)
    progress, _created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"region_id": enrolment.region_id}
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, updated_at=now)
    return attempt


def seconds_left(attempt: QuizAttempt) -> int | None:
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


def _parse_answers(attempt: QuizAttempt, answers) -> dict[int, set[int]]:
    """{question id: {choice ids}} checked against the attempt's layout."""
    if not isinstance(answers, dict):
        raise ValidationError(_("Jawaban yang dikirim tidak valid."), code="invalid")
    layout = {item["q"]: set(item["c"]) for item in attempt.layout}
    parsed: dict[int, set[int]] = {}
    for raw_question, raw_choices in answers.items():
        try:
            question_id = int(raw_question)
            picked = {
                int(c)
                for c in (
                    raw_choices if isinstance(raw_choices, list | tuple | set) else [raw_choices]
                )
            }
        except (TypeError, ValueError):
            raise ValidationError(_("Jawaban yang dikirim tidak valid."), code="invalid") from None
        if question_id not in layout:
            raise ValidationError(
                _("Jawaban memuat soal yang bukan bagian dari percobaan ini."),
                code="foreign_question",
            )
        if not picked <= layout[question_id]:
            raise ValidationError(
                _("Jawaban memuat pilihan yang bukan milik soalnya."), code="foreign_choice"
            )
        parsed[question_id] = picked
    return parsed


def _percent(correct: int, total: int) -> Decimal:
    if not total:
        return Decimal(0)
    return (Decimal(correct) * 100 / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def attempt_submit(*, attempt: QuizAttempt, enrolment: Enrolment, answers) -> QuizAttempt:
    """Grade and close an attempt. `answers`: {question id: [choice ids]} (unanswered
    questions count as wrong)."""
    locked = (
        QuizAttempt.objects.select_for_update(of=("self",))
        .select_related("quiz", "quiz__lesson", "quiz__lesson__course")
        .filter(pk=attempt.pk)
        .first()
    )
    if locked is None or locked.enrolment_id != enrolment.pk:
        raise ValidationError(_("Percobaan tes ini bukan milik Anda."), code="not_owner")
    if locked.submitted_at is not None:
        raise ValidationError(
            _("Jawaban percobaan ini sudah dikirim; jawaban tidak dapat dikirim dua kali."),
            code="already_submitted",
        )
    now = timezone.now()
    if locked.deadline is not None and now > locked.deadline + GRACE:
        raise ValidationError(
            _("Waktu mengerjakan sudah habis; jawaban tidak dapat diterima lagi."),
            code="time_over",
        )
    parsed = _parse_answers(locked, answers)
    quiz = locked.quiz
    lesson_access(enrolment=enrolment, lesson=quiz.lesson)
    question_ids = [item["q"] for item in locked.layout]
    correct_sets: dict[int, set[int]] = {q: set() for q in question_ids}
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=question_ids, is_correct=True
    ).values_list("question_id", "id"):
        correct_sets[question_id].add(choice_id)
    rows = []
    right = 0
    for question_id in question_ids:
        picked = parsed.get(question_id, set())
        is_correct = bool(picked) and picked == correct_sets[question_id]
        right += is_correct
        rows.append((question_id, picked, is_correct))
    answers_made = AttemptAnswer.objects.bulk_create(
        AttemptAnswer(region_id=locked.region_id, attempt=locked, question_id=q, is_correct=ok)
        for q, _picked, ok in rows
    )
    Through = AttemptAnswer.choices.through
    Through.objects.bulk_create(
        Through(attemptanswer_id=answer.pk, choice_id=choice_id)
        for answer, (_q, picked, _ok) in zip(answers_made, rows, strict=True)
        for choice_id in picked
    )
    locked.correct = right
    locked.total = len(question_ids)
    locked.score = _percent(right, len(question_ids))
    locked.passed = None if quiz.pass_percent is None else locked.score >= quiz.pass_percent
    locked.submitted_at = now
    locked.save(update_fields=["correct", "total", "score", "passed", "submitted_at"])
    _after_attempt(quiz=quiz, enrolment=enrolment, attempt=locked)
    return locked


def counted_score(*, quiz: Quiz, enrolment: Enrolment) -> Decimal | None:
    submitted = QuizAttempt.objects.filter(
        quiz=quiz, enrolment=enrolment, submitted_at__isnull=False
    )
    if quiz.scoring == Quiz.Scoring.LAST:
        last = submitted.order_by("-number").first()
        return last.score if last else None
    return submitted.aggregate(m=Max("score"))["m"]


def _after_attempt(*, quiz: Quiz, enrolment: Enrolment, attempt: QuizAttempt) -> None:
    lesson = quiz.lesson
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"region_id": enrolment.region_id}
    )
    score = counted_score(quiz=quiz, enrolment=enrolment)
    if quiz.kind == Quiz.Kind.PRE:
        enrolment_scores_set(enrolment=enrolment, pre=score)
    elif quiz.kind == Quiz.Kind.POST:
        enrolment_scores_set(enrolment=enrolment, post=score)
    done = True if quiz.pass_percent is None or attempt.passed else _passed_already(quiz, enrolment)
    if done and progress.status != P.COMPLETED:
        progress.status, progress.completed_at = P.COMPLETED, timezone.now()
        progress.save(update_fields=["status", "completed_at", "updated_at"])
    elif not done:
        left = attempts_left(quiz=quiz, enrolment=enrolment)
        progress.status = P.FAILED if left == 0 else P.STARTED
        progress.save(update_fields=["status", "updated_at"])
        if left == 0 and quiz.kind == Quiz.Kind.POST and lesson.required:
            enrolment_fail(
                enrolment=enrolment,
                reason=_(
                    "Nilai post-test %(score)s di bawah nilai lulus %(pass)s%% dan kesempatan "
                    "mengerjakan sudah habis."
                )
                % {"score": f"{score:.0f}", "pass": quiz.pass_percent},
            )
            return
    progress_refresh(enrolment=enrolment, lesson=lesson)
