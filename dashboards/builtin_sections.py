"""The sections this app puts on each dashboard (registered in DashboardsConfig.ready()).

Each `build(ctx)` calls selectors (a constant number of queries) and returns what its partial
shows: figures, `Table`s (exportable) and `Chart`s drawn from those tables.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from training.selectors.certificates import certificates_of_employee
from training.selectors.competencies import competency_profile, recommended_programs_for_needs
from training.selectors.courses import continue_learning
from training.selectors.enrolment import approvals_pending
from training.selectors.home import upcoming_sessions_for_employee
from training.selectors.plans import plan_for_employee
from training.selectors.records import record_year_summary

from .sections import Chart, Column, DashboardContext, Section, Table, register_section
from .selectors import people as people_selectors
from .selectors import recognition as recognition_selectors
from .selectors import region as region_selectors
from .selectors.jp import reach_months

APPROVALS_SHOWN = 10
CERTIFICATES_SHOWN = 6


def month_labels(year: int) -> list[str]:
    import datetime as dt

    return [formats.date_format(dt.date(year, m, 1), "M") for m in range(1, 13)]


def _url(name: str, ctx: DashboardContext, **query) -> str:
    url = reverse(name, kwargs={"region_slug": ctx.region.slug})
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def people_url(ctx: DashboardContext, category: str, **filters) -> str:
    """The drill-down list behind a figure of the region dashboard, already filtered."""
    return _url(
        "dashboards:region_people",
        ctx,
        kategori=category,
        tahun=ctx.year,
        unit=filters.pop("unit", None) or ctx.unit_id,
        **filters,
    )


def _until_today(values: list, ctx: DashboardContext) -> list:
    """Monthly values of the year, without the months still to come (not drawn, not zero)."""
    if ctx.year != ctx.today.year:
        return values
    return [value if month <= ctx.today.month else None for month, value in enumerate(values, 1)]


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


# --- ASN ---------------------------------------------------------------------------------------


def asn_jp(ctx: DashboardContext) -> dict | None:
    employee = ctx.employee
    if employee is None:
        return None
    progress = record_year_summary(region=ctx.region, employee=employee, year=ctx.year)
    curve = _until_today(
        people_selectors.jp_curve(region=ctx.region, employee=employee, year=ctx.year), ctx
    )
    months = month_labels(ctx.year)
    curve_table = Table(
        key="asn_curve",
        title=_("JP terverifikasi kumulatif per bulan"),
        columns=[Column("month", _("Bulan")), Column("jp", _("JP kumulatif"), "decimal")],
        rows=[(m, v) for m, v in zip(months, curve, strict=True)],
    )
    statuses = people_selectors.records_by_status(
        region=ctx.region, employee=employee, year=ctx.year
    )
    status_table = Table(
        key="asn_records",
        title=_("Riwayat pengembangan menurut status"),
        columns=[
            Column("status", _("Status")),
            Column("count", _("Jumlah"), "int"),
            Column("jp", _("JP"), "decimal"),
        ],
        rows=[(s.label, s.count, s.jp) for s in statuses],
    )
    return {
        "progress": progress,
        "chart": Chart(
            key="asn_curve",
            title=curve_table.title,
            table=curve_table,
            kind="line",
            target=float(progress.benchmark),
            target_label=_("Batas JP PPPK") if progress.is_pppk else _("Target JP"),
        ),
        "status_table": status_table,
        "tables": [curve_table, status_table],
    }


def asn_learning(ctx: DashboardContext) -> dict | None:
    employee = ctx.employee
    if employee is None:
        return None
    return {
        "upcoming": upcoming_sessions_for_employee(employee=employee),
        "learning": continue_learning(employee=employee),
    }


def asn_competencies(ctx: DashboardContext) -> dict | None:
    employee = ctx.employee
    if employee is None:
        return None
    profile = competency_profile(employee=employee)
    gaps = [row for row in profile.rows if row.has_need]
    return {
        "profile": profile,
        "gaps": gaps[:8],
        "recommended": recommended_programs_for_needs(
            employee=employee, needs=profile.needs, limit=4
        ),
    }


def asn_certificates(ctx: DashboardContext) -> dict | None:
    employee = ctx.employee
    if employee is None:
        return None
    return {"certificates": list(certificates_of_employee(employee=employee)[:CERTIFICATES_SHOWN])}


def asn_plan_and_recognition(ctx: DashboardContext) -> dict | None:
    employee = ctx.employee
    if employee is None:
        return None
    plan = plan_for_employee(region=ctx.region, employee=employee, year=ctx.year)
    recognition = recognition_selectors.recognition_get(region=ctx.region, year=ctx.year)
    on_list = None
    if recognition is not None and recognition.is_published:
        on_list = (
            recognition_selectors.published_entries(recognition=recognition)
            .filter(employee=employee)
            .first()
        )
    return {
        "plan": plan,
        "recognition": recognition if recognition and recognition.is_published else None,
        "on_list": on_list,
        "opted_out": recognition_selectors.is_opted_out(employee=employee),
    }


# --- Team --------------------------------------------------------------------------------------


def team_jp(ctx: DashboardContext) -> dict | None:
    employee = ctx.employee
    if employee is None:
        return None
    members = people_selectors.team_members(region=ctx.region, supervisor=employee, year=ctx.year)
    table = Table(
        key="team_jp",
        title=_("JP terverifikasi anggota tim"),
        columns=[
            Column("name", _("Nama")),
            Column("type", _("Status")),
            Column("jp", _("JP terverifikasi"), "decimal"),
            Column("pending", _("JP menunggu verifikasi"), "decimal"),
            Column("benchmark", _("Target/batas"), "int"),
            Column("completed", _("Pelatihan selesai"), "int"),
            Column("plan", _("Rencana pengembangan")),
        ],
        rows=[
            (
                m.employee.name,
                m.employee.get_employment_type_display(),
                m.verified_jp,
                m.pending_jp,
                m.benchmark,
                m.completed,
                m.plan_status_display or _("Belum ada"),
            )
            for m in members
        ],
    )
    return {
        "members": members,
        "behind": sum(1 for m in members if m.behind),
        "table": table,
        "chart": Chart(
            key="team_jp",
            title=table.title,
            table=table,
            kind="bar",
            horizontal=True,
            series=(2,),
            target=float(ctx.region.jp_target),
            target_label=_("Target JP PNS"),
        ),
        "tables": [table],
    }


def team_approvals(ctx: DashboardContext) -> dict | None:
    employee = ctx.employee
    if employee is None:
        return None
    pending = approvals_pending(region=ctx.region, supervisor=employee)
    return {"approvals": list(pending[:APPROVALS_SHOWN]), "approvals_total": pending.count()}


def team_trainings(ctx: DashboardContext) -> dict | None:
    employee = ctx.employee
    if employee is None:
        return None
    enrolments = people_selectors.team_trainings(
        region=ctx.region, supervisor=employee, year=ctx.year
    )
    table = Table(
        key="team_trainings",
        title=_("Pelatihan tim tahun ini"),
        columns=[
            Column("name", _("Nama")),
            Column("programme", _("Program")),
            Column("batch", _("Angkatan")),
            Column("start", _("Mulai"), "date"),
            Column("status", _("Status")),
            Column("pre", _("Pre-test"), "decimal"),
            Column("post", _("Post-test"), "decimal"),
            Column("jp", _("JP"), "decimal"),
        ],
        rows=[
            (
                e.employee.name,
                e.offering.program.title,
                e.offering.name,
                e.offering.start_date,
                e.get_status_display(),
                e.pre_test_score,
                e.post_test_score,
                e.jp_awarded,
            )
            for e in enrolments
        ],
    )
    return {"table": table, "tables": [table]}


def team_competency_gaps(ctx: DashboardContext) -> dict | None:
    """The team's competency gaps as a heat map: person × competency (the gap of each person's
    profile). The page draws the competencies with the most gaps; the export has them all."""
    employee = ctx.employee
    if employee is None:
        return None
    matrix = people_selectors.team_gap_matrix(region=ctx.region, supervisor=employee)
    not_assessed = _("belum dinilai")
    table = Table(
        key="team_competency_gaps",
        title=_("Kesenjangan kompetensi tim (standar dikurangi hasil penilaian)"),
        columns=[
            Column("name", _("Nama")),
            Column("position", _("Jabatan")),
            Column("gap_count", _("Kompetensi dengan kesenjangan"), "int"),
            Column("unassessed", _("Kompetensi belum dinilai"), "int"),
            *[
                Column(f"c{c.competency.pk}", f"{c.competency.code} {c.competency.name}", "int")
                for c in matrix.columns
            ],
        ],
        rows=[
            (
                row.employee.name,
                row.employee.position,
                row.gap_count,
                row.unassessed,
                *[
                    (not_assessed if cell.gap is None else cell.gap) if cell.required else None
                    for cell in row.cells
                ],
            )
            for row in matrix.rows
        ],
    )
    slug = ctx.region.slug
    return {
        "matrix": matrix,
        "columns": [
            (column, _url("training:catalogue", ctx, competency=column.competency.pk))
            for column in matrix.shown_columns
        ],
        "people": [
            {
                "row": row,
                "url": reverse(
                    "training:team_member_competencies",
                    kwargs={"region_slug": slug, "employee_pk": row.employee.pk},
                ),
                "cells": matrix.shown_cells(row),
            }
            for row in matrix.rows
        ],
        "table": table,
        "tables": [table],
    }


# --- Region ------------------------------------------------------------------------------------


def _share_table(key: str, title: str, label: str, shares, ctx, filter_name: str) -> Table:
    return Table(
        key=key,
        title=title,
        columns=[
            Column("label", label),
            Column("pns", _("PNS"), "int"),
            Column("met", _("Memenuhi target"), "int"),
            Column("below", _("Di bawah target"), "int"),
            Column("rate", _("% memenuhi"), "percent"),
            Column("mean", _("Rata-rata JP"), "decimal"),
        ],
        rows=[(s.label, s.pns, s.met, s.below, s.rate, s.mean_jp) for s in shares],
        links=[people_url(ctx, "below", **{filter_name: s.key}) for s in shares],
    )


def _compliance(ctx: DashboardContext) -> region_selectors.Compliance:
    """The compliance figures, computed once per page (two sections show them)."""
    if "compliance" not in ctx.extra:
        ctx.extra["compliance"] = region_selectors.compliance(
            region=ctx.region, year=ctx.year, unit_id=ctx.unit_id
        )
    return ctx.extra["compliance"]


def region_compliance(ctx: DashboardContext) -> dict | None:
    result = _compliance(ctx)
    units = Table(
        key="region_units",
        title=_("PNS memenuhi target JP per unit kerja"),
        columns=[
            Column("unit", _("Unit kerja")),
            Column("pns", _("PNS"), "int"),
            Column("met", _("Memenuhi target"), "int"),
            Column("below", _("Di bawah target"), "int"),
            Column("rate", _("% memenuhi"), "percent"),
            Column("mean", _("Rata-rata JP"), "decimal"),
            Column("none", _("ASN tanpa pengembangan"), "int"),
        ],
        rows=[(s.label, s.pns, s.met, s.below, s.rate, s.mean_jp, s.none) for s in result.by_unit],
        links=[people_url(ctx, "below", unit=s.key) for s in result.by_unit],
    )
    golongan = _share_table(
        "region_golongan",
        _("PNS memenuhi target JP per golongan"),
        _("Golongan"),
        result.by_golongan,
        ctx,
        "golongan",
    )
    positions = _share_table(
        "region_positions",
        _("PNS memenuhi target JP per jenis jabatan"),
        _("Jenis jabatan"),
        result.by_position,
        ctx,
        "jabatan",
    )
    return {
        "compliance": result,
        "links": {
            "below": people_url(ctx, "below"),
            "met": people_url(ctx, "met"),
            "none": people_url(ctx, "none"),
        },
        "units": units,
        "golongan": golongan,
        "positions": positions,
        "golongan_chart": Chart(
            key="region_golongan", title=golongan.title, table=golongan, series=(4,), percent=True
        ),
        "positions_chart": Chart(
            key="region_positions",
            title=positions.title,
            table=positions,
            series=(4,),
            percent=True,
        ),
        "tables": [units, golongan, positions],
    }


def region_trend(ctx: DashboardContext) -> dict | None:
    years = [ctx.year - 1, ctx.year]
    reached = reach_months(region=ctx.region, years=years, unit_id=ctx.unit_id)
    this_year = _until_today(reached[ctx.year], ctx)
    months = month_labels(ctx.year)
    table = Table(
        key="region_trend",
        title=_("PNS yang sudah mencapai target JP, kumulatif per bulan"),
        columns=[
            Column("month", _("Bulan")),
            Column("this", _("Tahun %(year)s") % {"year": ctx.year}, "int"),
            Column("last", _("Tahun %(year)s") % {"year": ctx.year - 1}, "int"),
        ],
        rows=[(months[i], this_year[i], reached[ctx.year - 1][i]) for i in range(12)],
    )
    return {
        "table": table,
        "chart": Chart(
            key="region_trend", title=table.title, table=table, kind="line", series=(1, 2)
        ),
        "tables": [table],
    }


def region_participation(ctx: DashboardContext) -> dict | None:
    months = month_labels(ctx.year)
    rows = region_selectors.participation(region=ctx.region, year=ctx.year, unit_id=ctx.unit_id)
    table = Table(
        key="region_participation",
        title=_("Partisipasi per bulan mulai angkatan"),
        columns=[
            Column("month", _("Bulan")),
            Column("enrolled", _("Pendaftaran"), "int"),
            Column("completed", _("Selesai"), "int"),
            Column("no_show", _("Tidak hadir/tidak lulus"), "int"),
        ],
        rows=[(months[r.month - 1], r.enrolled, r.completed, r.no_show) for r in rows],
    )
    return {
        "table": table,
        "totals": {
            "enrolled": sum(r.enrolled for r in rows),
            "completed": sum(r.completed for r in rows),
            "no_show": sum(r.no_show for r in rows),
        },
        "chart": Chart(
            key="region_participation", title=table.title, table=table, series=(1, 2, 3)
        ),
        "tables": [table],
    }


def region_forms(ctx: DashboardContext) -> dict | None:
    result = region_selectors.forms(region=ctx.region, year=ctx.year, unit_id=ctx.unit_id)
    columns = [
        Column("offerings", _("Angkatan"), "int"),
        Column("completed", _("Peserta selesai"), "int"),
    ]
    by_form = Table(
        key="region_forms",
        title=_("Angkatan menurut bentuk pengembangan (jenis diklat SIASN)"),
        columns=[Column("form", _("Bentuk")), Column("kind", _("Kelompok")), *columns],
        rows=[(f.label, f.kind, f.offerings, f.completed) for f in result.by_form],
    )
    by_kind = Table(
        key="region_kinds",
        title=_("Klasikal dan nonklasikal"),
        columns=[Column("kind", _("Kelompok")), *columns],
        rows=[(f.label, f.offerings, f.completed) for f in result.by_kind],
    )
    by_type = Table(
        key="region_competency_types",
        title=_("Menurut jenis kompetensi"),
        columns=[Column("type", _("Jenis kompetensi")), *columns],
        rows=[(f.label, f.offerings, f.completed) for f in result.by_competency_type],
    )
    return {
        "by_form": by_form,
        "by_kind": by_kind,
        "by_type": by_type,
        "kind_chart": Chart(key="region_kinds", title=by_kind.title, table=by_kind, series=(1, 2)),
        "type_chart": Chart(
            key="region_competency_types", title=by_type.title, table=by_type, series=(1, 2)
        ),
        "tables": [by_form, by_kind, by_type],
    }


def region_budget(ctx: DashboardContext) -> dict | None:
    result = region_selectors.budget(region=ctx.region, year=ctx.year)
    programmes = Table(
        key="region_budget",
        title=_("Anggaran direncanakan dan terserap per program"),
        columns=[
            Column("code", _("Kode")),
            Column("title", _("Program")),
            Column("offerings", _("Angkatan"), "int"),
            Column("planned", _("Direncanakan (Rp)"), "int"),
            Column("spent", _("Terserap (Rp)"), "int"),
            Column("absorption", _("% terserap"), "percent"),
        ],
        rows=[
            (p.code, p.title, p.offerings, p.planned, p.spent, p.absorption)
            for p in result.programmes
        ],
    )
    months = month_labels(ctx.year)
    by_month = Table(
        key="region_budget_months",
        title=_("Anggaran terserap per bulan selesainya angkatan"),
        columns=[Column("month", _("Bulan")), Column("spent", _("Terserap (Rp)"), "int")],
        rows=[(months[i], result.by_month[i]) for i in range(12)],
    )
    return {
        "budget": result,
        "programmes": programmes,
        "by_month": by_month,
        "chart": Chart(key="region_budget_months", title=by_month.title, table=by_month),
        "tables": [programmes, by_month],
    }


def region_results(ctx: DashboardContext) -> dict | None:
    results = region_selectors.test_results(region=ctx.region, year=ctx.year)
    table = Table(
        key="region_results",
        title=_("Hasil pre-test dan post-test per program (evaluasi level 2)"),
        columns=[
            Column("code", _("Kode")),
            Column("title", _("Program")),
            Column("finished", _("Peserta selesai/berakhir"), "int"),
            Column("no_show", _("Tidak hadir/tidak lulus"), "int"),
            Column("pre", _("Rata-rata pre-test"), "decimal"),
            Column("post", _("Rata-rata post-test"), "decimal"),
            Column("gain", _("Kenaikan"), "decimal"),
            Column("flags", _("Perlu perhatian")),
        ],
        rows=[
            (
                r.code,
                r.title,
                r.finished,
                r.no_show,
                r.pre_mean,
                r.post_mean,
                r.gain,
                "; ".join(r.flags),
            )
            for r in results
        ],
    )
    return {
        "table": table,
        "flagged": [r for r in results if r.flags],
        "tables": [table],
    }


def region_no_development(ctx: DashboardContext) -> dict | None:
    result = _compliance(ctx)
    units = sorted((s for s in result.by_unit if s.none), key=lambda s: (-s.none, s.label))
    table = Table(
        key="region_no_development",
        title=_("ASN tanpa pengembangan sama sekali tahun ini, per unit kerja"),
        columns=[
            Column("unit", _("Unit kerja")),
            Column("none", _("ASN tanpa pengembangan"), "int"),
            Column("asn", _("ASN aktif"), "int"),
        ],
        rows=[(s.label, s.none, s.asn) for s in units],
        links=[people_url(ctx, "none", unit=s.key) for s in units],
    )
    return {
        "total": result.overall.none,
        "asn": result.overall.asn,
        "link": people_url(ctx, "none"),
        "table": table,
        "tables": [table],
    }


def region_waiting(ctx: DashboardContext) -> dict | None:
    work = region_selectors.waiting_work(region=ctx.region, today=ctx.today)
    slug = ctx.region.slug
    return {
        "work": work,
        "links": {
            "approvals": reverse("training:approval_list", kwargs={"region_slug": slug}),
            "records": reverse("training:record_queue", kwargs={"region_slug": slug})
            + "?"
            + urlencode({"status": "submitted"}),
            "plans": reverse("training:plan_admin_list", kwargs={"region_slug": slug})
            + "?"
            + urlencode({"status": "submitted", "tahun": ctx.year}),
            "offerings": reverse("training:offering_list", kwargs={"region_slug": slug})
            + "?"
            + urlencode({"status": "open"}),
        },
    }


SECTIONS = (
    Section("dashboards.asn_jp", "asn", "dashboards/sections/asn_jp.html", asn_jp, 10),
    Section(
        "dashboards.asn_learning", "asn", "dashboards/sections/asn_learning.html", asn_learning, 20
    ),
    Section(
        "dashboards.asn_competencies",
        "asn",
        "dashboards/sections/asn_competencies.html",
        asn_competencies,
        30,
    ),
    Section(
        "dashboards.asn_certificates",
        "asn",
        "dashboards/sections/asn_certificates.html",
        asn_certificates,
        40,
    ),
    Section(
        "dashboards.asn_plan",
        "asn",
        "dashboards/sections/asn_plan.html",
        asn_plan_and_recognition,
        50,
    ),
    Section("dashboards.team_jp", "team", "dashboards/sections/team_jp.html", team_jp, 10),
    Section(
        "dashboards.team_approvals",
        "team",
        "dashboards/sections/team_approvals.html",
        team_approvals,
        20,
    ),
    Section(
        "dashboards.team_trainings",
        "team",
        "dashboards/sections/team_trainings.html",
        team_trainings,
        30,
    ),
    Section(
        "dashboards.team_competency_gaps",
        "team",
        "dashboards/sections/team_competency_gaps.html",
        team_competency_gaps,
        45,
    ),
    Section(
        "dashboards.region_waiting",
        "region",
        "dashboards/sections/region_waiting.html",
        region_waiting,
        5,
    ),
    Section(
        "dashboards.region_compliance",
        "region",
        "dashboards/sections/region_compliance.html",
        region_compliance,
        10,
        cached=True,
    ),
    Section(
        "dashboards.region_trend",
        "region",
        "dashboards/sections/region_trend.html",
        region_trend,
        20,
        cached=True,
    ),
    Section(
        "dashboards.region_no_development",
        "region",
        "dashboards/sections/region_no_development.html",
        region_no_development,
        25,
        cached=True,
    ),
    Section(
        "dashboards.region_participation",
        "region",
        "dashboards/sections/region_participation.html",
        region_participation,
        30,
        cached=True,
    ),
    Section(
        "dashboards.region_forms",
        "region",
        "dashboards/sections/region_forms.html",
        region_forms,
        40,
        cached=True,
    ),
    Section(
        "dashboards.region_budget",
        "region",
        "dashboards/sections/region_budget.html",
        region_budget,
        50,
        cached=True,
    ),
    Section(
        "dashboards.region_results",
        "region",
        "dashboards/sections/region_results.html",
        region_results,
        60,
        cached=True,
    ),
)


def register() -> None:
    for section in SECTIONS:
        register_section(section)
