"""The reaction survey (Kirkpatrick L1): templates, a batch's survey, opening, responses.

Lifecycle of a batch's survey:
1. `survey_for_offering` gives the batch its survey with the region's default questionnaire for
   its mode (created from the national defaults in code the first time). An admin may pick
   another questionnaire until the survey opens (`survey_template_change`).
2. The `surveys` job (`evaluations.jobs.survey_job`) opens it when the batch ends (its end
   date, or earlier when the admin completes it): `opened_at`, `opens_on`, `closes_on` (after
   the region's `survey_open_days`), and each participant who completed or attended gets
   `survey_open` exactly once (dedup key per survey and enrolment). An admin can open it at
   once with `survey_open`; the same claim (compare-and-swap on `opened_at`) makes both safe.
3. Reminders: `survey_reminders` in the last `survey_reminder_days` before closing, once per
   participant who has not answered.
4. `survey_response_save`: one response per participant, editable until the survey closes;
   answers stored per item (and per speaker for speaker items), replaced as a whole in one
   transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Region
from regions.notifications import notify_new
from training.models import DeliveryMode, Enrolment, Offering

from ..models import (
    EvaluationSettings,
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveyTemplate,
)
from ..notifications import Kind
from ..selectors.kirkpatrick import (
    SurveyQuestion,
    evaluation_settings,
    survey_eligible_q,
    survey_questions,
)
from ..survey_defaults import DEFAULT_TEMPLATES

TEXT_MAX = 2000


# --- Templates ---------------------------------------------------------------------------------


def template_mode_for(offering: Offering) -> str:
    if offering.program.delivery_mode == DeliveryMode.DARING:
        return SurveyTemplate.Mode.ELEARNING
    return SurveyTemplate.Mode.CLASSROOM


@transaction.atomic
def template_default(*, region: Region, mode: str) -> SurveyTemplate:
    """The region's default questionnaire of `mode`, copied from the national default in code
    the first time (one INSERT of the items). Stored in Indonesian whatever the admin's
    language: it is the region's own data from then on."""
    template = SurveyTemplate.objects.filter(region=region, mode=mode, is_default=True).first()
    if template is not None:
        return template
    name, items = DEFAULT_TEMPLATES[mode]
    try:
        with transaction.atomic():
            template = SurveyTemplate.objects.create(
                region=region, name=name, mode=mode, is_default=True
            )
    except IntegrityError:  # created meanwhile by another request
        return SurveyTemplate.objects.get(region=region, mode=mode, is_default=True)
    SurveyItem.objects.bulk_create(
        [
            SurveyItem(
                region=region,
                template=template,
                section=section,
                position=position,
                text=text,
                kind=kind,
                choices=list(options.get("choices", [])),
                is_relevance=options.get("relevance", False),
                per_speaker=options.get("per_speaker", False),
                required=options.get("required", kind != SurveyItem.Kind.TEXT),
            )
            for position, (section, text, kind, options) in enumerate(items, start=1)
        ]
    )
    return template


def template_item_add(
    *,
    template: SurveyTemplate,
    section: str,
    text: str,
    kind: str,
    choices: list[str] | None = None,
    is_relevance: bool = False,
    per_speaker: bool = False,
    required: bool = True,
) -> SurveyItem:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Tulis pertanyaannya.")})
    choices = [c.strip() for c in (choices or []) if c.strip()]
    if kind == SurveyItem.Kind.CHOICE and len(choices) < 2:
        raise ValidationError({"choices": _("Pilihan tunggal memerlukan minimal dua pilihan.")})
    if is_relevance and kind != SurveyItem.Kind.LIKERT:
        raise ValidationError({"is_relevance": _("Butir relevansi harus berskala 1–5.")})
    last = template.items.order_by("-position").values_list("position", flat=True).first() or 0
    return SurveyItem.objects.create(
        region=template.region,
        template=template,
        section=section,
        position=last + 1,
        text=text,
        kind=kind,
        choices=choices if kind == SurveyItem.Kind.CHOICE else [],
        is_relevance=is_relevance,
        per_speaker=per_speaker and kind == SurveyItem.Kind.LIKERT,
        required=required,
    )


def template_item_delete(*, item: SurveyItem) -> None:
    """Remove an item not answered yet (answered items stay: they carry results)."""
    if SurveyAnswer.objects.filter(item=item).exists():
        raise ValidationError(
            _("Butir ini sudah dijawab peserta dan tidak dapat dihapus; buat kuesioner baru.")
        )
    item.delete()


@transaction.atomic
def template_copy(*, template: SurveyTemplate, name: str) -> SurveyTemplate:
    """A new, editable questionnaire with the items of `template`."""
    name = (name or "").strip() or _("Salinan %(name)s") % {"name": template.name}
    copy = SurveyTemplate.objects.create(
        region=template.region, name=name[:150], mode=template.mode, is_default=False
    )
    SurveyItem.objects.bulk_create(
        [
            SurveyItem(
                region=item.region,
                template=copy,
                section=item.section,
                position=item.position,
                text=item.text,
                kind=item.kind,
                choices=item.choices,
                is_relevance=item.is_relevance,
                per_speaker=item.per_speaker,
                required=item.required,
            )
            for item in template.items.all()
        ]
    )
    return copy


# --- A batch's survey --------------------------------------------------------------------------


def survey_for_offering(*, offering: Offering) -> Survey:
    survey = Survey.objects.filter(offering=offering).select_related("template").first()
    if survey is not None:
        return survey
    template = template_default(region=offering.region, mode=template_mode_for(offering))
    try:
        with transaction.atomic():
            return Survey.objects.create(
                region=offering.region, offering=offering, template=template
            )
    except IntegrityError:
        return Survey.objects.select_related("template").get(offering=offering)


def survey_template_change(*, survey: Survey, template: SurveyTemplate) -> Survey:
    if survey.is_started:
        raise ValidationError(_("Kuesioner tidak dapat diganti: survei sudah dibuka."))
    if template.region_id != survey.region_id:
        raise ValidationError(_("Kuesioner tidak ditemukan."))
    survey.template = template
    survey.save(update_fields=["template"])
    return survey


def survey_open(*, offering: Offering, today: dt.date | None = None, now=None) -> int:
    """Open the batch's survey (once) and invite its participants; returns how many were
    invited by this call. Refused for a cancelled batch or one that has not started."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    if offering.status == Offering.Status.CANCELLED:
        raise ValidationError(_("Angkatan yang dibatalkan tidak memiliki survei."))
    if offering.start_date > today:
        raise ValidationError(_("Survei baru dapat dibuka setelah pelatihan dimulai."))
    survey = survey_for_offering(offering=offering)
    conf = evaluation_settings(region=offering.region)
    closes = today + dt.timedelta(days=conf.survey_open_days)
    claimed = Survey.objects.filter(pk=survey.pk, opened_at__isnull=True).update(
        opened_at=now, opens_on=today, closes_on=closes
    )
    survey.refresh_from_db()
    if not claimed and survey.is_closed(today):
        return 0
    return _invite(survey=survey, offering=offering, kind_key="open")


def _invite(*, survey: Survey, offering: Offering, kind_key: str, only_unanswered=False) -> int:
    enrolments = Enrolment.objects.filter(survey_eligible_q(), offering=offering).select_related(
        "employee__region", "offering__program"
    )
    if only_unanswered:
        enrolments = enrolments.exclude(
            pk__in=SurveyResponse.objects.filter(survey=survey).values("enrolment_id")
        )
    url = reverse(
        "evaluations:survey_fill",
        kwargs={"region_slug": offering.region.slug, "offering_id": offering.pk},
    )
    return notify_new(
        [
            (
                f"survey:{survey.pk}:{kind_key}:{enrolment.pk}",
                {
                    "recipient": enrolment.employee,
                    "kind": Kind.SURVEY_OPEN,
                    "subject": enrolment,
                    "context": {"due_date": survey.closes_on, "url": url},
                },
            )
            for enrolment in enrolments
        ]
    )


def surveys_open_due(*, region: Region, today: dt.date, now=None) -> int:
    """Open the survey of every batch of the region that ended (end date passed, or completed
    by the admin) in the last `survey_open_days` days and whose survey is not open yet."""
    conf = evaluation_settings(region=region)
    since = today - dt.timedelta(days=conf.survey_open_days)
    opened = Survey.objects.filter(region=region, opened_at__isnull=False).values("offering_id")
    offerings = (
        Offering.objects.filter(region=region, start_date__lte=today)
        .filter(Q(end_date__lte=today) | Q(status=Offering.Status.COMPLETED))
        .filter(end_date__gte=since)
        .exclude(status=Offering.Status.CANCELLED)
        .exclude(pk__in=opened)
        .select_related("program", "region")
        .order_by("pk")
    )
    invited = 0
    for offering in offerings:
        invited += survey_open(offering=offering, today=today, now=now)
    return invited


def survey_reminders(*, region: Region, today: dt.date) -> int:
    """Remind, once, participants who have not answered a survey closing within the region's
    `survey_reminder_days`."""
    conf = evaluation_settings(region=region)
    surveys = Survey.objects.filter(
        region=region,
        opened_at__isnull=False,
        closes_on__gte=today,
        closes_on__lte=today + dt.timedelta(days=conf.survey_reminder_days),
    ).select_related("offering__program", "offering__region")
    sent = 0
    for survey in surveys:
        sent += _invite(
            survey=survey, offering=survey.offering, kind_key="remind", only_unanswered=True
        )
    return sent


# --- Responses ---------------------------------------------------------------------------------


def _parse(question: SurveyQuestion, raw) -> tuple[int | None, str, str]:
    """(value, choice, text) of one answer, or ValidationError with the user's message."""
    item = question.item
    raw = "" if raw is None else str(raw).strip()
    if not raw:
        if item.required:
            raise ValidationError(_("Wajib diisi."))
        return None, "", ""
    if item.kind == SurveyItem.Kind.LIKERT:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError(_("Pilih nilai 1 sampai 5."))
        return value, "", ""
    if item.kind == SurveyItem.Kind.CHOICE:
        if raw not in item.choices:
            raise ValidationError(_("Pilih salah satu pilihan yang tersedia."))
        return None, raw, ""
    if len(raw) > TEXT_MAX:
        raise ValidationError(_("Paling banyak %(n)d karakter.") % {"n": TEXT_MAX})
    return None, "", raw


def survey_response_save(
    *, offering: Offering, employee, data, today: dt.date | None = None
) -> SurveyResponse:
    """Save (create or replace) the employee's answers to the batch's survey.

    `data` maps each question's field name (`SurveyQuestion.field`) to the raw value. Refused,
    with nothing written: the survey not open or closed, the employee not a participant who
    completed or attended, a Likert value outside 1–5, an unknown choice, a missing answer."""
    today = today or timezone.localdate()
    survey = Survey.objects.filter(offering=offering).select_related("template").first()
    if survey is None or not survey.is_started:
        raise ValidationError(_("Survei angkatan ini belum dibuka."))
    if survey.is_closed(today):
        raise ValidationError(_("Survei sudah ditutup; jawaban tidak dapat disimpan lagi."))
    enrolment = (
        Enrolment.objects.filter(survey_eligible_q(), offering=offering, employee=employee)
        .order_by("-id")
        .first()
    )
    if enrolment is None:
        raise ValidationError(_("Anda tidak tercatat menyelesaikan atau menghadiri pelatihan ini."))
    questions = survey_questions(survey=survey, offering=offering)
    errors, parsed = {}, []
    for question in questions:
        try:
            parsed.append((question, *_parse(question, data.get(question.field))))
        except ValidationError as exc:
            errors[question.field] = exc.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        response = (
            SurveyResponse.objects.select_for_update()
            .filter(survey=survey, enrolment=enrolment)
            .first()
        )
        if response is None:
            try:
                with transaction.atomic():
                    response = SurveyResponse.objects.create(
                        region=offering.region,
                        survey=survey,
                        offering=offering,
                        enrolment=enrolment,
                        submitted_at=now,
                    )
            except IntegrityError:  # the same participant's other tab, at the same moment
                response = SurveyResponse.objects.select_for_update().get(
                    survey=survey, enrolment=enrolment
                )
        else:
            response.save(update_fields=["updated_at"])
        SurveyAnswer.objects.filter(response=response).delete()
        SurveyAnswer.objects.bulk_create(
            [
                SurveyAnswer(
                    region=offering.region,
                    response=response,
                    offering=offering,
                    item=question.item,
                    speaker_id=question.speaker_id,
                    value=value,
                    choice=choice,
                    text=text,
                )
                for question, value, choice, text in parsed
                if value is not None or choice or text
            ]
        )
    return response


# --- Settings ----------------------------------------------------------------------------------


def settings_save(*, settings: EvaluationSettings) -> EvaluationSettings:
    settings.full_clean()
    settings.save()
    return settings
