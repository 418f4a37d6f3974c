"""Integration: the regional plan — consolidation of needs into items, submission, approval
by the head of region only, read-only once approved (rule 7), revisions, totals against the
20-JP minimum and the PPPK cap (rule 4), and realisation by linked batches."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from planning.models import OfferingLink, Plan, PlanItem
from planning.selectors import figures
from planning.selectors import plans as selectors
from planning.services import plans as services
from planning.services import realisation
from regions.models import Employee, Notification
from tests.factories.planning import NeedFactory, NeedsRoundFactory, UnitSubmissionFactory
from tests.factories.regions import EmployeeFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    development_form,
)
from training.models import DevelopmentRecord, Enrolment, Offering

Status = Plan.Status


@pytest.fixture
def plan(region, admin, today):
    with scope(region=region):
        return services.plan_create(region=region, user=admin.user, year=today.year)


def _item(plan, user, competency, **kwargs):
    values = {
        "title": "Bimtek SIMRS",
        "competency": competency,
        "form": development_form(8),
        "jp": 24,
        "target_count": 10,
        "budget": "50.000.000",
    }
    values.update(kwargs)
    return services.plan_item_save(plan=plan, user=user, **values)


def _approve(plan, head, **kwargs):
    return services.plan_decide(
        plan=plan, user=head.user, employee=head, decision="approve", **kwargs
    )


def test_needs_of_two_units_merge_into_one_item(region, plan, admin, competency, dinkes, disdik):
    needs_round = NeedsRoundFactory(region=region, year=plan.year)
    a = NeedFactory(
        region=region, competency=competency, target_count=4, jp=16,
        estimated_cost=Decimal("8000000"),
        submission=UnitSubmissionFactory(region=region, round=needs_round, unit=dinkes, status="submitted"),
    )  # fmt: skip
    b = NeedFactory(
        region=region, competency=competency, target_count=6, jp=24,
        estimated_cost=Decimal("12000000"),
        submission=UnitSubmissionFactory(region=region, round=needs_round, unit=disdik, status="submitted"),
    )  # fmt: skip
    with scope(region=region):
        from planning.selectors.needs import needs_by_ids

        defaults = services.need_defaults(needs=needs_by_ids(region=region, ids=[a.pk, b.pk]))
        assert defaults["target_count"] == 10 and defaults["jp"] == 24
        assert defaults["budget"] == Decimal("20000000") and defaults["unit"] is None
        item = _item(plan, admin.user, competency, needs=[a, b], target_count=10)
        assert set(item.needs.all()) == {a, b}


def test_an_item_refuses_another_regions_data_and_bad_money(
    region, plan, admin, competency, other_competency, other_unit
):
    with scope(region=region):
        for kwargs, message in [
            ({"competency": other_competency}, "Kompetensi tidak ditemukan"),
            ({"unit": other_unit}, "Unit tidak ditemukan"),
            ({"budget": "lima juta"}, "angka saja"),
            ({"budget": "-1"}, "tidak boleh negatif"),
            ({"jp": 0}, "harus lebih dari 0"),
            ({"quarter": 1, "month": 8}, "triwulan"),
        ]:
            values = {"competency": competency, **kwargs}
            with pytest.raises(ValidationError) as exc:
                _item(plan, admin.user, **values)
            assert message in str(exc.value), kwargs
        assert not PlanItem.objects.filter(plan=plan).exists()


def test_submit_needs_items_and_an_approver(region, plan, admin, competency, head):
    with scope(region=region):
        with pytest.raises(ValidationError) as exc:
            services.plan_submit(plan=plan, user=admin.user)
        assert "paling sedikit satu butir" in str(exc.value)
        _item(plan, admin.user, competency)
        services.plan_submit(plan=plan, user=admin.user)
        plan.refresh_from_db()
        assert plan.status == Status.SUBMITTED
        assert Notification.objects.filter(kind="rkpk_plan_submitted", recipient=head).exists()
        # Waiting for the decision: no edits.
        with pytest.raises(ValidationError) as exc:
            _item(plan, admin.user, competency)
        assert "menunggu persetujuan" in str(exc.value)


def test_only_the_approver_decides_and_a_return_needs_a_note(
    region, plan, admin, competency, head, employee
):
    with scope(region=region):
        _item(plan, admin.user, competency)
        services.plan_submit(plan=plan, user=admin.user)
        for someone in (admin, employee):
            with pytest.raises(ValidationError) as exc:
                services.plan_decide(
                    plan=plan, user=someone.user, employee=someone, decision="approve"
                )
            assert "Hanya penyetuju" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            services.plan_decide(plan=plan, user=head.user, employee=head, decision="return")
        assert "wajib diisi" in str(exc.value)
        services.plan_decide(
            plan=plan, user=head.user, employee=head, decision="return", note="Tambah PPPK"
        )
        plan.refresh_from_db()
        assert plan.status == Status.RETURNED
        assert Notification.objects.filter(kind="rkpk_plan_returned", recipient=admin).exists()
        services.plan_submit(plan=plan, user=admin.user)
        _approve(plan, head, decree_number="188.4/123/2026")
        plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert (plan.approver_name, plan.approver_title) == ("Hendrar Kepala", "Wali Kota Semarang")
    assert plan.decided_by == head.user and plan.decided_at is not None


def test_an_approved_plan_is_read_only_and_changes_go_through_a_revision(
    region, plan, admin, competency, head
):
    with scope(region=region):
        item = _item(plan, admin.user, competency)
        services.plan_submit(plan=plan, user=admin.user)
        _approve(plan, head)
        plan.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            _item(plan, admin.user, competency, item=item, title="Diubah diam-diam")
        assert "hanya dapat dibaca" in str(exc.value)
        with pytest.raises(ValidationError):
            services.plan_item_delete(item=item, user=admin.user)
        with pytest.raises(ValidationError):
            services.plan_submit(plan=plan, user=admin.user)
        item.refresh_from_db()
        assert item.title == "Bimtek SIMRS"

        revision = services.plan_revise(plan=plan, user=admin.user, notes="Tambah pelatihan")
        assert (revision.revision, revision.status, revision.previous_id) == (
            1,
            Status.DRAFT,
            plan.pk,
        )
        copy = PlanItem.objects.get(plan=revision)
        assert copy.key == item.key and copy.pk != item.pk
        with pytest.raises(ValidationError):  # one revision in the making at a time
            services.plan_revise(plan=plan, user=admin.user, notes="Lagi")
        _item(revision, admin.user, competency, item=copy, target_count=15)
        _item(revision, admin.user, competency, title="Coaching manajerial")
        # The approved plan stays in force (and unchanged) while the revision is drafted.
        assert selectors.current_plan(region=region, year=plan.year) == plan
        assert PlanItem.objects.get(pk=item.pk).target_count == 10

        services.plan_submit(plan=revision, user=admin.user)
        _approve(revision, head)
        plan.refresh_from_db()
        revision.refresh_from_db()
    assert plan.status == Status.SUPERSEDED
    assert revision.status == Status.APPROVED
    with scope(region=region):
        assert selectors.current_plan(region=region, year=plan.year) == revision


def test_totals_compare_jp_per_pns_with_the_minimum_and_warn_over_the_pppk_cap(
    region, plan, admin, competency, unit
):
    with scopes_disabled():
        Employee.objects.filter(region=region).update(is_active=False)
    pns = [EmployeeFactory(region=region, unit=unit) for _ in range(4)]
    pppk = EmployeeFactory(region=region, unit=unit, employment_type="pppk", name="Putri PPPK")
    with scope(region=region):
        _item(plan, admin.user, competency, jp=20, target_count=2, target_type="pns")
        _item(
            plan, admin.user, competency, jp=16, target_employees=[pppk], target_count=None,
            target_type="pppk",
        )  # fmt: skip
        _item(
            plan, admin.user, competency, jp=12, target_employees=[pppk, pns[0]],
            target_count=None, target_type="all",
        )  # fmt: skip
        totals = selectors.plan_totals(plan=plan)
    # PNS: (20×2 + 12×2 × 4/5 of ASN being PNS) / 4 active PNS = 59.2 / 4 = 14.8 < 20
    assert totals.pns_count == 4 and totals.pppk_count == 1
    assert totals.jp_per_pns == Decimal("14.8") and totals.below_minimum
    assert [row["employee__name"] for row in totals.pppk_over_cap] == ["Putri PPPK"]  # 28 > 24
    assert totals.total.items == 3
    assert {row.label for row in totals.by_form} == {"Bimbingan Teknis"}


def test_linked_batches_move_the_realisation_figures(region, plan, admin, competency, head, today):
    with scope(region=region):
        item = _item(plan, admin.user, competency, jp=24, target_count=10, budget=50000000)
        services.plan_submit(plan=plan, user=admin.user)
        _approve(plan, head)
        plan.refresh_from_db()
        item = PlanItem.objects.select_related("plan").get(pk=item.pk)
    start = dt.date(plan.year, 3, 10)
    done = OfferingFactory(
        region=region, start_date=start, end_date=start + dt.timedelta(days=2),
        enrolment_opens=start - dt.timedelta(days=20), enrolment_closes=start - dt.timedelta(days=1),
        status=Offering.Status.COMPLETED, cost_per_participant=Decimal("2000000"),
    )  # fmt: skip
    enrolments = [
        EnrolmentFactory(region=region, offering=done, status=Enrolment.Status.COMPLETED)
        for _ in range(3)
    ]
    EnrolmentFactory(region=region, offering=done, status=Enrolment.Status.CANCELLED)
    for enrolment in enrolments[:2]:
        DevelopmentRecordFactory(
            region=region, employee=enrolment.employee, enrolment=enrolment, year=plan.year,
            jp=Decimal("24"), status=DevelopmentRecord.Status.VERIFIED,
            source=DevelopmentRecord.Source.ENROLMENT,
        )  # fmt: skip
    with scope(region=region):
        before = selectors.plan_realisation(plan=plan, today=today)
        assert (before.participants_realised, before.budget_spent) == (0, 0)
        realisation.offering_link(item=item, offering=done, user=admin.user)
        after = selectors.plan_realisation(plan=plan, today=today)
        assert after.participants_realised == 3
        assert after.jp_realised == Decimal("48")
        assert after.budget_spent == Decimal("6000000")
        assert after.absorption_percent == 12
        # One batch realises one item of the year.
        with pytest.raises(ValidationError) as exc:
            realisation.offering_link(item=item, offering=done, user=admin.user)
        assert "sudah dikaitkan" in str(exc.value)
        # The figures follow the item through a revision.
        revision = services.plan_revise(plan=plan, user=admin.user, notes="Perubahan")
        services.plan_submit(plan=revision, user=admin.user)
        _approve(revision, head)
        revision.refresh_from_db()
        assert selectors.plan_realisation(plan=revision, today=today).participants_realised == 3
        absorption = figures.plan_absorption(region=region, year=plan.year, today=today)
        assert absorption.budget_spent == Decimal("6000000") and absorption.items == 1


def test_links_only_on_an_approved_plan_in_its_year_and_never_a_cancelled_batch(
    region, plan, admin, competency, head
):
    with scope(region=region):
        item = _item(plan, admin.user, competency)
    offering = OfferingFactory(region=region)
    with scope(region=region), pytest.raises(ValidationError) as exc:
        realisation.offering_link(item=item, offering=offering, user=admin.user)
    assert "sudah disetujui" in str(exc.value)
    with scope(region=region):
        services.plan_submit(plan=plan, user=admin.user)
        _approve(plan, head)
        item = PlanItem.objects.select_related("plan").get(pk=item.pk)
    cancelled = OfferingFactory(region=region, status=Offering.Status.CANCELLED)
    with scope(region=region), pytest.raises(ValidationError) as exc:
        realisation.offering_link(item=item, offering=cancelled, user=admin.user)
    assert "dibatalkan" in str(exc.value)
    with scope(region=region):
        assert not OfferingLink.objects.exists()


def test_items_without_a_begun_batch_are_flagged_from_mid_year(region, plan, admin, competency):
    with scope(region=region):
        _item(plan, admin.user, competency)
        early = selectors.plan_realisation(plan=plan, today=dt.date(plan.year, 6, 30))
        late = selectors.plan_realisation(plan=plan, today=dt.date(plan.year, 7, 1))
    assert early.not_started == 0 and late.not_started == 1


def test_a_bkpsdm_admin_is_never_the_approver(region, plan, admin, competency, head):
    from planning.services import roles as role_services
    from tests.factories.planning import make_approver

    with scope(region=region), pytest.raises(ValidationError) as exc:
        role_services.approver_add(
            region=region, employee=admin, title="Wali Kota", user=admin.user
        )
    assert "tidak dapat menjadi penyetujunya" in str(exc.value)
    make_approver(admin)  # named anyway (e.g. made admin later): still cannot decide
    with scope(region=region):
        _item(plan, admin.user, competency)
        services.plan_submit(plan=plan, user=admin.user)
        with pytest.raises(ValidationError):
            services.plan_decide(plan=plan, user=admin.user, employee=admin, decision="approve")


def test_a_revision_that_drops_an_item_frees_its_batches(region, plan, admin, competency, head):
    with scope(region=region):
        item = _item(plan, admin.user, competency)
        services.plan_submit(plan=plan, user=admin.user)
        _approve(plan, head)
        item = PlanItem.objects.select_related("plan").get(pk=item.pk)
    start = dt.date(plan.year, 12, 1)
    offering = OfferingFactory(
        region=region, start_date=start, end_date=start, enrolment_opens=start - dt.timedelta(days=5),
        enrolment_closes=start,
    )  # fmt: skip
    with scope(region=region):
        realisation.offering_link(item=item, offering=offering, user=admin.user)
        revision = services.plan_revise(plan=plan, user=admin.user, notes="Dihapus")
        copy = PlanItem.objects.select_related("plan").get(plan=revision)
        _item(revision, admin.user, competency, title="Pengganti")
        services.plan_item_delete(item=copy, user=admin.user)
        assert OfferingLink.objects.count() == 1  # the plan in force still has it
        services.plan_submit(plan=revision, user=admin.user)
        _approve(revision, head)
        assert not OfferingLink.objects.exists()
        new_item = PlanItem.objects.select_related("plan").get(plan=revision)
        realisation.offering_link(item=new_item, offering=offering, user=admin.user)
        assert OfferingLink.objects.get().item_key == new_item.key
