"""Region routes of the catalogue (ASN catalogue and admin pages)."""

from tests.factories.training import OfferingFactory, ProgramFactory, SessionFactory
from training.models import OfferingUnitQuota


def build_leak(leak):
    if not hasattr(leak, "program"):
        leak.program = ProgramFactory(region=leak.region, title="Rahasia Binjai")
    if not hasattr(leak, "offering"):
        leak.offering = OfferingFactory(region=leak.region, program=leak.program)
    if not hasattr(leak, "session"):
        leak.session = SessionFactory(region=leak.region, offering=leak.offering)
    if not hasattr(leak, "unit_quota"):
        leak.unit_quota = OfferingUnitQuota.objects.create(
            region=leak.region, offering=leak.offering, unit=leak.unit, seats=2
        )


ROUTES = {
    "training:catalogue": lambda leak: {},
    "training:catalogue_program": lambda leak: {"pk": leak.program.pk},
    "training:program_list": lambda leak: {},
    "training:program_create": lambda leak: {},
    "training:program_detail": lambda leak: {"pk": leak.program.pk},
    "training:program_edit": lambda leak: {"pk": leak.program.pk},
    "training:program_publish": lambda leak: {"pk": leak.program.pk},
    "training:program_archive": lambda leak: {"pk": leak.program.pk},
    "training:offering_create": lambda leak: {"pk": leak.program.pk},
    "training:offering_list": lambda leak: {},
    "training:offering_detail": lambda leak: {"pk": leak.offering.pk},
    "training:offering_edit": lambda leak: {"pk": leak.offering.pk},
    "training:offering_copy": lambda leak: {"pk": leak.offering.pk},
    "training:offering_open": lambda leak: {"pk": leak.offering.pk},
    "training:offering_start": lambda leak: {"pk": leak.offering.pk},
    "training:offering_cancel": lambda leak: {"pk": leak.offering.pk},
    "training:offering_quota_set": lambda leak: {"pk": leak.offering.pk},
    "training:offering_quota_remove": lambda leak: {"pk": leak.unit_quota.pk},
    "training:session_create": lambda leak: {"pk": leak.offering.pk},
    "training:session_recurring": lambda leak: {"pk": leak.offering.pk},
    "training:session_edit": lambda leak: {"pk": leak.session.pk},
    "training:session_cancel": lambda leak: {"pk": leak.session.pk},
}
