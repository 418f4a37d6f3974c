"""Forms of the exports, background import and report pages: they check shape only; the
services in evaluations.services decide."""

import datetime as dt
from pathlib import PurePath

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kompetensi import uploads
from regions import imports
from training.models import DevelopmentRecord, Enrolment

from . import exports, selectors

KIND_CHOICES = [(kind, export.label) for kind, export in exports.EXPORTS.items()]


def year_choices(*, today: dt.date | None = None) -> list[tuple[int, int]]:
    current = (today or timezone.localdate()).year
    return [(year, year) for year in range(current + 1, current - 6, -1)]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Data yang diekspor"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        initial="export_enrolments",
    )
    format = forms.ChoiceField(
        label=_("Format berkas"),
        choices=exports.FORMAT_CHOICES,
        widget=forms.RadioSelect,
        initial="xlsx",
        help_text=_(
            "Pilih Excel (.xlsx) bila berkas akan dibuka di Excel: NIP 18 digit tetap utuh. "
            "CSV memakai pemisah koma dan UTF-8."
        ),
    )
    offering = forms.TypedChoiceField(
        label=_("Angkatan"), coerce=int, required=False, empty_value=None
    )
    enrolment_status = forms.ChoiceField(
        label=_("Status pendaftaran"),
        choices=[("", _("Semua status")), *Enrolment.Status.choices],
        required=False,
    )
    record_status = forms.ChoiceField(
        label=_("Status riwayat"),
        choices=[("", _("Semua status")), *DevelopmentRecord.Status.choices],
        required=False,
    )
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False, empty_value=None)
    include_inactive = forms.BooleanField(label=_("Sertakan pegawai nonaktif"), required=False)

    def __init__(self, *args, offerings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].choices = [
            ("", _("Semua angkatan")),
            *(
                (
                    o.pk,
                    f"{o.program.title} – {o.name} ({formats.date_format(o.start_date, 'j M Y')})",
                )
                for o in offerings
            ),
        ]
        self.fields["year"].choices = [("", _("Semua tahun")), *year_choices()]

    def job_params(self) -> dict:
        """The chosen export's parameters (filters of other kinds are left out)."""
        data = self.cleaned_data
        kind = data["kind"]
        params = {"format": data["format"]}
        if kind == "export_enrolments":
            params.update(
                offering=data.get("offering"),
                status=data.get("enrolment_status") or "",
                year=data.get("year"),
            )
        elif kind == "export_records":
            params.update(status=data.get("record_status") or "", year=data.get("year"))
        else:
            params.update(include_inactive=bool(data.get("include_inactive")))
        return {key: value for key, value in params.items() if value not in (None, "")}


class BackgroundImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas pegawai (CSV atau Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, so it is in the user's language.
        self.fields["file"].help_text = _(
            "Paling besar %(size)d MB. Baris pertama berisi nama kolom."
        ) % {"size": imports.MAX_UPLOAD_BYTES // (1024 * 1024)}

    def clean_file(self):
        file = self.cleaned_data["file"]
        if PurePath(file.name or "").suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Unggah berkas CSV atau Excel (.xlsx)."))
        if file.size > imports.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar; paling besar %(size)d MB.")
                % {"size": imports.MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        # The portal's one upload check (kompetensi.uploads): the content is CSV or XLSX.
        uploads.validate_upload(
            file,
            kinds=("csv", "xlsx"),
            max_bytes=imports.MAX_UPLOAD_BYTES,
            what=_("Berkas pegawai"),
        )
        return file


def report_period_choices(*, today: dt.date | None = None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    previous = selectors.previous_month(today)
    current = selectors.month_start(today)
    return [
        (
            previous.isoformat(),
            _("%(month)s (bulan lalu)") % {"month": formats.date_format(previous, "F Y")},
        ),
        (
            current.isoformat(),
            _("%(month)s (bulan berjalan, sementara)")
            % {"month": formats.date_format(current, "F Y")},
        ),
    ]


class ReportGenerateForm(forms.Form):
    period = forms.ChoiceField(label=_("Periode"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = report_period_choices()
        self.fields["period"].choices = choices
        self.fields["period"].initial = choices[0][0]
