"""Property-based: schemathesis fuzzes every operation of the OpenAPI schema, in-process.

Integration test. It generates requests from /api/schema/ (query strings, path ids, headers,
bodies) and sends them to the WSGI app with a region-A token, against data in both regions.
It fails on any 5xx and on any response the schema does not describe (status, content type,
headers, body shape). Bounded and deterministic: 30 examples per operation, derandomised.
"""

import datetime as dt

import orjson
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django_scopes import scopes_disabled

from tests.factories.regions import TombstoneFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    SessionFactory,
)

from .conftest import issue

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def _wsgi_in_test_transaction():
    """The WSGI handler closes "old" connections around each request, which would end the test
    transaction; Django's own test client switches that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(region, other_region, employee, other_employee, _wsgi_in_test_transaction):
    with scopes_disabled():
        for reg, emp in ((region, employee), (other_region, other_employee)):
            offering = OfferingFactory(region=reg)
            SessionFactory(region=reg, offering=offering)
            EnrolmentFactory(
                region=reg, offering=offering, employee=emp, pre_test_score=50, post_test_score=80
            )
            DevelopmentRecordFactory(verified=True, region=reg, employee=emp)
            DevelopmentRecordFactory(
                verified=True, region=reg, employee=emp, form_id=1, title="PKA Angkatan II"
            )
            TombstoneFactory(region=reg, resource="enrolments", deleted_at=dt.datetime(2026, 1, 1))
    return issue(region, scopes=("read", "enrol")).token


def _load_schema():
    """The schema exactly as /api/schema/ serves it, built at collection (no database)."""
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from kompetensi.api.urls import urlpatterns
    from kompetensi.wsgi import application

    view = next(p for p in urlpatterns if p.name == "schema").callback
    generator = view.view_class.generator_class(patterns=view.view_initkwargs["patterns"])
    from drf_spectacular.settings import patched_settings

    with patched_settings(view.view_initkwargs["custom_settings"]):
        document = generator.get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(orjson.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = application
    return loaded


schema = _load_schema()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_answer_matches_the_schema(case, fuzz_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"}, checks=CHECKS)
