"""Integration: personal-data rights (UU PDP): an ASN downloads their data in the background;
an admin anonymises a departed employee while the region's JP totals stay equal."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from regions.models import AuditEvent, Employee, Membership, PersonalDataExport, User
from tests.factories.training import DevelopmentRecordFactory, EnrolmentFactory, OfferingFactory
from training.models import DevelopmentRecord, Enrolment
from training.selectors.records import verified_jp_by_employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(region, unit, employee, other_employee):
    offering = OfferingFactory(region=region)
    EnrolmentFactory(region=region, offering=offering, employee=employee, motivation="Ingin maju")
    DevelopmentRecordFactory(
        region=region,
        employee=employee,
        verified=True,
        evidence=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 Siti Aminah"),
    )
    DevelopmentRecordFactory(region=region, employee=employee, verified=True, form_id=1)
    DevelopmentRecordFactory(region=other_employee.region, employee=other_employee)
    return offering


def test_an_asn_downloads_everything_in_one_click_in_the_background(
    region, employee, history, login, django_capture_on_commit_callbacks
):
    client = login(employee)
    url = reverse("region:my_data", args=[region.slug])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(url).status_code == 302
    with scope(region=region):
        export = PersonalDataExport.objects.get(employee=employee)
    assert export.status == PersonalDataExport.Status.QUEUED and len(callbacks) == 1
    callbacks[0]()  # the worker runs the task
    page = client.get(url).content.decode()
    download = reverse("region:my_data_download", args=[region.slug, export.pk])
    assert download in page
    response = client.get(download)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    sections = data["bagian"]
    assert sections["profil"]["isi"]["nip"] == employee.nip
    assert len(sections["riwayat_jp"]["isi"]) == 2
    assert sections["pendaftaran"]["isi"][0]["alasan_mengikuti"] == "Ingin maju"
    assert "Budi Binjai" not in archive.read("data.json").decode()
    html = archive.read("data.html").decode()
    assert employee.name in html and "Riwayat pengembangan kompetensi" in html
    assert "<script" not in html


def test_another_employee_cannot_download_it(region, employee, supervisor, history, login):
    with scope(region=region):
        export = PersonalDataExport.objects.create(
            region=region, employee=employee, status=PersonalDataExport.Status.DONE
        )
    url = reverse("region:my_data_download", args=[region.slug, export.pk])
    assert login(supervisor).get(url).status_code == 404


def _region_totals(region):
    with scope(region=region):
        per_employee = verified_jp_by_employee(region=region, year=2026)
        return (
            sum(row["total"] for row in per_employee),
            DevelopmentRecord.objects.filter(region=region).aggregate(s=Sum("jp"))["s"],
            Enrolment.objects.filter(region=region).count(),
            Employee.objects.filter(region=region).count(),
        )


def test_admin_anonymises_a_departed_employee_and_region_totals_stay_equal(
    region, admin, employee, history, login
):
    before = _region_totals(region)
    user_id, old_nip, old_name = employee.user_id, employee.nip, employee.name
    client = login(admin)
    url = reverse("region:employee_anonymise", args=[region.slug, employee.pk])
    # Still active: refused with a clear message.
    client.post(url)
    with scopes_disabled():
        assert Employee.objects.get(pk=employee.pk).anonymised_at is None
    client.post(reverse("region:employee_toggle", args=[region.slug, employee.pk]), {"active": "0"})
    assert "Ya, anonimkan" in client.get(url).content.decode()
    assert client.post(url).status_code == 302

    assert _region_totals(region) == before
    with scopes_disabled():
        person = Employee.objects.get(pk=employee.pk)
        assert person.name.startswith("Pegawai dianonimkan") and person.nip.startswith("ANON")
        assert (person.email, person.phone, person.user_id) == ("", "", None)
        assert person.birth_date.month == 1 and person.birth_date.day == 1
        assert not User.objects.filter(pk=user_id).exists()
        assert not Membership.objects.filter(user_id=user_id).exists()
        record = DevelopmentRecord.objects.filter(employee=person).exclude(evidence="").first()
        assert record is None  # evidence files removed
        events = AuditEvent.objects.filter(region=region, action=AuditEvent.Action.ANONYMISE)
        assert events.count() == 1
        # The act is recorded, without copying the erased values into it.
        text = json.dumps(list(AuditEvent.objects.filter(pk=events[0].pk).values()), default=str)
        assert old_nip not in text and old_name not in text
        assert events[0].actor_id == admin.user.pk


def test_anonymising_twice_or_an_active_employee_is_refused(region, employee, admin):
    from django.core.exceptions import ValidationError

    from regions import privacy

    with scope(region=region), pytest.raises(ValidationError, match="dinonaktifkan"):
        privacy.employee_anonymise(employee=employee, region=region)
