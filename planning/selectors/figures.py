"""Plan figures for other pages (the admin dashboard, the monthly report): planned vs
realised participants, JP and budget of the year's approved plan, in total, per unit and per
item. Read-only, constant queries; nothing here renders.

    from planning.selectors.figures import plan_absorption, plan_figures_by_unit
    plan_absorption(region=region, year=2026, today=today)  # None without an approved plan
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from regions.models import Region

from .plans import ZERO, current_plan, plan_items, plan_realisation


@dataclass(frozen=True)
class Figures:
    label: str
    items: int
    participants_planned: int
    participants_realised: int
    jp_planned: int
    jp_realised: Decimal
    budget_planned: Decimal
    budget_spent: Decimal
    budget_committed: Decimal
    not_started: int

    @property
    def absorption_percent(self) -> int | None:
        if not self.budget_planned:
            return None
        return int((self.budget_spent * 100 / self.budget_planned).to_integral_value())


def _figures(label, rows) -> Figures:
    return Figures(
        label=label,
        items=len(rows),
        participants_planned=sum(r.item.target_count for r in rows),
        participants_realised=sum(r.realisation.participants for r in rows),
        jp_planned=sum(r.jp_planned for r in rows),
        jp_realised=sum((r.realisation.jp for r in rows), ZERO),
        budget_planned=sum((r.item.budget for r in rows), ZERO),
        budget_spent=sum((r.realisation.spent for r in rows), ZERO),
        budget_committed=sum((r.realisation.committed for r in rows), ZERO),
        not_started=sum(1 for r in rows if r.not_started),
    )


def _rows(*, region: Region, year: int, today: dt.date):
    plan = current_plan(region=region, year=year)
    if plan is None:
        return None, []
    plan.region = region
    return plan, plan_realisation(plan=plan, today=today, items=plan_items(plan=plan)).rows


def plan_absorption(*, region: Region, year: int, today: dt.date) -> Figures | None:
    """Totals of the year's approved plan (None when the year has none)."""
    plan, rows = _rows(region=region, year=year, today=today)
    if plan is None:
        return None
    return _figures(_("Jumlah"), rows)


def plan_figures_by_unit(*, region: Region, year: int, today: dt.date) -> list[Figures]:
    """Per target unit (items across units under "Lintas unit"), by unit name."""
    _plan, rows = _rows(region=region, year=year, today=today)
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.item.unit.name if row.item.unit_id else _("Lintas unit")].append(row)
    return [_figures(label, grouped[label]) for label in sorted(grouped)]


def plan_figures_by_item(*, region: Region, year: int, today: dt.date) -> list[Figures]:
    """Per plan item (programme), in the plan's order."""
    _plan, rows = _rows(region=region, year=year, today=today)
    return [_figures(row.item.title, [row]) for row in rows]
