"""Forms of the competency pages. They parse input; training.services.competencies decides."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetensi import uploads
from regions.models import FunctionalLevel, PositionType, Region
from training.models import Competency, EmployeeCompetency, PositionStandard
from training.selectors.competencies import competency_choices

LEVEL_CHOICES = [(n, str(n)) for n in range(1, 6)]
LEVEL_ERROR = _("Level harus bilangan bulat antara 1 dan 5.")
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def level_field(label, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=LEVEL_CHOICES,
        coerce=int,
        error_messages={"invalid_choice": LEVEL_ERROR, "required": LEVEL_ERROR},
        **kwargs,
    )


class CompetencyChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Kompetensi tidak ditemukan di wilayah ini.")},
        )
        super().__init__(queryset=None, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class CompetencyForm(forms.Form):
    """A technical competency with its five level descriptions."""

    code = forms.CharField(
        label=_("Kode"),
        max_length=20,
        help_text=_("Unik di wilayah ini dan tidak sama dengan kode nasional, mis. T.ARSIP.01."),
    )
    name = forms.CharField(label=_("Nama kompetensi"), max_length=200)
    description = forms.CharField(
        label=_("Definisi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, competency: Competency | None = None, **kwargs):
        if competency is not None and "initial" not in kwargs:
            initial = {
                "code": competency.code,
                "name": competency.name,
                "description": competency.description,
            }
            for level in competency.levels.all():
                initial[f"level_{level.level}"] = level.description
                initial[f"indicators_{level.level}"] = level.indicators
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocapitalize": "characters"})
        for number in range(1, 6):
            self.fields[f"level_{number}"] = forms.CharField(
                label=_("Deskripsi level %(level)d") % {"level": number},
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "required": _("Deskripsi level %(level)d wajib diisi.") % {"level": number}
                },
            )
            self.fields[f"indicators_{number}"] = forms.CharField(
                label=_("Indikator perilaku level %(level)d") % {"level": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def head_fields(self):
        return [self[name] for name in ("code", "name", "description")]

    @property
    def level_rows(self):
        return [
            (number, self[f"level_{number}"], self[f"indicators_{number}"])
            for number in range(1, 6)
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "description": data["description"],
            "levels": {
                number: (data[f"level_{number}"], data[f"indicators_{number}"])
                for number in range(1, 6)
            },
        }


class PositionStandardForm(forms.Form):
    position_type = forms.ChoiceField(label=_("Jenis jabatan"), choices=PositionType.choices)
    functional_level = forms.ChoiceField(
        label=_("Jenjang"),
        required=False,
        choices=[("", _("— Semua jenjang / bukan jabatan fungsional —")), *FunctionalLevel.choices],
        help_text=_("Hanya untuk jabatan fungsional."),
    )
    position_name = forms.CharField(
        label=_("Nama jabatan (opsional)"),
        required=False,
        max_length=200,
        help_text=_(
            "Kosongkan agar standar berlaku untuk semua jabatan dengan jenis (dan jenjang) ini. "
            "Bila diisi, standar berlaku untuk pegawai dengan nama jabatan yang sama persis "
            "(huruf besar/kecil diabaikan)."
        ),
    )
    description = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, standard: PositionStandard | None = None, **kwargs):
        if standard is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "position_type": standard.position_type,
                "functional_level": standard.functional_level,
                "position_name": standard.position_name,
                "description": standard.description,
            }
        super().__init__(*args, **kwargs)
        if standard is None:
            self.fields["with_default_managerial"] = forms.BooleanField(
                label=_("Isi dengan kompetensi manajerial pada level umum untuk jenis jabatan ini"),
                required=False,
                initial=True,
            )


class StandardItemForm(forms.Form):
    competency = CompetencyChoiceField(label=_("Kompetensi"))
    required_level = level_field(_("Level yang dipersyaratkan"))

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competency_choices(region=region)


class AssessmentForm(forms.Form):
    competency = CompetencyChoiceField(label=_("Kompetensi"))
    level = level_field(_("Level hasil penilaian"))
    source = forms.ChoiceField(
        label=_("Sumber penilaian"), choices=EmployeeCompetency.Source.choices
    )
    assessed_on = forms.DateField(
        label=_("Tanggal penilaian"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, region: Region, **kwargs):
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competency_choices(region=region)


class AssessmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV"),
        help_text=_("UTF-8, dipisahkan koma atau titik koma, paling besar 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("Unggah berkas berformat .csv."))
        # The portal's one upload check: size, and text content (kompetensi.uploads).
        uploads.validate_upload(
            upload, kinds=("csv",), max_bytes=MAX_IMPORT_BYTES, what=_("Berkas CSV")
        )
        return upload
