"""The region's yearly competency development plan (PP 11/2017 as amended by PP 17/2020).

Units (OPD) send their needs in a yearly needs round; the BKPSDM consolidates them into plan
items; the head of the region (PPK, or the official who signs for them) approves the plan; the
programmes and batches that realise each item are linked to it.

- `NeedsRound` (one per region and year, with a deadline) → one `UnitSubmission` per active
  unit → `Need` rows (competency, target, form, priority, JP, estimated cost).
- `Plan` (region, year, revision): draft → submitted → approved, or submitted → returned →
  submitted. An approved plan is read-only (DOMAIN rule 7); a change after approval is a new
  revision (perubahan) that goes through the same approval; when it is approved the previous
  approved revision becomes superseded (still shown, never edited).
- `PlanItem` carries a `key` shared by its copies in later revisions: `OfferingLink` names the
  key, so the batches that realise an item stay linked through every revision.
- Roles that the regions app does not know (so no regions migration is needed): the unit's
  planner (`UnitPlanner`: an employee the admin names for a unit) and the plan's approver
  (`PlanApprover`: the employee who approves for the head of the region).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from regions.models import Employee, Region, Unit
from training.models import Competency, DevelopmentForm, Offering, Program, Provider

MONEY = {"max_digits": 14, "decimal_places": 0}


class UnitPlanner(models.Model):
    """An employee the BKPSDM names as the planner of a unit: they send its needs."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="planners"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["unit__name", "employee__name"]
        verbose_name = _("perencana unit")
        verbose_name_plural = _("perencana unit")
        constraints = [
            models.UniqueConstraint(fields=["unit", "employee"], name="unit_planner_unique")
        ]
        indexes = [models.Index(fields=["region", "employee"])]

    def __str__(self):
        return f"{self.employee} · {self.unit}"


class PlanApprover(models.Model):
    """The employee who approves the region's plan for the head of the region (PPK)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        _("jabatan penanda tangan"),
        max_length=150,
        help_text=_("Mis. Wali Kota Semarang, atau Sekretaris Daerah atas nama Wali Kota."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["employee__name"]
        verbose_name = _("penyetuju rencana")
        verbose_name_plural = _("penyetuju rencana")
        constraints = [
            models.UniqueConstraint(fields=["region", "employee"], name="plan_approver_unique")
        ]

    def __str__(self):
        return f"{self.employee} ({self.title})"


class NeedsRound(models.Model):
    """The yearly call for the units' needs (usulan kebutuhan), open until its deadline."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun rencana"))
    deadline = models.DateField(_("batas akhir usulan"))
    notes = models.TextField(_("catatan untuk unit"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("penjaringan kebutuhan")
        verbose_name_plural = _("penjaringan kebutuhan")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="needs_round_one_per_year")
        ]

    def __str__(self):
        return f"{self.year}"

    def is_open(self, today) -> bool:
        return today <= self.deadline


class UnitSubmission(models.Model):
    """One unit's needs in one round: draft → submitted; the BKPSDM may return it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(NeedsRound, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    # Suggestion keys the planner chose to ignore (kept so they are not suggested again).
    ignored_suggestions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["unit__name"]
        verbose_name = _("usulan unit")
        verbose_name_plural = _("usulan unit")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="unit_submission_unique")
        ]
        indexes = [models.Index(fields=["region", "round", "status"])]

    def __str__(self):
        return f"{self.unit} · {self.round}"


class Priority(models.IntegerChoices):
    HIGH = 1, _("Tinggi")
    MEDIUM = 2, _("Sedang")
    LOW = 3, _("Rendah")


class Need(models.Model):
    """One development need of a unit (usulan kebutuhan pengembangan kompetensi)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Diisi unit")
        GAP = "gap", _("Kesenjangan kompetensi")
        JP_BEHIND = "jp_behind", _("Pegawai di bawah target JP")
        IDP = "idp", _("Rencana pengembangan individu")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(UnitSubmission, on_delete=models.CASCADE, related_name="needs")
    competency = models.ForeignKey(
        Competency, verbose_name=_("kompetensi"), on_delete=models.PROTECT, related_name="+"
    )
    target_employees = models.ManyToManyField(
        Employee, verbose_name=_("pegawai sasaran"), blank=True, related_name="+"
    )
    target_description = models.CharField(
        _("sasaran (jabatan)"), max_length=255, blank=True,
        help_text=_("Mis. \"Analis Kebijakan Ahli Pertama\" atau \"seluruh pengawas\"."),
    )  # fmt: skip
    target_count = models.PositiveIntegerField(
        _("jumlah ASN sasaran"), validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    form = models.ForeignKey(
        DevelopmentForm,
        verbose_name=_("bentuk pengembangan yang disarankan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    priority = models.PositiveSmallIntegerField(
        _("prioritas"), choices=Priority.choices, default=Priority.MEDIUM
    )
    justification = models.TextField(_("alasan / justifikasi"), blank=True)
    jp = models.PositiveSmallIntegerField(
        _("JP per peserta"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    estimated_cost = models.DecimalField(
        _("perkiraan biaya (Rp)"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    source = models.CharField(
        _("asal usulan"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    suggestion_key = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("usulan kebutuhan")
        verbose_name_plural = _("usulan kebutuhan")
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=0), name="need_cost_not_negative"
            ),
            models.UniqueConstraint(
                fields=["submission", "suggestion_key"],
                condition=~Q(suggestion_key=""),
                name="need_suggestion_once",
            ),
        ]
        indexes = [models.Index(fields=["region", "submission"])]

    def __str__(self):
        return f"{self.competency} ({self.target_count} ASN)"


class Plan(models.Model):
    """A revision of the region's yearly plan. Revision 0 is the original; 1, 2… are the
    changes (perubahan) made after an approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Menunggu persetujuan")
        RETURNED = "returned", _("Dikembalikan untuk diperbaiki")
        APPROVED = "approved", _("Disetujui")
        SUPERSEDED = "superseded", _("Digantikan perubahan")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
    DECIDED_STATUSES = (Status.APPROVED, Status.SUPERSEDED)

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    revision = models.PositiveSmallIntegerField(_("perubahan ke"), default=0)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("catatan / alasan perubahan"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approver_name = models.CharField(max_length=150, blank=True)
    approver_title = models.CharField(max_length=150, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    decree = models.FileField(
        _("SK yang ditandatangani (PDF)"), upload_to="planning/decrees/", blank=True
    )
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-year", "-revision"]
        verbose_name = _("rencana pengembangan kompetensi daerah")
        verbose_name_plural = _("rencana pengembangan kompetensi daerah")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "revision"], name="plan_revision_unique"
            ),
            # One revision in the making per year; one approved (current) revision per year.
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="plan_one_open_revision",
            ),
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(status="approved"),
                name="plan_one_approved_revision",
            ),
        ]
        indexes = [models.Index(fields=["region", "year", "status"])]

    def __str__(self):
        return f"{self.year} · {self.revision}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class PlanItem(models.Model):
    """A programme of the plan: what, for whom, how, by whom, when, and at what cost."""

    class Organiser(models.TextChoices):
        OWN = "own", _("Diselenggarakan sendiri (BKPSDM/perangkat daerah)")
        AGENCY = "agency", _("Instansi pemerintah lain (LAN, BPSDM, kementerian)")
        PARTNER = "partner", _("Mitra (perguruan tinggi, swasta, lembaga lain)")

    class Quarter(models.IntegerChoices):
        Q1 = 1, _("Triwulan I")
        Q2 = 2, _("Triwulan II")
        Q3 = 3, _("Triwulan III")
        Q4 = 4, _("Triwulan IV")

    class CurriculumFit(models.TextChoices):
        FIT = "fit", _("Sesuai standar kurikulum")
        ADAPTED = "adapted", _("Perlu penyesuaian kurikulum")
        NONE = "none", _("Belum ada standar kurikulum")

    class Funding(models.TextChoices):
        APBD = "apbd", _("APBD")
        APBN = "apbn", _("APBN / instansi pusat")
        PARTNER = "partner", _("Mitra / hibah")
        NONE = "none", _("Tanpa biaya")

    class Target(models.TextChoices):
        ALL = "all", _("PNS dan PPPK")
        PNS = "pns", _("PNS")
        PPPK = "pppk", _("PPPK")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    # Shared by the copies of this item in later revisions (realisation follows it).
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    title = models.CharField(_("nama program"), max_length=200)
    competency = models.ForeignKey(
        Competency, verbose_name=_("kompetensi"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit sasaran"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosongkan bila sasaran lintas unit."),
    )
    target_description = models.CharField(_("sasaran (jabatan)"), max_length=255, blank=True)
    target_type = models.CharField(
        _("status kepegawaian sasaran"), max_length=4, choices=Target.choices, default=Target.ALL
    )
    target_count = models.PositiveIntegerField(
        _("jumlah ASN sasaran"), validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    target_employees = models.ManyToManyField(
        Employee, verbose_name=_("pegawai sasaran"), blank=True, related_name="+"
    )
    form = models.ForeignKey(
        DevelopmentForm, verbose_name=_("bentuk pengembangan"), on_delete=models.PROTECT
    )
    jp = models.PositiveSmallIntegerField(
        _("JP per peserta"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    organiser = models.CharField(
        _("penyelenggara"), max_length=10, choices=Organiser.choices, default=Organiser.OWN
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("mitra penyelenggara"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program katalog"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    quarter = models.PositiveSmallIntegerField(
        _("triwulan"), choices=Quarter.choices, null=True, blank=True
    )
    month = models.PositiveSmallIntegerField(
        _("bulan"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    curriculum_fit = models.CharField(
        _("kesesuaian standar kurikulum"),
        max_length=10,
        choices=CurriculumFit.choices,
        default=CurriculumFit.FIT,
    )
    budget = models.DecimalField(
        _("anggaran (Rp)"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    funding = models.CharField(
        _("sumber dana"), max_length=10, choices=Funding.choices, default=Funding.APBD
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("usulan yang dipenuhi"), blank=True, related_name="plan_items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["competency__type", "competency__code", "id"]
        verbose_name = _("butir rencana daerah")
        verbose_name_plural = _("butir rencana daerah")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plan_item_key_unique"),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="plan_item_budget_not_negative"
            ),
            models.CheckConstraint(condition=Q(jp__gt=0), name="plan_item_jp_positive"),
        ]
        indexes = [models.Index(fields=["region", "plan"]), models.Index(fields=["region", "key"])]

    def __str__(self):
        return self.title

    @property
    def schedule_label(self) -> str:
        from django.utils.dates import MONTHS

        if self.month:
            return str(MONTHS[self.month])
        if self.quarter:
            return str(self.get_quarter_display())
        return ""


class OfferingLink(models.Model):
    """A batch (angkatan) that realises a plan item (by the item's key, whatever the revision).
    One batch realises at most one item of a year's plan."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    item_key = models.UUIDField()
    offering = models.ForeignKey(
        Offering, verbose_name=_("angkatan"), on_delete=models.CASCADE, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["id"]
        verbose_name = _("realisasi butir rencana")
        verbose_name_plural = _("realisasi butir rencana")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "offering"], name="offering_realises_one_item"
            )
        ]
        indexes = [models.Index(fields=["region", "item_key"])]

    def __str__(self):
        return f"{self.item_key} ← {self.offering_id}"
