"""BKPSDM admin pages for enrolment: participants per offering, bulk enrolment, cancellation,
attendance per session, completion of an offering, and the decision history."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from kompetensi.spreadsheets import csv_safe
from kompetensi.views import id_list, paginate, query_without_page
from regions import audit
from regions.permissions import region_admin_required
from training.forms.enrolment import BulkEnrolForm, CancelForm
from training.models import Enrolment, Offering, Session
from training.selectors import enrolment as selectors
from training.selectors.catalogue import offering_sessions
from training.services import completion
from training.services import enrolment as services

S = Enrolment.Status


def _get_offering(request, offering_id) -> Offering:
    return get_object_or_404(
        Offering.objects.select_related("program", "program__provider"),
        region=request.region,
        pk=offering_id,
    )


def _get_enrolment(request, enrolment_id) -> Enrolment:
    try:
        return selectors.enrolment_detail(region=request.region, pk=enrolment_id)
    except Enrolment.DoesNotExist:
        raise Http404(_("Pendaftaran tidak ditemukan.")) from None


@region_admin_required
def offering_overview(request, region_slug):
    """Offerings with their participant counts: the way into each participant list."""
    status = request.GET.get("status", "")
    if status not in Offering.Status.values:
        status = ""
    offerings = selectors.offerings_for_enrolment_admin(region=request.region, status=status)
    return render(
        request,
        "training/enrolment/admin_offerings.html",
        {
            "page": paginate(request, offerings),
            "status": status,
            "statuses": Offering.Status.choices,
            "query": query_without_page(request),
            "pending_count": selectors.approvals_pending(
                region=request.region, supervisor=None
            ).count(),
        },
    )


@region_admin_required
def offering_participants(request, region_slug, offering_id):
    offering = _get_offering(request, offering_id)
    status = request.GET.get("status", "")
    if status not in S.values:
        status = ""
    participants = selectors.offering_participants(offering=offering, status=status)
    counts = selectors.enrolment_status_counts(offering=offering)
    return render(
        request,
        "training/enrolment/participants.html",
        {
            "offering": offering,
            "page": paginate(request, participants),
            "status": status,
            "status_counts": [(value, label, counts[value]) for value, label in S.choices],
            "total": sum(counts.values()),
            "seats": selectors.offering_seat_summary(offering=offering),
            "sessions": list(offering_sessions(offering=offering)),
            "badges": selectors.STATUS_BADGES,
            "query": query_without_page(request),
        },
    )


CSV_HEADER = [
    "NIP",
    "Nama",
    "Unit kerja",
    "Jabatan",
    "Status",
    "Kursi khusus unit",
    "Asal pendaftaran",
    "Waktu mendaftar",
    "Waktu konfirmasi",
    "Posisi daftar tunggu",
    "Kehadiran (%)",
    "Nilai pre-test",
    "Nilai post-test",
    "Kemajuan kursus (%)",
    "JP diperoleh",
    "Nomor sertifikat",
    "Keterangan hasil",
]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@region_admin_required
def offering_participants_csv(request, region_slug, offering_id):
    offering = _get_offering(request, offering_id)
    status = request.GET.get("status", "")
    if status not in S.values:
        status = ""
    audit.record(action=audit.Action.EXPORT, region=request.region, obj=offering, note="peserta")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="peserta-{offering.program.code}-{offering.pk}.csv"'
    )
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for e in selectors.offering_participants(offering=offering, status=status).iterator(
        chunk_size=500
    ):
        writer.writerow(
            [
                csv_safe(value)
                for value in (
                    e.employee.nip,
                    e.employee.name,
                    e.employee.unit.name,
                    e.employee.position,
                    e.get_status_display(),
                    e.reserved_unit.name if e.reserved_unit else "",
                    e.get_source_display(),
                    _local(e.requested_at),
                    _local(e.confirmed_at),
                    e.waitlist_position or "",
                    e.attendance_rate if e.attendance_rate is not None else "",
                    e.pre_test_score if e.pre_test_score is not None else "",
                    e.post_test_score if e.post_test_score is not None else "",
                    e.course_progress if e.course_progress is not None else "",
                    e.jp_awarded if e.jp_awarded is not None else "",
                    e.certificate_number,
                    e.outcome_reason,
                )
            ]
        )
    return response


@region_admin_required
def offering_bulk_enrol(request, region_slug, offering_id):
    """Enrol employees by unit, pasted NIPs or a CSV of NIPs; show one outcome per row."""
    offering = _get_offering(request, offering_id)
    form = BulkEnrolForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        region=request.region,
    )
    outcomes = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["mode"] == BulkEnrolForm.BY_UNIT:
            employees = selectors.employees_of_unit(
                region=request.region, unit=form.cleaned_data["unit"]
            )
            unknown = []
        else:
            employees, unknown = selectors.employees_by_nips(
                region=request.region, nips=form.cleaned_data["nip_list"]
            )
        outcomes = services.enrolment_bulk_create(
            offering=offering, employees=employees, actor=request.user, unknown=unknown
        )
        if not outcomes:
            form.add_error(None, _("Tidak ada pegawai aktif yang cocok."))
            outcomes = None
    summary = None
    if outcomes is not None:
        summary = {
            key: sum(1 for o in outcomes if o.status == key)
            for key in ("confirmed", "waitlisted", "requested", "refused")
        }
    return render(
        request,
        "training/enrolment/bulk_enrol.html",
        {
            "offering": offering,
            "form": form,
            "outcomes": outcomes,
            "summary": summary,
            "seats": selectors.offering_seat_summary(offering=offering),
        },
    )


@region_admin_required
def offering_fill_waitlist(request, region_slug, offering_id):
    """POST: promote waitlisted participants into every free seat."""
    offering = _get_offering(request, offering_id)
    if request.method == "POST":
        promoted = services.offering_fill_from_waitlist(offering=offering, actor=request.user)
        if promoted:
            messages.success(
                request,
                _("%(n)d peserta naik dari daftar tunggu dan terkonfirmasi.")
                % {"n": len(promoted)},
            )
        else:
            messages.info(
                request, _("Tidak ada peserta daftar tunggu yang dapat naik: kursi masih penuh.")
            )
    return redirect(
        "training:offering_participants", region_slug=region_slug, offering_id=offering.pk
    )


@region_admin_required
def enrolment_admin_detail(request, region_slug, enrolment_id):
    enrolment = _get_enrolment(request, enrolment_id)
    return render(
        request,
        "training/enrolment/admin_detail.html",
        {
            "enrolment": enrolment,
            "history": selectors.enrolment_history(enrolment=enrolment),
            "badges": selectors.STATUS_BADGES,
            "form": CancelForm(),
        },
    )


@region_admin_required
def enrolment_admin_cancel(request, region_slug, enrolment_id):
    """Cancel or remove a participant (reason required); the seat goes to the waitlist."""
    enrolment = _get_enrolment(request, enrolment_id)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_cancel(
                enrolment=enrolment,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                by_admin=True,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Pendaftaran %(name)s dibatalkan.") % {"name": enrolment.employee.name},
            )
            return redirect(
                "training:offering_participants",
                region_slug=region_slug,
                offering_id=enrolment.offering_id,
            )
    return render(
        request,
        "training/enrolment/admin_cancel.html",
        {"enrolment": enrolment, "form": form, "badges": selectors.STATUS_BADGES},
    )


@region_admin_required
def session_attendance(request, region_slug, session_id):
    """A checkbox grid of the confirmed participants, saved in one POST."""
    session = get_object_or_404(
        Session.objects.select_related("offering", "offering__program"),
        region=request.region,
        pk=session_id,
    )
    offering = session.offering
    if request.method == "POST":
        ids = id_list(request.POST.getlist("present"))
        try:
            n = completion.attendance_save(session=session, present_ids=ids, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Kehadiran disimpan: %(n)d peserta hadir.") % {"n": n})
        return redirect(
            "training:session_attendance", region_slug=region_slug, session_id=session.pk
        )
    rows = selectors.session_attendance_grid(session=session)
    return render(
        request,
        "training/enrolment/attendance.html",
        {
            "session": session,
            "offering": offering,
            "neighbours": selectors.session_neighbours(session=session),
            "rows": rows,
            "present_count": sum(1 for r in rows if r.present),
            "editable": session.status != Session.Status.CANCELLED
            and not offering.is_closed
            and completion.attendance_is_open(session),
            "opens_at": completion.attendance_opens_at(session),
            "not_open_yet": not completion.attendance_is_open(session),
            "badges": selectors.STATUS_BADGES,
        },
    )


@region_admin_required
def offering_complete(request, region_slug, offering_id):
    """GET: preview who completes and who does not. POST: complete the offering."""
    offering = _get_offering(request, offering_id)
    if request.method == "POST":
        try:
            result = completion.offering_complete(offering=offering, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(
                "training:offering_complete", region_slug=region_slug, offering_id=offering.pk
            )
        if result.already_completed:
            messages.info(request, _("Angkatan ini sudah diselesaikan sebelumnya."))
        else:
            messages.success(
                request,
                _(
                    "Angkatan diselesaikan: %(completed)d peserta lulus (JP dicatat, sertifikat "
                    "diterbitkan di latar belakang), %(no_show)d tidak memenuhi syarat, "
                    "%(failed)d tidak lulus post-test, %(cancelled)d permohonan/daftar tunggu "
                    "dibatalkan."
                )
                % {
                    "completed": result.completed,
                    "no_show": result.no_show,
                    "failed": result.failed,
                    "cancelled": result.cancelled,
                },
            )
        return redirect(
            "training:offering_participants", region_slug=region_slug, offering_id=offering.pk
        )
    rows, req = completion.completion_preview(offering=offering)
    counts = selectors.enrolment_status_counts(offering=offering)
    return render(
        request,
        "training/enrolment/complete.html",
        {
            "offering": offering,
            "rows": rows,
            "req": req,
            "total_sessions": req.total_sessions,
            "will_complete": sum(1 for r in rows if r.verdict == S.COMPLETED),
            "will_fail": sum(1 for r in rows if r.verdict == S.NO_SHOW),
            "will_not_pass": sum(1 for r in rows if r.verdict == S.FAILED),
            "leftovers": sum(counts[status] for status in Enrolment.WAITING_STATUSES),
            "is_completed": offering.status == Offering.Status.COMPLETED,
            "is_cancelled": offering.status == Offering.Status.CANCELLED,
            "not_finished": not completion.offering_can_complete_today(offering=offering),
        },
    )
