"""The catalogue: development forms, partners and speakers, programmes, offerings, sessions."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kompetensi.sync import SyncedModel
from regions.models import Golongan, Region, Unit

from .competencies import Competency, CompetencyType


class DevelopmentForm(models.Model):
    """A form of development (bentuk/jalur), keyed by SIASN's `jenisDiklat` id (1–25).

    National reference data, loaded by a migration. The JP conversion figures (LAN guidance)
    are columns so they stay configurable.
    """

    class Kind(models.TextChoices):
        KLASIKAL = "klasikal", _("Klasikal")
        NONKLASIKAL = "nonklasikal", _("Nonklasikal")

    id = models.PositiveSmallIntegerField(_("ID jenis diklat SIASN"), primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("kelompok"), max_length=12, choices=Kind.choices)
    is_structural = models.BooleanField(_("pelatihan struktural kepemimpinan"), default=False)
    jp_per_day = models.DecimalField(
        _("JP per hari"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    jp_per_day_international = models.DecimalField(
        _("JP per hari (internasional)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    jp_per_activity = models.DecimalField(
        _("JP per kegiatan"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    jp_per_activity_international = models.DecimalField(
        _("JP per kegiatan (internasional)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    jp_per_session = models.DecimalField(
        _("JP per sesi"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_sessions_per_month = models.PositiveSmallIntegerField(
        _("sesi maksimal per bulan"), null=True, blank=True
    )
    max_jp_per_day = models.DecimalField(
        _("JP maksimal per hari"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("bentuk pengembangan kompetensi")
        verbose_name_plural = _("bentuk pengembangan kompetensi")

    def __str__(self):
        return self.name


class Provider(models.Model):
    """A partner that provides training: BKPSDM itself, BPSDM, universities, NGOs, companies."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("BKPSDM / internal")
        BPSDM = "bpsdm", _("BPSDM provinsi")
        LAN = "lan", _("LAN / lembaga pemerintah pusat")
        GOVERNMENT = "government", _("Instansi pemerintah lain")
        UNIVERSITY = "university", _("Perguruan tinggi")
        NGO = "ngo", _("Lembaga swadaya masyarakat")
        PRIVATE = "private", _("Swasta / BUMN / BUMD")
        COMMUNITY = "community", _("Komunitas / relawan")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="providers")
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis mitra"), max_length=20, choices=Kind.choices)
    contact_person = models.CharField(_("narahubung"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    agreement_number = models.CharField(
        _("nomor perjanjian kerja sama"), max_length=100, blank=True
    )
    notes = models.TextField(_("catatan"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name"]
        verbose_name = _("mitra penyelenggara")
        verbose_name_plural = _("mitra penyelenggara")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="provider_name_unique")
        ]

    def __str__(self):
        return self.name


class Speaker(models.Model):
    """A trainer, facilitator or volunteer speaker (narasumber)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="speakers")
    name = models.CharField(_("nama"), max_length=150)
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("asal lembaga"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speakers",
    )
    expertise = models.CharField(_("keahlian"), max_length=255, blank=True)
    is_volunteer = models.BooleanField(_("narasumber sukarela"), default=False)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name"]
        verbose_name = _("narasumber")
        verbose_name_plural = _("narasumber")

    def __str__(self):
        return self.name


class DeliveryMode(models.TextChoices):
    TATAP_MUKA = "tatap_muka", _("Tatap muka")
    DARING = "daring", _("Daring")
    BLENDED = "blended", _("Blended")


class Program(SyncedModel):
    """A programme of the catalogue; its offerings (batches) are what ASN enrol in."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")
        ARCHIVED = "archived", _("Diarsipkan")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="programs")
    code = models.CharField(_("kode"), max_length=30)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True)
    objectives = models.TextField(_("tujuan pembelajaran"), blank=True)
    form = models.ForeignKey(
        DevelopmentForm, verbose_name=_("bentuk pengembangan"), on_delete=models.PROTECT
    )
    competency_type = models.CharField(
        _("jenis kompetensi"), max_length=20, choices=CompetencyType.choices
    )
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("kompetensi yang dikembangkan"), blank=True, related_name="+"
    )
    jp = models.PositiveSmallIntegerField(
        _("jumlah JP"),
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text=_("1 JP = 45 menit."),
    )
    delivery_mode = models.CharField(_("moda"), max_length=12, choices=DeliveryMode.choices)
    duration_days = models.PositiveSmallIntegerField(
        _("lama pelaksanaan (hari)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(400)],
        help_text=_("Dipakai untuk memeriksa JP terhadap aturan konversi bentuk pengembangan."),
    )
    target_position_types = models.JSONField(_("sasaran jenis jabatan"), default=list, blank=True)
    target_min_golongan = models.PositiveSmallIntegerField(
        _("golongan minimal"), choices=Golongan.choices, null=True, blank=True
    )
    target_max_golongan = models.PositiveSmallIntegerField(
        _("golongan maksimal"), choices=Golongan.choices, null=True, blank=True
    )
    target_units = models.ManyToManyField(
        Unit, verbose_name=_("sasaran unit kerja"), blank=True, related_name="+"
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("penyelenggara"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
    )
    planned_budget = models.DecimalField(
        _("anggaran direncanakan (Rp)"),
        max_digits=14,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["title"]
        verbose_name = _("program pelatihan")
        verbose_name_plural = _("program pelatihan")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="program_code_unique"),
            models.CheckConstraint(condition=Q(jp__gt=0), name="program_jp_positive"),
        ]
        indexes = [
            models.Index(fields=["region", "sync_marker", "id"]),
            models.Index(fields=["region", "status", "title"]),
            models.Index(fields=["region", "form"]),
            models.Index(fields=["region", "updated_at", "id"]),
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"


class Offering(SyncedModel):
    """A batch (angkatan) of a programme: dates, enrolment window and seats."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        OPEN = "open", _("Pendaftaran dibuka")
        RUNNING = "running", _("Berlangsung")
        COMPLETED = "completed", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    # State sets: the one definition of each group of statuses (use these, never a literal list).
    # Not over yet: seats still move (approve, promote from the waitlist, cancel).
    ACTIVE_STATUSES = (Status.PLANNED, Status.OPEN, Status.RUNNING)
    # History: nothing about the offering, its sessions or its enrolments changes any more.
    CLOSED_STATUSES = (Status.COMPLETED, Status.CANCELLED)
    # Taking participants: an admin may add one to an open or running batch (a programme with
    # such a batch cannot be archived); self-enrolment also needs the enrolment window.
    ENROLLING_STATUSES = (Status.OPEN, Status.RUNNING)
    SELF_ENROLLING_STATUSES = (Status.OPEN,)
    # Not begun: shown as upcoming in the catalogue and recommended to employees.
    UPCOMING_STATUSES = (Status.PLANNED, Status.OPEN)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="offerings")
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="offerings"
    )
    name = models.CharField(_("nama angkatan"), max_length=120)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    enrolment_opens = models.DateField(_("pendaftaran dibuka"))
    enrolment_closes = models.DateField(_("pendaftaran ditutup"))
    seats = models.PositiveIntegerField(_("kuota peserta"), validators=[MinValueValidator(1)])
    requires_approval = models.BooleanField(_("perlu persetujuan atasan"), default=True)
    has_waitlist = models.BooleanField(_("daftar tunggu"), default=True)
    venue = models.CharField(_("tempat"), max_length=255, blank=True)
    online_link = models.URLField(_("tautan daring"), blank=True)
    cost_per_participant = models.DecimalField(
        _("biaya per peserta (Rp)"),
        max_digits=12,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    speakers = models.ManyToManyField(
        Speaker, verbose_name=_("narasumber"), blank=True, related_name="offerings"
    )
    is_international = models.BooleanField(_("bertaraf internasional"), default=False)
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("kehadiran minimal (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    post_test_pass_mark = models.PositiveSmallIntegerField(
        _("nilai lulus post-test (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Untuk tes di kertas. Bila kursus angkatan memiliki post-test daring, nilai lulus "
            "post-test itu yang dipakai."
        ),
    )
    cancel_cutoff_days = models.PositiveSmallIntegerField(
        _("batas pembatalan oleh peserta (hari sebelum mulai)"), default=1
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="offering_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(enrolment_closes__gte=F("enrolment_opens")),
                name="offering_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(enrolment_opens__lte=F("start_date")),
                name="offering_window_opens_before_start",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="offering_seats_positive"),
        ]
        indexes = [
            models.Index(fields=["region", "sync_marker", "id"]),
            models.Index(fields=["region", "status", "start_date"]),
            models.Index(fields=["region", "program", "start_date"]),
            models.Index(fields=["region", "updated_at", "id"]),
        ]

    def __str__(self):
        return f"{self.program.title} – {self.name}"

    @classmethod
    def enrolment_open_q(cls, today: dt.date) -> Q:
        """Offerings an employee may enrol in themselves on `today`: open, inside the window."""
        return Q(
            status__in=cls.SELF_ENROLLING_STATUSES,
            enrolment_opens__lte=today,
            enrolment_closes__gte=today,
        )

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def cancel_deadline(self) -> dt.date:
        """The last day an ASN may cancel their own enrolment."""
        return self.start_date - dt.timedelta(days=self.cancel_cutoff_days)


class OfferingUnitQuota(models.Model):
    """Seats reserved for one unit (OPD), on top of the offering's general seats."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="unit_quotas")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveIntegerField(_("kursi khusus"), validators=[MinValueValidator(1)])

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("kuota unit")
        verbose_name_plural = _("kuota unit")
        constraints = [
            models.UniqueConstraint(fields=["offering", "unit"], name="offering_unit_quota_unique")
        ]

    def __str__(self):
        return f"{self.unit} · {self.seats}"


class Session(models.Model):
    """A meeting of an offering. Cancelled with a reason, never silently deleted."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        CANCELLED = "cancelled", _("Dibatalkan")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("judul sesi"), max_length=200)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    location = models.CharField(_("tempat"), max_length=255, blank=True)
    online_link = models.URLField(_("tautan daring"), blank=True)
    speaker = models.ForeignKey(
        Speaker,
        verbose_name=_("narasumber"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    # Bumped on every change so calendar clients replace the event (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["region", "starts_at"])]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%d-%m-%Y %H:%M})"
