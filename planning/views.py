"""Pages of the regional plan (namespace `planning`, under /<region>/perencanaan/).

Thin: forms parse, planning.services decide, planning.selectors read. Objects are looked up
inside the region (another region's id is a 404) before any role check; roles come from
`planning.permissions`.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from kompetensi.uploads import attachment_response
from kompetensi.views import id_list
from regions import audit
from regions.models import Employee, Unit
from training.models import Program, Provider
from training.selectors.competencies import competency_choices

from . import exports
from .forms import (
    ApproverForm,
    DecisionForm,
    LinkOfferingForm,
    NeedForm,
    NoteForm,
    PlanCreateForm,
    PlanItemForm,
    PlannerForm,
    PlanReviseForm,
    PlanSubmitForm,
    RoundForm,
)
from .models import Need, Plan, PlanApprover, UnitPlanner, UnitSubmission
from .permissions import (
    planner_required,
    planning_admin_required,
    planning_member_required,
    planning_page_required,
)
from .selectors import needs as need_selectors
from .selectors import plans as plan_selectors
from .selectors import roles as role_selectors
from .services import needs as need_services
from .services import plans as plan_services
from .services import realisation as realisation_services
from .services import roles as role_services


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- Overview ----------------------------------------------------------------------------------


@planning_page_required
def overview(request, region_slug):
    region, planning = request.region, request.planning
    today = timezone.localdate()
    context = {"today": today}
    if planning.is_admin:
        context["rounds"] = list(need_selectors.round_list(region=region))
        context["round_form"] = RoundForm(
            years=need_services.round_years_open(today=today),
            initial={"year": today.year + 1, "deadline": today + dt.timedelta(days=30)},
            auto_id="round_%s",
        )
        context["plan_form"] = PlanCreateForm(
            years=plan_services.plan_years_open(today=today), auto_id="plan_%s"
        )
    if planning.can_read_plans:
        context["plans"] = list(plan_selectors.plan_list(region=region))
    if planning.is_planner:
        context["my_submissions"] = list(
            need_selectors.submissions_for_planner(region=region, unit_ids=planning.unit_ids)
        )
    return render(request, "planning/overview.html", context)


# --- Needs round (BKPSDM) ----------------------------------------------------------------------


@planning_admin_required
def round_create(request, region_slug):
    if (response := _post_only(request)) is not None:
        return response
    today = timezone.localdate()
    form = RoundForm(request.POST, years=need_services.round_years_open(today=today))
    if form.is_valid():
        try:
            needs_round = need_services.round_open(
                region=request.region, user=request.user, today=today, **form.cleaned_data
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request,
                _("Penjaringan kebutuhan tahun %(year)s dibuka untuk semua unit.")
                % {"year": needs_round.year},
            )
            return redirect("planning:round_detail", region_slug, needs_round.pk)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("planning:overview", region_slug)


def _round_or_404(request, round_id):
    needs_round = need_selectors.round_get(region=request.region, round_id=round_id)
    if needs_round is None:
        raise Http404(_("Penjaringan tidak ditemukan."))
    return needs_round


@planning_member_required
def round_detail(request, region_slug, round_id):
    needs_round = _round_or_404(request, round_id)
    if not request.planning.is_admin:
        raise PermissionDenied(_("Halaman ini hanya untuk admin BKPSDM wilayah ini."))
    plan = plan_selectors.open_revision(region=request.region, year=needs_round.year)
    return render(
        request,
        "planning/round_detail.html",
        {
            "needs_round": needs_round,
            "submissions": list(need_selectors.submission_list(needs_round=needs_round)),
            "needs": list(need_selectors.submitted_needs(needs_round=needs_round)),
            "plan": plan if plan is not None and plan.is_editable else None,
            "today": timezone.localdate(),
        },
    )


# --- A unit's submission (planner) -------------------------------------------------------------


def _submission_or_404(request, submission_id) -> UnitSubmission:
    submission = need_selectors.submission_get(region=request.region, submission_id=submission_id)
    if submission is None:
        raise Http404(_("Usulan tidak ditemukan."))
    return submission


def _check_unit(request, submission: UnitSubmission) -> None:
    planning = request.planning
    if not planning.can_plan_for(submission.unit_id):
        raise PermissionDenied(_("Anda bukan perencana unit ini."))


def _check_write(request, submission: UnitSubmission) -> None:
    if not request.planning.can_plan_for(submission.unit_id):
        raise PermissionDenied(_("Anda bukan perencana unit ini."))


@planning_member_required
def submission_detail(request, region_slug, submission_id):
    submission = _submission_or_404(request, submission_id)
    _check_unit(request, submission)
    today = timezone.localdate()
    editable = True
    try:
        need_services.check_editable(submission, today=today)
    except ValidationError as exc:
        editable = False
        locked_reason = " ".join(exc.messages)
    else:
        locked_reason = ""
    can_write = request.planning.can_plan_for(submission.unit_id)
    context = {
        "submission": submission,
        "needs": list(need_selectors.need_list(submission=submission)),
        "editable": editable and can_write,
        "locked_reason": locked_reason,
        "history": need_selectors.submission_history(submission=submission),
        "can_return": request.planning.is_admin
        and submission.status == UnitSubmission.Status.SUBMITTED,
        "return_form": NoteForm(),
        "today": today,
    }
    if editable and can_write:
        context["suggestions"] = need_selectors.suggestions_for(submission=submission)
    return render(request, "planning/submission_detail.html", context)


def _need_form(request, submission, *, initial=None, data=None, need=None):
    employees = need_services.employees_of_unit(submission=submission)
    if need is not None:  # keep who the need already names, even if they have left since
        kept = Employee.objects.filter(region=request.region, pk__in=_ids(need.target_employees))
        employees = (employees | kept).distinct().order_by("name")
    return NeedForm(
        data,
        initial=initial,
        competencies=competency_choices(region=request.region),
        employees=employees,
    )


def _ids(related) -> list[int]:
    return [obj.pk for obj in related.all()]


def _need_values(form) -> dict:
    data = dict(form.cleaned_data)
    data["target_employees"] = list(data.get("target_employees") or [])
    return data


@planner_required
def need_create(request, region_slug, submission_id):
    submission = _submission_or_404(request, submission_id)
    _check_write(request, submission)
    initial, suggestion = None, None
    key = request.GET.get("saran") or request.POST.get("suggestion_key") or ""
    if key:
        suggestion = need_selectors.suggestion_get(submission=submission, key=key)
        if suggestion is not None:
            initial = {
                "competency": suggestion.competency,
                "target_employees": [e.pk for e in suggestion.employees],
                "target_count": suggestion.target_count,
                "jp": suggestion.jp,
                "form": suggestion.form,
                "justification": suggestion.reason,
            }
    form = _need_form(request, submission, initial=initial, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need_services.need_save(
                submission=submission,
                user=request.user,
                source=suggestion.source if suggestion else Need.Source.MANUAL,
                suggestion_key=suggestion.key if suggestion else "",
                **_need_values(form),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Kebutuhan ditambahkan ke usulan unit."))
            return redirect("planning:submission_detail", region_slug, submission.pk)
    return render(
        request,
        "planning/need_form.html",
        {"form": form, "submission": submission, "need": None, "suggestion": suggestion},
    )


def _need_or_404(request, submission, need_id) -> Need:
    need = need_selectors.need_get(submission=submission, need_id=need_id)
    if need is None:
        raise Http404(_("Usulan tidak ditemukan."))
    return need


@planner_required
def need_edit(request, region_slug, submission_id, need_id):
    submission = _submission_or_404(request, submission_id)
    need = _need_or_404(request, submission, need_id)
    _check_write(request, submission)
    initial = {
        "competency": need.competency,
        "target_description": need.target_description,
        "target_employees": [e.pk for e in need.target_employees.all()],
        "target_count": need.target_count,
        "form": need.form,
        "priority": need.priority,
        "jp": need.jp,
        "estimated_cost": f"{need.estimated_cost:.0f}",
        "justification": need.justification,
    }
    form = _need_form(request, submission, initial=initial, data=request.POST or None, need=need)
    if request.method == "POST" and form.is_valid():
        try:
            need_services.need_save(
                submission=submission, user=request.user, need=need, **_need_values(form)
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Kebutuhan diperbarui."))
            return redirect("planning:submission_detail", region_slug, submission.pk)
    return render(
        request,
        "planning/need_form.html",
        {"form": form, "submission": submission, "need": need, "suggestion": None},
    )


@planner_required
def need_delete(request, region_slug, submission_id, need_id):
    submission = _submission_or_404(request, submission_id)
    need = _need_or_404(request, submission, need_id)
    _check_write(request, submission)
    if (response := _post_only(request)) is not None:
        return response
    try:
        need_services.need_delete(need=need, user=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Kebutuhan dihapus dari usulan."))
    return redirect("planning:submission_detail", region_slug, submission.pk)


@planner_required
def suggestion_accept(request, region_slug, submission_id):
    submission = _submission_or_404(request, submission_id)
    _check_write(request, submission)
    if (response := _post_only(request)) is not None:
        return response
    suggestion = need_selectors.suggestion_get(
        submission=submission, key=request.POST.get("key", "")
    )
    if suggestion is None or not suggestion.one_click:
        messages.error(request, _("Saran ini tidak tersedia lagi."))
        return redirect("planning:submission_detail", region_slug, submission.pk)
    try:
        need_services.need_save(
            submission=submission,
            user=request.user,
            competency=suggestion.competency,
            target_count=suggestion.target_count,
            target_employees=suggestion.employees,
            jp=suggestion.jp,
            form=suggestion.form,
            justification=suggestion.reason,
            source=suggestion.source,
            suggestion_key=suggestion.key,
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("Saran diterima: %(competency)s untuk %(n)s ASN. Lengkapi perkiraan biayanya.")
            % {"competency": suggestion.competency.name, "n": suggestion.target_count},
        )
    return redirect("planning:submission_detail", region_slug, submission.pk)


@planner_required
def suggestion_ignore(request, region_slug, submission_id):
    submission = _submission_or_404(request, submission_id)
    _check_write(request, submission)
    if (response := _post_only(request)) is not None:
        return response
    try:
        need_services.suggestion_ignore(
            submission=submission, user=request.user, key=request.POST.get("key", "")
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.info(request, _("Saran diabaikan."))
    return redirect("planning:submission_detail", region_slug, submission.pk)


@planner_required
def submission_submit(request, region_slug, submission_id):
    submission = _submission_or_404(request, submission_id)
    _check_write(request, submission)
    if (response := _post_only(request)) is not None:
        return response
    try:
        need_services.submission_submit(submission=submission, user=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Usulan kebutuhan unit diajukan ke BKPSDM."))
    return redirect("planning:submission_detail", region_slug, submission.pk)


@planning_member_required
def submission_return(request, region_slug, submission_id):
    submission = _submission_or_404(request, submission_id)
    if not request.planning.is_admin:
        raise PermissionDenied(_("Hanya admin BKPSDM yang dapat mengembalikan usulan."))
    if (response := _post_only(request)) is not None:
        return response
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan catatan pengembalian untuk unit."))
        return redirect("planning:submission_detail", region_slug, submission.pk)
    try:
        need_services.submission_return(
            submission=submission, user=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Usulan dikembalikan ke unit dengan catatan."))
    return redirect("planning:submission_detail", region_slug, submission.pk)


# --- The plan ----------------------------------------------------------------------------------


def _plan_or_404(request, plan_id) -> Plan:
    plan = plan_selectors.plan_get(region=request.region, plan_id=plan_id)
    if plan is None:
        raise Http404(_("Rencana tidak ditemukan."))
    return plan


def _check_reader(request) -> None:
    if not request.planning.can_read_plans:
        raise PermissionDenied(_("Halaman ini hanya untuk admin BKPSDM dan penyetuju rencana."))


def _check_admin(request) -> None:
    if not request.planning.is_admin:
        raise PermissionDenied(_("Halaman ini hanya untuk admin BKPSDM wilayah ini."))


@planning_admin_required
def plan_create(request, region_slug):
    if (response := _post_only(request)) is not None:
        return response
    form = PlanCreateForm(request.POST, years=plan_services.plan_years_open())
    if not form.is_valid():
        messages.error(request, _("Pilih tahun rencana yang tersedia."))
        return redirect("planning:overview", region_slug)
    try:
        plan = plan_services.plan_create(
            region=request.region, user=request.user, year=form.cleaned_data["year"]
        )
    except ValidationError as exc:
        _error(request, exc)
        return redirect("planning:overview", region_slug)
    messages.success(
        request, _("Rencana tahun %(year)s dibuat sebagai draf.") % {"year": plan.year}
    )
    return redirect("planning:plan_detail", region_slug, plan.pk)


@planning_member_required
def plan_detail(request, region_slug, plan_id):
    plan = _plan_or_404(request, plan_id)
    _check_reader(request)
    today = timezone.localdate()
    items = plan_selectors.plan_items(plan=plan)
    planning = request.planning
    needs_round = need_selectors.round_for_year(region=request.region, year=plan.year)
    context = {
        "plan": plan,
        "items": items,
        "totals": plan_selectors.plan_totals(plan=plan),
        "realisation": plan_selectors.plan_realisation(plan=plan, today=today, items=items),
        "history": plan_selectors.plan_history(plan=plan),
        "revisions": list(plan_selectors.plan_revisions(plan=plan)),
        "editable": plan.is_editable and planning.is_admin,
        "can_submit": plan.is_editable and planning.is_admin,
        "can_decide": plan.status == Plan.Status.SUBMITTED and planning.is_approver,
        "can_revise": plan.is_approved
        and planning.is_admin
        and plan_selectors.open_revision(region=request.region, year=plan.year) is None,
        "can_link": plan.is_approved and planning.is_admin,
        "needs_round": needs_round,
        "submit_form": PlanSubmitForm(),
        "decision_form": DecisionForm(),
        "revise_form": PlanReviseForm(),
        "mid_year": plan_selectors.mid_year(plan.year),
        "today": today,
    }
    return render(request, "planning/plan_detail.html", context)


def _item_form(request, plan, *, data=None, initial=None, item=None):
    region = request.region
    needs = Need.objects.none()
    needs_round = need_selectors.round_for_year(region=region, year=plan.year)
    if needs_round is not None:
        needs = need_selectors.submitted_needs(needs_round=needs_round)
    # An item being edited keeps what it already names (an employee who has left, a partner
    # made inactive, an archived programme): otherwise saving would silently drop it.
    employees, providers = Q(is_active=True), Q(is_active=True)
    programs = ~Q(status=Program.Status.ARCHIVED)
    if item is not None:
        employees |= Q(pk__in=_ids(item.target_employees))
        providers |= Q(pk=item.provider_id)
        programs |= Q(pk=item.program_id)
    return PlanItemForm(
        data,
        initial=initial,
        competencies=competency_choices(region=region),
        units=role_selectors.unit_choices(region=region),
        employees=Employee.objects.filter(employees, region=region).order_by("name"),
        providers=Provider.objects.filter(providers, region=region).order_by("name"),
        programs=Program.objects.filter(programs, region=region).order_by("title"),
        needs=needs,
    )


def _item_values(form) -> dict:
    data = dict(form.cleaned_data)
    data["target_employees"] = list(data.get("target_employees") or [])
    data["needs"] = list(data.get("needs") or [])
    return data


@planning_member_required
def plan_item_create(request, region_slug, plan_id):
    plan = _plan_or_404(request, plan_id)
    _check_admin(request)
    if not plan.is_editable:
        messages.error(request, _("Rencana ini hanya dapat dibaca."))
        return redirect("planning:plan_detail", region_slug, plan.pk)
    initial = None
    ids = id_list(request.GET.getlist("usulan"))[:100]
    if ids:
        initial = plan_services.need_defaults(
            needs=need_selectors.needs_by_ids(region=request.region, ids=ids)
        )
    form = _item_form(request, plan, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.plan_item_save(plan=plan, user=request.user, **_item_values(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Butir rencana ditambahkan."))
            return redirect("planning:plan_detail", region_slug, plan.pk)
    return render(request, "planning/item_form.html", {"form": form, "plan": plan, "item": None})


def _item_or_404(request, plan, item_id):
    item = plan_selectors.plan_item_get(plan=plan, item_id=item_id)
    if item is None:
        raise Http404(_("Butir rencana tidak ditemukan."))
    return item


@planning_member_required
def plan_item_edit(request, region_slug, plan_id, item_id):
    plan = _plan_or_404(request, plan_id)
    item = _item_or_404(request, plan, item_id)
    _check_admin(request)
    if not plan.is_editable:
        messages.error(request, _("Rencana ini hanya dapat dibaca."))
        return redirect("planning:plan_detail", region_slug, plan.pk)
    initial = {
        "title": item.title,
        "competency": item.competency,
        "form": item.form,
        "unit": item.unit,
        "target_type": item.target_type,
        "target_description": item.target_description,
        "target_employees": [e.pk for e in item.target_employees.all()],
        "target_count": item.target_count,
        "jp": item.jp,
        "organiser": item.organiser,
        "provider": item.provider,
        "program": item.program,
        "quarter": item.quarter,
        "month": item.month,
        "curriculum_fit": item.curriculum_fit,
        "budget": f"{item.budget:.0f}",
        "funding": item.funding,
        "needs": [n.pk for n in item.needs.all()],
    }
    form = _item_form(request, plan, data=request.POST or None, initial=initial, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.plan_item_save(
                plan=plan, user=request.user, item=item, **_item_values(form)
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Butir rencana diperbarui."))
            return redirect("planning:plan_detail", region_slug, plan.pk)
    return render(request, "planning/item_form.html", {"form": form, "plan": plan, "item": item})


@planning_member_required
def plan_item_delete(request, region_slug, plan_id, item_id):
    plan = _plan_or_404(request, plan_id)
    item = _item_or_404(request, plan, item_id)
    _check_admin(request)
    if (response := _post_only(request)) is not None:
        return response
    try:
        plan_services.plan_item_delete(item=item, user=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Butir rencana dihapus."))
    return redirect("planning:plan_detail", region_slug, plan.pk)


@planning_member_required
def plan_submit(request, region_slug, plan_id):
    plan = _plan_or_404(request, plan_id)
    _check_admin(request)
    if (response := _post_only(request)) is not None:
        return response
    form = PlanSubmitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Catatan paling banyak 2000 karakter."))
        plan_services.plan_submit(plan=plan, user=request.user, notes=form.cleaned_data["notes"])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Rencana diajukan kepada penyetuju."))
    return redirect("planning:plan_detail", region_slug, plan.pk)


@planning_member_required
def plan_decide(request, region_slug, plan_id):
    plan = _plan_or_404(request, plan_id)
    if not request.planning.is_approver:
        raise PermissionDenied(
            _(
                "Hanya penyetuju rencana yang ditunjuk yang dapat menyetujui atau mengembalikan rencana."
            )
        )
    if (response := _post_only(request)) is not None:
        return response
    form = DecisionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau kembalikan, dan periksa isian Anda."))
        return redirect("planning:plan_detail", region_slug, plan.pk)
    decision = form.cleaned_data["decision"]
    try:
        plan_services.plan_decide(
            plan=plan,
            user=request.user,
            employee=request.access.employee,
            decision=decision,
            note=form.cleaned_data["note"],
            decree=form.cleaned_data.get("decree"),
            decree_number=form.cleaned_data["decree_number"],
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        if decision == plan_services.APPROVE:
            messages.success(
                request, _("Rencana disetujui. Rencana ini sekarang hanya dapat dibaca.")
            )
        else:
            messages.success(request, _("Rencana dikembalikan kepada BKPSDM dengan catatan."))
    return redirect("planning:plan_detail", region_slug, plan.pk)


@planning_member_required
def plan_revise(request, region_slug, plan_id):
    plan = _plan_or_404(request, plan_id)
    _check_admin(request)
    if (response := _post_only(request)) is not None:
        return response
    form = PlanReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan perubahan rencana."))
        return redirect("planning:plan_detail", region_slug, plan.pk)
    try:
        revision = plan_services.plan_revise(
            plan=plan, user=request.user, notes=form.cleaned_data["notes"]
        )
    except ValidationError as exc:
        _error(request, exc)
        return redirect("planning:plan_detail", region_slug, plan.pk)
    messages.success(
        request,
        _("Perubahan ke-%(n)s dibuat sebagai draf. Rencana yang berlaku tetap tampil sampai "
          "perubahan disetujui.") % {"n": revision.revision},
    )  # fmt: skip
    return redirect("planning:plan_detail", region_slug, revision.pk)


@planning_member_required
def plan_item_realisation(request, region_slug, plan_id, item_id):
    plan = _plan_or_404(request, plan_id)
    item = _item_or_404(request, plan, item_id)
    _check_reader(request)
    can_link = plan.is_approved and request.planning.is_admin
    form = None
    if can_link:
        form = LinkOfferingForm(
            request.POST or None,
            offerings=plan_selectors.linkable_offerings(plan=plan, item=item),
        )
    if request.method == "POST":
        if not can_link:
            raise PermissionDenied(
                _("Angkatan hanya dapat dikaitkan oleh admin BKPSDM pada rencana yang berlaku.")
            )
        if form.is_valid():
            try:
                realisation_services.offering_link(
                    item=item, offering=form.cleaned_data["offering"], user=request.user
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Angkatan dikaitkan dengan butir rencana."))
                return redirect("planning:plan_item_realisation", region_slug, plan.pk, item.pk)
    realisation = plan_selectors.plan_realisation(
        plan=plan, today=timezone.localdate(), items=[item]
    ).rows[0]
    return render(
        request,
        "planning/item_realisation.html",
        {"plan": plan, "item": item, "row": realisation, "form": form, "can_link": can_link},
    )


@planning_member_required
def plan_item_unlink(request, region_slug, plan_id, item_id, link_id):
    plan = _plan_or_404(request, plan_id)
    item = _item_or_404(request, plan, item_id)
    linked = plan_selectors.realisation_by_key(
        region=request.region, year=plan.year, keys=[item.key]
    ).get(item.key)
    if linked is None or link_id not in {o.link_id for o in linked.offerings}:
        raise Http404(_("Kaitan angkatan tidak ditemukan."))
    _check_admin(request)
    if (response := _post_only(request)) is not None:
        return response
    try:
        realisation_services.offering_unlink(item=item, link_id=link_id, user=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Kaitan angkatan dilepas."))
    return redirect("planning:plan_item_realisation", region_slug, plan.pk, item.pk)


# --- Exports -----------------------------------------------------------------------------------


@planning_member_required
def plan_pdf(request, region_slug, plan_id):
    plan = _plan_or_404(request, plan_id)
    _check_reader(request)
    pdf = exports.plan_pdf(plan=plan, today=timezone.localdate())
    audit.record(action=audit.Action.EXPORT, region=request.region, obj=plan, note="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="rencana-pengembangan-{region_slug}-{plan.year}-p{plan.revision}.pdf"'
    )
    return response


@planning_member_required
def plan_xlsx(request, region_slug, plan_id):
    plan = _plan_or_404(request, plan_id)
    _check_reader(request)
    content = exports.plan_xlsx(plan=plan, today=timezone.localdate())
    audit.record(action=audit.Action.EXPORT, region=request.region, obj=plan, note="xlsx")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="rencana-pengembangan-{region_slug}-{plan.year}-p{plan.revision}.xlsx"'
    )
    return response


@planning_member_required
def plan_decree(request, region_slug, plan_id):
    plan = _plan_or_404(request, plan_id)
    _check_reader(request)
    if not plan.decree:
        raise Http404(_("SK belum diunggah."))
    return attachment_response(
        plan.decree.open("rb"),
        filename=f"sk-rencana-pengembangan-{plan.year}-p{plan.revision}.pdf",
        content_type="application/pdf",
    )


# --- Roles -------------------------------------------------------------------------------------


def _role_forms(request, *, planner_data=None, approver_data=None):
    employees = (
        Employee.objects.filter(region=request.region, is_active=True, user__isnull=False)
        .select_related("unit")
        .order_by("name")
    )
    return (
        PlannerForm(
            planner_data,
            units=Unit.objects.filter(region=request.region, is_active=True).order_by("name"),
            employees=employees,
        ),
        ApproverForm(approver_data, employees=employees),
    )


@planning_admin_required
def roles(request, region_slug):
    planner_form, approver_form = _role_forms(request)
    return render(
        request,
        "planning/roles.html",
        {
            "planners": list(role_selectors.planner_list(region=request.region)),
            "approvers": list(role_selectors.approver_list(region=request.region)),
            "planner_form": planner_form,
            "approver_form": approver_form,
        },
    )


@planning_admin_required
def planner_add(request, region_slug):
    if (response := _post_only(request)) is not None:
        return response
    form, _approver_form = _role_forms(request, planner_data=request.POST)
    if form.is_valid():
        try:
            role_services.planner_add(region=request.region, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Perencana unit ditambahkan."))
    else:
        messages.error(request, _("Pilih unit dan pegawai."))
    return redirect("planning:roles", region_slug)


@planning_admin_required
def planner_remove(request, region_slug, planner_id):
    planner = UnitPlanner.objects.filter(region=request.region, pk=planner_id).first()
    if planner is None:
        raise Http404(_("Perencana tidak ditemukan."))
    if (response := _post_only(request)) is not None:
        return response
    role_services.planner_remove(planner=planner, user=request.user)
    messages.success(request, _("Perencana unit dihapus."))
    return redirect("planning:roles", region_slug)


@planning_admin_required
def approver_add(request, region_slug):
    if (response := _post_only(request)) is not None:
        return response
    _planner_form, form = _role_forms(request, approver_data=request.POST)
    if form.is_valid():
        try:
            role_services.approver_add(
                region=request.region, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Penyetuju rencana ditambahkan."))
    else:
        messages.error(request, _("Pilih pegawai dan isi jabatan penanda tangan."))
    return redirect("planning:roles", region_slug)


@planning_admin_required
def approver_remove(request, region_slug, approver_id):
    approver = PlanApprover.objects.filter(region=request.region, pk=approver_id).first()
    if approver is None:
        raise Http404(_("Penyetuju tidak ditemukan."))
    if (response := _post_only(request)) is not None:
        return response
    role_services.approver_remove(approver=approver, user=request.user)
    messages.success(request, _("Penyetuju rencana dihapus."))
    return redirect("planning:roles", region_slug)
