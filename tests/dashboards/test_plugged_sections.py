"""The region dashboard shows the evaluation (L1–L3) of the year's programmes, the ones
participants find irrelevant first, from the evaluation app's selectors."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from evaluations.models import Survey
from evaluations.services import surveys
from tests.evaluations.test_kirkpatrick import answers, ended_batch
from tests.factories.training import ProgramFactory

pytestmark = pytest.mark.django_db


def test_the_region_dashboard_lists_a_programme_flagged_as_irrelevant(
    region, other_region, admin, login
):
    with scope(region=region):
        program = ProgramFactory(region=region, title="Pelatihan Kurang Pas")
        batch, people = ended_batch(region, n=10, program=program)
        surveys.survey_open(offering=batch)
        survey = Survey.objects.get(offering=batch)
        for enrolment in people:
            surveys.survey_response_save(
                offering=batch,
                employee=enrolment.employee,
                data=answers(survey, batch, relevance="2"),
            )
    with scope(region=other_region):
        ProgramFactory(region=other_region, title="Program Binjai Lain")
    url = reverse("dashboards:region", args=[region.slug]) + f"?tahun={timezone.localdate().year}"
    html = login(admin).get(url).content.decode()
    assert "Evaluasi pasca pelatihan" in html
    assert "1 program dinilai kurang relevan oleh peserta" in html
    assert "Pelatihan Kurang Pas" in html and "relevansi 2" in html
    assert "Program Binjai Lain" not in html
