"""Integration: JP ledger services — external records, evidence, verification, my year."""

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from regions.models import Employee, Notification, Tombstone
from tests.factories.regions import EmployeeFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    development_form,
    jpeg_upload,
    pdf_upload,
    png_upload,
)
from training.models import DevelopmentRecord, HistoryEvent
from training.notifications import Kind
from training.selectors.records import record_history, record_year_summary
from training.services import records as services
from training.validators import sniff_evidence_kind, validate_evidence_file

pytestmark = pytest.mark.django_db
S = DevelopmentRecord.Status
TODAY = timezone.localdate()
LAST_WEEK = TODAY - dt.timedelta(days=7)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


def submit(employee, **overrides):
    values = {
        "employee": employee,
        "user": employee.user,
        "title": "Seminar Nasional Transformasi Digital",
        "form": development_form(9),
        "organiser": "Kementerian PANRB",
        "start_date": LAST_WEEK,
        "end_date": LAST_WEEK + dt.timedelta(days=1),
        "jp": Decimal("8"),
        "evidence": pdf_upload(),
    }
    values.update(overrides)
    return services.record_submit(**values)


def actions(record):
    return [event.action for event in record_history(record=record)]


# --- Evidence validation -----------------------------------------------------------------------


def test_evidence_kind_is_sniffed_from_the_content():
    assert sniff_evidence_kind(pdf_upload()) == "pdf"
    assert sniff_evidence_kind(png_upload()) == "png"
    assert sniff_evidence_kind(jpeg_upload()) == "jpg"
    assert sniff_evidence_kind(pdf_upload("bukti.pdf", b"just some text, not a PDF")) is None


def test_a_pdf_that_is_really_text_is_refused():
    with pytest.raises(ValidationError, match="PDF atau gambar"):
        validate_evidence_file(pdf_upload("sertifikat.pdf", b"Sertifikat palsu\n" * 10))


def test_content_must_match_the_extension():
    with pytest.raises(ValidationError, match="tidak sesuai"):
        validate_evidence_file(png_upload("sertifikat.pdf"))


def test_evidence_size_limit_is_configurable(settings):
    settings.KOMPETENSI_EVIDENCE_MAX_BYTES = 40
    with pytest.raises(ValidationError, match="terlalu besar"):
        validate_evidence_file(pdf_upload(content=b"%PDF-1.4\n" + b"x" * 100))
    settings.KOMPETENSI_EVIDENCE_MAX_BYTES = 4000
    assert validate_evidence_file(pdf_upload()) == "pdf"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="kosong"):
        validate_evidence_file(pdf_upload(content=b""))


# --- Submit ------------------------------------------------------------------------------------


def test_submit_stores_a_waiting_record_with_its_evidence(in_region, employee, media):
    record = submit(employee)
    record.refresh_from_db()
    assert record.status == S.SUBMITTED
    assert record.source == DevelopmentRecord.Source.EXTERNAL
    assert record.year == LAST_WEEK.year
    assert record.submitted_by == employee.user
    assert record.evidence.name.startswith(f"evidence/{employee.region_id}/{employee.pk}/bukti-")
    assert record.evidence.name.endswith(".pdf")
    assert record.evidence.read() == pdf_upload().read()
    assert actions(record) == ["submitted"]


def test_images_are_accepted_as_evidence(in_region, employee):
    assert submit(employee, evidence=png_upload()).evidence.name.endswith(".png")
    assert submit(employee, evidence=jpeg_upload()).evidence.name.endswith(".jpg")


BAD_INPUTS = [
    ("end before start", {"end_date": LAST_WEEK - dt.timedelta(days=1)}, "end_date"),
    ("zero JP", {"jp": Decimal("0")}, "jp"),
    ("negative JP", {"jp": Decimal("-3")}, "jp"),
    ("missing JP", {"jp": None}, "jp"),
    ("missing evidence", {"evidence": None}, "evidence"),
    ("text posing as PDF", {"evidence": pdf_upload("a.pdf", b"hello world")}, "evidence"),
    (
        "future year",
        {"start_date": dt.date(TODAY.year + 1, 1, 5), "end_date": dt.date(TODAY.year + 1, 1, 6)},
        "end_date",
    ),
    ("not finished yet", {"end_date": TODAY + dt.timedelta(days=1)}, "end_date"),
    ("no title", {"title": "   "}, "title"),
    ("no organiser", {"organiser": ""}, "organiser"),
    ("no form", {"form": None}, "form"),
    ("seminar above its cap", {"jp": Decimal("9")}, "jp"),
]


@pytest.mark.parametrize(("case", "overrides", "field"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_refused_and_nothing_is_saved(
    in_region, employee, media, case, overrides, field
):
    with pytest.raises(ValidationError) as exc:
        submit(employee, **overrides)
    assert field in exc.value.message_dict
    assert exc.value.message_dict[field][0]
    assert not DevelopmentRecord.objects.exists()
    assert not HistoryEvent.objects.exists()
    assert stored_files(media) == []


def test_too_large_evidence_is_refused_without_a_file(in_region, employee, media, settings):
    settings.KOMPETENSI_EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ValidationError) as exc:
        submit(employee, evidence=pdf_upload(content=b"%PDF-1.4\n" + b"0" * 200))
    assert "terlalu besar" in exc.value.message_dict["evidence"][0]
    assert stored_files(media) == []


def test_cap_message_names_the_maximum(in_region, employee):
    with pytest.raises(ValidationError) as exc:
        submit(employee, jp=Decimal("9"))
    assert "paling banyak 8 JP" in exc.value.message_dict["jp"][0]


def test_international_seminar_may_claim_more(in_region, employee):
    assert submit(employee, jp=Decimal("12"), is_international=True).jp == Decimal("12")


def test_forms_without_a_rule_take_the_claimed_jp(in_region, employee):
    assert submit(employee, form=development_form(3), jp=Decimal("32.5")).jp == Decimal("32.5")


def test_every_problem_is_reported_at_once(in_region, employee):
    with pytest.raises(ValidationError) as exc:
        submit(employee, title="", jp=Decimal("0"), evidence=None)
    assert {"title", "jp", "evidence"} <= set(exc.value.message_dict)


def test_a_failed_write_leaves_no_orphan_file(in_region, employee, media):
    record = DevelopmentRecord(region_id=employee.region_id, employee=employee)

    def failing_write():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        services._save_with_evidence(record, pdf_upload(), "pdf", failing_write)
    assert stored_files(media) == []


# --- Edit, resubmit, withdraw ------------------------------------------------------------------


def test_owner_edits_a_waiting_record_and_replaces_the_evidence(
    in_region, employee, media, django_capture_on_commit_callbacks
):
    record = submit(employee)
    old_file = record.evidence.path
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_update(
            record=record,
            employee=employee,
            user=employee.user,
            title="Seminar Nasional (revisi)",
            form=development_form(9),
            organiser="Kementerian PANRB",
            start_date=LAST_WEEK,
            end_date=LAST_WEEK,
            jp=Decimal("4"),
            evidence=png_upload(),
        )
    record.refresh_from_db()
    assert (record.title, record.jp, record.status) == (
        "Seminar Nasional (revisi)",
        Decimal("4"),
        S.SUBMITTED,
    )
    assert record.evidence.name.endswith(".png")
    assert not os.path.exists(old_file)
    assert stored_files(media) == [record.evidence.path]
    assert actions(record) == ["submitted", "updated"]


def test_edit_without_new_file_keeps_the_evidence(in_region, employee):
    record = submit(employee)
    name = record.evidence.name
    services.record_update(
        record=record,
        employee=employee,
        user=employee.user,
        title="Baru",
        form=record.form,
        organiser="X",
        start_date=LAST_WEEK,
        end_date=LAST_WEEK,
        jp=Decimal("3"),
    )
    record.refresh_from_db()
    assert record.evidence.name == name and record.title == "Baru"


def test_a_rejected_record_is_corrected_and_resubmitted(in_region, employee, admin):
    record = submit(employee)
    services.record_reject(record=record, user=admin.user, reason="Sertifikat tidak terbaca.")
    record = services.record_update(
        record=record,
        employee=employee,
        user=employee.user,
        title=record.title,
        form=record.form,
        organiser=record.organiser,
        start_date=record.start_date,
        end_date=record.end_date,
        jp=record.jp,
        evidence=pdf_upload("jelas.pdf"),
    )
    record.refresh_from_db()
    assert record.status == S.SUBMITTED
    assert record.reject_reason == "" and record.verified_by is None
    assert actions(record) == ["submitted", "rejected", "resubmitted"]


def test_a_verified_record_can_no_longer_be_changed_or_withdrawn(in_region, employee, admin):
    record = submit(employee)
    services.record_verify(record=record, user=admin.user)
    with pytest.raises(ValidationError, match="sudah diverifikasi"):
        services.record_update(
            record=record,
            employee=employee,
            user=employee.user,
            title="X",
            form=record.form,
            organiser="X",
            start_date=LAST_WEEK,
            end_date=LAST_WEEK,
            jp=Decimal("1"),
        )
    with pytest.raises(ValidationError, match="sudah diverifikasi"):
        services.record_withdraw(record=record, employee=employee, user=employee.user)


def test_only_the_owner_may_change_a_record(in_region, employee, supervisor):
    record = submit(employee)
    with pytest.raises(ValidationError, match="bukan milik Anda"):
        services.record_withdraw(record=record, employee=supervisor, user=supervisor.user)


def test_withdraw_deletes_the_record_and_its_file(
    in_region, employee, media, django_capture_on_commit_callbacks
):
    record = submit(employee)
    pk = record.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.record_withdraw(record=record, employee=employee, user=employee.user)
    assert not DevelopmentRecord.objects.filter(pk=pk).exists()
    assert stored_files(media) == []
    assert HistoryEvent.objects.filter(object_id=pk, action="withdrawn").exists()
    # API clients that synced the record learn of its deletion.
    assert Tombstone.objects.filter(resource="development-records", object_id=pk).count() == 1


def test_enrolment_records_cannot_be_changed_by_the_asn(in_region, employee):
    record = DevelopmentRecordFactory(
        region=employee.region,
        employee=employee,
        source=DevelopmentRecord.Source.ENROLMENT,
        status=S.SUBMITTED,
    )
    with pytest.raises(ValidationError, match="otomatis"):
        services.record_withdraw(record=record, employee=employee, user=employee.user)


# --- Verify and reject -------------------------------------------------------------------------


def test_verify_counts_the_record_keeps_history_and_notifies(in_region, employee, admin):
    record = submit(employee)
    services.record_verify(record=record, user=admin.user)
    record.refresh_from_db()
    assert record.status == S.VERIFIED
    assert record.verified_by == admin.user and record.verified_at is not None
    event = record_history(record=record)[-1]
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "verified",
        S.SUBMITTED,
        S.VERIFIED,
        admin.user,
    )
    note = Notification.objects.get(kind=Kind.RECORD_VERIFIED)
    assert note.recipient == employee and note.subject_id == record.pk


def test_verify_twice_is_refused(in_region, employee, admin):
    record = submit(employee)
    services.record_verify(record=record, user=admin.user)
    with pytest.raises(ValidationError, match="sudah diproses"):
        services.record_verify(record=record, user=admin.user)
    assert Notification.objects.filter(kind=Kind.RECORD_VERIFIED).count() == 1


def test_reject_needs_a_reason(in_region, employee, admin):
    record = submit(employee)
    with pytest.raises(ValidationError) as exc:
        services.record_reject(record=record, user=admin.user, reason="  ")
    assert "reason" in exc.value.message_dict
    record.refresh_from_db()
    assert record.status == S.SUBMITTED


def test_reject_keeps_the_reason_in_history_and_notifies(in_region, employee, admin):
    record = submit(employee)
    services.record_reject(
        record=record, user=admin.user, reason="Tanggal tidak sesuai sertifikat."
    )
    record.refresh_from_db()
    assert record.status == S.REJECTED
    assert record.reject_reason == "Tanggal tidak sesuai sertifikat."
    event = record_history(record=record)[-1]
    assert (event.action, event.reason) == ("rejected", "Tanggal tidak sesuai sertifikat.")
    note = Notification.objects.get(kind=Kind.RECORD_REJECTED)
    assert note.recipient == employee


def test_a_second_rejection_after_resubmission_notifies_again(in_region, employee, admin):
    record = submit(employee)
    services.record_reject(record=record, user=admin.user, reason="Buram.")
    services.record_update(
        record=record,
        employee=employee,
        user=employee.user,
        title=record.title,
        form=record.form,
        organiser=record.organiser,
        start_date=record.start_date,
        end_date=record.end_date,
        jp=record.jp,
    )
    services.record_reject(record=record, user=admin.user, reason="Masih buram.")
    assert Notification.objects.filter(kind=Kind.RECORD_REJECTED).count() == 2


def test_an_admin_cannot_verify_their_own_record(in_region, admin):
    record = submit(admin)
    with pytest.raises(ValidationError, match="sendiri"):
        services.record_verify(record=record, user=admin.user)


# --- My year -----------------------------------------------------------------------------------


def test_only_verified_records_count_toward_the_year(in_region, region, employee):
    year = TODAY.year
    DevelopmentRecordFactory(region=region, employee=employee, jp=Decimal("8"), status=S.VERIFIED)
    DevelopmentRecordFactory(region=region, employee=employee, jp=Decimal("4.5"), status=S.VERIFIED)
    DevelopmentRecordFactory(region=region, employee=employee, jp=Decimal("4"), status=S.SUBMITTED)
    DevelopmentRecordFactory(region=region, employee=employee, jp=Decimal("6"), status=S.REJECTED)
    last_year = dt.date(year - 1, 6, 1)
    DevelopmentRecordFactory(
        region=region,
        employee=employee,
        jp=Decimal("30"),
        status=S.VERIFIED,
        start_date=last_year,
        end_date=last_year,
        year=year - 1,
    )
    DevelopmentRecordFactory(region=region, jp=Decimal("40"), status=S.VERIFIED)  # someone else

    progress = record_year_summary(region=region, employee=employee, year=year)
    assert progress.verified_jp == Decimal("12.5")
    assert progress.pending_jp == Decimal("4")
    assert (progress.record_count, progress.rejected_count) == (4, 1)
    assert progress.benchmark == 20 and not progress.is_pppk
    assert progress.remaining == Decimal("7.5") and progress.percent == 62
    assert not progress.target_met
    assert record_year_summary(region=region, employee=employee, year=year - 1).target_met


def test_pppk_are_measured_against_the_cap_not_the_minimum(in_region, region, unit):
    pppk = EmployeeFactory(region=region, unit=unit, employment_type=Employee.EmploymentType.PPPK)
    DevelopmentRecordFactory(region=region, employee=pppk, jp=Decimal("4"), status=S.VERIFIED)
    progress = record_year_summary(region=region, employee=pppk, year=TODAY.year)
    assert progress.is_pppk and progress.benchmark == 24
    assert progress.remaining == 0 and not progress.target_met and not progress.over_cap
