"""Competency dictionary (PermenPAN-RB 38/2017), position standards and assessed levels."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kompetensi.scoping import NationalOrRegionManager
from regions.models import Employee, FunctionalLevel, PositionType, Region

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class CompetencyType(models.TextChoices):
    TEKNIS = "teknis", _("Teknis")
    MANAJERIAL = "manajerial", _("Manajerial")
    SOSIAL_KULTURAL = "sosial_kultural", _("Sosial kultural")


class Competency(models.Model):
    """A competency. National (managerial, socio-cultural) rows have no region."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="competencies"
    )
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama"), max_length=200)
    type = models.CharField(_("jenis kompetensi"), max_length=20, choices=CompetencyType.choices)
    description = models.TextField(_("definisi"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NationalOrRegionManager()

    class Meta:
        ordering = ["type", "code"]
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"], name="competency_code_unique_in_region"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(region__isnull=True),
                name="national_competency_code_unique",
            ),
            # Technical competencies belong to a region; the national dictionaries do not.
            models.CheckConstraint(
                condition=models.Q(type="teknis", region__isnull=False) | ~models.Q(type="teknis"),
                name="technical_competency_has_region",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_national(self) -> bool:
        return self.region_id is None


class CompetencyLevel(models.Model):
    """Level 1–5 of a competency with its description and behavioural indicators."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    description = models.TextField(_("deskripsi"))
    indicators = models.TextField(_("indikator perilaku"), blank=True)

    objects = NationalOrRegionManager("competency__region")

    class Meta:
        ordering = ["competency", "level"]
        verbose_name = _("level kompetensi")
        verbose_name_plural = _("level kompetensi")
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="competency_level_unique"),
        ]

    def __str__(self):
        return f"{self.competency.code} level {self.level}"


class PositionStandard(models.Model):
    """Required competency levels for a position (jabatan) of a region.

    A standard with a blank position name applies to every position of its type (and level);
    a named one wins for employees whose jabatan matches it.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="position_standards")
    position_name = models.CharField(_("nama jabatan"), max_length=200, blank=True)
    position_type = models.CharField(
        _("jenis jabatan"), max_length=30, choices=PositionType.choices
    )
    functional_level = models.CharField(
        _("jenjang"), max_length=20, choices=FunctionalLevel.choices, blank=True
    )
    description = models.TextField(_("keterangan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position_type", "position_name"]
        verbose_name = _("standar kompetensi jabatan")
        verbose_name_plural = _("standar kompetensi jabatan")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "position_type", "functional_level", "position_name"],
                name="position_standard_unique",
            )
        ]

    def __str__(self):
        return self.position_name or self.get_position_type_display()


class PositionStandardItem(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    standard = models.ForeignKey(PositionStandard, on_delete=models.CASCADE, related_name="items")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    required_level = models.PositiveSmallIntegerField(
        _("level yang dipersyaratkan"), validators=LEVEL_VALIDATORS
    )

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("butir standar kompetensi")
        verbose_name_plural = _("butir standar kompetensi")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "competency"], name="position_standard_item_unique"
            )
        ]

    def __str__(self):
        return f"{self.competency} ≥ {self.required_level}"


class EmployeeCompetency(models.Model):
    """An assessed competency level of an employee; the latest assessment counts."""

    class Source(models.TextChoices):
        ASSESSMENT_CENTER = "assessment_center", _("Assessment center")
        UJI_KOMPETENSI = "uji_kompetensi", _("Uji kompetensi")
        SUPERVISOR = "supervisor", _("Penilaian atasan")
        SELF = "self", _("Penilaian mandiri")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="competency_assessments"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level hasil penilaian"), validators=LEVEL_VALIDATORS
    )
    source = models.CharField(_("sumber"), max_length=20, choices=Source.choices)
    assessed_on = models.DateField(_("tanggal penilaian"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("hasil penilaian kompetensi")
        verbose_name_plural = _("hasil penilaian kompetensi")
        indexes = [models.Index(fields=["region", "employee", "competency", "-assessed_on"])]

    def __str__(self):
        return f"{self.employee} · {self.competency} = {self.level}"
