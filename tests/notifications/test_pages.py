"""Integration: the bell, the notification list and detail, mark read; own notifications only."""

import pytest
from django.urls import reverse
from django_scopes import scope

from evaluations.notifications import Kind as EvaluationKind
from regions.models import Notification
from regions.notifications import notify
from tests.factories.regions import EmployeeFactory
from tests.factories.training import EnrolmentFactory
from training.notifications import Kind


def _make(employee, n, kind=Kind.ENROLMENT_CONFIRMED):
    made = []
    for i in range(n):
        enrolment = EnrolmentFactory(region=employee.region, employee=employee)
        made.append(
            notify(
                recipient=employee,
                kind=kind,
                subject=enrolment,
                dedup_key=f"page:{employee.pk}:{kind}:{i}",
            )
        )
    return made


def _url(name, region, *args):
    return reverse(f"notifications:{name}", args=[region.slug, *args])


def test_list_shows_own_notifications_newest_first_with_unread_marker(
    region, employee, supervisor, login
):
    mine = _make(employee, 2)
    _make(supervisor, 1, kind=Kind.PLAN_SUBMITTED)
    response = login(employee).get(_url("list", region))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('id="notification-') == 2
    assert f'id="notification-{mine[1].pk}"' in body
    assert body.index(f"notification-{mine[1].pk}") < body.index(f"notification-{mine[0].pk}")
    assert "Pendaftaran terkonfirmasi" in body
    assert "Rencana pengembangan diajukan" not in body
    assert "2 notifikasi belum dibaca" in body
    assert "Tandai semua sudah dibaca" in body


def test_empty_list_explains_itself(region, employee, login):
    body = login(employee).get(_url("list", region)).content.decode()
    assert "Belum ada notifikasi" in body


def test_unread_filter(region, employee, login):
    first, second = _make(employee, 2)
    with scope(region=region):
        Notification.objects.filter(pk=first.pk).update(read_at=second.created_at)
    body = login(employee).get(_url("list", region), {"tampil": "belum-dibaca"}).content.decode()
    assert f"notification-{second.pk}" in body
    assert f"notification-{first.pk}" not in body


def test_list_is_paginated_by_25(region, employee, login):
    _make(employee, 27, kind=EvaluationKind.REPORT_READY)
    client = login(employee)
    assert client.get(_url("list", region)).content.decode().count('id="notification-') == 25
    page2 = client.get(_url("list", region), {"page": 2}).content.decode()
    assert page2.count('id="notification-') == 2


@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count_is_constant(region, employee, login, rows, django_assert_num_queries):
    _make(employee, rows)
    client = login(employee)
    client.get(_url("list", region))  # warm caches (content types)
    # Middleware 6 (region, session, user, membership, employee, supervisor check), the list 3
    # (count, page, unread count), the navbar 2 (memberships and their regions).
    with django_assert_num_queries(11):
        assert client.get(_url("list", region)).status_code == 200


def test_bell_shows_the_unread_count(region, employee, login):
    _make(employee, 3)
    client = login(employee)
    body = client.get(_url("bell", region)).content.decode()
    assert ">3<" in body and "belum dibaca" in body
    client.post(_url("mark_all_read", region))
    assert "badge" not in client.get(_url("bell", region)).content.decode()


def test_bell_partial_is_included_for_employees(region, employee, login, client):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from regions.permissions import resolve_access

    request = RequestFactory().get("/")
    with scope(region=region):
        access = resolve_access(employee.user, region)
    html = render_to_string(
        "partials/nav/bell.html",
        {"current_region": region, "access": access},
        request=request,
    )
    assert _url("bell", region) in html and 'hx-trigger="load, every 60s"' in html
    assert render_to_string("partials/nav/bell.html", {"current_region": region}).strip() == ""


def test_detail_marks_read_and_shows_the_message(region, employee, login):
    (notification,) = _make(employee, 1)
    response = login(employee).get(_url("detail", region, notification.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pendaftaran Anda telah terkonfirmasi" in body
    assert f'href="/{region.slug}/pendaftaran-saya/{notification.subject_id}/"' in body
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_post_and_htmx(region, employee, login):
    first, second = _make(employee, 2)
    client = login(employee)
    response = client.post(_url("mark_read", region, first.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("list", region)
    first.refresh_from_db()
    assert first.read_at is not None
    read_at = first.read_at
    client.post(_url("mark_read", region, first.pk))
    first.refresh_from_db()
    assert first.read_at == read_at  # idempotent
    response = client.post(_url("mark_read", region, second.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="notification-{second.pk}"' in response.content.decode()
    assert "Baru" not in response.content.decode()


def test_mark_read_rejects_get_and_foreign_redirects(region, employee, login):
    (notification,) = _make(employee, 1)
    client = login(employee)
    assert client.get(_url("mark_read", region, notification.pk)).status_code == 405
    response = client.post(
        _url("mark_read", region, notification.pk), {"next": "https://evil.example/"}
    )
    assert response["Location"] == _url("list", region)
    for junk in ("abc", "a\x00b", "-1"):
        response = client.post(_url("mark_read", region, notification.pk), {"next": junk})
        assert response["Location"] == _url("list", region)


def test_mark_all_read_only_touches_own(region, employee, supervisor, login):
    _make(employee, 2)
    (theirs,) = _make(supervisor, 1)
    response = login(employee).post(_url("mark_all_read", region), follow=True)
    assert "Semua notifikasi ditandai sudah dibaca." in response.content.decode()
    with scope(region=region):
        assert not Notification.objects.filter(recipient=employee, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_someone_elses_notification_is_404(region, unit, employee, login):
    colleague = EmployeeFactory(region=region, unit=unit)
    (theirs,) = _make(colleague, 1)
    client = login(employee)
    assert client.get(_url("detail", region, theirs.pk)).status_code == 404
    assert client.post(_url("mark_read", region, theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_national_viewer_without_employee_gets_403(region, login):
    from tests.factories.regions import UserFactory

    viewer = UserFactory(is_national_viewer=True)
    assert login(viewer).get(_url("list", region)).status_code == 403
