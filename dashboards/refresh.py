"""The figures the dashboards cache, built the same way by the page and by the background
refresh that recomputes them after a write (`dashboards.caching`)."""

from __future__ import annotations

from django.utils import timezone

from kompetensi.tasks import region_scope

from .caching import Figures, Refresh, cached
from .sections import BuiltSection, DashboardContext, build_sections
from .selectors import national as national_selectors
from .selectors import version as version_selectors


def region_sections(ctx: DashboardContext, *, background: bool = True) -> list[BuiltSection]:
    """The region dashboard's sections; with `background`, the previous figures may be shown
    while a worker recomputes them (ctx.extra["stale"])."""
    refresh = Refresh("region", (ctx.region.pk, ctx.year, ctx.unit_id)) if background else None
    return build_sections(
        ctx, version=version_selectors.data_version(region=ctx.region), refresh=refresh
    )


def national_rows(*, year: int, background: bool = True) -> Figures:
    """Every active region's key figures of `year` (rows of the national comparison)."""
    return cached(
        name="national",
        parts=(year,),
        version=version_selectors.national_version(),
        compute=lambda: national_selectors.national_rows(year=year),
        refresh=Refresh("national", (year,)) if background else None,
    )


def _refresh_region(region_id: int, year: int, unit_id: int | None) -> None:
    with region_scope(region_id, active_only=True) as region:
        if region is None:
            return
        ctx = DashboardContext(
            dashboard="region",
            year=year,
            today=timezone.localdate(),
            region=region,
            unit_id=unit_id,
        )
        build_sections(ctx, version=version_selectors.data_version(region=region), only_cached=True)


def _refresh_national(year: int) -> None:
    national_rows(year=year, background=False)


REFRESHERS = {"region": _refresh_region, "national": _refresh_national}


def refresh(kind: str, args: list) -> None:
    """Recompute the figures of the current data version and cache them (the task's body)."""
    REFRESHERS[kind](*args)
