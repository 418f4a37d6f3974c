"""Integration: the BKPSDM admin pages for employees and the employee rules behind them."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from regions import nip as nip_rules
from regions.models import Employee, Golongan, Membership
from tests.factories.regions import EmployeeFactory, UnitFactory, next_nip

pytestmark = pytest.mark.django_db


def url(name, region, **kwargs):
    return reverse(f"region:{name}", kwargs={"region_slug": region.slug, **kwargs})


def reload(employee):
    with scopes_disabled():
        return Employee.objects.select_related("user").get(pk=employee.pk)


def form_data(unit, **overrides):
    """POST data of the employee form for a valid new PNS."""
    data = {
        "nip": nip_rules.build_nip(
            birth_date=dt.date(1985, 3, 14), appointment_year=2010, appointment_month=4, sequence=7
        ),
        "name": "Rina Marlina, S.Kom.",
        "email": "rina@example.go.id",
        "phone": "081234567890",
        "employment_type": "pns",
        "golongan": str(Golongan.III_B),
        "pppk_grade": "",
        "position": "Pranata Komputer",
        "position_type": "fungsional_keahlian",
        "functional_level": "ahli_pertama",
        "unit": unit.pk,
        "supervisor": "",
    }
    data.update(overrides)
    return data


def edit_data(employee, **overrides):
    data = {
        "nip": employee.nip,
        "name": employee.name,
        "email": employee.email,
        "phone": employee.phone,
        "employment_type": employee.employment_type,
        "golongan": employee.golongan or "",
        "pppk_grade": employee.pppk_grade or "",
        "position": employee.position,
        "position_type": employee.position_type,
        "functional_level": employee.functional_level,
        "unit": employee.unit_id,
        "supervisor": reload(employee).supervisor.nip if employee.supervisor_id else "",
    }
    data.update(overrides)
    return data


# --- List --------------------------------------------------------------------------------------


def test_list_shows_only_this_regions_active_employees(
    admin, region, employee, other_employee, login
):
    response = login(admin).get(url("employee_list", region))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Siti Aminah" in body and "Kepala Bidang" in body
    assert "Budi Binjai" not in body


def test_list_search_by_name_nip_prefix_and_position(admin, region, employee, supervisor, login):
    client = login(admin)

    def names(**params):
        response = client.get(url("employee_list", region), params)
        return {e.name for e in response.context["page"].object_list}

    assert names(q="siti") == {"Siti Aminah"}
    assert names(q=employee.nip[:10]) >= {"Siti Aminah"}
    spaced = f"{employee.nip[:8]} {employee.nip[8:14]}"  # typed as printed on documents
    assert "Siti Aminah" in names(q=spaced)
    assert names(q="kepala bid") == {"Kepala Bidang"}
    assert names(q="tidak ada orang ini") == set()


def test_list_filters_by_unit_type_and_inactive(admin, region, unit, employee, login):
    other = UnitFactory(region=region, code="DISDIK", name="Dinas Pendidikan")
    pppk = EmployeeFactory(region=region, unit=other, employment_type="pppk", nip=next_nip("pppk"))
    gone = EmployeeFactory(region=region, unit=other, name="Sudah Pensiun", is_active=False)
    client = login(admin)

    def ids(**params):
        response = client.get(url("employee_list", region), params)
        return {e.pk for e in response.context["page"].object_list}

    assert ids(unit=other.pk) == {pppk.pk}
    assert ids(unit=other.pk, inactive="1") == {pppk.pk, gone.pk}
    assert ids(status="pppk") == {pppk.pk}
    assert employee.pk in ids(status="pns") and pppk.pk not in ids(status="pns")
    assert ids(unit="bukan-angka") == ids()  # a malformed filter is ignored, not a 500


def test_list_paginates_25_per_page(admin, region, unit, login):
    for n in range(30):
        EmployeeFactory(region=region, unit=unit, name=f"Pegawai {n:02d}")
    client = login(admin)
    assert len(client.get(url("employee_list", region)).context["page"].object_list) == 25
    # 30 + admin + nobody else (no supervisor/employee fixtures requested)
    page2 = client.get(url("employee_list", region), {"page": 2}).context["page"]
    assert len(page2.object_list) == 6


def test_list_query_count_does_not_grow_with_rows(
    admin, region, unit, login, django_assert_num_queries
):
    """Unit, supervisor and grade of every row come without extra queries."""
    boss = EmployeeFactory(region=region, unit=unit, name="Atasan")

    def add_row(n):
        unit_n = UnitFactory(region=region, code=f"U{n}", name=f"Unit {n}")
        EmployeeFactory(region=region, unit=unit_n, supervisor=boss, name=f"Orang {n}")

    client = login(admin)
    add_row(0)
    client.get(url("employee_list", region))  # warm up the session
    with CaptureQueriesContext(connection) as one_row:
        client.get(url("employee_list", region), {"q": "orang"})
    add_row(1)
    add_row(2)
    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(url("employee_list", region), {"q": "orang"})
    assert len(response.context["page"].object_list) == 3
    assert "Atasan" in response.content.decode()


def test_non_admin_gets_403(employee, region, login):
    client = login(employee)
    assert client.get(url("employee_list", region)).status_code == 403
    assert client.get(url("employee_edit", region, pk=employee.pk)).status_code == 403
    assert client.post(url("employee_toggle", region, pk=employee.pk), {}).status_code == 403


# --- Create ------------------------------------------------------------------------------------


def test_create_employee_with_login(admin, region, unit, supervisor, login):
    data = form_data(unit, supervisor=supervisor.nip)
    response = login(admin).post(url("employee_create", region), data, follow=True)
    assert response.redirect_chain[-1][0] == url("employee_list", region)
    assert "Pegawai Rina Marlina, S.Kom. berhasil ditambahkan." in response.content.decode()
    with scope(region=region):
        created = Employee.objects.select_related("user").get(nip=data["nip"])
    assert created.birth_date == dt.date(1985, 3, 14)  # read from the NIP
    assert created.gender == "L"
    assert created.supervisor == supervisor
    assert created.golongan == Golongan.III_B and created.pppk_grade is None
    assert created.user.username == data["nip"] and not created.user.has_usable_password()
    assert Membership.objects.filter(user=created.user, region=region, role="member").exists()


def test_create_accepts_nip_typed_with_spaces(admin, region, unit, login):
    nip = form_data(unit)["nip"]
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    response = login(admin).post(url("employee_create", region), form_data(unit, nip=spaced))
    assert response.status_code == 302
    with scope(region=region):
        assert Employee.objects.filter(nip=nip).exists()


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("12345", "NIP harus terdiri dari 18 angka tanpa spasi (diterima 5 karakter)."),
        ("198513142010041007", "digit 1–8 (19851314) bukan tanggal lahir yang benar"),
        ("198503142010131007", "digit 13–14 (13) bukan bulan TMT CPNS yang benar"),
        ("198503142010043007", "digit ke-15 harus 1 (laki-laki) atau 2 (perempuan)"),
    ],
)
def test_create_rejects_invalid_nip_with_a_clear_message(admin, region, unit, login, nip, message):
    response = login(admin).post(url("employee_create", region), form_data(unit, nip=nip))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["nip"])
    assert message in errors
    with scope(region=region):
        assert not Employee.objects.filter(name="Rina Marlina, S.Kom.").exists()


def test_create_rejects_nip_registered_in_another_region(
    admin, region, unit, other_employee, login
):
    response = login(admin).post(
        url("employee_create", region), form_data(unit, nip=other_employee.nip)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["nip"] == [
        f"NIP {other_employee.nip} sudah terdaftar sebagai pegawai."
    ]


def test_pns_needs_golongan(admin, region, unit, login):
    response = login(admin).post(url("employee_create", region), form_data(unit, golongan=""))
    assert response.context["form"].errors["golongan"] == [
        "PNS wajib memiliki pangkat/golongan ruang."
    ]


def test_pns_must_not_carry_a_pppk_grade(admin, region, unit, login):
    response = login(admin).post(url("employee_create", region), form_data(unit, pppk_grade="9"))
    assert "PNS tidak memiliki golongan PPPK" in response.context["form"].errors["pppk_grade"][0]


def test_pppk_must_not_have_golongan_ruang(admin, region, unit, login):
    nip = next_nip("pppk")
    data = form_data(unit, nip=nip, employment_type="pppk", pppk_grade="9")
    response = login(admin).post(url("employee_create", region), data)
    assert (
        "PPPK tidak memiliki golongan ruang PNS" in response.context["form"].errors["golongan"][0]
    )
    data["golongan"] = ""
    assert login(admin).post(url("employee_create", region), data).status_code == 302
    with scope(region=region):
        created = Employee.objects.get(nip=nip)
    assert (created.employment_type, created.golongan, created.pppk_grade) == ("pppk", None, 9)


def test_functional_position_needs_a_matching_level(admin, region, unit, login):
    data = form_data(unit, functional_level="terampil")  # keterampilan level for keahlian
    response = login(admin).post(url("employee_create", region), data)
    assert response.context["form"].errors["functional_level"] == [
        "Pilih jenjang fungsional keahlian (Ahli ...)."
    ]


def test_supervisor_from_another_region_is_rejected(admin, region, unit, other_employee, login):
    data = form_data(unit, supervisor=other_employee.nip)
    response = login(admin).post(url("employee_create", region), data)
    assert response.status_code == 200
    assert response.context["form"].errors["supervisor"] == [
        "Tidak ada pegawai aktif dengan NIP ini di wilayah ini."
    ]


def test_service_rejects_supervisor_from_another_region(region, unit, other_employee):
    """The rule holds in the service too, whatever the caller (import, API, task)."""
    from django.core.exceptions import ValidationError

    from regions import services

    with scope(region=region), pytest.raises(ValidationError) as caught:
        services.employee_create(region=region, supervisor=other_employee, **_service_data(unit))
    assert caught.value.message_dict["supervisor"] == [
        "Atasan langsung harus pegawai di wilayah yang sama."
    ]


def _service_data(unit):
    data = form_data(unit)
    data.pop("supervisor")
    data.update(unit=unit, golongan=Golongan.III_B, pppk_grade=None)
    return data


def test_email_already_used_by_another_login_is_rejected(admin, region, unit, employee, login):
    response = login(admin).post(
        url("employee_create", region), form_data(unit, email=employee.email)
    )
    assert response.context["form"].errors["email"] == [
        f"Email {employee.email} sudah dipakai akun lain."
    ]
    with scope(region=region):
        assert not Employee.objects.filter(name="Rina Marlina, S.Kom.").exists()


# --- Edit --------------------------------------------------------------------------------------


def test_edit_employee(admin, region, unit, employee, supervisor, login):
    other_unit_here = UnitFactory(region=region, code="DISDIK", name="Dinas Pendidikan")
    data = edit_data(
        employee,
        name="Siti Aminah, S.Pd.",
        position="Guru Ahli Muda",
        unit=other_unit_here.pk,
        golongan=str(Golongan.III_C),
        email="siti.baru@example.go.id",
    )
    response = login(admin).post(url("employee_edit", region, pk=employee.pk), data)
    assert response.status_code == 302
    employee = reload(employee)
    assert employee.name == "Siti Aminah, S.Pd."
    assert employee.unit_id == other_unit_here.pk and employee.golongan == Golongan.III_C
    assert employee.user.email == "siti.baru@example.go.id"  # login follows the employee


def test_edit_form_shows_current_supervisor_by_nip(admin, region, employee, supervisor, login):
    form = login(admin).get(url("employee_edit", region, pk=employee.pk)).context["form"]
    assert form.initial["supervisor"] == supervisor.nip
    assert employee not in form.fields["supervisor"].queryset


def test_employee_cannot_supervise_themselves(admin, region, employee, login):
    data = edit_data(employee, supervisor=employee.nip)
    response = login(admin).post(url("employee_edit", region, pk=employee.pk), data)
    assert response.status_code == 200
    assert "supervisor" in response.context["form"].errors
    assert reload(employee).supervisor_id != employee.pk


def test_supervision_loop_is_rejected(admin, region, employee, supervisor, login):
    """Siti reports to Kepala Bidang; Kepala Bidang may not then report to Siti."""
    data = edit_data(supervisor, supervisor=employee.nip)
    response = login(admin).post(url("employee_edit", region, pk=supervisor.pk), data)
    assert response.status_code == 200
    assert response.context["form"].errors["supervisor"] == [
        "Pegawai tidak boleh menjadi atasan dirinya sendiri, langsung atau melalui rantai atasan."
    ]
    assert reload(supervisor).supervisor_id is None


def test_edit_rejects_nip_of_another_employee(admin, region, employee, supervisor, login):
    data = edit_data(employee, nip=supervisor.nip)
    response = login(admin).post(url("employee_edit", region, pk=employee.pk), data)
    assert response.context["form"].errors["nip"] == [
        f"NIP {supervisor.nip} sudah terdaftar sebagai pegawai."
    ]
    assert reload(employee).nip != supervisor.nip


# --- Deactivate, reactivate, invite ------------------------------------------------------------


def test_deactivate_employee_frees_subordinates_and_blocks_login(
    admin, region, employee, supervisor, login
):
    client = login(admin)
    confirm = client.get(url("employee_toggle", region, pk=supervisor.pk))
    assert confirm.status_code == 200 and "Nonaktifkan pegawai ini?" in confirm.content.decode()
    response = client.post(
        url("employee_toggle", region, pk=supervisor.pk), {"active": "0"}, follow=True
    )
    assert "Pegawai Kepala Bidang dinonaktifkan." in response.content.decode()
    supervisor = reload(supervisor)
    assert not supervisor.is_active and not supervisor.user.is_active
    assert reload(employee).supervisor_id is None
    assert supervisor not in response.context["page"].object_list  # hidden by default

    client.post(url("employee_toggle", region, pk=supervisor.pk), {"active": "1"})
    supervisor = reload(supervisor)
    assert supervisor.is_active and supervisor.user.is_active


def test_reactivation_refused_while_unit_is_inactive(admin, region, login):
    closed = UnitFactory(region=region, code="TUTUP", name="Dinas Tutup")
    person = EmployeeFactory(region=region, unit=closed, is_active=False)
    with scope(region=region):
        closed.is_active = False
        closed.save()
    response = login(admin).post(
        url("employee_toggle", region, pk=person.pk), {"active": "1"}, follow=True
    )
    assert "Unit kerja Dinas Tutup tidak aktif" in response.content.decode()
    assert not reload(person).is_active


def test_invite_sends_password_link(admin, region, employee, login):
    client = login(admin)
    assert client.get(url("employee_invite", region, pk=employee.pk)).status_code == 405
    assert not mail.outbox
    response = client.post(url("employee_invite", region, pk=employee.pk), follow=True)
    assert f"telah dikirim ke {employee.email}" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [employee.email]


def test_invite_without_email_says_so(admin, region, unit, login):
    person = EmployeeFactory(region=region, unit=unit, email="", name="Tanpa Email")
    response = login(admin).post(url("employee_invite", region, pk=person.pk), follow=True)
    assert "Pegawai Tanpa Email belum memiliki email" in response.content.decode()
    assert not mail.outbox


def test_invite_reaches_an_employee_created_on_the_page(admin, region, unit, login):
    """A new login has no usable password yet: the invitation is how it gets one."""
    client = login(admin)
    data = form_data(unit)
    assert client.post(url("employee_create", region), data).status_code == 302
    with scope(region=region):
        created = Employee.objects.get(nip=data["nip"])
    client.post(url("employee_invite", region, pk=created.pk))
    assert [m.to for m in mail.outbox] == [["rina@example.go.id"]]
    assert "/akun/password/reset/key/" in mail.outbox[0].body
