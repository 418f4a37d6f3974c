"""Pages of reports and background jobs: exports, the background employee import, the job
list and progress pages, and the monthly reports.

Views are thin: forms check shape, evaluations.services start jobs, evaluations.selectors read.
A job is only ever shown to the admin who started it, inside its region; a report to the
region's admins and the national viewer. Anything else is a 404.
"""

import contextlib
import datetime as dt
import os
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from kompetensi.views import paginate
from regions import imports
from regions.mfa import admin_only
from regions.permissions import region_admin_required
from training.models import Offering

from . import exports, selectors
from .forms import BackgroundImportForm, ExportForm, ReportGenerateForm
from .models import BackgroundJob
from .services import jobs as job_services
from .services import reports as report_services

UNFINISHED = job_services.UNFINISHED


def region_reports_required(view):
    """Region admins and the national viewer (read-only) see the region's reports."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access = getattr(request, "access", None)
        if access is None or not access.can_view_region_reports:
            raise PermissionDenied(_("Halaman ini hanya untuk admin BKPSDM wilayah ini."))
        return view(request, *args, **kwargs)

    return admin_only(wrapped)


def _get_only(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return None


def _own_job(request, job_id) -> BackgroundJob:
    job = selectors.job_get_for_user(region=request.region, user=request.user, job_id=job_id)
    if job is None:
        raise Http404(_("Proses tidak ditemukan."))
    return job


def _start(request, form, *, kind: str, params: dict):
    """Start a job from a valid form; on a refusal, the message goes onto the form."""
    try:
        job = job_services.job_start(
            region=request.region, user=request.user, kind=kind, params=params
        )
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None
    return job


def _started(request, job):
    # A job may have finished already (tasks run in-process): say what is true now.
    job.refresh_from_db(fields=["status"])
    label = job_services.job_kind_label(job.kind)
    if job.status == BackgroundJob.Status.DONE:
        messages.success(request, _("%(job)s selesai.") % {"job": label})
    elif job.status != BackgroundJob.Status.FAILED:
        messages.info(
            request,
            _("%(job)s sedang diproses. Halaman ini menampilkan kemajuannya.") % {"job": label},
        )
    return redirect("evaluations:job_detail", region_slug=request.region.slug, job_id=job.pk)


# --- Exports -----------------------------------------------------------------------------------


@region_admin_required
def export_start(request, region_slug):
    # Batches of the last three years and planned ones: older ones are exported by year.
    since = dt.date(timezone.localdate().year - 2, 1, 1)
    offerings = (
        Offering.objects.filter(region=request.region, start_date__gte=since)
        .select_related("program")
        .only("id", "name", "start_date", "program__title")
        .order_by("-start_date", "-id")
    )
    form = ExportForm(request.POST or None, offerings=offerings)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        job = _start(request, form, kind=kind, params=form.job_params())
        if job is not None:
            return _started(request, job)
    return render(request, "evaluations/export_form.html", {"form": form})


# --- Background employee import ----------------------------------------------------------------


@region_admin_required
def employee_import_background(request, region_slug):
    form = BackgroundImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = job_services.employee_import_start(
                region=request.region, user=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _started(request, job)
    return render(
        request,
        "evaluations/employee_import.html",
        {
            "form": form,
            "columns": imports.COLUMNS.items(),
            "required_columns": imports.REQUIRED_COLUMNS,
        },
    )


# --- Jobs --------------------------------------------------------------------------------------


@region_admin_required
def job_list(request, region_slug):
    page = paginate(request, selectors.job_list_for_user(region=request.region, user=request.user))
    for job in page.object_list:
        _describe(job, request.region)
    context = {
        "page": page,
        "polling": any(job.status in UNFINISHED for job in page.object_list),
    }
    if request.htmx:
        return render(request, "evaluations/_job_table.html", context)
    return render(request, "evaluations/job_list.html", context)


def _describe(job: BackgroundJob, region) -> BackgroundJob:
    """Attach what the templates show: the kind's label, a report job's month, and a
    registered kind's description and link back (`job_services.JobKind`)."""
    job.label = job_services.job_kind_label(job.kind)
    extras = job_services.job_kind_extras(job, region)
    job.description, job.back = extras["description"], extras["back"]
    job.period_label = ""
    if job.kind == job_services.MONTHLY_REPORT:
        with contextlib.suppress(ValueError):
            job.period_label = report_services.period_label(
                dt.date.fromisoformat(job.params.get("period", ""))
            )
    return job


def _job_context(request, job: BackgroundJob) -> dict:
    report = None
    if job.kind == job_services.MONTHLY_REPORT and job.status == BackgroundJob.Status.DONE:
        report = selectors.report_get(
            region=request.region, report_id=job.result.get("report_id") or 0
        )
    _describe(job, request.region)
    return {
        "job": job,
        "label": job.label,
        "report": report,
        "errors": (job.result.get("errors") or [])[:500],
        "unfinished": job.status in UNFINISHED,
    }


@region_admin_required
def job_detail(request, region_slug, job_id):
    job = _own_job(request, job_id)
    if refused := _get_only(request):
        return refused
    return render(request, "evaluations/job_detail.html", _job_context(request, job))


@region_admin_required
def job_status(request, region_slug, job_id):
    """The status card alone, polled by htmx every second until the job is finished."""
    job = _own_job(request, job_id)
    if refused := _get_only(request):
        return refused
    return render(request, "evaluations/_job_status.html", _job_context(request, job))


@region_admin_required
def job_download(request, region_slug, job_id):
    job = _own_job(request, job_id)
    if refused := _get_only(request):
        return refused
    if job.status != BackgroundJob.Status.DONE or not job.result_file:
        raise Http404(_("Berkas belum tersedia."))
    try:
        handle = job.result_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("Berkas tidak ditemukan.")) from exc
    fmt = job.params.get("format", "")
    content_type = exports.FORMATS.get(fmt, ("application/octet-stream",))[0]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(job.result_file.name),
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Reports -----------------------------------------------------------------------------------


@region_reports_required
def report_list(request, region_slug):
    can_generate = request.access.is_admin
    form = ReportGenerateForm(request.POST or None) if can_generate else None
    if request.method == "POST":
        if not can_generate:
            raise PermissionDenied(_("Hanya admin BKPSDM yang dapat membuat laporan."))
        if form.is_valid():
            job = _start(
                request,
                form,
                kind=job_services.MONTHLY_REPORT,
                params={"period": form.cleaned_data["period"]},
            )
            if job is not None:
                return _started(request, job)
    page = paginate(request, selectors.report_list(region=request.region))
    for report in page.object_list:
        report.is_final = report_services.report_is_final(report)
    return render(
        request,
        "evaluations/report_list.html",
        {
            "page": page,
            "form": form,
            "running": list(
                selectors.report_jobs_running(region=request.region, user=request.user)[:5]
            )
            if can_generate
            else [],
        },
    )


@region_reports_required
def report_download(request, region_slug, report_id):
    report = selectors.report_get(region=request.region, report_id=report_id)
    if report is None or not report.file:
        raise Http404(_("Laporan tidak ditemukan."))
    if refused := _get_only(request):
        return refused
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("Berkas laporan tidak ditemukan.")) from exc
    response = FileResponse(
        handle,
        as_attachment=request.GET.get("unduh") == "1",
        filename=report_services.report_filename(region=request.region, period=report.period),
        content_type=report_services.PDF_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
