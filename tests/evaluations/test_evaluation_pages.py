"""Integration: the evaluation pages (participant, assessor, admin) and their query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from evaluations.models import L3Assessment, OutcomeIndicator, Survey, SurveyResponse
from evaluations.services import surveys
from tests.factories.regions import EmployeeFactory
from tests.factories.training import EnrolmentFactory

from .test_kirkpatrick import answers, ended_batch


def _url(name, region, **kwargs):
    return reverse(f"evaluations:{name}", kwargs={"region_slug": region.slug, **kwargs})


@pytest.mark.django_db
def test_a_participant_fills_the_survey_then_edits_it(region, login):
    offering, (enrolment, *_rest) = ended_batch(region)
    with scope(region=region):
        surveys.survey_open(offering=offering)
        survey = Survey.objects.get(offering=offering)
        data = answers(survey, offering)
    client = login(enrolment.employee)
    url = _url("survey_fill", region, offering_id=offering.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert offering.program.title in page.content.decode()
    bad = {**data, next(iter(data)): "9"}
    refused = client.post(url, bad)
    assert refused.status_code == 400
    assert "Pilih nilai 1 sampai 5." in refused.content.decode()
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, next(iter(data)): "1"}).status_code == 302
    with scope(region=region):
        assert SurveyResponse.objects.filter(enrolment=enrolment).count() == 1
    listing = client.get(_url("my_surveys", region)).content.decode()
    assert "Sudah diisi" in listing


@pytest.mark.django_db
def test_someone_who_did_not_attend_gets_404_for_the_survey(region, login, employee):
    offering, _ = ended_batch(region)
    with scope(region=region):
        surveys.survey_open(offering=offering)
    client = login(employee)
    assert client.get(_url("survey_fill", region, offering_id=offering.pk)).status_code == 404


@pytest.mark.django_db
def test_the_recorded_supervisor_submits_l3_and_another_supervisor_cannot(region, unit, login):
    boss = EmployeeFactory(region=region, unit=unit)
    other_boss = EmployeeFactory(region=region, unit=unit)
    staff = EmployeeFactory(region=region, unit=unit, supervisor=boss)
    EmployeeFactory(region=region, unit=unit, supervisor=other_boss)
    offering, _ = ended_batch(region, days_ago=100, statuses=[])
    with scopes_disabled():
        enrolment = EnrolmentFactory(
            region=region, offering=offering, employee=staff, status="completed"
        )
    from evaluations import jobs

    jobs.l3_job()
    with scope(region=region):
        l3 = L3Assessment.objects.get(enrolment=enrolment, role="supervisor")
    url = _url("l3_fill", region, l3_id=l3.pk)
    data = {
        "q_apply": "4",
        "q_quality": "4",
        "q_share": "5",
        "q_initiative": "3",
        "examples": "SOP",
    }
    intruder = login(other_boss)
    assert intruder.get(url).status_code == 404
    assert intruder.post(url, data).status_code == 404
    client = login(boss)
    assert "Isi evaluasi" in client.get(_url("my_surveys", region)).content.decode()
    assert client.post(url, data).status_code == 302
    with scope(region=region):
        l3.refresh_from_db()
    assert l3.submitted_by == boss and l3.q_share == 5


@pytest.mark.django_db
def test_admin_pages_are_for_admins(region, login, employee):
    client = login(employee)
    assert client.get(_url("evaluation_index", region)).status_code == 403


def _batch_with_responses(region, n):
    offering, enrolments = ended_batch(region, n=n)
    with scope(region=region):
        surveys.survey_open(offering=offering)
        survey = Survey.objects.get(offering=offering)
        for i, e in enumerate(enrolments):
            surveys.survey_response_save(
                offering=offering,
                employee=e.employee,
                data=answers(survey, offering, likert=str(1 + i % 5), text=f"Komentar {i}"),
            )
    return offering


@pytest.mark.django_db
def test_batch_and_programme_reports_take_constant_queries(region, admin, login):
    client = login(admin)
    counts = []
    for n in (3, 30):
        offering = _batch_with_responses(region, n)
        for url in (
            _url("offering_report", region, offering_id=offering.pk),
            _url("program_report", region, program_id=offering.program_id),
            _url("evaluation_index", region),
            _url("flagged_list", region),
        ):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200
            counts.append((url.split("/")[-3], len(ctx.captured_queries)))
    small, large = counts[:4], counts[4:]
    assert [c for _u, c in small] == [c for _u, c in large]
    page = client.get(_url("offering_report", region, offering_id=offering.pk)).content.decode()
    assert "chart-sections" in page and "evaluation-chart-data" in page
    assert "Komentar 7" in page
    with scopes_disabled():
        name = offering.enrolments.first().employee.name
    assert name in page  # the L2 table names participants (scores are not anonymous)


@pytest.mark.django_db
def test_programme_report_downloads_and_l4_indicator_forms(region, admin, login, media):
    offering = _batch_with_responses(region, 3)
    client = login(admin)
    url = _url("program_report", region, program_id=offering.program_id)
    xlsx = client.get(url + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(url + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    created = client.post(
        _url("indicator_create", region, program_id=offering.program_id),
        {"name": "Lama penerbitan KTP", "unit": "hari", "baseline": "5", "target": "1"},
    )
    assert created.status_code == 302
    with scope(region=region):
        indicator = OutcomeIndicator.objects.get()
    today = timezone.localdate()
    client.post(
        _url("measurement_add", region, indicator_id=indicator.pk),
        {"value": "3", "measured_on": today.isoformat(), "source": "SIAK Disdukcapil"},
    )
    future = client.post(
        _url("measurement_add", region, indicator_id=indicator.pk),
        {"value": "2", "measured_on": (today + dt.timedelta(days=3)).isoformat(), "source": "X"},
        follow=True,
    )
    assert "tidak boleh di masa depan" in future.content.decode()
    page = client.get(url).content.decode()
    assert "Kemajuan 50,0% menuju target" in page  # Indonesian decimal comma


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_the_flag_shows_on_the_programme_page_and_ratings_on_the_speakers_page(
    region, admin, login
):
    from tests.factories.training import SpeakerFactory

    offering, people = ended_batch(region, n=10)
    with scopes_disabled():
        offering.speakers.add(SpeakerFactory(region=region, name="Dr. Narasumber Dinilai"))
    with scope(region=region):
        surveys.survey_open(offering=offering)
        survey = Survey.objects.get(offering=offering)
        for e in people:
            surveys.survey_response_save(
                offering=offering,
                employee=e.employee,
                data=answers(survey, offering, relevance="1"),
            )
    client = login(admin)
    programme = client.get(
        reverse(
            "training:program_detail",
            kwargs={"region_slug": region.slug, "pk": offering.program_id},
        )
    ).content.decode()
    assert "Kurang relevan" in programme
    batch = client.get(
        reverse("training:offering_detail", kwargs={"region_slug": region.slug, "pk": offering.pk})
    ).content.decode()
    assert "Kurang relevan" in batch
    assert _url("offering_report", region, offering_id=offering.pk) in batch
    speakers = client.get(
        reverse("training:speaker_list", kwargs={"region_slug": region.slug})
    ).content.decode()
    assert "Penilaian narasumber" in speakers and "Dr. Narasumber Dinilai" in speakers


@pytest.mark.django_db
def test_the_certificate_waits_for_the_survey_when_the_region_asks(region, login):
    from evaluations.models import EvaluationSettings
    from training.models import Certificate

    offering, (enrolment, *_rest) = ended_batch(region)
    with scopes_disabled():
        certificate = Certificate.objects.create(
            region=region,
            enrolment=enrolment,
            number="800/1/UJI/2026",
            year=2026,
            sequence=1,
            code="UJISURVEI000000000000000",
            holder_name=enrolment.employee.name,
            holder_nip=enrolment.employee.nip,
            program_title="Uji",
            offering_name="A1",
            start_date=offering.start_date,
            end_date=offering.end_date,
            jp=24,
            issued_at=timezone.now(),
        )
    with scope(region=region):
        surveys.survey_open(offering=offering)
        survey = Survey.objects.get(offering=offering)
    client = login(enrolment.employee)
    download = reverse(
        "training:my_certificate_download",
        kwargs={"region_slug": region.slug, "certificate_id": certificate.pk},
    )
    # Not asked by the region: the download goes through (the PDF is still being made: 404).
    assert client.get(download).status_code == 404
    with scopes_disabled():
        EvaluationSettings.objects.create(region=region, certificate_requires_survey=True)
    blocked = client.get(download)
    assert blocked.status_code == 302
    assert blocked["Location"] == _url("survey_fill", region, offering_id=offering.pk)
    with scope(region=region):
        surveys.survey_response_save(
            offering=offering, employee=enrolment.employee, data=answers(survey, offering)
        )
    assert client.get(download).status_code == 404  # answered: no longer held back


@pytest.mark.django_db
def test_the_home_page_says_what_evaluation_waits(region, login):
    offering, (enrolment, *_rest) = ended_batch(region)
    with scope(region=region):
        surveys.survey_open(offering=offering)
        survey = Survey.objects.get(offering=offering)
    client = login(enrolment.employee)
    home = reverse("region:home", kwargs={"region_slug": region.slug})
    assert "1 survei pasca pelatihan menunggu Anda." in client.get(home).content.decode()
    with scope(region=region):
        surveys.survey_response_save(
            offering=offering, employee=enrolment.employee, data=answers(survey, offering)
        )
    assert "survei pasca pelatihan menunggu" not in client.get(home).content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_participant_and_follow_up_pages_take_constant_queries(
    region, unit, admin, login, django_assert_num_queries
):
    from evaluations import jobs
    from tests.factories.training import SpeakerFactory

    boss = EmployeeFactory(region=region, unit=unit)
    participant = EmployeeFactory(region=region, unit=unit, supervisor=boss)

    def batches(n):
        for _ in range(n):
            offering, _ = ended_batch(region, days_ago=100, statuses=[])
            with scopes_disabled():
                EnrolmentFactory(
                    region=region, offering=offering, employee=participant, status="completed"
                )
                EnrolmentFactory(region=region, offering=offering, status="completed")
                offering.speakers.add(SpeakerFactory(region=region))
            with scope(region=region):
                surveys.survey_open(offering=offering)
        jobs.l3_job()
        return offering

    offering = batches(1)
    client = login(participant)
    fill = _url("survey_fill", region, offering_id=offering.pk)
    pages = {
        "mine": _count(client, _url("my_surveys", region)),
        "fill": _count(client, fill),
    }
    admin_client = login(admin)
    pages["l3_admin"] = _count(admin_client, _url("l3_admin_list", region))
    pages["speakers"] = _count(admin_client, _url("speaker_list", region))
    offering = batches(3)
    with scopes_disabled():
        for _ in range(2):
            offering.speakers.add(SpeakerFactory(region=region))
    client = login(participant)
    with django_assert_num_queries(pages["mine"]):
        client.get(_url("my_surveys", region))
    with django_assert_num_queries(pages["fill"]):
        client.get(_url("survey_fill", region, offering_id=offering.pk))
    admin_client = login(admin)
    with django_assert_num_queries(pages["l3_admin"]):
        admin_client.get(_url("l3_admin_list", region))
    with django_assert_num_queries(pages["speakers"]):
        admin_client.get(_url("speaker_list", region))
