from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RecognitionList


class RecognitionForm(forms.Form):
    """Criteria and size of the year's recognition list."""

    criterion = forms.ChoiceField(
        label=_("Urutan berdasarkan"), choices=RecognitionList.Criterion.choices
    )
    size = forms.IntegerField(
        label=_("Jumlah orang per kelompok"),
        min_value=1,
        max_value=100,
        help_text=_("PNS dan PPPK terpisah; per unit kerja bila dipilih."),
    )
    per_unit = forms.BooleanField(label=_("Per unit kerja"), required=False)
    min_jp = forms.IntegerField(label=_("JP minimal"), min_value=0, max_value=1000)

    def __init__(self, *args, settings: RecognitionList, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "criterion": settings.criterion,
                "size": settings.size,
                "per_unit": settings.per_unit,
                "min_jp": settings.min_jp,
            },
        )
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "per_unit":
                field.widget.attrs["class"] = (
                    "form-select form-select-sm"
                    if name == "criterion"
                    else "form-control form-control-sm"
                )
            else:
                field.widget.attrs["class"] = "form-check-input"

    def cleaned_settings(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("criterion", "size", "per_unit", "min_jp")}
