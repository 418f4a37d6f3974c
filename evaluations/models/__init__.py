"""Reports and background jobs; the post-training evaluation models (Kirkpatrick levels 1–4)
live in `evaluations.models.kirkpatrick` and are re-exported here."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from regions.models import Region


def job_file_upload_to(instance, filename):
    return f"jobs/{instance.region_id}/{instance.pk or 'new'}/{filename}"


def report_upload_to(instance, filename):
    return f"reports/{instance.region_id}/{instance.period:%Y-%m}/{filename}"


class BackgroundJob(models.Model):
    """A long task a user waits for (export, import, report): its progress and result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result_file = models.FileField(upload_to=job_file_upload_to, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proses latar belakang")
        verbose_name_plural = _("proses latar belakang")
        indexes = [models.Index(fields=["region", "created_by", "-created_at"])]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class RegionReport(models.Model):
    """A generated periodic report of a region (monthly PDF), stored and downloadable."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("periode (bulan)"))
    kind = models.CharField(max_length=20, default="monthly")
    file = models.FileField(upload_to=report_upload_to)
    generated_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-period"]
        verbose_name = _("laporan wilayah")
        verbose_name_plural = _("laporan wilayah")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "period"], name="one_report_per_period"
            )
        ]

    def __str__(self):
        return f"{self.region_id} {self.kind} {self.period:%Y-%m}"


from .kirkpatrick import (  # noqa: E402
    L3_FIELDS,
    L3_ITEMS,
    EvaluationSettings,
    L3Assessment,
    OutcomeIndicator,
    OutcomeMeasurement,
    ProgrammeEvaluation,
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveyTemplate,
)

__all__ = [
    "L3_FIELDS",
    "L3_ITEMS",
    "BackgroundJob",
    "EvaluationSettings",
    "L3Assessment",
    "OutcomeIndicator",
    "OutcomeMeasurement",
    "ProgrammeEvaluation",
    "RegionReport",
    "Survey",
    "SurveyAnswer",
    "SurveyItem",
    "SurveyResponse",
    "SurveyTemplate",
]
