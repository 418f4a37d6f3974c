"""Integration: the audit trail (who, when, from where, old → new), scoped per region,
read-only, append-only, exportable, with retention."""

import csv
import datetime as dt
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from kompetensi.spreadsheets import looks_like_formula
from regions import audit
from regions.models import AuditEvent
from tests.conftest import PASSWORD
from tests.regions.test_admin_employees import edit_data

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def _edit(client, region, employee, **changes):
    url = reverse("region:employee_edit", kwargs={"region_slug": region.slug, "pk": employee.pk})
    return client.post(url, edit_data(employee, **changes), REMOTE_ADDR="198.51.100.23")


def test_an_employee_change_shows_old_and_new_values_who_and_from_where(
    region, admin, employee, login
):
    client = login(admin)
    assert _edit(client, region, employee, position="Analis SDM Aparatur").status_code == 302
    response = client.get(
        reverse("region:audit_list", args=[region.slug])
        + f"?type=regions.employee&id={employee.pk}"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Analis SDM Aparatur" in page and employee.position in page
    assert "Admin Semarang" in page and "198.51.100.23" in page
    with scope(region=region):
        event = AuditEvent.objects.get(object_type="regions.employee", action=Action.UPDATE)
    assert event.changes == {"position": [employee.position, "Analis SDM Aparatur"]}
    assert event.actor_id == admin.user.pk and event.ip == "198.51.100.23"


def test_the_audit_pages_refuse_edits(region, admin, employee, login):
    client = login(admin)
    _edit(client, region, employee, position="Baru")
    for name in ("region:audit_list", "region:audit_export"):
        url = reverse(name, args=[region.slug])
        assert client.post(url, {"action": "delete"}).status_code == 405
        assert client.delete(url).status_code == 405
    with scope(region=region):
        event = AuditEvent.objects.first()
        with pytest.raises(PermissionError):
            AuditEvent.objects.filter(pk=event.pk).update(note="diubah")
        with pytest.raises(PermissionError):
            AuditEvent.objects.filter(pk=event.pk).delete()
        event.note = "diubah"
        with pytest.raises(PermissionError):
            event.save()
        with pytest.raises(PermissionError):
            event.delete()


@pytest.mark.postgres
def test_postgres_refuses_update_and_delete_of_audit_rows(region, admin, on_postgres):
    audit.install_trigger()
    event = audit.record(action=Action.EXPORT, region=region, note="x")
    for sql in (
        f"UPDATE {audit.TABLE} SET note = 'diubah' WHERE id = %s",
        f"DELETE FROM {audit.TABLE} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])


@pytest.mark.postgres
def test_the_retention_purge_is_the_only_delete_postgres_allows(region, on_postgres, settings):
    audit.install_trigger()
    settings.KOMPETENSI_AUDIT_RETENTION_DAYS = 30
    old = audit.record(action=Action.EXPORT, region=region, note="lama")
    AuditEvent._base_manager.filter(pk=old.pk)  # no update possible: insert an old row instead
    stale = AuditEvent(region=region, action=Action.EXPORT, note="basi")
    stale.at = timezone.now() - dt.timedelta(days=31)
    stale.save()
    assert audit.audit_purge() == 1
    with scopes_disabled():
        assert list(AuditEvent.objects.values_list("note", flat=True)) == ["lama"]


def test_retention_purge_on_any_database(region, settings):
    settings.KOMPETENSI_AUDIT_RETENTION_DAYS = 30
    audit.record(action=Action.EXPORT, region=region, note="baru")
    stale = AuditEvent(region=region, action=Action.EXPORT, note="basi")
    stale.at = timezone.now() - dt.timedelta(days=31)
    stale.save()
    assert audit.audit_purge() == 1
    with scopes_disabled():
        assert list(AuditEvent.objects.values_list("note", flat=True)) == ["baru"]


def test_the_trail_is_scoped_to_the_region(region, other_region, admin, other_employee, login):
    with scopes_disabled():
        audit.record(action=Action.UPDATE, obj=other_employee, changes={"name": ["A", "Rahasia"]})
    page = login(admin).get(reverse("region:audit_list", args=[region.slug])).content.decode()
    assert "Rahasia" not in page and other_employee.name not in page
    with scope(region=region):
        assert not AuditEvent.objects.filter(region=other_region).exists()


def test_plain_asn_cannot_read_the_trail(region, employee, login):
    assert login(employee).get(reverse("region:audit_list", args=[region.slug])).status_code == 403


def test_logins_success_and_failure_are_recorded(client, region, employee):
    employee.user.set_password(PASSWORD)
    employee.user.save()
    client.post("/akun/login/", {"login": employee.nip, "password": "salah"})
    client.post("/akun/login/", {"login": employee.nip, "password": PASSWORD})
    with scope(region=region):
        actions = list(
            AuditEvent.objects.filter(object_type="regions.user").values_list("action", flat=True)
        )
    assert actions == [Action.LOGIN, Action.LOGIN_FAILED]


def test_export_is_csv_of_the_filtered_trail_and_itself_recorded(region, admin, employee, login):
    client = login(admin)
    _edit(client, region, employee, name='=HYPERLINK("x")')
    response = client.get(reverse("region:audit_export", args=[region.slug]) + "?action=update")
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and rows[1][3] == "Diubah"
    assert rows[1][7] == 'nama lengkap: Siti Aminah → =HYPERLINK("x")'
    assert not any(looks_like_formula(cell) for row in rows for cell in row)
    with scope(region=region):
        assert AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_national_staff_read_their_own_actions(client, region, django_user_model):
    viewer = django_user_model.objects.create_user("nasional", password=PASSWORD)
    viewer.is_national_viewer = True
    viewer.save()
    audit.record(action=Action.EXPORT, region=region, actor=viewer, note="laporan nasional")
    audit.record(action=Action.EXPORT, region=region, note="orang lain")
    client.force_login(viewer)
    page = client.get(reverse("my_audit")).content.decode()
    assert "laporan nasional" in page and "orang lain" not in page


def test_bulk_completion_is_recorded_for_every_participant(region, admin):
    from tests.factories.training import EnrolmentFactory, OfferingFactory
    from training.models import Enrolment
    from training.services.completion import offering_complete

    today = timezone.localdate()
    with scope(region=region):
        offering = OfferingFactory(region=region, start_date=today, end_date=today)
        for _ in range(3):
            EnrolmentFactory(region=region, offering=offering, status=Enrolment.Status.CONFIRMED)
        offering_complete(offering=offering, actor=admin.user)
        events = AuditEvent.objects.filter(object_type="training.enrolment", action=Action.UPDATE)
        assert events.count() == 3
        assert {e.changes["status"][1] for e in events} == {Enrolment.Status.COMPLETED}


@pytest.mark.parametrize("events", [3, 30])
def test_the_audit_page_takes_the_same_queries_at_any_size(
    events, region, admin, employee, login, django_assert_num_queries
):
    for n in range(events):
        audit.record(
            action=Action.UPDATE, obj=employee, changes={"position": [f"Lama {n}", f"Baru {n}"]}
        )
    client = login(admin)
    url = reverse("region:audit_list", args=[region.slug])
    client.get(url)  # warm the session
    # 10 at 3 and at 30 events: session, user, region, access, page count, page, menus.
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


def test_approvals_and_verifications_are_named_actions_in_the_trail(region, admin):
    from tests.factories.training import (
        DevelopmentRecordFactory,
        EnrolmentFactory,
        OfferingFactory,
    )
    from training.models import Enrolment
    from training.services.enrolment import enrolment_approve
    from training.services.records import record_reject, record_verify

    # The request's user is the actor (AuditContextMiddleware); here, as in a task:
    with scope(region=region), audit.acting_as(admin.user):
        offering = OfferingFactory(region=region)
        request = EnrolmentFactory(
            region=region, offering=offering, status=Enrolment.Status.REQUESTED
        )
        enrolment_approve(enrolment=request, actor=admin.user, by_admin=True)
        verified, rejected = DevelopmentRecordFactory.create_batch(2, region=region)
        record_verify(record=verified, user=admin.user)
        record_reject(record=rejected, user=admin.user, reason="Sertifikat tidak terbaca")

        def action_of(obj):
            return (
                AuditEvent.objects.filter(object_type=audit.object_type(obj), object_id=str(obj.pk))
                .exclude(action=Action.CREATE)
                .get()
                .action
            )

        assert action_of(request) == Action.APPROVE
        assert action_of(verified) == Action.VERIFY
        assert action_of(rejected) == Action.REJECT
        event = AuditEvent.objects.get(object_id=str(verified.pk), action=Action.VERIFY)
        assert event.changes["status"] == ["submitted", "verified"]
        assert event.actor_id == admin.user.pk
