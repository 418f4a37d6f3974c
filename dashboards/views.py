"""Dashboard pages: the ASN's, the supervisor's team, the region's, the national comparison
and the recognition list. Thin: filters are parsed here, figures come from the registered
sections (dashboards.sections) and selectors, writes from dashboards.services.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.models import BackgroundJob
from evaluations.services import jobs as job_services
from kompetensi.views import paginate, query_without_page, safe_next_url
from regions.mfa import admin_only
from regions.models import Golongan, PositionType, Unit
from regions.permissions import region_admin_required, region_employee_required, supervisor_required
from training.forms.enrolment import DecisionForm
from training.selectors import enrolment as enrolment_selectors
from training.services import enrolment as enrolment_services

from . import exports, people, refresh
from .caching import cached
from .forms import RecognitionForm
from .national_tables import national_charts, national_table
from .sections import Column, DashboardContext, build_sections, find_table, national_figures
from .selectors import jp as jp_selectors
from .selectors import recognition as recognition_selectors
from .selectors import version as version_selectors
from .services import recognition as recognition_services

FIRST_YEAR = people.FIRST_YEAR
DASHBOARD_SLUGS = {"saya": "asn", "tim": "team", "wilayah": "region"}


def _year(request) -> int:
    """`?tahun=`: a year from FIRST_YEAR to next year; this year when missing or odd."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        return this_year
    return year if FIRST_YEAR <= year <= this_year + 1 else this_year


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 5, -1))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _units(region) -> list[Unit]:
    return list(
        Unit.objects.filter(region=region, is_active=True).order_by("name").only("id", "name")
    )


def _unit_id(request, units: list[Unit]) -> int | None:
    unit_id = _int(request.GET.get("unit"))
    return unit_id if unit_id in {u.pk for u in units} else None


def region_dashboard_required(view):
    """Region admins and the national viewer (read-only) see the region's dashboard."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access = getattr(request, "access", None)
        if access is None or not access.can_view_region_reports:
            raise PermissionDenied(
                _("Dasbor wilayah hanya untuk admin BKPSDM dan peninjau nasional.")
            )
        return view(request, *args, **kwargs)

    return admin_only(wrapped)


def _context(request, dashboard: str, *, year: int, unit_id: int | None = None):
    access = request.access
    return DashboardContext(
        dashboard=dashboard,
        year=year,
        today=timezone.localdate(),
        region=request.region,
        access=access,
        employee=access.employee,
        unit_id=unit_id,
    )


def _filters(request, year: int, units=None, unit_id=None) -> dict:
    return {
        "year": year,
        "years": _years(),
        "units": units,
        "unit_id": unit_id,
        "query": urlencode({"tahun": year, **({"unit": unit_id} if unit_id else {})}),
    }


# --- ASN and team ------------------------------------------------------------------------------


@region_employee_required
def asn_dashboard(request, region_slug):
    year = _year(request)
    ctx = _context(request, "asn", year=year)
    return render(
        request,
        "dashboards/asn.html",
        {
            "sections": build_sections(ctx),
            "filters": _filters(request, year),
            "export_url": reverse("dashboards:export_asn", kwargs={"region_slug": region_slug}),
            "employee": request.access.employee,
        },
    )


@supervisor_required
def team_dashboard(request, region_slug):
    year = _year(request)
    ctx = _context(request, "team", year=year)
    return render(
        request,
        "dashboards/team.html",
        {
            "sections": build_sections(ctx),
            "filters": _filters(request, year),
            "export_url": reverse("dashboards:export_team", kwargs={"region_slug": region_slug}),
            "decision_form": DecisionForm(),
        },
    )


def team_approve(request, region_slug, enrolment_id):
    """Approve one subordinate's request from the team dashboard (rejecting needs a reason:
    the request's own page). Only the employee's direct supervisor finds it (else 404)."""
    supervisor = request.access.employee
    if supervisor is None:
        raise Http404(_("Permohonan tidak ditemukan."))
    try:
        enrolment = enrolment_selectors.enrolment_detail(
            region=request.region, pk=enrolment_id, supervisor=supervisor
        )
    except enrolment_selectors.Enrolment.DoesNotExist as exc:
        raise Http404(_("Permohonan tidak ditemukan.")) from exc
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = reverse("dashboards:team", kwargs={"region_slug": region_slug})
    try:
        enrolment = enrolment_services.enrolment_approve(
            enrolment=enrolment, actor=request.user, by_admin=False, reason=""
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if enrolment.status == enrolment.Status.WAITLISTED:
        messages.warning(
            request,
            _("%(name)s disetujui; kuota penuh sehingga masuk daftar tunggu.")
            % {"name": enrolment.employee.name},
        )
    elif enrolment.status == enrolment.Status.REJECTED:
        messages.error(
            request,
            _("%(name)s tidak dapat diterima: kuota penuh.") % {"name": enrolment.employee.name},
        )
    else:
        messages.success(
            request,
            _("%(name)s disetujui dan terkonfirmasi.") % {"name": enrolment.employee.name},
        )
    return redirect(back)


# --- Region ------------------------------------------------------------------------------------


@region_dashboard_required
def region_dashboard(request, region_slug):
    year = _year(request)
    units = _units(request.region)
    unit_id = _unit_id(request, units)
    ctx = _context(request, "region", year=year, unit_id=unit_id)
    sections = refresh.region_sections(ctx)
    return render(
        request,
        "dashboards/region.html",
        {
            "sections": sections,
            "computed_at": ctx.extra["computed_at"],
            "stale": ctx.extra["stale"],
            "filters": _filters(request, year, units, unit_id),
            "export_url": reverse("dashboards:export_region", kwargs={"region_slug": region_slug}),
            "unit_name": next((u.name for u in units if u.pk == unit_id), ""),
        },
    )


PEOPLE_TITLES = people.PEOPLE_TITLES


@region_admin_required
def region_people(request, region_slug):
    """The employees behind a figure of the region dashboard, filtered like it; CSV/XLSX with
    `?format=`: in the request up to KOMPETENSI_EXPORT_INLINE_MAX_ROWS rows, by a background
    job above it (its progress page). Names are personal data: the region's admins only
    (national viewers read the aggregate dashboard)."""
    year = _year(request)
    units = _units(request.region)
    unit_id = _unit_id(request, units)
    category = request.GET.get("kategori", "below")
    if category not in jp_selectors.CATEGORIES:
        category = "below"
    golongan = _int(request.GET.get("golongan"))
    if golongan not in Golongan.values:
        golongan = None
    position_type = request.GET.get("jabatan", "")
    if position_type not in PositionType.values:
        position_type = ""
    filters = people.PeopleFilters(
        year=year,
        category=category,
        unit_id=unit_id,
        golongan=golongan,
        position_type=position_type,
    )
    employees = filters.queryset(request.region)
    title = PEOPLE_TITLES[category]
    if "format" in request.GET:
        return _people_export(request, filters, employees)
    page = paginate(request, employees)
    return render(
        request,
        "dashboards/region_people.html",
        {
            "page": page,
            "title": title,
            "category": category,
            "categories": PEOPLE_TITLES,
            "filters": _filters(request, year, units, unit_id),
            "golongan": golongan,
            "golongan_label": dict(Golongan.choices).get(golongan, ""),
            "position_type": position_type,
            "position_label": dict(PositionType.choices).get(position_type, ""),
            "target": request.region.jp_target,
            "query": query_without_page(request),
            "export_query": urlencode(
                {
                    k: v
                    for k, v in request.GET.items()
                    if k in ("kategori", "tahun", "unit", "golongan", "jabatan")
                }
            ),
            "inline_max_rows": people.inline_max_rows(),
        },
    )


def _people_export(request, filters: people.PeopleFilters, employees):
    """A short list is downloaded at once; a longer one (one COUNT query decides) becomes a
    background job and the browser goes to its progress page. A refusal (bad format, too many
    unfinished jobs) goes back to the list with its message."""
    list_url = reverse("dashboards:region_people", kwargs={"region_slug": request.region.slug})
    list_url += "?" + urlencode(filters.query())
    fmt = request.GET.get("format", "")
    if fmt not in exports.FORMATS:
        messages.error(request, _("Pilih format berkas: CSV atau XLSX."))
        return redirect(list_url)
    if employees.count() <= people.inline_max_rows():
        return exports.download(
            columns=people.PEOPLE_COLUMNS,
            rows=people.people_rows(employees),
            fmt=fmt,
            filename=f"{filters.title} {filters.year}",
            title=filters.title,
        )
    try:
        job = job_services.job_start(
            region=request.region,
            user=request.user,
            kind=people.PEOPLE_EXPORT,
            params=filters.job_params(fmt),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        return redirect(list_url)
    # Tasks may run in-process (no broker): say what is true now.
    job.refresh_from_db(fields=["status"])
    if job.status == BackgroundJob.Status.DONE:
        messages.success(request, _("Berkas daftar pegawai siap diunduh."))
    elif job.status != BackgroundJob.Status.FAILED:
        messages.info(
            request,
            _(
                "Daftar ini panjang, sehingga berkasnya disiapkan di latar belakang. Halaman ini "
                "menampilkan kemajuannya; Anda juga akan diberi tahu bila berkasnya siap."
            ),
        )
    return redirect("evaluations:job_detail", region_slug=request.region.slug, job_id=job.pk)


def dashboard_export(request, region_slug, dashboard):
    """One table of a dashboard as CSV or XLSX: `?tabel=<key>&format=csv|xlsx&tahun=`."""
    kind = DASHBOARD_SLUGS.get(dashboard)
    if kind is None:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    access = request.access
    allowed = {
        "asn": access.employee is not None,
        "team": access.is_supervisor,
        "region": access.can_view_region_reports,
    }[kind]
    if not allowed:
        raise PermissionDenied(_("Anda tidak dapat mengunduh tabel dasbor ini."))
    fmt = request.GET.get("format", "")
    if fmt not in exports.FORMATS:
        return HttpResponse(_("Pilih format berkas: CSV atau XLSX."), status=400)
    year = _year(request)
    unit_id = None
    if kind == "region":
        unit_id = _unit_id(request, _units(request.region))
    version = None
    if kind == "region":
        version = version_selectors.data_version(region=request.region)
    table = find_table(
        build_sections(_context(request, kind, year=year, unit_id=unit_id), version=version),
        request.GET.get("tabel", ""),
    )
    if table is None:
        raise Http404(_("Tabel tidak ditemukan."))
    return exports.download(
        columns=list(table.columns),
        rows=table.rows,
        fmt=fmt,
        filename=f"{table.title} {year}",
        title=table.title,
    )


# --- National ----------------------------------------------------------------------------------

NATIONAL_SORTS = {
    "wilayah": lambda r: r.region.name,
    "asn": lambda r: r.asn,
    "memenuhi": lambda r: r.met_rate,
    "rata_jp": lambda r: r.mean_jp,
    "partisipasi": lambda r: r.participation_rate,
    "penyelesaian": lambda r: r.completion_rate,
    "serapan": lambda r: r.absorption,
}

# Sort key of the URL → the table column it sorts.
NATIONAL_SORT_COLUMNS = {
    "wilayah": "region",
    "asn": "asn",
    "memenuhi": "met_rate",
    "rata_jp": "mean_jp",
    "partisipasi": "participation",
    "penyelesaian": "completion",
    "serapan": "absorption",
}


@login_required
def national_dashboard(request):
    """Every region side by side (national viewers only; anyone else: 404)."""
    if not request.user.is_national_viewer:
        raise Http404
    year = _year(request)
    rows, computed_at, stale = refresh.national_rows(year=year)
    figures = national_figures()
    for figure in figures:
        values = figure.compute(year)
        for row in rows:
            row.extra[figure.key] = values.get(row.region.pk)
    sort = request.GET.get("urut", "memenuhi")
    if sort not in NATIONAL_SORTS:
        sort = "memenuhi"
    descending = request.GET.get("arah", "turun" if sort != "wilayah" else "naik") == "turun"
    key = NATIONAL_SORTS[sort]
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    rows = sorted(present, key=key, reverse=descending) + missing
    table = national_table(rows, figures, year=year)
    fmt = request.GET.get("format", "")
    if fmt in exports.FORMATS:
        return exports.download(
            columns=list(table.columns),
            rows=table.rows,
            fmt=fmt,
            filename=f"{table.title} {year}",
            title=table.title,
        )
    sort_of = {column: key for key, column in NATIONAL_SORT_COLUMNS.items()}
    headers = [
        {
            "column": column,
            "sort": sort_of.get(column.key),
            "current": sort_of.get(column.key) == sort,
            "next": "naik" if sort_of.get(column.key) == sort and descending else "turun",
        }
        for column in table.columns
    ]
    return render(
        request,
        "dashboards/national.html",
        {
            "headers": headers,
            "computed_at": computed_at,
            "stale": stale,
            "rows": rows,
            "figures": figures,
            "table": table,
            "charts": national_charts(table),
            "filters": _filters(request, year),
            "sort": sort,
            "descending": descending,
        },
    )


# --- Recognition -------------------------------------------------------------------------------


@login_required
@admin_only  # the criteria form: an admin without the second factor is sent to it first
def recognition(request, region_slug):
    """The recognition list: admins set its criteria, preview, publish and withdraw it; every
    member of the region sees it once published (a list of names: not for national viewers)."""
    access = request.access
    if not access.is_member:
        raise PermissionDenied(_("Daftar penghargaan hanya untuk pegawai wilayah ini."))
    year = _year(request)
    stored = recognition_selectors.recognition_get(region=request.region, year=year)
    settings = stored or recognition_selectors.recognition_default(region=request.region, year=year)
    form = None
    if access.is_admin:
        form = RecognitionForm(request.POST or None, settings=settings)
        if request.method == "POST" and form.is_valid():
            try:
                recognition_services.recognition_settings_save(
                    region=request.region, year=year, **form.cleaned_settings()
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Kriteria daftar penghargaan disimpan."))
            return redirect(_recognition_url(region_slug, year))
    elif request.method == "POST":
        raise PermissionDenied(_("Hanya admin BKPSDM yang dapat mengatur daftar penghargaan."))
    published = settings.is_published
    if published:
        groups = recognition_selectors.published(recognition=settings)
    elif access.is_admin:
        groups = cached(
            name="recognition-preview",
            parts=(
                request.region.pk,
                year,
                settings.criterion,
                settings.size,
                settings.per_unit,
                settings.min_jp,
            ),
            version=version_selectors.data_version(region=request.region)
            + f".{recognition_selectors.opt_out_version(region=request.region)}",
            compute=lambda: recognition_selectors.preview(region=request.region, settings=settings),
        ).value
    else:
        groups = []
    return render(
        request,
        "dashboards/recognition.html",
        {
            "form": form,
            "settings": settings,
            "published": published,
            "groups": groups,
            "filters": _filters(request, year),
            "can_manage": access.is_admin,
            "sees_names": access.is_admin,
            "me": access.employee,
            "opted_out": recognition_selectors.is_opted_out(employee=access.employee)
            if access.employee
            else False,
        },
    )


def _recognition_url(region_slug: str, year: int) -> str:
    return reverse("dashboards:recognition", kwargs={"region_slug": region_slug}) + f"?tahun={year}"


def _post_year(request) -> int:
    this_year = timezone.localdate().year
    year = _int(request.POST.get("tahun"))
    return year if year and FIRST_YEAR <= year <= this_year + 1 else this_year


@region_admin_required
@require_POST
def recognition_publish(request, region_slug):
    year = _post_year(request)
    try:
        recognition_services.recognition_publish(
            region=request.region, year=year, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Daftar penghargaan %(year)s diterbitkan; seluruh ASN wilayah ini dapat melihatnya.")
            % {"year": year},
        )
    return redirect(_recognition_url(region_slug, year))


@region_admin_required
@require_POST
def recognition_withdraw(request, region_slug):
    year = _post_year(request)
    try:
        recognition_services.recognition_withdraw(
            region=request.region, year=year, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Daftar penghargaan %(year)s ditarik.") % {"year": year})
    return redirect(_recognition_url(region_slug, year))


@region_employee_required
@require_POST
def recognition_opt_out(request, region_slug):
    opted_out = request.POST.get("sembunyikan") == "1"
    recognition_services.opt_out_set(employee=request.access.employee, opted_out=opted_out)
    if opted_out:
        messages.success(
            request, _("Nama Anda tidak akan ditampilkan kepada rekan kerja di daftar penghargaan.")
        )
    else:
        messages.success(request, _("Nama Anda dapat ditampilkan di daftar penghargaan."))
    return redirect(
        safe_next_url(
            request, reverse("dashboards:recognition", kwargs={"region_slug": region_slug})
        )
    )


@region_admin_required
def recognition_export(request, region_slug):
    year = _year(request)
    fmt = request.GET.get("format", "")
    if fmt not in exports.FORMATS:
        return HttpResponse(_("Pilih format berkas: CSV atau XLSX."), status=400)
    stored = recognition_selectors.recognition_get(region=request.region, year=year)
    settings = stored or recognition_selectors.recognition_default(region=request.region, year=year)
    groups = (
        recognition_selectors.published(recognition=settings)
        if settings.is_published
        else recognition_selectors.preview(region=request.region, settings=settings)
    )
    columns = [
        Column("group", _("Kelompok")),
        Column("rank", _("Peringkat"), "int"),
        Column("nip", "NIP"),
        Column("name", _("Nama")),
        Column("unit", _("Unit kerja")),
        Column("jp", _("JP terverifikasi"), "decimal"),
        Column("programmes", _("Kegiatan selesai"), "int"),
        Column("reached", _("Target tercapai pada"), "date"),
        Column("opt_out", _("Tidak ingin ditampilkan")),
    ]
    rows = [
        (
            f"{g.label}{' · ' + g.unit.name if g.unit else ''}",
            p.rank,
            p.employee.nip,
            p.employee.name,
            p.unit.name if p.unit else "",
            p.verified_jp,
            p.programmes,
            p.reached_on,
            _("Ya") if p.opted_out else "",
        )
        for g in groups
        for p in g.people
    ]
    return exports.download(
        columns=columns,
        rows=rows,
        fmt=fmt,
        filename=f"{_('daftar penghargaan')} {year}",
        title=_("Penghargaan"),
    )


@region_admin_required
def recognition_certificate(request, region_slug, entry_id):
    entry = recognition_selectors.entry_get(region=request.region, entry_id=entry_id)
    if entry is None:
        raise Http404(_("Penerima penghargaan tidak ditemukan."))
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    pdf = recognition_services.appreciation_pdf(entry=entry, region=request.region)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="piagam-penghargaan-{entry.recognition.year}-{entry.employee.nip}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
