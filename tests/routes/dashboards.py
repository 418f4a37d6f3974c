"""Region routes of the dashboards and the recognition list."""

import datetime as dt

from django.utils import timezone
from django_scopes import scopes_disabled

from dashboards.models import RecognitionEntry, RecognitionList
from tests.factories.training import EnrolmentFactory, OfferingFactory
from training.models import Enrolment


def build_leak(leak):
    with scopes_disabled():
        if not hasattr(leak, "dash_enrolment"):
            offering = OfferingFactory(region=leak.region, requires_approval=True)
            leak.dash_enrolment = EnrolmentFactory(
                region=leak.region,
                offering=offering,
                employee=leak.employee,
                status=Enrolment.Status.REQUESTED,
            )
        if not hasattr(leak, "recognition_entry"):
            recognition = RecognitionList.objects.create(
                region=leak.region,
                year=dt.date.today().year,
                published_at=timezone.now(),
            )
            leak.recognition_entry = RecognitionEntry.objects.create(
                region=leak.region,
                recognition=recognition,
                employee=leak.employee,
                employment_type=leak.employee.employment_type,
                unit=leak.unit,
                rank=1,
                verified_jp=40,
                programmes=3,
            )


ROUTES = {
    "dashboards:asn": lambda leak: {},
    "dashboards:team": lambda leak: {},
    "dashboards:team_approve": lambda leak: {"enrolment_id": leak.dash_enrolment.pk},
    "dashboards:region": lambda leak: {},
    "dashboards:region_people": lambda leak: {},
    "dashboards:export_asn": lambda leak: {},
    "dashboards:export_team": lambda leak: {},
    "dashboards:export_region": lambda leak: {},
    "dashboards:recognition": lambda leak: {},
    "dashboards:recognition_publish": lambda leak: {},
    "dashboards:recognition_withdraw": lambda leak: {},
    "dashboards:recognition_opt_out": lambda leak: {},
    "dashboards:recognition_export": lambda leak: {},
    "dashboards:recognition_certificate": lambda leak: {"entry_id": leak.recognition_entry.pk},
}
