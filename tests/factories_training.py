"""factory_boy factories for the training app (created with scopes disabled)."""

import datetime as dt

import factory
from django.utils import timezone

from training.models import (
    Competency,
    CompetencyType,
    DeliveryMode,
    DevelopmentForm,
    Enrolment,
    Offering,
    Program,
    Provider,
    Session,
    Speaker,
)

from .factories import EmployeeFactory, RegionFactory, ScopedFactory


def development_form(form_id: int = 3) -> DevelopmentForm:
    """A national form of development, loaded by migration (3 = Diklat Teknis)."""
    return DevelopmentForm.objects.get(pk=form_id)


class ProviderFactory(ScopedFactory):
    class Meta:
        model = Provider

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Universitas Contoh {n}")
    kind = Provider.Kind.UNIVERSITY


class SpeakerFactory(ScopedFactory):
    class Meta:
        model = Speaker

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Dr. Narasumber {n}")
    expertise = "Kebijakan publik"


class CompetencyFactory(ScopedFactory):
    class Meta:
        model = Competency

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"T.{n:02d}")
    name = factory.Sequence(lambda n: f"Pengelolaan Arsip Digital {n}")
    type = CompetencyType.TEKNIS


class ProgramFactory(ScopedFactory):
    class Meta:
        model = Program

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"PRG-{n:03d}")
    title = factory.Sequence(lambda n: f"Pelatihan Pelayanan Publik {n}")
    description = "Pelatihan untuk meningkatkan kualitas layanan."
    form = factory.LazyFunction(development_form)
    competency_type = CompetencyType.TEKNIS
    jp = 24
    delivery_mode = DeliveryMode.TATAP_MUKA
    status = Program.Status.PUBLISHED


class OfferingFactory(ScopedFactory):
    """An open batch: the window is open today and it starts in two weeks."""

    class Meta:
        model = Offering

    region = factory.SubFactory(RegionFactory)
    program = factory.LazyAttribute(lambda o: ProgramFactory(region=o.region))
    name = factory.Sequence(lambda n: f"Angkatan {n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=2))
    enrolment_opens = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    enrolment_closes = factory.LazyAttribute(lambda o: o.start_date - dt.timedelta(days=1))
    seats = 20
    requires_approval = False
    has_waitlist = True
    venue = "Aula BKPSDM"
    status = Offering.Status.OPEN


class SessionFactory(ScopedFactory):
    class Meta:
        model = Session

    region = factory.SubFactory(RegionFactory)
    offering = factory.LazyAttribute(lambda o: OfferingFactory(region=o.region))
    title = factory.Sequence(lambda n: f"Sesi {n}")
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(dt.datetime.combine(o.offering.start_date, dt.time(9, 0)))
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    location = "Aula BKPSDM"


class EnrolmentFactory(ScopedFactory):
    """A confirmed enrolment written directly (tests of services use the services)."""

    class Meta:
        model = Enrolment

    region = factory.SubFactory(RegionFactory)
    offering = factory.LazyAttribute(lambda o: OfferingFactory(region=o.region))
    employee = factory.LazyAttribute(lambda o: EmployeeFactory(region=o.region))
    status = Enrolment.Status.CONFIRMED
    source = Enrolment.Source.SELF
    requested_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
