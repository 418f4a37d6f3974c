"""Forms of the JP ledger pages: they parse input; training.services.records decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from training.models import DevelopmentForm, DevelopmentRecord
from training.validators import EVIDENCE_ACCEPT

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class RecordForm(forms.Form):
    """An external development record. Rules (dates, JP caps, evidence) live in the service."""

    title = forms.CharField(
        label=_("Nama kegiatan"),
        max_length=255,
        help_text=_("Sesuai sertifikat, misalnya “Seminar Nasional Transformasi Digital”."),
    )
    form = forms.ModelChoiceField(
        label=_("Bentuk pengembangan kompetensi"),
        queryset=DevelopmentForm.objects.order_by("id"),
        empty_label=_("— Pilih bentuk —"),
    )
    organiser = forms.CharField(
        label=_("Penyelenggara"),
        max_length=255,
        help_text=_("Lembaga yang menyelenggarakan, misalnya BPSDM Provinsi Jawa Tengah."),
    )
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Tanggal selesai"), widget=DATE_WIDGET)
    jp = forms.DecimalField(
        label=_("Jumlah JP"),
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "1 JP = 45 menit. Untuk seminar, workshop, magang, e-learning, komunitas belajar "
            "dan bimbingan di tempat kerja berlaku batas JP sesuai pedoman LAN."
        ),
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "inputmode": "decimal"}),
    )
    is_international = forms.BooleanField(
        label=_("Kegiatan bertaraf internasional"), required=False
    )
    certificate_number = forms.CharField(
        label=_("Nomor sertifikat"), max_length=100, required=False
    )
    evidence = forms.FileField(
        label=_("Bukti kegiatan (PDF, PNG atau JPG)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    def __init__(self, *args, record: DevelopmentRecord | None = None, max_bytes: int, **kwargs):
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": record.title,
                "form": record.form_id,
                "organiser": record.organiser,
                "start_date": record.start_date,
                "end_date": record.end_date,
                "jp": record.jp,
                "is_international": record.is_international,
                "certificate_number": record.certificate_number,
            }
        super().__init__(*args, **kwargs)
        size_mb = max_bytes / (1024 * 1024)
        limit = f"{size_mb:g} MB"
        has_evidence = record is not None and bool(record.evidence)
        if has_evidence:
            self.fields["evidence"].help_text = _(
                "Bukti sudah terunggah. Unggah berkas baru hanya jika ingin menggantinya "
                "(maksimal %(limit)s)."
            ) % {"limit": limit}
        else:
            self.fields["evidence"].help_text = _(
                "Sertifikat atau surat keterangan, maksimal %(limit)s. Wajib diunggah."
            ) % {"limit": limit}
        if self.is_bound and not has_evidence:
            # Browsers do not keep a chosen file when the page comes back with errors.
            self.fields["evidence"].help_text += " " + str(
                _("Jika ada isian yang perlu diperbaiki, pilih kembali berkas buktinya.")
            )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["evidence"] = data.get("evidence") or None
        return data


class RecordRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        max_length=2000,
        required=False,  # the service asks for it, with its own message
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pegawai akan membaca alasan ini dan dapat memperbaiki lalu mengajukan lagi."),
    )


class RecordQueueFilterForm(forms.Form):
    """Filters of the verification queue (invalid values fall back to the defaults)."""

    STATUS_CHOICES = [("", _("Semua status")), *DevelopmentRecord.Status.choices]

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    unit = forms.TypedChoiceField(label=_("Unit kerja"), coerce=int, required=False)
    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False)
    q = forms.CharField(label=_("Cari nama, NIP atau kegiatan"), max_length=100, required=False)

    def __init__(self, *args, units, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Semua unit")), *((u.pk, u.name) for u in units)]
        self.fields["tahun"].choices = [("", _("Semua")), *((y, y) for y in years)]
