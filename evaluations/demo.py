"""Demo data of the post-training evaluation (registered with `regions.demo_loaders` in
`EvaluationsConfig.ready()`), so a new user sees a full report at once:

- "Pelayanan Prima Adminduk": a batch four months ago (surveys answered, relevance high, L3
  assessments due — the demo supervisor's among them — and some submitted, an L4 indicator
  "days to issue an identity card" 5 → 1 with two measurements), and a batch that ended
  yesterday whose survey is open (the demo ASN is invited and has not answered yet);
- "Pengelolaan Arsip Konvensional": a batch participants find irrelevant (mean relevance
  below 3 from 12 answers, with comments): flagged "kurang relevan".

Idempotent: a region that has the programmes is left alone. Writes go through the services
(responses with the day they were given, L3 through `l3_make_due` and `l3_submit`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_scopes import scope

from regions.models import Region
from training.demo import _demo_people
from training.models import (
    DeliveryMode,
    DevelopmentForm,
    Enrolment,
    Offering,
    Program,
    Speaker,
)

from .models import L3Assessment, Survey, SurveyItem, SurveyTemplate
from .selectors.kirkpatrick import survey_questions
from .services import behaviour, surveys

GOOD = "EVAL-ADMINDUK"
POOR = "EVAL-ARSIP"
GOOD_COMMENTS = [
    "Materi langsung bisa dipakai di loket pelayanan.",
    "Contoh kasus dari Disdukcapil sangat membantu.",
    "Perlu sesi praktik aplikasi SIAK lebih lama.",
]
POOR_COMMENTS = [
    "Kantor kami sudah memakai SRIKANDI, materi arsip kertas tidak terpakai.",
    "Materi tidak sesuai tugas saya sebagai analis kebijakan.",
    "Lebih cocok untuk pengelola arsip, bukan untuk seluruh pegawai.",
    "Perlu materi arsip digital, bukan konvensional.",
]


def _program(region, code, title, description):
    return Program.objects.create(
        region=region,
        code=code,
        title=title,
        description=description,
        form=DevelopmentForm.objects.get(pk=3),
        competency_type="teknis",
        jp=24,
        delivery_mode=DeliveryMode.TATAP_MUKA,
        status=Program.Status.PUBLISHED,
    )


def _batch(region, program, name, end, people, scores, speaker):
    start = end - dt.timedelta(days=2)
    offering = Offering.objects.create(
        region=region,
        program=program,
        name=name,
        start_date=start,
        end_date=end,
        enrolment_opens=start - dt.timedelta(days=30),
        enrolment_closes=start - dt.timedelta(days=1),
        seats=30,
        requires_approval=False,
        venue="Aula BKPSDM",
        post_test_pass_mark=70,
        status=Offering.Status.COMPLETED,
        completed_at=timezone.make_aware(dt.datetime.combine(end, dt.time(16))),
    )
    if speaker is not None:
        offering.speakers.add(speaker)
    done = timezone.make_aware(dt.datetime.combine(end, dt.time(16)))
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                region=region,
                offering=offering,
                employee=person,
                status=Enrolment.Status.COMPLETED,
                source=Enrolment.Source.ADMIN,
                requested_at=done - dt.timedelta(days=40),
                confirmed_at=done - dt.timedelta(days=40),
                completed_at=done,
                attendance_rate=Decimal(100),
                pre_test_score=Decimal(pre),
                post_test_score=Decimal(post),
                jp_awarded=Decimal(24),
            )
            for person, (pre, post) in zip(people, scores, strict=False)
        ]
    )
    return offering


def _answer_all(offering, people, *, likert, relevance, comments, day):
    survey = Survey.objects.get(offering=offering)
    questions = survey_questions(survey=survey, offering=offering)
    for i, person in enumerate(people):
        data = {}
        for q in questions:
            kind = q.item.kind
            if kind == SurveyItem.Kind.LIKERT:
                value = relevance[i % len(relevance)] if q.item.is_relevance else likert[i % 3]
                data[q.field] = str(value)
            elif kind == SurveyItem.Kind.CHOICE:
                data[q.field] = q.item.choices[0 if relevance[0] >= 4 else -1]
            elif q.item.section == SurveyItem.Section.RELEVANCE:
                data[q.field] = comments[i % len(comments)] if i % 2 == 0 else ""
        surveys.survey_response_save(offering=offering, employee=person, data=data, today=day)


def _open_past(offering, day):
    survey = surveys.survey_for_offering(offering=offering)
    Survey.objects.filter(pk=survey.pk).update(
        opened_at=timezone.make_aware(dt.datetime.combine(day, dt.time(8))),
        opens_on=day,
        closes_on=day + dt.timedelta(days=14),
    )


def load_evaluation_demo(*, region: Region, today: dt.date, stdout=None) -> dict:
    created: dict[str, int] = {}
    with (
        override_settings(KOMPETENSI_NOTIFICATION_CHANNELS=["inapp"]),
        transaction.atomic(),
        scope(region=region),
    ):
        if Program.objects.filter(region=region, code__in=[GOOD, POOR]).exists():
            return created
        admin, supervisor, asn, others = _demo_people(region)
        speaker = Speaker.objects.filter(region=region).order_by("name").first()
        for mode in SurveyTemplate.Mode.values:
            surveys.template_default(region=region, mode=mode)
        good = _program(
            region,
            GOOD,
            "Pelayanan Prima Administrasi Kependudukan",
            "Standar pelayanan, antrean, dan penerbitan dokumen kependudukan yang cepat.",
        )
        poor = _program(
            region,
            POOR,
            "Pengelolaan Arsip Konvensional",
            "Tata naskah dan penyimpanan arsip kertas.",
        )
        past_end = today - dt.timedelta(days=120)
        good_people = [asn, *others[:11]]
        poor_people = others[11:23] if len(others) >= 23 else others[:12]
        good_batch = _batch(
            region,
            good,
            "Angkatan I",
            past_end,
            good_people,
            [(45 + i % 5 * 5, 75 + i % 4 * 5) for i in range(12)],
            speaker,
        )
        poor_batch = _batch(
            region,
            poor,
            "Angkatan I",
            past_end + dt.timedelta(days=7),
            poor_people,
            [(60 + i % 3 * 5, 65 + i % 4 * 4) for i in range(12)],
            speaker,
        )
        created["batches"] = 2
        _open_past(good_batch, past_end + dt.timedelta(days=1))
        _open_past(poor_batch, past_end + dt.timedelta(days=8))
        _answer_all(
            good_batch,
            good_people[1:],
            likert=(4, 5, 4),
            relevance=(5, 4, 5, 4),
            comments=GOOD_COMMENTS,
            day=past_end + dt.timedelta(days=3),
        )
        _answer_all(
            poor_batch,
            poor_people,
            likert=(3, 4, 3),
            relevance=(2, 2, 3, 1, 2),
            comments=POOR_COMMENTS,
            day=past_end + dt.timedelta(days=10),
        )
        created["survey responses"] = len(good_people) - 1 + len(poor_people)

        # A batch that ended yesterday: its survey is open and the demo ASN is invited.
        recent = _batch(
            region,
            good,
            "Angkatan II",
            today - dt.timedelta(days=1),
            [asn, *others[23:31]],
            [(50, 80)] * 9,
            speaker,
        )
        created["survey invitations"] = surveys.survey_open(offering=recent, today=today)

        # L3: due for the four-month-old batches; about half of the supervisors have answered.
        behaviour.l3_make_due(region=region, today=today)
        pending = L3Assessment.objects.filter(
            region=region, role=L3Assessment.Role.SUPERVISOR, assessor__isnull=False
        ).exclude(enrolment__employee=asn)
        for i, assessment in enumerate(pending.order_by("pk")):
            if i % 2:
                continue
            poor_one = assessment.offering_id == poor_batch.pk
            behaviour.l3_submit(
                assessment_id=assessment.pk,
                employee=assessment.assessor,
                data={
                    "q_apply": 2 if poor_one else 4,
                    "q_quality": 2 if poor_one else 4,
                    "q_share": 3,
                    "q_initiative": 2 if poor_one else 5,
                    "examples": ""
                    if poor_one
                    else "Menyusun alur antrean baru di loket; berbagi materi di rapat seksi.",
                },
                today=today,
            )
        created["L3 assessments"] = L3Assessment.objects.filter(region=region).count()

        # L4: days to issue an identity card, 5 → 1.
        indicator = behaviour.indicator_create(
            program=good,
            name="Lama penerbitan KTP-el",
            unit="hari",
            baseline=Decimal(5),
            target=Decimal(1),
            by=admin.user,
        )
        for days_ago, value in ((90, 4), (30, 2)):
            behaviour.measurement_add(
                indicator=indicator,
                value=Decimal(value),
                measured_on=today - dt.timedelta(days=days_ago),
                source="Laporan bulanan Disdukcapil",
                by=admin.user,
                today=today,
            )
        archive = behaviour.indicator_create(
            program=poor,
            name="Arsip ditemukan dalam 10 menit",
            unit="%",
            baseline=Decimal(40),
            target=Decimal(90),
            by=admin.user,
        )
        behaviour.measurement_add(
            indicator=archive,
            value=Decimal(42),
            measured_on=today - dt.timedelta(days=20),
            source="Uji telusur arsip Sekretariat",
            by=admin.user,
            today=today,
        )
        created["L4 indicators"] = 2
    _ = supervisor
    return created
