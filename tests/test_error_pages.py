"""Error pages: in the portal's layout and language, saying what to do next, leaking nothing
(issue 16 item 3)."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from tests.factories.training import OfferingFactory

pytestmark = pytest.mark.django_db


def test_a_binjai_url_opened_from_semarang_is_the_indonesian_404_page(
    employee, other_region, login
):
    with scope(region=other_region):
        offering = OfferingFactory(region=other_region, name="Angkatan Rahasia Binjai")
    client = login(employee)
    url = reverse("training:offering_detail", args=[other_region.slug, offering.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html
    assert 'id="main"' in html and "site-navbar" in html  # the portal's layout
    assert "Ke halaman utama" in html
    assert "Angkatan Rahasia Binjai" not in html


def test_an_unknown_address_is_the_404_page_for_visitors_too(client):
    response = client.get("/tidak-ada-halaman-ini/lagi/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html and "Masuk" in html


def test_a_role_without_access_gets_the_indonesian_403_page(employee, login):
    response = login(employee).get(reverse("region:employee_list", args=[employee.region.slug]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Anda tidak memiliki akses ke halaman ini" in html
    assert "hubungi admin BKPSDM" in html
    assert "Forbidden" not in html


def test_an_expired_form_is_explained(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formulir sudah kedaluwarsa" in response.content.decode()


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.urls_errors"


def test_a_bug_is_the_indonesian_500_page_without_a_traceback(failing_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/uji/galat/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Maaf, terjadi kesalahan pada sistem" in html
    assert "ZeroDivisionError" not in html and "Traceback" not in html


def test_a_database_outage_is_a_503_with_retry_after(failing_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/uji/basis-data-mati/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "Layanan sementara tidak tersedia" in html
    assert "Connection refused" not in html


def test_the_unread_count_sits_outside_the_collapsed_phone_menu(employee, login):
    html = login(employee).get(reverse("region:home", args=[employee.region.slug])).content.decode()
    bell = html.index(reverse("notifications:bell", args=[employee.region.slug]))
    collapsed_menu = html.index('id="mainNav"')
    assert bell < collapsed_menu  # before the menu that a phone folds away
