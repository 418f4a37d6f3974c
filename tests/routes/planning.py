"""Region routes of the regional plan (planning)."""

from decimal import Decimal

from django_scopes import scopes_disabled

from planning.models import Plan
from tests.factories.planning import (
    NeedFactory,
    NeedsRoundFactory,
    PlanFactory,
    PlanItemFactory,
    UnitSubmissionFactory,
    link,
    make_approver,
    make_planner,
)
from tests.factories.training import CompetencyFactory, OfferingFactory


def build_leak(leak):
    with scopes_disabled():
        region = leak.region
        competency = CompetencyFactory(region=region, code="T.LEAK", name="Rahasia Binjai")
        leak.needs_round = NeedsRoundFactory(region=region, notes="Rahasia Binjai")
        leak.submission = UnitSubmissionFactory(
            region=region, round=leak.needs_round, unit=leak.unit, return_note="Rahasia Binjai"
        )
        leak.need = NeedFactory(
            region=region, submission=leak.submission, competency=competency,
            justification="Rahasia Binjai", estimated_cost=Decimal("1"),
        )  # fmt: skip
        leak.regional_plan = PlanFactory(
            region=region, status=Plan.Status.APPROVED, notes="Rahasia Binjai"
        )
        leak.plan_item = PlanItemFactory(
            region=region, plan=leak.regional_plan, competency=competency, title="Rahasia Binjai"
        )
        offering = OfferingFactory(region=region, name="Rahasia Binjai")
        leak.offering_link = link(leak.plan_item, offering)
        leak.planner = make_planner(leak.unit, leak.employee)
        leak.approver = make_approver(leak.admin, title="Rahasia Binjai")


ROUTES = {
    "planning:overview": lambda leak: {},
    "planning:roles": lambda leak: {},
    "planning:planner_add": lambda leak: {},
    "planning:planner_remove": lambda leak: {"planner_id": leak.planner.pk},
    "planning:approver_add": lambda leak: {},
    "planning:approver_remove": lambda leak: {"approver_id": leak.approver.pk},
    "planning:round_create": lambda leak: {},
    "planning:round_detail": lambda leak: {"round_id": leak.needs_round.pk},
    "planning:submission_detail": lambda leak: {"submission_id": leak.submission.pk},
    "planning:need_create": lambda leak: {"submission_id": leak.submission.pk},
    "planning:need_edit": lambda leak: {
        "submission_id": leak.submission.pk,
        "need_id": leak.need.pk,
    },
    "planning:need_delete": lambda leak: {
        "submission_id": leak.submission.pk,
        "need_id": leak.need.pk,
    },
    "planning:suggestion_accept": lambda leak: {"submission_id": leak.submission.pk},
    "planning:suggestion_ignore": lambda leak: {"submission_id": leak.submission.pk},
    "planning:submission_submit": lambda leak: {"submission_id": leak.submission.pk},
    "planning:submission_return": lambda leak: {"submission_id": leak.submission.pk},
    "planning:plan_create": lambda leak: {},
    "planning:plan_detail": lambda leak: {"plan_id": leak.regional_plan.pk},
    "planning:plan_item_create": lambda leak: {"plan_id": leak.regional_plan.pk},
    "planning:plan_item_edit": lambda leak: {
        "plan_id": leak.regional_plan.pk,
        "item_id": leak.plan_item.pk,
    },
    "planning:plan_item_delete": lambda leak: {
        "plan_id": leak.regional_plan.pk,
        "item_id": leak.plan_item.pk,
    },
    "planning:plan_item_realisation": lambda leak: {
        "plan_id": leak.regional_plan.pk,
        "item_id": leak.plan_item.pk,
    },
    "planning:plan_item_unlink": lambda leak: {
        "plan_id": leak.regional_plan.pk,
        "item_id": leak.plan_item.pk,
        "link_id": leak.offering_link.pk,
    },
    "planning:plan_submit": lambda leak: {"plan_id": leak.regional_plan.pk},
    "planning:plan_decide": lambda leak: {"plan_id": leak.regional_plan.pk},
    "planning:plan_revise": lambda leak: {"plan_id": leak.regional_plan.pk},
    "planning:plan_pdf": lambda leak: {"plan_id": leak.regional_plan.pk},
    "planning:plan_xlsx": lambda leak: {"plan_id": leak.regional_plan.pk},
    "planning:plan_decree": lambda leak: {"plan_id": leak.regional_plan.pk},
}
