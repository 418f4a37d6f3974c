"""Integration: login limits behind a proxy and against targeted lockout (issue 14, items 3-5).

Item 3: the client address comes from the trusted-proxy setting only, and the per-address
limits fit an office whose hundreds of ASN share one public address. Item 4: wrong passwords
slow down their source, never lock the owner out. Item 5: a reset request does the same work
whether or not the address has an account.
"""

import pytest
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories.regions import EmployeeFactory

pytestmark = pytest.mark.django_db
LOGIN = "/akun/login/"


def _post(client, login, password, ip="203.0.113.7", xff=None):
    extra = {"REMOTE_ADDR": ip}
    if xff:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client.post(LOGIN, {"login": login, "password": password}, **extra)


def _with_password(employee):
    employee.user.set_password(PASSWORD)
    employee.user.save()
    return employee


# --- item 3: the client address ---------------------------------------------------------------


def client_ip(request):
    from kompetensi.clientip import client_ip

    return client_ip(request)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.KOMPETENSI_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"


def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(settings):
    settings.KOMPETENSI_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the real one last.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20"
    )
    assert client_ip(request) == "198.51.100.20"


def test_allauth_uses_the_same_client_address(settings):
    from allauth.account.adapter import get_adapter

    settings.KOMPETENSI_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert get_adapter(request).get_client_ip(request) == "198.51.100.9"


def test_behind_the_proxy_one_guesser_does_not_lock_out_everyone(client, region, unit, settings):
    """Every request comes from the proxy (10.0.0.1); the guesser has their own address."""
    settings.KOMPETENSI_TRUSTED_PROXY_COUNT = 1
    victims = [_with_password(EmployeeFactory(region=region, unit=unit)) for _ in range(3)]
    for attempt in range(15):
        _post(client, victims[attempt % 3].nip, "salah", ip="10.0.0.1", xff="203.0.113.66")
    for person in victims:
        client.logout()
        response = _post(client, person.nip, PASSWORD, ip="10.0.0.1", xff="198.51.100.5")
        assert response.status_code == 302, person.nip


def test_an_office_behind_one_nat_logs_in_together(client, region, unit):
    """allauth's default allowed 30 logins a minute per address; a kantor's NAT has more."""
    people = [_with_password(EmployeeFactory(region=region, unit=unit)) for _ in range(40)]
    for person in people:
        client.logout()
        assert _post(client, person.nip, PASSWORD, ip="198.51.100.77").status_code == 302


def test_an_office_behind_one_nat_survives_a_few_typos_each(client, region, unit):
    people = [_with_password(EmployeeFactory(region=region, unit=unit)) for _ in range(12)]
    for person in people:
        _post(client, person.nip, "salah-ketik", ip="198.51.100.78")
    for person in people:
        client.logout()
        assert _post(client, person.nip, PASSWORD, ip="198.51.100.78").status_code == 302


# --- item 4: no targeted lockout --------------------------------------------------------------


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_elsewhere(client, admin):
    _with_password(admin)
    for _ in range(12):
        _post(client, admin.nip, "tebakan", ip="203.0.113.66")
    response = _post(client, admin.nip, PASSWORD, ip="198.51.100.10")
    assert response.status_code == 302


def test_the_guesser_is_slowed_down_with_a_clear_message(client, employee):
    _with_password(employee)
    for _ in range(5):
        assert _post(client, employee.nip, "salah", ip="203.0.113.66").status_code == 200
    # The 6th attempt from the same source waits, even with the right password.
    response = _post(client, employee.nip, PASSWORD, ip="203.0.113.66")
    assert response.status_code == 200
    text = response.content.decode()
    assert "coba lagi dalam 30 detik" in text
    assert reverse("account_reset_password") in text
    assert "_auth_user_id" not in client.session


def test_the_delay_doubles_and_is_capped(settings):
    from regions import login_guard

    assert login_guard._delay(4, 5) == 0
    assert [login_guard._delay(n, 5) for n in (5, 6, 7)] == [30, 60, 120]
    assert login_guard._delay(30, 5) == settings.KOMPETENSI_LOGIN_GUARD["MAX_DELAY"]


def test_a_distributed_guess_slows_unknown_devices_but_not_the_owners(client, employee):
    from regions import login_guard

    _with_password(employee)
    # The owner logged in before from this browser: it holds the account's device cookie.
    assert _post(client, employee.nip, PASSWORD, ip="198.51.100.10").status_code == 302
    owner_cookie = client.cookies[login_guard.DEVICE_COOKIE].value
    client.logout()

    from django.test import Client

    attacker = Client()
    for n in range(25):  # 25 addresses, one failure each: no address reaches its own limit
        _post(attacker, employee.nip, "tebakan", ip=f"203.0.113.{n + 1}")
    blocked = _post(attacker, employee.nip, PASSWORD, ip="203.0.113.200")
    assert "coba lagi dalam" in blocked.content.decode()

    owner = Client()
    owner.cookies[login_guard.DEVICE_COOKIE] = owner_cookie
    assert _post(owner, employee.nip, PASSWORD, ip="203.0.113.201").status_code == 302


def test_the_guard_fails_open_when_the_cache_is_down(client, employee, monkeypatch, caplog):
    from regions import login_guard

    _with_password(employee)

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(login_guard.cache, "get_many", broken)
    monkeypatch.setattr(login_guard.cache, "set_many", broken)
    for _ in range(8):
        _post(client, employee.nip, "salah")
    assert _post(client, employee.nip, PASSWORD).status_code == 302
    assert "fail open" in caplog.text


# --- item 5: reset timing ---------------------------------------------------------------------


def test_a_reset_request_does_the_same_work_for_known_and_unknown_addresses(
    client, employee, django_capture_on_commit_callbacks
):
    url = reverse("account_reset_password")
    counts = []
    for email in (employee.user.email, "tidak-ada@example.go.id"):
        with (
            django_capture_on_commit_callbacks(execute=False) as callbacks,
            CaptureQueriesContext(connection) as queries,
        ):
            response = client.post(url, {"email": email})
        assert response.status_code == 302
        assert len(callbacks) == 1  # the e-mail is sent by a background task
        counts.append(len(queries))
        assert mail.outbox == []
    assert counts[0] == counts[1]


def test_the_background_task_sends_the_reset_link(
    client, employee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": employee.user.email})
    assert len(mail.outbox) == 1
    assert "/akun/password/reset/key/" in mail.outbox[0].body
