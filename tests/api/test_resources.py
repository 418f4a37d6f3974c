"""Integration: what each resource returns, its filters, SIASN export, ETags."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from regions.models import Employee
from tests.factories.regions import EmployeeFactory, UnitFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
    SessionFactory,
    SpeakerFactory,
)
from training.models import OfferingUnitQuota
from training.services.siasn import structural_level

pytestmark = pytest.mark.django_db


def _ids(response):
    assert response.status_code == 200, response.content
    return sorted(row.get("id", row.get("offering_id")) for row in response.json()["results"])


def test_every_documented_field_is_returned_and_nothing_else(api, region, employee, client):
    with scopes_disabled():
        e = EnrolmentFactory(region=region, employee=employee)
    document = client.get("/api/schema/?format=json").json()
    documented = set(document["components"]["schemas"]["EnrolmentDoc"]["properties"])
    assert set(api.get(f"/api/v1/enrolments/{e.pk}/").json()) == documented


def test_enrolment_row_has_the_documented_shape(api, region, employee):
    with scopes_disabled():
        e = EnrolmentFactory(
            region=region,
            employee=employee,
            status="completed",
            attendance_rate=87.5,
            pre_test_score=60,
            post_test_score=90.25,
            jp_awarded=24,
            certificate_number="SMG/2026/1",
            course_progress=75,
            completed_at=timezone.now(),
        )
    row = api.get("/api/v1/enrolments/").json()["results"][0]
    assert row["id"] == e.pk
    assert row["status"] == "completed"
    assert (
        row["offering_id"],
        row["offering_name"],
        row["offering_start_date"],
        row["offering_end_date"],
    ) == (
        e.offering.pk,
        e.offering.name,
        e.offering.start_date.isoformat(),
        e.offering.end_date.isoformat(),
    )
    assert row["programme_code"] == e.offering.program.code
    assert (row["form_id"], row["form_name"]) == (3, "Diklat Teknis")
    assert row["programme_jp"] == 24
    assert row["employee_nip"] == employee.nip
    assert (row["unit_code"], row["unit_id"]) == ("BKPP", employee.unit_id)
    assert row["attendance_rate"] == 87.5
    assert row["post_test_score"] == 90.25
    assert row["jp_awarded"] == 24.0
    assert row["certificate_number"] == "SMG/2026/1"
    assert row["course_progress"] == 75
    assert row["completed_at"] and row["updated_at"] and row["requested_at"]
    assert api.get(f"/api/v1/enrolments/{e.pk}/").json() == row


def test_enrolment_filters(api, region, unit, employee):
    with scopes_disabled():
        other_unit = UnitFactory(region=region, code="DISDIK")
        colleague = EmployeeFactory(region=region, unit=other_unit)
        programme = ProgramFactory(region=region, code="ARSIP-1")
        late = OfferingFactory(
            region=region, program=programme, start_date=dt.date(2027, 3, 1), seats=5
        )
        a = EnrolmentFactory(region=region, employee=employee, status="confirmed")
        b = EnrolmentFactory(region=region, employee=colleague, offering=late, status="cancelled")
        c = EnrolmentFactory(region=region, employee=employee, offering=late, status="requested")
        type(b).objects.filter(pk=b.pk).update(
            requested_at=timezone.make_aware(dt.datetime(2026, 2, 10, 23, 30))
        )
    get = api.get
    assert _ids(get("/api/v1/enrolments/?status=confirmed,requested")) == sorted([a.pk, c.pk])
    assert _ids(get("/api/v1/enrolments/?status=cancelled&status=requested")) == sorted(
        [b.pk, c.pk]
    )
    assert _ids(get(f"/api/v1/enrolments/?offering={late.pk}")) == sorted([b.pk, c.pk])
    assert _ids(get("/api/v1/enrolments/?programme=ARSIP-1")) == sorted([b.pk, c.pk])
    assert _ids(get(f"/api/v1/enrolments/?programme={programme.pk}")) == sorted([b.pk, c.pk])
    assert _ids(get("/api/v1/enrolments/?unit=DISDIK")) == [b.pk]
    assert _ids(get(f"/api/v1/enrolments/?unit={unit.pk}")) == sorted([a.pk, c.pk])
    assert _ids(get(f"/api/v1/enrolments/?nip={colleague.nip}")) == [b.pk]
    assert _ids(get("/api/v1/enrolments/?requested_from=2026-02-10&requested_to=2026-02-10")) == [
        b.pk
    ]
    assert _ids(get("/api/v1/enrolments/?offering_start_from=2027-01-01")) == sorted([b.pk, c.pk])
    assert _ids(get("/api/v1/enrolments/?offering_start_to=2026-12-31")) == [a.pk]


def test_employees_expose_only_integration_fields(api, region, employee):
    row = next(r for r in api.get("/api/v1/employees/").json()["results"] if r["id"] == employee.pk)
    assert set(row) == {
        "id",
        "nip",
        "name",
        "unit_id",
        "unit_code",
        "unit_name",
        "employment_type",
        "golongan",
        "golongan_label",
        "pppk_grade",
        "position",
        "position_type",
        "functional_level",
        "is_active",
        "updated_at",
    }
    assert row["golongan"] == 31 and row["golongan_label"] == "III/a"
    assert employee.email not in api.get(f"/api/v1/employees/{employee.pk}/").content.decode()


def test_employee_filters(api, region, employee, unit):
    with scopes_disabled():
        pppk = EmployeeFactory(
            region=region, unit=unit, employment_type=Employee.EmploymentType.PPPK
        )
        gone = EmployeeFactory(region=region, unit=UnitFactory(region=region), is_active=False)
    assert pppk.pk in _ids(api.get("/api/v1/employees/?employment_type=pppk"))
    assert employee.pk not in _ids(api.get("/api/v1/employees/?employment_type=pppk"))
    assert _ids(api.get("/api/v1/employees/?active=false")) == [gone.pk]
    assert _ids(api.get(f"/api/v1/employees/?nip={employee.nip}")) == [employee.pk]
    assert gone.pk not in _ids(api.get(f"/api/v1/employees/?unit={unit.code}"))


def test_units(api, region, unit):
    with scopes_disabled():
        child = UnitFactory(region=region, parent=unit, code="BKPP.1")
    rows = {r["id"]: r for r in api.get("/api/v1/units/").json()["results"]}
    assert rows[child.pk]["parent_code"] == "BKPP"
    assert rows[unit.pk]["parent_id"] is None


def test_offerings_carry_sessions_and_seats(api, region, employee, unit):
    with scopes_disabled():
        offering = OfferingFactory(region=region, seats=3)
        OfferingUnitQuota.objects.create(region=region, offering=offering, unit=unit, seats=2)
        speaker = SpeakerFactory(region=region, name="Dr. Rina")
        s2 = SessionFactory(
            region=region, offering=offering, starts_at=timezone.now() + dt.timedelta(days=20)
        )
        s1 = SessionFactory(region=region, offering=offering, speaker=speaker)
        EnrolmentFactory(region=region, offering=offering, employee=employee)
        EnrolmentFactory(region=region, offering=offering, status="cancelled")
    row = api.get(f"/api/v1/offerings/{offering.pk}/").json()
    assert (row["seats"], row["reserved_seats"], row["seats_taken"], row["seats_left"]) == (
        3,
        2,
        1,
        4,
    )
    assert [s["id"] for s in row["sessions"]] == [s1.pk, s2.pk]
    assert row["sessions"][0]["speaker"] == "Dr. Rina"
    assert _ids(api.get("/api/v1/offerings/?status=open")) == [offering.pk]
    assert _ids(api.get("/api/v1/offerings/?status=cancelled")) == []


def test_programmes(api, region):
    with scopes_disabled():
        p = ProgramFactory(region=region, code="PKA-01", form_id=1)
        ProgramFactory(region=region, status="draft")
    row = api.get(f"/api/v1/programmes/{p.pk}/").json()
    assert (row["form_id"], row["form_kind"], row["form_is_structural"]) == (1, "klasikal", True)
    assert _ids(api.get("/api/v1/programmes/?form=1")) == [p.pk]
    assert len(_ids(api.get("/api/v1/programmes/?status=draft"))) == 1


def test_evaluation_summary_per_offering(api, region):
    with scopes_disabled():
        offering = OfferingFactory(region=region)
        for status, pre, post in (
            ("completed", 50, 80),
            ("completed", 60, 75),
            ("no_show", None, None),
            ("cancelled", 10, 20),
        ):
            EnrolmentFactory(
                region=region,
                offering=offering,
                status=status,
                pre_test_score=pre,
                post_test_score=post,
            )
        OfferingFactory(region=region)
    row = api.get(f"/api/v1/evaluations/{offering.pk}/").json()
    assert row["enrolled"] == 3
    assert row["completed"] == 2
    assert row["no_show"] == 1
    assert row["tested"] == 3
    assert row["pre_test_mean"] == 40.0
    assert row["post_test_mean"] == 58.33
    assert row["gain_mean"] == 18.33
    assert len(api.get("/api/v1/evaluations/").json()["results"]) == 2


def test_development_records_and_their_filters(api, region, employee):
    verified = DevelopmentRecordFactory(verified=True, region=region, employee=employee, year=2026)
    pending = DevelopmentRecordFactory(
        verified=True, region=region, employee=employee, year=2025, status="submitted"
    )
    row = api.get(f"/api/v1/development-records/{verified.pk}/").json()
    assert row["status"] == "verified" and row["jp"] == 24.0
    assert row["employee_nip"] == employee.nip
    assert _ids(api.get("/api/v1/development-records/?status=submitted")) == [pending.pk]
    assert _ids(api.get("/api/v1/development-records/?year=2026")) == [verified.pk]


def test_structural_levels_come_from_the_title():
    assert structural_level("PKA Angkatan II") == 3
    assert structural_level("Pelatihan Kepemimpinan Pengawas (PKP)") == 8  # needs the word
    assert structural_level("PKP Angkatan 3") == 2
    assert structural_level("PKN Tingkat II 2026") == 4
    assert structural_level("PKN Tingkat I 2026") == 5
    assert structural_level("Diklat lain") == 8


def test_siasn_export_in_both_shapes_json_and_csv(api, region, employee):
    kursus = DevelopmentRecordFactory(
        verified=True, region=region, employee=employee, jp="4.5", start_date=dt.date(2026, 3, 2)
    )
    diklat = DevelopmentRecordFactory(
        verified=True, region=region, employee=employee, form_id=1, title="PKA Angkatan II"
    )
    DevelopmentRecordFactory(
        verified=True, region=region, employee=employee, status="submitted"
    )  # never exported
    rows = api.get("/api/v1/development-records/siasn/").json()["results"]
    assert rows == [
        {
            "id": kursus.pk,
            "nip": employee.nip,
            "nama": employee.name,
            "jenisDiklatId": 3,
            "namaKursus": kursus.title,
            "nomorSertipikat": kursus.certificate_number,
            "jumlahJam": 5,
            "tahunKursus": 2026,
            "tanggalKursus": "02-03-2026",
            "tanggalSelesaiKursus": "04-03-2026",
            "institusiPenyelenggara": "BPSDM Provinsi",
        }
    ]
    rows = api.get("/api/v1/development-records/siasn/?kind=diklat").json()["results"]
    assert [(r["id"], r["latihanStrukturalId"], r["tahun"]) for r in rows] == [(diklat.pk, 3, 2026)]
    response = api.get("/api/v1/development-records/siasn/?format=csv&kind=diklat")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [(r["id"], r["latihanStrukturalId"], r["nomor"]) for r in table] == [
        (str(diklat.pk), "3", diklat.certificate_number)
    ]
    bad = api.get("/api/v1/development-records/siasn/?format=xml")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"


FORMULA = '=HYPERLINK("http://x","klik")'


def _csv_rows(response):
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_siasn_csv_writes_user_text_as_text_never_as_a_formula(api, region, employee):
    with scopes_disabled():
        Employee.objects.filter(pk=employee.pk).update(name="@Siti Aminah")
    kursus = DevelopmentRecordFactory(
        verified=True,
        region=region,
        employee=employee,
        title=FORMULA,
        organiser="+BPSDM",
        certificate_number="-SERT/1",
    )
    diklat = DevelopmentRecordFactory(
        verified=True, region=region, employee=employee, form_id=1, title=FORMULA
    )
    siasn = "/api/v1/development-records/siasn/?format=csv"
    (row,) = _csv_rows(api.get(siasn))
    assert row["id"] == str(kursus.pk)
    assert row["namaKursus"] == "'" + FORMULA
    assert row["nama"] == "'@Siti Aminah"
    assert (row["institusiPenyelenggara"], row["nomorSertipikat"]) == ("'+BPSDM", "'-SERT/1")
    assert (row["nip"], row["jumlahJam"], row["tanggalKursus"]) == (
        employee.nip,
        "24",
        "02-03-2026",
    )
    (row,) = _csv_rows(api.get(siasn + "&kind=diklat"))
    assert row["id"] == str(diklat.pk)
    assert row["namaDiklat"] == "'" + FORMULA
    assert row["nama"] == "'@Siti Aminah"
    assert row["institusiPenyelenggara"] == "BPSDM Provinsi"
    # JSON carries the text as typed: the escaping is for spreadsheets only.
    (item,) = api.get("/api/v1/development-records/siasn/").json()["results"]
    assert (item["namaKursus"], item["nama"]) == (FORMULA, "@Siti Aminah")


def test_etag_and_conditional_get(api, region, employee):
    with scopes_disabled():
        e = EnrolmentFactory(region=region, employee=employee)
    first = api.get(f"/api/v1/enrolments/{e.pk}/")
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api.get(f"/api/v1/enrolments/{e.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    with scopes_disabled():
        type(e).objects.filter(pk=e.pk).update(status="cancelled")
    changed = api.get(f"/api/v1/enrolments/{e.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_schema_and_docs_are_served_locally(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    document = schema.json()
    assert "/api/v1/enrolments/" in document["paths"]
    assert document["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    enrolment = document["components"]["schemas"]["EnrolmentDoc"]["properties"]
    assert all(field.get("description") for field in enrolment.values())
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower()


def test_evaluation_summary_carries_l1_and_l3(api, region):
    import datetime as dt

    from django.utils import timezone
    from django_scopes import scope

    from evaluations.models import L3Assessment, Survey, SurveyItem
    from evaluations.selectors.kirkpatrick import survey_questions
    from evaluations.services import surveys

    today = timezone.localdate()
    with scopes_disabled():
        offering = OfferingFactory(
            region=region,
            start_date=today - dt.timedelta(days=5),
            end_date=today - dt.timedelta(days=3),
            enrolment_opens=today - dt.timedelta(days=20),
            enrolment_closes=today - dt.timedelta(days=6),
            status="completed",
        )
        people = [
            EnrolmentFactory(region=region, offering=offering, status="completed")
            for _ in range(10)
        ]
        EnrolmentFactory(region=region, offering=offering, status="cancelled")
    with scope(region=region):
        surveys.survey_open(offering=offering)
        survey = Survey.objects.get(offering=offering)
        for e in people:
            data = {}
            for q in survey_questions(survey=survey, offering=offering):
                if q.item.kind == SurveyItem.Kind.LIKERT:
                    data[q.field] = "2" if q.item.is_relevance else "4"
                elif q.item.kind == SurveyItem.Kind.CHOICE:
                    data[q.field] = q.item.choices[0]
            surveys.survey_response_save(offering=offering, employee=e.employee, data=data)
        L3Assessment.objects.create(
            region=region,
            enrolment=people[0],
            offering=offering,
            role="supervisor",
            available_on=today,
            due_on=today,
            q_apply=4,
            q_quality=3,
            q_share=5,
            q_initiative=4,
            submitted_at=timezone.now(),
        )
    row = api.get(f"/api/v1/evaluations/{offering.pk}/").json()
    assert row["reaction"] == {
        "survey_open": True,
        "invited": 10,
        "responses": 10,
        "response_rate": 100.0,
        "mean": row["reaction"]["mean"],
        "relevance_mean": 2.0,
        "relevance_answers": 10,
        "relevance_flag": True,
    }
    assert 3.5 < row["reaction"]["mean"] < 4.0  # the relevance item pulls the 4s down
    assert row["behaviour"] == {
        "assessments": 1,
        "submitted": 1,
        "mean": 4.0,
        "supervisor_mean": 4.0,
    }
