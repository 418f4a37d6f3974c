"""Integration: the planning pages per role (planner, BKPSDM admin, head of region, plain
ASN), bad input on the pages, exports, the deadline job, and constant query counts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from planning.jobs import needs_deadline_reminders
from planning.models import Need, Plan, PlanItem, UnitSubmission
from planning.services import needs as need_services
from planning.services import plans as plan_services
from regions.models import Notification
from tests.factories.planning import NeedFactory, PlanItemFactory, link, make_planner
from tests.factories.regions import EmployeeFactory
from tests.factories.training import (
    EnrolmentFactory,
    OfferingFactory,
    assess,
    development_form,
    national,
    pdf_upload,
    standard,
)
from training.models import Offering


def url(name, region, **kwargs):
    return reverse(f"planning:{name}", kwargs={"region_slug": region.slug, **kwargs})


@pytest.fixture
def needs_round(region, admin, planner, planner2, next_year, deadline, today):
    with scope(region=region):
        return need_services.round_open(
            region=region, user=admin.user, year=next_year, deadline=deadline, today=today
        )


@pytest.fixture
def submission(region, needs_round, dinkes):
    with scopes_disabled():
        return UnitSubmission.objects.get(round=needs_round, unit=dinkes)


@pytest.fixture
def plan(region, admin, today):
    with scope(region=region):
        return plan_services.plan_create(region=region, user=admin.user, year=today.year)


def _approved_plan(plan, admin, head, competency, **item):
    with scope(region=plan.region):
        values = {
            "title": "Bimtek SIMRS", "competency": competency, "form": development_form(8),
            "jp": 24, "target_count": 10, "budget": 50000000,
        }  # fmt: skip
        values.update(item)
        created = plan_services.plan_item_save(plan=plan, user=admin.user, **values)
        plan_services.plan_submit(plan=plan, user=admin.user)
        plan_services.plan_decide(plan=plan, user=head.user, employee=head, decision="approve")
        return PlanItem.objects.select_related("plan").get(pk=created.pk)


# --- Planner -----------------------------------------------------------------------------------


def test_planner_accepts_a_suggestion_in_one_click_and_submits(
    region, submission, planner, dinkes, login
):
    m01 = national("M.01")
    standard(region, items=[(m01, 3)])
    assess(EmployeeFactory(region=region, unit=dinkes, name="Ani Gap"), m01, 1)
    client = login(planner)
    page = client.get(url("submission_detail", region, submission_id=submission.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Saran dari data portal" in body and "Ani Gap" in body
    response = client.post(
        url("suggestion_accept", region, submission_id=submission.pk), {"key": f"gap:{m01.pk}"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        need = Need.objects.get(submission=submission)
        assert need.source == Need.Source.GAP and need.competency == m01
        assert [e.name for e in need.target_employees.all()] == ["Ani Gap"]
    client.post(url("submission_submit", region, submission_id=submission.pk))
    with scopes_disabled():
        submission.refresh_from_db()
    assert submission.status == UnitSubmission.Status.SUBMITTED
    page = client.get(url("submission_detail", region, submission_id=submission.pk))
    assert "Usulan sudah diajukan" in page.content.decode()


def test_need_form_says_what_is_wrong_in_indonesian(region, submission, planner, login, competency):
    client = login(planner)
    response = client.post(
        url("need_create", region, submission_id=submission.pk),
        {"competency": competency.pk, "jp": "dua puluh", "target_count": "3",
         "priority": "2", "estimated_cost": "-100"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "Isi dengan angka." in body
    response = client.post(
        url("need_create", region, submission_id=submission.pk),
        {"competency": competency.pk, "jp": "20", "target_count": "3", "priority": "2",
         "estimated_cost": "seratus"},
    )  # fmt: skip
    assert "angka saja" in response.content.decode()
    with scopes_disabled():
        assert not Need.objects.filter(submission=submission).exists()


def test_a_planner_works_only_on_their_own_unit(region, needs_round, disdik, planner, login):
    with scopes_disabled():
        other = UnitSubmission.objects.get(round=needs_round, unit=disdik)
    client = login(planner)
    assert client.get(url("submission_detail", region, submission_id=other.pk)).status_code == 403
    assert client.post(url("submission_submit", region, submission_id=other.pk)).status_code == 403


def test_an_asn_without_a_role_sees_a_note_and_no_plan(region, employee, plan, login):
    client = login(employee)
    overview = client.get(url("overview", region))
    assert overview.status_code == 200
    assert "belum ditunjuk" in overview.content.decode()
    assert client.get(url("plan_detail", region, plan_id=plan.pk)).status_code == 403
    assert (
        client.post(
            url("plan_decide", region, plan_id=plan.pk), {"decision": "approve"}
        ).status_code
        == 403
    )


# --- Head of region ----------------------------------------------------------------------------


def test_head_of_region_approves_with_a_signed_decree_and_the_plan_becomes_read_only(
    region, plan, admin, head, competency, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with scope(region=region):
        item = plan_services.plan_item_save(
            plan=plan, user=admin.user, title="Coaching", competency=competency,
            form=development_form(14), jp=12, target_count=5, budget=0, funding="none",
        )  # fmt: skip
        plan_services.plan_submit(plan=plan, user=admin.user)
    # The admin cannot approve.
    assert (
        login(admin)
        .post(url("plan_decide", region, plan_id=plan.pk), {"decision": "approve"})
        .status_code
        == 403
    )
    client = login(head)
    page = client.get(url("plan_detail", region, plan_id=plan.pk))
    assert "Setujui rencana" in page.content.decode()
    assert "Tambah butir" not in page.content.decode()  # the approver never edits
    response = client.post(
        url("plan_decide", region, plan_id=plan.pk),
        {"decision": "approve", "decree_number": "188/12/2026", "decree": pdf_upload("sk.pdf")},
    )
    assert response.status_code == 302
    with scopes_disabled():
        plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED and plan.decree
    download = client.get(url("plan_decree", region, plan_id=plan.pk))
    assert download.status_code == 200
    # Read-only for the admin too: the edit page refuses, a forged POST changes nothing.
    admin_client = login(admin)
    edit = url("plan_item_edit", region, plan_id=plan.pk, item_id=item.pk)
    assert admin_client.get(edit).status_code == 302
    admin_client.post(edit, {"title": "Diubah", "competency": competency.pk, "form": 14, "jp": 1})
    with scopes_disabled():
        assert PlanItem.objects.get(pk=item.pk).title == "Coaching"
    assert (
        "hanya dapat dibaca"
        in admin_client.get(url("plan_detail", region, plan_id=plan.pk)).content.decode()
    )


def test_a_decree_that_is_not_a_pdf_is_refused(region, plan, admin, head, competency, login):
    with scope(region=region):
        plan_services.plan_item_save(
            plan=plan, user=admin.user, title="Bimtek", competency=competency,
            form=development_form(8), jp=12, target_count=5, budget=1000,
        )  # fmt: skip
        plan_services.plan_submit(plan=plan, user=admin.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client = login(head)
    response = client.post(
        url("plan_decide", region, plan_id=plan.pk), {"decision": "approve", "decree": fake},
        follow=True,
    )  # fmt: skip
    assert "PDF" in response.content.decode()
    with scopes_disabled():
        plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


# --- Realisation, exports ----------------------------------------------------------------------


def test_linking_a_batch_on_the_page_moves_the_figures(
    region, plan, admin, head, competency, login
):
    item = _approved_plan(plan, admin, head, competency)
    start = dt.date(plan.year, 12, 1)
    offering = OfferingFactory(
        region=region, start_date=start, end_date=start, enrolment_opens=start - dt.timedelta(days=5),
        enrolment_closes=start, status=Offering.Status.RUNNING, cost_per_participant=Decimal("750000"),
    )  # fmt: skip
    for _ in range(2):
        EnrolmentFactory(region=region, offering=offering)
    client = login(admin)
    page = url("plan_item_realisation", region, plan_id=plan.pk, item_id=item.pk)
    assert client.post(page, {"offering": offering.pk}).status_code == 302
    body = client.get(url("plan_detail", region, plan_id=plan.pk)).content.decode()
    assert "1.500.000 / 50.000.000" in body
    assert "2 / 10" in body


def test_pdf_and_xlsx_exports(region, plan, admin, head, competency, login):
    _approved_plan(plan, admin, head, competency, title='=HYPERLINK("http://x")')
    client = login(admin)
    pdf = client.get(url("plan_pdf", region, plan_id=plan.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Rencana Pengembangan Kompetensi ASN Tahun" in text and "Wali Kota Semarang" in text
    xlsx = client.get(url("plan_xlsx", region, plan_id=plan.pk))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


# --- Deadline reminders ------------------------------------------------------------------------


def test_deadline_reminders_go_once_to_planners_of_units_that_have_not_submitted(
    region, needs_round, planner, planner2, dinkes, competency
):
    with scope(region=region):
        sub = UnitSubmission.objects.select_related("round", "unit", "region").get(
            round=needs_round, unit=dinkes
        )
        need_services.need_save(
            submission=sub, user=planner.user, competency=competency, target_count=1, jp=8
        )
        need_services.submission_submit(submission=sub, user=planner.user)
    now = dt.datetime.combine(needs_round.deadline - dt.timedelta(days=2), dt.time(8))
    from django.utils import timezone

    now = timezone.make_aware(now)
    assert needs_deadline_reminders(now=now, regions=[region]) == 1
    assert needs_deadline_reminders(now=now, regions=[region]) == 0
    with scopes_disabled():
        recipients = set(
            Notification.objects.filter(kind="rkpk_deadline").values_list("recipient_id", flat=True)
        )
    assert recipients == {planner2.pk}
    # Too early: nothing.
    early = now - dt.timedelta(days=10)
    assert needs_deadline_reminders(now=early, regions=[region]) == 0


# --- Query counts ------------------------------------------------------------------------------


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_plan_page_query_count_is_constant(region, plan, admin, head, competency, login, unit):
    item = _approved_plan(plan, admin, head, competency)
    with scopes_disabled():
        link(item, OfferingFactory(region=region, start_date=dt.date(plan.year, 12, 1),
                                   enrolment_opens=dt.date(plan.year, 11, 1),
                                   enrolment_closes=dt.date(plan.year, 11, 30)))  # fmt: skip
    client = login(admin)
    path = url("plan_detail", region, plan_id=plan.pk)
    small = _count(client, path)
    with scopes_disabled():
        for n in range(3):
            extra = PlanItemFactory(region=region, plan=plan, competency=competency, unit=unit)
            extra.target_employees.set([EmployeeFactory(region=region, unit=unit)])
            link(extra, OfferingFactory(region=region, start_date=dt.date(plan.year, 11, 1 + n),
                                        enrolment_opens=dt.date(plan.year, 10, 1),
                                        enrolment_closes=dt.date(plan.year, 10, 30)))  # fmt: skip
    assert _count(client, path) == small
    for fmt in ("plan_xlsx",):
        assert client.get(url(fmt, region, plan_id=plan.pk)).status_code == 200


def test_submission_and_round_pages_query_counts_are_constant(
    region, submission, needs_round, planner, admin, login, competency, dinkes
):
    NeedFactory(region=region, submission=submission, competency=competency)
    planner_client = login(planner)
    path = url("submission_detail", region, submission_id=submission.pk)
    small = _count(planner_client, path)
    for _ in range(3):
        need = NeedFactory(region=region, submission=submission, competency=competency)
        with scopes_disabled():
            need.target_employees.set([EmployeeFactory(region=region, unit=dinkes)])
    assert _count(planner_client, path) == small
    with scopes_disabled():
        UnitSubmission.objects.filter(pk=submission.pk).update(status="submitted")
    admin_client = login(admin)
    round_path = url("round_detail", region, round_id=needs_round.pk)
    small = _count(admin_client, round_path)
    NeedFactory(region=region, submission=submission, competency=competency)
    assert _count(admin_client, round_path) == small


def test_approvers_can_be_made_to_use_a_second_factor(region, head, employee, settings):
    from regions.mfa import mfa_required_for

    settings.KOMPETENSI_MFA_REQUIRED_ROLES = ["admin", "national", "plan_approver"]
    assert mfa_required_for(head.user)
    assert not mfa_required_for(employee.user)


def test_overview_roles_and_realisation_pages_query_counts_are_constant(
    region, plan, admin, head, competency, login, unit, needs_round
):
    item = _approved_plan(plan, admin, head, competency)
    start = dt.date(plan.year, 12, 1)

    def batch(n):
        return OfferingFactory(
            region=region, start_date=start + dt.timedelta(days=n), end_date=start + dt.timedelta(days=n),
            enrolment_opens=start - dt.timedelta(days=10), enrolment_closes=start,
        )  # fmt: skip

    with scopes_disabled():
        link(item, batch(0))
    client = login(admin)
    paths = [
        url("overview", region),
        url("roles", region),
        url("plan_item_realisation", region, plan_id=plan.pk, item_id=item.pk),
    ]
    small = [_count(client, path) for path in paths]
    with scopes_disabled():
        for n in range(1, 4):
            link(item, batch(n))
            batch(n + 10)  # linkable, not linked
            make_planner(unit, EmployeeFactory(region=region, unit=unit))
    with scope(region=region):
        plan_services.plan_create(region=region, user=admin.user, year=plan.year + 1)
    assert [_count(client, path) for path in paths] == small


def test_editing_an_item_keeps_a_partner_employee_and_programme_no_longer_active(
    region, plan, admin, competency, login
):
    """The edit form offers what the item already names even when it left the choices."""
    from tests.factories.training import ProgramFactory, ProviderFactory
    from training.models import Program

    with scopes_disabled():
        provider = ProviderFactory(region=region, name="LAN Kampus Jakarta")
        program = ProgramFactory(region=region, title="Diklat Arsip Lama")
        person = EmployeeFactory(region=region, name="Rahmat Pensiun")
    with scope(region=region):
        item = plan_services.plan_item_save(
            plan=plan, user=admin.user, title="Bimtek Arsip", competency=competency,
            form=development_form(8), jp=12, target_count=1, budget=0, funding="none",
            organiser=PlanItem.Organiser.PARTNER, provider=provider, program=program,
            target_employees=[person],
        )  # fmt: skip
    with scopes_disabled():
        type(provider).objects.filter(pk=provider.pk).update(is_active=False)
        Program.objects.filter(pk=program.pk).update(status=Program.Status.ARCHIVED)
        type(person).objects.filter(pk=person.pk).update(is_active=False)
    page = login(admin).get(url("plan_item_edit", region, plan_id=plan.pk, item_id=item.pk))
    form = page.context["form"]
    assert provider in form.fields["provider"].queryset
    assert program in form.fields["program"].queryset
    assert person in form.fields["target_employees"].queryset
    body = page.content.decode()
    assert "LAN Kampus Jakarta" in body and "Diklat Arsip Lama" in body
    # A new item does not offer them.
    new = login(admin).get(url("plan_item_create", region, plan_id=plan.pk)).context["form"]
    assert provider not in new.fields["provider"].queryset
    assert person not in new.fields["target_employees"].queryset
