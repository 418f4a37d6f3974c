"""Integration: the needs round — opening, units' needs, deadline, submission, return, and
the suggestions the portal makes (gaps count only assessed competencies: rule 8)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from planning.models import Need, UnitSubmission
from planning.selectors import needs as selectors
from planning.services import needs as services
from regions.models import Notification
from tests.factories.regions import EmployeeFactory
from tests.factories.training import (
    DevelopmentPlanFactory,
    DevelopmentPlanItemFactory,
    DevelopmentRecordFactory,
    assess,
    national,
    standard,
)
from training.models import DevelopmentPlan, DevelopmentRecord

Status = UnitSubmission.Status


@pytest.fixture
def needs_round(region, admin, planner, planner2, next_year, deadline, today):
    with scope(region=region):
        return services.round_open(
            region=region, user=admin.user, year=next_year, deadline=deadline, today=today
        )


def _submission(needs_round, unit):
    return UnitSubmission.objects.select_related("round", "unit", "region").get(
        round=needs_round, unit=unit
    )


def test_opening_a_round_makes_one_draft_per_active_unit_and_tells_planners(
    region, needs_round, dinkes, disdik, unit, planner, planner2
):
    with scope(region=region):
        subs = UnitSubmission.objects.filter(round=needs_round)
        assert {s.unit_id for s in subs} == {unit.pk, dinkes.pk, disdik.pk}
        assert {s.status for s in subs} == {Status.DRAFT}
        kinds = set(
            Notification.objects.filter(kind="rkpk_round_opened").values_list(
                "recipient_id", flat=True
            )
        )
    assert kinds == {planner.pk, planner2.pk}


def test_a_round_is_opened_once_per_year_and_not_in_the_past(region, admin, needs_round, today):
    with scope(region=region), pytest.raises(ValidationError) as exc:
        services.round_open(
            region=region, user=admin.user, year=needs_round.year, deadline=today, today=today
        )
    assert "sudah dibuka" in str(exc.value)
    with scope(region=region), pytest.raises(ValidationError) as exc:
        services.round_open(
            region=region,
            user=admin.user,
            year=today.year,
            deadline=today - dt.timedelta(days=1),
            today=today,
        )
    assert "masa lalu" in str(exc.value)


def test_a_planner_adds_a_need_and_submits(region, needs_round, dinkes, planner, competency, admin):
    with scope(region=region):
        submission = _submission(needs_round, dinkes)
        need = services.need_save(
            submission=submission,
            user=planner.user,
            competency=competency,
            target_count=4,
            jp=24,
            estimated_cost="Rp 12.500.000",
            target_description="Pranata komputer",
        )
        assert need.estimated_cost == Decimal("12500000")
        services.submission_submit(submission=submission, user=planner.user)
        submission.refresh_from_db()
        assert submission.status == Status.SUBMITTED
        assert Notification.objects.filter(kind="rkpk_needs_submitted", recipient=admin).exists()
        # Submitted: no more changes.
        with pytest.raises(ValidationError) as exc:
            services.need_save(
                submission=submission, user=planner.user, competency=competency, jp=8,
                target_count=1,
            )  # fmt: skip
        assert "sudah diajukan" in str(exc.value)


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("dua juta", "angka saja"),
        ("-5000", "tidak boleh negatif"),
        ("1e5", "angka saja"),
    ],
)
def test_bad_money_is_refused_in_indonesian_and_nothing_is_written(
    region, needs_round, dinkes, planner, competency, cost, message
):
    with scope(region=region):
        submission = _submission(needs_round, dinkes)
        with pytest.raises(ValidationError) as exc:
            services.need_save(
                submission=submission, user=planner.user, competency=competency,
                target_count=2, jp=8, estimated_cost=cost,
            )  # fmt: skip
        assert message in str(exc.value)
        assert not Need.objects.filter(submission=submission).exists()


def test_a_need_for_another_regions_competency_or_employee_is_refused(
    region, needs_round, dinkes, planner, other_competency, other_employee, competency
):
    with scope(region=region):
        submission = _submission(needs_round, dinkes)
        with pytest.raises(ValidationError) as exc:
            services.need_save(
                submission=submission, user=planner.user, competency=other_competency,
                target_count=2, jp=8,
            )  # fmt: skip
        assert "Kompetensi tidak ditemukan" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            services.need_save(
                submission=submission, user=planner.user, competency=competency,
                target_employees=[other_employee], jp=8,
            )  # fmt: skip
        assert "pegawai unit ini" in str(exc.value)
        assert not Need.objects.filter(submission=submission).exists()


def test_after_the_deadline_a_draft_is_neither_changed_nor_submitted(
    region, needs_round, dinkes, planner, competency
):
    late = needs_round.deadline + dt.timedelta(days=1)
    with scope(region=region):
        submission = _submission(needs_round, dinkes)
        services.need_save(
            submission=submission, user=planner.user, competency=competency, target_count=1, jp=8
        )
        with pytest.raises(ValidationError) as exc:
            services.submission_submit(submission=submission, user=planner.user, today=late)
        assert "sudah lewat" in str(exc.value)
        with pytest.raises(ValidationError):
            services.need_save(
                submission=submission, user=planner.user, competency=competency,
                target_count=1, jp=8, today=late,
            )  # fmt: skip
        assert _submission(needs_round, dinkes).status == Status.DRAFT


def test_the_bkpsdm_returns_a_submission_with_a_note_and_the_unit_fixes_it_even_late(
    region, needs_round, dinkes, planner, admin, competency
):
    late = needs_round.deadline + dt.timedelta(days=3)
    with scope(region=region):
        submission = _submission(needs_round, dinkes)
        need = services.need_save(
            submission=submission, user=planner.user, competency=competency, target_count=1, jp=8
        )
        services.submission_submit(submission=submission, user=planner.user)
        with pytest.raises(ValidationError):
            services.submission_return(submission=submission, user=admin.user, note=" ")
        services.submission_return(
            submission=submission, user=admin.user, note="Biaya terlalu besar"
        )
        assert Notification.objects.filter(kind="rkpk_needs_returned", recipient=planner).exists()
        services.need_save(
            submission=submission, user=planner.user, need=need, competency=competency,
            target_count=1, jp=8, estimated_cost=1000000, today=late,
        )  # fmt: skip
        services.submission_submit(submission=submission, user=planner.user, today=late)
        events = [e.action for e in selectors.submission_history(submission=submission)]
    assert events == ["submitted", "returned", "submitted"]


def test_suggestions_from_gaps_jp_behind_and_approved_idps(
    region, needs_round, dinkes, planner, competency
):
    m01, m02 = national("M.01"), national("M.02")
    standard(region, items=[(m01, 3), (m02, 3)])
    a = EmployeeFactory(region=region, unit=dinkes, name="Ani")
    b = EmployeeFactory(region=region, unit=dinkes, name="Budi")
    c = EmployeeFactory(region=region, unit=dinkes, name="Citra")
    assess(a, m01, 1)  # gap 2
    assess(b, m01, 2)  # gap 1
    assess(c, m01, 3)  # no gap
    assess(a, m02, 3)  # m02: others unassessed → unknown, not a gap
    year = needs_round.year
    DevelopmentRecordFactory(
        region=region, employee=a, year=year - 1, jp=Decimal("24"),
        status=DevelopmentRecord.Status.VERIFIED,
    )  # fmt: skip
    plan = DevelopmentPlanFactory(
        region=region, employee=b, year=year, status=DevelopmentPlan.Status.APPROVED
    )
    DevelopmentPlanItemFactory(region=region, plan=plan, competency=competency, planned_jp=16)
    with scope(region=region):
        submission = _submission(needs_round, dinkes)
        suggestions = {s.key: s for s in selectors.suggestions_for(submission=submission)}
    gap = suggestions[f"gap:{m01.pk}"]
    assert {e.name for e in gap.employees} == {"Ani", "Budi"} and gap.target_count == 2
    assert f"gap:{m02.pk}" not in suggestions  # unassessed is unknown, not a need
    behind = suggestions[f"jp:{year - 1}"]
    # Planner, Budi, Citra (PNS) are below 20 verified JP last year; Ani has 24.
    assert "Ani" not in {e.name for e in behind.employees}
    assert {"Budi", "Citra"} <= {e.name for e in behind.employees}
    idp = suggestions[f"idp:{competency.pk}"]
    assert [e.name for e in idp.employees] == ["Budi"] and idp.jp == 16


def test_a_suggestion_is_accepted_once_and_an_ignored_one_stays_away(
    region, needs_round, dinkes, planner
):
    m01 = national("M.01")
    standard(region, items=[(m01, 3)])
    assess(EmployeeFactory(region=region, unit=dinkes), m01, 1)
    with scope(region=region):
        submission = _submission(needs_round, dinkes)
        suggestion = selectors.suggestion_get(submission=submission, key=f"gap:{m01.pk}")
        services.need_save(
            submission=submission, user=planner.user, competency=suggestion.competency,
            target_employees=suggestion.employees, jp=suggestion.jp, source=suggestion.source,
            suggestion_key=suggestion.key,
        )  # fmt: skip
        with pytest.raises(ValidationError):
            services.need_save(
                submission=submission, user=planner.user, competency=suggestion.competency,
                target_employees=suggestion.employees, jp=suggestion.jp,
                suggestion_key=suggestion.key,
            )  # fmt: skip
        keys = {s.key for s in selectors.suggestions_for(submission=submission)}
        assert f"gap:{m01.pk}" not in keys
        services.suggestion_ignore(
            submission=submission, user=planner.user, key=f"jp:{needs_round.year - 1}"
        )
        submission.refresh_from_db()
        keys = {s.key for s in selectors.suggestions_for(submission=submission)}
        assert f"jp:{needs_round.year - 1}" not in keys
