"""Personal-data rights (UU 27/2022): an employee's download of their data, and the
anonymisation of a departed employee. docs/security.md.

**Download.** `personal_data_export_request()` records a request and queues
`regions.tasks.personal_data_export`; the task gathers every section (the employee's profile
and login here; other apps add theirs with `register_section()` in their `ready()`: training
adds enrolments, development records, plans and competencies) and stores a ZIP holding
`data.json` (machine-readable) and `data.html` (readable, printable), under a random name,
served as an attachment to the employee only.

**Anonymisation.** `employee_anonymise()` replaces the name, NIP, e-mail, telephone and birth
date of a deactivated employee, deletes their login (and so their memberships, second factors
and SSO links), their notifications and their uploaded evidence files, and records the act in
the audit trail. Their enrolments and development records stay, with their JP: the region's
JP totals, counts and reports are unchanged. The birth date keeps its year (1 January), so age
statistics stay right; gender and grade stay (aggregate dimensions, not identifying alone).
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from kompetensi.tasks import enqueue_on_commit

from . import audit
from .models import Employee, Notification, PersonalDataExport, Region, User

logger = logging.getLogger(__name__)
Status = PersonalDataExport.Status


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    # (employee) -> list of rows (dicts of plain values) or one dict
    collect: Callable[[Employee], object]
    # (employee) -> None: erase what anonymisation must erase in this app (files, free text)
    anonymise: Callable[[Employee], None] | None = None


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _sections[section.key] = section


def sections() -> list[Section]:
    return list(_sections.values())


# --- the download ------------------------------------------------------------------------------


def _profile(employee: Employee) -> dict:
    user = employee.user
    return {
        "nip": employee.nip,
        "nama": employee.name,
        "email": employee.email,
        "nomor_hp": employee.phone,
        "status_kepegawaian": employee.get_employment_type_display(),
        "jenis_kelamin": employee.get_gender_display(),
        "tanggal_lahir": employee.birth_date.isoformat(),
        "golongan": employee.grade_display,
        "jabatan": employee.position,
        "jenis_jabatan": employee.get_position_type_display(),
        "jenjang_fungsional": employee.get_functional_level_display(),
        "unit_kerja": employee.unit.name,
        "atasan_langsung": employee.supervisor.name if employee.supervisor else "",
        "wilayah": str(employee.region),
        "aktif": employee.is_active,
        "akun": {
            "nama_pengguna": user.username,
            "email": user.email or "",
            "terakhir_masuk": user.last_login.isoformat() if user.last_login else None,
            "terdaftar_sejak": user.date_joined.isoformat(),
            "peran": [
                {"wilayah": m.region.name, "peran": m.get_role_display()}
                for m in user.memberships.select_related("region")
            ],
        }
        if user is not None
        else None,
    }


def _notifications(employee: Employee) -> list[dict]:
    return [
        {"jenis": kind, "waktu": created.isoformat(), "dibaca": read is not None}
        for kind, created, read in Notification.objects.filter(recipient=employee).values_list(
            "kind", "created_at", "read_at"
        )
    ]


def _logins(employee: Employee) -> list[dict]:
    if employee.user_id is None:
        return []
    rows = audit.AuditEvent.objects.filter(
        region=employee.region,
        object_type="regions.user",
        object_id=str(employee.user_id),
        action__in=[audit.Action.LOGIN, audit.Action.LOGIN_FAILED, audit.Action.MFA],
    ).values_list("at", "action", "ip", "note")[:500]
    return [
        {"waktu": at.isoformat(), "tindakan": action, "alamat_ip": ip, "keterangan": note}
        for at, action, ip, note in rows
    ]


register_section(Section("profil", "Profil kepegawaian dan akun", _profile))
register_section(Section("riwayat_masuk", "Riwayat masuk (500 terakhir)", _logins))
register_section(Section("notifikasi", "Notifikasi", _notifications))


def personal_data_collect(*, employee: Employee) -> dict:
    """Everything the portal holds about the employee, as plain JSON-ready values."""
    data = {
        "dibuat_pada": timezone.localtime().isoformat(timespec="seconds"),
        "portal": "Kompetensi",
        "dasar_hukum": "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi",
        "bagian": {},
    }
    for section in sections():
        data["bagian"][section.key] = {"judul": section.title, "isi": section.collect(employee)}
    return data


def _rows(content) -> tuple[list[str], list[list]]:
    """Columns and rows of a section for the readable page."""
    items = content if isinstance(content, list) else [content] if content else []
    columns: list[str] = []
    for item in items:
        for key in item:
            if key not in columns:
                columns.append(key)
    return columns, [[item.get(c) for c in columns] for item in items]


def personal_data_render_html(*, data: dict, employee: Employee) -> str:
    sections_ = []
    for key, section in data["bagian"].items():
        content = section["isi"]
        if isinstance(content, dict):
            pairs = [
                (k, json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v)
                for k, v in content.items()
            ]
            sections_.append({"key": key, "title": section["judul"], "pairs": pairs})
        else:
            columns, rows = _rows(content)
            sections_.append(
                {"key": key, "title": section["judul"], "columns": columns, "rows": rows}
            )
    return render_to_string(
        "regions/privacy/export.html",
        {"employee": employee, "created": data["dibuat_pada"], "sections": sections_},
    )


@transaction.atomic
def personal_data_export_request(*, employee: Employee) -> PersonalDataExport:
    """Queue a download of the employee's data (one at a time: a pending one is reused)."""
    if employee.anonymised_at is not None:
        raise ValidationError(_("Data pegawai ini sudah dianonimkan."), code="anonymised")
    pending = (
        PersonalDataExport.objects.filter(
            employee=employee, status__in=[Status.QUEUED, Status.RUNNING]
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending
    export = PersonalDataExport.objects.create(region=employee.region, employee=employee)
    audit.record(action=audit.Action.DATA_EXPORT, obj=employee, note="diminta")
    enqueue_on_commit("regions.tasks.personal_data_export", export_id=export.pk)
    return export


def personal_data_export_run(*, export_id: int) -> str:
    """Build the ZIP of one request (the task's body; a second delivery does nothing)."""
    with scopes_disabled():
        claimed = PersonalDataExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
            status=Status.RUNNING
        )
        if not claimed:
            return "skipped"
        export = PersonalDataExport.objects.select_related("region", "employee").get(pk=export_id)
    region = export.region
    try:
        with scope(region=region), translation.override("id"):
            employee = Employee.objects.select_related("unit", "supervisor", "user", "region").get(
                pk=export.employee_id
            )
            data = personal_data_collect(employee=employee)
            html = personal_data_render_html(data=data, employee=employee)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(
                    "data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
                )
                archive.writestr("data.html", html)
            with transaction.atomic():
                export.file.save("data.zip", ContentFile(buffer.getvalue()), save=False)
                export.status = Status.DONE
                export.finished_at = timezone.now()
                export.save(update_fields=["file", "status", "finished_at"])
    except Exception as exc:
        logger.exception("Personal data export %s failed", export_id)
        with scopes_disabled():
            PersonalDataExport.objects.filter(pk=export_id).update(
                status=Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
            )
        return Status.FAILED
    return Status.DONE


# --- anonymisation -----------------------------------------------------------------------------

ANONYMISED_FIELDS = ("name", "nip", "email", "phone", "birth_date")


def anonymous_nip(employee: Employee) -> str:
    """A placeholder that keeps NIP's length and national uniqueness, never a real NIP."""
    return f"ANON{employee.pk:014d}"[:18]


@transaction.atomic
def employee_anonymise(*, employee: Employee, region: Region) -> Employee:
    """Replace a departed employee's personal data; keep their training history and JP."""
    from .services import _login_reaches_beyond

    if employee.region_id != region.pk:
        raise ValidationError(_("Pegawai tidak ditemukan di wilayah ini."), code="not_found")
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    if employee.anonymised_at is not None:
        raise ValidationError(_("Data pegawai ini sudah dianonimkan."), code="anonymised")
    if employee.is_active:
        raise ValidationError(
            _(
                "Hanya pegawai yang sudah dinonaktifkan (pensiun, pindah, berhenti) yang dapat "
                "dianonimkan. Nonaktifkan pegawai ini terlebih dahulu."
            ),
            code="active",
        )
    user = employee.user
    if user is not None and _login_reaches_beyond(user, region):
        raise ValidationError(
            _(
                "Akun pegawai ini juga dipakai di luar wilayah ini; hubungi pengelola sistem "
                "untuk menganonimkannya."
            ),
            code="login_elsewhere",
        )
    with audit.tracking_suppressed():
        for section in sections():
            if section.anonymise is not None:
                section.anonymise(employee)
        Notification.objects.filter(recipient=employee).delete()
    now = timezone.now()
    values = {
        "name": _("Pegawai dianonimkan #%(id)d") % {"id": employee.pk},
        "nip": anonymous_nip(employee),
        "email": "",
        "phone": "",
        "birth_date": employee.birth_date.replace(month=1, day=1),
        "anonymised_at": now,
        "updated_at": now,
        "user": None,
    }
    # A queryset update: the tracked-model signal would copy the old values into the trail.
    Employee.objects.filter(pk=employee.pk).update(**values)
    if user is not None:
        with audit.tracking_suppressed():
            User.objects.filter(pk=user.pk).delete()
    audit.record(
        action=audit.Action.ANONYMISE,
        region=region,
        object_type_=audit.object_type(Employee),
        object_id=str(employee.pk),
        object_label=values["name"],
        changes={name: ["•••", "•••"] for name in ANONYMISED_FIELDS}
        | ({"user": ["•••", None]} if user is not None else {}),
        note=_("Data pribadi diganti; akun masuk dihapus; riwayat pelatihan dan JP tetap."),
    )
    employee.refresh_from_db()
    return employee
