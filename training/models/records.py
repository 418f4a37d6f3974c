"""The JP ledger (development records), individual development plans, and decision history."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kompetensi.sync import SyncedModel
from regions.models import Employee, Region

from .catalogue import DevelopmentForm, Program
from .competencies import Competency
from .enrolment import Enrolment


def evidence_upload_to(instance, filename):
    return f"evidence/{instance.region_id}/{instance.employee_id}/{filename}"


class DevelopmentRecord(SyncedModel):
    """One development activity of an employee in a year, with its JP.

    Completed enrolments create verified records; records of training done elsewhere are
    submitted by the ASN with evidence and verified (or rejected) by an admin. Only verified
    records count toward the yearly target.
    """

    class Source(models.TextChoices):
        ENROLMENT = "enrolment", _("Pelatihan di portal")
        EXTERNAL = "external", _("Pelatihan di luar portal")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Menunggu verifikasi")
        VERIFIED = "verified", _("Terverifikasi")
        REJECTED = "rejected", _("Ditolak")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="development_records"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="record"
    )
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("nama kegiatan"), max_length=255)
    form = models.ForeignKey(
        DevelopmentForm, verbose_name=_("bentuk pengembangan"), on_delete=models.PROTECT
    )
    organiser = models.CharField(_("penyelenggara"), max_length=255)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    jp = models.DecimalField(
        _("JP"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    is_international = models.BooleanField(_("bertaraf internasional"), default=False)
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=100, blank=True)
    evidence = models.FileField(_("bukti (PDF/gambar)"), upload_to=evidence_upload_to, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(_("alasan penolakan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("riwayat pengembangan kompetensi")
        verbose_name_plural = _("riwayat pengembangan kompetensi")
        constraints = [
            models.CheckConstraint(condition=Q(jp__gt=0), name="record_jp_positive"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="record_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "sync_marker", "id"]),
            models.Index(fields=["region", "year", "status", "employee"]),
            models.Index(fields=["region", "employee", "year"]),
            models.Index(fields=["region", "status", "created_at"]),
            models.Index(fields=["region", "updated_at", "id"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.jp} JP)"


class VerifiedJpYear(models.Model):
    """Σ verified JP and the number of verified records of one employee in one year.

    Derived from DevelopmentRecord and kept exact by database triggers on its table
    (`training.jp_summary`), whatever writes the records (services, bulk updates, imports,
    deletions), so dashboards and lists read one indexed row per employee instead of summing
    the ledger. Never written by Python code; not part of a region export (it is rebuilt by
    the triggers as the records are loaded)."""

    derived = True  # regions.region_export skips derived tables

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    jp = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    records = models.IntegerField(default=0)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("JP terverifikasi per tahun")
        verbose_name_plural = _("JP terverifikasi per tahun")
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="one_jp_sum_per_year")
        ]
        indexes = [models.Index(fields=["region", "year", "jp"])]

    def __str__(self):
        return f"{self.employee_id} {self.year}: {self.jp} JP"


class DevelopmentPlan(models.Model):
    """An ASN's plan for the year; the direct supervisor approves it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan ke atasan")
        APPROVED = "approved", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan untuk diperbaiki")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="development_plans"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("catatan pegawai"), blank=True)
    supervisor_notes = models.TextField(_("catatan atasan"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("rencana pengembangan individu")
        verbose_name_plural = _("rencana pengembangan individu")
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="one_plan_per_year")
        ]

    def __str__(self):
        return f"{self.employee} · {self.year}"


class DevelopmentPlanItem(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("kompetensi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program pilihan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    form = models.ForeignKey(
        DevelopmentForm,
        verbose_name=_("bentuk pengembangan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    description = models.CharField(_("uraian"), max_length=255)
    planned_jp = models.PositiveSmallIntegerField(
        _("JP direncanakan"), validators=[MinValueValidator(1)]
    )
    planned_month = models.PositiveSmallIntegerField(_("bulan rencana"), null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["planned_month", "id"]
        verbose_name = _("butir rencana")
        verbose_name_plural = _("butir rencana")

    def __str__(self):
        return self.description


class HistoryEvent(models.Model):
    """Who did what to an enrolment, record or plan, when, and why (read by admins)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("tindakan"), max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("alasan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat keputusan")
        verbose_name_plural = _("riwayat keputusan")
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(fields=["region", "created_at"]),
        ]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"
