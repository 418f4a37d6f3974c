"""Pages of issue 14: the audit trail (region admins; a user's own actions), an employee's
download of their personal data, and the anonymisation of a departed employee.

The audit pages only read: no route edits or deletes an event (POST answers 405).
"""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.spreadsheets import csv_safe
from kompetensi.uploads import attachment_response
from kompetensi.views import id_param, paginate, query_without_page

from . import audit, privacy, selectors
from .models import AuditEvent, Employee, PersonalDataExport
from .permissions import region_admin_required, region_employee_required

EXPORT_LIMIT = 100_000


def _date(value: str):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request) -> dict:
    action = request.GET.get("action", "")
    object_type = request.GET.get("type", "")
    actor = request.GET.get("actor", "")
    return {
        "action": action if action in AuditEvent.Action.values else "",
        "object_type": object_type if object_type in _type_choices_keys() else "",
        "actor_id": id_param(actor),
        "search": request.GET.get("q", "").strip()[:100],
        "since": _date(request.GET.get("from", "")),
        "until": _date(request.GET.get("to", "")),
        "object_id": str(id_param(request.GET.get("id", "")) or ""),
    }


def _type_choices() -> list[tuple[str, str]]:
    types = {audit.object_type(model): spec.label for model, spec in audit.tracked_models().items()}
    types["regions.user"] = _("Akun")
    types.update(audit.EXTRA_TYPES)
    return sorted(types.items(), key=lambda item: str(item[1]))


def _type_choices_keys() -> set[str]:
    return {key for key, _label in _type_choices()}


def _rows(events):
    for event in events:
        event.type_label = audit.type_label(event.object_type)
        event.change_rows = [
            (audit.field_label(event.object_type, name), values[0], values[1])
            for name, values in (event.changes or {}).items()
            if isinstance(values, list | tuple) and len(values) == 2
        ]
    return events


@region_admin_required
def audit_list(request, region_slug):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    filters = _filters(request)
    events = selectors.audit_event_list(region=request.region, **filters)
    page = paginate(request, events, per_page=50)
    _rows(page.object_list)
    return render(
        request,
        "regions/audit/list.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "actions": AuditEvent.Action.choices,
            "types": _type_choices(),
            "retention_days": audit.retention_days(),
            "date_from": request.GET.get("from", ""),
            "date_to": request.GET.get("to", ""),
        },
    )


class _Echo:
    def write(self, value):
        return value


@region_admin_required
def audit_export(request, region_slug):
    """The filtered trail as CSV (the export itself is an event of the trail)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    filters = _filters(request)
    events = selectors.audit_event_list(region=request.region, **filters)
    audit.record(
        action=audit.Action.EXPORT,
        region=request.region,
        object_type_="regions.auditevent",
        object_label=_("Jejak audit"),
        note=request.GET.urlencode()[:300],
    )
    writer = csv.writer(_Echo())
    header = [
        _("Waktu"), _("Pelaku"), _("Alamat IP"), _("Tindakan"), _("Jenis data"), _("ID"),
        _("Data"), _("Perubahan (lama → baru)"), _("Keterangan"),
    ]  # fmt: skip
    labels = dict(AuditEvent.Action.choices)

    def lines():
        yield "\ufeff" + writer.writerow(header)
        rows = events.values_list(
            "at", "actor_label", "ip", "action", "object_type", "object_id", "object_label",
            "changes", "note",
        )  # fmt: skip
        for at, actor, ip, action, type_, id_, label, changes, note in rows[:EXPORT_LIMIT].iterator(
            chunk_size=2000
        ):
            change_text = "; ".join(
                f"{audit.field_label(type_, name)}: {values[0]} → {values[1]}"
                for name, values in (changes or {}).items()
                if isinstance(values, list | tuple) and len(values) == 2
            )
            yield writer.writerow(
                [
                    timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S"),
                    csv_safe(actor),
                    ip or "",
                    csv_safe(labels.get(action, action)),
                    csv_safe(audit.type_label(type_)),
                    id_,
                    csv_safe(label),
                    csv_safe(change_text),
                    csv_safe(note),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="jejak-audit-{request.region.slug}-{stamp}.csv"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def my_audit(request):
    """A user's own actions (national staff: theirs across regions)."""
    events = selectors.audit_events_of_actor(user=request.user)
    page = paginate(request, events, per_page=50)
    _rows(page.object_list)
    return render(request, "regions/audit/mine.html", {"page": page})


# --- Personal data ----------------------------------------------------------------------------


@region_employee_required
def my_data(request, region_slug):
    employee = request.access.employee
    if request.method == "POST":
        try:
            privacy.personal_data_export_request(employee=employee)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "Permintaan diterima. Berkas data Anda sedang disiapkan; muat ulang halaman "
                    "ini sebentar lagi untuk mengunduhnya."
                ),
            )
        return redirect("region:my_data", region_slug=region_slug)
    exports = list(selectors.personal_data_exports(employee=employee))
    return render(
        request,
        "regions/privacy/my_data.html",
        {
            "exports": exports,
            "pending": any(e.status in ("queued", "running") for e in exports),
        },
    )


@region_employee_required
def my_data_download(request, region_slug, pk):
    export = get_object_or_404(
        PersonalDataExport,
        region=request.region,
        employee=request.access.employee,
        pk=pk,
        status=PersonalDataExport.Status.DONE,
    )
    if not export.file:
        raise Http404
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d")
    return attachment_response(
        export.file.open("rb"),
        filename=f"data-pribadi-{stamp}.zip",
        content_type="application/zip",
    )


@region_admin_required
def employee_anonymise(request, region_slug, pk):
    employee = get_object_or_404(
        Employee.objects.select_related("unit", "user"), region=request.region, pk=pk
    )
    if request.method == "POST":
        try:
            privacy.employee_anonymise(employee=employee, region=request.region)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("region:employee_anonymise", region_slug=region_slug, pk=pk)
        messages.success(
            request,
            _(
                "Data pribadi pegawai telah dianonimkan. Riwayat pelatihan dan JP-nya tetap "
                "dihitung dalam statistik wilayah."
            ),
        )
        return redirect("region:employee_list", region_slug=region_slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "regions/privacy/anonymise.html", {"employee": employee})
