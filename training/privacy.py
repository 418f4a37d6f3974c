"""Training's part of an employee's personal-data download and anonymisation (UU PDP),
registered with `regions.privacy` in TrainingConfig.ready().

The download lists the employee's enrolments, development records (JP), development plans
and assessed competencies. Anonymisation deletes the uploaded evidence files (certificates
carry the person's name) and the free text the employee wrote about themselves (motivations,
plan notes); every record keeps its JP, dates and status, so totals stay as they were.
"""

from __future__ import annotations

from regions.models import Employee
from regions.privacy import Section, register_section

from .models import DevelopmentPlan, DevelopmentRecord, EmployeeCompetency, Enrolment


def _iso(value):
    return value.isoformat() if value is not None else None


def _enrolments(employee: Employee) -> list[dict]:
    rows = Enrolment.objects.filter(employee=employee).values_list(
        "offering__program__title",
        "offering__name",
        "offering__start_date",
        "offering__end_date",
        "status",
        "requested_at",
        "motivation",
        "attendance_rate",
        "pre_test_score",
        "post_test_score",
        "jp_awarded",
        "certificate_number",
    )
    labels = dict(Enrolment.Status.choices)
    return [
        {
            "program": program,
            "angkatan": offering,
            "mulai": _iso(start),
            "selesai": _iso(end),
            "status": str(labels.get(status, status)),
            "waktu_mendaftar": _iso(requested),
            "alasan_mengikuti": motivation,
            "kehadiran_persen": str(attendance) if attendance is not None else None,
            "nilai_pre_test": str(pre) if pre is not None else None,
            "nilai_post_test": str(post) if post is not None else None,
            "jp": str(jp) if jp is not None else None,
            "nomor_sertifikat": certificate,
        }
        for (
            program,
            offering,
            start,
            end,
            status,
            requested,
            motivation,
            attendance,
            pre,
            post,
            jp,
            certificate,
        ) in rows
    ]


def _records(employee: Employee) -> list[dict]:
    labels = dict(DevelopmentRecord.Status.choices)
    rows = DevelopmentRecord.objects.filter(employee=employee).values_list(
        "year", "title", "organiser", "start_date", "end_date", "jp", "status", "certificate_number"
    )
    return [
        {
            "tahun": year,
            "nama_kegiatan": title,
            "penyelenggara": organiser,
            "mulai": _iso(start),
            "selesai": _iso(end),
            "jp": str(jp),
            "status": str(labels.get(status, status)),
            "nomor_sertifikat": certificate,
        }
        for year, title, organiser, start, end, jp, status, certificate in rows
    ]


def _plans(employee: Employee) -> list[dict]:
    return [
        {"tahun": year, "status": status, "catatan": notes, "catatan_atasan": supervisor_notes}
        for year, status, notes, supervisor_notes in DevelopmentPlan.objects.filter(
            employee=employee
        ).values_list("year", "status", "notes", "supervisor_notes")
    ]


def _competencies(employee: Employee) -> list[dict]:
    rows = EmployeeCompetency.objects.filter(employee=employee).values_list(
        "competency__name", "level", "assessed_on"
    )
    return [
        {"kompetensi": name, "level": level, "dinilai_pada": _iso(assessed)}
        for name, level, assessed in rows
    ]


def _anonymise(employee: Employee) -> None:
    for record in DevelopmentRecord.objects.filter(employee=employee).exclude(evidence=""):
        record.evidence.delete(save=False)
    DevelopmentRecord.objects.filter(employee=employee).exclude(evidence="").update(evidence="")
    Enrolment.objects.filter(employee=employee).exclude(motivation="").update(motivation="")
    DevelopmentPlan.objects.filter(employee=employee).update(notes="")


def register() -> None:
    register_section(Section("pendaftaran", "Pendaftaran pelatihan", _enrolments))
    register_section(
        Section("riwayat_jp", "Riwayat pengembangan kompetensi (JP)", _records, _anonymise)
    )
    register_section(Section("rencana", "Rencana pengembangan", _plans))
    register_section(Section("kompetensi", "Hasil penilaian kompetensi", _competencies))
