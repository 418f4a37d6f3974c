"""Integration: bad input never gives a 500 on any page under /<region_slug>/.

Region A gets one of every object (built with the same `build_leak` builders that
`tests/test_cross_region.py` uses for region B), then every route of the registry is requested
as the region admin, a supervisor and a plain ASN: GET, GET with junk query parameters, POST
with an empty body and POSTs whose fields all carry the same junk value (impossible dates,
huge or negative numbers, 10k-character strings, NUL bytes, ids of objects that don't exist).
Any status is fine (200, 302, 400, 403, 404, 405...) except a server error or an exception.
"""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from .cross_region import LEAK_BUILDERS, ROUTES

JUNK_QUERY = {
    "page": "abc",
    "tahun": "xyz",
    "year": "-1",
    "status": "<script>alert(1)</script>",
    "q": "\x00",
    "unit": "-1",
    "offering": "999999999999",
    "program": "1e309",
    "period": "31-02-2026",
    "kind": "abc",
    "format": "\x00",
    "tab": "x" * 500,
}

# Values that pass `str.isdigit()` but not `int()` ("²"), or overflow a database integer.
JUNK_DIGITS_QUERY = {
    name: value
    for name, value in zip(
        ["tahun", "usulan", "provider", "materi", "unit", "actor", "id", "item", "page"],
        ["²", "9" * 30, "²", "9" * 30, "²", "²", "9" * 30, "²", "²"],
        strict=True,
    )
}

FORM_MODULES = [
    "regions.forms",
    "regions.forms_admin",
    "evaluations.forms",
    "training.forms",
    "planning.forms",
]

# Names many forms use, in case a form adds its fields in __init__.
COMMON_FIELDS = {
    "title",
    "name",
    "code",
    "description",
    "reason",
    "motivation",
    "notes",
    "decision",
    "action",
    "status",
    "start_date",
    "end_date",
    "date",
    "year",
    "jp",
    "seats",
    "level",
    "required_level",
    "planned_jp",
    "offering",
    "program",
    "unit",
    "employee",
    "competency",
    "provider",
    "speaker",
    "enrolments",
    "nips",
    "nip",
    "email",
    "starts_at",
    "ends_at",
    "start_time",
    "end_time",
    "weeks",
    "weekdays",
    "first_date",
    "period",
    "kind",
    "format",
    "scopes",
    "supervisor",
    "position_type",
    "position_name",
    "cost_per_participant",
    "planned_budget",
    "planned_month",
    "assessed_on",
    "source",
    "organiser",
    "location",
    "online_link",
    "form",
    "certificate_number",
    "expires_on",
    "include_inactive",
    "select_across",
    "next",
}


def _form_fields():
    """Every field name of the project's forms (and common ones), with a field of that name."""
    fields = {name: forms.CharField() for name in COMMON_FIELDS}
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        submodules = [module]
        if hasattr(module, "__path__"):
            submodules += [
                importlib.import_module(f"{module_name}.{info.name}")
                for info in pkgutil.iter_modules(module.__path__)
            ]
        for sub in submodules:
            for value in vars(sub).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm):
                    fields.update(getattr(value, "base_fields", {}))
    return fields


def _form_field_names():
    return sorted(_form_fields())


# Well-formed but extreme values, typed per field, so the forms pass and the services see them.
EXTREMES = [
    {"date": "9999-12-31", "time": "23:59", "datetime": "9999-12-31 23:59", "number": "2147483648"},
    {"date": "0001-01-01", "time": "00:00", "datetime": "0001-01-01 00:00", "number": "0"},
    {"date": "2026-12-31", "time": "12:00", "datetime": "2026-01-01 12:00", "number": "-1"},
    {"date": "2026-01-01", "time": "12:00", "datetime": "2026-12-31 12:00", "number": "9" * 20},
]
OBJECT_FIELDS = {
    "program": "program",
    "offering": "offering",
    "unit": "unit",
    "employee": "employee",
    "competency": "competency",
    "provider": "provider",
    "speaker": "speaker",
    "supervisor": "employee",
    "enrolments": "enrolment",
}


def _extreme_payloads(data):
    payloads = []
    for extreme in EXTREMES:
        payload = {}
        for name, field in _form_fields().items():
            if name in OBJECT_FIELDS and hasattr(data, OBJECT_FIELDS[name]):
                payload[name] = str(getattr(data, OBJECT_FIELDS[name]).pk)
            elif isinstance(field, forms.ModelChoiceField):
                payload[name] = "999999999"
            elif isinstance(field, forms.DateTimeField):
                payload[name] = extreme["datetime"]
            elif isinstance(field, forms.DateField):
                payload[name] = extreme["date"]
            elif isinstance(field, forms.TimeField):
                payload[name] = extreme["time"]
            elif isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
                payload[name] = extreme["number"]
            elif isinstance(field, forms.ChoiceField) and field.choices:
                choices = [str(key) for key, _label in field.choices if key not in ("", None)]
                payload[name] = choices[-1] if choices else ""
            elif isinstance(field, forms.BooleanField):
                payload[name] = "on"
            else:
                payload[name] = "Uji masukan"
        payloads.append((payload, f"{extreme['date']} {extreme['number'][:6]}"))
    return payloads


JUNK_VALUES = [
    "31-02-2026",
    "2026-02-31",
    "-1",
    "1e309",
    "abc",
    "999999999999",
    "x" * 10_000,
    "a\x00b",
    "²",
]


def _junk_payloads():
    names = _form_field_names()
    return [{name: value for name in names} for value in JUNK_VALUES]


@pytest.fixture
def rich_region(region, unit, admin, supervisor, employee):
    """One of every object in region A, the ASN's being `employee` (supervised by `supervisor`)."""
    with scopes_disabled():
        data = SimpleNamespace(region=region, unit=unit, employee=employee, admin=admin)
        for build in LEAK_BUILDERS:
            build(data)
    return data


def _request(client, method, url, data=None):
    try:
        response = getattr(client, method)(url, data or {})
    except Exception as exc:  # noqa: BLE001 - any escaped exception is the failure we report
        return f"{type(exc).__name__}: {exc}"[:300]
    if response.status_code >= 500:
        return f"status {response.status_code}"
    return None


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_bad_input_never_gives_a_server_error(name, rich_region, admin, supervisor, employee):
    url = reverse(
        name, kwargs={"region_slug": rich_region.region.slug, **ROUTES[name](rich_region)}
    )
    requests = [
        ("get", None, "GET"),
        ("get", JUNK_QUERY, "GET junk query"),
        ("get", JUNK_DIGITS_QUERY, "GET unicode and huge digits"),
        ("post", {}, "POST empty"),
    ]
    requests += [
        ("post", payload, f"POST junk {value[:12]!r}")
        for payload, value in zip(_junk_payloads(), JUNK_VALUES, strict=True)
    ]
    requests += [
        ("post", payload, f"POST extreme {label}")
        for payload, label in _extreme_payloads(rich_region)
    ]
    failures = []
    for role, who in [("admin", admin), ("supervisor", supervisor), ("asn", employee)]:
        client = Client()
        client.force_login(who.user)
        for method, data, label in requests:
            problem = _request(client, method, url, data)
            if problem:
                failures.append(f"{role} {label}: {problem}")
    assert not failures, f"{url}\n" + "\n".join(failures)


def test_a_nul_byte_in_the_query_string_is_a_bad_request(region, employee, login):
    """PostgreSQL refuses NUL in any query: the middleware answers 400 before a view runs."""
    url = reverse("training:catalogue", kwargs={"region_slug": region.slug})
    assert login(employee).get(url, {"q": "a\x00b"}).status_code == 400


def test_a_nul_byte_in_a_form_is_a_bad_request(region, employee, login):
    """The same for posted forms (some pages read a field without a Django form)."""
    url = reverse("region:profile", kwargs={"region_slug": region.slug})
    response = login(employee).post(
        url, "phone=0812%00", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    employee.refresh_from_db()
    assert "\x00" not in employee.phone
