"""Forms of the post-training evaluation pages (admin side). They check shape only; the rules
are in `evaluations.services.surveys` and `evaluations.services.behaviour`. The participant's
survey and the L3 form are rendered from the questions (no Django form: the service validates
every answer and its messages are shown per question)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EvaluationSettings, SurveyItem, SurveyTemplate


class EvaluationSettingsForm(forms.ModelForm):
    class Meta:
        model = EvaluationSettings
        fields = [
            "survey_open_days",
            "survey_reminder_days",
            "relevance_threshold",
            "relevance_min_responses",
            "certificate_requires_survey",
            "l3_delay_days",
            "l3_window_days",
        ]


class TemplateChoiceForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Kuesioner"), queryset=SurveyTemplate.objects.none())

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = SurveyTemplate.objects.filter(region=region)


class TemplateCopyForm(forms.Form):
    name = forms.CharField(label=_("Nama kuesioner baru"), max_length=150)


class SurveyItemForm(forms.Form):
    section = forms.ChoiceField(label=_("Bagian"), choices=SurveyItem.Section.choices)
    text = forms.CharField(label=_("Pertanyaan"), max_length=300)
    kind = forms.ChoiceField(label=_("Jenis jawaban"), choices=SurveyItem.Kind.choices)
    choices = forms.CharField(
        label=_("Pilihan (satu per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hanya untuk pilihan tunggal."),
    )
    is_relevance = forms.BooleanField(label=_("Butir relevansi"), required=False)
    per_speaker = forms.BooleanField(label=_("Dinilai per narasumber"), required=False)
    required = forms.BooleanField(label=_("Wajib diisi"), required=False, initial=True)

    def choice_list(self) -> list[str]:
        return [line for line in self.cleaned_data.get("choices", "").splitlines() if line.strip()]


class NipForm(forms.Form):
    nip = forms.CharField(
        label=_("NIP pegawai"),
        max_length=18,
        min_length=18,
        help_text=_("18 digit, tanpa spasi."),
    )


class DelayForm(forms.Form):
    days = forms.IntegerField(
        label=_("Jeda evaluasi level 3 (hari setelah selesai)"), min_value=1, max_value=730
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Nama indikator"), max_length=200)
    unit = forms.CharField(label=_("Satuan"), max_length=50)
    baseline = forms.DecimalField(label=_("Nilai awal (baseline)"), max_digits=14, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)


class MeasurementForm(forms.Form):
    value = forms.DecimalField(label=_("Nilai terukur"), max_digits=14, decimal_places=2)
    measured_on = forms.DateField(
        label=_("Tanggal pengukuran"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Sumber data"), max_length=200)
