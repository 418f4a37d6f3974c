"""Access-control probes: tenant isolation and role rules that cut across areas."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from regions.notifications import notify
from tests.cross_region import LEAK_BUILDERS, ROUTES
from tests.factories.regions import EmployeeFactory, UserFactory
from tests.factories.training import EnrolmentFactory, OfferingFactory, ProgramFactory
from training.models import Enrolment, Program
from training.notifications import Kind

pytestmark = pytest.mark.django_db
S = Enrolment.Status


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.ARCHIVED])
def test_enrol_page_of_an_unpublished_programme_is_404(region, employee, login, status):
    """The catalogue hides draft/archived programmes; their batches' pages must too."""
    with scope(region=region):
        program = ProgramFactory(region=region, status=status)
        offering = OfferingFactory(region=region, program=program)
    url = reverse("training:offering_enrol", args=[region.slug, offering.pk])
    client = login(employee)
    assert client.get(url).status_code == 404
    assert client.post(url, {"motivation": "x"}).status_code == 404
    with scope(region=region):
        assert not Enrolment.objects.filter(offering=offering).exists()


def test_admin_cannot_approve_their_own_request(region, unit, supervisor, admin, login):
    with scope(region=region):
        admin.supervisor = supervisor
        admin.save()
        offering = OfferingFactory(region=region, requires_approval=True)
        enrolment = EnrolmentFactory(
            region=region,
            offering=offering,
            employee=admin,
            status=S.REQUESTED,
            confirmed_at=None,
        )
    client = login(admin)
    url = reverse("training:approval_decide", args=[region.slug, enrolment.pk])
    response = client.post(url, {"decision": "approve", "reason": ""})
    assert response.status_code == 200
    assert "permohonan Anda sendiri" in response.content.decode()
    client.post(
        reverse("training:approval_list", args=[region.slug]),
        {"enrolments": [enrolment.pk], "decision": "approve", "reason": ""},
    )
    with scope(region=region):
        enrolment.refresh_from_db()
    assert enrolment.status == S.REQUESTED


def test_supervisor_of_the_supervisor_cannot_decide(region, unit, supervisor, employee, login):
    with scope(region=region):
        boss = EmployeeFactory(region=region, unit=unit)
        supervisor.supervisor = boss
        supervisor.save()
        offering = OfferingFactory(region=region, requires_approval=True)
        enrolment = EnrolmentFactory(
            region=region,
            offering=offering,
            employee=employee,
            status=S.REQUESTED,
            confirmed_at=None,
        )
    client = login(boss)
    url = reverse("training:approval_decide", args=[region.slug, enrolment.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    client.post(
        reverse("training:approval_list", args=[region.slug]),
        {"enrolments": [enrolment.pk], "decision": "approve"},
    )
    with scope(region=region):
        enrolment.refresh_from_db()
    assert enrolment.status == S.REQUESTED


def test_notification_of_a_colleague_is_404(region, employee, supervisor, login):
    with scope(region=region):
        note = notify(recipient=supervisor, kind=list(Kind)[0], context={}, dedup_key="x:1")
    client = login(employee)
    assert (
        client.get(reverse("notifications:detail", args=[region.slug, note.pk])).status_code == 404
    )
    assert (
        client.post(reverse("notifications:mark_read", args=[region.slug, note.pk])).status_code
        == 404
    )
    with scope(region=region):
        note.refresh_from_db()
    assert note.read_at is None


# --- Role walls over every region route --------------------------------------------------------

# What a national viewer (no membership) may read: aggregate pages, never personal data pages.
NATIONAL_VIEWER_GET = {
    "region:home",
    "training:catalogue",
    "training:catalogue_program",
    "evaluations:report_list",
    "evaluations:report_download",
    "dashboards:region",
    "dashboards:export_region",
}


@pytest.fixture
def own(region, unit, admin):
    """Region A's own objects, built by the same builders as the cross-region test."""
    with scopes_disabled():
        member = EmployeeFactory(region=region, unit=unit, supervisor=admin, name="Anggota Tim")
        ns = SimpleNamespace(region=region, unit=unit, employee=member, admin=admin)
        for build in LEAK_BUILDERS:
            build(ns)
    return ns


def _url(name, own):
    return reverse(name, kwargs={"region_slug": own.region.slug, **ROUTES[name](own)})


def _admin_route_names():
    """Routes whose path lies under kelola/ (reversed with placeholder ids at collection)."""
    from .test_cross_region import _AnyObject

    names = []
    for name, kwargs in ROUTES.items():
        url = reverse(name, kwargs={"region_slug": "x", **kwargs(_AnyObject())})
        if "/kelola/" in url:
            names.append(name)
    return sorted(names)


@pytest.mark.parametrize("name", _admin_route_names())
def test_plain_asn_never_reaches_admin_pages(name, own, employee, client):
    url = _url(name, own)
    client.force_login(employee.user)
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {}).status_code in (403, 404)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_national_viewer_reads_only_aggregate_pages_and_never_posts(name, own, client):
    client.force_login(UserFactory(is_national_viewer=True))
    url = _url(name, own)
    assert client.post(url, {}).status_code == 403
    if name not in NATIONAL_VIEWER_GET:
        assert client.get(url).status_code in (403, 404)


# --- Django admin ------------------------------------------------------------------------------


def test_staff_user_without_superuser_gets_no_cross_region_django_admin(
    client, employee, other_employee
):
    """/admin/ runs with scopes disabled: only superusers may use it, not any staff login that
    was given a model permission."""
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_employee"))
    client.force_login(staff)
    response = client.get("/admin/regions/employee/")
    assert response.status_code == 403
    assert other_employee.nip.encode() not in response.content


def test_django_admin_login_page_still_opens(client):
    assert client.get("/admin/login/").status_code == 200
