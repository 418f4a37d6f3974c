"""factory_boy factories used by the API tests (created with scopes disabled)."""

import datetime as dt

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from regions.models import Tombstone
from training.models import DevelopmentRecord

from .factories import EmployeeFactory, RegionFactory, ScopedFactory


class RecordFactory(ScopedFactory):
    """A verified external development record (JP ledger row)."""

    class Meta:
        model = DevelopmentRecord

    region = factory.SubFactory(RegionFactory)
    employee = factory.LazyAttribute(lambda o: EmployeeFactory(region=o.region))
    year = 2026
    source = DevelopmentRecord.Source.EXTERNAL
    title = factory.Sequence(lambda n: f"Bimtek Arsip Digital {n}")
    form_id = 3
    organiser = "BPSDM Provinsi"
    start_date = dt.date(2026, 3, 2)
    end_date = dt.date(2026, 3, 4)
    jp = 24
    certificate_number = factory.Sequence(lambda n: f"SERT/{n:05d}")
    status = DevelopmentRecord.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


class TombstoneFactory(ScopedFactory):
    class Meta:
        model = Tombstone

    region = factory.SubFactory(RegionFactory)
    resource = "development-records"
    object_id = factory.Sequence(lambda n: 9000 + n)

    @classmethod
    def _create(cls, model_class, *args, deleted_at=None, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        if deleted_at is not None:
            if timezone.is_naive(deleted_at):
                deleted_at = timezone.make_aware(deleted_at)
            with scopes_disabled():
                Tombstone.objects.filter(pk=obj.pk).update(deleted_at=deleted_at)
            obj.deleted_at = deleted_at
        return obj
