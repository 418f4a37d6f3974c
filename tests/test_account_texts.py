"""The login and account screens in good, consistent Indonesian (issue 16 item 4): one term
per concept ("kata sandi", "email"), formal "Anda", no host names in e-mails."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def visible_text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_login_form_uses_one_term_and_one_forgot_link(client, employee):
    text = visible_text(client.get(reverse("account_login")))
    assert "NIP atau email" in text and "Kata sandi" in text
    assert "Sandi *" not in text
    assert text.count("Lupa kata sandi") == 1
    failed = visible_text(
        client.post(reverse("account_login"), {"login": employee.nip, "password": "salah"})
    )
    assert "NIP/email atau kata sandi tidak sesuai" in failed
    assert "anda " not in failed and "Nama pengguna" not in failed


def test_the_welcome_message_has_no_double_full_stop(client, employee):
    employee.user.first_name = "Yoga Pamungkas, S.E."
    employee.user.save(update_fields=["first_name"])
    response = client.post(
        reverse("account_login"), {"login": employee.nip, "password": PASSWORD}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Selamat datang, Yoga Pamungkas, S.E."]


def test_the_reset_email_names_the_portal_not_the_host(
    client, employee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": employee.user.email}, follow=True
        )
    assert "Periksa email Anda" in visible_text(response)
    (message,) = mail.outbox
    assert message.subject == "Atur ulang kata sandi Portal Kompetensi ASN"
    body = message.body
    assert body.startswith(f"Yth. {employee.user.first_name},")
    for wrong in ("127.0.0.1:8000!", "Halo dari", "Jikalau", "link", "mereset", "[127"):
        assert wrong not in body and wrong not in message.subject
    assert "/akun/password/reset/key/" in body


def test_password_rules_are_written_in_one_style(client, employee, login):
    text = visible_text(login(employee).get(reverse("account_change_password")))
    assert "Ubah kata sandi" in text
    assert "Kata sandi minimal 8 karakter." in text
    assert "Sandi anda" not in text and "sandi umum" not in text
    assert "Kata sandi saat ini" in text and "Ulangi kata sandi baru" in text
