"""Forms of the BKPSDM admin pages: they parse input, the services in regions.services decide.

The model forms below only turn POST data into Python values. They do not build or validate
the model instance (`_post_clean` is a no-op): the view passes `cleaned_data` to a service and
puts the service's ValidationError back on the form with
`kompetensi.forms.apply_validation_error`.
"""

from django import forms
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import selectors
from .imports import MAX_UPLOAD_BYTES
from .models import Employee, Region, Unit
from .nip import normalise_nip


class _ServiceModelForm(forms.ModelForm):
    """A ModelForm used for its fields only; the service validates and writes."""

    def _post_clean(self):
        # Model validation and uniqueness are the service's job (one place for each rule).
        pass


def _scoped_choice(model, name: str, **kwargs) -> forms.ModelChoiceField:
    """A choice field for a scoped model; its queryset is set per request, in the scope.

    (A ModelForm would build the default queryset at import time, outside any scope.)
    """
    model_field = model._meta.get_field(name)
    return forms.ModelChoiceField(
        queryset=None,
        label=capfirst(model_field.verbose_name),
        required=not model_field.blank,
        **kwargs,
    )


class UnitForm(_ServiceModelForm):
    parent = _scoped_choice(Unit, "parent")

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent"]
        help_texts = {
            "code": _("Kode singkat yang unik di wilayah ini, misalnya DISDIK atau KEC-PLAJU."),
            "parent": _("Kosongkan untuk perangkat daerah tingkat teratas."),
        }

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.queryset = selectors.unit_choices(region=region, exclude=self.instance)
        parent.empty_label = _("— Tidak ada (tingkat teratas) —")
        self.fields["code"].widget.attrs.update({"autocapitalize": "characters"})


class SupervisorNipField(forms.ModelChoiceField):
    """The supervisor, typed as a NIP: scales to regions with thousands of employees."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=None,  # set per request by EmployeeForm
            to_field_name="nip",
            required=False,
            label=_("NIP atasan langsung"),
            help_text=_("Kosongkan bila tidak ada. Atasan harus pegawai aktif di wilayah ini."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            error_messages={
                "invalid_choice": _("Tidak ada pegawai aktif dengan NIP ini di wilayah ini."),
            },
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(normalise_nip(value) if value else value)


class EmployeeForm(_ServiceModelForm):
    # Wider than 18 so a NIP pasted with spaces reaches the service, which normalises it.
    nip = forms.CharField(
        label=_("NIP / NI PPPK"),
        max_length=40,
        help_text=_("18 digit; spasi dan titik diabaikan."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    unit = _scoped_choice(Employee, "unit")
    supervisor = SupervisorNipField()

    class Meta:
        model = Employee
        fields = [
            "nip",
            "name",
            "email",
            "phone",
            "employment_type",
            "golongan",
            "pppk_grade",
            "position",
            "position_type",
            "functional_level",
            "unit",
            "supervisor",
        ]
        help_texts = {
            "golongan": _("Wajib untuk PNS; kosongkan untuk PPPK."),
            "pppk_grade": _("Hanya untuk PPPK (1–17); kosongkan untuk PNS."),
            "functional_level": _("Wajib untuk jabatan fungsional; kosongkan untuk lainnya."),
            "email": _("Dipakai untuk mengirim undangan masuk dan pemberitahuan."),
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = selectors.unit_choices(region=region)
        if self.instance.pk and not self.instance.unit.is_active:
            # An inactive employee may still sit in a unit deactivated after them.
            unit.queryset = unit.queryset | Unit.objects.filter(pk=self.instance.unit_id)
        supervisor = self.fields["supervisor"]
        supervisor.queryset = selectors.employee_supervisor_choices(
            region=region, exclude=self.instance
        )
        if self.instance.supervisor_id and not self.is_bound:
            current = self.instance.supervisor
            self.initial["supervisor"] = current.nip
            # format_html escapes the name (typed by an admin or imported): never mark_safe.
            supervisor.help_text = format_html(
                _("Saat ini: {name}. {hint}"), name=current.name, hint=supervisor.help_text
            )
        self.fields["pppk_grade"].widget.attrs.update({"min": 1, "max": 17})


class EmployeeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas data pegawai (CSV atau XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Paling besar %(size)d MB. CSV harus berkode UTF-8, dipisah koma atau titik koma."
        ) % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
