"""Development plan pages: the ASN's yearly plan, the supervisor's decisions, the admins' list.

Plans are looked up among the employee's own (ASN), the direct subordinates' (supervisor) or
the region's (admin), so any other plan is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from kompetensi.views import paginate, query_without_page
from regions.models import Unit
from regions.permissions import region_admin_required, region_employee_required, supervisor_required
from training.forms.plans import PlanCreateForm, PlanDecisionForm, PlanItemForm, PlanSubmitForm
from training.models import DevelopmentPlan
from training.selectors import plans as selectors
from training.services import plans as services

Status = DevelopmentPlan.Status


def _int_param(request, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def _plan_url(region_slug: str, year: int) -> str:
    return f"{reverse('training:plan_mine', args=[region_slug])}?tahun={year}"


def _owned_plan(request, plan_id) -> DevelopmentPlan:
    plan = selectors.plan_get_for_owner(
        region=request.region, employee=request.access.employee, plan_id=plan_id
    )
    if plan is None:
        raise Http404(_("Rencana tidak ditemukan."))
    return plan


def _owned_item(request, plan_id, item_id):
    item = selectors.plan_item_get_for_owner(
        region=request.region, employee=request.access.employee, plan_id=plan_id, item_id=item_id
    )
    if item is None:
        raise Http404(_("Butir rencana tidak ditemukan."))
    return item


def _item_form(request, *, initial=None) -> PlanItemForm:
    return PlanItemForm(
        request.POST or None,
        initial=initial,
        competencies=selectors.plan_competency_choices(region=request.region),
        gap_ids=selectors.plan_gap_competency_ids(employee=request.access.employee),
        programs=selectors.plan_program_choices(region=request.region),
    )


def _warn_pppk_cap(request, plan: DevelopmentPlan) -> None:
    summary = selectors.plan_summary(plan=plan, region=request.region)
    if summary.over_pppk_cap:
        messages.warning(
            request,
            _(
                "Rencana Anda berjumlah %(total)s JP, di atas batas %(cap)s JP per tahun kontrak "
                "untuk PPPK."
            )
            % {"total": summary.total_jp, "cap": summary.benchmark},
        )


# --- ASN ---------------------------------------------------------------------------------------


@region_employee_required
def plan_mine(request, region_slug):
    employee = request.access.employee
    today = timezone.localdate()
    open_years = services.plan_years_open(today=today)
    if request.method == "POST":
        create_form = PlanCreateForm(request.POST, years=open_years)
        if create_form.is_valid():
            year = create_form.cleaned_data["year"]
            try:
                services.plan_create(employee=employee, user=request.user, year=year)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Rencana tahun %(year)s dibuat. Tambahkan butir rencana Anda.")
                    % {"year": year},
                )
            return redirect(_plan_url(region_slug, year))
        messages.error(request, _("Pilih tahun rencana yang tersedia."))
        return redirect("training:plan_mine", region_slug=region_slug)

    years = selectors.plan_years_for_employee(region=request.region, employee=employee)
    year = _int_param(request, "tahun")
    if year not in years:
        year = today.year
    plan = selectors.plan_for_employee(region=request.region, employee=employee, year=year)
    context = {
        "plan": plan,
        "year": year,
        "years": years,
        "can_create": plan is None and year in open_years,
    }
    if plan is not None:
        context.update(
            items=selectors.plan_items(plan=plan),
            summary=selectors.plan_summary(plan=plan, region=request.region),
            editable=plan.status in services.EDITABLE_STATUSES,
            history=selectors.plan_history(plan=plan),
            submit_form=PlanSubmitForm(initial={"notes": plan.notes}),
        )
    return render(request, "training/plans/plan_mine.html", context)


@region_employee_required
def plan_item_create(request, region_slug, plan_id):
    plan = _owned_plan(request, plan_id)
    if plan.status not in services.EDITABLE_STATUSES:
        messages.error(request, _("Rencana ini tidak dapat diubah."))
        return redirect(_plan_url(region_slug, plan.year))
    form = _item_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_add(
                plan=plan, employee=request.access.employee, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Butir rencana ditambahkan."))
            _warn_pppk_cap(request, plan)
            return redirect(_plan_url(region_slug, plan.year))
    return render(
        request, "training/plans/item_form.html", {"form": form, "plan": plan, "item": None}
    )


@region_employee_required
def plan_item_edit(request, region_slug, plan_id, item_id):
    item = _owned_item(request, plan_id, item_id)
    plan = item.plan
    if plan.status not in services.EDITABLE_STATUSES:
        messages.error(request, _("Rencana ini tidak dapat diubah."))
        return redirect(_plan_url(region_slug, plan.year))
    form = _item_form(request, initial=PlanItemForm.initial_from(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(
                item=item, employee=request.access.employee, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Butir rencana diperbarui."))
            _warn_pppk_cap(request, plan)
            return redirect(_plan_url(region_slug, plan.year))
    return render(
        request, "training/plans/item_form.html", {"form": form, "plan": plan, "item": item}
    )


@region_employee_required
def plan_item_delete(request, region_slug, plan_id, item_id):
    item = _owned_item(request, plan_id, item_id)
    plan = item.plan
    if request.method == "POST":
        try:
            services.plan_item_delete(
                item=item, employee=request.access.employee, user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Butir rencana dihapus."))
        return redirect(_plan_url(region_slug, plan.year))
    return render(request, "training/plans/item_delete.html", {"item": item, "plan": plan})


@region_employee_required
def plan_submit(request, region_slug, plan_id):
    plan = _owned_plan(request, plan_id)
    if request.method != "POST":
        return redirect(_plan_url(region_slug, plan.year))
    form = PlanSubmitForm(request.POST)
    if form.is_valid():
        try:
            services.plan_submit(
                plan=plan,
                employee=request.access.employee,
                user=request.user,
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Rencana tahun %(year)s diajukan kepada atasan langsung Anda.")
                % {"year": plan.year},
            )
            _warn_pppk_cap(request, plan)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(_plan_url(region_slug, plan.year))


# --- Supervisor --------------------------------------------------------------------------------

TEAM_STATUSES = {
    "": Status.SUBMITTED,
    "submitted": Status.SUBMITTED,
    "approved": Status.APPROVED,
    "returned": Status.RETURNED,
    "all": None,
}


@supervisor_required
def team_plan_list(request, region_slug):
    status_key = request.GET.get("status", "")
    if status_key not in TEAM_STATUSES:
        status_key = ""
    plans = selectors.plan_team_list(
        region=request.region,
        supervisor=request.access.employee,
        status=TEAM_STATUSES[status_key],
        year=_int_param(request, "tahun"),
    )
    return render(
        request,
        "training/plans/team_list.html",
        {
            "page": paginate(request, plans),
            "status": status_key or "submitted",
            "query": query_without_page(request),
        },
    )


def team_plan_decide(request, region_slug, plan_id):
    """The direct supervisor reads a subordinate's plan and approves or returns it."""
    supervisor = request.access.employee
    plan = None
    if supervisor is not None:
        plan = selectors.plan_get_for_supervisor(
            region=request.region, supervisor=supervisor, plan_id=plan_id
        )
    if plan is None:
        raise Http404(_("Rencana tidak ditemukan."))
    form = PlanDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        notes = form.cleaned_data["supervisor_notes"]
        try:
            if decision == PlanDecisionForm.APPROVE:
                services.plan_approve(
                    plan=plan, supervisor=supervisor, user=request.user, notes=notes
                )
                messages.success(
                    request,
                    _("Rencana %(name)s tahun %(year)s disetujui.")
                    % {"name": plan.employee.name, "year": plan.year},
                )
            else:
                services.plan_return(
                    plan=plan, supervisor=supervisor, user=request.user, notes=notes
                )
                messages.success(
                    request,
                    _("Rencana %(name)s dikembalikan dengan catatan perbaikan.")
                    % {"name": plan.employee.name},
                )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("training:team_plan_list", region_slug=region_slug)
    return render(
        request,
        "training/plans/plan_detail.html",
        {
            "plan": plan,
            "items": selectors.plan_items(plan=plan),
            "summary": selectors.plan_summary(plan=plan, region=request.region),
            "history": selectors.plan_history(plan=plan),
            "decision_form": form if plan.status == Status.SUBMITTED else None,
            "mode": "supervisor",
        },
    )


# --- Admin -------------------------------------------------------------------------------------


@region_admin_required
def plan_admin_list(request, region_slug):
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    unit_id = _int_param(request, "unit")
    year = _int_param(request, "tahun")
    search = request.GET.get("q", "").strip()[:100]
    plans = selectors.plan_admin_list(
        region=request.region, status=status or None, year=year, unit_id=unit_id, search=search
    )
    return render(
        request,
        "training/plans/admin_list.html",
        {
            "page": paginate(request, plans),
            "query": query_without_page(request),
            "status": status,
            "unit_id": unit_id,
            "year": year,
            "search": search,
            "statuses": Status.choices,
            "units": Unit.objects.filter(region=request.region).order_by("name").only("id", "name"),
            "years": selectors.plan_admin_years(region=request.region),
        },
    )


@region_admin_required
def plan_admin_detail(request, region_slug, plan_id):
    plan = selectors.plan_get_for_admin(region=request.region, plan_id=plan_id)
    if plan is None:
        raise Http404(_("Rencana tidak ditemukan."))
    return render(
        request,
        "training/plans/plan_detail.html",
        {
            "plan": plan,
            "items": selectors.plan_items(plan=plan),
            "summary": selectors.plan_summary(plan=plan, region=request.region),
            "history": selectors.plan_history(plan=plan),
            "mode": "admin",
        },
    )
