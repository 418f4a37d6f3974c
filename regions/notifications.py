"""The one notification service every feature calls (interface; delivery is being built).

Call `notify(...)` inside the transaction that caused the event: the notification is recorded
with a deduplication key and delivered (email, in-app) only after the transaction commits,
exactly once however often the caller or a job runs.
"""

import logging

from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Kind(models.TextChoices):
    ENROLMENT_REQUESTED = "enrolment_requested", _("Permohonan persetujuan pendaftaran")
    ENROLMENT_CONFIRMED = "enrolment_confirmed", _("Pendaftaran terkonfirmasi")
    ENROLMENT_APPROVED = "enrolment_approved", _("Pendaftaran disetujui atasan")
    ENROLMENT_REJECTED = "enrolment_rejected", _("Pendaftaran ditolak")
    ENROLMENT_WAITLISTED = "enrolment_waitlisted", _("Masuk daftar tunggu")
    ENROLMENT_PROMOTED = "enrolment_promoted", _("Naik dari daftar tunggu")
    ENROLMENT_CANCELLED = "enrolment_cancelled", _("Pendaftaran dibatalkan")
    ENROLMENT_COMPLETED = "enrolment_completed", _("Pelatihan selesai, JP dicatat")
    OFFERING_CHANGED = "offering_changed", _("Perubahan angkatan")
    OFFERING_CANCELLED = "offering_cancelled", _("Angkatan dibatalkan")
    SESSION_CHANGED = "session_changed", _("Perubahan jadwal sesi")
    SESSION_CANCELLED = "session_cancelled", _("Sesi dibatalkan")
    SESSION_REMINDER = "session_reminder", _("Pengingat sesi")
    CERTIFICATE_READY = "certificate_ready", _("Sertifikat tersedia")
    RECORD_VERIFIED = "record_verified", _("Riwayat pelatihan diverifikasi")
    RECORD_REJECTED = "record_rejected", _("Riwayat pelatihan ditolak")
    SURVEY_OPEN = "survey_open", _("Survei pasca pelatihan dibuka")
    L3_ASSESSMENT_DUE = "l3_assessment_due", _("Evaluasi pasca pelatihan oleh atasan")
    PLAN_SUBMITTED = "plan_submitted", _("Rencana pengembangan diajukan")
    PLAN_APPROVED = "plan_approved", _("Rencana pengembangan disetujui")
    PLAN_RETURNED = "plan_returned", _("Rencana pengembangan dikembalikan")
    APPROVAL_PENDING = "approval_pending", _("Pengingat persetujuan tertunda")
    JP_TARGET_ALERT = "jp_target_alert", _("Peringatan capaian JP")
    WINDOW_CLOSING = "window_closing", _("Pendaftaran segera ditutup")
    REPORT_READY = "report_ready", _("Laporan tersedia")


def notify(*, recipient, kind: str, subject=None, context: dict | None = None, dedup_key: str = ""):
    """Notify one employee (regions.models.Employee) of an event about `subject`.

    `context` holds the values the message template needs (strings, numbers, dates).
    `dedup_key` makes the call idempotent: a second call with the same key sends nothing.
    """
    logger.info("notify %s to employee %s about %r", kind, getattr(recipient, "pk", None), subject)
