"""Integration: no CSV or XLSX export runs user text as a formula (issue 14 item 2).

Every free-text field of the region's rows (employee names and positions, unit names, record
titles and organisers, programme and batch names...) starts with a formula; then every
export the portal offers is written: the background exports in both formats, the
participants CSV of a batch, the SIASN CSV of the API, and the API's generic CSV renderer.
No XLSX cell may be a formula, and every CSV cell that would start one is neutralised.
"""

import csv
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from evaluations import exports
from kompetensi.api.renderers import CSVRenderer
from kompetensi.spreadsheets import looks_like_formula
from tests.api.conftest import issue
from tests.factories.regions import EmployeeFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
)
from tests.test_xss import _free_text_fields

pytestmark = pytest.mark.django_db

FORMULAS = ('=HYPERLINK("http://x","klik")', "=1+1", "+1+1", "@SUM(A1)", "-1+2")


class _NoProgress:
    def start(self, total):
        pass

    def advance(self, step=1):
        pass


def _poison(region) -> int:
    from django.apps import apps

    count = 0
    with scopes_disabled():
        for model in apps.get_models():
            if model._meta.app_label not in ("regions", "training", "evaluations"):
                continue
            if model._meta.label == "regions.AuditEvent":
                continue  # append-only (a trigger refuses UPDATE)
            if "region" not in {f.name for f in model._meta.concrete_fields}:
                continue
            fields = list(_free_text_fields(model))
            for n, obj in enumerate(model._base_manager.filter(region=region)):
                values = {}
                for i, field in enumerate(fields):
                    formula = FORMULAS[(n + i) % len(FORMULAS)]
                    if field.max_length is None or len(formula) <= field.max_length:
                        values[field.attname] = formula
                if values:
                    model._base_manager.filter(pk=obj.pk).update(**values)
                    count += len(values)
    return count


@pytest.fixture
def poisoned(region, unit, admin, employee):
    offering = OfferingFactory(region=region)
    EnrolmentFactory(region=region, offering=offering, employee=employee)
    DevelopmentRecordFactory(region=region, employee=employee, verified=True)
    DevelopmentRecordFactory(region=region, employee=employee, verified=True, form_id=1)
    EmployeeFactory(region=region, unit=unit, supervisor=employee)
    assert _poison(region) > 20
    return SimpleNamespace(region=region, offering=offering)


def _assert_csv_safe(text: str):
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1
    for row in rows[1:]:
        for cell in row:
            assert not looks_like_formula(cell), f"live formula in CSV: {cell!r}"
    joined = "\n".join(",".join(r) for r in rows)
    assert "'=HYPERLINK" in joined or "'=1+1" in joined


@pytest.mark.parametrize("kind", sorted(exports.EXPORTS))
def test_background_exports_in_xlsx_hold_no_formula(kind, poisoned):
    handle = io.BytesIO()
    with scope(region=poisoned.region):
        rows = exports.export_write(
            kind=kind,
            fmt="xlsx",
            region=poisoned.region,
            params={},
            progress=_NoProgress(),
            handle=handle,
        )
    assert rows > 0
    sheet = load_workbook(io.BytesIO(handle.getvalue())).worksheets[0]
    texts = []
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"{kind}: formula in {cell.coordinate}: {cell.value!r}"
            if isinstance(cell.value, str) and looks_like_formula(cell.value):
                # Shown exactly as typed, and kept as text when someone edits the cell.
                assert cell.quotePrefix, f"{kind}: {cell.coordinate} lacks the text prefix"
                texts.append(cell.value)
    assert any(text in FORMULAS for text in texts)


@pytest.mark.parametrize("kind", sorted(exports.EXPORTS))
def test_background_exports_in_csv_neutralise_formulas(kind, poisoned):
    handle = io.BytesIO()
    with scope(region=poisoned.region):
        exports.export_write(
            kind=kind,
            fmt="csv",
            region=poisoned.region,
            params={},
            progress=_NoProgress(),
            handle=handle,
        )
    _assert_csv_safe(handle.getvalue().decode("utf-8-sig"))


def test_participants_csv_neutralises_formulas(poisoned, admin, login):
    url = reverse(
        "training:offering_participants_csv",
        kwargs={"region_slug": poisoned.region.slug, "offering_id": poisoned.offering.pk},
    )
    response = login(admin).get(url)
    assert response.status_code == 200
    _assert_csv_safe(response.content.decode("utf-8-sig"))


def test_siasn_csv_neutralises_formulas(poisoned, client, settings):
    settings.KOMPETENSI_API_THROTTLE_RATE = "off"
    token = issue(poisoned.region).token
    response = client.get(
        "/api/v1/development-records/siasn/?format=csv", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    _assert_csv_safe(text)


def test_api_csv_renderer_neutralises_formulas():
    body = CSVRenderer().render([{"nama": "=1+1", "jp": 3}, {"nama": "Ani", "jp": -2}])
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows == [["nama", "jp"], ["'=1+1", "3"], ["Ani", "-2"]]


@pytest.mark.parametrize("kind", sorted(exports.EXPORTS))
def test_control_characters_in_user_text_do_not_break_xlsx(kind, region, unit, employee):
    """A vertical tab pasted from Word, or any control character openpyxl refuses, is dropped
    from the cell instead of failing the whole export."""
    offering = OfferingFactory(region=region)
    EnrolmentFactory(region=region, offering=offering, employee=employee)
    DevelopmentRecordFactory(region=region, employee=employee, verified=True)
    with scopes_disabled():
        type(employee)._base_manager.filter(pk=employee.pk).update(name="Siti\x0bAminah\x01")
    handle = io.BytesIO()
    with scope(region=region):
        rows = exports.export_write(
            kind=kind, fmt="xlsx", region=region, params={}, progress=_NoProgress(), handle=handle
        )
    assert rows > 0
    cells = [
        c.value
        for row in load_workbook(io.BytesIO(handle.getvalue())).worksheets[0].iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert not any("\x0b" in c or "\x01" in c for c in cells)
