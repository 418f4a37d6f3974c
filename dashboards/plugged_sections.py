"""Region dashboard sections of the apps below dashboards: post-training evaluation (L1–L4,
`evaluations.selectors`) and the yearly plan (`planning.selectors.figures`).

Dashboards is the top layer (pyproject.toml), so it reads their selectors and registers the
sections itself; each section runs a constant number of queries. The evaluation figures are
cached under the data version plus a version of the evaluation tables
(`selectors.version.evaluation_version`:
answers, assessments, indicators, measurements, the flagging settings); the plan's are not
cached (plan changes are not part of any version) and are cheap.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations.selectors import kirkpatrick
from planning.selectors import figures as plan_figures

from .sections import Column, DashboardContext, Section, Table, register_section
from .selectors import version as version_selectors


def _evaluation_version(ctx: DashboardContext) -> str:
    return version_selectors.evaluation_version(region=ctx.region)


def region_evaluation(ctx: DashboardContext) -> dict | None:
    """Per programme evaluated in the year: L1 reaction and relevance, L2 gain, L3
    application; the programmes participants find irrelevant first. Six queries."""
    summaries = kirkpatrick.programme_summaries(region=ctx.region, year=ctx.year)
    if not summaries:
        return None
    flagged = [s for s in summaries if s["l1"] and s["l1"]["flagged"]]
    ordered = flagged + [s for s in summaries if s not in flagged]
    table = Table(
        key="region_evaluation",
        title=_("Evaluasi pasca pelatihan per program (level 1–3)"),
        columns=[
            Column("title", _("Program")),
            Column("responses", _("Responden survei"), "int"),
            Column("l1", _("Kepuasan (1–5)"), "decimal"),
            Column("relevance", _("Relevansi (1–5)"), "decimal"),
            Column("gain", _("Kenaikan nilai (L2)"), "decimal"),
            Column("l3", _("Penerapan di tempat kerja (L3, 1–5)"), "decimal"),
            Column("l3_overdue", _("Penilaian L3 terlambat"), "int"),
            Column("flag", _("Catatan")),
        ],
        rows=[
            (
                s["program"].title,
                (s["l1"] or {}).get("responses", 0),
                (s["l1"] or {}).get("mean"),
                (s["l1"] or {}).get("relevance_mean"),
                (s["l2"] or {}).get("gain_mean"),
                (s["l3"] or {}).get("mean"),
                (s["l3"] or {}).get("overdue", 0),
                str(_("kurang relevan")) if s in flagged else "",
            )
            for s in ordered
        ],
        links=[
            reverse(
                "evaluations:program_report",
                kwargs={"region_slug": ctx.region.slug, "program_id": s["program"].pk},
            )
            for s in ordered
        ],
    )
    return {"table": table, "flagged": flagged, "tables": [table]}


def region_plan(ctx: DashboardContext) -> dict | None:
    """The year's approved plan against what was realised, in total and per unit."""
    total = plan_figures.plan_absorption(region=ctx.region, year=ctx.year, today=ctx.today)
    if total is None:
        return None
    units = plan_figures.plan_figures_by_unit(region=ctx.region, year=ctx.year, today=ctx.today)
    table = Table(
        key="region_plan",
        title=_("Rencana pengembangan kompetensi daerah: rencana dan realisasi per unit"),
        columns=[
            Column("unit", _("Unit kerja")),
            Column("participants_planned", _("Peserta direncanakan"), "int"),
            Column("participants_realised", _("Peserta terealisasi"), "int"),
            Column("jp_planned", _("JP direncanakan"), "int"),
            Column("jp_realised", _("JP terealisasi"), "decimal"),
            Column("budget_planned", _("Anggaran direncanakan (Rp)"), "decimal"),
            Column("budget_spent", _("Anggaran terserap (Rp)"), "decimal"),
            Column("absorption", _("Serapan (%)"), "int"),
        ],
        rows=[
            (
                f.label,
                f.participants_planned,
                f.participants_realised,
                f.jp_planned,
                f.jp_realised,
                f.budget_planned,
                f.budget_spent,
                f.absorption_percent,
            )
            for f in units
        ],
    )
    return {"total": total, "table": table, "tables": [table]}


SECTIONS = (
    Section(
        "dashboards.region_plan",
        "region",
        "dashboards/sections/region_plan.html",
        region_plan,
        55,
    ),
    Section(
        "dashboards.region_evaluation",
        "region",
        "dashboards/sections/region_evaluation.html",
        region_evaluation,
        65,
        cached=True,
        version=_evaluation_version,
    ),
)


def register() -> None:
    for section in SECTIONS:
        register_section(section)
