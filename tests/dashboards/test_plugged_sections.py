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


def surveyed_batch(region, title: str, relevance: str, n: int = 10):
    """A programme's ended batch of `n` participants who all answered its survey with this
    relevance score (inside the region's scope)."""
    program = ProgramFactory(region=region, title=title)
    batch, people = ended_batch(region, n=n, program=program)
    surveys.survey_open(offering=batch)
    survey = Survey.objects.get(offering=batch)
    for enrolment in people:
        surveys.survey_response_save(
            offering=batch,
            employee=enrolment.employee,
            data=answers(survey, batch, relevance=relevance),
        )
    return batch


def test_the_region_dashboard_lists_a_programme_flagged_as_irrelevant(
    region, other_region, admin, login
):
    with scope(region=region):
        surveyed_batch(region, "Pelatihan Kurang Pas", relevance="2")
    with scope(region=other_region):
        ProgramFactory(region=other_region, title="Program Binjai Lain")
    url = reverse("dashboards:region", args=[region.slug]) + f"?tahun={timezone.localdate().year}"
    html = login(admin).get(url).content.decode()
    assert "Evaluasi pasca pelatihan" in html
    assert "1 program dinilai kurang relevan oleh peserta" in html
    assert "Pelatihan Kurang Pas" in html and "relevansi 2" in html
    assert "Program Binjai Lain" not in html


def test_cached_evaluation_figures_follow_the_flagging_settings(region, admin, login):
    """A change of the relevance threshold shows at once on the (cached) region dashboard."""
    from decimal import Decimal

    from evaluations.models import EvaluationSettings

    with scope(region=region):
        surveyed_batch(region, "Pelatihan Arsip", relevance="3")
        EvaluationSettings.objects.create(region=region)  # the defaults: threshold 3.00
    url = reverse("dashboards:region", args=[region.slug]) + f"?tahun={timezone.localdate().year}"
    client = login(admin)
    assert "dinilai kurang relevan" not in client.get(url).content.decode()
    with scope(region=region):
        EvaluationSettings.objects.filter(region=region).update(relevance_threshold=Decimal("3.5"))
    assert "1 program dinilai kurang relevan oleh peserta" in client.get(url).content.decode()


def test_the_evaluation_version_moves_with_settings_answers_and_indicators(region, admin):
    """What keys the cached evaluation figures besides the data version."""
    from decimal import Decimal

    from dashboards.selectors.version import evaluation_version
    from evaluations.models import EvaluationSettings, OutcomeIndicator

    with scope(region=region):
        program = ProgramFactory(region=region)
        batch, people = ended_batch(region, n=2, program=program)
        surveys.survey_open(offering=batch)
        survey = Survey.objects.get(offering=batch)
        seen = [evaluation_version(region=region)]
        EvaluationSettings.objects.create(region=region)
        seen.append(evaluation_version(region=region))
        EvaluationSettings.objects.filter(region=region).update(relevance_threshold=Decimal("4"))
        seen.append(evaluation_version(region=region))
        surveys.survey_response_save(
            offering=batch, employee=people[0].employee, data=answers(survey, batch)
        )
        seen.append(evaluation_version(region=region))
        OutcomeIndicator.objects.create(
            region=region, program=program, name="Waktu layanan", unit="hari", baseline=5, target=2
        )
        seen.append(evaluation_version(region=region))
    assert len(set(seen)) == len(seen), seen
