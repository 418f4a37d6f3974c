"""Forms of the development plan pages: they parse input; training.services.plans decides."""

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from training.models import DevelopmentForm

MONTH_CHOICES = [("", _("— Belum ditentukan —")), *((n, MONTHS[n]) for n in range(1, 13))]


class PlanCreateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class PlanItemForm(forms.Form):
    """One item of the plan. The competency list puts the employee's gaps first."""

    competency = forms.TypedChoiceField(
        label=_("Kompetensi yang dikembangkan"), coerce=int, required=False, empty_value=None
    )
    description = forms.CharField(
        label=_("Uraian kegiatan"),
        max_length=255,
        help_text=_("Misalnya “Pelatihan analisis data untuk perencanaan program”."),
    )
    program = forms.ModelChoiceField(
        label=_("Program pelatihan pilihan"),
        queryset=None,
        required=False,
        empty_label=_("— Tidak ada / di luar katalog —"),
        help_text=_("Opsional: pilih dari program yang sudah terbit di katalog wilayah."),
    )
    form = forms.ModelChoiceField(
        label=_("Bentuk pengembangan"),
        queryset=DevelopmentForm.objects.order_by("id"),
        required=False,
        empty_label=_("— Ikuti program / belum ditentukan —"),
    )
    planned_jp = forms.IntegerField(
        label=_("JP direncanakan"),
        min_value=1,
        max_value=1000,
        help_text=_("1 JP = 45 menit."),
    )
    planned_month = forms.TypedChoiceField(
        label=_("Bulan pelaksanaan"),
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, competencies, gap_ids=(), programs, **kwargs):
        super().__init__(*args, **kwargs)
        self._competencies = {c.pk: c for c in competencies}
        gap_set = [pk for pk in gap_ids if pk in self._competencies]
        rest = [c for pk, c in self._competencies.items() if pk not in set(gap_set)]
        choices = [("", _("— Pilih kompetensi —"))]
        if gap_set:
            choices.append(
                (
                    _("Kesenjangan kompetensi Anda"),
                    [(pk, str(self._competencies[pk])) for pk in gap_set],
                )
            )
            choices.append((_("Kompetensi lain"), [(c.pk, str(c)) for c in rest]))
        else:
            choices.extend((c.pk, str(c)) for c in rest)
        self.fields["competency"].choices = choices
        self.fields["program"].queryset = programs

    def clean_competency(self):
        pk = self.cleaned_data.get("competency")
        return self._competencies.get(pk) if pk is not None else None

    @classmethod
    def initial_from(cls, item) -> dict:
        return {
            "competency": item.competency_id,
            "description": item.description,
            "program": item.program_id,
            "form": item.form_id,
            "planned_jp": item.planned_jp,
            "planned_month": item.planned_month,
        }


class PlanSubmitForm(forms.Form):
    notes = forms.CharField(
        label=_("Catatan untuk atasan"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Opsional: jelaskan prioritas atau alasan rencana Anda."),
    )


class PlanDecisionForm(forms.Form):
    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[(APPROVE, _("Setujui rencana")), (RETURN, _("Kembalikan untuk diperbaiki"))],
        widget=forms.RadioSelect,
    )
    supervisor_notes = forms.CharField(
        label=_("Catatan atasan"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib diisi jika rencana dikembalikan."),
    )
