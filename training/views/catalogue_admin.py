"""BKPSDM admin pages of the catalogue: programmes, offerings (batches), sessions, unit quotas.

Views stay thin: forms parse input, `training.selectors.catalogue` reads, and
`training.services.programmes` / `training.services.catalogue` decide and write; a service's
ValidationError goes back on the form (or into a message for one-click actions) and nothing is
saved. Objects are always looked up inside the request's region, so another region's id is a
404 whatever the method.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from kompetensi.views import paginate, query_without_page
from regions.permissions import region_admin_required
from training.forms.catalogue import (
    CancelForm,
    OfferingCopyForm,
    OfferingForm,
    ProgramForm,
    RecurringSessionForm,
    SessionForm,
    StatusChangeForm,
    UnitQuotaForm,
    offering_filters,
    program_filters,
)
from training.models import Offering, OfferingUnitQuota, Program, Session
from training.panels import render_panels
from training.selectors import catalogue as selectors
from training.selectors.history import history_for
from training.services import catalogue as services
from training.services import programmes
from training.views.catalogue import position_type_labels

# --- Helpers -----------------------------------------------------------------------------------


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _get_program(request, pk) -> Program:
    return get_object_or_404(
        Program.objects.select_related("form", "provider"), region=request.region, pk=pk
    )


def _get_offering(request, pk) -> Offering:
    return get_object_or_404(
        Offering.objects.select_related("program", "program__form"),
        region=request.region,
        pk=pk,
    )


def _get_session(request, pk) -> Session:
    return get_object_or_404(
        Session.objects.select_related("offering", "offering__program", "speaker"),
        region=request.region,
        pk=pk,
    )


def _program_url(program):
    return redirect("training:program_detail", region_slug=program.region.slug, pk=program.pk)


def _offering_url(offering):
    return redirect("training:offering_detail", region_slug=offering.region.slug, pk=offering.pk)


def program_detail_url(program) -> str:
    return reverse(
        "training:program_detail", kwargs={"region_slug": program.region.slug, "pk": program.pk}
    )


def offering_detail_url(offering) -> str:
    return reverse(
        "training:offering_detail", kwargs={"region_slug": offering.region.slug, "pk": offering.pk}
    )


def _confirm(
    request,
    *,
    title,
    text,
    button,
    back_url,
    warning="",
    button_class="btn-primary",
    second_button="",
):
    return render(
        request,
        "training/catalogue/admin/confirm.html",
        {
            "title": title,
            "text": text,
            "warning": warning,
            "button": button,
            "button_class": button_class,
            "second_button": second_button,
            "back_url": back_url,
            "form": StatusChangeForm(),
        },
    )


def _run_action(request, action, *, success, on_done):
    """POST-only one-click change: run the service, report, and go back."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success)
    return on_done()


# --- Programmes --------------------------------------------------------------------------------


@region_admin_required
def program_list(request, region_slug):
    filters = program_filters(request.GET)
    programs = selectors.program_list(region=request.region, **filters)
    return render(
        request,
        "training/catalogue/admin/program_list.html",
        {
            "page": paginate(request, programs),
            "filters": filters,
            "statuses": Program.Status.choices,
            "forms": selectors.development_forms(),
            "query": query_without_page(request),
        },
    )


@region_admin_required
def program_create(request, region_slug):
    form = ProgramForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        try:
            program = programmes.program_create(
                region=request.region, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Program %(title)s disimpan sebagai draf. Terbitkan bila sudah siap.")
                % {"title": program.title},
            )
            return _program_url(program)
    return render(request, "training/catalogue/admin/program_form.html", {"form": form})


@region_admin_required
def program_detail(request, region_slug, pk):
    program = get_object_or_404(
        selectors.program_for_admin(region=request.region), region=request.region, pk=pk
    )
    offerings = selectors.program_offerings(program=program)
    return render(
        request,
        "training/catalogue/admin/program_detail.html",
        {
            "program": program,
            "page": paginate(request, offerings),
            "query": query_without_page(request),
            "missing": programmes.program_missing_for_publication(program=program),
            "position_types": position_type_labels(program),
            "history": history_for(subject=program),
            "panels": render_panels("program_detail", request=request, obj=program),
        },
    )


@region_admin_required
def program_edit(request, region_slug, pk):
    program = _get_program(request, pk)
    if program.status == Program.Status.ARCHIVED:
        messages.error(
            request,
            _("Program yang diarsipkan tidak dapat diubah. Terbitkan kembali terlebih dahulu."),
        )
        return _program_url(program)
    form = ProgramForm(request.POST or None, region=request.region, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            programmes.program_update(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Perubahan program disimpan."))
            return _program_url(program)
    return render(
        request, "training/catalogue/admin/program_form.html", {"form": form, "program": program}
    )


@region_admin_required
def program_publish(request, region_slug, pk):
    program = _get_program(request, pk)
    if request.method == "GET":
        return _confirm(
            request,
            title=_("Terbitkan program %(title)s?") % {"title": program.title},
            text=_(
                "Program yang terbit tampil di katalog ASN wilayah ini, dan angkatannya dapat "
                "dibuka untuk pendaftaran."
            ),
            button=_("Terbitkan"),
            second_button=_("Terbitkan lalu tambah angkatan"),
            back_url=program_detail_url(program),
        )
    then_batch = request.POST.get("then") == "second"
    return _run_action(
        request,
        lambda: programmes.program_publish(program=program, actor=request.user),
        success=_("Program %(title)s telah terbit.") % {"title": program.title},
        on_done=lambda: (
            redirect("training:offering_create", region_slug=region_slug, pk=program.pk)
            if then_batch
            else _program_url(program)
        ),
    )


@region_admin_required
def program_archive(request, region_slug, pk):
    program = _get_program(request, pk)
    if request.method == "GET":
        return _confirm(
            request,
            title=_("Arsipkan program %(title)s?") % {"title": program.title},
            text=_(
                "Program yang diarsipkan hilang dari katalog ASN dan tidak dapat diubah atau "
                "ditambah angkatan. Riwayat dan angkatan lamanya tetap tersimpan."
            ),
            warning=_(
                "Program yang masih memiliki angkatan dibuka atau berlangsung tidak dapat "
                "diarsipkan."
            ),
            button=_("Arsipkan"),
            button_class="btn-warning",
            back_url=program_detail_url(program),
        )
    return _run_action(
        request,
        lambda: programmes.program_archive(program=program, actor=request.user),
        success=_("Program %(title)s telah diarsipkan.") % {"title": program.title},
        on_done=lambda: _program_url(program),
    )


# --- Offerings ---------------------------------------------------------------------------------


def _next_batch_name(program: Program) -> str:
    count = Offering.objects.filter(region_id=program.region_id, program=program).count()
    return _("Angkatan %(number)d") % {"number": count + 1}


@region_admin_required
def offering_list(request, region_slug):
    filters = offering_filters(request.GET)
    offerings = selectors.offering_list(region=request.region, **filters)
    return render(
        request,
        "training/catalogue/admin/offering_list.html",
        {
            "page": paginate(request, offerings),
            "filters": filters,
            "month_value": filters["month"].strftime("%Y-%m") if filters["month"] else "",
            "statuses": Offering.Status.choices,
            "query": query_without_page(request),
        },
    )


@region_admin_required
def offering_create(request, region_slug, pk):
    program = _get_program(request, pk)
    form = OfferingForm(
        request.POST or None,
        region=request.region,
        initial={"name": _next_batch_name(program), "venue": ""},
    )
    if request.method == "POST" and form.is_valid():
        and_open = request.POST.get("then") == "open"
        create = services.offering_create_and_open if and_open else services.offering_create
        try:
            offering = create(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if and_open:
                message = _("%(name)s ditambahkan dan pendaftarannya dibuka.")
            else:
                message = _("%(name)s ditambahkan dengan status direncanakan.")
            messages.success(request, message % {"name": offering.name})
            return _offering_url(offering)
    return render(
        request,
        "training/catalogue/admin/offering_form.html",
        {"form": form, "program": program, "offering": None},
    )


def _offering_detail(request, offering_pk, *, quota_form=None, status=200):
    offering = get_object_or_404(
        selectors.offering_for_admin(region=request.region), region=request.region, pk=offering_pk
    )
    return render(
        request,
        "training/catalogue/admin/offering_detail.html",
        {
            "offering": offering,
            "program": offering.program,
            "sessions": selectors.offering_sessions(offering=offering),
            "quotas": selectors.offering_unit_quotas(offering=offering),
            "quota_form": quota_form or UnitQuotaForm(region=request.region),
            "history": history_for(subject=offering),
            "panels": render_panels("offering_detail", request=request, obj=offering),
        },
        status=status,
    )


@region_admin_required
def offering_detail(request, region_slug, pk):
    return _offering_detail(request, pk)


def _refuse_read_only(request, offering) -> bool:
    if offering.is_closed:
        messages.error(
            request, _("Angkatan yang sudah selesai atau dibatalkan tidak dapat diubah lagi.")
        )
        return True
    return False


@region_admin_required
def offering_edit(request, region_slug, pk):
    offering = _get_offering(request, pk)
    if _refuse_read_only(request, offering):
        return _offering_url(offering)
    form = OfferingForm(request.POST or None, region=request.region, instance=offering)
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_update(offering=offering, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Perubahan angkatan disimpan."))
            return _offering_url(offering)
    return render(
        request,
        "training/catalogue/admin/offering_form.html",
        {"form": form, "program": offering.program, "offering": offering},
    )


@region_admin_required
def offering_copy(request, region_slug, pk):
    offering = _get_offering(request, pk)
    form = OfferingCopyForm(
        request.POST or None, initial={"name": _next_batch_name(offering.program)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.offering_copy(
                offering=offering, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(name)s dibuat dari %(source)s, lengkap dengan narasumber, kuota unit dan "
                    "sesinya. Periksa lalu buka pendaftarannya."
                )
                % {"name": copy.name, "source": offering.name},
            )
            return _offering_url(copy)
    return render(
        request,
        "training/catalogue/admin/offering_copy.html",
        {
            "form": form,
            "offering": offering,
            "session_count": offering.sessions.filter(status=Session.Status.SCHEDULED).count(),
        },
    )


@region_admin_required
def offering_open(request, region_slug, pk):
    offering = _get_offering(request, pk)
    if request.method == "GET":
        return _confirm(
            request,
            title=_("Buka pendaftaran %(name)s?") % {"name": offering.name},
            text=_("ASN dapat mendaftar dari %(opens)s sampai %(closes)s selama kuota masih ada.")
            % {
                "opens": date_format(offering.enrolment_opens, "j M Y"),
                "closes": date_format(offering.enrolment_closes, "j M Y"),
            },
            button=_("Buka pendaftaran"),
            back_url=offering_detail_url(offering),
        )
    return _run_action(
        request,
        lambda: services.offering_open(offering=offering, actor=request.user),
        success=_("Pendaftaran %(name)s dibuka.") % {"name": offering.name},
        on_done=lambda: _offering_url(offering),
    )


@region_admin_required
def offering_start(request, region_slug, pk):
    offering = _get_offering(request, pk)
    if request.method == "GET":
        return _confirm(
            request,
            title=_("Tandai %(name)s sedang berlangsung?") % {"name": offering.name},
            text=_("Angkatan yang berlangsung tidak lagi menerima pendaftaran mandiri dari ASN."),
            button=_("Mulai angkatan"),
            back_url=offering_detail_url(offering),
        )
    return _run_action(
        request,
        lambda: services.offering_start(offering=offering, actor=request.user),
        success=_("%(name)s sekarang berlangsung.") % {"name": offering.name},
        on_done=lambda: _offering_url(offering),
    )


@region_admin_required
def offering_cancel(request, region_slug, pk):
    offering = get_object_or_404(
        selectors.offering_for_admin(region=request.region), region=request.region, pk=pk
    )
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_cancel(
                offering=offering, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s dibatalkan; pendaftaran pesertanya dibatalkan dan mereka diberi tahu.")
                % {"name": offering.name},
            )
            return _offering_url(offering)
    return render(
        request,
        "training/catalogue/admin/cancel.html",
        {
            "form": form,
            "title": _("Batalkan %(name)s") % {"name": offering.name},
            "subject": offering,
            "text": _(
                "Semua sesi angkatan ini dan %(count)d pendaftaran aktif akan dibatalkan, dan "
                "setiap peserta menerima pemberitahuan beserta alasannya. Angkatan tetap tersimpan "
                "dan tidak dapat diubah lagi."
            )
            % {"count": offering.ongoing_count},
            "back_url": offering_detail_url(offering),
        },
    )


# --- Unit quotas -------------------------------------------------------------------------------


@region_admin_required
def offering_quota_set(request, region_slug, pk):
    offering = _get_offering(request, pk)
    if request.method != "POST":
        return _offering_url(offering)
    form = UnitQuotaForm(request.POST, region=request.region)
    if form.is_valid():
        try:
            quota = services.offering_unit_quota_set(
                offering=offering, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(seats)d kursi khusus disediakan untuk %(unit)s.")
                % {"seats": quota.seats, "unit": quota.unit.name},
            )
            return _offering_url(offering)
    return _offering_detail(request, offering.pk, quota_form=form, status=400)


@region_admin_required
def offering_quota_remove(request, region_slug, pk):
    quota = get_object_or_404(
        OfferingUnitQuota.objects.select_related("offering", "unit"), region=request.region, pk=pk
    )
    if request.method == "GET":
        return _confirm(
            request,
            title=_("Hapus kuota unit %(unit)s?") % {"unit": quota.unit.name},
            text=_("%(seats)d kursi khusus untuk unit ini tidak lagi disediakan.")
            % {"seats": quota.seats},
            button=_("Hapus kuota"),
            button_class="btn-danger",
            back_url=offering_detail_url(quota.offering),
        )
    return _run_action(
        request,
        lambda: services.offering_unit_quota_remove(quota=quota, actor=request.user),
        success=_("Kuota unit %(unit)s dihapus.") % {"unit": quota.unit.name},
        on_done=lambda: _offering_url(quota.offering),
    )


# --- Sessions ----------------------------------------------------------------------------------


@region_admin_required
def session_create(request, region_slug, pk):
    offering = _get_offering(request, pk)
    if _refuse_read_only(request, offering):
        return _offering_url(offering)
    form = SessionForm(
        request.POST or None,
        region=request.region,
        initial={"location": offering.venue, "online_link": offering.online_link},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_create(offering=offering, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Sesi ditambahkan."))
            return _offering_url(offering)
    return render(
        request,
        "training/catalogue/admin/session_form.html",
        {"form": form, "offering": offering, "session": None},
    )


@region_admin_required
def session_recurring(request, region_slug, pk):
    offering = _get_offering(request, pk)
    if _refuse_read_only(request, offering):
        return _offering_url(offering)
    form = RecurringSessionForm(
        request.POST or None,
        region=request.region,
        initial={
            "first_date": offering.start_date,
            "location": offering.venue,
            "online_link": offering.online_link,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            sessions = services.session_create_recurring(
                offering=offering, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(count)d sesi dibuat.") % {"count": len(sessions)})
            return _offering_url(offering)
    return render(
        request,
        "training/catalogue/admin/session_recurring.html",
        {"form": form, "offering": offering},
    )


@region_admin_required
def session_edit(request, region_slug, pk):
    session = _get_session(request, pk)
    offering = session.offering
    if _refuse_read_only(request, offering):
        return _offering_url(offering)
    if session.status == Session.Status.CANCELLED:
        messages.error(request, _("Sesi yang dibatalkan tidak dapat diubah."))
        return _offering_url(offering)
    form = SessionForm(request.POST or None, region=request.region, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Sesi disimpan; peserta diberi tahu bila jadwal berubah."))
            return _offering_url(offering)
    return render(
        request,
        "training/catalogue/admin/session_form.html",
        {"form": form, "offering": offering, "session": session},
    )


@region_admin_required
def session_cancel(request, region_slug, pk):
    session = _get_session(request, pk)
    offering = session.offering
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                session=session, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Sesi %(title)s dibatalkan dan peserta diberi tahu.") % {"title": session.title},
            )
            return _offering_url(offering)
    return render(
        request,
        "training/catalogue/admin/cancel.html",
        {
            "form": form,
            "title": _("Batalkan sesi %(title)s") % {"title": session.title},
            "subject": session,
            "text": _(
                "Sesi tetap tercatat dengan status dibatalkan beserta alasannya, dan peserta "
                "angkatan menerima pemberitahuan."
            ),
            "back_url": offering_detail_url(offering),
        },
    )
