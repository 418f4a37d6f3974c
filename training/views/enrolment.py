"""ASN pages: enrol in an offering, my enrolments, detail with history, cancel."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from regions.permissions import region_employee_required
from training.forms.enrolment import CancelForm, EnrolForm
from training.models import Enrolment, Offering, Program, Session
from training.selectors import enrolment as selectors
from training.selectors.catalogue import offering_sessions
from training.selectors.certificates import certificate_of_enrolment
from training.selectors.courses import course_of_offering
from training.services import enrolment as services

PAGE_SIZE = 25
S = Enrolment.Status
# Pages show whether an enrolment can be cancelled through the model's guards
# (`is_cancellable`, `cancel_deadline`, `can_cancel()`); the service checks again.


def outcome_message(enrolment: Enrolment) -> str:
    """What happened to an enrolment just made, in the ASN's words."""
    title = enrolment.offering.program.title
    if enrolment.status == S.CONFIRMED:
        return _("Pendaftaran Anda di %(title)s terkonfirmasi. Sampai jumpa di kelas!") % {
            "title": title
        }
    if enrolment.status == S.REQUESTED:
        supervisor = enrolment.employee.supervisor
        if supervisor is not None:
            return _(
                "Pendaftaran Anda di %(title)s sudah dikirim dan menunggu persetujuan atasan "
                "langsung (%(name)s)."
            ) % {"title": title, "name": supervisor.name}
        return _(
            "Pendaftaran Anda di %(title)s menunggu persetujuan. Atasan langsung Anda belum "
            "tercatat, sehingga admin BKPSDM yang akan memutuskan."
        ) % {"title": title}
    if enrolment.status == S.WAITLISTED:
        return _(
            "Kuota %(title)s sudah penuh. Anda masuk daftar tunggu nomor %(position)s dan akan "
            "dikonfirmasi otomatis bila ada kursi kosong."
        ) % {"title": title, "position": services.waitlist_position(enrolment=enrolment)}
    return _("Status pendaftaran Anda: %(status)s.") % {"status": enrolment.get_status_display()}


@region_employee_required
def offering_enrol(request, region_slug, offering_id):
    offering = get_object_or_404(
        Offering.objects.select_related("program", "program__provider", "program__form"),
        region=request.region,
        pk=offering_id,
        # As in the catalogue: a draft or archived programme's batches are not shown to ASN.
        program__status=Program.Status.PUBLISHED,
    )
    employee = request.access.employee
    existing = selectors.enrolment_live(offering=offering, employee=employee)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_create(
                offering=offering,
                employee=employee,
                actor=request.user,
                source=Enrolment.Source.SELF,
                motivation=form.cleaned_data["motivation"],
                idempotency_key=_idempotency_key(request),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            enrolment.employee = employee
            level = messages.SUCCESS if enrolment.status == S.CONFIRMED else messages.INFO
            messages.add_message(request, level, outcome_message(enrolment))
            return redirect("training:my_enrolments", region_slug=region_slug)
    return render(
        request,
        "training/enrolment/enrol.html",
        {
            "offering": offering,
            "form": form,
            "existing": existing,
            "blockers": []
            if existing
            else services.enrolment_blockers(offering=offering, employee=employee),
            "seats": selectors.offering_seat_summary(offering=offering, unit=employee.unit),
            "sessions": list(
                offering_sessions(offering=offering).exclude(status=Session.Status.CANCELLED)
            ),
            "idempotency_key": uuid.uuid4().hex,
        },
    )


def _idempotency_key(request) -> str:
    """A form's one-time key (so a double submit enrols once), namespaced to the user."""
    raw = request.POST.get("idempotency_key", "")
    if len(raw) != 32 or not raw.isalnum():
        return ""
    return f"web:{request.user.pk}:{raw}"


@region_employee_required
def my_enrolments(request, region_slug):
    employee = request.access.employee
    page = Paginator(selectors.enrolment_list_for_employee(employee=employee), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/enrolment/my_list.html",
        {"page": page, "badges": selectors.STATUS_BADGES, "query": ""},
    )


def _my_enrolment(request, enrolment_id) -> Enrolment:
    try:
        return selectors.enrolment_detail(
            region=request.region, pk=enrolment_id, employee=request.access.employee
        )
    except Enrolment.DoesNotExist:
        raise Http404(_("Pendaftaran tidak ditemukan.")) from None


@region_employee_required
def my_enrolment_detail(request, region_slug, enrolment_id):
    enrolment = _my_enrolment(request, enrolment_id)
    sessions = selectors.enrolment_sessions_with_attendance(enrolment=enrolment)
    return render(
        request,
        "training/enrolment/my_detail.html",
        {
            "enrolment": enrolment,
            "sessions": sessions,
            "history": selectors.enrolment_history(enrolment=enrolment),
            "badges": selectors.STATUS_BADGES,
            "course": course_of_offering(offering=enrolment.offering),
            "certificate": certificate_of_enrolment(enrolment=enrolment),
        },
    )


@region_employee_required
def my_enrolment_cancel(request, region_slug, enrolment_id):
    enrolment = _my_enrolment(request, enrolment_id)
    form = CancelForm(request.POST if request.method == "POST" else None, reason_required=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_cancel(
                enrolment=enrolment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Pendaftaran Anda di %(title)s sudah dibatalkan.")
                % {"title": enrolment.offering.program.title},
            )
        return redirect("training:my_enrolments", region_slug=region_slug)
    return render(
        request,
        "training/enrolment/my_cancel.html",
        {"enrolment": enrolment, "form": form, "badges": selectors.STATUS_BADGES},
    )
