"""The evaluation app's panels on training's admin pages (`training.panels`), registered in
`EvaluationsConfig.ready()`: a programme's and a batch's evaluation figures with the
"kurang relevan" flag and a link to the report, and the speakers' ratings; and the
certificate gate (`training.certificate_gates`). Each costs a fixed
number of queries (two or three)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Survey
from .selectors import kirkpatrick as sel


def program_panel(*, request, obj):
    scores = sel.programme_l1_scores(region=request.region, program_ids=[obj.pk]).get(obj.pk)
    return render_to_string(
        "evaluations/evaluation/_panel_program.html",
        {"program": obj, "scores": scores},
        request=request,
    )


def offering_panel(*, request, obj):
    survey = Survey.objects.filter(offering=obj).select_related("template").first()
    relevance = sel.offering_relevance(region=request.region, offering_ids=[obj.pk]).get(obj.pk)
    return render_to_string(
        "evaluations/evaluation/_panel_offering.html",
        {"offering": obj, "survey": survey, "relevance": relevance},
        request=request,
    )


def speaker_panel(*, request, obj=None):
    ratings = sel.speaker_ratings(region=request.region)
    if not ratings:
        return None
    return render_to_string(
        "evaluations/evaluation/_panel_speakers.html", {"ratings": ratings}, request=request
    )


def certificate_survey_gate(*, certificate, request):
    """`training.certificate_gates`: the survey first, when the region asks for it."""
    enrolment = certificate.enrolment
    survey = sel.certificate_waits_for_survey(enrolment=enrolment, today=timezone.localdate())
    if survey is None:
        return None
    return (
        _("Isi survei pasca pelatihan terlebih dahulu; sertifikat dapat diunduh sesudahnya."),
        reverse(
            "evaluations:survey_fill",
            kwargs={"region_slug": request.region.slug, "offering_id": enrolment.offering_id},
        ),
    )


def home_context(request) -> dict:
    """The region home's "evaluation waiting" section (`regions.home`)."""
    employee = getattr(request.access, "employee", None)
    if employee is None:
        return {}
    return {
        "evaluation_waiting": sel.evaluation_waiting(employee=employee, today=timezone.localdate())
    }
