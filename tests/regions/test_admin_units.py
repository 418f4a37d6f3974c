"""Integration: the BKPSDM admin pages for units (list, create, edit, deactivate) and their rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from regions.models import Unit
from tests.factories.regions import EmployeeFactory, UnitFactory

pytestmark = pytest.mark.django_db


def url(name, region, **kwargs):
    return reverse(f"region:{name}", kwargs={"region_slug": region.slug, **kwargs})


def reload(obj):
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


# --- List --------------------------------------------------------------------------------------


def test_list_shows_units_of_the_region_with_parent_and_head_count(
    admin, region, unit, employee, other_unit, login
):
    UnitFactory(region=region, code="SUB", name="Subbagian Umum", parent=unit)
    response = login(admin).get(url("unit_list", region))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Subbagian Umum" in body and unit.name in body
    assert "BKPSDM Binjai" not in body  # region B's unit
    rows = {u.code: u for u in response.context["page"].object_list}
    assert rows["SUB"].parent == unit
    # admin, supervisor and employee work in BKPP
    assert rows["BKPP"].employee_count == 3


def test_list_searches_name_and_code_and_filters_status(admin, region, unit, login):
    UnitFactory(region=region, code="DISDIK", name="Dinas Pendidikan")
    UnitFactory(region=region, code="LAMA", name="Dinas Lama", is_active=False)
    client = login(admin)

    def codes(**params):
        response = client.get(url("unit_list", region), params)
        return {u.code for u in response.context["page"].object_list}

    assert codes(q="pendidikan") == {"DISDIK"}
    assert codes(q="disdik") == {"DISDIK"}
    assert codes() == {"BKPP", "DISDIK"}
    assert codes(status="inactive") == {"LAMA"}
    assert codes(status="all") == {"BKPP", "DISDIK", "LAMA"}


def test_list_is_paginated(admin, region, unit, login):
    for n in range(30):
        UnitFactory(region=region, code=f"P{n:02d}", name=f"Puskesmas {n:02d}")
    client = login(admin)
    first = client.get(url("unit_list", region))
    assert len(first.context["page"].object_list) == 25
    second = client.get(url("unit_list", region), {"page": 2})
    assert len(second.context["page"].object_list) == 6  # 30 + BKPP


def test_list_query_count_does_not_grow_with_rows(
    admin, region, unit, login, django_assert_num_queries
):
    client = login(admin)
    parent = UnitFactory(region=region, code="INDUK", name="Induk")

    def add_unit(n):
        unit_n = UnitFactory(region=region, code=f"X{n}", name=f"Unit {n}", parent=parent)
        EmployeeFactory(region=region, unit=unit_n)

    add_unit(0)
    client.get(url("unit_list", region))  # warm up the session
    with CaptureQueriesContext(connection) as one_row:
        client.get(url("unit_list", region))
    add_unit(1)
    add_unit(2)
    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(url("unit_list", region))
    assert len(response.context["page"].object_list) == 5  # BKPP, INDUK, X0-X2


def test_non_admin_gets_403(employee, region, login):
    assert login(employee).get(url("unit_list", region)).status_code == 403
    assert login(employee).post(url("unit_create", region), {}).status_code == 403


# --- Create and edit ---------------------------------------------------------------------------


def test_create_unit(admin, region, unit, login):
    response = login(admin).post(
        url("unit_create", region),
        {"code": "DISKOMINFO", "name": "Dinas Kominfo", "kind": "dinas", "parent": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("unit_list", region)
    assert "Unit Dinas Kominfo berhasil ditambahkan." in response.content.decode()
    with scope(region=region):
        created = Unit.objects.get(region=region, code="DISKOMINFO")
    assert created.parent is None and created.is_active


def test_create_rejects_duplicate_code_in_region(admin, region, unit, other_unit, login):
    response = login(admin).post(
        url("unit_create", region), {"code": "bkpp", "name": "Lain", "kind": "dinas"}
    )
    assert response.status_code == 200
    assert "Kode unit bkpp sudah dipakai." in response.context["form"].errors["code"]


def test_same_code_is_allowed_in_another_region(other_admin, other_region, other_unit, unit, login):
    """BKPP exists in both regions; creating another code in B is independent of A."""
    response = login(other_admin).post(
        url("unit_create", other_region), {"code": "DISDIK", "name": "Disdik", "kind": "dinas"}
    )
    assert response.status_code == 302


def test_parent_from_another_region_is_not_a_valid_choice(admin, region, unit, other_unit, login):
    response = login(admin).post(
        url("unit_create", region),
        {"code": "X", "name": "X", "kind": "dinas", "parent": other_unit.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    with scope(region=region):
        assert not Unit.objects.filter(code="X").exists()


def test_edit_unit_and_move_under_parent(admin, region, unit, login):
    child = UnitFactory(region=region, code="BID", name="Bidang")
    response = login(admin).post(
        url("unit_edit", region, pk=child.pk),
        {"code": "BID-1", "name": "Bidang Pengembangan", "kind": "bagian", "parent": unit.pk},
    )
    assert response.status_code == 302
    child = reload(child)
    assert (child.code, child.name, child.kind, child.parent_id) == (
        "BID-1",
        "Bidang Pengembangan",
        "bagian",
        unit.pk,
    )


def test_edit_rejects_a_parent_loop(admin, region, unit, login):
    child = UnitFactory(region=region, code="BID", name="Bidang", parent=unit)
    grandchild = UnitFactory(region=region, code="SUB", name="Subbidang", parent=child)
    response = login(admin).post(
        url("unit_edit", region, pk=unit.pk),
        {"code": "BKPP", "name": unit.name, "kind": "badan", "parent": grandchild.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == [
        "Unit induk tidak boleh unit ini sendiri atau salah satu bawahannya."
    ]
    assert reload(unit).parent_id is None


def test_edit_page_of_unit_shows_its_data(admin, region, unit, login):
    response = login(admin).get(url("unit_edit", region, pk=unit.pk))
    assert response.status_code == 200
    assert response.context["form"].initial["code"] == "BKPP"
    # a unit cannot be its own parent: not among the choices
    assert unit not in response.context["form"].fields["parent"].queryset


# --- Deactivate / reactivate -------------------------------------------------------------------


def test_toggle_get_asks_for_confirmation_and_changes_nothing(admin, region, login):
    empty = UnitFactory(region=region, code="KOSONG", name="Unit Kosong")
    response = login(admin).get(url("unit_toggle", region, pk=empty.pk))
    assert response.status_code == 200
    assert "Nonaktifkan unit ini?" in response.content.decode()
    assert reload(empty).is_active


def test_deactivate_and_reactivate_empty_unit(admin, region, login):
    empty = UnitFactory(region=region, code="KOSONG", name="Unit Kosong")
    client = login(admin)
    response = client.post(url("unit_toggle", region, pk=empty.pk), {"active": "0"}, follow=True)
    assert "Unit Unit Kosong dinonaktifkan." in response.content.decode()
    assert not reload(empty).is_active
    # a repeated submit keeps the requested state instead of flipping it back
    client.post(url("unit_toggle", region, pk=empty.pk), {"active": "0"})
    assert not reload(empty).is_active
    client.post(url("unit_toggle", region, pk=empty.pk), {"active": "1"})
    assert reload(empty).is_active


def test_deactivation_refused_while_active_employees_remain(admin, region, unit, login):
    response = login(admin).post(
        url("unit_toggle", region, pk=unit.pk), {"active": "0"}, follow=True
    )
    assert "masih memiliki pegawai aktif" in response.content.decode()
    assert reload(unit).is_active


def test_deactivation_refused_while_active_sub_units_remain(admin, region, unit, login):
    parent = UnitFactory(region=region, code="INDUK", name="Induk")
    UnitFactory(region=region, code="ANAK", name="Anak", parent=parent)
    response = login(admin).post(
        url("unit_toggle", region, pk=parent.pk), {"active": "0"}, follow=True
    )
    assert "masih memiliki sub-unit aktif" in response.content.decode()
    assert reload(parent).is_active


def test_toggle_without_requested_state_is_a_bad_request(admin, region, login):
    empty = UnitFactory(region=region, code="KOSONG", name="Unit Kosong")
    assert login(admin).post(url("unit_toggle", region, pk=empty.pk), {}).status_code == 400
    assert reload(empty).is_active


def test_toggle_redirects_back_to_the_filtered_list_but_not_elsewhere(admin, region, login):
    empty = UnitFactory(region=region, code="KOSONG", name="Unit Kosong")
    client = login(admin)
    back = url("unit_list", region) + "?q=kosong"
    response = client.post(url("unit_toggle", region, pk=empty.pk), {"active": "0", "next": back})
    assert response.url == back
    response = client.post(
        url("unit_toggle", region, pk=empty.pk), {"active": "1", "next": "https://evil.example/"}
    )
    assert response.url == url("unit_list", region)


def test_inactive_unit_is_not_offered_for_employees(admin, region, unit, login):
    UnitFactory(region=region, code="LAMA", name="Dinas Lama", is_active=False)
    form = login(admin).get(url("employee_create", region)).context["form"]
    assert [u.code for u in form.fields["unit"].queryset] == ["BKPP"]
