"""Integration: enrolment pages for the ASN, the supervisor and the admin (views + templates)."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.factories.regions import EmployeeFactory, UnitFactory, quick_employee, quick_employees
from tests.factories.training import EnrolmentFactory, OfferingFactory, SessionFactory
from training.models import Attendance, DevelopmentRecord, Enrolment, HistoryEvent, Offering
from training.services import enrolment as services

pytestmark = pytest.mark.django_db
S = Enrolment.Status


def url(name, **kwargs):
    return reverse(f"training:{name}", kwargs={"region_slug": "semarang", **kwargs})


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- ASN: enrol --------------------------------------------------------------------------------


def test_enrol_page_shows_seats_and_approval_note(region, employee, login):
    offering = OfferingFactory(region=region, seats=3, requires_approval=True)
    response = login(employee).get(url("offering_enrol", offering_id=offering.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["seats"]["left_for_unit"] == 3
    assert "persetujuan atasan" in body and 'name="motivation"' in body


def test_enrol_post_confirms_and_redirects_with_message(region, employee, login):
    offering = OfferingFactory(region=region)
    client = login(employee)
    response = client.post(
        url("offering_enrol", offering_id=offering.pk),
        {"motivation": "Tugas pelayanan", "idempotency_key": "a" * 32},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("my_enrolments")
    assert any("terkonfirmasi" in m for m in messages_of(response))
    with scopes_disabled():
        enrolment = Enrolment.objects.get(employee=employee)
    assert enrolment.status == S.CONFIRMED and enrolment.motivation == "Tugas pelayanan"
    # A double submit of the same form enrols once.
    client.post(url("offering_enrol", offering_id=offering.pk), {"idempotency_key": "a" * 32})
    with scopes_disabled():
        assert Enrolment.objects.filter(employee=employee).count() == 1


def test_enrol_post_needing_approval_names_the_supervisor(region, employee, login):
    offering = OfferingFactory(region=region, requires_approval=True)
    response = login(employee).post(url("offering_enrol", offering_id=offering.pk), follow=True)
    assert any("Kepala Bidang" in m for m in messages_of(response))


def test_enrol_post_when_full_tells_waitlist_position(region, employee, login):
    offering = OfferingFactory(region=region, seats=1)
    with scopes_disabled():
        EnrolmentFactory(region=region, offering=offering, employee=quick_employee(region))
    response = login(employee).post(url("offering_enrol", offering_id=offering.pk), follow=True)
    assert any("daftar tunggu nomor 1" in m for m in messages_of(response))


def test_enrol_refusal_is_shown_on_the_form(region, employee, login):
    offering = OfferingFactory(region=region, seats=1, has_waitlist=False)
    with scopes_disabled():
        EnrolmentFactory(region=region, offering=offering, employee=quick_employee(region))
    response = login(employee).post(url("offering_enrol", offering_id=offering.pk))
    assert response.status_code == 200
    assert "penuh" in " ".join(response.context["form"].non_field_errors())


def test_enrol_page_explains_closed_window(region, employee, login):
    today = timezone.localdate()
    offering = OfferingFactory(
        region=region,
        enrolment_opens=today - dt.timedelta(days=9),
        enrolment_closes=today - dt.timedelta(days=1),
    )
    response = login(employee).get(url("offering_enrol", offering_id=offering.pk))
    assert "sudah ditutup" in response.content.decode()
    assert 'name="motivation"' not in response.content.decode()


# --- ASN: my enrolments ------------------------------------------------------------------------


def test_my_enrolments_lists_only_mine_with_position_and_sessions(region, employee, login):
    offering = OfferingFactory(region=region, seats=1)
    full = OfferingFactory(region=region, seats=1)
    SessionFactory(region=region, offering=offering, title="Sesi Pembukaan")
    with scopes_disabled():
        EnrolmentFactory(region=region, offering=full, employee=quick_employee(region))
        EnrolmentFactory(region=region, offering=offering, employee=employee)
        waiting = Enrolment.objects.create(
            region=region,
            offering=full,
            employee=employee,
            status=S.WAITLISTED,
            source="self",
            requested_at=timezone.now(),
            waitlisted_at=timezone.now(),
        )
    response = login(employee).get(url("my_enrolments"))
    rows = list(response.context["page"].object_list)
    assert {e.employee_id for e in rows} == {employee.pk}
    assert next(e for e in rows if e.pk == waiting.pk).waitlist_position == 1
    body = response.content.decode()
    assert "Sesi Pembukaan" in body and "no. 1" in body
    assert url("my_enrolment_cancel", enrolment_id=waiting.pk) in body


def test_my_enrolments_query_count_is_constant(region, employee, login):
    client = login(employee)
    with scopes_disabled():
        first = OfferingFactory(region=region)
        SessionFactory(region=region, offering=first)
        EnrolmentFactory(region=region, offering=first, employee=employee)
    one = count_queries(client, url("my_enrolments"))
    with scopes_disabled():
        for _ in range(2):
            o = OfferingFactory(region=region)
            SessionFactory(region=region, offering=o)
            EnrolmentFactory(region=region, offering=o, employee=employee, status=S.WAITLISTED)
    assert count_queries(client, url("my_enrolments")) == one


def test_asn_cancels_before_cutoff_and_waitlist_moves_up(region, employee, login):
    offering = OfferingFactory(region=region, seats=1)
    other = quick_employee(region)
    with scopes_disabled():
        mine = EnrolmentFactory(region=region, offering=offering, employee=employee)
    from django_scopes import scope

    with scope(region=region):
        waiting = services.enrolment_create(offering=offering, employee=other, actor=other.user)
    assert waiting.status == S.WAITLISTED
    response = login(employee).post(
        url("my_enrolment_cancel", enrolment_id=mine.pk), {"reason": "Dinas luar"}, follow=True
    )
    assert any("dibatalkan" in m for m in messages_of(response))
    with scopes_disabled():
        assert Enrolment.objects.get(pk=mine.pk).status == S.CANCELLED
        assert Enrolment.objects.get(pk=waiting.pk).status == S.CONFIRMED


def test_asn_cancel_after_cutoff_is_refused_with_message(region, employee, login):
    today = timezone.localdate()
    offering = OfferingFactory(
        region=region,
        start_date=today + dt.timedelta(days=1),
        enrolment_opens=today - dt.timedelta(days=5),
        enrolment_closes=today,
        cancel_cutoff_days=2,
    )
    with scopes_disabled():
        mine = EnrolmentFactory(region=region, offering=offering, employee=employee)
    client = login(employee)
    page = client.get(url("my_enrolments")).content.decode()
    assert "Batas pembatalan sudah lewat" in page
    response = client.post(url("my_enrolment_cancel", enrolment_id=mine.pk), follow=True)
    assert any("Batas pembatalan sudah lewat" in m for m in messages_of(response))
    with scopes_disabled():
        assert Enrolment.objects.get(pk=mine.pk).status == S.CONFIRMED


def test_asn_detail_shows_history_and_hides_others(region, employee, login):
    offering = OfferingFactory(region=region)
    from django_scopes import scope

    with scope(region=region):
        mine = services.enrolment_create(offering=offering, employee=employee, actor=employee.user)
    other = EmployeeFactory(region=region, unit=employee.unit)
    with scopes_disabled():
        theirs = EnrolmentFactory(region=region, offering=offering, employee=other)
    client = login(employee)
    response = client.get(url("my_enrolment_detail", enrolment_id=mine.pk))
    assert [e.action for e in response.context["history"]] == ["created", "confirmed"]
    assert client.get(url("my_enrolment_detail", enrolment_id=theirs.pk)).status_code == 404
    assert client.post(url("my_enrolment_cancel", enrolment_id=theirs.pk)).status_code == 404


# --- Supervisor approvals ----------------------------------------------------------------------


def _requested(region, offering, employee):
    with scopes_disabled():
        return EnrolmentFactory(
            region=region,
            offering=offering,
            employee=employee,
            status=S.REQUESTED,
            confirmed_at=None,
        )


@pytest.fixture
def approval_offering(region):
    return OfferingFactory(region=region, seats=5, requires_approval=True)


def test_supervisor_sees_only_direct_subordinates(
    region, approval_offering, employee, supervisor, login
):
    mine = _requested(region, approval_offering, employee)
    stranger = quick_employee(region)
    _requested(region, approval_offering, stranger)
    response = login(supervisor).get(url("approval_list"))
    assert [e.pk for e in response.context["page"].object_list] == [mine.pk]


def test_other_supervisor_gets_404_on_decide(region, approval_offering, employee, login):
    enrolment = _requested(region, approval_offering, employee)
    other_boss = EmployeeFactory(region=region, name="Kepala Lain")
    with scopes_disabled():
        EmployeeFactory(region=region, supervisor=other_boss)
    client = login(other_boss)
    assert client.get(url("approval_decide", enrolment_id=enrolment.pk)).status_code == 404
    response = client.post(
        url("approval_decide", enrolment_id=enrolment.pk), {"decision": "approve"}
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert Enrolment.objects.get(pk=enrolment.pk).status == S.REQUESTED


def test_plain_employee_cannot_open_approvals(employee, login):
    assert login(employee).get(url("approval_list")).status_code == 403


def test_supervisor_approves_one(region, approval_offering, employee, supervisor, login):
    enrolment = _requested(region, approval_offering, employee)
    response = login(supervisor).post(
        url("approval_decide", enrolment_id=enrolment.pk), {"decision": "approve"}, follow=True
    )
    assert any("terkonfirmasi" in m for m in messages_of(response))
    with scopes_disabled():
        assert Enrolment.objects.get(pk=enrolment.pk).status == S.CONFIRMED


def test_reject_without_reason_shows_error(region, approval_offering, employee, supervisor, login):
    enrolment = _requested(region, approval_offering, employee)
    response = login(supervisor).post(
        url("approval_decide", enrolment_id=enrolment.pk), {"decision": "reject", "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    with scopes_disabled():
        assert Enrolment.objects.get(pk=enrolment.pk).status == S.REQUESTED


def test_bulk_decisions(region, approval_offering, supervisor, login):
    team = quick_employees(region, 3, supervisor=supervisor)
    requests = [_requested(region, approval_offering, p) for p in team]
    client = login(supervisor)
    response = client.post(
        url("approval_list"),
        {"decision": "reject", "enrolments": [requests[0].pk]},
    )
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    response = client.post(
        url("approval_list"),
        {"decision": "approve", "enrolments": [requests[0].pk, requests[1].pk]},
        follow=True,
    )
    assert any("2 disetujui" in m for m in messages_of(response))
    client.post(
        url("approval_list"),
        {"decision": "reject", "reason": "Belum prioritas", "enrolments": [requests[2].pk]},
    )
    with scopes_disabled():
        statuses = [Enrolment.objects.get(pk=r.pk).status for r in requests]
        assert statuses == [S.CONFIRMED, S.CONFIRMED, S.REJECTED]
        assert HistoryEvent.objects.filter(action="rejected", reason="Belum prioritas").exists()


def test_bulk_ignores_requests_of_someone_elses_team(
    region, approval_offering, supervisor, employee, login
):
    outsider = quick_employee(region)
    theirs = _requested(region, approval_offering, outsider)
    response = login(supervisor).post(
        url("approval_list"), {"decision": "approve", "enrolments": [theirs.pk]}, follow=True
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert Enrolment.objects.get(pk=theirs.pk).status == S.REQUESTED


def test_admin_sees_and_decides_every_request(region, approval_offering, employee, admin, login):
    enrolment = _requested(region, approval_offering, employee)
    client = login(admin)
    assert [e.pk for e in client.get(url("approval_list")).context["page"].object_list] == [
        enrolment.pk
    ]
    client.post(url("approval_decide", enrolment_id=enrolment.pk), {"decision": "approve"})
    with scopes_disabled():
        assert Enrolment.objects.get(pk=enrolment.pk).status == S.CONFIRMED


def test_approvals_query_count_is_constant(region, approval_offering, supervisor, login):
    client = login(supervisor)
    team = quick_employees(region, 3, supervisor=supervisor)
    _requested(region, approval_offering, team[0])
    one = count_queries(client, url("approval_list"))
    _requested(region, OfferingFactory(region=region, requires_approval=True), team[1])
    _requested(region, approval_offering, team[2])
    assert count_queries(client, url("approval_list")) == one


# --- Admin: participants -----------------------------------------------------------------------


def test_participant_list_counts_filter_and_history(region, admin, login):
    offering = OfferingFactory(region=region, seats=2)
    from django_scopes import scope

    people = quick_employees(region, 3)
    with scope(region=region):
        results = [
            services.enrolment_create(offering=offering, employee=p, actor=p.user) for p in people
        ]
    client = login(admin)
    response = client.get(url("offering_participants", offering_id=offering.pk))
    counts = {value: n for value, _label, n in response.context["status_counts"]}
    assert counts[S.CONFIRMED] == 2 and counts[S.WAITLISTED] == 1
    filtered = client.get(
        url("offering_participants", offering_id=offering.pk) + "?status=waitlisted"
    )
    assert [e.pk for e in filtered.context["page"].object_list] == [results[2].pk]
    detail = client.get(url("enrolment_admin_detail", enrolment_id=results[2].pk))
    assert [e.action for e in detail.context["history"]] == ["created", "waitlisted"]


def test_participant_list_query_count_is_constant(region, admin, login):
    offering = OfferingFactory(region=region)
    SessionFactory(region=region, offering=offering)
    with scopes_disabled():
        EnrolmentFactory(region=region, offering=offering, employee=quick_employee(region))
    client = login(admin)
    path = url("offering_participants", offering_id=offering.pk)
    one = count_queries(client, path)
    with scopes_disabled():
        unit = UnitFactory(region=region)
        EnrolmentFactory(
            region=region,
            offering=offering,
            employee=quick_employee(region, unit=unit),
            reserved_unit=unit,
        )
        EnrolmentFactory(
            region=region,
            offering=offering,
            employee=quick_employee(region),
            status=S.WAITLISTED,
            waitlisted_at=timezone.now(),
        )
    assert count_queries(client, path) == one


def test_overview_query_count_is_constant(region, admin, login):
    client = login(admin)
    OfferingFactory(region=region)
    one = count_queries(client, url("enrolment_overview"))
    OfferingFactory(region=region)
    OfferingFactory(region=region)
    assert count_queries(client, url("enrolment_overview")) == one


def test_admin_removes_participant_with_reason_and_waitlist_moves(region, admin, login):
    offering = OfferingFactory(region=region, seats=1)
    from django_scopes import scope

    a, b = quick_employees(region, 2)
    with scope(region=region):
        first = services.enrolment_create(offering=offering, employee=a, actor=a.user)
        second = services.enrolment_create(offering=offering, employee=b, actor=b.user)
    client = login(admin)
    response = client.post(url("enrolment_admin_cancel", enrolment_id=first.pk), {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    client.post(url("enrolment_admin_cancel", enrolment_id=first.pk), {"reason": "Mutasi"})
    with scopes_disabled():
        assert Enrolment.objects.get(pk=first.pk).status == S.CANCELLED
        assert Enrolment.objects.get(pk=second.pk).status == S.CONFIRMED
        event = HistoryEvent.objects.filter(object_id=first.pk, action="cancelled_by_admin").get()
        assert (event.reason, event.actor) == ("Mutasi", admin.user)


def test_participants_csv_export(region, admin, login):
    offering = OfferingFactory(region=region)
    person = quick_employee(region)
    with scopes_disabled():
        EnrolmentFactory(region=region, offering=offering, employee=person)
    response = login(admin).get(url("offering_participants_csv", offering_id=offering.pk))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("NIP,Nama")
    assert person.nip in lines[1] and "Terkonfirmasi" in lines[1]


def test_bulk_enrol_by_pasted_nips(region, admin, login):
    offering = OfferingFactory(region=region, seats=1, requires_approval=True)
    a, b = quick_employees(region, 2)
    response = login(admin).post(
        url("offering_bulk_enrol", offering_id=offering.pk),
        {"mode": "list", "nips": f"{a.nip}\n{b.nip}, 123456789012345678"},
    )
    outcomes = {o.label: o.status for o in response.context["outcomes"]}
    assert outcomes == {a.nip: S.CONFIRMED, b.nip: S.WAITLISTED, "123456789012345678": "refused"}
    assert response.context["summary"]["refused"] == 1


def test_bulk_enrol_by_csv_and_by_unit(region, admin, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    offering = OfferingFactory(region=region, seats=10)
    unit = UnitFactory(region=region)
    team = quick_employees(region, 2, unit=unit)
    loner = quick_employee(region)
    client = login(admin)
    upload = SimpleUploadedFile("nip.csv", f"NIP\n{loner.nip}\n".encode(), "text/csv")
    response = client.post(
        url("offering_bulk_enrol", offering_id=offering.pk), {"mode": "csv", "csv_file": upload}
    )
    assert [o.status for o in response.context["outcomes"]] == [S.CONFIRMED]
    response = client.post(
        url("offering_bulk_enrol", offering_id=offering.pk), {"mode": "unit", "unit": unit.pk}
    )
    assert sorted(o.employee.pk for o in response.context["outcomes"]) == sorted(p.pk for p in team)
    with scopes_disabled():
        assert Enrolment.objects.filter(offering=offering, status=S.CONFIRMED).count() == 3


def test_bulk_enrol_form_errors(region, admin, login):
    offering = OfferingFactory(region=region)
    response = login(admin).post(
        url("offering_bulk_enrol", offering_id=offering.pk), {"mode": "list", "nips": " "}
    )
    assert response.status_code == 200 and response.context["form"].errors["nips"]


def test_fill_waitlist_button(region, admin, login):
    offering = OfferingFactory(region=region, seats=1)
    with scopes_disabled():
        waiting = EnrolmentFactory(
            region=region,
            offering=offering,
            employee=quick_employee(region),
            status=S.WAITLISTED,
            waitlisted_at=timezone.now(),
        )
    login(admin).post(url("offering_fill_waitlist", offering_id=offering.pk))
    with scopes_disabled():
        assert Enrolment.objects.get(pk=waiting.pk).status == S.CONFIRMED


def test_employee_cannot_open_admin_pages(region, employee, login):
    offering = OfferingFactory(region=region)
    client = login(employee)
    assert client.get(url("offering_participants", offering_id=offering.pk)).status_code == 403
    assert client.get(url("enrolment_overview")).status_code == 403


# --- Admin: attendance and completion ----------------------------------------------------------


def test_attendance_grid_and_completion_pages(region, admin, login):
    today = timezone.localdate()
    offering = OfferingFactory(
        region=region,
        start_date=today - dt.timedelta(days=1),
        end_date=today,
        enrolment_opens=today - dt.timedelta(days=10),
        enrolment_closes=today - dt.timedelta(days=2),
        status=Offering.Status.RUNNING,
        min_attendance_percent=100,
    )
    session = SessionFactory(region=region, offering=offering)
    a, b = quick_employees(region, 2)
    with scopes_disabled():
        ea = EnrolmentFactory(region=region, offering=offering, employee=a)
        eb = EnrolmentFactory(region=region, offering=offering, employee=b)
    client = login(admin)
    grid = client.get(url("session_attendance", session_id=session.pk))
    assert {r.pk for r in grid.context["rows"]} == {ea.pk, eb.pk}
    client.post(url("session_attendance", session_id=session.pk), {"present": [ea.pk]})
    with scopes_disabled():
        assert Attendance.objects.filter(session=session, present=True).count() == 1
    preview = client.get(url("offering_complete", offering_id=offering.pk))
    assert (preview.context["will_complete"], preview.context["will_fail"]) == (1, 1)
    response = client.post(url("offering_complete", offering_id=offering.pk), follow=True)
    assert any("1 peserta lulus" in m for m in messages_of(response))
    with scopes_disabled():
        assert Enrolment.objects.get(pk=ea.pk).status == S.COMPLETED
        assert Enrolment.objects.get(pk=eb.pk).status == S.NO_SHOW
        assert DevelopmentRecord.objects.filter(employee=a).count() == 1
    client.post(url("offering_complete", offering_id=offering.pk))
    with scopes_disabled():
        assert DevelopmentRecord.objects.count() == 1


def test_attendance_grid_query_count_is_constant(region, admin, login):
    offering = OfferingFactory(region=region)
    session = SessionFactory(region=region, offering=offering)
    with scopes_disabled():
        EnrolmentFactory(region=region, offering=offering, employee=quick_employee(region))
    client = login(admin)
    path = url("session_attendance", session_id=session.pk)
    one = count_queries(client, path)
    with scopes_disabled():
        for _ in range(2):
            EnrolmentFactory(region=region, offering=offering, employee=quick_employee(region))
    assert count_queries(client, path) == one


def test_confirmation_pages_render(region, approval_offering, employee, supervisor, login):
    request = _requested(region, approval_offering, employee)
    page = login(supervisor).get(url("approval_decide", enrolment_id=request.pk))
    assert page.status_code == 200 and "Setujui" in page.content.decode()
    page = login(employee).get(url("my_enrolment_cancel", enrolment_id=request.pk))
    assert page.status_code == 200 and "Ya, batalkan" in page.content.decode()


def test_participants_csv_never_starts_a_cell_with_a_formula(region, admin, login):
    offering = OfferingFactory(region=region)
    person = quick_employee(region, name="=1+1", position='=HYPERLINK("http://x","klik")')
    with scopes_disabled():
        person.unit.name = "@Dinas"
        person.unit.save(update_fields=["name"])
        EnrolmentFactory(region=region, offering=offering, employee=person)
    response = login(admin).get(url("offering_participants_csv", offering_id=offering.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Nama"] == "'=1+1"
    assert row["Jabatan"] == '\'=HYPERLINK("http://x","klik")'
    assert row["Unit kerja"] == "'@Dinas"
    assert row["NIP"] == person.nip
