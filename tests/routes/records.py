"""Region routes of the JP ledger and development plans."""

import datetime as dt
from decimal import Decimal

from django_scopes import scopes_disabled

from tests.factories.training import development_form
from training.models import DevelopmentPlan, DevelopmentPlanItem, DevelopmentRecord


def build_leak(leak):
    with scopes_disabled():
        if not hasattr(leak, "record"):
            leak.record = DevelopmentRecord.objects.create(
                region=leak.region,
                employee=leak.employee,
                year=dt.date.today().year,
                source=DevelopmentRecord.Source.EXTERNAL,
                title="Seminar Rahasia Binjai",
                form=development_form(9),
                organiser="Rahasia Binjai",
                start_date=dt.date.today(),
                end_date=dt.date.today(),
                jp=Decimal("4"),
                status=DevelopmentRecord.Status.SUBMITTED,
                evidence="evidence/leak/bukti.pdf",
            )
        if not hasattr(leak, "plan"):
            leak.plan = DevelopmentPlan.objects.create(
                region=leak.region,
                employee=leak.employee,
                year=dt.date.today().year,
                status=DevelopmentPlan.Status.SUBMITTED,
                notes="Rahasia Binjai",
            )
        if not hasattr(leak, "plan_item"):
            leak.plan_item = DevelopmentPlanItem.objects.create(
                region=leak.region,
                plan=leak.plan,
                description="Rahasia Binjai",
                planned_jp=8,
            )


ROUTES = {
    "training:my_jp": lambda leak: {},
    "training:record_create": lambda leak: {},
    "training:record_detail": lambda leak: {"record_id": leak.record.pk},
    "training:record_edit": lambda leak: {"record_id": leak.record.pk},
    "training:record_withdraw": lambda leak: {"record_id": leak.record.pk},
    "training:record_evidence": lambda leak: {"record_id": leak.record.pk},
    "training:plan_mine": lambda leak: {},
    "training:plan_item_create": lambda leak: {"plan_id": leak.plan.pk},
    "training:plan_item_edit": lambda leak: {
        "plan_id": leak.plan.pk,
        "item_id": leak.plan_item.pk,
    },
    "training:plan_item_delete": lambda leak: {
        "plan_id": leak.plan.pk,
        "item_id": leak.plan_item.pk,
    },
    "training:plan_submit": lambda leak: {"plan_id": leak.plan.pk},
    "training:team_jp": lambda leak: {},
    "training:team_plan_list": lambda leak: {},
    "training:team_plan_decide": lambda leak: {"plan_id": leak.plan.pk},
    "training:record_queue": lambda leak: {},
    "training:record_review": lambda leak: {"record_id": leak.record.pk},
    "training:plan_admin_list": lambda leak: {},
    "training:plan_admin_detail": lambda leak: {"plan_id": leak.plan.pk},
}
