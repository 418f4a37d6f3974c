"""Factories and helpers of the planning app (the regional plan)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from planning.models import (
    Need,
    NeedsRound,
    OfferingLink,
    Plan,
    PlanApprover,
    PlanItem,
    UnitPlanner,
    UnitSubmission,
)

from .base import ScopedFactory
from .regions import RegionFactory, UnitFactory
from .training import CompetencyFactory, development_form


class NeedsRoundFactory(ScopedFactory):
    class Meta:
        model = NeedsRound

    region = factory.SubFactory(RegionFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year + 1)
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))


class UnitSubmissionFactory(ScopedFactory):
    class Meta:
        model = UnitSubmission

    region = factory.SubFactory(RegionFactory)
    round = factory.LazyAttribute(lambda o: NeedsRoundFactory(region=o.region))
    unit = factory.LazyAttribute(lambda o: UnitFactory(region=o.region))


class NeedFactory(ScopedFactory):
    class Meta:
        model = Need

    region = factory.SubFactory(RegionFactory)
    submission = factory.LazyAttribute(lambda o: UnitSubmissionFactory(region=o.region))
    competency = factory.LazyAttribute(lambda o: CompetencyFactory(region=o.region))
    target_count = 5
    jp = 20
    estimated_cost = Decimal("10000000")


class PlanFactory(ScopedFactory):
    class Meta:
        model = Plan

    region = factory.SubFactory(RegionFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)


class PlanItemFactory(ScopedFactory):
    class Meta:
        model = PlanItem

    region = factory.SubFactory(RegionFactory)
    plan = factory.LazyAttribute(lambda o: PlanFactory(region=o.region))
    title = factory.Sequence(lambda n: f"Pelatihan Perencanaan {n}")
    competency = factory.LazyAttribute(lambda o: CompetencyFactory(region=o.region))
    form = factory.LazyFunction(lambda: development_form(3))
    target_count = 10
    jp = 24
    budget = Decimal("25000000")


def make_planner(unit, employee) -> UnitPlanner:
    with scopes_disabled():
        return UnitPlanner.objects.create(region=unit.region, unit=unit, employee=employee)


def make_approver(employee, title="Wali Kota") -> PlanApprover:
    with scopes_disabled():
        return PlanApprover.objects.create(region=employee.region, employee=employee, title=title)


def link(item, offering) -> OfferingLink:
    with scopes_disabled():
        return OfferingLink.objects.create(
            region=item.region, year=item.plan.year, item_key=item.key, offering=offering
        )
