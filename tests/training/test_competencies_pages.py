"""Integration: competency pages (admin dictionary, standards, assessments; "Kompetensi saya";
a supervisor's view of a direct subordinate), their messages, access rules and query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from regions.models import PositionType
from tests.factories.regions import EmployeeFactory
from tests.factories.training import assess, national, program_for, standard, technical
from training.models import (
    Competency,
    CompetencyLevel,
    EmployeeCompetency,
    PositionStandard,
    PositionStandardItem,
    Program,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"training:{name}", args=["semarang", *args])


def level_data(**extra):
    data = {f"level_{n}": f"Mampu tingkat {n}" for n in range(1, 6)}
    return {**data, **extra}


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


# --- Dictionary --------------------------------------------------------------------------------


def test_list_shows_national_and_own_technical_never_other_regions(
    admin, region, other_region, login
):
    technical(region, "T.SMG", "Tata Kelola Arsip Semarang")
    technical(other_region, "T.BJI", "Rahasia Binjai teknis")
    response = login(admin).get(url("competency_list"))
    body = response.content.decode()
    assert "Integritas" in body and "Perekat Bangsa" in body
    assert "Tata Kelola Arsip Semarang" in body
    assert "Rahasia Binjai" not in body


def test_other_regions_technical_competency_is_404(admin, other_region, login):
    leak = technical(other_region, "T.BJI", "Rahasia Binjai teknis")
    client = login(admin)
    for name in ("competency_detail", "competency_edit", "competency_toggle"):
        assert client.get(url(name, leak.pk)).status_code == 404


def test_national_competency_detail_is_readable(admin, login):
    response = login(admin).get(url("competency_detail", national("M.01").pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Integritas" in body and "tidak dapat mengubahnya" in body
    assert url("competency_edit", national("M.01").pk) not in body


def test_create_technical_competency(admin, region, login):
    response = login(admin).post(
        url("competency_create"),
        level_data(code="t.arsip.01", name="Pengelolaan Arsip Digital", indicators_3="Contoh"),
    )
    with scopes_disabled():
        competency = Competency.objects.get(region=region, code="T.ARSIP.01")
        assert CompetencyLevel.objects.filter(competency=competency).count() == 5
    assert response.status_code == 302
    assert response.url == url("competency_detail", competency.pk)


def test_create_with_duplicate_code_shows_message(admin, region, login):
    technical(region, "T.ARSIP")
    client = login(admin)
    response = client.post(url("competency_create"), level_data(code="T.ARSIP", name="Lain"))
    assert response.status_code == 200
    assert "Kode T.ARSIP sudah dipakai" in response.content.decode()
    response = client.post(url("competency_create"), level_data(code="M.03", name="Tiruan"))
    assert "kompetensi nasional Komunikasi" in response.content.decode()
    with scopes_disabled():
        assert Competency.objects.filter(region=region).count() == 1


def test_create_without_a_level_description_shows_message(admin, region, login):
    data = level_data(code="T.X", name="X")
    del data["level_5"]
    response = login(admin).post(url("competency_create"), data)
    assert "Deskripsi level 5 wajib diisi." in response.content.decode()
    with scopes_disabled():
        assert not Competency.objects.filter(code="T.X").exists()


def test_editing_a_national_competency_is_refused(admin, login):
    m01 = national("M.01")
    client = login(admin)
    response = client.post(url("competency_edit", m01.pk), level_data(code="M.01", name="Ubah"))
    assert response.status_code == 302
    follow = client.get(response.url)
    assert any("kompetensi nasional" in m for m in messages_of(follow))
    response = client.post(url("competency_toggle", m01.pk), {"active": "0"})
    assert response.status_code == 302
    with scopes_disabled():
        m01.refresh_from_db()
    assert (m01.name, m01.is_active) == ("Integritas", True)


def test_edit_and_deactivate_technical(admin, region, login):
    competency = technical(region, "T.ARSIP")
    client = login(admin)
    page = client.get(url("competency_edit", competency.pk))
    assert page.context["form"].initial["level_3"] == "T.ARSIP level 3"
    response = client.post(
        url("competency_edit", competency.pk), level_data(code="T.ARSIP", name="Arsip Baru")
    )
    assert response.status_code == 302
    assert client.get(url("competency_toggle", competency.pk)).status_code == 200
    client.post(url("competency_toggle", competency.pk), {"active": "0"})
    with scopes_disabled():
        competency.refresh_from_db()
    assert (competency.name, competency.is_active) == ("Arsip Baru", False)


def test_asn_cannot_open_admin_pages(employee, login):
    client = login(employee)
    for name in ("competency_list", "standard_list", "provider_list", "assessment_overview"):
        assert client.get(url(name)).status_code == 403


# --- Standards ---------------------------------------------------------------------------------


def test_create_standard_prefilled_from_default_table(admin, region, login):
    response = login(admin).post(
        url("standard_create"),
        {
            "position_type": PositionType.ADMINISTRATOR,
            "position_name": "Kepala Bagian Umum",
            "with_default_managerial": "on",
        },
    )
    with scopes_disabled():
        created = PositionStandard.objects.get(region=region)
        levels = set(created.items.values_list("required_level", flat=True))
        assert created.items.count() == 8
    assert levels == {3}
    assert response.url == url("standard_detail", created.pk)


def test_standard_form_refuses_jenjang_for_structural(admin, region, login):
    response = login(admin).post(
        url("standard_create"),
        {"position_type": PositionType.PENGAWAS, "functional_level": "ahli_muda"},
    )
    assert "Jenjang hanya diisi untuk jabatan fungsional." in response.content.decode()
    with scopes_disabled():
        assert not PositionStandard.objects.exists()


def test_add_item_with_level_outside_range_shows_message(admin, region, login):
    target = standard(region)
    response = login(admin).post(
        url("standard_detail", target.pk),
        {"competency": national("M.01").pk, "required_level": "7"},
    )
    assert response.status_code == 200
    assert "Level harus bilangan bulat antara 1 dan 5." in response.content.decode()
    with scopes_disabled():
        assert not PositionStandardItem.objects.exists()


def test_add_item_with_other_regions_competency_shows_message(admin, region, other_region, login):
    target = standard(region)
    leak = technical(other_region, "T.BJI", "Rahasia Binjai teknis")
    response = login(admin).post(
        url("standard_detail", target.pk), {"competency": leak.pk, "required_level": "3"}
    )
    assert "Kompetensi tidak ditemukan di wilayah ini." in response.content.decode()
    with scopes_disabled():
        assert not PositionStandardItem.objects.exists()


def test_add_change_and_remove_item(admin, region, login):
    target = standard(region)
    arsip = technical(region, "T.ARSIP")
    client = login(admin)
    client.post(url("standard_detail", target.pk), {"competency": arsip.pk, "required_level": 2})
    client.post(url("standard_detail", target.pk), {"competency": arsip.pk, "required_level": 4})
    with scopes_disabled():
        item = PositionStandardItem.objects.get(standard=target)
    assert item.required_level == 4
    assert client.get(url("standard_item_delete", target.pk, item.pk)).status_code == 405
    client.post(url("standard_item_delete", target.pk, item.pk))
    with scopes_disabled():
        assert not PositionStandardItem.objects.exists()


def test_edit_and_delete_standard(admin, region, login):
    target = standard(region, items=[(national("M.01"), 2)], position_name="Lama")
    client = login(admin)
    client.post(
        url("standard_edit", target.pk),
        {"position_type": PositionType.PELAKSANA, "position_name": "Pengolah Data"},
    )
    with scopes_disabled():
        target.refresh_from_db()
    assert target.position_name == "Pengolah Data"
    assert client.get(url("standard_delete", target.pk)).status_code == 200
    assert client.post(url("standard_delete", target.pk)).url == url("standard_list")
    with scopes_disabled():
        assert not PositionStandard.objects.exists()
        assert not PositionStandardItem.objects.exists()


# --- Assessments (admin) -----------------------------------------------------------------------


def test_admin_records_an_assessment(admin, employee, login):
    client = login(admin)
    response = client.post(
        url("employee_competencies", employee.pk),
        {
            "competency": national("M.04").pk,
            "level": "2",
            "source": "uji_kompetensi",
            "assessed_on": "2025-05-06",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        record = EmployeeCompetency.objects.get(employee=employee)
    assert (record.level, record.assessed_on) == (2, dt.date(2025, 5, 6))
    page = client.get(url("employee_competencies", employee.pk))
    assert "6 Mei 2025" in page.content.decode()


def test_admin_assessment_bad_level_shows_message(admin, employee, login):
    response = login(admin).post(
        url("employee_competencies", employee.pk),
        {
            "competency": national("M.04").pk,
            "level": "9",
            "source": "self",
            "assessed_on": "2025-05-06",
        },
    )
    assert "Level harus bilangan bulat antara 1 dan 5." in response.content.decode()
    with scopes_disabled():
        assert not EmployeeCompetency.objects.exists()


def test_admin_imports_assessments_from_csv(admin, employee, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(admin)
    template = client.get(url("assessment_import") + "?template=csv")
    assert b"nip,kode_kompetensi,level,sumber,tanggal" in template.content
    content = f"nip,kode_kompetensi,level,sumber,tanggal\n{employee.nip},M.01,4,self,2025-01-01\n"
    response = client.post(
        url("assessment_import"),
        {"file": SimpleUploadedFile("nilai.csv", content.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert EmployeeCompetency.objects.get(employee=employee).level == 4
    bad = "nip,kode_kompetensi,level,sumber,tanggal\n123,M.01,4,self,2025-01-01\n"
    response = client.post(
        url("assessment_import"),
        {"file": SimpleUploadedFile("nilai.csv", bad.encode(), content_type="text/csv")},
    )
    assert "Baris 2: NIP tidak ditemukan di wilayah ini." in response.content.decode()


# --- Kompetensi saya ---------------------------------------------------------------------------


def test_my_competencies_shows_gaps_jpm_and_recommendations(employee, region, login):
    m01, m02 = national("M.01"), national("M.02")
    standard(region, items=[(m01, 3), (m02, 2)], position_name=employee.position.upper())
    assess(employee, m01, 1)
    assess(employee, m02, 2)
    program_for(region, m01, title="Pelatihan Integritas ASN")
    program_for(region, m02, title="Kerja Sama Tanpa Kesenjangan")
    program_for(region, m01, title="Draf Integritas", status=Program.Status.DRAFT)
    response = login(employee).get(url("my_competencies"))
    body = response.content.decode()
    profile = response.context["profile"]
    assert profile.match.source == "position_name"
    assert str(profile.jpm) == "60.00"  # (1 + 2) / (3 + 2)
    assert "60,00%" in body and "Kurang optimal" in body
    assert "Kurang 2 level" in body
    assert [p.title for p in response.context["recommendations"]] == ["Pelatihan Integritas ASN"]
    assert "Draf Integritas" not in body


def test_my_competencies_with_an_incomplete_assessment_says_so_instead_of_a_jpm(
    employee, region, login
):
    codes = [f"M.0{i}" for i in range(1, 9)]
    standard(region, items=[(national(code), 2) for code in codes])
    assess(employee, national("M.01"), 2)
    response = login(employee).get(url("my_competencies"))
    body = response.content.decode()
    assert response.context["profile"].jpm is None
    assert "asesmen belum lengkap (1 dari 8)" in body
    assert "100,00%" not in body


def test_my_competencies_without_assessments_uses_default_table(employee, login):
    response = login(employee).get(url("my_competencies"))
    assert response.context["profile"].match.source == "default"
    assert "Standar manajerial umum" in response.content.decode()
    assert response.context["profile"].jpm is None


def test_my_competencies_needs_an_employee(region, login):
    from regions.models import Membership, User

    user = User.objects.create_user(username="tanpa-pegawai", password="x")
    Membership.objects.create(user=user, region=region, role=Membership.Role.ADMIN)
    assert login(user).get(url("my_competencies")).status_code == 403


# --- Supervisor view ---------------------------------------------------------------------------


def test_supervisor_sees_direct_subordinates_gaps(supervisor, employee, region, login):
    standard(region, items=[(national("M.01"), 3)])
    assess(employee, national("M.01"), 2)
    response = login(supervisor).get(url("team_member_competencies", employee.pk))
    assert response.status_code == 200
    assert "Siti Aminah" in response.content.decode()
    assert response.context["profile"].needs == {national("M.01").pk: 1}
    mine = login(supervisor).get(url("my_competencies"))
    assert url("team_member_competencies", employee.pk) in mine.content.decode()


def test_only_direct_subordinates_are_visible(
    supervisor, employee, admin, region, unit, other_employee, login
):
    grandchild = EmployeeFactory(region=region, unit=unit, supervisor=employee)
    client = login(supervisor)
    # a subordinate's subordinate, a peer, another region's employee: all 404
    assert client.get(url("team_member_competencies", grandchild.pk)).status_code == 404
    assert client.get(url("team_member_competencies", admin.pk)).status_code == 404
    assert client.get(url("team_member_competencies", other_employee.pk)).status_code == 404
    assert client.get(url("team_member_competencies", supervisor.pk)).status_code == 404
    # the subordinate cannot look upwards; an admin is not the supervisor either
    assert login(employee).get(url("team_member_competencies", supervisor.pk)).status_code == 404
    assert login(admin).get(url("team_member_competencies", employee.pk)).status_code == 404


def test_inactive_subordinate_is_404(supervisor, employee, login):
    with scopes_disabled():
        type(employee).objects.filter(pk=employee.pk).update(is_active=False)
    assert login(supervisor).get(url("team_member_competencies", employee.pk)).status_code == 404


# --- Query counts ------------------------------------------------------------------------------


def test_competency_list_query_count(admin, region, login, django_assert_num_queries):
    client = login(admin)
    technical(region, "T.A")
    expected = count_queries(client, url("competency_list"))
    technical(region, "T.B")
    technical(region, "T.C")
    with django_assert_num_queries(expected):
        client.get(url("competency_list"))


def test_standard_list_query_count(admin, region, login, django_assert_num_queries):
    client = login(admin)
    standard(region, items=[(national("M.01"), 2)], position_name="A")
    expected = count_queries(client, url("standard_list"))
    standard(region, items=[(national("M.01"), 2)], position_name="B")
    standard(region, items=[(national("M.02"), 2)], position_name="C")
    with django_assert_num_queries(expected):
        client.get(url("standard_list"))


def test_standard_detail_query_count(admin, region, login, django_assert_num_queries):
    client = login(admin)
    target = standard(region, items=[(national("M.01"), 2)])
    expected = count_queries(client, url("standard_detail", target.pk))
    with scopes_disabled():
        for code in ("M.02", "M.03"):
            PositionStandardItem.objects.create(
                region=region, standard=target, competency=national(code), required_level=3
            )
    with django_assert_num_queries(expected):
        client.get(url("standard_detail", target.pk))


def _needs_and_programs(employee, region, count):
    codes = ["M.01", "M.02", "M.03"][:count]
    items = [(national(code), 4) for code in codes]
    with scopes_disabled():
        PositionStandardItem.objects.filter(region=region).delete()
        PositionStandard.objects.filter(region=region).delete()
    standard(region, items=items)
    with scopes_disabled():
        EmployeeCompetency.objects.filter(employee=employee).delete()
        Program.objects.filter(region=region).update(status=Program.Status.ARCHIVED)
    for competency, _level in items:
        assess(employee, competency, 1)
        program_for(region, competency)


def test_my_competencies_query_count(employee, region, login, django_assert_num_queries):
    client = login(employee)
    _needs_and_programs(employee, region, 1)
    expected = count_queries(client, url("my_competencies"))
    assert len(client.get(url("my_competencies")).context["recommendations"]) == 1
    _needs_and_programs(employee, region, 3)
    with django_assert_num_queries(expected):
        response = client.get(url("my_competencies"))
    assert len(response.context["recommendations"]) == 3
    assert len(response.context["profile"].rows) == 3


def test_team_member_page_query_count(
    supervisor, employee, region, login, django_assert_num_queries
):
    client = login(supervisor)
    _needs_and_programs(employee, region, 1)
    expected = count_queries(client, url("team_member_competencies", employee.pk))
    _needs_and_programs(employee, region, 3)
    with django_assert_num_queries(expected):
        client.get(url("team_member_competencies", employee.pk))


def test_employee_competencies_page_query_count(
    admin, employee, region, login, django_assert_num_queries
):
    client = login(admin)
    _needs_and_programs(employee, region, 1)
    expected = count_queries(client, url("employee_competencies", employee.pk))
    _needs_and_programs(employee, region, 3)
    with django_assert_num_queries(expected):
        client.get(url("employee_competencies", employee.pk))


def test_assessment_overview_query_count(admin, region, unit, login, django_assert_num_queries):
    client = login(admin)
    first = EmployeeFactory(region=region, unit=unit)
    assess(first, national("M.01"), 2)
    expected = count_queries(client, url("assessment_overview"))
    for _ in range(2):
        other = EmployeeFactory(region=region, unit=unit)
        assess(other, national("M.02"), 3)
    with django_assert_num_queries(expected):
        response = client.get(url("assessment_overview"))
    by_name = {e.name: e for e in response.context["page"].object_list}
    assert by_name[first.name].assessed_count == 1


def test_every_admin_page_renders(admin, employee, region, login):
    from tests.factories.training import ProviderFactory, SpeakerFactory

    competency = technical(region, "T.ARSIP")
    target = standard(region, items=[(competency, 2)])
    provider = ProviderFactory(region=region)
    speaker = SpeakerFactory(region=region, provider=provider)
    client = login(admin)
    pages = [
        url("competency_list"),
        url("competency_create"),
        url("competency_detail", competency.pk),
        url("competency_edit", competency.pk),
        url("competency_toggle", competency.pk),
        url("standard_list"),
        url("standard_create"),
        url("standard_detail", target.pk),
        url("standard_edit", target.pk),
        url("standard_delete", target.pk),
        url("assessment_overview"),
        url("assessment_import"),
        url("employee_competencies", employee.pk),
        url("my_competencies"),
        url("provider_list"),
        url("provider_create"),
        url("provider_detail", provider.pk),
        url("provider_edit", provider.pk),
        url("provider_toggle", provider.pk),
        url("speaker_list"),
        url("speaker_create") + f"?provider={provider.pk}",
        url("speaker_edit", speaker.pk),
        url("speaker_toggle", speaker.pk),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"Kompetensi dan mitra" in response.content, path  # admin menu entries


def test_delete_competency_page(admin, employee, region, login):
    unused = technical(region, "T.BARU")
    used = technical(region, "T.PAKAI")
    assess(employee, used, 2)
    client = login(admin)
    assert client.get(url("competency_delete", unused.pk)).status_code == 200
    assert client.post(url("competency_delete", unused.pk)).url == url("competency_list")
    response = client.post(url("competency_delete", used.pk), follow=True)
    assert any("tidak dapat dihapus" in m for m in messages_of(response))
    with scopes_disabled():
        assert list(Competency.objects.filter(region=region).values_list("code", flat=True)) == [
            "T.PAKAI"
        ]
