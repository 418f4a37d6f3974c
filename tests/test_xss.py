"""Integration: user text is escaped on every page (stored XSS, issue 14 item 1).

Every free-text field of every region-owned row (names, titles, descriptions: whatever an
admin types or imports from CSV/XLSX) is set to a `<script>` payload; then every page of the
region is opened by its admin and by an ASN (the supervisor of the payload employee), and
none may contain the payload as markup.
"""

import itertools
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.cross_region import LEAK_BUILDERS, ROUTES
from tests.factories.regions import EmployeeFactory

pytestmark = pytest.mark.django_db

APPS = ("regions", "training", "evaluations", "planning")
# Machine values: never typed as free text (NIP is digits, checked by regions.nip).
SKIP_FIELDS = {
    "nip",
    "kind",
    "dedup_key",
    "key_id",
    "secret_hash",
    "resource",
    "last_error",
    "channel",
}
# Machine-generated values of one model (a certificate's verification code is in its URL).
SKIP_QUALIFIED = {"training.Certificate.code"}
_counter = itertools.count(1)


def _payload(max_length: int | None) -> str | None:
    text = f"<script>x{next(_counter)}</script>"
    return text if max_length is None or len(text) <= max_length else None


def _free_text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, models.EmailField | models.URLField | models.SlugField):
            continue
        if field.choices or field.name in SKIP_FIELDS:
            continue
        if f"{model._meta.label}.{field.name}" in SKIP_QUALIFIED:
            continue
        if any(isinstance(v, RegexValidator) for v in field.validators):
            continue
        yield field


def poison_region(region) -> int:
    """Set every free-text field of the region's rows to a script payload; count them."""
    count = 0
    with scopes_disabled():
        for model in apps.get_models():
            if model._meta.app_label not in APPS or model._meta.label == "regions.AuditEvent":
                continue  # the audit trail is append-only (a trigger refuses UPDATE)
            if "region" not in {f.name for f in model._meta.concrete_fields}:
                continue
            fields = list(_free_text_fields(model))
            if not fields:
                continue
            for obj in model._base_manager.filter(region=region):
                changed = []
                for field in fields:
                    value = _payload(field.max_length)
                    if value is not None:
                        setattr(obj, field.attname, value)
                        changed.append(field.attname)
                if changed:
                    model._base_manager.filter(pk=obj.pk).update(
                        **{name: getattr(obj, name) for name in changed}
                    )
                    count += len(changed)
    return count


@pytest.fixture
def poisoned(region, unit, admin):
    with scopes_disabled():
        member = EmployeeFactory(region=region, unit=unit, supervisor=admin, name="Anggota")
        ns = SimpleNamespace(region=region, unit=unit, employee=member, admin=admin)
        for build in LEAK_BUILDERS:
            build(ns)
    ns.fields = poison_region(region)
    return ns


def _url(name, ns):
    return reverse(name, kwargs={"region_slug": ns.region.slug, **ROUTES[name](ns)})


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_script_tags_in_user_text_are_escaped_on_every_page(name, poisoned, client):
    assert poisoned.fields > 20
    for who in (poisoned.admin, poisoned.employee):
        client.force_login(who.user)
        response = client.get(_url(name, poisoned), follow=True)
        if not response["Content-Type"].startswith("text/html"):
            continue  # downloads (CSV, XLSX, PDF) are not rendered by a browser
        content = response.content.decode(errors="replace")
        assert "<script>x" not in content, f"{name} as {who.name}: unescaped user text"


def test_employee_edit_page_escapes_the_supervisor_name_in_its_help_text(
    region, unit, admin, employee, supervisor, login
):
    """The original finding: the supervisor's name went out through `help_text|safe`."""
    with scopes_disabled():
        supervisor.name = '<script>alert("xss")</script>'
        supervisor.save()
    url = reverse("region:employee_edit", args=[region.slug, employee.pk])
    content = login(admin).get(url).content.decode()
    assert '<script>alert("xss")</script>' not in content
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in content
