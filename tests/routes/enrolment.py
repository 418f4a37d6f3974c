"""Region routes of enrolment pages."""

from tests.factories_training import OfferingFactory


def build_leak(leak):
    if not hasattr(leak, "offering"):
        leak.offering = OfferingFactory(region=leak.region)


ROUTES = {
    "training:offering_enrol": lambda leak: {"offering_id": leak.offering.pk},
    "training:my_enrolments": lambda leak: {},
}
