"""The yearly plan's absorption in the monthly region report (training.report_sections)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from .selectors.figures import plan_absorption, plan_figures_by_unit


def absorption_section(*, region, period: dt.date) -> dict | None:
    """The year's approved plan against what was realised by the end of the report's month
    (None without an approved plan). Constant queries."""
    month_end = period.replace(day=calendar.monthrange(period.year, period.month)[1])
    today = min(timezone.localdate(), month_end)
    total = plan_absorption(region=region, year=period.year, today=today)
    if total is None:
        return None
    return {
        "total": total,
        "units": plan_figures_by_unit(region=region, year=period.year, today=today),
        "year": period.year,
    }
