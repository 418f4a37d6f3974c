"""Reads of the post-training evaluation (Kirkpatrick levels 1–4), aggregated in SQL.

The figures other pages use (the dashboards app among them) are the selectors under
"Figures per programme": `programme_l1_scores`, `programme_l2_gain`,
`programme_l3_application`, `programme_l4_outcomes`, `flagged_programmes`. Each takes a region
(and optionally a year and programme ids) and runs a fixed number of grouped queries whatever
the number of batches or participants.

Definitions (docs/evaluation.md):
- L1 response rate: responses ÷ participants invited (completed, or finished having attended).
- Relevance: the mean of the "relevance" Likert items; a programme or batch is flagged
  "kurang relevan" when that mean is below the region's threshold (default 3.0) with at least
  the region's minimum number of relevance answers (default 10).
- L2: gain = post − pre; normalised gain = (post − pre) ÷ (100 − pre) (pre < 100); passed:
  post-test score ≥ the batch's pass mark (its online post-test's, else its paper mark).
- L3: the mean of the four behaviour items per submitted assessment, by role.
- L4: progress = (latest − baseline) ÷ (target − baseline) × 100.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from regions.models import Employee, Region
from training.models import Enrolment, Offering, Program, Quiz, Session, Speaker

from ..models import (
    L3_FIELDS,
    L3_ITEMS,
    EvaluationSettings,
    L3Assessment,
    OutcomeIndicator,
    OutcomeMeasurement,
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
)

CENT = Decimal("0.01")
LIKERT_VALUES = (1, 2, 3, 4, 5)


def _round(value, places=CENT) -> Decimal | None:
    if value is None:
        return None
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- Settings ----------------------------------------------------------------------------------


def evaluation_settings(*, region: Region) -> EvaluationSettings:
    """The region's settings (defaults until an admin saves them; never written here)."""
    conf = EvaluationSettings.objects.filter(region=region).first()
    return conf or EvaluationSettings(region=region)


def is_flagged(*, mean, responses: int, conf: EvaluationSettings) -> bool:
    """The relevance flag rule (`relevance_flagged`) with the region's settings."""
    return relevance_flagged(
        mean=mean,
        answers=responses,
        threshold=conf.relevance_threshold,
        min_answers=conf.relevance_min_responses,
    )


def relevance_flagged(*, mean, answers: int, threshold, min_answers: int) -> bool:
    """The relevance flag rule from raw values (the API's columns)."""
    return (
        mean is not None and answers >= min_answers and Decimal(str(mean)) < Decimal(str(threshold))
    )


# --- L1: who is asked, what is asked -----------------------------------------------------------


def survey_eligible_q(prefix: str = "") -> Q:
    """Enrolments invited to a batch's survey: completed, or finished having attended."""
    return Q(**{f"{prefix}status": Enrolment.Status.COMPLETED}) | Q(
        **{
            f"{prefix}status__in": Enrolment.FINISHED_STATUSES,
            f"{prefix}attendance_rate__gt": 0,
        }
    )


@dataclass(frozen=True)
class SurveyQuestion:
    item: SurveyItem
    speaker: Speaker | None

    @property
    def speaker_id(self) -> int | None:
        return self.speaker.pk if self.speaker else None

    @property
    def field(self) -> str:
        return f"i{self.item.pk}" + (f"s{self.speaker.pk}" if self.speaker else "")


def offering_speakers(*, offering: Offering) -> list[Speaker]:
    """The batch's speakers (its own list and its sessions'), in one query."""
    return list(
        Speaker.objects.filter(
            Q(offerings=offering)
            | Q(pk__in=Session.objects.filter(offering=offering).values("speaker_id"))
        )
        .distinct()
        .order_by("name", "id")
    )


def survey_questions(*, survey: Survey, offering: Offering) -> list[SurveyQuestion]:
    """The questions of a batch's survey: each item once, speaker items once per speaker (once
    without a speaker when the batch names none). Two queries."""
    items = list(SurveyItem.objects.filter(template_id=survey.template_id).order_by("position"))
    speakers = offering_speakers(offering=offering) if any(i.per_speaker for i in items) else []
    questions = []
    for item in items:
        if item.per_speaker and speakers:
            questions += [SurveyQuestion(item=item, speaker=s) for s in speakers]
        else:
            questions.append(SurveyQuestion(item=item, speaker=None))
    return questions


def survey_answers_of(*, response: SurveyResponse | None) -> dict[str, str]:
    """A saved response as form values (field name → raw value)."""
    if response is None:
        return {}
    values = {}
    for answer in SurveyAnswer.objects.filter(response=response):
        name = f"i{answer.item_id}" + (f"s{answer.speaker_id}" if answer.speaker_id else "")
        values[name] = (
            str(answer.value) if answer.value is not None else answer.choice or answer.text
        )
    return values


def my_surveys(*, employee: Employee) -> QuerySet[Survey]:
    """Opened surveys of batches the employee may answer, newest first, with `answered`."""
    mine = Enrolment.objects.filter(survey_eligible_q(), employee=employee)
    return (
        Survey.objects.filter(opened_at__isnull=False, offering_id__in=mine.values("offering_id"))
        .select_related("offering__program")
        .annotate(
            answered=Exists(
                SurveyResponse.objects.filter(
                    survey_id=OuterRef("pk"), enrolment__employee=employee
                )
            )
        )
        .order_by("-closes_on", "-id")
    )


# --- L1: results -------------------------------------------------------------------------------


@dataclass
class ItemStats:
    item_id: int
    section: str
    section_label: str
    text: str
    kind: str
    is_relevance: bool
    answers: int = 0
    mean: Decimal | None = None
    distribution: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])
    choices: dict[str, int] = field(default_factory=dict)


@dataclass
class SectionStats:
    key: str
    label: str
    items: list[ItemStats]

    @property
    def mean(self) -> Decimal | None:
        rated = [i for i in self.items if i.mean is not None]
        total = sum(i.answers for i in rated)
        if not total:
            return None
        return _round(sum(i.mean * i.answers for i in rated) / total)


@dataclass
class ReactionStats:
    invited: int
    responses: int
    sections: list[SectionStats]
    relevance_mean: Decimal | None
    relevance_answers: int
    comments: list[dict]
    flagged: bool

    @property
    def response_rate(self) -> Decimal | None:
        return _percent(self.responses, self.invited)

    @property
    def overall_mean(self) -> Decimal | None:
        items = [i for s in self.sections for i in s.items if i.mean is not None]
        total = sum(i.answers for i in items)
        return _round(sum(i.mean * i.answers for i in items) / total) if total else None


def reaction_stats(*, region: Region, offerings: QuerySet[Offering]) -> ReactionStats:
    """L1 of a set of batches (one batch, or a programme's batches of a year): per section and
    item the mean and distribution, the response rate, relevance and the free text without
    names. Five queries whatever the number of batches or responses."""
    conf = evaluation_settings(region=region)
    offering_ids = offerings.values("pk")
    invited = Enrolment.objects.filter(
        survey_eligible_q(),
        offering_id__in=Survey.objects.filter(
            opened_at__isnull=False, offering_id__in=offering_ids
        ).values("offering_id"),
    ).count()
    responses = SurveyResponse.objects.filter(offering_id__in=offering_ids).count()
    rows = (
        SurveyAnswer.objects.filter(offering_id__in=offering_ids)
        .values(
            "item_id",
            "item__section",
            "item__text",
            "item__kind",
            "item__is_relevance",
            "item__position",
            "item__template_id",
            "choice",
        )
        .annotate(
            n=Count("value"),
            n_all=Count("id"),
            mean=Avg("value"),
            **{f"v{v}": Count("id", filter=Q(value=v)) for v in LIKERT_VALUES},
        )
        .order_by("item__template_id", "item__position", "item_id", "choice")
    )
    items: dict[int, ItemStats] = {}
    sections_order: list[str] = []
    labels = dict(SurveyItem.Section.choices)
    for row in rows:
        item = items.get(row["item_id"])
        if item is None:
            item = items[row["item_id"]] = ItemStats(
                item_id=row["item_id"],
                section=row["item__section"],
                section_label=str(labels.get(row["item__section"], row["item__section"])),
                text=row["item__text"],
                kind=row["item__kind"],
                is_relevance=row["item__is_relevance"],
            )
            if item.section not in sections_order:
                sections_order.append(item.section)
        if item.kind == SurveyItem.Kind.LIKERT:
            # Likert rows come back once (choice is empty): merge defensively anyway.
            previous = (item.mean or 0) * item.answers
            item.answers += row["n"]
            if item.answers:
                item.mean = _round(
                    (previous + Decimal(str(row["mean"] or 0)) * row["n"]) / item.answers
                )
            item.distribution = [
                a + row[f"v{v}"] for a, v in zip(item.distribution, LIKERT_VALUES, strict=True)
            ]
        elif item.kind == SurveyItem.Kind.CHOICE and row["choice"]:
            item.choices[row["choice"]] = item.choices.get(row["choice"], 0) + row["n_all"]
            item.answers += row["n_all"]
    sections = [
        SectionStats(
            key=key,
            label=str(labels.get(key, key)),
            items=[
                i for i in items.values() if i.section == key and i.kind != SurveyItem.Kind.TEXT
            ],
        )
        for key in sections_order
    ]
    sections = [s for s in sections if s.items]
    relevance = SurveyAnswer.objects.filter(
        offering_id__in=offering_ids, item__is_relevance=True, value__isnull=False
    ).aggregate(mean=Avg("value"), n=Count("id"))
    comments = list(
        SurveyAnswer.objects.filter(offering_id__in=offering_ids)
        .exclude(text="")
        .values("item__section", "item__text", "text", "offering__name")
        .order_by("item__section", "item__text", "id")
    )
    mean = _round(relevance["mean"])
    return ReactionStats(
        invited=invited,
        responses=responses,
        sections=sections,
        relevance_mean=mean,
        relevance_answers=relevance["n"],
        comments=comments,
        flagged=is_flagged(mean=mean, responses=relevance["n"], conf=conf),
    )


# --- L2 ----------------------------------------------------------------------------------------


def _pass_mark():
    online = Quiz.objects.filter(
        lesson__course__offering_id=OuterRef("offering_id"), kind="post"
    ).values("pass_percent")[:1]
    return Coalesce(
        Subquery(online), F("offering__post_test_pass_mark"), output_field=IntegerField()
    )


def _decimal() -> DecimalField:
    return DecimalField(max_digits=8, decimal_places=4)


def _l2_annotations(queryset):
    pre, post = F("pre_test_score"), F("post_test_score")
    return queryset.annotate(
        pass_mark=_pass_mark(),
        gain=Case(
            When(pre_test_score__isnull=False, post_test_score__isnull=False, then=post - pre),
            output_field=_decimal(),
        ),
        norm_gain=Case(
            When(
                pre_test_score__isnull=False,
                post_test_score__isnull=False,
                pre_test_score__lt=100,
                then=Cast(post - pre, FloatField()) / (Value(100.0) - Cast(pre, FloatField())),
            ),
            output_field=FloatField(),
        ),
    )


@dataclass
class LearningStats:
    participants: int
    tested: int
    pre_mean: Decimal | None
    post_mean: Decimal | None
    gain_mean: Decimal | None
    normalised_gain: Decimal | None
    with_mark: int
    passed: int
    rows: list[dict] = field(default_factory=list)

    @property
    def pass_rate(self) -> Decimal | None:
        return _percent(self.passed, self.with_mark)


def learning_stats(*, offerings: QuerySet[Offering], with_rows: bool = False) -> LearningStats:
    """L2 of a set of batches: pre, post, gain, normalised gain and pass rate over the
    finished participants (one aggregate query; `with_rows` adds one for the per-participant
    table)."""
    base = _l2_annotations(
        Enrolment.objects.filter(
            offering_id__in=offerings.values("pk"), status__in=Enrolment.FINISHED_STATUSES
        )
    )
    both = Q(pre_test_score__isnull=False, post_test_score__isnull=False)
    totals = base.aggregate(
        participants=Count("id"),
        tested=Count("id", filter=both),
        pre_mean=Avg("pre_test_score"),
        post_mean=Avg("post_test_score"),
        gain_mean=Avg("gain"),
        norm=Avg("norm_gain"),
        with_mark=Count("id", filter=Q(post_test_score__isnull=False, pass_mark__isnull=False)),
        passed=Count(
            "id", filter=Q(post_test_score__isnull=False, post_test_score__gte=F("pass_mark"))
        ),
    )
    rows = []
    if with_rows:
        rows = list(
            base.values(
                "id",
                "employee__name",
                "employee__nip",
                "status",
                "pre_test_score",
                "post_test_score",
                "gain",
                "norm_gain",
                "pass_mark",
            ).order_by("employee__name", "id")
        )
        for row in rows:
            row["norm_gain"] = _round(row["norm_gain"])
            row["gain"] = _round(row["gain"])
            post, mark = row["post_test_score"], row["pass_mark"]
            row["passed"] = None if post is None or mark is None else post >= mark
    return LearningStats(
        participants=totals["participants"],
        tested=totals["tested"],
        pre_mean=_round(totals["pre_mean"]),
        post_mean=_round(totals["post_mean"]),
        gain_mean=_round(totals["gain_mean"]),
        normalised_gain=_round(totals["norm"]),
        with_mark=totals["with_mark"],
        passed=totals["passed"],
        rows=rows,
    )


# --- L3 ----------------------------------------------------------------------------------------


@dataclass
class BehaviourStats:
    total: int
    submitted: int
    overdue: int
    by_role: list[dict]
    items: list[dict]
    examples: list[str]

    @property
    def completion_rate(self) -> Decimal | None:
        return _percent(self.submitted, self.total)


def _l3_score():
    total = sum((F(name) for name in L3_FIELDS[1:]), start=F(L3_FIELDS[0]))
    return Cast(total, FloatField()) / Value(float(len(L3_FIELDS)))


def behaviour_stats(*, offerings: QuerySet[Offering], today: dt.date) -> BehaviourStats:
    """L3 of a set of batches: assessments made and submitted, overdue, means per role and per
    item, the examples (without names). Three queries."""
    qs = L3Assessment.objects.filter(offering_id__in=offerings.values("pk"))
    done = Q(submitted_at__isnull=False)
    totals = qs.aggregate(
        total=Count("id"),
        submitted=Count("id", filter=done),
        overdue=Count("id", filter=Q(submitted_at__isnull=True, due_on__lt=today)),
        **{name: Avg(name, filter=done) for name in L3_FIELDS},
    )
    roles = dict(L3Assessment.Role.choices)
    by_role = [
        {
            "role": row["role"],
            "label": roles[row["role"]],
            "total": row["total"],
            "submitted": row["submitted"],
            "mean": _round(row["mean"]),
        }
        for row in qs.values("role")
        .annotate(
            total=Count("id"),
            submitted=Count("id", filter=done),
            mean=Avg(_l3_score(), filter=done),
        )
        .order_by("role")
    ]
    examples = list(
        qs.filter(done)
        .exclude(examples="")
        .order_by("-submitted_at")
        .values_list("examples", flat=True)[:50]
    )
    return BehaviourStats(
        total=totals["total"],
        submitted=totals["submitted"],
        overdue=totals["overdue"],
        by_role=by_role,
        items=[
            {"field": name, "label": label, "mean": _round(totals[name])}
            for name, label in L3_ITEMS
        ],
        examples=examples,
    )


def l3_for_assessor(*, employee: Employee) -> QuerySet[L3Assessment]:
    """Assessments the employee is asked to fill (as supervisor, colleague or themselves),
    pending first."""
    return (
        L3Assessment.objects.filter(assessor=employee)
        .select_related("enrolment__employee", "offering__program")
        .order_by(F("submitted_at").asc(nulls_first=True), "due_on", "id")
    )


def l3_pending_for_admin(*, region: Region, today: dt.date) -> QuerySet[L3Assessment]:
    """Supervisor assessments not submitted: without an assessor, or overdue."""
    return (
        L3Assessment.objects.filter(
            region=region, role=L3Assessment.Role.SUPERVISOR, submitted_at__isnull=True
        )
        .filter(Q(assessor__isnull=True) | Q(due_on__lt=today))
        .select_related("enrolment__employee", "assessor", "offering__program")
        .order_by("due_on", "id")
    )


def l3_peers(*, enrolment_id: int) -> QuerySet[L3Assessment]:
    return L3Assessment.objects.filter(
        enrolment_id=enrolment_id, role=L3Assessment.Role.PEER
    ).select_related("assessor")


# --- L4 ----------------------------------------------------------------------------------------


@dataclass
class IndicatorProgress:
    indicator: OutcomeIndicator
    latest_value: Decimal | None
    latest_on: dt.date | None
    measurements: list[OutcomeMeasurement]

    @property
    def progress(self) -> Decimal | None:
        if self.latest_value is None:
            return None
        span = self.indicator.target - self.indicator.baseline
        return _round((self.latest_value - self.indicator.baseline) * 100 / span, Decimal("0.1"))

    @property
    def reached(self) -> bool:
        return self.progress is not None and self.progress >= 100


def outcome_indicators(*, program_ids) -> list[IndicatorProgress]:
    """Indicators of the programmes with their history, latest first. Two queries."""
    latest = OutcomeMeasurement.objects.filter(indicator_id=OuterRef("pk")).order_by(
        "-measured_on", "-id"
    )
    indicators = list(
        OutcomeIndicator.objects.filter(program_id__in=program_ids)
        .select_related("program")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("measured_on")[:1]),
        )
        .order_by("program__title", "name", "id")
    )
    history = defaultdict(list)
    for m in OutcomeMeasurement.objects.filter(
        indicator_id__in=[i.pk for i in indicators]
    ).order_by("-measured_on", "-id"):
        history[m.indicator_id].append(m)
    return [
        IndicatorProgress(
            indicator=i,
            latest_value=i.latest_value,
            latest_on=i.latest_on,
            measurements=history[i.pk],
        )
        for i in indicators
    ]


# --- Figures per programme (also for the dashboards) -------------------------------------------


def _offerings(region: Region, year: int | None, program_ids=None) -> QuerySet[Offering]:
    qs = Offering.objects.filter(region=region).exclude(status=Offering.Status.CANCELLED)
    if year is not None:
        qs = qs.filter(start_date__year=year)
    if program_ids is not None:
        qs = qs.filter(program_id__in=program_ids)
    return qs


def programme_l1_scores(*, region: Region, year: int | None = None, program_ids=None) -> dict:
    """Per programme id: {"mean", "answers", "relevance_mean", "relevance_answers",
    "responses", "flagged"} over its batches (of `year`, by start date). Two queries."""
    conf = evaluation_settings(region=region)
    offerings = _offerings(region, year, program_ids)
    rows = (
        SurveyAnswer.objects.filter(offering_id__in=offerings.values("pk"), value__isnull=False)
        .values("offering__program_id")
        .annotate(
            mean=Avg("value"),
            answers=Count("id"),
            relevance_mean=Avg("value", filter=Q(item__is_relevance=True)),
            relevance_answers=Count("id", filter=Q(item__is_relevance=True)),
            responses=Count("response_id", distinct=True),
        )
        .order_by()
    )
    result = {}
    for row in rows:
        mean = _round(row["relevance_mean"])
        result[row["offering__program_id"]] = {
            "mean": _round(row["mean"]),
            "answers": row["answers"],
            "relevance_mean": mean,
            "relevance_answers": row["relevance_answers"],
            "responses": row["responses"],
            "flagged": is_flagged(mean=mean, responses=row["relevance_answers"], conf=conf),
        }
    return result


def programme_l2_gain(*, region: Region, year: int | None = None, program_ids=None) -> dict:
    """Per programme id: {"tested", "pre_mean", "post_mean", "gain_mean", "normalised_gain",
    "pass_rate"}. One query."""
    offerings = _offerings(region, year, program_ids)
    both = Q(pre_test_score__isnull=False, post_test_score__isnull=False)
    rows = (
        _l2_annotations(
            Enrolment.objects.filter(
                offering_id__in=offerings.values("pk"), status__in=Enrolment.FINISHED_STATUSES
            )
        )
        .values("offering__program_id")
        .annotate(
            tested=Count("id", filter=both),
            pre_mean=Avg("pre_test_score"),
            post_mean=Avg("post_test_score"),
            gain_mean=Avg("gain"),
            norm=Avg("norm_gain"),
            with_mark=Count("id", filter=Q(post_test_score__isnull=False, pass_mark__isnull=False)),
            passed=Count(
                "id", filter=Q(post_test_score__isnull=False, post_test_score__gte=F("pass_mark"))
            ),
        )
        .order_by()
    )
    return {
        row["offering__program_id"]: {
            "tested": row["tested"],
            "pre_mean": _round(row["pre_mean"]),
            "post_mean": _round(row["post_mean"]),
            "gain_mean": _round(row["gain_mean"]),
            "normalised_gain": _round(row["norm"]),
            "pass_rate": _percent(row["passed"], row["with_mark"]),
        }
        for row in rows
    }


def programme_l3_application(
    *, region: Region, year: int | None = None, program_ids=None, today: dt.date | None = None
) -> dict:
    """Per programme id: {"total", "submitted", "overdue", "mean", "supervisor_mean"}. One
    query."""
    today = today or dt.date.today()
    offerings = _offerings(region, year, program_ids)
    done = Q(submitted_at__isnull=False)
    rows = (
        L3Assessment.objects.filter(offering_id__in=offerings.values("pk"))
        .values("offering__program_id")
        .annotate(
            total=Count("id"),
            submitted=Count("id", filter=done),
            overdue=Count("id", filter=Q(submitted_at__isnull=True, due_on__lt=today)),
            mean=Avg(_l3_score(), filter=done),
            supervisor_mean=Avg(_l3_score(), filter=done & Q(role="supervisor")),
        )
        .order_by()
    )
    return {
        row["offering__program_id"]: {
            "total": row["total"],
            "submitted": row["submitted"],
            "overdue": row["overdue"],
            "mean": _round(row["mean"]),
            "supervisor_mean": _round(row["supervisor_mean"]),
        }
        for row in rows
    }


def programme_l4_outcomes(*, region: Region, program_ids=None) -> dict:
    """Per programme id: its indicators with progress (`IndicatorProgress`). Two queries."""
    ids = program_ids
    if ids is None:
        ids = Program.objects.filter(region=region).values("pk")
    result = defaultdict(list)
    for progress in outcome_indicators(program_ids=ids):
        result[progress.indicator.program_id].append(progress)
    return dict(result)


def programme_summaries(*, region: Region, year: int | None = None) -> list[dict]:
    """Every programme with at least one evaluated batch, with L1–L4 figures (for the
    evaluation index page). Six queries."""
    l1 = programme_l1_scores(region=region, year=year)
    l2 = programme_l2_gain(region=region, year=year)
    l3 = programme_l3_application(region=region, year=year)
    l4 = programme_l4_outcomes(region=region)
    ids = set(l1) | {k for k, v in l2.items() if v["tested"]} | set(l3) | set(l4)
    programmes = Program.objects.filter(region=region, pk__in=ids).order_by("title", "id")
    return [
        {
            "program": p,
            "l1": l1.get(p.pk),
            "l2": l2.get(p.pk),
            "l3": l3.get(p.pk),
            "l4": l4.get(p.pk, []),
        }
        for p in programmes
    ]


def flagged_programmes(*, region: Region, year: int | None = None) -> list[dict]:
    """Programmes flagged "kurang relevan", lowest relevance first, each with the comments
    participants wrote in the relevance section (no names). Three queries."""
    l1 = programme_l1_scores(region=region, year=year)
    flagged_ids = [pid for pid, row in l1.items() if row["flagged"]]
    if not flagged_ids:
        return []
    offerings = _offerings(region, year, flagged_ids)
    comments = defaultdict(list)
    for row in (
        SurveyAnswer.objects.filter(
            offering_id__in=offerings.values("pk"),
            item__section=SurveyItem.Section.RELEVANCE,
        )
        .exclude(text="")
        .values("offering__program_id", "text")
        .order_by("-id")
    ):
        comments[row["offering__program_id"]].append(row["text"])
    programmes = Program.objects.filter(pk__in=flagged_ids)
    result = [{"program": p, **l1[p.pk], "comments": comments.get(p.pk, [])} for p in programmes]
    return sorted(result, key=lambda r: (r["relevance_mean"], r["program"].title))


def offering_relevance(*, region: Region, offering_ids) -> dict:
    """Per batch id: {"relevance_mean", "relevance_answers", "flagged"}. One query plus the
    settings."""
    conf = evaluation_settings(region=region)
    rows = (
        SurveyAnswer.objects.filter(
            offering_id__in=offering_ids, item__is_relevance=True, value__isnull=False
        )
        .values("offering_id")
        .annotate(mean=Avg("value"), n=Count("id"))
        .order_by()
    )
    return {
        row["offering_id"]: {
            "relevance_mean": _round(row["mean"]),
            "relevance_answers": row["n"],
            "flagged": is_flagged(mean=_round(row["mean"]), responses=row["n"], conf=conf),
        }
        for row in rows
    }


def speaker_ratings(*, region: Region) -> list[dict]:
    """Each speaker's mean rating across batches (speaker items of the surveys). One query."""
    return [
        {**row, "mean": _round(row["mean"])}
        for row in SurveyAnswer.objects.filter(
            region=region, speaker__isnull=False, value__isnull=False
        )
        .values("speaker_id", "speaker__name")
        .annotate(
            mean=Avg("value"),
            answers=Count("id"),
            batches=Count("offering_id", distinct=True),
            last=Max("offering__end_date"),
        )
        .order_by("speaker__name", "speaker_id")
    ]


# --- The evaluation reports (a batch, a programme) ---------------------------------------------


@dataclass
class EvaluationReport:
    region: Region
    program: Program
    offering: Offering | None
    year: int | None
    reaction: ReactionStats
    learning: LearningStats
    behaviour: BehaviourStats
    outcomes: list[IndicatorProgress]
    batches: list[dict]
    conf: EvaluationSettings

    @property
    def title(self) -> str:
        if self.offering is not None:
            return f"{self.program.title} – {self.offering.name}"
        return self.program.title


def _batches(*, region: Region, offerings: QuerySet[Offering], conf) -> list[dict]:
    """Per batch of the set: responses, relevance and its flag, L2 gain. Three queries."""
    rows = list(
        offerings.values("id", "name", "start_date", "end_date", "status").order_by(
            "start_date", "id"
        )
    )
    ids = [r["id"] for r in rows]
    responses = dict(
        SurveyResponse.objects.filter(offering_id__in=ids)
        .values("offering_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("offering_id", "n")
    )
    relevance = offering_relevance(region=region, offering_ids=ids)
    gains = {
        row["offering_id"]: row
        for row in _l2_annotations(
            Enrolment.objects.filter(offering_id__in=ids, status__in=Enrolment.FINISHED_STATUSES)
        )
        .values("offering_id")
        .annotate(gain=Avg("gain"), post=Avg("post_test_score"), n=Count("id"))
        .order_by()
    }
    for row in rows:
        row["responses"] = responses.get(row["id"], 0)
        row.update(
            relevance.get(
                row["id"], {"relevance_mean": None, "relevance_answers": 0, "flagged": False}
            )
        )
        gain = gains.get(row["id"], {})
        row["gain_mean"] = _round(gain.get("gain"))
        row["post_mean"] = _round(gain.get("post"))
        row["participants"] = gain.get("n", 0)
    return rows


def evaluation_report(
    *,
    region: Region,
    program: Program,
    offering: Offering | None = None,
    year: int | None = None,
    today: dt.date,
    with_rows: bool = False,
) -> EvaluationReport:
    """Everything the batch or programme evaluation page, PDF and XLSX show. A fixed number
    of queries (about twenty) whatever the number of batches, participants or answers."""
    if offering is not None:
        offerings = Offering.objects.filter(pk=offering.pk)
    else:
        offerings = _offerings(region, year, [program.pk])
    conf = evaluation_settings(region=region)
    return EvaluationReport(
        region=region,
        program=program,
        offering=offering,
        year=year,
        reaction=reaction_stats(region=region, offerings=offerings),
        learning=learning_stats(offerings=offerings, with_rows=with_rows),
        behaviour=behaviour_stats(offerings=offerings, today=today),
        outcomes=outcome_indicators(program_ids=[program.pk]),
        batches=_batches(region=region, offerings=offerings, conf=conf),
        conf=conf,
    )


def evaluation_years(*, program: Program) -> list[int]:
    """Years in which the programme had batches, newest first (one query)."""
    return [
        d.year
        for d in Offering.objects.filter(program=program).dates("start_date", "year", order="DESC")
    ]


# --- Per-batch columns for the API (correlated subqueries: no extra query per page) ------------


def _per_offering(queryset, **aggregate):
    """A scalar subquery of `queryset` grouped by the outer batch: one aggregate value."""
    ((name, expression),) = aggregate.items()
    return Subquery(
        queryset.filter(offering_id=OuterRef("pk"))
        .order_by()
        .values("offering_id")
        .annotate(**{name: expression})
        .values(name)[:1]
    )


def offering_relevance_columns() -> dict:
    """Annotations of an Offering queryset: relevance mean and answers, and the region's
    threshold and minimum (for `relevance_flagged`); no extra query."""
    relevance = SurveyAnswer.objects.filter(value__isnull=False, item__is_relevance=True)
    settings_of = EvaluationSettings.objects.filter(region_id=OuterRef("region_id"))
    defaults = EvaluationSettings()
    return {
        "ev_relevance_mean": _per_offering(relevance, m=Avg(Cast("value", FloatField()))),
        "ev_relevance_answers": Coalesce(_per_offering(relevance, n=Count("id")), Value(0)),
        "ev_threshold": Coalesce(
            Subquery(settings_of.values("relevance_threshold")[:1]),
            Value(defaults.relevance_threshold),
            output_field=DecimalField(max_digits=3, decimal_places=2),
        ),
        "ev_min_answers": Coalesce(
            Subquery(settings_of.values("relevance_min_responses")[:1]),
            Value(defaults.relevance_min_responses),
        ),
    }


def offering_evaluation_columns() -> dict:
    """Annotations of an Offering queryset with its L1 and L3 figures, and the region's
    relevance settings (for `relevance_flagged`). Used by the API's evaluation summaries."""
    answers = SurveyAnswer.objects.filter(value__isnull=False)
    submitted = L3Assessment.objects.filter(submitted_at__isnull=False)
    return {
        "ev_responses": Coalesce(
            _per_offering(SurveyResponse.objects.all(), n=Count("id")), Value(0)
        ),
        "ev_invited": Count("enrolments", filter=survey_eligible_q("enrolments__")),
        "ev_survey_open": Exists(
            Survey.objects.filter(offering_id=OuterRef("pk"), opened_at__isnull=False)
        ),
        "ev_l1_mean": _per_offering(answers, m=Avg(Cast("value", FloatField()))),
        **offering_relevance_columns(),
        "ev_l3_total": Coalesce(_per_offering(L3Assessment.objects.all(), n=Count("id")), Value(0)),
        "ev_l3_submitted": Coalesce(_per_offering(submitted, n=Count("id")), Value(0)),
        "ev_l3_mean": _per_offering(submitted, m=Avg(_l3_score())),
        "ev_l3_supervisor_mean": _per_offering(
            submitted.filter(role=L3Assessment.Role.SUPERVISOR), m=Avg(_l3_score())
        ),
    }


def certificate_waits_for_survey(*, enrolment, today: dt.date) -> Survey | None:
    """The open survey the participant must answer before downloading their certificate (the
    region's `certificate_requires_survey`), or None. Two or three queries."""
    if not evaluation_settings(region=enrolment.region).certificate_requires_survey:
        return None
    survey = Survey.objects.filter(
        offering_id=enrolment.offering_id, opened_at__isnull=False
    ).first()
    if survey is None or survey.is_closed(today):
        return None
    if SurveyResponse.objects.filter(survey=survey, enrolment_id=enrolment.pk).exists():
        return None
    return survey


def evaluation_waiting(*, employee: Employee, today: dt.date) -> dict:
    """What waits for the employee (the home page): open surveys not answered yet and
    L3 assessments available and not submitted (overdue among them). Two queries."""
    surveys_open = (
        my_surveys(employee=employee).filter(closes_on__gte=today, answered=False).count()
    )
    l3 = L3Assessment.objects.filter(
        assessor=employee, submitted_at__isnull=True, available_on__lte=today
    ).aggregate(n=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    return {"surveys": surveys_open, "l3": l3["n"], "l3_overdue": l3["overdue"]}
