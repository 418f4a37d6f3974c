"""Integration: individual development plans — draft → submitted → approved / returned,
read-only after approval, only the direct supervisor decides — services and pages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from regions.models import Employee, Notification
from tests.factories.regions import EmployeeFactory, RegionFactory
from tests.factories.training import (
    CompetencyFactory,
    DevelopmentPlanFactory,
    DevelopmentPlanItemFactory,
    ProgramFactory,
    development_form,
)
from training.models import Competency, DevelopmentPlan, DevelopmentPlanItem, Program
from training.notifications import Kind
from training.selectors.plans import plan_history, plan_summary
from training.services import plans as services

pytestmark = pytest.mark.django_db
S = DevelopmentPlan.Status
YEAR = timezone.localdate().year


def url(name, region, **kwargs):
    return reverse(f"training:{name}", kwargs={"region_slug": region.slug, **kwargs})


def new_plan(employee, items=1, jp=8):
    plan = services.plan_create(employee=employee, user=employee.user, year=YEAR)
    for n in range(items):
        add_item(plan, employee, description=f"Pelatihan {n}", planned_jp=jp)
    return plan


def add_item(plan, employee, **kwargs):
    kwargs.setdefault("description", "Pelatihan analisis kebijakan")
    kwargs.setdefault("planned_jp", 8)
    return services.plan_item_add(plan=plan, employee=employee, user=employee.user, **kwargs)


def actions(plan):
    return [event.action for event in plan_history(plan=plan)]


# --- Draft -------------------------------------------------------------------------------------


def test_create_a_draft_for_this_or_next_year_only(in_region, employee):
    plan = services.plan_create(employee=employee, user=employee.user, year=YEAR)
    assert plan.status == S.DRAFT and actions(plan) == ["created"]
    services.plan_create(employee=employee, user=employee.user, year=YEAR + 1)
    with pytest.raises(ValidationError, match="sudah ada"):
        services.plan_create(employee=employee, user=employee.user, year=YEAR)
    with pytest.raises(ValidationError, match="hanya dapat dibuat"):
        services.plan_create(employee=employee, user=employee.user, year=YEAR - 1)


def test_items_take_a_competency_programme_form_jp_and_month(in_region, region, employee):
    plan = new_plan(employee, items=0)
    national = Competency.objects.get(code="M.03", region__isnull=True)
    program = ProgramFactory(region=region)
    item = add_item(
        plan,
        employee,
        competency=national,
        program=program,
        planned_jp=24,
        planned_month=7,
        description="  Komunikasi efektif  ",
    )
    assert (item.competency, item.program, item.planned_jp, item.planned_month) == (
        national,
        program,
        24,
        7,
    )
    assert item.description == "Komunikasi efektif"
    assert item.form == program.form  # taken from the programme when not given
    services.plan_item_update(
        item=item,
        employee=employee,
        user=employee.user,
        description="Komunikasi publik",
        planned_jp=16,
        form=development_form(4),
    )
    item.refresh_from_db()
    assert (item.description, item.planned_jp, item.form_id, item.program) == (
        "Komunikasi publik",
        16,
        4,
        None,
    )
    services.plan_item_delete(item=item, employee=employee, user=employee.user)
    assert not plan.items.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"description": ""}, "description"),
        ({"planned_jp": 0}, "planned_jp"),
        ({"planned_jp": None}, "planned_jp"),
        ({"planned_month": 13}, "planned_month"),
    ],
)
def test_bad_items_are_refused(in_region, employee, kwargs, field):
    plan = new_plan(employee, items=0)
    with pytest.raises(ValidationError) as exc:
        add_item(plan, employee, **kwargs)
    assert field in exc.value.message_dict
    assert not plan.items.exists()


def test_unpublished_programmes_and_other_regions_competencies_are_refused(
    in_region, region, other_region, employee
):
    plan = new_plan(employee, items=0)
    draft = ProgramFactory(region=region, status=Program.Status.DRAFT)
    with pytest.raises(ValidationError) as exc:
        add_item(plan, employee, program=draft)
    assert "program" in exc.value.message_dict
    foreign = CompetencyFactory(region=other_region)
    with pytest.raises(ValidationError) as exc:
        add_item(plan, employee, competency=foreign)
    assert "competency" in exc.value.message_dict


def test_only_the_owner_changes_a_plan(in_region, employee, supervisor):
    plan = new_plan(employee)
    with pytest.raises(ValidationError, match="bukan milik Anda"):
        add_item(plan, supervisor)


# --- Submit and decide -------------------------------------------------------------------------


def test_submit_needs_an_item_and_a_supervisor(in_region, region, unit, employee):
    plan = new_plan(employee, items=0)
    with pytest.raises(ValidationError, match="paling sedikit satu butir"):
        services.plan_submit(plan=plan, employee=employee, user=employee.user)
    loner = EmployeeFactory(region=region, unit=unit)
    lonely_plan = new_plan(loner)
    with pytest.raises(ValidationError, match="Atasan langsung Anda belum tercatat"):
        services.plan_submit(plan=lonely_plan, employee=loner, user=loner.user)
    lonely_plan.refresh_from_db()
    assert lonely_plan.status == S.DRAFT


def test_submit_notifies_the_supervisor_and_freezes_the_plan(in_region, employee, supervisor):
    plan = new_plan(employee)
    services.plan_submit(plan=plan, employee=employee, user=employee.user, notes="Prioritas: data")
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED and plan.submitted_at and plan.notes == "Prioritas: data"
    assert actions(plan) == ["created", "submitted"]
    note = Notification.objects.get(kind=Kind.PLAN_SUBMITTED)
    assert note.recipient == supervisor and note.subject_id == plan.pk
    with pytest.raises(ValidationError, match="menunggu keputusan"):
        add_item(plan, employee)
    with pytest.raises(ValidationError):
        services.plan_submit(plan=plan, employee=employee, user=employee.user)


def test_direct_supervisor_approves_and_the_plan_becomes_read_only(in_region, employee, supervisor):
    plan = new_plan(employee)
    services.plan_submit(plan=plan, employee=employee, user=employee.user)
    services.plan_approve(plan=plan, supervisor=supervisor, user=supervisor.user, notes="Bagus.")
    plan.refresh_from_db()
    assert plan.status == S.APPROVED and plan.decided_by == supervisor.user
    assert actions(plan) == ["created", "submitted", "approved"]
    assert Notification.objects.get(kind=Kind.PLAN_APPROVED).recipient == employee
    item = plan.items.get()
    for change in (
        lambda: add_item(plan, employee),
        lambda: services.plan_item_update(
            item=item, employee=employee, user=employee.user, description="X", planned_jp=1
        ),
        lambda: services.plan_item_delete(item=item, employee=employee, user=employee.user),
        lambda: services.plan_submit(plan=plan, employee=employee, user=employee.user),
        lambda: services.plan_return(
            plan=plan, supervisor=supervisor, user=supervisor.user, notes="x"
        ),
    ):
        with pytest.raises(ValidationError):
            change()
    assert plan.items.get().planned_jp == 8


def test_return_needs_notes_then_the_asn_revises_and_resubmits(in_region, employee, supervisor):
    plan = new_plan(employee)
    services.plan_submit(plan=plan, employee=employee, user=employee.user)
    with pytest.raises(ValidationError) as exc:
        services.plan_return(plan=plan, supervisor=supervisor, user=supervisor.user, notes=" ")
    assert "supervisor_notes" in exc.value.message_dict
    services.plan_return(
        plan=plan, supervisor=supervisor, user=supervisor.user, notes="Tambah kompetensi teknis."
    )
    plan.refresh_from_db()
    assert plan.status == S.RETURNED and plan.supervisor_notes == "Tambah kompetensi teknis."
    assert Notification.objects.get(kind=Kind.PLAN_RETURNED).recipient == employee
    add_item(plan, employee, description="Bimtek arsip digital")
    services.plan_submit(plan=plan, employee=employee, user=employee.user)
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED
    assert actions(plan) == ["created", "submitted", "returned", "resubmitted"]
    assert Notification.objects.filter(kind=Kind.PLAN_SUBMITTED).count() == 2
    history = plan_history(plan=plan)
    assert history[2].reason == "Tambah kompetensi teknis." and history[2].actor == supervisor.user


def test_only_the_direct_supervisor_decides(in_region, region, unit, employee, supervisor, admin):
    plan = new_plan(employee)
    services.plan_submit(plan=plan, employee=employee, user=employee.user)
    boss_of_boss = EmployeeFactory(region=region, unit=unit)
    Employee.objects.filter(pk=supervisor.pk).update(supervisor=boss_of_boss)
    for someone in (boss_of_boss, admin, employee):
        with pytest.raises(ValidationError, match="Hanya atasan langsung"):
            services.plan_approve(plan=plan, supervisor=someone, user=someone.user)
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED


def test_pppk_plan_above_the_cap_warns(in_region, region, unit, supervisor):
    pppk = EmployeeFactory(
        region=region,
        unit=unit,
        supervisor=supervisor,
        employment_type=Employee.EmploymentType.PPPK,
    )
    plan = new_plan(pppk, items=2, jp=12)
    plan = DevelopmentPlan.objects.select_related("employee").get(pk=plan.pk)
    assert not plan_summary(plan=plan, region=region).over_pppk_cap  # 24 is allowed
    add_item(plan, pppk, planned_jp=1)
    summary = plan_summary(plan=plan, region=region)
    assert summary.total_jp == 25 and summary.over_pppk_cap and not summary.below_target


def test_pns_plan_below_target_is_flagged_but_never_capped(in_region, region, employee):
    plan = new_plan(employee, items=1, jp=8)
    summary = plan_summary(
        plan=DevelopmentPlan.objects.select_related("employee").get(pk=plan.pk), region=region
    )
    assert summary.below_target and not summary.over_pppk_cap


# --- Pages -------------------------------------------------------------------------------------


def test_asn_creates_fills_and_submits_a_plan_through_the_pages(
    login, region, employee, supervisor
):
    client = login(employee)
    page = client.get(url("plan_mine", region))
    assert page.status_code == 200 and page.context["can_create"]
    assert client.post(url("plan_mine", region), {"year": YEAR}).status_code == 302
    with scope(region=region):
        plan = DevelopmentPlan.objects.get(employee=employee)
        competency = Competency.objects.get(code="M.01", region__isnull=True)
    form_page = client.get(url("plan_item_create", region, plan_id=plan.pk))
    assert form_page.status_code == 200 and "M.01 Integritas" in form_page.content.decode()
    response = client.post(
        url("plan_item_create", region, plan_id=plan.pk),
        {
            "competency": competency.pk,
            "description": "Pelatihan integritas",
            "planned_jp": "12",
            "planned_month": "4",
            "form": "3",
        },
    )
    assert response.status_code == 302
    html = client.get(url("plan_mine", region)).content.decode()
    assert "Pelatihan integritas" in html and "April" in html
    assert (
        client.post(
            url("plan_submit", region, plan_id=plan.pk), {"notes": "Mohon arahan"}
        ).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED
    html = client.get(url("plan_mine", region)).content.decode()
    assert "menunggu keputusan atasan" in html
    assert url("plan_item_create", region, plan_id=plan.pk) not in html


def test_bad_item_input_shows_a_message(login, region, employee):
    with scope(region=region):
        plan = new_plan(employee, items=0)
    response = login(employee).post(
        url("plan_item_create", region, plan_id=plan.pk), {"description": "", "planned_jp": "0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    with scopes_disabled():
        assert not DevelopmentPlanItem.objects.exists()


def test_the_competency_picker_offers_region_and_national_competencies_only(
    login, region, other_region, employee
):
    CompetencyFactory(region=region, name="Pengelolaan Arsip Digital Semarang")
    CompetencyFactory(region=other_region, name="Kompetensi Rahasia Binjai")
    with scope(region=region):
        plan = new_plan(employee, items=0)
    html = login(employee).get(url("plan_item_create", region, plan_id=plan.pk)).content.decode()
    assert "Pengelolaan Arsip Digital Semarang" in html and "Integritas" in html
    assert "Rahasia Binjai" not in html


def test_approved_plan_pages_are_read_only(login, region, employee, supervisor):
    with scope(region=region):
        plan = new_plan(employee)
        services.plan_submit(plan=plan, employee=employee, user=employee.user)
        services.plan_approve(plan=plan, supervisor=supervisor, user=supervisor.user)
        item = plan.items.get()
    client = login(employee)
    html = client.get(url("plan_mine", region)).content.decode()
    assert "sudah disetujui" in html
    assert url("plan_item_edit", region, plan_id=plan.pk, item_id=item.pk) not in html
    response = client.post(
        url("plan_item_edit", region, plan_id=plan.pk, item_id=item.pk),
        {"description": "X", "planned_jp": "99"},
    )
    assert response.status_code == 302
    response = client.post(
        url("plan_item_delete", region, plan_id=plan.pk, item_id=item.pk), follow=True
    )
    assert "tidak dapat diubah" in response.content.decode()
    item.refresh_from_db()
    assert item.planned_jp == 8


def test_supervisor_decides_from_the_team_pages(login, region, employee, supervisor):
    with scope(region=region):
        plan = new_plan(employee)
        services.plan_submit(plan=plan, employee=employee, user=employee.user)
    client = login(supervisor)
    listing = client.get(url("team_plan_list", region))
    assert [p.pk for p in listing.context["page"].object_list] == [plan.pk]
    detail = client.get(url("team_plan_decide", region, plan_id=plan.pk))
    assert detail.status_code == 200 and "Setujui rencana" in detail.content.decode()
    response = client.post(
        url("team_plan_decide", region, plan_id=plan.pk),
        {"decision": "return", "supervisor_notes": ""},
    )
    assert response.status_code == 200
    assert "Tuliskan catatan perbaikan" in response.content.decode()
    response = client.post(
        url("team_plan_decide", region, plan_id=plan.pk),
        {"decision": "approve", "supervisor_notes": "Setuju"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == S.APPROVED
    assert list(client.get(url("team_plan_list", region)).context["page"].object_list) == []


def test_someone_else_cannot_open_the_decision_page(
    login, region, unit, employee, supervisor, admin
):
    with scope(region=region):
        plan = new_plan(employee)
        services.plan_submit(plan=plan, employee=employee, user=employee.user)
    other_boss = EmployeeFactory(region=region, unit=unit)
    EmployeeFactory(region=region, unit=unit, supervisor=other_boss)
    for person in (other_boss, admin, employee):
        client = login(person)
        assert client.get(url("team_plan_decide", region, plan_id=plan.pk)).status_code == 404
        assert (
            client.post(
                url("team_plan_decide", region, plan_id=plan.pk), {"decision": "approve"}
            ).status_code
            == 404
        )
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED


def test_the_asn_plan_pages_hide_other_peoples_plans(login, region, employee, supervisor):
    with scope(region=region):
        plan = new_plan(employee)
        item = plan.items.get()
    client = login(supervisor)
    assert client.get(url("plan_item_create", region, plan_id=plan.pk)).status_code == 404
    assert (
        client.get(url("plan_item_edit", region, plan_id=plan.pk, item_id=item.pk)).status_code
        == 404
    )
    assert (
        client.post(url("plan_item_delete", region, plan_id=plan.pk, item_id=item.pk)).status_code
        == 404
    )
    assert client.post(url("plan_submit", region, plan_id=plan.pk)).status_code == 404


def test_admin_reads_a_plan_with_its_history(login, region, employee, supervisor, admin):
    with scope(region=region):
        plan = new_plan(employee)
        services.plan_submit(plan=plan, employee=employee, user=employee.user)
        services.plan_return(
            plan=plan, supervisor=supervisor, user=supervisor.user, notes="Perjelas bulan."
        )
    client = login(admin)
    listing = client.get(url("plan_admin_list", region) + "?status=returned")
    assert [p.pk for p in listing.context["page"].object_list] == [plan.pk]
    html = client.get(url("plan_admin_detail", region, plan_id=plan.pk)).content.decode()
    for text in (
        "Rencana dibuat",
        "Diajukan kepada atasan",
        "Dikembalikan untuk diperbaiki",
        "Perjelas bulan.",
    ):
        assert text in html
    assert login(employee).get(url("plan_admin_detail", region, plan_id=plan.pk)).status_code == 403


def test_pppk_warning_shows_on_the_plan_page(login, region, unit, supervisor):
    pppk = EmployeeFactory(
        region=region,
        unit=unit,
        supervisor=supervisor,
        employment_type=Employee.EmploymentType.PPPK,
    )
    with scope(region=region):
        new_plan(pppk, items=2, jp=16)
    html = login(pppk).get(url("plan_mine", region)).content.decode()
    assert "di atas batas 24 JP" in html


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_team_plan_list_query_count_does_not_grow(login, region, unit, supervisor, employee):
    DevelopmentPlanItemFactory(
        plan=DevelopmentPlanFactory(region=region, employee=employee, status=S.SUBMITTED)
    )
    client = login(supervisor)
    one = _count(client, url("team_plan_list", region))
    for _ in range(2):
        member = EmployeeFactory(region=region, unit=unit, supervisor=supervisor)
        DevelopmentPlanItemFactory(
            plan=DevelopmentPlanFactory(region=region, employee=member, status=S.SUBMITTED)
        )
    assert len(client.get(url("team_plan_list", region)).context["page"].object_list) == 3
    assert _count(client, url("team_plan_list", region)) == one


def test_admin_plan_list_query_count_does_not_grow(login, region, unit, admin):
    DevelopmentPlanItemFactory(
        plan=DevelopmentPlanFactory(
            region=region, employee=EmployeeFactory(region=region, unit=unit)
        )
    )
    client = login(admin)
    one = _count(client, url("plan_admin_list", region))
    for _ in range(2):
        DevelopmentPlanItemFactory(
            plan=DevelopmentPlanFactory(
                region=region, employee=EmployeeFactory(region=region, unit=unit)
            )
        )
    assert _count(client, url("plan_admin_list", region)) == one


def test_plan_page_query_count_does_not_grow_with_items(login, region, employee):
    with scope(region=region):
        plan = new_plan(employee, items=1)
    client = login(employee)
    one = _count(client, url("plan_mine", region))
    with scope(region=region):
        for _ in range(2):
            add_item(
                plan,
                employee,
                competency=Competency.objects.filter(region__isnull=True).first(),
                program=ProgramFactory(region=region),
            )
    assert _count(client, url("plan_mine", region)) == one


def test_plans_of_another_region_do_not_show_in_lists(login, region, admin):
    binjai = RegionFactory(slug="binjai")
    DevelopmentPlanFactory(
        region=binjai, employee=EmployeeFactory(region=binjai, name="Rahasia Binjai")
    )
    html = login(admin).get(url("plan_admin_list", region)).content.decode()
    assert "Rahasia Binjai" not in html
