"""Integration: enrolment by NIP through the API (scope `enrol`), via the same service as the
pages, idempotent with `Idempotency-Key`."""

import pytest
from django_scopes import scopes_disabled

from tests.factories.regions import EmployeeFactory
from tests.factories.training import OfferingFactory
from training.models import Enrolment, HistoryEvent, Offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering(region):
    with scopes_disabled():
        return OfferingFactory(region=region, seats=2)


def _post(api, body, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post("/api/v1/enrolments/", body, content_type="application/json", **extra)


def test_create_enrols_through_the_service(api, offering, employee):
    response = _post(api, {"offering": offering.pk, "nip": employee.nip})
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["status"] == "confirmed"
    assert row["source"] == "api"
    assert row["employee_nip"] == employee.nip
    with scopes_disabled():
        enrolment = Enrolment.objects.get(pk=row["id"])
        assert HistoryEvent.objects.filter(object_id=enrolment.pk, action="created").exists()


def test_nip_with_spaces_is_understood(api, offering, employee):
    spaced = f"{employee.nip[:8]} {employee.nip[8:14]} {employee.nip[14]} {employee.nip[15:]}"
    assert _post(api, {"offering": offering.pk, "nip": spaced}).status_code == 201


def test_same_idempotency_key_returns_the_same_enrolment(api, offering, employee):
    first = _post(api, {"offering": offering.pk, "nip": employee.nip}, key="req-42")
    again = _post(api, {"offering": offering.pk, "nip": employee.nip}, key="req-42")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    with scopes_disabled():
        assert Enrolment.objects.filter(offering=offering).count() == 1


def test_key_reused_for_another_enrolment_is_409(api, offering, employee, region):
    with scopes_disabled():
        colleague = EmployeeFactory(region=region)
    _post(api, {"offering": offering.pk, "nip": employee.nip}, key="req-7")
    response = _post(api, {"offering": offering.pk, "nip": colleague.nip}, key="req-7")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_conflict"


def test_second_enrolment_without_key_is_409_already_enrolled(api, offering, employee):
    _post(api, {"offering": offering.pk, "nip": employee.nip})
    response = _post(api, {"offering": offering.pk, "nip": employee.nip})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_enrolled"


def test_service_refusals_come_back_as_400_with_their_code(api, offering, employee):
    with scopes_disabled():
        Offering.objects.filter(pk=offering.pk).update(status=Offering.Status.CANCELLED)
    response = _post(api, {"offering": offering.pk, "nip": employee.nip})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "offering_cancelled"
    assert "dibatalkan" in error["message"]
    with scopes_disabled():
        assert not Enrolment.objects.exists()


def test_unknown_offering_or_employee_is_400_on_that_field(api, offering, employee):
    response = _post(api, {"offering": offering.pk + 1000, "nip": employee.nip})
    assert response.json()["error"]["details"].keys() == {"offering"}
    response = _post(api, {"offering": offering.pk, "nip": "199001012015011999"})
    assert response.json()["error"]["details"].keys() == {"nip"}
