"""BKPSDM admin pages of one region: units, employees and the employee import.

Views stay thin: they parse input with the forms in `forms_admin`, read with `selectors`,
write with `services` / `imports`, and put a service's ValidationError back on the form.
Objects are always looked up inside the request's region, so another region's id is a 404
(before the method is even considered).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompetensi.forms import apply_validation_error
from kompetensi.views import (
    ACTIVE_STATUSES,
    active_status,
    id_param,
    paginate,
    query_without_page,
    safe_next_url,
    toggle_active,
)

from . import imports, selectors, services
from .forms_admin import EmployeeForm, EmployeeImportForm, UnitForm
from .models import Employee, Unit
from .permissions import region_admin_required

# --- Helpers -----------------------------------------------------------------------------------


def _post_data(request):
    """Bind forms on POST only (an empty POST still shows the required fields' errors)."""
    return request.POST if request.method == "POST" else None


def _back_url(request, default: str) -> str:
    """The list the admin came from (with its filters) if `next` is safe, else `default`."""
    return safe_next_url(request, reverse(default, kwargs={"region_slug": request.region.slug}))


def _redirect_back(request, default: str):
    return redirect(_back_url(request, default))


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _get_unit(request, pk) -> Unit:
    return get_object_or_404(Unit.objects.select_related("parent"), region=request.region, pk=pk)


def _get_employee(request, pk) -> Employee:
    return get_object_or_404(
        Employee.objects.select_related("unit", "supervisor", "user"),
        region=request.region,
        pk=pk,
    )


# --- Units -------------------------------------------------------------------------------------


@region_admin_required
def unit_list(request, region_slug):
    search = request.GET.get("q", "").strip()
    status = active_status(request)
    units = selectors.unit_list(
        region=request.region, search=search, active=ACTIVE_STATUSES[status]
    )
    return render(
        request,
        "regions/admin/unit_list.html",
        {
            "page": paginate(request, units),
            "search": search,
            "status": status,
            "query": query_without_page(request),
        },
    )


@region_admin_required
def unit_create(request, region_slug):
    form = UnitForm(_post_data(request), region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(region=request.region, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Unit %(name)s berhasil ditambahkan.") % {"name": unit})
            return redirect("region:unit_list", region_slug=region_slug)
    return render(request, "regions/admin/unit_form.html", {"form": form, "unit": None})


@region_admin_required
def unit_edit(request, region_slug, pk):
    unit = _get_unit(request, pk)
    form = UnitForm(_post_data(request), region=request.region, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Unit %(name)s berhasil disimpan.") % {"name": unit})
            return redirect("region:unit_list", region_slug=region_slug)
    return render(request, "regions/admin/unit_form.html", {"form": form, "unit": unit})


@region_admin_required
def unit_toggle_active(request, region_slug, pk):
    """GET asks for confirmation; POST with `active=0|1` changes the status."""
    unit = _get_unit(request, pk)
    return toggle_active(
        request,
        obj=unit,
        subtitle=unit.code,
        kind=_("unit"),
        back_url=_back_url(request, "region:unit_list"),
        warning=_(
            "Unit nonaktif tidak dapat dipilih untuk pegawai baru. Unit yang masih "
            "memiliki pegawai aktif atau sub-unit aktif tidak dapat dinonaktifkan."
        ),
        set_active=lambda active: services.unit_set_active(unit=unit, active=active),
        activated=_("Unit %(name)s diaktifkan kembali."),
        deactivated=_("Unit %(name)s dinonaktifkan."),
    )


# --- Employees ---------------------------------------------------------------------------------


@region_admin_required
def employee_list(request, region_slug):
    search = request.GET.get("q", "").strip()
    unit_id = request.GET.get("unit", "")
    unit_id = id_param(unit_id)
    employment_type = request.GET.get("status", "")
    if employment_type not in Employee.EmploymentType.values:
        employment_type = ""
    include_inactive = request.GET.get("inactive") == "1"
    employees = selectors.employee_list(
        region=request.region,
        search=search,
        unit_id=unit_id,
        employment_type=employment_type,
        include_inactive=include_inactive,
    )
    return render(
        request,
        "regions/admin/employee_list.html",
        {
            "page": paginate(request, employees),
            "search": search,
            "unit_id": unit_id,
            "employment_type": employment_type,
            "include_inactive": include_inactive,
            "units": selectors.unit_choices(region=request.region),
            "employment_types": Employee.EmploymentType.choices,
            "query": query_without_page(request),
        },
    )


@region_admin_required
def employee_create(request, region_slug):
    form = EmployeeForm(_post_data(request), region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.employee_create(region=request.region, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Pegawai %(name)s berhasil ditambahkan.") % {"name": employee.name}
            )
            return redirect("region:employee_list", region_slug=region_slug)
    return render(request, "regions/admin/employee_form.html", {"form": form, "employee": None})


@region_admin_required
def employee_edit(request, region_slug, pk):
    employee = _get_employee(request, pk)
    form = EmployeeForm(_post_data(request), region=request.region, instance=employee)
    if request.method == "POST" and form.is_valid():
        try:
            services.employee_update(employee=employee, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Data pegawai %(name)s berhasil disimpan.") % {"name": employee.name}
            )
            return redirect("region:employee_list", region_slug=region_slug)
    return render(request, "regions/admin/employee_form.html", {"form": form, "employee": employee})


@region_admin_required
def employee_toggle_active(request, region_slug, pk):
    """GET asks for confirmation; POST with `active=0|1` changes the status."""
    employee = _get_employee(request, pk)
    return toggle_active(
        request,
        obj=employee,
        subtitle=employee.nip,
        kind=_("pegawai"),
        back_url=_back_url(request, "region:employee_list"),
        warning=_(
            "Pegawai nonaktif tidak dapat masuk ke portal, dan bawahannya tidak lagi "
            "memiliki atasan langsung tercatat."
        ),
        set_active=lambda active: services.employee_set_active(employee=employee, active=active),
        activated=_("Pegawai %(name)s diaktifkan kembali."),
        deactivated=_("Pegawai %(name)s dinonaktifkan."),
    )


@region_admin_required
def employee_invite(request, region_slug, pk):
    """POST: email the employee a link to set their password."""
    employee = _get_employee(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.employee_invite(employee=employee, request=request)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Undangan untuk mengatur kata sandi telah dikirim ke %(email)s.")
            % {"email": employee.email},
        )
    return _redirect_back(request, "region:employee_list")


# --- Import ------------------------------------------------------------------------------------

TEMPLATES = {
    "csv": (imports.employee_template_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (
        imports.employee_template_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}


@region_admin_required
def employee_import(request, region_slug):
    """Upload page; `?template=csv|xlsx` downloads an empty file with the expected columns."""
    template = request.GET.get("template")
    if request.method == "GET" and template in TEMPLATES:
        build, content_type, extension = TEMPLATES[template]
        response = HttpResponse(build(), content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="templat-impor-pegawai.{extension}"'
        )
        return response

    form = EmployeeImportForm(
        _post_data(request), request.FILES if request.method == "POST" else None
    )
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if (upload.size or 0) > imports.sync_max_bytes():
            # A large file never runs in the request: the background import checks and writes
            # it with a progress bar and the per-row error report.
            try:
                url = imports.background_import_start(
                    region=request.region, user=request.user, file=upload
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
                url = None
            if url is not None:
                messages.info(
                    request,
                    _(
                        "Berkas besar diimpor di latar belakang. Halaman ini menampilkan "
                        "kemajuannya dan, bila ada, daftar kesalahan per baris."
                    ),
                )
                return redirect(url)
    if request.method == "POST" and form.is_valid() and not form.errors:
        result = imports.employees_import(region=request.region, file=upload)
        if result.ok:
            messages.success(
                request,
                ngettext(
                    "%(count)d pegawai berhasil diimpor.",
                    "%(count)d pegawai berhasil diimpor.",
                    result.created,
                )
                % {"count": result.created},
            )
            return redirect("region:employee_list", region_slug=region_slug)
        for issue in result.file_errors:
            form.add_error("file", issue.message)
    return render(
        request,
        "regions/admin/employee_import.html",
        {
            "form": form,
            "result": result,
            "columns": imports.COLUMNS.items(),
            "required_columns": imports.REQUIRED_COLUMNS,
        },
    )
