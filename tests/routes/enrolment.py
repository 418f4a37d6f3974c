"""Region routes of enrolment pages (ASN, supervisor approvals, admin participants)."""

from tests.factories.training import EnrolmentFactory, OfferingFactory, SessionFactory
from training.models import Enrolment


def build_leak(leak):
    if not hasattr(leak, "offering"):
        leak.offering = OfferingFactory(region=leak.region)
    if not hasattr(leak, "session"):
        leak.session = SessionFactory(region=leak.region, offering=leak.offering)
    if not hasattr(leak, "enrolment"):
        # Requested, so it would show on an approvals page if it leaked.
        leak.enrolment = EnrolmentFactory(
            region=leak.region,
            offering=leak.offering,
            employee=leak.employee,
            status=Enrolment.Status.REQUESTED,
            confirmed_at=None,
            motivation="Rahasia Binjai",
        )


ROUTES = {
    "training:offering_enrol": lambda leak: {"offering_id": leak.offering.pk},
    "training:my_enrolments": lambda leak: {},
    "training:my_enrolment_detail": lambda leak: {"enrolment_id": leak.enrolment.pk},
    "training:my_enrolment_cancel": lambda leak: {"enrolment_id": leak.enrolment.pk},
    "training:approval_list": lambda leak: {},
    "training:approval_decide": lambda leak: {"enrolment_id": leak.enrolment.pk},
    "training:enrolment_overview": lambda leak: {},
    "training:enrolment_admin_detail": lambda leak: {"enrolment_id": leak.enrolment.pk},
    "training:enrolment_admin_cancel": lambda leak: {"enrolment_id": leak.enrolment.pk},
    "training:offering_participants": lambda leak: {"offering_id": leak.offering.pk},
    "training:offering_participants_csv": lambda leak: {"offering_id": leak.offering.pk},
    "training:offering_bulk_enrol": lambda leak: {"offering_id": leak.offering.pk},
    "training:offering_fill_waitlist": lambda leak: {"offering_id": leak.offering.pk},
    "training:offering_complete": lambda leak: {"offering_id": leak.offering.pk},
    "training:session_attendance": lambda leak: {"session_id": leak.session.pk},
}
