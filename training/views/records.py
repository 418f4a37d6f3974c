"""JP ledger pages: "Capaian JP saya", external records with evidence, the admins'
verification queue, and the supervisor's team JP overview.

Views are thin: forms parse, training.services.records decides, training.selectors.records
reads. Objects are looked up inside the request's region (and, for ASN pages, among the
employee's own records), so anyone else's record is a 404.
"""

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from kompetensi.uploads import attachment_response
from kompetensi.views import paginate, query_without_page
from regions.models import Unit
from regions.permissions import (
    region_admin_required,
    region_employee_required,
    supervisor_required,
)
from training.forms.records import RecordForm, RecordQueueFilterForm, RecordRejectForm
from training.models import DevelopmentForm, DevelopmentRecord
from training.selectors import records as selectors
from training.selectors.certificates import certificates_of_employee
from training.services import records as services
from training.services.jp_rules import jp_format, jp_maximum, jp_rule_kind, jp_rule_text
from training.validators import evidence_content_type, evidence_max_bytes

Status = DevelopmentRecord.Status


# --- Helpers -----------------------------------------------------------------------------------


def _year_param(request, *, default: int, latest: int | None = None) -> int:
    """The `tahun` query parameter as a year, or `default` when missing or odd."""
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        return default
    if not 2000 <= year <= (latest or default + 1):
        return default
    return year


def _jp_rules() -> list[dict]:
    """The forms with a JP conversion rule, for the help card of the record form."""
    rules = []
    for form in DevelopmentForm.objects.order_by("id"):
        if jp_rule_kind(form) is None:
            continue
        rules.append(
            {
                "form": form,
                "rule": jp_rule_text(form),
                "rule_international": jp_rule_text(form, is_international=True),
            }
        )
    return rules


def _owned_record(request, record_id) -> DevelopmentRecord:
    record = selectors.record_get_for_owner(
        region=request.region, employee=request.access.employee, record_id=record_id
    )
    if record is None:
        raise Http404(_("Riwayat tidak ditemukan."))
    return record


def _admin_record(request, record_id) -> DevelopmentRecord:
    record = selectors.record_get_for_admin(region=request.region, record_id=record_id)
    if record is None:
        raise Http404(_("Riwayat tidak ditemukan."))
    return record


def _record_form(request, record=None) -> RecordForm:
    return RecordForm(
        request.POST or None,
        request.FILES or None,
        record=record,
        max_bytes=evidence_max_bytes(),
    )


def _cap_text(record: DevelopmentRecord) -> str:
    maximum = jp_maximum(
        form=record.form,
        start_date=record.start_date,
        end_date=record.end_date,
        is_international=record.is_international,
    )
    if maximum is None:
        return ""
    return _("Batas JP untuk kegiatan ini: %(max)s JP (%(rule)s).") % {
        "max": jp_format(maximum),
        "rule": jp_rule_text(record.form, is_international=record.is_international),
    }


# --- ASN: my year ------------------------------------------------------------------------------


@region_employee_required
def my_jp(request, region_slug):
    employee = request.access.employee
    current = timezone.localdate().year
    year = _year_param(request, default=current, latest=current)
    records = selectors.record_list_for_employee(
        region=request.region, employee=employee, year=year
    )
    return render(
        request,
        "training/records/my_jp.html",
        {
            "year": year,
            "current_year": current,
            "years": selectors.record_years_for_employee(region=request.region, employee=employee),
            "progress": selectors.record_year_summary(
                region=request.region, employee=employee, year=year
            ),
            "page": paginate(request, records),
            "query": query_without_page(request),
            "certificates": certificates_of_employee(employee=employee).filter(
                enrolment__offering__end_date__year=year
            ),
        },
    )


@region_employee_required
def record_create(request, region_slug):
    form = _record_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_submit(
                employee=request.access.employee, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Riwayat “%(title)s” terkirim dan menunggu verifikasi admin BKPSDM.")
                % {"title": record.title},
            )
            return redirect(f"{reverse('training:my_jp', args=[region_slug])}?tahun={record.year}")
    return render(
        request,
        "training/records/record_form.html",
        {"form": form, "record": None, "jp_rules": _jp_rules()},
    )


@region_employee_required
def record_detail(request, region_slug, record_id):
    record = _owned_record(request, record_id)
    return render(
        request,
        "training/records/record_detail.html",
        {
            "record": record,
            "history": selectors.record_history(record=record),
            "can_change": record.source == DevelopmentRecord.Source.EXTERNAL
            and record.status in services.EDITABLE_STATUSES,
            "cap_text": _cap_text(record),
            "admin_view": False,
        },
    )


@region_employee_required
def record_edit(request, region_slug, record_id):
    record = _owned_record(request, record_id)
    detail_url = reverse("training:record_detail", args=[region_slug, record.pk])
    if (
        record.source != DevelopmentRecord.Source.EXTERNAL
        or record.status not in services.EDITABLE_STATUSES
    ):
        messages.error(request, _("Riwayat ini tidak dapat diubah lagi."))
        return redirect(detail_url)
    form = _record_form(request, record)
    if request.method == "POST" and form.is_valid():
        was_rejected = record.status == Status.REJECTED
        try:
            record = services.record_update(
                record=record,
                employee=request.access.employee,
                user=request.user,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if was_rejected:
                messages.success(request, _("Riwayat diperbaiki dan diajukan kembali."))
            else:
                messages.success(request, _("Perubahan riwayat tersimpan."))
            return redirect(detail_url)
    return render(
        request,
        "training/records/record_form.html",
        {"form": form, "record": record, "jp_rules": _jp_rules()},
    )


@region_employee_required
def record_withdraw(request, region_slug, record_id):
    record = _owned_record(request, record_id)
    if request.method == "POST":
        try:
            services.record_withdraw(
                record=record, employee=request.access.employee, user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("training:record_detail", region_slug=region_slug, record_id=record.pk)
        messages.success(request, _("Riwayat “%(title)s” telah ditarik.") % {"title": record.title})
        return redirect(f"{reverse('training:my_jp', args=[region_slug])}?tahun={record.year}")
    return render(request, "training/records/record_withdraw.html", {"record": record})


def record_evidence(request, region_slug, record_id):
    """The evidence file, for its owner and the region's admins only (404 for anyone else)."""
    access = request.access
    record = selectors.record_get_for_admin(region=request.region, record_id=record_id)
    is_owner = (
        access.employee is not None
        and record is not None
        and (record.employee_id == access.employee.pk)
    )
    if record is None or not (is_owner or access.is_admin) or not record.evidence:
        raise Http404(_("Berkas bukti tidak ditemukan."))
    name = record.evidence.name
    try:
        handle = record.evidence.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("Berkas bukti tidak ditemukan.")) from exc
    extension = os.path.splitext(name)[1].lower()
    # Inline for the verification preview (only PDF/PNG/JPG are ever stored: sniffed on
    # upload), as an attachment with ?unduh=1; nosniff either way (kompetensi.uploads).
    return attachment_response(
        handle,
        filename=f"bukti-riwayat-{record.pk}{extension}",
        content_type=evidence_content_type(name),
        inline=request.GET.get("unduh") != "1",
    )


# --- Admin: verification -----------------------------------------------------------------------


@region_admin_required
def record_queue(request, region_slug):
    units = list(Unit.objects.filter(region=request.region).order_by("name").only("id", "name"))
    years = selectors.record_queue_years(region=request.region)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = Status.SUBMITTED
    filters = RecordQueueFilterForm(data, units=units, years=years)
    filters.is_valid()
    # A filter with an odd value is dropped; the others still apply.
    cleaned = filters.cleaned_data
    records = selectors.record_verification_queue(
        region=request.region,
        status=cleaned.get("status") or None,
        unit_id=cleaned.get("unit"),
        year=cleaned.get("tahun"),
        search=(cleaned.get("q") or "").strip(),
    )
    return render(
        request,
        "training/records/queue.html",
        {
            "filters": filters,
            "page": paginate(request, records),
            "query": query_without_page(request),
            "status": cleaned.get("status") or "",
        },
    )


@region_admin_required
def record_review(request, region_slug, record_id):
    record = _admin_record(request, record_id)
    reject_form = RecordRejectForm(request.POST if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                services.record_verify(record=record, user=request.user)
                messages.success(
                    request,
                    _("Riwayat “%(title)s” diverifikasi; %(jp)s JP dihitung untuk %(name)s.")
                    % {
                        "title": record.title,
                        "jp": jp_format(record.jp),
                        "name": record.employee.name,
                    },
                )
                return redirect("training:record_queue", region_slug=region_slug)
            if action == "reject" and reject_form.is_valid():
                services.record_reject(
                    record=record, user=request.user, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("Riwayat “%(title)s” ditolak; pegawai diberi tahu alasannya.")
                    % {"title": record.title},
                )
                return redirect("training:record_queue", region_slug=region_slug)
            if action not in ("verify", "reject"):
                messages.error(request, _("Pilih verifikasi atau tolak."))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_validation_error(reject_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect(
                    "training:record_review", region_slug=region_slug, record_id=record.pk
                )
    return render(
        request,
        "training/records/record_detail.html",
        {
            "record": record,
            "history": selectors.record_history(record=record),
            "reject_form": reject_form,
            "cap_text": _cap_text(record),
            "progress": selectors.record_year_summary(
                region=request.region, employee=record.employee, year=record.year
            ),
            "admin_view": True,
        },
    )


# --- Supervisor: team JP -----------------------------------------------------------------------


@supervisor_required
def team_jp(request, region_slug):
    current = timezone.localdate().year
    year = _year_param(request, default=current, latest=current)
    rows = selectors.team_jp_overview(
        region=request.region, supervisor=request.access.employee, year=year
    )
    return render(
        request,
        "training/records/team_jp.html",
        {
            "rows": rows,
            "year": year,
            "years": list(range(current, current - 5, -1)),
            "below_target": sum(
                1 for row in rows if not row.progress.is_pppk and not row.progress.target_met
            ),
        },
    )
