"""Integration (PostgreSQL): 20 simultaneous API requests with one `Idempotency-Key` create one
enrolment and answer exactly one 201; every other request is a 200 replay of the same body.

Each thread has its own database connection; all are released at once by a barrier."""

import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from tests.api.conftest import ApiTestClient
from tests.factories.training import OfferingFactory
from training.models import Enrolment, HistoryEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
RACERS = 20


def _race(token, body, key):
    barrier = threading.Barrier(RACERS)
    answers, errors = [], []
    lock = threading.Lock()

    def run():
        client = ApiTestClient(token)
        try:
            barrier.wait(timeout=30)
            response = client.post(
                "/api/v1/enrolments/",
                body,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=key,
            )
            with lock:
                answers.append((response.status_code, response.json()))
        except Exception as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(answers) == RACERS
    return answers


@pytest.mark.parametrize("seats", [5, 1])
def test_twenty_concurrent_requests_with_one_key_answer_one_201(
    on_postgres, region, employee, issued, seats
):
    with scopes_disabled():
        offering = OfferingFactory(region=region, seats=seats, has_waitlist=True)
    answers = _race(issued.token, {"offering": offering.pk, "nip": employee.nip}, "rush-1")

    codes = sorted(code for code, _ in answers)
    assert codes == [200] * (RACERS - 1) + [201], codes
    bodies = {tuple(sorted(body.items())) for _, body in answers}
    assert len(bodies) == 1, "every answer carries the same enrolment"
    with scopes_disabled():
        enrolment = Enrolment.objects.get(offering=offering)
        assert enrolment.idempotency_key == "rush-1"
        assert answers[0][1]["id"] == enrolment.pk
        assert HistoryEvent.objects.filter(object_id=enrolment.pk, action="created").count() == 1
