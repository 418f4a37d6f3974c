from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _

from .nip import normalise_nip


class LoginForm(AllauthLoginForm):
    """allauth's login form, labelled for NIP or email; NIP may be typed with spaces."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = _("NIP atau email")
        field.widget.attrs.update(
            {"placeholder": _("18 digit NIP atau alamat email"), "autocomplete": "username"}
        )

    def clean_login(self):
        value = super().clean_login()
        if "@" not in value:
            value = normalise_nip(value)
        return value
