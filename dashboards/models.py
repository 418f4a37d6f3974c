"""The recognition list (penghargaan) of a region's year and the opt-outs of being named on it.

The dashboards themselves store nothing: every figure is computed by the database when the page
opens (dashboards.selectors). What is stored here is what an admin decides: the criteria and
size of the year's recognition list, its publication (a snapshot of the ranked people, so a
published list and its certificates never change under anyone's feet), and the employees who
asked not to be shown by name to colleagues.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from regions.models import Employee, Region, Unit


class RecognitionList(models.Model):
    """The recognition list of one region and year: its criteria, size and publication."""

    class Criterion(models.TextChoices):
        JP = "jp", _("JP terverifikasi, lalu jumlah program selesai")
        PROGRAMMES = "programmes", _("Jumlah program selesai, lalu JP terverifikasi")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    criterion = models.CharField(
        _("urutan berdasarkan"), max_length=12, choices=Criterion.choices, default=Criterion.JP
    )
    size = models.PositiveSmallIntegerField(
        _("jumlah orang per kelompok"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    per_unit = models.BooleanField(_("per unit kerja"), default=False)
    min_jp = models.PositiveSmallIntegerField(
        _("JP minimal"),
        default=0,
        validators=[MaxValueValidator(1000)],
        help_text=_("Hanya pegawai dengan JP terverifikasi paling sedikit sebanyak ini."),
    )
    published_at = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("daftar penghargaan")
        verbose_name_plural = _("daftar penghargaan")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_recognition_list_a_year")
        ]

    def __str__(self):
        return f"{self.region_id} · {self.year}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RecognitionEntry(models.Model):
    """One person on a published list, as ranked when it was published."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    recognition = models.ForeignKey(
        RecognitionList, on_delete=models.CASCADE, related_name="entries"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    employment_type = models.CharField(max_length=4)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("peringkat"))
    verified_jp = models.DecimalField(_("JP terverifikasi"), max_digits=8, decimal_places=2)
    programmes = models.PositiveIntegerField(_("program selesai"))
    reached_on = models.DateField(_("target tercapai pada"), null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["employment_type", "unit_id", "rank", "id"]
        verbose_name = _("penerima penghargaan")
        verbose_name_plural = _("penerima penghargaan")
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "employee"], name="one_entry_per_person_per_list"
            )
        ]

    def __str__(self):
        return f"{self.recognition_id} #{self.rank} {self.employee_id}"


class RecognitionOptOut(models.Model):
    """The employee asked not to be shown by name to colleagues (admins still see them)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, related_name="recognition_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("penolakan ditampilkan")
        verbose_name_plural = _("penolakan ditampilkan")

    def __str__(self):
        return str(self.employee_id)
