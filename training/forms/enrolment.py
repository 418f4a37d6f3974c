"""Forms of the enrolment pages: they check the shape of the input, the services the rules."""

import csv
import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kompetensi import uploads
from regions.models import Unit
from regions.nip import normalise_nip

MAX_BULK_ROWS = 2000
MAX_CSV_BYTES = 1024 * 1024


class EnrolForm(forms.Form):
    motivation = forms.CharField(
        label=_("Alasan mengikuti pelatihan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Opsional. Ceritakan singkat manfaat pelatihan ini bagi tugas Anda."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if not reason_required:
            self.fields["reason"].help_text = _("Opsional.")


class DecisionForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Setujui")), (REJECT, _("Tolak"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Catatan / alasan"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib diisi bila menolak."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tuliskan alasan penolakan."))
        return data


class BulkDecisionForm(DecisionForm):
    enrolments = forms.TypedMultipleChoiceField(
        label=_("Permohonan"), coerce=int, error_messages={"required": _("Pilih permohonan.")}
    )

    def __init__(self, *args, enrolment_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].choices = [(i, i) for i in enrolment_ids]
        self.fields["enrolments"].error_messages["invalid_choice"] = _(
            "Salah satu permohonan yang dipilih sudah tidak menunggu keputusan. Muat ulang halaman."
        )


class BulkEnrolForm(forms.Form):
    BY_UNIT = "unit"
    BY_LIST = "list"
    BY_CSV = "csv"

    mode = forms.ChoiceField(
        label=_("Cara memilih pegawai"),
        choices=[
            (BY_UNIT, _("Semua pegawai aktif dari satu unit")),
            (BY_LIST, _("Daftar NIP (tempel)")),
            (BY_CSV, _("Berkas CSV berisi NIP")),
        ],
        widget=forms.RadioSelect,
        initial=BY_LIST,
    )
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=None, required=False)
    nips = forms.CharField(
        label=_("Daftar NIP"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "199001012015031001"}),
        help_text=_("Satu NIP per baris (boleh dipisah koma atau spasi)."),
    )
    csv_file = forms.FileField(
        label=_("Berkas CSV"),
        required=False,
        help_text=_("Kolom pertama berisi NIP; baris judul boleh ada. Paling besar 1 MB."),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region=region, is_active=True)

    @staticmethod
    def _split(text: str) -> list[str]:
        raw = text.replace(",", " ").replace(";", " ").split()
        return [normalise_nip(part) for part in raw if normalise_nip(part)]

    def _read_csv(self, upload) -> list[str]:
        # The portal's one upload check: size, and text content (kompetensi.uploads).
        uploads.validate_upload(
            upload, kinds=("csv",), max_bytes=MAX_CSV_BYTES, what=_("Berkas CSV")
        )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Berkas harus berupa CSV teks (UTF-8).")) from None
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        nips = []
        for index, row in enumerate(csv.reader(io.StringIO(text), dialect)):
            value = normalise_nip(row[0]) if row else ""
            if not value or (index == 0 and not value.isdigit()):
                continue  # blank line or header row
            nips.append(value)
        return nips

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        nips: list[str] = []
        if mode == self.BY_UNIT:
            if not data.get("unit"):
                self.add_error("unit", _("Pilih unit kerja."))
        elif mode == self.BY_LIST:
            nips = self._split(data.get("nips") or "")
            if not nips:
                self.add_error("nips", _("Tempelkan paling sedikit satu NIP."))
        elif mode == self.BY_CSV:
            upload = data.get("csv_file")
            if not upload:
                self.add_error("csv_file", _("Pilih berkas CSV."))
            else:
                try:
                    nips = self._read_csv(upload)
                except ValidationError as exc:
                    self.add_error("csv_file", exc)
                else:
                    if not nips:
                        self.add_error("csv_file", _("Berkas tidak berisi NIP."))
        if len(nips) > MAX_BULK_ROWS:
            raise ValidationError(
                _("Paling banyak %(max)d NIP sekali proses.") % {"max": MAX_BULK_ROWS}
            )
        data["nip_list"] = nips
        return data


class AdminEnrolmentFilter(forms.Form):
    """The status filter of the participant list (GET)."""

    status = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        from training.models import Enrolment

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Semua status")), *Enrolment.Status.choices]
