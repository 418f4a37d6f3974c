"""Factories of the regions app: regions, units, users, employees (with logins), tombstones."""

import datetime as dt
import itertools

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from regions import nip as nip_rules
from regions.models import (
    Employee,
    Golongan,
    Membership,
    PositionType,
    Region,
    Tombstone,
    Unit,
    User,
)

from .base import ScopedFactory

_nip_counter = itertools.count(1)


def next_nip(employment_type: str = nip_rules.PNS) -> str:
    n = next(_nip_counter)
    birth = dt.date(1970 + n % 25, 1 + n % 12, 1 + n % 28)
    return nip_rules.build_nip(
        birth_date=birth,
        appointment_year=birth.year + 23,
        appointment_month=1 + (n // 12) % 12,
        gender=nip_rules.MALE if n % 2 else nip_rules.FEMALE,
        sequence=1 + n % 997,
        employment_type=employment_type,
        contract_code=n % 100,
    )


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"wilayah-{n}")
    name = factory.Sequence(lambda n: f"Wilayah {n}")
    kind = Region.Kind.KOTA
    province = "Sumatera Utara"
    agency_name = factory.LazyAttribute(lambda o: f"BKPSDM Kota {o.name}")


class UnitFactory(ScopedFactory):
    class Meta:
        model = Unit

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    kind = Unit.Kind.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.go.id")
    password = factory.django.Password("Rahasia-123!")


class EmployeeFactory(ScopedFactory):
    class Meta:
        model = Employee
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    unit = factory.LazyAttribute(lambda o: UnitFactory(region=o.region))
    nip = factory.LazyFunction(next_nip)
    name = factory.Sequence(lambda n: f"Pegawai Contoh {n}")
    email = factory.Sequence(lambda n: f"pegawai{n}@example.go.id")
    employment_type = Employee.EmploymentType.PNS
    gender = factory.LazyAttribute(lambda o: nip_rules.parse_nip(o.nip, o.employment_type).gender)
    birth_date = factory.LazyAttribute(
        lambda o: nip_rules.parse_nip(o.nip, o.employment_type).birth_date
    )
    golongan = factory.LazyAttribute(
        lambda o: Golongan.III_A if o.employment_type == Employee.EmploymentType.PNS else None
    )
    pppk_grade = factory.LazyAttribute(
        lambda o: 9 if o.employment_type == Employee.EmploymentType.PPPK else None
    )
    position = "Analis Kebijakan"
    position_type = PositionType.PELAKSANA
    user = factory.LazyAttribute(
        lambda o: UserFactory(username=o.nip, email=o.email, first_name=o.name)
    )

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        if create and obj.user_id:
            Membership.objects.get_or_create(
                user=obj.user, region=obj.region, defaults={"role": extracted or "member"}
            )


def make_admin(region: Region, **kwargs) -> Employee:
    return EmployeeFactory(region=region, membership=Membership.Role.ADMIN, **kwargs)


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


def quick_employee(region, unit=None, **kwargs):
    """An employee with a login whose password is unusable (argon2 would cost ~0.3 s each)."""
    unit = unit or UnitFactory(region=region)
    return EmployeeFactory(region=region, unit=unit, user=UserFactory(password=None), **kwargs)


def quick_employees(region, n, unit=None, **kwargs):
    unit = unit or UnitFactory(region=region)
    return [quick_employee(region, unit=unit, **kwargs) for _ in range(n)]
