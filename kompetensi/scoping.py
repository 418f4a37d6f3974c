"""Scoping helpers on top of django-scopes.

Tenant-owned models use `django_scopes.ScopedManager(region="region")`. Dictionaries that mix
national rows (region NULL) with a region's own rows use `NationalOrRegionManager`: inside a
region scope they return both; outside any scope they raise like every scoped manager.
"""

from django.db import models
from django.db.models import Q
from django_scopes.manager import DisabledQuerySet
from django_scopes.state import get_scope


def NationalOrRegionManager(field: str = "region"):  # noqa: N802 - mirrors ScopedManager
    class Manager(models.Manager):
        def get_queryset(self):
            current = get_scope()
            queryset = super().get_queryset()
            if not current.get("_enabled", True):
                return queryset
            if "region" not in current:
                return DisabledQuerySet(self.model, using=self._db, missing_scopes={"region"})
            region = current["region"]
            return queryset.filter(Q(**{field: region}) | Q(**{f"{field}__isnull": True}))

    return Manager()
