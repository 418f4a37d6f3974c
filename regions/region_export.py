"""One region's data as JSON Lines: every row of every tenant-owned table (a `region` foreign
key to this region), the region itself and the logins those rows point at.

`region_export(region=..., stream=...)` writes Django's `jsonl` serialisation (one object a
line) in an order `manage.py import_region` (loaddata) can read back: logins first (other rows name them by
their natural key, the username), then the region, then every other table. Rows keep their
ids, so the file loads into a database that does not hold this region yet (a region moving to
its own server, an archive); foreign keys are checked at the end of loaddata's transaction.
National rows (development forms, content types) come from the migrations on both sides.

The file holds personal data and password hashes: store it like a database dump
(docs/deployment.md, docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models
from django_scopes import scope

from .models import Region


def _tenant_models() -> Iterator[type[models.Model]]:
    """Concrete models with a `region` foreign key to Region, in app registry order (except
    derived tables, e.g. the verified JP per year that triggers rebuild on load)."""
    for model in apps.get_models():
        if model is Region or model._meta.proxy or not model._meta.managed:
            continue
        if getattr(model, "derived", False):  # rebuilt by the database as rows are loaded
            continue
        try:
            field = model._meta.get_field("region")
        except Exception:  # noqa: BLE001 - FieldDoesNotExist: not a tenant-owned table
            continue
        if getattr(field, "related_model", None) is Region and not field.many_to_many:
            yield model


def _user_fields(model) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
    ]


def region_querysets(*, region: Region) -> list[models.QuerySet]:
    """What `region_export` writes, in order (plain managers: no region scope needed)."""
    tenant = [
        model._base_manager.filter(region=region).order_by("pk") for model in _tenant_models()
    ]
    user_ids: set[int] = set()
    for queryset in tenant:
        for name in _user_fields(queryset.model):
            user_ids.update(
                pk for pk in queryset.values_list(name, flat=True).distinct() if pk is not None
            )
    User = get_user_model()
    return [
        User._base_manager.filter(pk__in=sorted(user_ids)).order_by("pk"),
        Region._base_manager.filter(pk=region.pk),
        *tenant,
    ]


def region_export(*, region: Region, stream) -> dict[str, int]:
    """Write the region as JSON Lines to `stream` (text); returns the rows written by table."""
    counts: dict[str, int] = {}
    with scope(region=region):  # many-to-many fields are read through scoped managers
        for queryset in region_querysets(region=region):
            _write(queryset, stream, counts)
    return counts


def _write(queryset, stream, counts: dict[str, int]) -> None:
    rows = queryset.count()
    if not rows:
        return
    counts[queryset.model._meta.label] = rows
    serializers.serialize(
        "jsonl", queryset.iterator(), use_natural_foreign_keys=True, stream=stream
    )
