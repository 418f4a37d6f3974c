"""Access-control probes: tenant isolation and role rules that cut across areas."""

import pytest
from django.urls import reverse
from django_scopes import scope

from regions.notifications import Kind, notify
from tests.factories import EmployeeFactory
from tests.factories_training import EnrolmentFactory, OfferingFactory, ProgramFactory
from training.models import Enrolment, Program

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
