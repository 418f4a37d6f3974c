"""Tenancy and organisation: the region (tenant), its units, employees and memberships.

Every tenant-owned model carries `region` and uses a django-scopes ScopedManager: a query
outside `scope(region=...)` raises instead of returning every region's rows.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from kompetensi.sync import SyncedModel

from . import nip as nip_rules


class User(AbstractUser):
    """A login. Employees log in with their NIP (the username) or their email."""

    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    is_national_viewer = models.BooleanField(
        _("peninjau nasional"),
        default=False,
        help_text=_("Dapat melihat semua wilayah, hanya baca."),
    )
    # The person's chosen language (also for their e-mails); empty: the portal's (Indonesian).
    language = models.CharField(
        _("bahasa"), max_length=8, blank=True, choices=settings.LANGUAGES, default=""
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def save(self, *args, **kwargs):
        # An empty string would collide with the unique constraint; store NULL instead.
        self.email = self.email.strip().lower() if self.email else None
        super().save(*args, **kwargs)


RESERVED_SLUGS = {
    "akun", "admin", "api", "i18n", "static", "media", "verifikasi", "nasional", "csp-report",
}  # fmt: skip


def validate_region_slug(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value in RESERVED_SLUGS:
        raise ValidationError(_("Slug %(slug)s dipakai oleh sistem.") % {"slug": value})


class Region(models.Model):
    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KOTA = "kota", _("Kota")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KECAMATAN = "kecamatan", _("Kecamatan")

    slug = models.SlugField(
        _("slug"), max_length=60, unique=True, validators=[validate_region_slug]
    )
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    province = models.CharField(_("provinsi"), max_length=120)
    agency_name = models.CharField(_("nama instansi pengelola"), max_length=200)
    jp_target = models.PositiveSmallIntegerField(
        _("target JP per tahun"),
        default=settings.KOMPETENSI_DEFAULT_JP_TARGET,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    pppk_jp_cap = models.PositiveSmallIntegerField(
        _("batas JP PPPK per tahun kontrak"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class Unit(SyncedModel):
    """Perangkat daerah (OPD) or unit kerja; a tree inside one region."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        RSUD = "rsud", _("Rumah sakit daerah")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        SEKOLAH = "sekolah", _("Sekolah")
        BAGIAN = "bagian", _("Bagian / bidang")
        LAINNYA = "lainnya", _("Lainnya")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(
        _("kode"),
        max_length=30,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9._-]+$", _("Kode hanya boleh berisi huruf, angka, titik, - dan _.")
            )
        ],
    )
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.DINAS)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("unit")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unit_code_unique_in_region"),
        ]
        indexes = [
            models.Index(fields=["region", "is_active", "name"]),
            models.Index(fields=["region", "sync_marker", "id"]),
        ]

    def __str__(self):
        return self.name


class Golongan(models.IntegerChoices):
    """Pangkat/golongan ruang of PNS, with SIASN ids."""

    I_A = 11, "I/a – Juru Muda"
    I_B = 12, "I/b – Juru Muda Tingkat I"
    I_C = 13, "I/c – Juru"
    I_D = 14, "I/d – Juru Tingkat I"
    II_A = 21, "II/a – Pengatur Muda"
    II_B = 22, "II/b – Pengatur Muda Tingkat I"
    II_C = 23, "II/c – Pengatur"
    II_D = 24, "II/d – Pengatur Tingkat I"
    III_A = 31, "III/a – Penata Muda"
    III_B = 32, "III/b – Penata Muda Tingkat I"
    III_C = 33, "III/c – Penata"
    III_D = 34, "III/d – Penata Tingkat I"
    IV_A = 41, "IV/a – Pembina"
    IV_B = 42, "IV/b – Pembina Tingkat I"
    IV_C = 43, "IV/c – Pembina Utama Muda"
    IV_D = 44, "IV/d – Pembina Utama Madya"
    IV_E = 45, "IV/e – Pembina Utama"


class PositionType(models.TextChoices):
    JPT_UTAMA = "jpt_utama", _("JPT Utama")
    JPT_MADYA = "jpt_madya", _("JPT Madya")
    JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    FUNGSIONAL_KEAHLIAN = "fungsional_keahlian", _("Fungsional keahlian")
    FUNGSIONAL_KETERAMPILAN = "fungsional_keterampilan", _("Fungsional keterampilan")
    PELAKSANA = "pelaksana", _("Pelaksana")


class FunctionalLevel(models.TextChoices):
    AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
    AHLI_MUDA = "ahli_muda", _("Ahli Muda")
    AHLI_MADYA = "ahli_madya", _("Ahli Madya")
    AHLI_UTAMA = "ahli_utama", _("Ahli Utama")
    PEMULA = "pemula", _("Pemula")
    TERAMPIL = "terampil", _("Terampil")
    MAHIR = "mahir", _("Mahir")
    PENYELIA = "penyelia", _("Penyelia")


KEAHLIAN_LEVELS = {
    FunctionalLevel.AHLI_PERTAMA,
    FunctionalLevel.AHLI_MUDA,
    FunctionalLevel.AHLI_MADYA,
    FunctionalLevel.AHLI_UTAMA,
}


class Employee(SyncedModel):
    """An ASN (PNS or PPPK) of one region. Business rules live in regions.services."""

    class EmploymentType(models.TextChoices):
        PNS = nip_rules.PNS, _("PNS")
        PPPK = nip_rules.PPPK, _("PPPK")

    class Gender(models.TextChoices):
        MALE = nip_rules.MALE, _("Laki-laki")
        FEMALE = nip_rules.FEMALE, _("Perempuan")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="employees")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )
    # Unique nationally (DOMAIN rule 5): the constraint is global, not per region.
    nip = models.CharField(_("NIP / NI PPPK"), max_length=18, unique=True)
    name = models.CharField(_("nama lengkap"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("nomor HP"), max_length=30, blank=True)
    employment_type = models.CharField(
        _("status kepegawaian"), max_length=4, choices=EmploymentType.choices
    )
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    golongan = models.PositiveSmallIntegerField(
        _("pangkat/golongan ruang"), choices=Golongan.choices, null=True, blank=True
    )
    pppk_grade = models.PositiveSmallIntegerField(
        _("golongan PPPK"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(17)],
    )
    position = models.CharField(_("jabatan"), max_length=200)
    position_type = models.CharField(
        _("jenis jabatan"), max_length=30, choices=PositionType.choices
    )
    functional_level = models.CharField(
        _("jenjang jabatan fungsional"),
        max_length=20,
        choices=FunctionalLevel.choices,
        blank=True,
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="employees"
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    # Set when the personal data were replaced (UU PDP: a departed employee's erasure).
    anonymised_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name"]
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        indexes = [
            models.Index(fields=["region", "sync_marker", "id"]),
            models.Index(fields=["region", "is_active", "name"]),
            models.Index(fields=["region", "unit"]),
            models.Index(fields=["region", "employment_type"]),
            models.Index(fields=["region", "updated_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("id")), name="employee_not_own_supervisor"
            ),
            # DOMAIN rule 12: PNS carry a golongan ruang; PPPK do not.
            models.CheckConstraint(
                condition=Q(employment_type="pns", pppk_grade__isnull=True)
                | Q(employment_type="pppk", golongan__isnull=True),
                name="employee_grade_matches_type",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.nip})"

    @property
    def grade_display(self) -> str:
        if self.employment_type == self.EmploymentType.PNS:
            return self.get_golongan_display() or "–"
        return f"{_('Golongan')} {self.pppk_grade}" if self.pppk_grade else "–"


class Membership(models.Model):
    """A user's access to one region. Supervisors are derived: anyone with subordinates."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin BKPSDM")
        MEMBER = "member", _("ASN")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan wilayah")
        verbose_name_plural = _("keanggotaan wilayah")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.region.slug} ({self.role})"


class Notification(models.Model):
    """A message to one employee about one event; delivered per channel exactly once.

    `dedup_key` is unique: recording the same event twice (a retried task, a job run twice,
    two workers) finds the existing row instead of creating a second notification.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("jenis"), max_length=40)
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    context = models.JSONField(default=dict, blank=True)
    dedup_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(fields=["region", "kind", "created_at"]),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


class NotificationDelivery(models.Model):
    """One channel's delivery of a notification (email now; SMS/WhatsApp by configuration)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        SKIPPED = "skipped", _("Dilewati")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("kanal"), max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("pengiriman notifikasi")
        verbose_name_plural = _("pengiriman notifikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.notification_id}/{self.channel}: {self.status}"


class ApiClient(models.Model):
    """A REST client bound to one region (or, created by a superuser, read-only national).

    The secret is shown once; only its hash is stored. `key_id` is the public half used to
    find the client without scanning hashes.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Baca data")
        ENROL = "enrol", _("Mendaftarkan peserta")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="api_clients"
    )
    name = models.CharField(_("nama klien"), max_length=120)
    scopes = models.JSONField(_("hak akses"), default=list)
    key_id = models.CharField(max_length=24, unique=True)
    secret_hash = models.CharField(max_length=128)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    # Looked up by key_id before any region is known; national clients have no region.
    objects = models.Manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("klien API")
        verbose_name_plural = _("klien API")

    def __str__(self):
        return self.name

    @property
    def is_national(self) -> bool:
        return self.region_id is None


class Tombstone(SyncedModel):
    """Marks a deleted row so incremental API clients learn of deletions."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    resource = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("catatan penghapusan")
        verbose_name_plural = _("catatan penghapusan")
        indexes = [
            models.Index(fields=["region", "resource", "deleted_at", "id"]),
            models.Index(fields=["region", "resource", "sync_marker", "id"]),
        ]

    def __str__(self):
        return f"{self.resource}#{self.object_id}"


class AuditQuerySet(models.QuerySet):
    """The audit trail is append-only: no update or delete through the app (on PostgreSQL a
    trigger refuses them too). Old events leave only through the retention purge
    (`regions.audit.audit_purge`)."""

    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """Who did what, when, from which address, with the changed fields (old → new).

    Written by `regions.audit` (model changes of the tracked models, and explicit events:
    login, export, import, anonymisation...). Scoped per region: a region's admins read
    their region's trail; events without a region (a national viewer's login) are read by
    their actor only. The actor is kept as an id without a foreign-key constraint and a
    label, so deleting or anonymising a login never rewrites the trail.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Dibuat")
        UPDATE = "update", _("Diubah")
        DELETE = "delete", _("Dihapus")
        APPROVE = "approve", _("Disetujui")
        REJECT = "reject", _("Ditolak")
        VERIFY = "verify", _("Diverifikasi")
        EXPORT = "export", _("Diekspor")
        IMPORT = "import", _("Diimpor")
        LOGIN = "login", _("Masuk")
        LOGIN_FAILED = "login_failed", _("Gagal masuk")
        LOGOUT = "logout", _("Keluar")
        MFA = "mfa", _("Autentikasi dua faktor")
        DATA_EXPORT = "data_export", _("Unduhan data pribadi")
        ANONYMISE = "anonymise", _("Dianonimkan")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("pelaku"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("jenis data"), max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_label = models.CharField(_("data"), max_length=200, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    objects = ScopedManager(region="region", _manager_class=AuditQuerySet.as_manager().__class__)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        indexes = [
            models.Index(fields=["region", "-at", "-id"]),
            models.Index(fields=["region", "object_type", "object_id"]),
            models.Index(fields=["region", "action", "-at"]),
            models.Index(fields=["region", "actor", "-at"]),
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")


def personal_data_upload_to(instance, filename):
    # A random name: the address of one person's data is never guessable (served through a
    # view that checks the owner anyway).
    import secrets

    return f"privacy/{instance.region_id}/{secrets.token_urlsafe(24)}.zip"


class PersonalDataExport(models.Model):
    """An employee's download of everything the portal holds about them (UU PDP), built in
    the background (`regions.privacy`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Siap diunduh")
        FAILED = "failed", _("Gagal")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="personal_data_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=personal_data_upload_to, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("unduhan data pribadi")
        verbose_name_plural = _("unduhan data pribadi")
        indexes = [models.Index(fields=["region", "employee", "-created_at"])]

    def __str__(self):
        return f"{self.employee_id} {self.created_at:%Y-%m-%d} ({self.status})"
