"""Forms of the partner and speaker pages. They parse input; training.services.partners decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from training.models import Provider, Speaker
from training.selectors.partners import provider_choices


class _ServiceModelForm(forms.ModelForm):
    """A ModelForm used for its fields only; the service validates and writes."""

    def _post_clean(self):
        pass


class ProviderForm(_ServiceModelForm):
    class Meta:
        model = Provider
        fields = [
            "name",
            "kind",
            "contact_person",
            "email",
            "phone",
            "agreement_number",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "agreement_number": _("Nomor perjanjian kerja sama (PKS) atau MoU, bila ada."),
        }


class SpeakerForm(_ServiceModelForm):
    # Declared so the metaclass does not build a queryset outside the region scope.
    provider = forms.ModelChoiceField(
        label=_("Asal lembaga"),
        queryset=None,
        required=False,
        help_text=_("Opsional: lembaga asal narasumber, bila bermitra."),
    )

    class Meta:
        model = Speaker
        fields = ["name", "provider", "expertise", "is_volunteer", "email", "phone"]
        help_texts = {
            "is_volunteer": _("Narasumber yang tidak dibayar (menghemat anggaran)."),
        }

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        current = None
        if self.instance.pk and self.instance.provider_id:
            current = self.instance.provider
        provider.queryset = provider_choices(region=region, include=current)
        provider.empty_label = _("— Perorangan / tanpa lembaga —")
        provider.error_messages["invalid_choice"] = _("Mitra tidak ditemukan di wilayah ini.")
