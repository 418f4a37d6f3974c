"""Sections other apps add to the monthly region report (rendered by the evaluations app).

The report lives in `evaluations`; an app beside it (e.g. `planning`, the yearly plan's
absorption) cannot import it, so both meet here, one layer down. In its `AppConfig.ready()`:

    register_report_section(ReportSection("planning.absorption",
                                          "planning/report/_absorption.html", build))

`build(*, region, period) -> dict | None` returns the template's `section` context (None
leaves the section out) in a constant number of queries; `period` is the report's month (its
first day). Sections render after the budget, in `order`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportSection:
    key: str
    template: str
    build: Callable[..., dict | None]
    order: int = 100


_registry: dict[str, ReportSection] = {}


def register_report_section(section: ReportSection) -> None:
    _registry[section.key] = section


def build_report_sections(*, region, period: dt.date) -> list[tuple[ReportSection, dict]]:
    built = []
    for section in sorted(_registry.values(), key=lambda s: (s.order, s.key)):
        data = section.build(region=region, period=period)
        if data is not None:
            built.append((section, data))
    return built
