"""Forms of the planning pages: they parse input; planning.services decides.

Money fields are text fields (so "1.500.000" or "Rp 1.500.000" is accepted and letters or a
minus sign get a clear message from `planning.services.common.clean_money`)."""

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from training.models import DevelopmentForm

from .models import PlanItem, Priority

MONTH_CHOICES = [("", _("— Belum ditentukan —")), *((n, MONTHS[n]) for n in range(1, 13))]
NUMBER_ERRORS = {"invalid": _("Isi dengan angka."), "required": _("Kolom ini wajib diisi.")}


def _money_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=30,
        help_text=_("Dalam rupiah, angka saja (mis. 15.000.000)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class RoundForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun rencana"), coerce=int)
    deadline = forms.DateField(
        label=_("Batas akhir usulan"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Isi tanggal yang benar.")},
    )
    notes = forms.CharField(
        label=_("Catatan untuk unit"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class NeedForm(forms.Form):
    competency = forms.ModelChoiceField(
        label=_("Kompetensi"), queryset=None, empty_label=_("— Pilih kompetensi —"),
        error_messages={"invalid_choice": _("Kompetensi tidak ditemukan.")},
    )  # fmt: skip
    target_description = forms.CharField(
        label=_("Sasaran (jabatan)"), max_length=255, required=False,
        help_text=_("Mis. \"Analis Kebijakan Ahli Pertama\" atau \"seluruh pengawas\"."),
    )  # fmt: skip
    target_employees = forms.ModelMultipleChoiceField(
        label=_("Pegawai sasaran (opsional)"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": _("Pegawai sasaran harus pegawai unit ini.")},
    )  # fmt: skip
    target_count = forms.IntegerField(
        label=_("Jumlah ASN sasaran"), required=False, error_messages=NUMBER_ERRORS,
        help_text=_("Kosongkan bila sama dengan jumlah pegawai yang dipilih."),
    )  # fmt: skip
    form = forms.ModelChoiceField(
        label=_("Bentuk pengembangan yang disarankan"),
        queryset=DevelopmentForm.objects.order_by("id"),
        required=False,
        empty_label=_("— Belum ditentukan —"),
    )
    priority = forms.TypedChoiceField(
        label=_("Prioritas"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )
    jp = forms.IntegerField(
        label=_("JP per peserta"), error_messages=NUMBER_ERRORS, help_text=_("1 JP = 45 menit.")
    )
    estimated_cost = _money_field(_("Perkiraan biaya (Rp)"))
    justification = forms.CharField(
        label=_("Alasan / justifikasi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, competencies, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies
        self.fields["target_employees"].queryset = employees


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PlanCreateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun rencana"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class PlanItemForm(forms.Form):
    title = forms.CharField(label=_("Nama program"), max_length=200)
    competency = forms.ModelChoiceField(
        label=_("Kompetensi"), queryset=None, empty_label=_("— Pilih kompetensi —"),
        error_messages={"invalid_choice": _("Kompetensi tidak ditemukan.")},
    )  # fmt: skip
    form = forms.ModelChoiceField(
        label=_("Bentuk pengembangan (SIASN)"),
        queryset=DevelopmentForm.objects.order_by("id"),
        empty_label=_("— Pilih bentuk —"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit sasaran"), queryset=None, required=False, empty_label=_("— Lintas unit —"),
        error_messages={"invalid_choice": _("Unit tidak ditemukan.")},
    )  # fmt: skip
    target_type = forms.ChoiceField(
        label=_("Status kepegawaian sasaran"), choices=PlanItem.Target.choices
    )
    target_description = forms.CharField(
        label=_("Sasaran (jabatan)"), max_length=255, required=False
    )
    target_employees = forms.ModelMultipleChoiceField(
        label=_("Pegawai sasaran (opsional)"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": _("Pegawai sasaran tidak ditemukan.")},
    )  # fmt: skip
    target_count = forms.IntegerField(
        label=_("Jumlah ASN sasaran"), required=False, error_messages=NUMBER_ERRORS
    )
    jp = forms.IntegerField(
        label=_("JP per peserta"), error_messages=NUMBER_ERRORS, help_text=_("1 JP = 45 menit.")
    )
    organiser = forms.ChoiceField(label=_("Penyelenggara"), choices=PlanItem.Organiser.choices)
    provider = forms.ModelChoiceField(
        label=_("Mitra penyelenggara"), queryset=None, required=False,
        empty_label=_("— Tidak ada —"),
        error_messages={"invalid_choice": _("Mitra tidak ditemukan.")},
    )  # fmt: skip
    program = forms.ModelChoiceField(
        label=_("Program katalog (opsional)"), queryset=None, required=False,
        empty_label=_("— Belum ada —"),
        error_messages={"invalid_choice": _("Program tidak ditemukan.")},
    )  # fmt: skip
    quarter = forms.TypedChoiceField(
        label=_("Triwulan"), choices=[("", _("— Belum ditentukan —")), *PlanItem.Quarter.choices],
        coerce=int, required=False, empty_value=None,
    )  # fmt: skip
    month = forms.TypedChoiceField(
        label=_("Bulan"), choices=MONTH_CHOICES, coerce=int, required=False, empty_value=None
    )
    curriculum_fit = forms.ChoiceField(
        label=_("Kesesuaian standar kurikulum"), choices=PlanItem.CurriculumFit.choices
    )
    budget = _money_field(_("Anggaran (Rp)"))
    funding = forms.ChoiceField(label=_("Sumber dana"), choices=PlanItem.Funding.choices)
    needs = forms.ModelMultipleChoiceField(
        label=_("Usulan unit yang dipenuhi"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Gabungkan beberapa usulan dalam satu butir, atau pecah satu usulan ke "
                    "beberapa butir."),
        error_messages={"invalid_choice": _("Usulan kebutuhan tidak ditemukan pada penjaringan tahun ini.")},
    )  # fmt: skip

    def __init__(self, *args, competencies, units, employees, providers, programs, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies
        self.fields["unit"].queryset = units
        self.fields["target_employees"].queryset = employees
        self.fields["provider"].queryset = providers
        self.fields["program"].queryset = programs
        self.fields["needs"].queryset = needs
        self.fields["needs"].label_from_instance = lambda n: (
            f"{n.submission.unit.name}: {n.competency.name} ({n.target_count} ASN)"
        )


class PlanSubmitForm(forms.Form):
    notes = forms.CharField(
        label=_("Catatan pengajuan"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )  # fmt: skip


class PlanReviseForm(forms.Form):
    notes = forms.CharField(
        label=_("Alasan perubahan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Setujui")), ("return", _("Kembalikan"))])
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000, help_text=_("Wajib diisi bila rencana dikembalikan."),
    )  # fmt: skip
    decree_number = forms.CharField(label=_("Nomor SK (opsional)"), required=False, max_length=100)
    decree = forms.FileField(
        label=_("SK yang ditandatangani (PDF, opsional)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )  # fmt: skip


class LinkOfferingForm(forms.Form):
    offering = forms.ModelChoiceField(
        label=_("Angkatan"), queryset=None, empty_label=_("— Pilih angkatan —"),
        error_messages={"invalid_choice": _("Angkatan tidak ditemukan atau sudah dikaitkan.")},
    )  # fmt: skip

    def __init__(self, *args, offerings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings
        self.fields["offering"].label_from_instance = lambda o: (
            f"{o.program.title} – {o.name} ({o.start_date:%d-%m-%Y})"
        )


class PlannerForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=_("— Pilih unit —"))
    employee = forms.ModelChoiceField(
        label=_("Pegawai"), queryset=None, empty_label=_("— Pilih pegawai —")
    )

    def __init__(self, *args, units, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["employee"].queryset = employees
        self.fields["employee"].label_from_instance = lambda e: f"{e.name} · {e.unit.name}"


class ApproverForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Pegawai"), queryset=None, empty_label=_("— Pilih pegawai —")
    )
    title = forms.CharField(
        label=_("Jabatan penanda tangan"), max_length=150,
        help_text=_("Mis. Wali Kota Semarang, atau Sekretaris Daerah atas nama Wali Kota."),
    )  # fmt: skip

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["employee"].label_from_instance = lambda e: f"{e.name} · {e.position}"
