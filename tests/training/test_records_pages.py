"""Integration: JP ledger pages — my year, record forms, evidence access, verification queue,
team JP overview — over HTTP with query-count checks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from regions.models import Employee
from tests.factories.regions import EmployeeFactory, UnitFactory
from tests.factories.training import DevelopmentRecordFactory, pdf_upload
from training.models import DevelopmentRecord
from training.selectors.records import team_jp_overview
from training.services import records as services

pytestmark = pytest.mark.django_db
S = DevelopmentRecord.Status
TODAY = timezone.localdate()
LAST_WEEK = TODAY - dt.timedelta(days=7)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def url(name, region, **kwargs):
    return reverse(f"training:{name}", kwargs={"region_slug": region.slug, **kwargs})


def form_data(**overrides):
    data = {
        "title": "Workshop Penulisan Kebijakan",
        "form": "4",
        "organiser": "LAN RI",
        "start_date": LAST_WEEK.isoformat(),
        "end_date": (LAST_WEEK + dt.timedelta(days=1)).isoformat(),
        "jp": "10",
        "certificate_number": "LAN/2026/001",
        "evidence": pdf_upload(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def record_with_file(employee, **kwargs):
    with scope(region=employee.region):
        return services.record_submit(
            employee=employee,
            user=employee.user,
            title=kwargs.pop("title", "Seminar Literasi Digital"),
            form=DevelopmentRecord._meta.get_field("form").related_model.objects.get(pk=9),
            organiser="Diskominfo",
            start_date=LAST_WEEK,
            end_date=LAST_WEEK,
            jp=Decimal("4"),
            evidence=pdf_upload(),
        )


# --- My year -----------------------------------------------------------------------------------


def test_my_jp_shows_verified_against_target_and_pending(login, region, employee):
    DevelopmentRecordFactory(
        region=region, employee=employee, jp=Decimal("12"), status=S.VERIFIED, title="Bimtek Arsip"
    )
    DevelopmentRecordFactory(
        region=region,
        employee=employee,
        jp=Decimal("4"),
        status=S.SUBMITTED,
        title="Seminar Menunggu",
    )
    DevelopmentRecordFactory(
        region=region,
        employee=employee,
        jp=Decimal("6"),
        status=S.REJECTED,
        reject_reason="Bukti buram",
        title="Seminar Ditolak",
    )
    response = login(employee).get(url("my_jp", region))
    assert response.status_code == 200
    progress = response.context["progress"]
    assert progress.verified_jp == Decimal("12") and progress.pending_jp == Decimal("4")
    html = response.content.decode()
    assert "12 <span" in html and "/ 20 JP" in html
    assert "Masih 8 JP lagi" in html
    for text in (
        "Bimtek Arsip",
        "Seminar Menunggu",
        "Seminar Ditolak",
        "Bukti buram",
        "Terverifikasi",
        "Menunggu verifikasi",
        "Ditolak",
    ):
        assert text in html


def test_previous_years_are_selectable(login, region, employee):
    old = dt.date(TODAY.year - 2, 3, 10)
    DevelopmentRecordFactory(
        region=region,
        employee=employee,
        start_date=old,
        end_date=old,
        year=old.year,
        status=S.VERIFIED,
        title="Diklat Lama",
    )
    DevelopmentRecordFactory(
        region=region, employee=employee, status=S.VERIFIED, title="Diklat Baru"
    )
    client = login(employee)
    current = client.get(url("my_jp", region)).content.decode()
    assert "Diklat Baru" in current and "Diklat Lama" not in current
    response = client.get(url("my_jp", region) + f"?tahun={old.year}")
    assert response.context["year"] == old.year
    html = response.content.decode()
    assert "Diklat Lama" in html and "Diklat Baru" not in html
    assert f'<option value="{old.year}"' in html
    assert client.get(url("my_jp", region) + "?tahun=abc").context["year"] == TODAY.year
    assert (
        client.get(url("my_jp", region) + f"?tahun={TODAY.year + 3}").context["year"] == TODAY.year
    )


def test_pppk_see_the_cap_instead_of_the_minimum(login, region, unit):
    pppk = EmployeeFactory(region=region, unit=unit, employment_type=Employee.EmploymentType.PPPK)
    html = login(pppk).get(url("my_jp", region)).content.decode()
    assert "/ 24 JP" in html and "tidak diukur dengan target minimal" in html


def test_my_jp_query_count_does_not_grow_with_records(login, region, employee):
    DevelopmentRecordFactory(region=region, employee=employee)
    client = login(employee)
    one = count_queries(client, url("my_jp", region))
    for _ in range(2):
        DevelopmentRecordFactory(region=region, employee=employee, status=S.VERIFIED)
    assert count_queries(client, url("my_jp", region)) == one


def test_a_person_who_is_not_an_employee_gets_403(client, region, admin):
    from regions.models import Membership
    from tests.factories.regions import UserFactory

    user = UserFactory()
    Membership.objects.create(user=user, region=region)
    client.force_login(user)
    assert client.get(url("my_jp", region)).status_code == 403


# --- Submit and edit through the pages ---------------------------------------------------------


def test_asn_submits_an_external_record(login, region, employee, media):
    client = login(employee)
    assert client.get(url("record_create", region)).status_code == 200
    response = client.post(url("record_create", region), form_data())
    assert response.status_code == 302
    assert response["Location"].endswith(f"?tahun={LAST_WEEK.year}")
    with scope(region=region):
        record = DevelopmentRecord.objects.get()
    assert (record.title, record.jp, record.status, record.form_id) == (
        "Workshop Penulisan Kebijakan",
        Decimal("10"),
        S.SUBMITTED,
        4,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"evidence": pdf_upload("a.pdf", b"not really a pdf")}, "PDF atau gambar"),
        ({"evidence": None}, "Unggah bukti kegiatan"),
        ({"jp": "0"}, "lebih dari 0"),
        ({"jp": "11"}, "paling banyak 10 JP"),
        ({"end_date": (LAST_WEEK - dt.timedelta(days=2)).isoformat()}, "tidak boleh sebelum"),
        (
            {"start_date": f"{TODAY.year + 1}-01-02", "end_date": f"{TODAY.year + 1}-01-03"},
            "belum berjalan",
        ),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(
    login, region, employee, media, overrides, message
):
    response = login(employee).post(url("record_create", region), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    with scopes_disabled():
        assert not DevelopmentRecord.objects.exists()
    assert not any(media.rglob("*.*"))


def test_too_large_evidence_shows_the_limit(login, region, employee, settings, media):
    settings.KOMPETENSI_EVIDENCE_MAX_BYTES = 1024
    big = pdf_upload(content=b"%PDF-1.4\n" + b"0" * 4096)
    response = login(employee).post(url("record_create", region), form_data(evidence=big))
    assert "terlalu besar" in response.content.decode()
    assert not any(media.rglob("*.*"))


def test_owner_resubmits_a_rejected_record(login, region, employee, admin):
    record = record_with_file(employee)
    with scope(region=region):
        services.record_reject(record=record, user=admin.user, reason="Nomor sertifikat kosong.")
    client = login(employee)
    detail = client.get(url("record_detail", region, record_id=record.pk)).content.decode()
    assert "Nomor sertifikat kosong." in detail and "Perbaiki dan ajukan kembali" in detail
    response = client.post(
        url("record_edit", region, record_id=record.pk),
        form_data(
            form="9",
            jp="4",
            end_date=LAST_WEEK.isoformat(),
            evidence=None,
            certificate_number="X-1",
        ),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == S.SUBMITTED and record.certificate_number == "X-1"


def test_owner_withdraws_a_waiting_record(login, region, employee):
    record = record_with_file(employee)
    client = login(employee)
    assert client.get(url("record_withdraw", region, record_id=record.pk)).status_code == 200
    assert client.post(url("record_withdraw", region, record_id=record.pk)).status_code == 302
    with scopes_disabled():
        assert not DevelopmentRecord.objects.filter(pk=record.pk).exists()


def test_someone_elses_record_is_404_for_the_asn_pages(login, region, employee, supervisor):
    record = record_with_file(employee)
    client = login(supervisor)
    for name in ("record_detail", "record_edit", "record_withdraw"):
        assert client.get(url(name, region, record_id=record.pk)).status_code == 404
    assert client.post(url("record_withdraw", region, record_id=record.pk)).status_code == 404
    with scopes_disabled():
        assert DevelopmentRecord.objects.filter(pk=record.pk).exists()


def test_verified_record_has_no_edit_link_and_edit_redirects(login, region, employee):
    record = DevelopmentRecordFactory(region=region, employee=employee, status=S.VERIFIED)
    client = login(employee)
    html = client.get(url("record_detail", region, record_id=record.pk)).content.decode()
    assert url("record_edit", region, record_id=record.pk) not in html
    response = client.post(url("record_edit", region, record_id=record.pk), form_data())
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title != "Workshop Penulisan Kebijakan"


# --- Evidence download -------------------------------------------------------------------------


def test_evidence_is_served_to_the_owner_and_the_regions_admins_only(
    login, client, region, employee, supervisor, admin, other_admin
):
    record = record_with_file(employee)
    path = url("record_evidence", region, record_id=record.pk)

    response = login(employee).get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    admin_response = login(admin).get(path + "?unduh=1")
    assert admin_response.status_code == 200
    assert "attachment" in admin_response["Content-Disposition"]

    assert login(supervisor).get(path).status_code == 404  # another employee, even the boss
    assert login(other_admin).get(path).status_code == 404  # another region's admin
    client.logout()
    assert client.get(path).status_code == 302  # to the login page


def test_evidence_is_never_linked_through_a_public_media_url(login, region, employee):
    record = record_with_file(employee)
    html = login(employee).get(url("record_detail", region, record_id=record.pk)).content.decode()
    assert "/media/" not in html
    assert url("record_evidence", region, record_id=record.pk) in html


# --- Verification queue ------------------------------------------------------------------------


def test_queue_lists_waiting_records_oldest_first_with_filters(login, region, employee, admin):
    other_unit = UnitFactory(region=region, name="Dinas Kesehatan")
    nurse = EmployeeFactory(region=region, unit=other_unit, name="Perawat Puskesmas")
    old = DevelopmentRecordFactory(region=region, employee=employee, title="Pengajuan Lama")
    new = DevelopmentRecordFactory(region=region, employee=nurse, title="Pengajuan Baru")
    DevelopmentRecordFactory(
        region=region, employee=employee, status=S.VERIFIED, title="Sudah Beres"
    )
    DevelopmentRecordFactory(
        region=region,
        employee=employee,
        source=DevelopmentRecord.Source.ENROLMENT,
        title="Dari Portal",
    )
    with scopes_disabled():
        DevelopmentRecord.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=3)
        )
    client = login(admin)

    page = client.get(url("record_queue", region)).context["page"]
    assert [r.pk for r in page.object_list] == [old.pk, new.pk]

    by_unit = client.get(url("record_queue", region) + f"?unit={other_unit.pk}").context["page"]
    assert [r.pk for r in by_unit.object_list] == [new.pk]
    everything = client.get(url("record_queue", region) + "?status=").context["page"]
    assert {r.title for r in everything.object_list} == {
        "Pengajuan Lama",
        "Pengajuan Baru",
        "Sudah Beres",
    }
    verified = client.get(url("record_queue", region) + "?status=verified").context["page"]
    assert [r.title for r in verified.object_list] == ["Sudah Beres"]
    other_year = client.get(
        url("record_queue", region) + f"?tahun={TODAY.year - 1}&status="
    ).context["page"]
    assert list(other_year.object_list) == []


def test_queue_is_for_admins(login, region, employee):
    assert login(employee).get(url("record_queue", region)).status_code == 403
    record = DevelopmentRecordFactory(region=region, employee=employee)
    assert login(employee).get(url("record_review", region, record_id=record.pk)).status_code == 403


def test_queue_query_count_does_not_grow(login, region, admin):
    DevelopmentRecordFactory(region=region)
    client = login(admin)
    one = count_queries(client, url("record_queue", region))
    for _ in range(2):
        DevelopmentRecordFactory(
            region=region, employee=EmployeeFactory(region=region, unit=UnitFactory(region=region))
        )
    assert count_queries(client, url("record_queue", region)) == one


def test_admin_verifies_from_the_review_page(login, region, employee, admin):
    record = record_with_file(employee)
    client = login(admin)
    page = client.get(url("record_review", region, record_id=record.pk)).content.decode()
    assert "Keputusan verifikasi" in page and "Diajukan untuk verifikasi" in page
    response = client.post(url("record_review", region, record_id=record.pk), {"action": "verify"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == S.VERIFIED
    page = client.get(url("record_review", region, record_id=record.pk)).content.decode()
    assert "Diverifikasi" in page and "Keputusan verifikasi" not in page


def test_reject_without_reason_shows_an_error(login, region, employee, admin):
    record = record_with_file(employee)
    client = login(admin)
    response = client.post(
        url("record_review", region, record_id=record.pk), {"action": "reject", "reason": ""}
    )
    assert response.status_code == 200
    assert "Tuliskan alasan penolakan untuk pegawai." in response.content.decode()
    record.refresh_from_db()
    assert record.status == S.SUBMITTED
    client.post(
        url("record_review", region, record_id=record.pk),
        {"action": "reject", "reason": "Bukti bukan sertifikat."},
    )
    record.refresh_from_db()
    assert (record.status, record.reject_reason) == (S.REJECTED, "Bukti bukan sertifikat.")


def test_deciding_twice_shows_a_message_not_an_error(login, region, employee, admin):
    record = record_with_file(employee)
    client = login(admin)
    client.post(url("record_review", region, record_id=record.pk), {"action": "verify"})
    response = client.post(
        url("record_review", region, record_id=record.pk), {"action": "verify"}, follow=True
    )
    assert response.status_code == 200
    assert "sudah diproses" in response.content.decode()


# --- Team JP -----------------------------------------------------------------------------------


def test_team_jp_shows_each_subordinates_verified_jp(login, region, unit, supervisor, employee):
    pppk = EmployeeFactory(
        region=region,
        unit=unit,
        supervisor=supervisor,
        name="Pegawai PPPK",
        employment_type=Employee.EmploymentType.PPPK,
    )
    EmployeeFactory(
        region=region, unit=unit, supervisor=supervisor, name="Sudah Pensiun", is_active=False
    )
    DevelopmentRecordFactory(region=region, employee=employee, jp=Decimal("20"), status=S.VERIFIED)
    DevelopmentRecordFactory(region=region, employee=employee, jp=Decimal("5"), status=S.SUBMITTED)
    DevelopmentRecordFactory(region=region, employee=pppk, jp=Decimal("3"), status=S.VERIFIED)
    DevelopmentRecordFactory(region=region, employee=pppk, jp=Decimal("50"), status=S.REJECTED)
    response = login(supervisor).get(url("team_jp", region))
    assert response.status_code == 200
    rows = {row.employee.name: row.progress for row in response.context["rows"]}
    assert set(rows) == {"Siti Aminah", "Pegawai PPPK"}
    assert rows["Siti Aminah"].verified_jp == Decimal("20") and rows["Siti Aminah"].target_met
    assert rows["Siti Aminah"].pending_jp == Decimal("5")
    assert rows["Pegawai PPPK"].verified_jp == Decimal("3") and rows["Pegawai PPPK"].benchmark == 24


def test_team_jp_is_for_supervisors(login, region, employee):
    assert login(employee).get(url("team_jp", region)).status_code == 403


@pytest.mark.parametrize("team_size", [1, 3])
def test_team_jp_overview_is_one_grouped_query(
    region, unit, supervisor, team_size, django_assert_num_queries
):
    for _ in range(team_size):
        member = EmployeeFactory(region=region, unit=unit, supervisor=supervisor)
        DevelopmentRecordFactory(region=region, employee=member, jp=Decimal("7"), status=S.VERIFIED)
        DevelopmentRecordFactory(
            region=region, employee=member, jp=Decimal("2"), status=S.SUBMITTED
        )
    with scope(region=region), django_assert_num_queries(1):
        rows = team_jp_overview(region=region, supervisor=supervisor, year=TODAY.year)
        assert [row.progress.verified_jp for row in rows] == [Decimal("7")] * team_size
        assert [row.employee.unit.name for row in rows] == [unit.name] * team_size


def test_team_jp_page_query_count_does_not_grow(login, region, unit, supervisor, employee):
    client = login(supervisor)
    one = count_queries(client, url("team_jp", region))
    for _ in range(2):
        EmployeeFactory(region=region, unit=unit, supervisor=supervisor)
    assert count_queries(client, url("team_jp", region)) == one
