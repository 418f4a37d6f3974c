"""Integration: post-training evaluation (Kirkpatrick L1–L4) services, jobs, selectors.

Two regions; region B holds look-alike data that must never count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from evaluations import jobs
from evaluations.models import (
    EvaluationSettings,
    L3Assessment,
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
)
from evaluations.selectors import kirkpatrick as sel
from evaluations.services import behaviour, surveys
from regions.models import Notification
from tests.factories.regions import EmployeeFactory
from tests.factories.training import EnrolmentFactory, OfferingFactory, ProgramFactory
from training.models import Enrolment, Offering

S = Enrolment.Status


def ended_batch(region, *, n=3, days_ago=1, program=None, statuses=None, **kwargs):
    """A batch that ended `days_ago` days ago with `n` completed participants."""
    today = timezone.localdate()
    end = today - dt.timedelta(days=days_ago)
    program = program or ProgramFactory(region=region)
    offering = OfferingFactory(
        region=region,
        program=program,
        start_date=end - dt.timedelta(days=2),
        end_date=end,
        enrolment_opens=end - dt.timedelta(days=30),
        enrolment_closes=end - dt.timedelta(days=3),
        status=Offering.Status.COMPLETED,
        **kwargs,
    )
    statuses = statuses or [S.COMPLETED] * n
    enrolments = [
        EnrolmentFactory(region=region, offering=offering, status=status) for status in statuses
    ]
    return offering, enrolments


def answers(survey, offering, *, likert="4", relevance=None, text=""):
    data = {}
    for q in sel.survey_questions(survey=survey, offering=offering):
        item = q.item
        if item.kind == SurveyItem.Kind.LIKERT:
            data[q.field] = relevance if (item.is_relevance and relevance) else likert
        elif item.kind == SurveyItem.Kind.CHOICE:
            data[q.field] = item.choices[0]
        else:
            data[q.field] = text
    return data


def kinds(kind):
    with scopes_disabled():
        return Notification.objects.filter(kind=kind).count()


# --- L1 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_job_opens_the_survey_once_and_invites_who_completed_or_attended(region):
    offering, _ = ended_batch(region, statuses=[S.COMPLETED, S.COMPLETED, S.NO_SHOW, S.CONFIRMED])
    with scopes_disabled():
        attended = EnrolmentFactory(
            region=region, offering=offering, status=S.FAILED, attendance_rate=Decimal(90)
        )
    assert jobs.survey_job() == 3  # 2 completed + 1 failed having attended
    assert jobs.survey_job() == 0
    assert kinds("survey_open") == 3
    with scope(region=region):
        survey = Survey.objects.get(offering=offering)
        assert survey.opened_at is not None
        assert survey.closes_on == timezone.localdate() + dt.timedelta(days=14)
        assert Notification.objects.filter(recipient=attended.employee).count() == 1


@pytest.mark.django_db
def test_old_and_future_batches_are_not_opened_and_reminders_are_sent_once(region):
    ended_batch(region, days_ago=60)  # ended long before the survey window
    offering, enrolments = ended_batch(region, n=2)
    assert jobs.survey_job() == 2
    with scope(region=region):
        survey = Survey.objects.get(offering=offering)
        surveys.survey_response_save(
            offering=offering,
            employee=enrolments[0].employee,
            data=answers(survey, offering),
        )
        Survey.objects.filter(pk=survey.pk).update(
            closes_on=timezone.localdate() + dt.timedelta(days=2)
        )
    assert jobs.survey_job() == 1  # the one who has not answered
    assert jobs.survey_job() == 0
    assert kinds("survey_open") == 3


@pytest.mark.django_db
def test_a_response_is_saved_per_item_and_per_speaker_and_edited_in_place(region):
    from tests.factories.training import SpeakerFactory

    offering, (enrolment, *_rest) = ended_batch(region)
    with scopes_disabled():
        offering.speakers.add(
            SpeakerFactory(region=region, name="Dr. Ani"),
            SpeakerFactory(region=region, name="Dr. Budi"),
        )
    with scope(region=region):
        surveys.survey_open(offering=offering)
        survey = Survey.objects.get(offering=offering)
        questions = sel.survey_questions(survey=survey, offering=offering)
        trainer_items = SurveyItem.objects.filter(template=survey.template, per_speaker=True)
        assert len([q for q in questions if q.speaker]) == 2 * trainer_items.count()
        surveys.survey_response_save(
            offering=offering, employee=enrolment.employee, data=answers(survey, offering)
        )
        surveys.survey_response_save(
            offering=offering,
            employee=enrolment.employee,
            data=answers(survey, offering, likert="2", text="Lebih banyak praktik"),
        )
        assert SurveyResponse.objects.filter(enrolment=enrolment).count() == 1
        assert set(
            SurveyAnswer.objects.filter(value__isnull=False).values_list("value", flat=True)
        ) == {2}
        ratings = sel.speaker_ratings(region=region)
        assert [r["speaker__name"] for r in ratings] == ["Dr. Ani", "Dr. Budi"]
        assert ratings[0]["mean"] == Decimal("2.00")


@pytest.mark.django_db
def test_bad_responses_are_refused_with_nothing_written(region, other_region):
    offering, (enrolment, *_rest) = ended_batch(region)
    outsider = EmployeeFactory(region=region)
    _other_offering, (foreign_enrolment, *_more) = ended_batch(other_region)
    foreigner = foreign_enrolment.employee
    with scope(region=region):
        with pytest.raises(ValidationError, match="belum dibuka"):
            surveys.survey_response_save(offering=offering, employee=enrolment.employee, data={})
        surveys.survey_open(offering=offering)
        survey = Survey.objects.get(offering=offering)
        good = answers(survey, offering)
        with pytest.raises(ValidationError, match="tidak tercatat"):
            surveys.survey_response_save(offering=offering, employee=outsider, data=good)
        bad = {**good, next(iter(good)): "7"}
        with pytest.raises(ValidationError) as exc:
            surveys.survey_response_save(offering=offering, employee=enrolment.employee, data=bad)
        assert "Pilih nilai 1 sampai 5." in str(exc.value)
        with pytest.raises(ValidationError, match="tidak tercatat"):
            # Someone of region B answering region A's batch.
            surveys.survey_response_save(offering=offering, employee=foreigner, data=good)
        assert SurveyResponse.objects.count() == 0
        assert SurveyAnswer.objects.count() == 0
        later = timezone.localdate() + dt.timedelta(days=15)
        with pytest.raises(ValidationError, match="sudah ditutup"):
            surveys.survey_response_save(
                offering=offering, employee=enrolment.employee, data=good, today=later
            )
        assert SurveyResponse.objects.count() == 0


@pytest.mark.django_db
def test_a_programme_is_flagged_with_enough_low_relevance_answers(region, other_region):
    program = ProgramFactory(region=region, title="Pelatihan Kurang Pas")
    batch_a, people_a = ended_batch(region, n=6, program=program)
    batch_b, people_b = ended_batch(region, n=4, program=program)
    fine, people_fine = ended_batch(region, n=10)
    # Region B: the same pattern must not count for region A.
    other, people_other = ended_batch(other_region, n=10)
    with scope(region=other_region):
        surveys.survey_open(offering=other)
        s = Survey.objects.get(offering=other)
        for e in people_other:
            surveys.survey_response_save(
                offering=other, employee=e.employee, data=answers(s, other, relevance="1")
            )
    with scope(region=region):
        for offering, people, relevance in (
            (batch_a, people_a, "2"),
            (batch_b, people_b[:3], "2"),
            (fine, people_fine, "5"),
        ):
            surveys.survey_open(offering=offering)
            s = Survey.objects.get(offering=offering)
            for e in people:
                surveys.survey_response_save(
                    offering=offering,
                    employee=e.employee,
                    data=answers(s, offering, relevance=relevance, text="Tidak sesuai tugas saya"),
                )
        scores = sel.programme_l1_scores(region=region)
        assert scores[program.pk]["relevance_answers"] == 9
        assert scores[program.pk]["flagged"] is False  # 9 < 10 answers
        s = Survey.objects.get(offering=batch_b)
        surveys.survey_response_save(
            offering=batch_b, employee=people_b[3].employee, data=answers(s, batch_b, relevance="3")
        )
        flagged = sel.flagged_programmes(region=region)
        assert [f["program"] for f in flagged] == [program]
        assert flagged[0]["relevance_mean"] == Decimal("2.10")
        assert "Tidak sesuai tugas saya" in flagged[0]["comments"]
        # A lower threshold unflags it.
        EvaluationSettings.objects.create(region=region, relevance_threshold=Decimal("2.00"))
        assert sel.flagged_programmes(region=region) == []


# --- L2 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_learning_gain_and_pass_rate_from_the_enrolment_scores(region):
    offering, enrolments = ended_batch(region, n=3, post_test_pass_mark=70)
    with scopes_disabled():
        for e, (pre, post) in zip(enrolments, [(40, 80), (50, 60), (None, 90)], strict=True):
            Enrolment.objects.filter(pk=e.pk).update(pre_test_score=pre, post_test_score=post)
    with scope(region=region):
        stats = sel.learning_stats(
            offerings=Offering.objects.filter(pk=offering.pk), with_rows=True
        )
        assert stats.tested == 2
        assert stats.gain_mean == Decimal("25.00")  # (40 + 10) / 2
        # normalised: 40/60 = 0.667 and 10/50 = 0.2 → 0.43
        assert stats.normalised_gain == Decimal("0.43")
        assert (stats.passed, stats.with_mark, stats.pass_rate) == (2, 3, Decimal("66.7"))
        by_programme = sel.programme_l2_gain(region=region)
        assert by_programme[offering.program_id]["gain_mean"] == Decimal("25.00")


# --- L3 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_l3_falls_due_after_the_delay_and_only_the_recorded_supervisor_submits(region, unit):
    boss = EmployeeFactory(region=region, unit=unit, name="Atasan Tercatat")
    other_boss = EmployeeFactory(region=region, unit=unit, name="Atasan Lain")
    staff = EmployeeFactory(region=region, unit=unit, supervisor=boss)
    offering, _ = ended_batch(region, n=0, days_ago=100, statuses=[])
    with scopes_disabled():
        enrolment = EnrolmentFactory(
            region=region, offering=offering, employee=staff, status=S.COMPLETED
        )
        program_late = ProgramFactory(region=region)
    late, _ = ended_batch(region, days_ago=100, program=program_late, n=1)
    with scope(region=region):
        behaviour.programme_delay_set(program=program_late, days=120)
    assert jobs.l3_job() == 1  # the 90-day default is past for `offering`, not 120 for `late`
    assert jobs.l3_job() == 0
    assert kinds("l3_assessment_due") == 1
    # A week later, one reminder; the same week again, none.
    week_later = timezone.now() + dt.timedelta(days=8)
    assert jobs.l3_job(now=week_later) == 1
    assert jobs.l3_job(now=week_later) == 0
    with scope(region=region):
        supervisor_l3 = L3Assessment.objects.get(enrolment=enrolment, role="supervisor")
        assert supervisor_l3.assessor == boss
        assert L3Assessment.objects.filter(enrolment=enrolment, role="self").exists()
        # The supervisor changes afterwards: the recorded one is still the assessor.
        staff.supervisor = other_boss
        staff.save()
        good = {"q_apply": "4", "q_quality": "5", "q_share": "3", "q_initiative": "4"}
        with pytest.raises(ValidationError, match="Hanya atasan langsung"):
            behaviour.l3_submit(assessment_id=supervisor_l3.pk, employee=other_boss, data=good)
        with pytest.raises(ValidationError, match="1 sampai 5"):
            behaviour.l3_submit(
                assessment_id=supervisor_l3.pk, employee=boss, data={**good, "q_share": "9"}
            )
        supervisor_l3.refresh_from_db()
        assert supervisor_l3.submitted_at is None and supervisor_l3.q_apply is None
        behaviour.l3_submit(
            assessment_id=supervisor_l3.pk,
            employee=boss,
            data={**good, "examples": "Membuat SOP baru"},
        )
        stats = sel.behaviour_stats(
            offerings=Offering.objects.filter(pk=offering.pk), today=timezone.localdate()
        )
        assert (stats.total, stats.submitted) == (2, 1)
        assert [r["mean"] for r in stats.by_role if r["role"] == "supervisor"] == [Decimal("4.00")]
        assert stats.examples == ["Membuat SOP baru"]


@pytest.mark.django_db
def test_l3_before_the_delay_is_refused_and_an_admin_assigns_a_missing_assessor(
    region, unit, admin
):
    staff = EmployeeFactory(region=region, unit=unit, supervisor=None)
    offering, _ = ended_batch(region, n=0, days_ago=95, statuses=[])
    with scopes_disabled():
        enrolment = EnrolmentFactory(
            region=region, offering=offering, employee=staff, status=S.COMPLETED
        )
    jobs.l3_job()
    assert kinds("l3_assessment_due") == 0  # nobody to ask yet
    boss = EmployeeFactory(region=region, unit=unit)
    with scope(region=region):
        l3 = L3Assessment.objects.get(enrolment=enrolment, role="supervisor")
        assert l3.assessor is None
        assert list(sel.l3_pending_for_admin(region=region, today=timezone.localdate())) == [l3]
        behaviour.l3_assign_assessor(assessment=l3, assessor=boss, by=admin.user)
        early = l3.available_on - dt.timedelta(days=1)
        with pytest.raises(ValidationError, match="baru dapat diisi"):
            behaviour.l3_submit(
                assessment_id=l3.pk,
                employee=boss,
                data={"q_apply": "4", "q_quality": "4", "q_share": "4", "q_initiative": "4"},
                today=early,
            )
        for _n in range(3):
            behaviour.l3_invite_peer(
                assessment=l3, peer=EmployeeFactory(region=region, unit=unit), by=admin.user
            )
        with pytest.raises(ValidationError, match="Paling banyak 3"):
            behaviour.l3_invite_peer(
                assessment=l3, peer=EmployeeFactory(region=region, unit=unit), by=admin.user
            )
    assert kinds("l3_assessment_due") == 4  # the named assessor and the three colleagues


# --- L4 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_outcome_indicator_progress_uses_the_latest_measurement(region, admin):
    program = ProgramFactory(region=region)
    with scope(region=region):
        indicator = behaviour.indicator_create(
            program=program,
            name="Lama penerbitan KTP",
            unit="hari",
            baseline="5",
            target="1",
            by=admin.user,
        )
        today = timezone.localdate()
        behaviour.measurement_add(
            indicator=indicator,
            value="4",
            measured_on=today - dt.timedelta(days=60),
            source="SIAK",
            by=admin.user,
        )
        behaviour.measurement_add(
            indicator=indicator, value="2", measured_on=today, source="SIAK", by=admin.user
        )
        with pytest.raises(ValidationError):
            behaviour.measurement_add(
                indicator=indicator,
                value="abc",
                measured_on=today,
                source="SIAK",
                by=admin.user,
            )
        with pytest.raises(ValidationError):
            behaviour.indicator_create(
                program=program, name="X", unit="hari", baseline="3", target="3", by=admin.user
            )
        (progress,) = sel.programme_l4_outcomes(region=region)[program.pk]
        assert progress.latest_value == Decimal("2.00")
        assert progress.progress == Decimal("75.0")
        assert len(progress.measurements) == 2


@pytest.mark.django_db
def test_the_monthly_report_flags_a_batch_participants_find_irrelevant(region):
    from evaluations.selectors import month_start, report_offerings

    offering, people = ended_batch(region, n=10)
    with scope(region=region):
        surveys.survey_open(offering=offering)
        survey = Survey.objects.get(offering=offering)
        for e in people:
            surveys.survey_response_save(
                offering=offering,
                employee=e.employee,
                data=answers(survey, offering, relevance="2"),
            )
        period = month_start(offering.end_date)
        (row,) = [o for o in report_offerings(region=region, period=period) if o.id == offering.pk]
        assert row.relevance_mean == Decimal("2.00")
        assert "not_relevant" in row.flags
        assert "Kurang relevan menurut peserta" in row.flag_labels
        EvaluationSettings.objects.create(region=region, relevance_min_responses=11)
        (row,) = [o for o in report_offerings(region=region, period=period) if o.id == offering.pk]
        assert "not_relevant" not in row.flags
