"""Integration: `manage.py load_demo_data` builds the four demo regions, and is idempotent."""

import io
import re
import tempfile

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from regions import demo
from regions.models import Employee, Golongan, Membership, PositionType, Region, Unit, User
from regions.nip import parse_nip
from training.models import DevelopmentRecord, Enrolment, Offering, Program
from training.selectors.competencies import recommended_programs

pytestmark = pytest.mark.django_db

MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"

SLUGS = {"tanjungbalai", "semarang", "binjai", "plaju"}
G = Golongan
GOLONGAN_RANGE = {
    PositionType.JPT_PRATAMA: (G.IV_C, G.IV_D),
    PositionType.ADMINISTRATOR: (G.IV_A, G.IV_B),
    PositionType.PENGAWAS: (G.III_C, G.III_D),
    PositionType.PELAKSANA: (G.II_A, G.III_B),
}


def run_command() -> str:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> list[dict]:
    """The rows of the printed login table: region, role, NIP/username, email, password."""
    rows = []
    for line in output.splitlines():
        if demo.DEMO_PASSWORD in line:
            region, role, login, email, password = re.split(r"\s{2,}", line.strip())
            rows.append({"region": region, "role": role, "login": login, "email": email})
            assert password == demo.DEMO_PASSWORD
    return rows


def counts() -> dict:
    with scopes_disabled():
        return {
            "regions": Region.objects.count(),
            "units": Unit.objects.count(),
            "employees": Employee.objects.count(),
            "users": User.objects.count(),
            "memberships": Membership.objects.count(),
            "admins": Membership.objects.filter(role=Membership.Role.ADMIN).count(),
        }


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """Load once for the module inside a transaction rolled back at the end; each test still
    runs in its own savepoint (the `db` fixture), so a test's writes never reach the next.
    Passwords are hashed like in every test (tests/conftest.py: MD5), so they verify."""
    fast_hashing = override_settings(PASSWORD_HASHERS=[MD5_HASHER])
    media = tempfile.TemporaryDirectory()
    in_media = override_settings(MEDIA_ROOT=media.name)
    with media, in_media, django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        yield run_command()
        transaction.set_rollback(True)


@pytest.fixture
def output(demo_data, db):
    return demo_data


def test_four_regions_each_with_one_admin_and_a_few_hundred_people(output):
    assert set(Region.objects.values_list("slug", flat=True)) == SLUGS
    with scopes_disabled():
        for region in Region.objects.all():
            admins = Membership.objects.filter(region=region, role=Membership.Role.ADMIN)
            assert admins.count() == 1, region.slug
            admin_employee = Employee.objects.get(user=admins.get().user)
            assert admin_employee.region == region
            assert admin_employee.unit.name.startswith("Badan Kepegawaian")
        sizes = {r.slug: Employee.objects.filter(region=r).count() for r in Region.objects.all()}
        assert max(sizes, key=sizes.get) == "semarang"
        assert all(50 <= size <= 250 for size in sizes.values()), sizes
        assert Unit.objects.filter(region__slug="binjai", kind=Unit.Kind.KECAMATAN).count() == 5
        plaju_kelurahan = Unit.objects.filter(region__slug="plaju", kind=Unit.Kind.KELURAHAN)
        assert plaju_kelurahan.count() == 7
        assert Employee.objects.filter(employment_type="pppk").exists()


def test_every_employee_has_a_valid_nip_and_a_grade_that_fits_the_position(output):
    with scopes_disabled():
        employees = list(Employee.objects.all())
    assert len({e.nip for e in employees}) == len(employees)
    for e in employees:
        info = parse_nip(e.nip, e.employment_type)
        assert (info.birth_date, info.gender) == (e.birth_date, e.gender)
        if e.employment_type == Employee.EmploymentType.PNS:
            assert e.golongan and e.pppk_grade is None, e
            if e.position_type in GOLONGAN_RANGE:
                low, high = GOLONGAN_RANGE[e.position_type]
                assert low <= e.golongan <= high, (e, e.position)
        else:
            assert e.golongan is None and 1 <= e.pppk_grade <= 17, e
        if e.position_type.startswith("fungsional"):
            assert e.functional_level, e
        assert e.user_id and e.email


def test_supervisors_are_in_the_same_region_without_loops(output):
    with scopes_disabled():
        employees = {e.pk: e for e in Employee.objects.all()}
    supervised = 0
    for e in employees.values():
        if e.supervisor_id is None:
            continue
        supervised += 1
        assert employees[e.supervisor_id].region_id == e.region_id
        seen, node = {e.pk}, employees[e.supervisor_id]
        while node.supervisor_id is not None:
            assert node.pk not in seen, f"supervision loop through {node}"
            seen.add(node.pk)
            node = employees[node.supervisor_id]
    assert supervised > 0.9 * len(employees)


def test_running_twice_creates_nothing_and_prints_the_same_logins(output):
    before = counts()
    second = run_command()
    assert counts() == before
    assert printed_logins(second) == printed_logins(output)
    assert "employees +0" in second and "units +0" in second


def test_printed_demo_logins_can_log_in(client, output):
    logins = printed_logins(output)
    # admin, supervisor and ASN of each region, and the national viewer
    assert len(logins) == 4 * 3 + 1
    assert len({row["login"] for row in logins}) == len(logins)
    with scopes_disabled():
        other_users = User.objects.exclude(username__in=[row["login"] for row in logins])
        assert not any(user.has_usable_password() for user in other_users)
    for row in logins:
        response = client.post(
            reverse("account_login"), {"login": row["login"], "password": demo.DEMO_PASSWORD}
        )
        assert response.status_code == 302, row
        assert "_auth_user_id" in client.session, row
        client.post(reverse("account_logout"))
    viewer = User.objects.get(username="nasional")
    assert viewer.is_national_viewer and viewer.email == "nasional@kompetensi.local"


def test_demo_roles_see_what_their_role_allows(client, output):
    by_role = {(row["region"], row["role"]): row["login"] for row in printed_logins(output)}
    admin = User.objects.get(username=by_role[("Semarang", "Admin BKPSDM")])
    supervisor = User.objects.get(username=by_role[("Semarang", "Atasan langsung")])
    asn = User.objects.get(username=by_role[("Semarang", "ASN")])
    with scopes_disabled():
        assert Employee.objects.get(user=asn).supervisor.user == supervisor
    client.force_login(admin)
    assert client.get("/semarang/").context["summary"]["active"] > 100
    client.force_login(supervisor)
    assert client.get("/semarang/").context["subordinates"]
    client.force_login(asn)
    assert client.get("/semarang/profil/").status_code == 200
    assert client.get("/binjai/").status_code == 404


def demo_employee(output: str, region_name: str, role: str) -> Employee:
    by_role = {(row["region"], row["role"]): row["login"] for row in printed_logins(output)}
    with scopes_disabled():
        return Employee.objects.select_related("region").get(nip=by_role[(region_name, role)])


def training_counts() -> dict:
    with scopes_disabled():
        return {
            "programmes": Program.objects.count(),
            "offerings": Offering.objects.count(),
            "enrolments": Enrolment.objects.count(),
            "records": DevelopmentRecord.objects.count(),
        }


def test_each_region_has_a_catalogue_with_open_batches_and_a_completed_one(output):
    with scopes_disabled():
        for region in Region.objects.all():
            published = Program.objects.filter(region=region, status=Program.Status.PUBLISHED)
            # Training's six, the blended programme of the e-learning demo, and the evaluation
            # demo's two (one participants find relevant, one they flag as irrelevant).
            assert published.count() == 9, region.slug
            assert Program.objects.filter(region=region, status=Program.Status.DRAFT).count() == 1
            open_batches = Offering.objects.filter(
                region=region, status=Offering.Status.OPEN, program__in=published
            )
            # Every catalogue programme has an open batch; the evaluation demo's two have only
            # completed (evaluated) batches.
            with_open = {o.program_id for o in open_batches}
            assert len(with_open) == 7 and with_open < {p.pk for p in published}
            assert all(2 <= o.sessions.count() <= 4 for o in open_batches)
            statuses = set(Offering.objects.filter(region=region).values_list("status", flat=True))
            assert {Offering.Status.RUNNING, Offering.Status.COMPLETED} <= statuses
            assert Enrolment.objects.filter(
                region=region, status=Enrolment.Status.WAITLISTED
            ).exists()


def test_demo_asn_has_verified_jp_a_pending_request_and_recommendations(output):
    today = timezone.localdate()
    for region_name in ("Tanjungbalai", "Semarang", "Binjai", "Plaju"):
        asn = demo_employee(output, region_name, "ASN")
        supervisor = demo_employee(output, region_name, "Atasan langsung")
        with scope(region=asn.region):
            verified = DevelopmentRecord.objects.filter(
                employee=asn, status=DevelopmentRecord.Status.VERIFIED, year=today.year
            ).aggregate(jp=Sum("jp"))["jp"]
            assert verified and verified > 0, region_name
            assert DevelopmentRecord.objects.filter(
                employee=asn, status=DevelopmentRecord.Status.SUBMITTED, evidence__endswith=".pdf"
            ).exists()
            pending = Enrolment.objects.filter(
                employee__supervisor=supervisor, status=Enrolment.Status.REQUESTED
            )
            assert pending.filter(employee=asn).exists(), region_name
            assert Enrolment.objects.filter(
                employee=asn,
                status=Enrolment.Status.CONFIRMED,
                offering__status=Offering.Status.OPEN,
            ).exists()
            assert asn.development_plans.get(year=today.year).items.count() == 2
            assert recommended_programs(employee=asn), region_name


def test_demo_supervisor_sees_pending_approvals(client, output):
    supervisor = demo_employee(output, "Semarang", "Atasan langsung")
    asn = demo_employee(output, "Semarang", "ASN")
    with scope(region=supervisor.region):
        pending = Enrolment.objects.filter(
            employee__supervisor=supervisor, status=Enrolment.Status.REQUESTED
        )
        assert pending.count() >= 1
    client.force_login(supervisor.user)
    response = client.get(reverse("training:approval_list", args=["semarang"]))
    assert response.status_code == 200
    assert asn.name in response.content.decode()


def test_running_twice_creates_no_training_data(output):
    before = training_counts()
    second = run_command()
    assert training_counts() == before
    assert second.count("training: nothing new") == 4


def test_demo_has_an_elearning_and_a_blended_course_the_asn_can_start(client, output):
    from training.models import Course, Lesson

    for region_name in ("Semarang", "Plaju"):
        asn = demo_employee(output, region_name, "ASN")
        with scope(region=asn.region):
            learning = Enrolment.objects.get(
                employee=asn, offering__name="Kelas Mandiri", status=Enrolment.Status.CONFIRMED
            )
            course = Course.objects.get(offering=learning.offering)
            kinds = set(Lesson.objects.filter(course=course).values_list("kind", flat=True))
            assert {"quiz", "text", "scorm", "file"} <= kinds
            assert course.questions.count() >= 4
            blended = Program.objects.get(code="BL-ANDAT")
            assert blended.delivery_mode == "blended"
            batch = Offering.objects.get(program=blended)
            assert Course.objects.filter(offering=batch).exists() and batch.sessions.count() == 2
        client.force_login(asn.user)
        home = client.get(f"/{asn.region.slug}/").content.decode()
        assert "Lanjutkan belajar" in home and "Pre-test" in home


def test_each_region_has_an_approved_plan_under_way_and_next_years_round_open(client, output):
    from planning.models import NeedsRound, Plan, UnitSubmission
    from planning.selectors.plans import plan_realisation

    today = timezone.localdate()
    with scopes_disabled():
        regions = list(Region.objects.filter(slug__in=SLUGS))
    for region in regions:
        with scope(region=region):
            plan = Plan.objects.get(region=region, year=today.year, status=Plan.Status.APPROVED)
            assert plan.items.count() >= 5 and plan.approver_name
            figures = plan_realisation(plan=plan, today=today)
            assert figures.participants_realised > 0 and figures.budget_spent > 0
            upcoming = NeedsRound.objects.get(region=region, year=today.year + 1)
            assert upcoming.is_open(today)
            statuses = set(
                UnitSubmission.objects.filter(round=upcoming).values_list("status", flat=True)
            )
            assert "submitted" in statuses and "draft" in statuses
        admin = demo_employee(output, region.name, "Admin BKPSDM")
        client.force_login(admin.user)
        page = client.get(reverse("planning:plan_detail", args=[region.slug, plan.pk]))
        assert page.status_code == 200 and "Disetujui" in page.content.decode()


def test_running_twice_creates_no_planning_data(output):
    second = run_command()
    assert second.count("planning: nothing new") == 4


def test_the_demo_region_dashboard_shows_the_plan_and_the_evaluation(output, client):
    admin = demo_employee(output, "Semarang", "Admin BKPSDM")
    client.force_login(admin.user)
    year = timezone.localdate().year
    html = client.get(f"/semarang/dasbor/wilayah/?tahun={year}").content.decode()
    assert "Rencana pengembangan kompetensi daerah" in html and "Anggaran terserap" in html
    assert "Evaluasi pasca pelatihan" in html and "kurang relevan" in html


def test_the_demo_monthly_report_shows_the_plans_absorption(output):
    from evaluations import selectors as evaluation_selectors
    from evaluations.services.reports import report_render_html

    region = Region.objects.get(slug="semarang")
    period = timezone.localdate().replace(day=1)
    with scope(region=region):
        data = evaluation_selectors.report_monthly_data(region=region, period=period)
        html = report_render_html(data=data, generated_at=timezone.now())
    assert f"Realisasi rencana pengembangan kompetensi {period.year}" in html
    assert "Anggaran terserap Rp" in html
