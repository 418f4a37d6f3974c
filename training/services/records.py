"""The JP ledger: external development records submitted by ASN, verified by admins.

Records of completed enrolments are created by the completion service; this module handles
training done elsewhere: submit (with evidence), edit or withdraw while waiting, resubmit after
a rejection, and the admin's verification or rejection. Only verified records count toward JP.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi import uploads
from regions.models import Tombstone
from regions.notifications import notify
from training.models import DevelopmentRecord
from training.notifications import Kind
from training.services.history import history_record
from training.services.jp_rules import jp_claim_check, jp_format
from training.validators import validate_evidence_file

Status = DevelopmentRecord.Status
EDITABLE_STATUSES = (Status.SUBMITTED, Status.REJECTED)

# Limits of the text fields (the model's max_length).
_MAX_LENGTHS = {"title": 255, "organiser": 255, "certificate_number": 100}


def _clean_fields(
    *,
    title: str,
    form,
    organiser: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    jp,
    is_international: bool,
    certificate_number: str,
) -> dict:
    """Check the fields of an external record; raise every problem at once."""
    errors: dict[str, list[str]] = {}
    values = {
        "title": (title or "").strip(),
        "organiser": (organiser or "").strip(),
        "certificate_number": (certificate_number or "").strip(),
    }

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not values["title"]:
        add("title", _("Nama kegiatan wajib diisi."))
    if not values["organiser"]:
        add("organiser", _("Penyelenggara wajib diisi."))
    for field, limit in _MAX_LENGTHS.items():
        if len(values[field]) > limit:
            add(field, _("Paling banyak %(limit)s karakter.") % {"limit": limit})
    if form is None:
        add("form", _("Pilih bentuk pengembangan kompetensi."))

    today = timezone.localdate()
    if start_date is None:
        add("start_date", _("Tanggal mulai wajib diisi."))
    if end_date is None:
        add("end_date", _("Tanggal selesai wajib diisi."))
    if start_date and end_date:
        if end_date < start_date:
            add("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if end_date.year > today.year:
            add(
                "end_date",
                _("Tahun %(year)s belum berjalan; riwayat hanya dapat dicatat sampai tahun ini.")
                % {"year": end_date.year},
            )
        elif end_date > today:
            add(
                "end_date",
                _(
                    "Kegiatan yang belum selesai belum dapat dicatat (tanggal selesai di masa depan)."
                ),
            )

    try:
        jp_value = None if jp in (None, "") else Decimal(str(jp))
    except InvalidOperation:
        jp_value = None
        add("jp", _("JP harus berupa angka."))
    else:
        if jp_value is None:
            add("jp", _("Jumlah JP wajib diisi."))
        elif not jp_value.is_finite() or jp_value <= 0:
            add("jp", _("Jumlah JP harus lebih dari 0."))
        elif jp_value >= Decimal("10000") or jp_value != jp_value.quantize(Decimal("0.01")):
            add("jp", _("JP paling banyak 9999,99 dengan dua angka di belakang koma."))

    if form is not None and not {"start_date", "end_date", "jp"} & errors.keys():
        try:
            jp_claim_check(
                form=form,
                jp=jp_value,
                start_date=start_date,
                end_date=end_date,
                is_international=bool(is_international),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    add(field, message)

    if errors:
        raise ValidationError(errors)
    return {
        **values,
        "form": form,
        "start_date": start_date,
        "end_date": end_date,
        "jp": jp_value,
        "is_international": bool(is_international),
        "year": end_date.year,
    }


def _validate(*, evidence, evidence_required: bool, **fields) -> tuple[dict, str | None]:
    """Check the fields and the evidence file together; raise every problem at once."""
    errors: dict[str, list[str]] = {}
    values: dict = {}
    try:
        values = _clean_fields(**fields)
    except ValidationError as exc:
        errors = exc.message_dict
    kind = None
    if evidence is None:
        if evidence_required:
            errors.setdefault("evidence", []).append(
                _("Unggah bukti kegiatan (sertifikat atau surat keterangan) dalam PDF atau gambar.")
            )
    else:
        try:
            kind = validate_evidence_file(evidence)
        except ValidationError as exc:
            errors.setdefault("evidence", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return values, kind


def _evidence_name(kind: str) -> str:
    return uploads.random_name("bukti", kind)


def _delete_file_on_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _save_with_evidence(record: DevelopmentRecord, evidence, kind: str | None, write) -> None:
    """Store the new evidence file (if any), then run `write`; remove the file if it fails."""
    if evidence is None:
        write()
        return
    record.evidence.save(_evidence_name(kind), evidence, save=False)
    stored = record.evidence.name
    try:
        write()
    except BaseException:
        record.evidence.storage.delete(stored)
        raise


def _lock(record: DevelopmentRecord) -> DevelopmentRecord:
    return (
        DevelopmentRecord.objects.select_for_update(of=("self",))
        .select_related("employee", "form")
        .get(pk=record.pk, region_id=record.region_id)
    )


def _check_owner(record: DevelopmentRecord, employee) -> None:
    if employee is None or record.employee_id != employee.pk:
        raise ValidationError(_("Riwayat ini bukan milik Anda."))
    if record.source != DevelopmentRecord.Source.EXTERNAL:
        raise ValidationError(
            _("Riwayat dari pelatihan di portal dicatat otomatis dan tidak dapat diubah.")
        )


@transaction.atomic
def record_submit(
    *,
    employee,
    user,
    title: str,
    form,
    organiser: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    jp,
    evidence=None,
    is_international: bool = False,
    certificate_number: str = "",
) -> DevelopmentRecord:
    """An ASN submits training done outside the portal, with evidence, for verification."""
    values, kind = _validate(
        evidence=evidence,
        evidence_required=True,
        title=title,
        form=form,
        organiser=organiser,
        start_date=start_date,
        end_date=end_date,
        jp=jp,
        is_international=is_international,
        certificate_number=certificate_number,
    )

    record = DevelopmentRecord(
        region_id=employee.region_id,
        employee=employee,
        source=DevelopmentRecord.Source.EXTERNAL,
        status=Status.SUBMITTED,
        submitted_by=user if getattr(user, "is_authenticated", False) else None,
        **values,
    )

    def write():
        record.save()
        history_record(subject=record, action="submitted", actor=user, to_status=Status.SUBMITTED)

    _save_with_evidence(record, evidence, kind, write)
    return record


@transaction.atomic
def record_update(
    *,
    record: DevelopmentRecord,
    employee,
    user,
    title: str,
    form,
    organiser: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    jp,
    evidence=None,
    is_international: bool = False,
    certificate_number: str = "",
) -> DevelopmentRecord:
    """The owner corrects a waiting record, or corrects and resubmits a rejected one.

    `evidence=None` keeps the current file; a new file replaces it.
    """
    record = _lock(record)
    _check_owner(record, employee)
    if record.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Riwayat yang sudah diverifikasi tidak dapat diubah."))
    values, kind = _validate(
        evidence=evidence,
        evidence_required=not record.evidence,
        title=title,
        form=form,
        organiser=organiser,
        start_date=start_date,
        end_date=end_date,
        jp=jp,
        is_international=is_international,
        certificate_number=certificate_number,
    )

    previous_status = record.status
    old_file = record.evidence.name if evidence is not None else ""
    storage = record.evidence.storage
    for field, value in values.items():
        setattr(record, field, value)
    record.status = Status.SUBMITTED
    record.reject_reason = ""
    record.verified_by = None
    record.verified_at = None

    def write():
        record.save()
        history_record(
            subject=record,
            action="resubmitted" if previous_status == Status.REJECTED else "updated",
            actor=user,
            from_status=previous_status,
            to_status=Status.SUBMITTED,
        )

    _save_with_evidence(record, evidence, kind, write)
    _delete_file_on_commit(storage, old_file)
    return record


@transaction.atomic
def record_withdraw(*, record: DevelopmentRecord, employee, user) -> None:
    """The owner withdraws a record that is waiting for verification (or was rejected)."""
    record = _lock(record)
    _check_owner(record, employee)
    if record.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Riwayat yang sudah diverifikasi tidak dapat ditarik."))
    history_record(
        subject=record,
        action="withdrawn",
        actor=user,
        from_status=record.status,
        reason=record.title,
    )
    stored = record.evidence.name
    storage = record.evidence.storage
    # API clients syncing development records learn of the deletion from this tombstone.
    Tombstone.objects.create(
        region_id=record.region_id, resource="development-records", object_id=record.pk
    )
    record.delete()
    _delete_file_on_commit(storage, stored)


def _decide(record: DevelopmentRecord, user) -> DevelopmentRecord:
    record = _lock(record)
    if record.status != Status.SUBMITTED:
        raise ValidationError(
            _("Riwayat ini sudah diproses (status: %(status)s).")
            % {"status": record.get_status_display()}
        )
    if record.employee.user_id is not None and record.employee.user_id == getattr(user, "pk", None):
        raise ValidationError(_("Anda tidak dapat memverifikasi riwayat Anda sendiri."))
    return record


@transaction.atomic
def record_verify(*, record: DevelopmentRecord, user) -> DevelopmentRecord:
    """An admin accepts a submitted record: its JP now counts toward the year's target."""
    record = _decide(record, user)
    record.status = Status.VERIFIED
    record.verified_by = user
    record.verified_at = timezone.now()
    record.reject_reason = ""
    record.save(
        update_fields=["status", "verified_by", "verified_at", "reject_reason", "updated_at"]
    )
    history_record(
        subject=record,
        action="verified",
        actor=user,
        from_status=Status.SUBMITTED,
        to_status=Status.VERIFIED,
    )
    notify(
        recipient=record.employee,
        kind=Kind.RECORD_VERIFIED,
        subject=record,
        context={"title": record.title, "jp": jp_format(record.jp), "year": record.year},
        dedup_key=f"record:{record.pk}:verified",
    )
    return record


@transaction.atomic
def record_reject(*, record: DevelopmentRecord, user, reason: str) -> DevelopmentRecord:
    """An admin rejects a submitted record with a reason the ASN can act on."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan penolakan untuk pegawai.")]})
    record = _decide(record, user)
    record.status = Status.REJECTED
    record.verified_by = user
    record.verified_at = timezone.now()
    record.reject_reason = reason
    record.save(
        update_fields=["status", "verified_by", "verified_at", "reject_reason", "updated_at"]
    )
    event = history_record(
        subject=record,
        action="rejected",
        actor=user,
        from_status=Status.SUBMITTED,
        to_status=Status.REJECTED,
        reason=reason,
    )
    notify(
        recipient=record.employee,
        kind=Kind.RECORD_REJECTED,
        subject=record,
        context={"title": record.title, "reason": reason, "year": record.year},
        dedup_key=f"record:{record.pk}:rejected:{event.pk}",
    )
    return record
