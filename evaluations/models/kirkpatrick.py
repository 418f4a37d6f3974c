"""Post-training evaluation, Kirkpatrick levels 1–4 (docs/evaluation.md).

- L1 reaction: a `SurveyTemplate` (sections of `SurveyItem`s: Likert 1–5, single choice,
  free text; an item may be the "relevance" item, or be rated per speaker of the batch) is
  copied by reference into each batch's `Survey`; a participant's `SurveyResponse` holds one
  `SurveyAnswer` per item (and per speaker for speaker items).
- L2 learning: read from the enrolment (`pre_test_score`, `post_test_score`); no model here.
- L3 behaviour: `L3Assessment`, one by the recorded direct supervisor, one self-assessment,
  and up to three by colleagues, made available `delay` days after completion.
- L4 results: a programme's `OutcomeIndicator`s and their `OutcomeMeasurement`s (history).

Every table is tenant-owned (`region`, scoped manager). Settings of a region live in
`EvaluationSettings`, a programme's L3 delay in `ProgrammeEvaluation` (kept here, keyed to the
programme, so the training app does not change).
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from regions.models import Employee, Region
from training.models import Enrolment, Offering, Program, Speaker

LIKERT_MIN = 1
LIKERT_MAX = 5
LIKERT_RANGE = Q(value__isnull=True) | Q(value__gte=LIKERT_MIN, value__lte=LIKERT_MAX)


class EvaluationSettings(models.Model):
    """A region's evaluation settings (one row per region, created with defaults on demand)."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+")
    survey_open_days = models.PositiveSmallIntegerField(
        _("lama survei dibuka (hari)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    survey_reminder_days = models.PositiveSmallIntegerField(
        _("pengingat survei (hari sebelum ditutup)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    relevance_threshold = models.DecimalField(
        _("ambang skor relevansi"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
        help_text=_("Program ditandai kurang relevan bila rata-rata relevansinya di bawah ini."),
    )
    relevance_min_responses = models.PositiveSmallIntegerField(
        _("jumlah jawaban minimal untuk penandaan"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    certificate_requires_survey = models.BooleanField(
        _("sertifikat diunduh setelah survei diisi"),
        default=False,
        help_text=_(
            "Selama survei angkatan dibuka, peserta harus mengisinya sebelum dapat mengunduh "
            "sertifikat."
        ),
    )
    l3_delay_days = models.PositiveSmallIntegerField(
        _("jeda evaluasi level 3 bawaan (hari)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    l3_window_days = models.PositiveSmallIntegerField(
        _("batas waktu pengisian evaluasi level 3 (hari)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("pengaturan evaluasi")
        verbose_name_plural = _("pengaturan evaluasi")

    def __str__(self):
        return f"{self.region_id}"


class ProgrammeEvaluation(models.Model):
    """A programme's own evaluation settings: the L3 delay (default: the region's)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    l3_delay_days = models.PositiveSmallIntegerField(
        _("jeda evaluasi level 3 (hari setelah selesai)"),
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("pengaturan evaluasi program")
        verbose_name_plural = _("pengaturan evaluasi program")

    def __str__(self):
        return f"{self.program_id}: {self.l3_delay_days}"


class SurveyTemplate(models.Model):
    """A questionnaire of a region; the national defaults are copied in from code."""

    class Mode(models.TextChoices):
        CLASSROOM = "classroom", _("Klasikal / tatap muka")
        ELEARNING = "elearning", _("E-learning / daring")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama kuesioner"), max_length=150)
    mode = models.CharField(_("untuk moda"), max_length=10, choices=Mode.choices)
    is_default = models.BooleanField(_("bawaan untuk moda ini"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["mode", "name", "id"]
        verbose_name = _("kuesioner survei")
        verbose_name_plural = _("kuesioner survei")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "mode"],
                condition=Q(is_default=True),
                name="one_default_survey_template_per_mode",
            )
        ]

    def __str__(self):
        return self.name


class SurveyItem(models.Model):
    class Section(models.TextChoices):
        TRAINER = "trainer", _("Narasumber / pengajar")
        ORGANISATION = "organisation", _("Penyelenggaraan")
        RELEVANCE = "relevance", _("Relevansi")
        OVERALL = "overall", _("Keseluruhan")
        IMPROVEMENT = "improvement", _("Saran perbaikan")
        OTHER = "other", _("Lainnya")

    class Kind(models.TextChoices):
        LIKERT = "likert", _("Skala 1–5")
        CHOICE = "choice", _("Pilihan tunggal")
        TEXT = "text", _("Isian bebas")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("bagian"), max_length=12, choices=Section.choices)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    text = models.CharField(_("pertanyaan"), max_length=300)
    kind = models.CharField(_("jenis jawaban"), max_length=8, choices=Kind.choices)
    choices = models.JSONField(_("pilihan"), default=list, blank=True)
    is_relevance = models.BooleanField(_("butir relevansi"), default=False)
    per_speaker = models.BooleanField(_("dinilai per narasumber"), default=False)
    required = models.BooleanField(_("wajib diisi"), default=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["template", "position", "id"]
        verbose_name = _("butir survei")
        verbose_name_plural = _("butir survei")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_relevance=False) | Q(kind="likert"),
                name="survey_relevance_item_is_likert",
            )
        ]

    def __str__(self):
        return self.text


class Survey(models.Model):
    """The reaction survey of one batch. Open from `opens_on` to `closes_on` (inclusive)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    offering = models.OneToOneField(Offering, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("kuesioner"), on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField(_("dibuka"), null=True, blank=True)
    closes_on = models.DateField(_("ditutup"), null=True, blank=True)
    # Set once the participants were invited (the survey is open from then on).
    opened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("survei pasca pelatihan")
        verbose_name_plural = _("survei pasca pelatihan")
        indexes = [models.Index(fields=["region", "closes_on"])]

    def __str__(self):
        return f"{self.offering_id}"

    @property
    def is_started(self) -> bool:
        return self.opened_at is not None

    def is_open(self, today: dt.date) -> bool:
        return self.opened_at is not None and self.closes_on is not None and today <= self.closes_on

    def is_closed(self, today: dt.date) -> bool:
        return self.closes_on is not None and today > self.closes_on


class SurveyResponse(models.Model):
    """One participant's answers to a batch's survey; editable until the survey closes."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # Denormalised from the survey: the aggregates group by offering without a join.
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "enrolment"], name="one_survey_response_per_participant"
            )
        ]
        indexes = [models.Index(fields=["region", "offering"])]

    def __str__(self):
        return f"{self.survey_id}/{self.enrolment_id}"


class SurveyAnswer(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.PROTECT, related_name="+")
    # Denormalised for the aggregates (grouped by offering and item without joins).
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="+")
    speaker = models.ForeignKey(
        Speaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("jawaban butir survei")
        verbose_name_plural = _("jawaban butir survei")
        constraints = [
            models.CheckConstraint(condition=LIKERT_RANGE, name="survey_answer_likert_range")
        ]
        indexes = [
            models.Index(fields=["region", "offering", "item"]),
            models.Index(fields=["region", "speaker"]),
        ]

    def __str__(self):
        return f"{self.response_id}/{self.item_id}"


# The behaviour (L3) items: fixed, so the aggregates are plain column averages.
L3_ITEMS = (
    ("q_apply", _("Menerapkan pengetahuan dan keterampilan hasil pelatihan dalam pekerjaan")),
    ("q_quality", _("Kualitas atau kinerja pekerjaan meningkat sesudah pelatihan")),
    ("q_share", _("Membagikan hasil pelatihan kepada rekan kerja")),
    ("q_initiative", _("Berinisiatif memperbaiki cara kerja sesuai materi pelatihan")),
)
L3_FIELDS = tuple(name for name, _label in L3_ITEMS)


def _likert(label):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(LIKERT_MIN), MaxValueValidator(LIKERT_MAX)],
    )


class L3Assessment(models.Model):
    """How a participant applies what was learned, judged some time after completion.

    The supervisor's assessment names the direct supervisor recorded when it became due
    (`assessor`); only they may submit it, and only from `available_on` (DOMAIN rule 10).
    """

    class Role(models.TextChoices):
        SUPERVISOR = "supervisor", _("Atasan langsung")
        SELF = "self", _("Penilaian diri")
        PEER = "peer", _("Rekan kerja")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("penilai sebagai"), max_length=10, choices=Role.choices)
    assessor = models.ForeignKey(
        Employee,
        verbose_name=_("penilai"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    available_on = models.DateField(_("dapat diisi mulai"))
    due_on = models.DateField(_("batas pengisian"))
    q_apply = _likert(L3_ITEMS[0][1])
    q_quality = _likert(L3_ITEMS[1][1])
    q_share = _likert(L3_ITEMS[2][1])
    q_initiative = _likert(L3_ITEMS[3][1])
    examples = models.TextField(_("contoh penerapan"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("evaluasi pasca pelatihan (level 3)")
        verbose_name_plural = _("evaluasi pasca pelatihan (level 3)")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "role"],
                condition=Q(role__in=["supervisor", "self"]),
                name="one_l3_supervisor_and_self_per_enrolment",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "assessor"],
                condition=Q(role="peer"),
                name="one_l3_per_peer_per_enrolment",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "assessor", "submitted_at"]),
            models.Index(fields=["region", "offering"]),
            models.Index(fields=["region", "submitted_at", "due_on"]),
        ]

    def __str__(self):
        return f"{self.enrolment_id} {self.role}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def is_overdue(self, today: dt.date) -> bool:
        return self.submitted_at is None and today > self.due_on

    @property
    def score(self) -> Decimal | None:
        values = [getattr(self, name) for name in L3_FIELDS]
        if any(v is None for v in values):
            return None
        return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"))


class OutcomeIndicator(models.Model):
    """A programme's result indicator (L4): e.g. days to issue an identity document, 5 → 1."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama indikator"), max_length=200)
    unit = models.CharField(_("satuan"), max_length=50)
    baseline = models.DecimalField(_("nilai awal (baseline)"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["program", "name", "id"]
        verbose_name = _("indikator hasil (level 4)")
        verbose_name_plural = _("indikator hasil (level 4)")
        indexes = [models.Index(fields=["region", "program"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(baseline=models.F("target")), name="outcome_target_differs"
            )
        ]

    def __str__(self):
        return self.name


class OutcomeMeasurement(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        OutcomeIndicator, on_delete=models.CASCADE, related_name="measurements"
    )
    value = models.DecimalField(_("nilai terukur"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("tanggal pengukuran"))
    source = models.CharField(_("sumber data"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["indicator", "-measured_on", "-id"]
        verbose_name = _("pengukuran indikator")
        verbose_name_plural = _("pengukuran indikator")
        indexes = [models.Index(fields=["region", "indicator", "measured_on"])]

    def __str__(self):
        return f"{self.indicator_id}: {self.value} ({self.measured_on})"
