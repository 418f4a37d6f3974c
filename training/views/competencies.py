"""Competency pages: the dictionary, position standards, assessed levels, "Kompetensi saya"
and a supervisor's view of a direct subordinate's gaps.

Views stay thin: forms parse, selectors read, services write; a service's ValidationError
goes back onto the form. Objects are looked up inside the request's region first, so
another region's id is a 404 whatever the method.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompetensi.forms import apply_validation_error
from kompetensi.views import (
    ACTIVE_STATUSES,
    active_status,
    paginate,
    query_without_page,
    toggle_active,
)
from regions.models import Employee, PositionType
from regions.nip import normalise_nip
from regions.permissions import region_admin_required, region_employee_required
from training.forms.competencies import (
    AssessmentForm,
    AssessmentImportForm,
    CompetencyForm,
    PositionStandardForm,
    StandardItemForm,
)
from training.models import Competency, CompetencyType, PositionStandard, PositionStandardItem
from training.selectors import competencies as selectors
from training.services import competencies as services

# --- Helpers -----------------------------------------------------------------------------------


def _get_competency(request, pk) -> Competency:
    try:
        return selectors.competency_get(region=request.region, pk=pk)
    except Competency.DoesNotExist as exc:
        raise Http404(_("Kompetensi tidak ditemukan.")) from exc


def _get_standard(request, pk) -> PositionStandard:
    try:
        return selectors.position_standard_get(region=request.region, pk=pk)
    except PositionStandard.DoesNotExist as exc:
        raise Http404(_("Standar jabatan tidak ditemukan.")) from exc


def _get_employee(request, pk) -> Employee:
    return get_object_or_404(
        Employee.objects.select_related("unit", "supervisor"), region=request.region, pk=pk
    )


def _program_url(region_slug: str, program) -> str | None:
    """The ASN catalogue's page of a programme (None if the catalogue has no such page)."""
    try:
        return reverse("training:catalogue_program", args=[region_slug, program.pk])
    except NoReverseMatch:
        return None


def _with_links(region_slug: str, programs):
    for program in programs:
        program.detail_url = _program_url(region_slug, program)
    return programs


# --- Competency dictionary ---------------------------------------------------------------------


@region_admin_required
def competency_list(request, region_slug):
    search = request.GET.get("q", "").strip()
    ctype = request.GET.get("type", "")
    if ctype not in CompetencyType.values:
        ctype = ""
    status = active_status(request)
    competencies = selectors.competency_list(
        region=request.region, search=search, type=ctype, active=ACTIVE_STATUSES[status]
    )
    return render(
        request,
        "training/competencies/competency_list.html",
        {
            "page": paginate(request, competencies),
            "search": search,
            "type": ctype,
            "status": status,
            "types": CompetencyType.choices,
            "query": query_without_page(request),
        },
    )


@region_admin_required
def competency_create(request, region_slug):
    form = CompetencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            competency = services.competency_create(region=request.region, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Kompetensi teknis %(name)s berhasil ditambahkan.") % {"name": competency},
            )
            return redirect("training:competency_detail", region_slug, competency.pk)
    return render(
        request, "training/competencies/competency_form.html", {"form": form, "competency": None}
    )


@region_admin_required
def competency_detail(request, region_slug, pk):
    competency = _get_competency(request, pk)
    return render(
        request,
        "training/competencies/competency_detail.html",
        {
            "competency": competency,
            "levels": list(competency.levels.all()),
            "usage": selectors.competency_usage(region=request.region, competency=competency),
        },
    )


def _refuse_national(request, competency):
    messages.error(
        request,
        _(
            "Kompetensi %(code)s adalah kompetensi nasional (PermenPAN-RB 38/2017) dan tidak "
            "dapat diubah oleh admin wilayah."
        )
        % {"code": competency.code},
    )
    return redirect("training:competency_detail", request.region.slug, competency.pk)


@region_admin_required
def competency_edit(request, region_slug, pk):
    competency = _get_competency(request, pk)
    if competency.is_national:
        return _refuse_national(request, competency)
    form = CompetencyForm(request.POST or None, competency=competency)
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_update(
                region=request.region, competency=competency, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Kompetensi %(name)s disimpan.") % {"name": competency})
            return redirect("training:competency_detail", region_slug, competency.pk)
    return render(
        request,
        "training/competencies/competency_form.html",
        {"form": form, "competency": competency},
    )


@region_admin_required
def competency_toggle(request, region_slug, pk):
    """GET asks for confirmation; POST with `active=0|1` changes the status."""
    competency = _get_competency(request, pk)
    if competency.is_national:
        return _refuse_national(request, competency)
    return toggle_active(
        request,
        obj=competency,
        subtitle=competency.code,
        kind=_("kompetensi"),
        back_url=reverse("training:competency_detail", args=[region_slug, competency.pk]),
        warning=_(
            "Kompetensi nonaktif tidak dapat dipilih untuk standar jabatan, penilaian "
            "atau program baru. Data yang sudah ada tetap tersimpan."
        ),
        set_active=lambda active: services.competency_set_active(
            region=request.region, competency=competency, active=active
        ),
        activated=_("Kompetensi %(name)s diaktifkan kembali."),
        deactivated=_("Kompetensi %(name)s dinonaktifkan."),
        name=competency,
    )


@region_admin_required
def competency_delete(request, region_slug, pk):
    """GET asks for confirmation; POST deletes a technical competency nothing uses yet."""
    competency = _get_competency(request, pk)
    if competency.is_national:
        return _refuse_national(request, competency)
    if request.method == "GET":
        return render(
            request, "training/competencies/competency_delete.html", {"competency": competency}
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    name = str(competency)
    try:
        services.competency_delete(region=request.region, competency=competency)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("training:competency_detail", region_slug, competency.pk)
    messages.success(request, _("Kompetensi %(name)s dihapus.") % {"name": name})
    return redirect("training:competency_list", region_slug)


# --- Position standards ------------------------------------------------------------------------


@region_admin_required
def standard_list(request, region_slug):
    search = request.GET.get("q", "").strip()
    position_type = request.GET.get("type", "")
    if position_type not in PositionType.values:
        position_type = ""
    standards = selectors.position_standard_list(
        region=request.region, search=search, position_type=position_type
    )
    defaults = [
        (label, selectors.DEFAULT_MANAGERIAL_LEVELS.get(value, {}))
        for value, label in PositionType.choices
    ]
    return render(
        request,
        "training/competencies/standard_list.html",
        {
            "page": paginate(request, standards),
            "search": search,
            "position_type": position_type,
            "position_types": PositionType.choices,
            "defaults": defaults,
            "query": query_without_page(request),
        },
    )


@region_admin_required
def standard_create(request, region_slug):
    form = PositionStandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.position_standard_create(region=request.region, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Standar %(name)s dibuat. Tambahkan atau sesuaikan butir kompetensinya.")
                % {"name": standard},
            )
            return redirect("training:standard_detail", region_slug, standard.pk)
    return render(
        request, "training/competencies/standard_form.html", {"form": form, "standard": None}
    )


@region_admin_required
def standard_detail(request, region_slug, pk):
    """The standard's items; POST adds a competency or changes its required level."""
    standard = _get_standard(request, pk)
    form = StandardItemForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_standard_item_set(standard=standard, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Butir %(competency)s disimpan (level %(level)d).")
                % {
                    "competency": form.cleaned_data["competency"],
                    "level": form.cleaned_data["required_level"],
                },
            )
            return redirect("training:standard_detail", region_slug, standard.pk)
    return render(
        request,
        "training/competencies/standard_detail.html",
        {
            "standard": standard,
            "items": list(standard.items.all()),
            "form": form,
            "level_range": range(1, 6),
        },
    )


@region_admin_required
def standard_edit(request, region_slug, pk):
    standard = _get_standard(request, pk)
    form = PositionStandardForm(request.POST or None, standard=standard)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_standard_update(standard=standard, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Standar %(name)s disimpan.") % {"name": standard})
            return redirect("training:standard_detail", region_slug, standard.pk)
    return render(
        request, "training/competencies/standard_form.html", {"form": form, "standard": standard}
    )


@region_admin_required
def standard_delete(request, region_slug, pk):
    standard = _get_standard(request, pk)
    if request.method == "GET":
        return render(request, "training/competencies/standard_delete.html", {"standard": standard})
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    name = str(standard)
    services.position_standard_delete(standard=standard)
    messages.success(request, _("Standar %(name)s dihapus.") % {"name": name})
    return redirect("training:standard_list", region_slug)


@region_admin_required
def standard_item_delete(request, region_slug, pk, item_pk):
    standard = _get_standard(request, pk)
    item = get_object_or_404(
        PositionStandardItem.objects.select_related("competency"),
        region=request.region,
        standard=standard,
        pk=item_pk,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.position_standard_item_remove(item=item)
    messages.success(
        request, _("Butir %(competency)s dihapus dari standar.") % {"competency": item.competency}
    )
    return redirect("training:standard_detail", region_slug, standard.pk)


# --- Assessed levels (admin) -------------------------------------------------------------------


@region_admin_required
def assessment_overview(request, region_slug):
    """Employees with how many competencies were assessed and when, to open one of them."""
    search = request.GET.get("q", "").strip()
    employees = Employee.objects.filter(region=request.region, is_active=True).select_related(
        "unit"
    )
    if search:
        nip = normalise_nip(search)
        condition = Q(name__icontains=search) | Q(position__icontains=search)
        if nip.isdigit():
            condition |= Q(nip__startswith=nip)
        employees = employees.filter(condition)
    employees = employees.annotate(
        assessed_count=Count("competency_assessments__competency", distinct=True),
        last_assessed_on=Max("competency_assessments__assessed_on"),
    ).order_by("name", "id")
    return render(
        request,
        "training/competencies/assessment_overview.html",
        {
            "page": paginate(request, employees),
            "search": search,
            "query": query_without_page(request),
        },
    )


@region_admin_required
def employee_competencies(request, region_slug, employee_pk):
    """An employee's latest levels against their standard; POST records an assessment."""
    employee = _get_employee(request, employee_pk)
    form = AssessmentForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.employee_competency_record(employee=employee, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Hasil penilaian %(competency)s untuk %(name)s disimpan.")
                % {"competency": form.cleaned_data["competency"], "name": employee.name},
            )
            return redirect("training:employee_competencies", region_slug, employee.pk)
    profile = selectors.competency_profile(employee=employee)
    return render(
        request,
        "training/competencies/employee_competencies.html",
        {
            "employee": employee,
            "profile": profile,
            "history": selectors.employee_assessment_history(employee=employee),
            "form": form,
        },
    )


@region_admin_required
def assessment_import(request, region_slug):
    """CSV upload of assessments (all rows or none); `?template=csv` downloads the columns."""
    if request.method == "GET" and request.GET.get("template") == "csv":
        header = ",".join(services.IMPORT_COLUMNS)
        example = "198501012010011001,M.01,3,assessment_center,2026-01-15"
        response = HttpResponse(
            f"\ufeff{header}\r\n{example}\r\n", content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="templat-penilaian-kompetensi.csv"'
        return response
    form = AssessmentImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.employee_competency_import(
            region=request.region, content=form.cleaned_data["file"].read()
        )
        if result.ok:
            messages.success(
                request,
                ngettext(
                    "%(count)d hasil penilaian berhasil diimpor.",
                    "%(count)d hasil penilaian berhasil diimpor.",
                    result.created,
                )
                % {"count": result.created},
            )
            return redirect("training:assessment_overview", region_slug)
    return render(
        request,
        "training/competencies/assessment_import.html",
        {"form": form, "result": result, "columns": services.IMPORT_COLUMNS.items()},
    )


# --- ASN and supervisor ------------------------------------------------------------------------


@region_employee_required
def my_competencies(request, region_slug):
    employee = request.access.employee
    profile = selectors.competency_profile(employee=employee)
    recommendations = selectors.recommended_programs_for_needs(
        employee=employee, needs=profile.needs
    )
    subordinates = []
    if request.access.is_supervisor:
        subordinates = Employee.objects.filter(
            region=request.region, supervisor=employee, is_active=True
        ).order_by("name")
    return render(
        request,
        "training/competencies/my_competencies.html",
        {
            "employee": employee,
            "profile": profile,
            "recommendations": _with_links(region_slug, recommendations),
            "subordinates": subordinates,
        },
    )


def team_member_competencies(request, region_slug, employee_pk):
    """A direct subordinate's gaps, for their recorded supervisor only (anyone else: 404)."""
    supervisor = getattr(request.access, "employee", None)
    if supervisor is None:
        raise Http404(_("Pegawai tidak ditemukan."))
    member = get_object_or_404(
        Employee.objects.select_related("unit"),
        region=request.region,
        pk=employee_pk,
        supervisor=supervisor,
        is_active=True,
    )
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    profile = selectors.competency_profile(employee=member)
    recommendations = selectors.recommended_programs_for_needs(employee=member, needs=profile.needs)
    return render(
        request,
        "training/competencies/team_member_competencies.html",
        {
            "employee": member,
            "profile": profile,
            "recommendations": _with_links(region_slug, recommendations),
        },
    )
