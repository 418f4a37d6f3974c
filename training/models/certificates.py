"""Certificates of completed enrolments: the region's settings (number pattern, signing
official, logo), the yearly number counter, the certificates themselves and the background
runs that issue them with a progress bar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from regions.models import Region

from .catalogue import Offering
from .enrolment import Enrolment

DEFAULT_NUMBER_PATTERN = "800/{seq}/BKPSDM/{year}"


def certificate_upload_to(instance, filename):
    return f"certificates/{instance.region_id}/{filename}"


def logo_upload_to(instance, filename):
    return f"certificates/{instance.region_id}/logo/{filename}"


class CertificateSettings(models.Model):
    """One per region: how numbers look and who signs."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="certificate_settings"
    )
    number_pattern = models.CharField(
        _("pola nomor sertifikat"),
        max_length=120,
        default=DEFAULT_NUMBER_PATTERN,
        help_text=_(
            "Gunakan {seq} (nomor urut, mis. 123 atau {seq:05d}), {year} (tahun), "
            "{month} (bulan romawi) dan {code} (kode program). Contoh: 800/{seq}/BKPP/{year}."
        ),
    )
    signer_name = models.CharField(_("nama pejabat penanda tangan"), max_length=150, blank=True)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=30, blank=True)
    city = models.CharField(_("kota penerbitan"), max_length=100, blank=True)
    logo = models.FileField(_("logo instansi (PNG/JPG)"), upload_to=logo_upload_to, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("pengaturan sertifikat")
        verbose_name_plural = _("pengaturan sertifikat")

    def __str__(self):
        return f"{self.region_id}: {self.number_pattern}"


class CertificateCounter(models.Model):
    """The last sequence number given in a region and year (locked while numbers are handed
    out, so they are unique and without gaps under concurrency)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    objects = ScopedManager(region="region")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="certificate_counter_unique")
        ]

    def __str__(self):
        return f"{self.region_id}/{self.year}: {self.last}"


class Certificate(models.Model):
    """The certificate of one completed enrolment. What it says is stored on it when issued
    (a later rename of the programme does not change a printed certificate)."""

    class Status(models.TextChoices):
        VALID = "valid", _("Sah")
        REVOKED = "revoked", _("Dicabut")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("nomor sertifikat"), max_length=60)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    code = models.CharField(_("kode verifikasi"), max_length=40, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.VALID)
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(upload_to=certificate_upload_to, blank=True)
    holder_name = models.CharField(max_length=200)
    holder_nip = models.CharField(max_length=30)
    program_title = models.CharField(max_length=200)
    offering_name = models.CharField(max_length=120)
    start_date = models.DateField()
    end_date = models.DateField()
    jp = models.DecimalField(max_digits=6, decimal_places=2)
    issued_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(_("alasan pencabutan"), blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="certificate_number_unique"),
            models.UniqueConstraint(
                fields=["region", "year", "sequence"], name="certificate_sequence_unique"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


class CertificateRun(models.Model):
    """A background run that issues (numbers and renders) the certificates of a batch, or of
    the listed enrolments: claimed with a compare-and-swap, progress written as it goes,
    re-queued when its worker is gone."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="certificate_runs"
    )
    enrolment_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("penerbitan sertifikat")
        verbose_name_plural = _("penerbitan sertifikat")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.offering_id} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status not in self.UNFINISHED
