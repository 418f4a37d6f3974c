"""Certificates: numbering, rendering (WeasyPrint, A4 landscape, QR code by segno), the
background runs that issue a batch's certificates with a progress bar, re-issue and revoke.

Issuing never happens in a request. Completion (`training.services.completion`) records a
`CertificateRun` and queues `training.tasks.issue_certificates` after the commit. The task
calls `certificate_run_execute`, which

1. claims the run with a compare-and-swap (queued → running; a running claim older than
   `STALE_AFTER` belongs to a dead worker and may be taken again), like
   `regions.notifications.delivery`;
2. numbers every completed enrolment of the run that has no certificate yet, in one short
   transaction: the region's counter row for the year is locked, the run's numbers are taken
   in one go, and the certificates, the enrolments' and records' `certificate_number` are
   written in bulk (a number is unique per region and year: `{seq}` in the region's pattern);
3. renders each certificate without a PDF of its current version, writing the progress
   every `PROGRESS_EVERY` certificates;
4. sends `certificate_ready` (email and in-app) once per certificate (dedup key).

A run that fails keeps its error; `certificate_runs_requeue` (a periodic job) queues runs left
queued (broker outage) or stale. Everything is idempotent: a run done twice numbers and sends
nothing twice.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from kompetensi import site
from kompetensi.tasks import enqueue_on_commit
from regions.models import Region
from regions.notifications import notify_many
from training.models import (
    Certificate,
    CertificateCounter,
    CertificateRun,
    CertificateSettings,
    DevelopmentRecord,
    Enrolment,
    Offering,
)
from training.notifications import Kind
from training.services.history import history_record
from training.validators import sniff_evidence_kind

logger = logging.getLogger(__name__)

ISSUE_TASK = "training.tasks.issue_certificates"
STALE_AFTER = dt.timedelta(minutes=15)
REQUEUE_AFTER = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 3
PROGRESS_EVERY = 10
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed
CODE_LENGTH = 24  # 32^24 = 2^120 codes
LOGO_MAX_BYTES = 1024 * 1024
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
R = CertificateRun.Status


# --- Settings ----------------------------------------------------------------------------------


def certificate_settings(*, region: Region) -> CertificateSettings:
    """The region's settings (defaults until an admin saves them; nothing is written)."""
    found = CertificateSettings.objects.filter(region=region).first()
    return found or CertificateSettings(region=region, city=region.name)


def format_number(pattern: str, *, seq: int, year: int, month: int, code: str = "") -> str:
    return pattern.format(seq=seq, year=year, month=ROMAN[month - 1], code=code)


def _check_pattern(pattern: str) -> str:
    pattern = (pattern or "").strip()
    if not pattern:
        raise ValidationError({"number_pattern": _("Pola nomor wajib diisi.")})
    try:
        fields = {name for _t, name, _f, _c in string.Formatter().parse(pattern) if name}
        sample = format_number(pattern, seq=123, year=2026, month=3, code="PRG-01")
    except (ValueError, KeyError, IndexError, TypeError):
        raise ValidationError(
            {
                "number_pattern": _(
                    "Pola nomor tidak valid. Gunakan {seq}, {year}, {month} dan {code}."
                )
            }
        ) from None
    if "seq" not in fields:
        raise ValidationError({"number_pattern": _("Pola nomor harus memuat {seq}.")})
    if fields - {"seq", "year", "month", "code"}:
        raise ValidationError(
            {"number_pattern": _("Pola nomor hanya boleh memuat {seq}, {year}, {month}, {code}.")}
        )
    if len(sample) > 50:
        raise ValidationError({"number_pattern": _("Nomor yang dihasilkan terlalu panjang.")})
    return pattern


@transaction.atomic
def certificate_settings_update(
    *,
    region: Region,
    number_pattern: str,
    signer_name: str,
    signer_title: str,
    signer_nip: str,
    city: str,
    logo=None,
    remove_logo: bool = False,
) -> CertificateSettings:
    pattern = _check_pattern(number_pattern)
    found, _created = CertificateSettings.objects.get_or_create(region=region)
    found.number_pattern = pattern
    found.signer_name = (signer_name or "").strip()[:150]
    found.signer_title = (signer_title or "").strip()[:200]
    found.signer_nip = (signer_nip or "").strip()[:30]
    found.city = (city or "").strip()[:100]
    if logo is not None:
        kind = sniff_evidence_kind(logo)
        if kind not in ("png", "jpg"):
            raise ValidationError({"logo": _("Logo harus berupa gambar PNG atau JPG.")})
        if (logo.size or 0) > LOGO_MAX_BYTES:
            raise ValidationError({"logo": _("Logo terlalu besar; paling besar 1 MB.")})
        logo.seek(0)
        found.logo.save(f"{get_random_string(16)}.{kind}", logo, save=False)
    elif remove_logo:
        found.logo = ""
    found.save()
    return found


# --- Runs --------------------------------------------------------------------------------------


def certificate_run_start(
    *, offering: Offering, actor=None, enrolment_ids: list[int] | None = None
) -> CertificateRun:
    """Record a run issuing the certificates of `offering` (or of these enrolments) and queue
    it after the commit. One INSERT."""
    run = CertificateRun.objects.create(
        region_id=offering.region_id,
        offering=offering,
        enrolment_ids=sorted(int(i) for i in enrolment_ids or []),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    enqueue_on_commit(ISSUE_TASK, offering.region_id, run.pk)
    return run


def _claim(run_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=R.QUEUED) | Q(status=R.RUNNING, claimed_at__lt=now - STALE_AFTER)
    return bool(
        CertificateRun.objects.filter(claimable, pk=run_id, attempts__lt=MAX_ATTEMPTS).update(
            status=R.RUNNING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _run_enrolments(run: CertificateRun):
    qs = Enrolment.objects.filter(offering_id=run.offering_id, status=Enrolment.Status.COMPLETED)
    if run.enrolment_ids:
        qs = qs.filter(pk__in=run.enrolment_ids)
    return qs


@transaction.atomic
def _allocate(run: CertificateRun) -> int:
    """Number the run's completed enrolments that have no certificate (one short transaction,
    bulk writes). Returns how many were numbered."""
    pending = list(
        _run_enrolments(run)
        .filter(certificate__isnull=True)
        .select_related("employee", "offering", "offering__program")
        .order_by("employee__name", "id")
    )
    if not pending:
        return 0
    region = Region.objects.get(pk=run.region_id)
    config = certificate_settings(region=region)
    today = timezone.localdate()
    counter, _created = CertificateCounter.objects.get_or_create(
        region_id=run.region_id, year=today.year
    )
    counter = CertificateCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last + 1
    counter.last += len(pending)
    counter.save(update_fields=["last"])
    now = timezone.now()
    certificates = []
    for offset, enrolment in enumerate(pending):
        sequence = first + offset
        offering = enrolment.offering
        certificates.append(
            Certificate(
                region_id=run.region_id,
                enrolment=enrolment,
                number=format_number(
                    config.number_pattern,
                    seq=sequence,
                    year=today.year,
                    month=today.month,
                    code=offering.program.code,
                ),
                year=today.year,
                sequence=sequence,
                code=get_random_string(CODE_LENGTH, CODE_ALPHABET),
                holder_name=enrolment.employee.name,
                holder_nip=enrolment.employee.nip,
                program_title=offering.program.title,
                offering_name=offering.name,
                start_date=offering.start_date,
                end_date=offering.end_date,
                jp=enrolment.jp_awarded or offering.program.jp,
                issued_at=now,
            )
        )
    Certificate.objects.bulk_create(certificates)
    for enrolment, certificate in zip(pending, certificates, strict=True):
        enrolment.certificate_number = certificate.number
        enrolment.updated_at = now
    Enrolment.objects.bulk_update(pending, ["certificate_number", "updated_at"])
    records = list(DevelopmentRecord.objects.filter(enrolment__in=pending))
    by_enrolment = {e.pk: e.certificate_number for e in pending}
    for record in records:
        record.certificate_number = by_enrolment[record.enrolment_id]
    DevelopmentRecord.objects.bulk_update(records, ["certificate_number"])
    return len(pending)


def certificate_run_execute(*, run_id: int) -> CertificateRun | None:
    """Claim and carry out a run (what the task calls). Returns the run, or None when it was
    not claimable (done, failed for good, or held by a live worker)."""
    if not _claim(run_id):
        return None
    run = CertificateRun.objects.select_related("offering").get(pk=run_id)
    try:
        _allocate(run)
        to_render = list(
            Certificate.objects.filter(enrolment__in=_run_enrolments(run), rendered_at__isnull=True)
            .select_related("enrolment__employee__user", "enrolment__offering__program")
            .order_by("sequence")
        )
        CertificateRun.objects.filter(pk=run.pk).update(total=len(to_render), done=0)
        region = Region.objects.get(pk=run.region_id)
        config = certificate_settings(region=region)
        notices = []
        chunk: list[Certificate] = []
        for index, certificate in enumerate(to_render, start=1):
            _render_and_store(certificate, config=config)
            chunk.append(certificate)
            notices.append(
                {
                    "recipient": certificate.enrolment.employee,
                    "kind": Kind.CERTIFICATE_READY,
                    "subject": certificate.enrolment,
                    "context": {"certificate_number": certificate.number},
                    "dedup_key": f"certificate:{certificate.pk}:ready",
                }
            )
            if index % PROGRESS_EVERY == 0:
                _flush(chunk)
                CertificateRun.objects.filter(pk=run.pk).update(done=index)
        _flush(chunk)
        with transaction.atomic():
            notify_many(region=region, items=notices)
            CertificateRun.objects.filter(pk=run.pk).update(
                status=R.DONE, done=len(to_render), finished_at=timezone.now(), error=""
            )
    except Exception as exc:
        logger.exception("Certificate run %s failed", run_id)
        CertificateRun.objects.filter(pk=run.pk).update(
            status=R.FAILED if run.attempts >= MAX_ATTEMPTS else R.QUEUED,
            error=_("Penerbitan sertifikat gagal: %(error)s") % {"error": str(exc)[:500]},
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def certificate_runs_requeue() -> int:
    """Queue again the runs left queued (broker down) or held by a dead worker. Periodic."""
    now = timezone.now()
    runs = list(
        CertificateRun.objects.filter(
            Q(status=R.QUEUED, created_at__lt=now - REQUEUE_AFTER)
            | Q(status=R.RUNNING, claimed_at__lt=now - STALE_AFTER),
            attempts__lt=MAX_ATTEMPTS,
        ).values_list("region_id", "pk")
    )
    for region_id, pk in runs:
        enqueue_on_commit(ISSUE_TASK, region_id, pk)
    return len(runs)


# --- Rendering ---------------------------------------------------------------------------------


def verification_url(code: str) -> str:
    return site.absolute_url(reverse("certificate_verify_code", kwargs={"code": code}))


def _data_uri(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def _qr(url: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=1, dark="#1f2937")
    return _data_uri(buffer.getvalue(), "image/svg+xml")


def _logo(config: CertificateSettings) -> str:
    if not config.logo:
        return ""
    try:
        with config.logo.open("rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except OSError:
        return ""
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return _data_uri(data, kind)


STYLESHEET = "static/css/certificate.css"


def certificate_html(
    *, certificate: Certificate, config: CertificateSettings, preview: bool = False
) -> str:
    """The certificate as HTML (also the admin's preview, which links the stylesheet)."""
    with translation.override("id"):
        return render_to_string(
            "training/certificates/pdf.html",
            {
                "certificate": certificate,
                "config": config,
                "agency": config.region.agency_name,
                "logo": _logo(config),
                "qr": _qr(verification_url(certificate.code)),
                "verify_url": verification_url(certificate.code),
                "preview_html": preview,
            },
        )


_FONTS = None
_CSS = None


def certificate_pdf(*, certificate: Certificate, config: CertificateSettings) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    global _FONTS, _CSS
    if _FONTS is None:
        _FONTS = FontConfiguration()
        _CSS = CSS(filename=str(settings.BASE_DIR / STYLESHEET), font_config=_FONTS)
    html = certificate_html(certificate=certificate, config=config)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[_CSS], font_config=_FONTS
    )


def _render_and_store(certificate: Certificate, *, config: CertificateSettings) -> None:
    """Render and store the PDF of the certificate's current version (written to the row
    by `_flush`, a chunk at a time). Earlier versions' files stay stored."""
    pdf = certificate_pdf(certificate=certificate, config=config)
    name = f"{certificate.code}-v{certificate.version}.pdf"
    certificate.file.save(name, ContentFile(pdf), save=False)
    certificate.rendered_at = timezone.now()


def _flush(chunk: list[Certificate]) -> None:
    """One UPDATE for the files of a chunk of rendered certificates."""
    if chunk:
        Certificate.objects.bulk_update(chunk, ["file", "rendered_at"])
        chunk.clear()


def certificate_sample(*, region: Region) -> Certificate:
    """An unsaved certificate with sample values, for the admin's template preview."""
    today = timezone.localdate()
    config = certificate_settings(region=region)
    return Certificate(
        region=region,
        number=format_number(
            config.number_pattern, seq=123, year=today.year, month=today.month, code="PRG-01"
        ),
        year=today.year,
        sequence=123,
        code="CONTOH" + "X" * (CODE_LENGTH - 6),
        holder_name="Siti Aminah, S.Kom.",
        holder_nip="198703122010012003",
        program_title=_("Pelatihan Pelayanan Publik Prima"),
        offering_name=_("Angkatan I"),
        start_date=today - dt.timedelta(days=2),
        end_date=today,
        jp=24,
        issued_at=timezone.now(),
    )


# --- Re-issue and revoke -----------------------------------------------------------------------


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor, reason: str) -> CertificateRun:
    """A new PDF with the same number and code, as a new version (rendered in the
    background); the history keeps the reason. A revoked certificate is not re-issued."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == Certificate.Status.REVOKED:
        raise ValidationError(_("Sertifikat yang dicabut tidak dapat diterbitkan ulang."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Alasan penerbitan ulang wajib diisi.")})
    enrolment = locked.enrolment
    offering = enrolment.offering
    program = offering.program
    locked.version += 1
    locked.rendered_at = None
    locked.holder_name = enrolment.employee.name
    locked.program_title = program.title
    locked.offering_name = offering.name
    locked.save()
    history_record(
        subject=locked,
        action="reissued",
        actor=actor,
        to_status=f"v{locked.version}",
        reason=reason,
    )
    return certificate_run_start(offering=offering, actor=actor, enrolment_ids=[enrolment.pk])


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == Certificate.Status.REVOKED:
        raise ValidationError(_("Sertifikat ini sudah dicabut."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Alasan pencabutan wajib diisi.")})
    locked.status = Certificate.Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoke_reason = reason
    locked.save(update_fields=["status", "revoked_at", "revoke_reason"])
    history_record(
        subject=locked,
        action="revoked",
        actor=actor,
        from_status=Certificate.Status.VALID,
        to_status=Certificate.Status.REVOKED,
        reason=reason,
    )
    return locked
