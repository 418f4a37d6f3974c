from allauth.account.adapter import get_adapter
from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
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
        # One term ("kata sandi"); the "Lupa kata sandi?" link sits under the form once.
        self.fields["password"].label = _("Kata sandi")
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs["placeholder"] = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Tetap masuk di perangkat ini")

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email")
        self.fields["email"].widget.attrs["placeholder"] = _("nama@instansi.go.id")

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


def _label_new_password(form, *, current: bool = False) -> None:
    """allauth's password forms in the portal's terms ("kata sandi", sentence case)."""
    labels = {
        "oldpassword": _("Kata sandi saat ini"),
        "password1": _("Kata sandi baru"),
        "password2": _("Ulangi kata sandi baru"),
    }
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].widget.attrs["placeholder"] = ""


class ChangePasswordForm(AllauthChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_new_password(self)


class ResetPasswordKeyForm(AllauthResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_new_password(self)
