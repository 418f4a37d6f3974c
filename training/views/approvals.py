"""Supervisor pages: decide the pending enrolment requests of direct subordinates.

Only the employee's recorded direct supervisor sees and decides a request (anyone else gets
404); admins of the region see and decide every request.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompetensi.forms import apply_validation_error
from kompetensi.views import id_list
from training.forms.enrolment import DecisionForm
from training.models import Enrolment
from training.selectors import enrolment as selectors
from training.services import enrolment as services

PAGE_SIZE = 25
S = Enrolment.Status


def _decider_scope(request):
    """(supervisor employee or None for an admin, by_admin) or 403 for anyone else."""
    access = request.access
    if access is None:
        raise PermissionDenied
    if access.is_admin:
        return None, True
    if access.employee is not None and access.is_supervisor:
        return access.employee, False
    raise PermissionDenied(_("Halaman ini hanya untuk atasan langsung dan admin BKPSDM."))


def _decide(request, enrolment, decision: str, reason: str, by_admin: bool) -> Enrolment:
    if decision == DecisionForm.APPROVE:
        return services.enrolment_approve(
            enrolment=enrolment, actor=request.user, by_admin=by_admin, reason=reason
        )
    return services.enrolment_reject(
        enrolment=enrolment, actor=request.user, reason=reason, by_admin=by_admin
    )


def _outcome_text(enrolment: Enrolment) -> str:
    name = enrolment.employee.name
    if enrolment.status == S.CONFIRMED:
        return _("%(name)s disetujui dan terkonfirmasi.") % {"name": name}
    if enrolment.status == S.WAITLISTED:
        return _("%(name)s disetujui; kuota penuh sehingga masuk daftar tunggu.") % {"name": name}
    if enrolment.status == S.REJECTED and enrolment.decision_reason == services.QUOTA_FULL:
        return _("%(name)s tidak dapat diterima: kuota penuh.") % {"name": name}
    return _("Permohonan %(name)s ditolak.") % {"name": name}


def approval_list(request, region_slug):
    """GET: pending requests with checkboxes. POST: decide the checked ones at once."""
    supervisor, by_admin = _decider_scope(request)
    pending = selectors.approvals_pending(region=request.region, supervisor=supervisor)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        ids = id_list(request.POST.getlist("enrolments"))
        if not ids:
            form.is_valid()
            form.add_error(None, _("Pilih paling sedikit satu permohonan."))
        elif form.is_valid():
            chosen = list(pending.filter(pk__in=ids))
            outcomes: dict[str, int] = {}
            errors = []
            for enrolment in chosen:
                try:
                    enrolment = _decide(
                        request,
                        enrolment,
                        form.cleaned_data["decision"],
                        form.cleaned_data["reason"],
                        by_admin,
                    )
                except ValidationError as exc:
                    errors.append(f"{enrolment.employee.name}: {' '.join(exc.messages)}")
                else:
                    key = enrolment.status
                    if key == S.REJECTED and enrolment.decision_reason == services.QUOTA_FULL:
                        key = "full"
                    outcomes[key] = outcomes.get(key, 0) + 1
            _bulk_messages(request, outcomes, errors, skipped=len(set(ids)) - len(chosen))
            return redirect("training:approval_list", region_slug=region_slug)
    # Shown grouped by offering (soonest first), first come first served inside each group.
    shown = pending.order_by("offering__start_date", "offering_id", "requested_at", "id")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    outlook = selectors.approval_seat_outlook(
        pending=pending, offerings=[e.offering for e in page.object_list]
    )
    for enrolment in page.object_list:
        enrolment.seat_outlook = outlook[enrolment.offering_id]
    return render(
        request,
        "training/enrolment/approval_list.html",
        {
            "page": page,
            "form": form,
            "by_admin": by_admin,
            "query": "",
            "selected": set(id_list(request.POST.getlist("enrolments"))),
        },
    )


def _bulk_messages(request, outcomes, errors, skipped) -> None:
    parts = []
    if outcomes.get(S.CONFIRMED):
        n = outcomes[S.CONFIRMED]
        parts.append(ngettext("%(n)d disetujui", "%(n)d disetujui", n) % {"n": n})
    if outcomes.get(S.WAITLISTED):
        n = outcomes[S.WAITLISTED]
        parts.append(_("%(n)d masuk daftar tunggu") % {"n": n})
    if outcomes.get("full"):
        parts.append(_("%(n)d tidak diterima karena kuota penuh") % {"n": outcomes["full"]})
    if outcomes.get(S.REJECTED):
        parts.append(_("%(n)d ditolak") % {"n": outcomes[S.REJECTED]})
    if parts:
        messages.success(request, _("Keputusan disimpan: %(list)s.") % {"list": ", ".join(parts)})
    for error in errors:
        messages.error(request, error)
    if skipped > 0:
        messages.warning(
            request,
            _("%(n)d permohonan dilewati karena sudah diputuskan atau bukan wewenang Anda.")
            % {"n": skipped},
        )


def approval_decide(request, region_slug, enrolment_id):
    """One request: details, seats left, approve or reject (reason required to reject)."""
    supervisor, by_admin = _decider_scope(request)
    try:
        enrolment = selectors.enrolment_detail(
            region=request.region, pk=enrolment_id, supervisor=supervisor
        )
    except Enrolment.DoesNotExist:
        raise Http404(_("Permohonan tidak ditemukan.")) from None
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = _decide(
                request,
                enrolment,
                form.cleaned_data["decision"],
                form.cleaned_data["reason"],
                by_admin,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _outcome_text(enrolment))
            return redirect("training:approval_list", region_slug=region_slug)
    return render(
        request,
        "training/enrolment/approval_decide.html",
        {
            "enrolment": enrolment,
            "form": form,
            "seats": selectors.offering_seat_summary(
                offering=enrolment.offering, unit=enrolment.employee.unit
            ),
            "history": selectors.enrolment_history(enrolment=enrolment),
            "badges": selectors.STATUS_BADGES,
            "by_admin": by_admin,
        },
    )
