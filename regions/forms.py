from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kompetensi.tasks import enqueue_or_run_on_commit

from . import login_guard
from .nip import normalise_nip


class LoginForm(AllauthLoginForm):
    """allauth's login form, labelled for NIP or email; NIP may be typed with spaces.

    Failed attempts are slowed down by `regions.login_guard` (per account and source, a
    progressive delay): an attempt made too soon is refused before the password is checked,
    with a message that says how long to wait (`self.delay_seconds`).
    """

    delay_seconds = 0

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

    def clean(self):
        login = self.cleaned_data.get("login", "")
        if login and self.request is not None:
            wait = login_guard.wait_seconds(self.request, login)
            if wait:
                self.delay_seconds = wait
                raise forms.ValidationError(login_guard.delayed_message(wait), code="login_delayed")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if login and self.request is not None:
                login_guard.record_failure(self.request, login)
            raise
        return cleaned


class ResetPasswordForm(AllauthResetPasswordForm):
    """The reset request does the same work whether or not the address has an account.

    Looking the address up and sending the e-mail happen in the background
    (`regions.tasks.send_password_reset`), so the answer's timing tells nothing about which
    addresses are registered (issue 14, item 5).
    """

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        return get_adapter().clean_email(email)

    def save(self, request, **kwargs):
        email = self.cleaned_data["email"]
        # No sweep finds a lost reset request again: during a broker outage it runs here.
        enqueue_or_run_on_commit(
            "regions.tasks.send_password_reset", email=email, language=get_language() or "id"
        )
        return email
