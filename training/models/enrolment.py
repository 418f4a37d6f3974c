"""Enrolment of employees in offerings, attendance per session."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kompetensi.sync import SyncedModel
from regions.models import Employee, Region, Unit

from .catalogue import Offering, Session

# Also the condition of the "one live enrolment per offering" constraint.
_LIVE_STATUSES = ("requested", "waitlisted", "confirmed", "completed", "no_show", "failed")


class Enrolment(SyncedModel):
    """An employee's place in an offering. Every transition goes through training.services."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Menunggu persetujuan atasan")
        WAITLISTED = "waitlisted", _("Daftar tunggu")
        CONFIRMED = "confirmed", _("Terkonfirmasi")
        REJECTED = "rejected", _("Ditolak")
        CANCELLED = "cancelled", _("Dibatalkan")
        COMPLETED = "completed", _("Selesai")
        NO_SHOW = "no_show", _("Tidak hadir / tidak memenuhi syarat")
        FAILED = "failed", _("Tidak lulus")

    class Source(models.TextChoices):
        SELF = "self", _("Mendaftar sendiri")
        ADMIN = "admin", _("Didaftarkan admin")
        API = "api", _("Melalui API")

    # State sets: the one definition of each group of statuses (use these, never a literal list).
    # Live: the employee's enrolment in the offering (all but rejected and cancelled); a live
    # enrolment blocks a second one of the same employee in the same offering.
    LIVE_STATUSES = _LIVE_STATUSES
    # Holding a seat of the offering (see training.seats).
    SEAT_STATUSES = (Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW, Status.FAILED)
    # Decided at the end: completed (JP), no-show / requirements not met, or not passed.
    FINISHED_STATUSES = (Status.COMPLETED, Status.NO_SHOW, Status.FAILED)
    # May open the batch's course: a seat, and the course stays readable after the end.
    LEARNING_STATUSES = (Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW, Status.FAILED)
    # Waiting for a decision or for a seat; no seat held.
    WAITING_STATUSES = (Status.REQUESTED, Status.WAITLISTED)
    # Under way: not decided to an end yet. Such an enrolment can be cancelled, its holder hears
    # of changes to the offering, and it is cancelled with the offering.
    ONGOING_STATUSES = (*WAITING_STATUSES, Status.CONFIRMED)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrolments")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(_("asal pendaftaran"), max_length=8, choices=Source.choices)
    # Set when the seat taken is one reserved for the employee's unit.
    reserved_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    motivation = models.TextField(_("alasan mengikuti"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    requested_at = models.DateTimeField(_("waktu mendaftar"))
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    attendance_rate = models.DecimalField(
        _("tingkat kehadiran (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pre_test_score = models.DecimalField(
        _("nilai pre-test"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    post_test_score = models.DecimalField(
        _("nilai post-test"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    jp_awarded = models.DecimalField(
        _("JP diperoleh"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=60, blank=True)
    # Online course: share of required lessons done (None: the batch has no course), the
    # lesson to go on with, and why the outcome is what it is (shown to the participant).
    course_progress = models.PositiveSmallIntegerField(
        _("kemajuan kursus (%)"), null=True, blank=True
    )
    last_lesson = models.ForeignKey(
        "training.Lesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome_reason = models.TextField(_("keterangan hasil"), blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("pendaftaran")
        verbose_name_plural = _("pendaftaran")
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "employee"],
                condition=Q(status__in=list(_LIVE_STATUSES)),
                name="one_live_enrolment_per_offering",
            ),
            models.UniqueConstraint(
                fields=["region", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="enrolment_idempotency_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "sync_marker", "id"]),
            models.Index(fields=["offering", "status"]),
            models.Index(fields=["region", "employee", "status"]),
            models.Index(fields=["offering", "status", "waitlisted_at", "id"]),
            models.Index(fields=["region", "updated_at", "id"]),
            models.Index(fields=["region", "status"]),
        ]

    def __str__(self):
        return f"{self.employee} → {self.offering} ({self.status})"

    # --- Guards (the offering must be loaded for those that look at it) ---

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEAT_STATUSES

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES

    @property
    def can_learn(self) -> bool:
        return self.status in self.LEARNING_STATUSES

    @property
    def is_ongoing(self) -> bool:
        return self.status in self.ONGOING_STATUSES

    @property
    def is_cancellable(self) -> bool:
        """Ongoing in an offering that is not closed: an admin may cancel it."""
        return self.is_ongoing and not self.offering.is_closed

    @property
    def cancel_deadline(self) -> dt.date:
        """The last day the employee may cancel it themselves."""
        return self.offering.cancel_deadline

    def can_cancel(self, today: dt.date | None = None) -> bool:
        """Whether the employee may cancel it themselves `today` (default: today in the
        region's time zone). Templates call it without an argument."""
        today = today or timezone.localdate()
        return self.is_cancellable and today <= self.cancel_deadline


class Attendance(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("hadir"), default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique")
        ]

    def __str__(self):
        return f"{self.enrolment_id} @ {self.session_id}: {self.present}"
