"""The sections of each dashboard: a registry other apps plug their figures into.

A dashboard page (`asn`, `team`, `region`, `national`) is a list of sections, each a template
partial and a function that computes its figures. Built-in sections (JP, participation,
budget, ...) are registered by this app (dashboards.builtin_sections), and so are the sections
of the apps below it (dashboards.plugged_sections: L1–L3 evaluation and the yearly plan, from
their selectors). A section is one registration:

    from dashboards.sections import Section, register_section

    register_section(
        Section(
            key="evaluations.l1",          # unique, "<app>.<name>"
            dashboard="region",            # asn | team | region | national
            template="evaluations/dashboard/_l1.html",
            build=l1_section,              # build(ctx) -> dict | None
            order=55,                      # position among the dashboard's sections
        )
    )

`build(ctx: DashboardContext) -> dict | None` runs in the region's scope (the national
dashboard: outside any region, with `ctx.regions`) and returns the partial's context, or None
to leave the section out (e.g. nothing to show to this role). It must run a constant number of
queries whatever the data size (aggregates in SQL). To make a table exportable (CSV/XLSX
buttons), put `Table` objects in the returned dict under `"tables"`: the export view builds
the same sections and writes the table whose key it is asked for.

Dashboards is the top layer (import-linter): it may read every app's selectors; no app below
imports dashboards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

DASHBOARDS = ("asn", "team", "region", "national")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, int, decimal, percent, date


@dataclass
class Table:
    """A table a section shows and lets people export (rows are tuples in column order)."""

    key: str
    title: str
    columns: Sequence[Column]
    rows: list[tuple] = field(default_factory=list)
    # Optional: per row, the URL of the list behind it (the first cell links there).
    links: list[str | None] = field(default_factory=list)

    def linked_rows(self) -> list[tuple[tuple, str | None]]:
        links = self.links or [None] * len(self.rows)
        return list(zip(self.rows, links, strict=False))


@dataclass
class Chart:
    """A chart drawn from a table (the table is its accessible alternative and its export).

    `x` is the column of the labels, `series` the columns drawn; `kind` is a Chart.js type
    (bar, line). `target` draws a horizontal reference line (e.g. the JP target)."""

    key: str
    title: str
    table: Table
    kind: str = "bar"
    x: int = 0
    series: tuple[int, ...] = (1,)
    horizontal: bool = False
    percent: bool = False
    target: float | None = None
    target_label: str = ""

    def data(self) -> dict:
        def number(value):
            if value is None or value == "":
                return None
            try:
                return float(value)
            except (TypeError, ValueError):
                return None

        return {
            "type": self.kind,
            "horizontal": self.horizontal,
            "percent": self.percent,
            "labels": [str(row[self.x]) for row in self.table.rows],
            "datasets": [
                {
                    "label": str(self.table.columns[i].label),
                    "data": [number(row[i]) for row in self.table.rows],
                }
                for i in self.series
            ],
            "target": self.target,
            "targetLabel": str(self.target_label),
        }


@dataclass(frozen=True)
class DashboardContext:
    """What a section knows about the page being built."""

    dashboard: str
    year: int
    today: dt.date
    region: Any = None  # regions.Region (None on the national dashboard)
    access: Any = None  # regions.permissions.RegionAccess
    employee: Any = None  # the viewer's Employee (ASN and team dashboards)
    unit_id: int | None = None
    regions: Sequence[Any] = ()  # the national dashboard's regions
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    key: str
    dashboard: str
    template: str
    build: Callable[[DashboardContext], dict | None]
    order: int = 100
    # Heavy figures of the region's data: kept in the cache under the data's version
    # (dashboards.selectors.version), recomputed after any write to the tables it reads.
    cached: bool = False
    # For a cached section that also reads tables outside the data version: a function of the
    # context returning their own version (one query), added to the cache key.
    version: Callable[[DashboardContext], str] | None = None


@dataclass
class BuiltSection:
    section: Section
    data: dict

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def template(self) -> str:
        return self.section.template


_registry: dict[str, Section] = {}


def register_section(section: Section) -> None:
    if section.dashboard not in DASHBOARDS:
        raise ValueError(f"section {section.key!r}: unknown dashboard {section.dashboard!r}")
    existing = _registry.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"section {section.key!r} is already registered")
    _registry[section.key] = section


def unregister_section(key: str) -> None:
    """For tests that register a section of their own."""
    _registry.pop(key, None)


def sections_of(dashboard: str) -> list[Section]:
    return sorted(
        (s for s in _registry.values() if s.dashboard == dashboard),
        key=lambda s: (s.order, s.key),
    )


def build_sections(
    ctx: DashboardContext,
    *,
    version: str | None = None,
    refresh=None,
    only_cached: bool = False,
) -> list[BuiltSection]:
    """Every registered section of the context's dashboard that has something to show.

    With a data `version`, sections marked `cached` come from the cache when they were
    computed for that version (and year, unit and language) less than
    KOMPETENSI_DASHBOARD_CACHE_SECONDS ago; with a `refresh` (dashboards.caching.Refresh) the
    previous version's figures may be shown while a background worker recomputes them.
    `ctx.extra["computed_at"]` is the oldest moment any shown figure was computed and
    `ctx.extra["stale"]` whether any is being recomputed. `only_cached` builds the cached
    sections only (the background refresh)."""
    from .caching import cached

    built = []
    computed_at, stale = timezone.now(), False
    for section in sections_of(ctx.dashboard):
        if section.cached and version is not None:
            figures = cached(
                name=section.key,
                parts=(getattr(ctx.region, "pk", None), ctx.year, ctx.unit_id),
                version=version + (f"|{section.version(ctx)}" if section.version else ""),
                compute=lambda section=section: section.build(ctx),
                refresh=refresh,
            )
            data = figures.value
            computed_at = min(computed_at, figures.computed_at)
            stale = stale or figures.stale
        elif only_cached:
            continue
        else:
            data = section.build(ctx)
        if data is not None:
            built.append(BuiltSection(section=section, data=data))
    ctx.extra["computed_at"] = computed_at
    ctx.extra["stale"] = stale
    return built


def find_table(sections: list[BuiltSection], key: str) -> Table | None:
    for built in sections:
        for table in built.data.get("tables", ()):
            if table.key == key:
                return table
    return None


# --- Columns of the national comparison --------------------------------------------------------


@dataclass(frozen=True)
class NationalFigure:
    """A column of the national comparison added by another app (e.g. the L1 mean).

    `compute(year) -> dict[region_id, value]` runs ONE query across all regions (grouped by
    region, with the region scope disabled: `django_scopes.scopes_disabled()`); regions without
    a value show a dash. `kind` formats the value: "decimal", "percent" or "int".
    """

    key: str
    label: str
    compute: Callable[[int], dict]
    kind: str = "decimal"
    order: int = 100


_national: dict[str, NationalFigure] = {}


def register_national_figure(figure: NationalFigure) -> None:
    existing = _national.get(figure.key)
    if existing is not None and existing != figure:
        raise ValueError(f"national figure {figure.key!r} is already registered")
    _national[figure.key] = figure


def unregister_national_figure(key: str) -> None:
    _national.pop(key, None)


def national_figures() -> list[NationalFigure]:
    return sorted(_national.values(), key=lambda f: (f.order, f.key))
