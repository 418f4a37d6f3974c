"""Forms of the catalogue pages. They parse input; the services (programmes, catalogue) decide.

The model forms only turn POST data into Python values (`_post_clean` is a no-op): the view
passes `cleaned_data` to a service and puts the service's ValidationError back on the form with
`kompetensi.forms.apply_validation_error`. Choice fields only offer the current region's objects.
"""

import datetime as dt

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import scopes_disabled

from regions.models import Golongan, PositionType, Region
from training.models import DeliveryMode, Offering, OfferingUnitQuota, Program, Session
from training.selectors import catalogue as selectors

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
WEEKDAYS = [
    (0, _("Senin")),
    (1, _("Selasa")),
    (2, _("Rabu")),
    (3, _("Kamis")),
    (4, _("Jumat")),
    (5, _("Sabtu")),
    (6, _("Minggu")),
]


def _limit(field: forms.Field, queryset, message) -> None:
    """Offer only `queryset`; anything else (e.g. another region's id) gets `message`."""
    field.queryset = queryset
    key = "invalid_list" if isinstance(field, forms.ModelMultipleChoiceField) else "invalid_choice"
    field.error_messages[key] = message
    if key == "invalid_list":
        field.error_messages["invalid_choice"] = message


INVALID_SPEAKER = _("Narasumber yang dipilih tidak terdaftar (aktif) di wilayah ini.")
INVALID_UNIT = _("Unit yang dipilih tidak ada atau tidak aktif di wilayah ini.")


def _multiple_help(before: str = ""):
    """Help for a multi-select: phones pick by tapping; desktops need Ctrl (or ⌘) for more."""
    return format_html(
        '{}<span class="d-md-none">{}</span><span class="d-none d-md-inline">{}</span>',
        f"{before} " if before else "",
        _("Pilih satu atau lebih."),
        _("Pilih satu atau lebih; tahan Ctrl (atau ⌘) untuk memilih beberapa."),
    )


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class _ServiceModelForm(forms.ModelForm):
    """A ModelForm used for its fields only; the service validates and writes."""

    def _post_clean(self):
        pass


class DevelopmentFormChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.id}. {obj.name} ({obj.get_kind_display()})"


class CompetencyChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name} ({obj.get_type_display()})"


# Model forms build default querysets for their relation fields when the class is created (at
# import, outside any region scope); every one of them is replaced in __init__.
with scopes_disabled():

    class ProgramForm(_ServiceModelForm):
        form = DevelopmentFormChoice(
            queryset=selectors.development_forms(),
            label=_("Bentuk pengembangan"),
            help_text=_("Jenis diklat sesuai kode SIASN (1–25)."),
        )
        jp = forms.IntegerField(
            label=_("Jumlah JP"),
            min_value=1,
            max_value=2000,
            help_text=_("1 JP = 45 menit."),
            error_messages={"min_value": _("Jumlah JP harus lebih dari 0.")},
        )
        planned_budget = forms.DecimalField(
            label=_("Anggaran direncanakan (Rp)"),
            min_value=0,
            decimal_places=0,
            max_digits=14,
            required=False,
            error_messages={"min_value": _("Anggaran tidak boleh negatif.")},
        )
        target_position_types = forms.MultipleChoiceField(
            label=_("Sasaran jenis jabatan"),
            choices=PositionType.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Kosongkan bila terbuka untuk semua jenis jabatan."),
        )

        class Meta:
            model = Program
            fields = [
                "code",
                "title",
                "description",
                "objectives",
                "form",
                "competency_type",
                "competencies",
                "jp",
                "duration_days",
                "delivery_mode",
                "target_position_types",
                "target_min_golongan",
                "target_max_golongan",
                "target_units",
                "provider",
                "planned_budget",
            ]
            field_classes = {"competencies": CompetencyChoices}
            widgets = {
                "description": forms.Textarea(attrs={"rows": 4}),
                "objectives": forms.Textarea(attrs={"rows": 3}),
                "competencies": forms.SelectMultiple(attrs={"size": 8}),
                "target_units": forms.SelectMultiple(attrs={"size": 8}),
            }
            help_texts = {
                "code": _("Kode singkat yang unik di wilayah ini, misalnya PT-2026-01."),
            }

        def __init__(self, *args, region: Region, **kwargs):
            super().__init__(*args, **kwargs)
            program = self.instance
            kept = program.pk is not None
            _limit(
                self.fields["competencies"],
                selectors.competency_choices(
                    keep=program.competencies.values_list("pk", flat=True) if kept else ()
                ),
                _("Kompetensi yang dipilih tidak ada di kamus wilayah ini."),
            )
            _limit(
                self.fields["target_units"],
                selectors.unit_choices(
                    region=region,
                    keep=program.target_units.values_list("pk", flat=True) if kept else (),
                ),
                INVALID_UNIT,
            )
            _limit(
                self.fields["provider"],
                selectors.provider_choices(region=region, keep=[program.provider_id]),
                _("Penyelenggara yang dipilih bukan mitra aktif wilayah ini."),
            )
            self.fields["provider"].empty_label = _("— Belum ditentukan —")
            self.fields["form"].empty_label = _("— Pilih bentuk pengembangan —")
            for name in ("competency_type", "delivery_mode"):
                field = self.fields[name]
                field.choices = [("", _("— Pilih —")), *(c for c in field.choices if c[0] != "")]
            for name in ("target_min_golongan", "target_max_golongan"):
                self.fields[name].choices = [("", _("— Semua golongan —")), *Golongan.choices]
            self.fields["competencies"].help_text = _multiple_help()
            self.fields["target_units"].help_text = _multiple_help(
                _("Kosongkan bila terbuka untuk semua unit.")
            )
            if self.instance.pk is None:
                self.initial.setdefault("planned_budget", 0)

    class OfferingForm(_ServiceModelForm):
        online_link = forms.URLField(
            label=_("Tautan daring"), required=False, assume_scheme="https"
        )
        seats = forms.IntegerField(
            label=_("Kuota peserta"),
            min_value=1,
            help_text=_("Kursi umum. Kursi khusus per unit ditambahkan di halaman angkatan."),
            error_messages={"min_value": _("Kuota peserta paling sedikit 1.")},
        )
        cost_per_participant = forms.DecimalField(
            label=_("Biaya per peserta (Rp)"),
            min_value=0,
            decimal_places=0,
            max_digits=12,
            required=False,
            error_messages={"min_value": _("Biaya per peserta tidak boleh negatif.")},
        )

        class Meta:
            model = Offering
            fields = [
                "name",
                "start_date",
                "end_date",
                "enrolment_opens",
                "enrolment_closes",
                "seats",
                "requires_approval",
                "has_waitlist",
                "venue",
                "online_link",
                "cost_per_participant",
                "speakers",
                "is_international",
                "min_attendance_percent",
                "cancel_cutoff_days",
                "post_test_pass_mark",
            ]
            widgets = {
                "start_date": DATE_WIDGET,
                "end_date": DATE_WIDGET,
                "enrolment_opens": DATE_WIDGET,
                "enrolment_closes": DATE_WIDGET,
                "speakers": forms.SelectMultiple(attrs={"size": 6}),
            }
            help_texts = {
                "enrolment_opens": _("Paling lambat pada tanggal mulai angkatan."),
                "enrolment_closes": _("Paling lambat pada tanggal selesai angkatan."),
            }
            labels = {
                "requires_approval": _("Perlu persetujuan atasan langsung"),
                "has_waitlist": _("Gunakan daftar tunggu bila kuota penuh"),
            }

        def __init__(self, *args, region: Region, **kwargs):
            super().__init__(*args, **kwargs)
            kept = self.instance.speakers.values_list("pk", flat=True) if self.instance.pk else ()
            speakers = selectors.speaker_choices(region=region, keep=kept)
            _limit(self.fields["speakers"], speakers, INVALID_SPEAKER)
            self.fields["speakers"].help_text = _multiple_help()
            # The template offers a link to add speakers when the region has none yet.
            self.has_speakers = speakers.exists()
            if self.instance.pk is None:
                self.initial.setdefault("cost_per_participant", 0)


class OfferingCopyForm(forms.Form):
    name = forms.CharField(label=_("Nama angkatan baru"), max_length=120)
    start_date = forms.DateField(
        label=_("Tanggal mulai angkatan baru"),
        widget=DATE_WIDGET,
        help_text=_(
            "Tanggal selesai, jadwal pendaftaran dan semua sesi digeser sejauh selisih tanggal "
            "mulai."
        ),
    )


class StatusChangeForm(forms.Form):
    """A confirmation without input (publish, archive, open, start)."""


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alasan ini dikirim kepada peserta."),
        error_messages={"required": _("Alasan pembatalan wajib diisi.")},
    )


with scopes_disabled():

    class UnitQuotaForm(_ServiceModelForm):
        seats = forms.IntegerField(
            label=_("Kursi khusus"),
            min_value=1,
            error_messages={"min_value": _("Kursi khusus paling sedikit 1.")},
        )

        class Meta:
            model = OfferingUnitQuota
            fields = ["unit", "seats"]

        def __init__(self, *args, region: Region, **kwargs):
            super().__init__(*args, **kwargs)
            _limit(
                self.fields["unit"],
                selectors.unit_choices(region=region),
                INVALID_UNIT,
            )
            self.fields["unit"].empty_label = _("— Pilih unit —")

    class SessionForm(_ServiceModelForm):
        online_link = forms.URLField(
            label=_("Tautan daring"), required=False, assume_scheme="https"
        )
        starts_at = forms.DateTimeField(
            label=pgettext_lazy("session time", "Mulai"),
            input_formats=[DATETIME_FORMAT],
            widget=_datetime_widget(),
        )
        ends_at = forms.DateTimeField(
            label=pgettext_lazy("session time", "Selesai"),
            input_formats=[DATETIME_FORMAT],
            widget=_datetime_widget(),
        )

        class Meta:
            model = Session
            fields = ["title", "starts_at", "ends_at", "location", "online_link", "speaker"]

        def __init__(self, *args, region: Region, **kwargs):
            super().__init__(*args, **kwargs)
            _limit(
                self.fields["speaker"],
                selectors.speaker_choices(region=region, keep=[self.instance.speaker_id]),
                INVALID_SPEAKER,
            )
            self.fields["speaker"].empty_label = _("— Tanpa narasumber —")


class RecurringSessionForm(forms.Form):
    title = forms.CharField(
        label=_("Judul sesi"),
        max_length=150,
        help_text=_("Setiap sesi diberi nomor pertemuan, misalnya “Kelas – pertemuan 1”."),
    )
    first_date = forms.DateField(
        label=_("Mulai dari tanggal"),
        widget=DATE_WIDGET,
        help_text=_("Pertemuan pertama jatuh pada hari terpilih pertama sejak tanggal ini."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Setiap hari"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu hari.")},
    )
    start_time = forms.TimeField(
        label=_("Jam mulai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Jam selesai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    weeks = forms.IntegerField(
        label=_("Selama (minggu)"),
        min_value=1,
        max_value=52,
        initial=1,
        error_messages={"min_value": _("Jumlah minggu paling sedikit 1.")},
    )
    location = forms.CharField(label=_("Tempat"), max_length=255, required=False)
    online_link = forms.URLField(label=_("Tautan daring"), required=False, assume_scheme="https")
    speaker = forms.ModelChoiceField(
        label=_("Narasumber"), queryset=None, required=False, empty_label=_("— Tanpa narasumber —")
    )

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["speaker"], selectors.speaker_choices(region=region), INVALID_SPEAKER)


# --- Filters -----------------------------------------------------------------------------------


def _month(value: str) -> dt.date | None:
    """'2026-08' → 1 Aug 2026; anything else → None (an unusable filter is ignored)."""
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return None


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def program_filters(params) -> dict:
    status = params.get("status", "")
    return {
        "search": params.get("q", "").strip()[:100],
        "status": status if status in Program.Status.values else "",
        "form_id": _int(params.get("form")),
    }


def offering_filters(params) -> dict:
    status = params.get("status", "")
    return {
        "search": params.get("q", "").strip()[:100],
        "status": status if status in Offering.Status.values else "",
        "month": _month(params.get("month")),
    }


def catalogue_filters(params) -> dict:
    mode = params.get("mode", "")
    return {
        "search": params.get("q", "").strip()[:100],
        "form_id": _int(params.get("form")),
        "competency_id": _int(params.get("competency")),
        "mode": mode if mode in DeliveryMode.values else "",
        "month": _month(params.get("month")),
        "open_seats": params.get("open") == "1",
    }
