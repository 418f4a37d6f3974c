"""Region routes of the post-training evaluation (surveys, L3, L4, reports)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from evaluations.models import L3Assessment, OutcomeIndicator, Survey, SurveyTemplate
from evaluations.services.surveys import template_default
from tests.factories.training import EnrolmentFactory, OfferingFactory, ProgramFactory
from training.models import Enrolment, Offering


def build_leak(leak):
    today = timezone.localdate()
    program = ProgramFactory(region=leak.region, title="Evaluasi Rahasia Binjai")
    offering = OfferingFactory(
        region=leak.region,
        program=program,
        start_date=today - dt.timedelta(days=120),
        end_date=today - dt.timedelta(days=118),
        enrolment_opens=today - dt.timedelta(days=140),
        enrolment_closes=today - dt.timedelta(days=121),
        status=Offering.Status.COMPLETED,
    )
    enrolment = EnrolmentFactory(
        region=leak.region,
        offering=offering,
        employee=leak.employee,
        status=Enrolment.Status.COMPLETED,
    )
    template = template_default(region=leak.region, mode=SurveyTemplate.Mode.CLASSROOM)
    Survey.objects.create(
        region=leak.region,
        offering=offering,
        template=template,
        opens_on=today,
        closes_on=today + dt.timedelta(days=14),
        opened_at=timezone.now(),
    )
    leak.eval_offering = offering
    leak.eval_program = program
    leak.eval_template = template
    leak.l3 = L3Assessment.objects.create(
        region=leak.region,
        enrolment=enrolment,
        offering=offering,
        role=L3Assessment.Role.SUPERVISOR,
        assessor=leak.admin,
        available_on=today - dt.timedelta(days=1),
        due_on=today + dt.timedelta(days=30),
    )
    leak.indicator = OutcomeIndicator.objects.create(
        region=leak.region,
        program=program,
        name="Rahasia Binjai",
        unit="hari",
        baseline=Decimal(5),
        target=Decimal(1),
    )


ROUTES = {
    "evaluations:my_surveys": lambda leak: {},
    "evaluations:survey_fill": lambda leak: {"offering_id": leak.eval_offering.pk},
    "evaluations:l3_fill": lambda leak: {"l3_id": leak.l3.pk},
    "evaluations:evaluation_index": lambda leak: {},
    "evaluations:flagged_list": lambda leak: {},
    "evaluations:offering_report": lambda leak: {"offering_id": leak.eval_offering.pk},
    "evaluations:program_report": lambda leak: {"program_id": leak.eval_program.pk},
    "evaluations:program_delay": lambda leak: {"program_id": leak.eval_program.pk},
    "evaluations:indicator_create": lambda leak: {"program_id": leak.eval_program.pk},
    "evaluations:measurement_add": lambda leak: {"indicator_id": leak.indicator.pk},
    "evaluations:l3_admin_list": lambda leak: {},
    "evaluations:l3_manage": lambda leak: {"l3_id": leak.l3.pk},
    "evaluations:template_list": lambda leak: {},
    "evaluations:template_detail": lambda leak: {"template_id": leak.eval_template.pk},
    "evaluations:speaker_list": lambda leak: {},
    "evaluations:settings": lambda leak: {},
}
