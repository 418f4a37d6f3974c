"""The monthly region report: figures (evaluations.selectors), SVG charts, PDF, storage, email.

`report_generate` is idempotent through the unique (region, kind, period) row: it creates the
report when it is missing, and replaces its file only when asked to (on demand) or when the
stored file is provisional (made before the month was over). `report_email` sends the PDF to
the region's admins once: the send is claimed by a compare-and-swap on `emailed_at`.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kompetensi import site
from regions.models import Membership, Region
from training.report_sections import build_report_sections

from .. import selectors
from ..models import RegionReport, report_upload_to

logger = logging.getLogger(__name__)
# WeasyPrint logs every layout step of every page at INFO; keep the worker's log readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

MONTHLY = "monthly"
PDF_CONTENT_TYPE = "application/pdf"

# Steps reported to a progress bar: five figure sections, the PDF, the stored file.
REPORT_STEPS = 7


# --- Periods -----------------------------------------------------------------------------------


def period_is_over(period: dt.date, *, at: dt.datetime | None = None) -> bool:
    """Whether the month has ended (in the portal's time zone) at `at` (default: now)."""
    return timezone.localtime(at or timezone.now()).date() >= selectors.next_month(period)


def report_is_final(report: RegionReport) -> bool:
    """A report made after its month was over; one made earlier is provisional."""
    return period_is_over(report.period, at=report.generated_at)


def period_label(period: dt.date) -> str:
    return formats.date_format(period, "F Y")


# --- SVG charts --------------------------------------------------------------------------------

CHART_WIDTH = 660
LABEL_WIDTH = 200
VALUE_WIDTH = 96
PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 16
TOP = 18
COLOURS = ("#0b4f8a", "#f2a900", "#2e8540", "#b42318", "#6b7785")


@dataclass(frozen=True)
class ChartBar:
    x: str
    y: str
    width: str
    height: str
    colour: str
    text: str
    text_x: str
    text_y: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_y: str
    bars: list[ChartBar]


@dataclass(frozen=True)
class ChartTick:
    x: str
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    plot_top: str
    plot_bottom: str
    label_x: str
    rows: list[ChartRow]
    ticks: list[ChartTick]
    legend: list[tuple[str, str]]


def _n(value: float) -> str:
    """An SVG coordinate: always a dot as decimal separator, whatever the language."""
    return f"{value:.1f}"


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def nice_top(value: float, *, ticks: int = 4) -> float:
    """The axis maximum: at least `value`, split into `ticks` round steps (whole numbers)."""
    if value <= 0:
        return float(ticks)
    raw = value / ticks
    exponent = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 3, 5, 10):
        step = multiple * exponent
        if multiple == 2.5 and exponent < 10:
            continue
        if step >= raw:
            break
    return max(1.0, step) * ticks


def bar_chart(
    *,
    title: str,
    rows: list[tuple],
    series: list[str],
    max_value: float | None = None,
    stacked: bool = False,
    value_text=None,
    tick_text=None,
) -> Chart | None:
    """A horizontal bar chart as geometry for `evaluations/report/_chart.svg`.

    `rows` are (label, one value per series[, text after the bar]). Grouped bars (one per
    series, one under the other) by default; `stacked` puts the series end to end in one bar.
    `value_text(value)` writes the text after a bar (for stacked bars: of the row total, unless
    the row brings its own text).
    """
    if not rows:
        return None
    value_text = value_text or (lambda v: formats.number_format(v, 0, force_grouping=True))
    tick_text = tick_text or value_text
    totals = [sum(row[1]) if stacked else max(row[1], default=0) for row in rows]
    top = max_value if max_value is not None else nice_top(max(totals, default=0))
    scale = PLOT_WIDTH / top
    bar_height = 12 if stacked or len(series) == 1 else 8
    per_row = bar_height if stacked else bar_height * len(series)
    row_height = per_row + 8
    x0 = LABEL_WIDTH + 8
    chart_rows = []
    y = TOP
    for row, total in zip(rows, totals, strict=True):
        label, values = row[0], row[1]
        end_text = row[2] if len(row) > 2 else value_text(total)
        bars = []
        if stacked:
            x = x0
            for index, value in enumerate(values):
                width = max(0.0, value * scale)
                last = index == len(values) - 1
                bars.append(
                    ChartBar(
                        x=_n(x),
                        y=_n(y),
                        width=_n(width),
                        height=_n(bar_height),
                        colour=COLOURS[index % len(COLOURS)],
                        text=end_text if last else "",
                        text_x=_n(x + width + 4),
                        text_y=_n(y + bar_height - 2.5),
                    )
                )
                x += width
        else:
            for index, value in enumerate(values):
                width = max(0.0, value * scale)
                bar_y = y + index * bar_height
                bars.append(
                    ChartBar(
                        x=_n(x0),
                        y=_n(bar_y),
                        width=_n(width),
                        height=_n(bar_height - 1),
                        colour=COLOURS[index % len(COLOURS)],
                        text=value_text(value),
                        text_x=_n(x0 + width + 4),
                        text_y=_n(bar_y + bar_height - 2),
                    )
                )
        chart_rows.append(ChartRow(label=_short(label), label_y=_n(y + per_row / 2 + 3), bars=bars))
        y += row_height
    ticks = [
        ChartTick(x=_n(x0 + PLOT_WIDTH * step / 4), label=tick_text(top * step / 4))
        for step in range(5)
    ]
    return Chart(
        title=title,
        width=CHART_WIDTH,
        height=int(y + 4),
        plot_top=_n(TOP - 4),
        plot_bottom=_n(y - 4),
        label_x=_n(LABEL_WIDTH),
        rows=chart_rows,
        ticks=ticks,
        legend=[(COLOURS[i % len(COLOURS)], name) for i, name in enumerate(series)],
    )


def _percent_text(value) -> str:
    return f"{formats.number_format(value, 0)}%"


def _millions_text(value) -> str:
    return _("Rp %(amount)s jt") % {
        "amount": formats.number_format(Decimal(str(value)) / 1_000_000, 1, force_grouping=True)
    }


def _score_text(value) -> str:
    return formats.number_format(value, 1)


CHART_UNITS = 15
CHART_PROGRAMMES = 12
CHART_OFFERINGS = 12


def report_charts(data: selectors.MonthlyReportData) -> dict[str, Chart | None]:
    """The report's charts, built from figures already computed (no queries)."""
    units = sorted(
        (u for u in data.compliance.units if u.pns_total),
        key=lambda u: (u.pns_rate, u.unit_name),
    )[:CHART_UNITS]
    compliance = bar_chart(
        title=_("Capaian target JP PNS per unit (unit dengan capaian terendah)"),
        rows=[
            (
                u.unit_name,
                [float(u.pns_met * 100 / u.pns_total), float(u.pns_below * 100 / u.pns_total)],
                _percent_text(u.pns_rate),
            )
            for u in units
        ],
        series=[_("Memenuhi target"), _("Di bawah target")],
        max_value=100,
        stacked=True,
        tick_text=_percent_text,
    )
    statuses = [s for s in data.participation.by_status if s.count]
    participation = bar_chart(
        title=_("Pendaftaran menurut status"),
        rows=[(s.label, [float(s.count)]) for s in statuses],
        series=[_("Pendaftaran")],
    )
    programmes = sorted(data.budget.programmes, key=lambda p: (-p.planned, p.title))[
        :CHART_PROGRAMMES
    ]
    budget = bar_chart(
        title=_("Anggaran direncanakan dan realisasi tahun berjalan per program"),
        rows=[(p.title, [float(p.planned), float(p.realised_year)]) for p in programmes],
        series=[_("Anggaran direncanakan"), _("Realisasi s.d. bulan ini")],
        value_text=_millions_text,
    )
    tested = [o for o in data.evaluation.offerings if o.tested][:CHART_OFFERINGS]
    evaluation = bar_chart(
        title=_("Rata-rata pre-test dan post-test angkatan yang selesai"),
        rows=[
            (f"{o.program_title} – {o.name}", [float(o.pre_mean), float(o.post_mean)])
            for o in tested
        ],
        series=[_("Pre-test"), _("Post-test")],
        max_value=100,
        value_text=_score_text,
        tick_text=lambda v: formats.number_format(v, 0),
    )
    return {
        "compliance": compliance,
        "participation": participation,
        "budget": budget,
        "evaluation": evaluation,
    }


# --- PDF ---------------------------------------------------------------------------------------


def report_render_html(*, data: selectors.MonthlyReportData, generated_at: dt.datetime) -> str:
    return render_to_string(
        "evaluations/report/monthly.html",
        {
            "data": data,
            "region": data.region,
            "period": data.period,
            "period_label": period_label(data.period),
            "generated_at": generated_at,
            "provisional": not period_is_over(data.period, at=generated_at),
            "charts": report_charts(data),
            "flag_fill": selectors.FLAG_FILL_RATE_BELOW,
            "flag_no_show": selectors.FLAG_NO_SHOW_RATE_ABOVE,
            # Sections of the apps beside this one (the yearly plan's absorption).
            "extra_sections": build_report_sections(region=data.region, period=data.period),
        },
    )


def report_render_pdf(*, data: selectors.MonthlyReportData, generated_at: dt.datetime) -> bytes:
    """The report as PDF bytes, in the portal's language (the file is shared by all admins)."""
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = report_render_html(data=data, generated_at=generated_at)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def report_build_pdf(*, region: Region, period: dt.date, progress=None) -> bytes:
    """Compute the figures and render the PDF (no storage): what the benchmark times."""
    data = selectors.report_monthly_data(region=region, period=period, progress=progress)
    pdf = report_render_pdf(data=data, generated_at=timezone.now())
    if progress is not None:
        progress(6)
    return pdf


# --- Stored reports ----------------------------------------------------------------------------


def report_filename(*, region: Region, period: dt.date) -> str:
    return f"laporan-bulanan-{region.slug}-{period:%Y-%m}.pdf"


def report_generate(
    *, region: Region, period: dt.date, regenerate: bool = False, progress=None
) -> tuple[RegionReport, bool]:
    """The monthly report of `period`, made and stored if needed; returns (report, written).

    Nothing is written when a final report exists, unless `regenerate` (on demand). A
    provisional report (made before the month ended) is replaced. Two workers racing on a
    missing report create one row: the loser deletes its file and returns the winner's row.
    """
    period = selectors.month_start(period)
    existing = RegionReport.objects.filter(region=region, kind=MONTHLY, period=period).first()
    if existing is not None and not regenerate and report_is_final(existing):
        return existing, False

    pdf = report_build_pdf(region=region, period=period, progress=progress)
    name = report_filename(region=region, period=period)
    if existing is None:
        report = RegionReport(region=region, kind=MONTHLY, period=period)
        report.file.save(name, ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            report.file.storage.delete(report.file.name)
            winner = RegionReport.objects.get(region=region, kind=MONTHLY, period=period)
            return winner, False
        created = report
    else:
        created = _replace_file(existing, name, pdf)
    if progress is not None:
        progress(REPORT_STEPS)
    return created, True


def _replace_file(report: RegionReport, name: str, pdf: bytes) -> RegionReport:
    """Store the new PDF and swap it in with a compare-and-swap on the old file name; the file
    that lost (the old one, or ours when another worker swapped first) is deleted."""
    storage = report.file.storage
    old_name = report.file.name
    new_name = storage.save(report_upload_to(report, name), ContentFile(pdf))
    swapped = RegionReport.objects.filter(pk=report.pk, file=old_name).update(
        file=new_name, generated_at=timezone.now()
    )
    storage.delete(old_name if swapped else new_name)
    report.refresh_from_db()
    return report


# --- Email -------------------------------------------------------------------------------------


def _base_url() -> str:
    return site.base_url()


def report_recipients(*, region: Region) -> list[str]:
    """Email addresses of the region's admins (the login's email, else the employee's)."""
    rows = (
        Membership.objects.filter(region=region, role=Membership.Role.ADMIN, user__is_active=True)
        .order_by("user_id")
        .values_list("user__email", "user__employee__email")
    )
    emails = []
    for user_email, employee_email in rows:
        email = (user_email or employee_email or "").strip().lower()
        if email and email not in emails:
            emails.append(email)
    return emails


def report_email(*, report: RegionReport) -> bool:
    """Email the report PDF to the region's admins, once.

    The send is claimed by setting `emailed_at` where it is still empty (compare-and-swap):
    whoever claims it sends; a second run, a retry or a second worker finds it claimed and
    sends nothing. If sending fails the claim is released, so a retry can send.
    """
    now = timezone.now()
    claimed = RegionReport.objects.filter(pk=report.pk, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if not claimed:
        return False
    region = report.region
    try:
        recipients = report_recipients(region=region)
        if not recipients:
            logger.warning("Monthly report %s: region %s has no admin email", report.pk, region)
            RegionReport.objects.filter(pk=report.pk, emailed_at=now).update(emailed_at=None)
            return False
        with report.file.open("rb") as handle:
            content = handle.read()
        with translation.override(settings.LANGUAGE_CODE):
            label = period_label(report.period)
            subject = _("Laporan bulanan %(period)s – %(agency)s") % {
                "period": label,
                "agency": region.agency_name,
            }
            body = render_to_string(
                "evaluations/email/monthly_report.txt",
                {
                    "region": region,
                    "period_label": label,
                    "url": _base_url()
                    + reverse("evaluations:report_list", kwargs={"region_slug": region.slug}),
                },
            )
        message = EmailMessage(
            subject=subject, body=body, to=recipients, from_email=settings.DEFAULT_FROM_EMAIL
        )
        message.attach(
            report_filename(region=region, period=report.period), content, PDF_CONTENT_TYPE
        )
        message.send()
    except Exception:
        RegionReport.objects.filter(pk=report.pk, emailed_at=now).update(emailed_at=None)
        raise
    report.emailed_at = now
    return True


def monthly_report_run(*, region: Region, period: dt.date) -> RegionReport:
    """The scheduled run for one region: make the report if needed, then email it once."""
    report, _written = report_generate(region=region, period=period)
    report_email(report=report)
    return report
