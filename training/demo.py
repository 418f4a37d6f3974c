"""Demo training data for one region: partners, competencies, a catalogue with batches,
enrolments, a completed batch (verified JP), an external record and a development plan.

Everything is written through the training services, so every business rule holds. Idempotent:
objects are looked up by their natural key (partner/speaker name, competency code, programme
code, offering name, record title, plan year) and only what is missing is created; the
enrolments, sessions and completion of an offering are only made when the offering itself is
created. Deterministic: dates derive from `today`, people are picked by NIP order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from regions.models import Employee, Membership, PositionType, Region
from training.models import (
    Competency,
    CompetencyLevel,
    DevelopmentForm,
    DevelopmentPlan,
    DevelopmentRecord,
    EmployeeCompetency,
    Enrolment,
    Offering,
    PositionStandard,
    Program,
    Provider,
    Speaker,
)
from training.models.catalogue import DeliveryMode
from training.models.competencies import CompetencyType
from training.reference_data import sync_reference_data
from training.services import (
    catalogue,
    competencies,
    completion,
    enrolment,
    partners,
    plans,
    programmes,
    records,
)

UNIVERSITIES = {
    "semarang": "Universitas Diponegoro",
    "binjai": "Universitas Sumatera Utara",
    "tanjungbalai": "Universitas Sumatera Utara",
    "plaju": "Universitas Sriwijaya",
}

TECHNICAL = [
    (
        "TK.01",
        "Pengelolaan Arsip Dinamis",
        {
            1: "Mengenal jenis arsip dinamis dan tata cara penyimpanannya.",
            2: "Melakukan pemberkasan dan penataan arsip aktif sesuai pedoman.",
            3: "Menyusun daftar arsip dan mengelola arsip inaktif di unit kerja.",
            4: "Menerapkan klasifikasi, JRA, dan keamanan arsip di lingkup perangkat daerah.",
            5: "Merumuskan kebijakan dan membina pengelolaan arsip dinamis lintas unit.",
        },
    ),
    (
        "TK.02",
        "Pelayanan Perizinan Berbasis Elektronik",
        {
            1: "Memahami alur dasar layanan perizinan daring (OSS).",
            2: "Melayani permohonan perizinan melalui sistem elektronik dengan pendampingan.",
            3: "Memverifikasi berkas dan menyelesaikan permohonan perizinan secara mandiri.",
            4: "Menganalisis kendala layanan dan mengusulkan perbaikan proses perizinan.",
            5: "Merancang dan mengevaluasi sistem layanan perizinan elektronik daerah.",
        },
    ),
]

# The position standards: (position type, [(competency code, required level)]).
STANDARDS = [
    (PositionType.PELAKSANA, [("M.03", 2), ("M.05", 3), ("TK.01", 2), ("TK.02", 3)]),
    (PositionType.PENGAWAS, [("M.04", 3), ("M.06", 3), ("M.08", 3), ("TK.02", 3)]),
]


@dataclass(frozen=True)
class ProgramSpec:
    code: str
    title: str
    form: int
    jp: int
    mode: str
    competency_type: str
    competencies: tuple[str, ...]
    description: str
    provider: str = "internal"  # internal / university / ngo
    positions: tuple[str, ...] = ()
    publish: bool = True
    days: int | None = None  # duration, for forms whose JP depend on days (seminar, e-learning)


M, T = CompetencyType.MANAJERIAL, CompetencyType.TEKNIS
PROGRAMS = [
    ProgramSpec(
        "PLT-PRIMA",
        "Pelatihan Teknis Pelayanan Prima",
        3,
        24,
        DeliveryMode.TATAP_MUKA,
        T,
        ("M.05", "TK.02"),
        "Standar pelayanan prima, penanganan pengaduan, dan etika melayani masyarakat.",
    ),
    ProgramSpec(
        "BIMTEK-SKP",
        "Bimbingan Teknis Penyusunan SKP",
        8,
        16,
        DeliveryMode.TATAP_MUKA,
        M,
        ("M.04",),
        "Menyusun Sasaran Kinerja Pegawai sesuai PermenPANRB 6/2022 beserta praktik di e-Kinerja.",
    ),
    ProgramSpec(
        "SEM-RB",
        "Seminar Reformasi Birokrasi",
        9,
        4,
        DeliveryMode.TATAP_MUKA,
        M,
        ("M.07",),
        "Arah reformasi birokrasi tematik dan peran ASN dalam zona integritas.",
        provider="university",
        days=1,
    ),
    ProgramSpec(
        "WS-STDPEL",
        "Workshop Penyusunan Standar Pelayanan",
        4,
        10,
        DeliveryMode.TATAP_MUKA,
        M,
        ("M.05",),
        "Menyusun dan menetapkan standar pelayanan bersama perwakilan masyarakat.",
        provider="ngo",
        days=2,
    ),
    ProgramSpec(
        "EL-LITDIG",
        "E-Learning Literasi Digital ASN",
        16,
        12,
        DeliveryMode.DARING,
        T,
        ("TK.02", "M.06"),
        "Keamanan data, etika bermedia sosial, dan pemanfaatan layanan digital pemerintah.",
        provider="university",
        days=4,
    ),
    ProgramSpec(
        "COACH-PGW",
        "Coaching Kepemimpinan Pengawas",
        14,
        8,
        DeliveryMode.BLENDED,
        M,
        ("M.06", "M.08"),
        "Pendampingan pengawas dalam memimpin tim, memberi umpan balik, dan mengambil keputusan.",
        positions=(PositionType.PENGAWAS,),
    ),
    ProgramSpec(
        "PLT-ARSIP",
        "Pelatihan Pengelolaan Arsip Dinamis",
        3,
        20,
        DeliveryMode.TATAP_MUKA,
        T,
        ("TK.01",),
        "Pemberkasan, penataan arsip aktif dan inaktif, serta penyusutan arsip.",
        publish=False,
    ),
]

# Open batches: (programme code, starts in days, days long, seats, requires approval).
OPEN_BATCHES = [
    ("PLT-PRIMA", 14, 3, 25, True),
    ("BIMTEK-SKP", 21, 2, 30, True),
    ("SEM-RB", 16, 1, 30, False),
    ("WS-STDPEL", 18, 2, 20, False),
    ("EL-LITDIG", 24, 4, 30, False),
    ("COACH-PGW", 28, 3, 20, True),
]

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n168\n%%EOF\n"
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@dataclass
class _Ctx:
    region: Region
    today: dt.date
    admin: Employee
    supervisor: Employee
    asn: Employee
    others: list[Employee]
    created: dict


def _demo_people(region: Region) -> tuple[Employee, Employee, Employee, list[Employee]]:
    """The region's demo admin, supervisor and ASN (the people with a demo password)."""
    admin_user_ids = set(
        Membership.objects.filter(region=region, role=Membership.Role.ADMIN).values_list(
            "user_id", flat=True
        )
    )
    people = list(
        Employee.objects.filter(region=region, is_active=True)
        .select_related("user")
        .order_by("nip")
    )
    with_login = [e for e in people if e.user and e.user.has_usable_password()]
    admin = next(e for e in with_login if e.user_id in admin_user_ids)
    asn = next(
        e
        for e in with_login
        if e.user_id not in admin_user_ids and e.position_type == PositionType.PELAKSANA
    )
    supervisor = next(e for e in with_login if e.pk == asn.supervisor_id)
    demo_ids = {admin.pk, supervisor.pk, asn.pk}
    others = [e for e in people if e.pk not in demo_ids]
    return admin, supervisor, asn, others


def _count(ctx: _Ctx, key: str, n: int = 1) -> None:
    ctx.created[key] = ctx.created.get(key, 0) + n


def _partners(ctx: _Ctx) -> tuple[dict[str, Provider], list[Speaker]]:
    region = ctx.region
    wanted = {
        "internal": (region.agency_name, Provider.Kind.INTERNAL, "Bidang Pengembangan Kompetensi"),
        "university": (
            UNIVERSITIES.get(region.slug, "Universitas Terbuka"),
            Provider.Kind.UNIVERSITY,
            "Pusat Studi Kebijakan Publik",
        ),
        "ngo": (
            "Yayasan Pelayanan Publik Nusantara",
            Provider.Kind.NGO,
            "Koordinator Program Pelatihan",
        ),
    }
    existing = {p.name: p for p in Provider.objects.filter(region=region)}
    providers = {}
    for key, (name, kind, contact) in wanted.items():
        provider = existing.get(name)
        if provider is None:
            provider = partners.provider_create(
                region=region, name=name, kind=kind, contact_person=contact
            )
            _count(ctx, "partners")
        providers[key] = provider
    speakers_wanted = [
        (
            "Dr. Hendra Wijaya, M.Si.",
            "university",
            "Kebijakan publik dan reformasi birokrasi",
            False,
        ),
        ("Sri Rahayu, S.Sos., M.AP.", "internal", "Manajemen kinerja ASN dan SKP", False),
        ("Andi Pratama, S.Kom.", "ngo", "Literasi digital dan keamanan informasi", False),
        ("Ratna Dewi, S.H.", None, "Pelayanan prima dan penanganan pengaduan", True),
    ]
    existing_speakers = {s.name: s for s in Speaker.objects.filter(region=region)}
    speakers = []
    for name, provider_key, expertise, volunteer in speakers_wanted:
        speaker = existing_speakers.get(name)
        if speaker is None:
            speaker = partners.speaker_create(
                region=region,
                name=name,
                provider=providers[provider_key] if provider_key else None,
                expertise=expertise,
                is_volunteer=volunteer,
            )
            _count(ctx, "speakers")
        speakers.append(speaker)
    return providers, speakers


def _competencies(ctx: _Ctx) -> dict[str, Competency]:
    region = ctx.region
    for code, name, levels in TECHNICAL:
        if not Competency.objects.filter(region=region, code=code).exists():
            competencies.competency_create(region=region, code=code, name=name, levels=levels)
            _count(ctx, "competencies")
    by_code = {
        c.code: c for c in Competency.objects.filter(region__in=[region]).order_by("code")
    } | {c.code: c for c in Competency.objects.filter(region__isnull=True)}
    for position_type, items in STANDARDS:
        exists = PositionStandard.objects.filter(
            region=region, position_type=position_type, functional_level="", position_name=""
        ).exists()
        if not exists:
            competencies.position_standard_create(
                region=region,
                position_type=position_type,
                items=[(by_code[code], level) for code, level in items],
            )
            _count(ctx, "standards")
    assessed_on = ctx.today - dt.timedelta(days=60)
    # The demo ASN below the pelaksana standard (gaps), a few colleagues too.
    assessments = [(ctx.asn, [("M.03", 2), ("M.05", 1), ("TK.01", 1), ("TK.02", 2)])]
    assessments.append((ctx.supervisor, [("M.04", 3), ("M.06", 2), ("M.08", 2), ("TK.02", 2)]))
    for colleague in ctx.others[:4]:
        assessments.append((colleague, [("M.05", 2), ("TK.02", 1)]))
    for employee, levels in assessments:
        done = set(
            EmployeeCompetency.objects.filter(region=region, employee=employee).values_list(
                "competency__code", flat=True
            )
        )
        for code, level in levels:
            if code in done:
                continue
            competencies.employee_competency_record(
                employee=employee,
                competency=by_code[code],
                level=level,
                source=EmployeeCompetency.Source.ASSESSMENT_CENTER,
                assessed_on=assessed_on,
            )
            _count(ctx, "assessments")
    return by_code


def _programs(ctx, providers, by_code) -> dict[str, Program]:
    region = ctx.region
    existing = {p.code: p for p in Program.objects.filter(region=region)}
    forms = {f.pk: f for f in DevelopmentForm.objects.all()}
    programs = {}
    for spec in PROGRAMS:
        program = existing.get(spec.code)
        if program is None:
            program = programmes.program_create(
                region=region,
                actor=ctx.admin.user,
                code=spec.code,
                title=spec.title,
                form=forms[spec.form],
                competency_type=spec.competency_type,
                jp=spec.jp,
                duration_days=spec.days,
                delivery_mode=spec.mode,
                description=spec.description,
                competencies=[by_code[code] for code in spec.competencies],
                target_position_types=list(spec.positions),
                provider=providers[spec.provider],
            )
            if spec.publish:
                program = programmes.program_publish(program=program, actor=ctx.admin.user)
            _count(ctx, "programmes")
        programs[spec.code] = program
    return programs


def _new_offering(ctx, program, name, *, start, days, seats, approval, speakers, opens, closes):
    """Create a batch with one or two sessions a day (2–4 in all) and open it; None if a
    batch of that name exists already."""
    if Offering.objects.filter(region=ctx.region, program=program, name=name).exists():
        return None
    end = start + dt.timedelta(days=days - 1)
    online = program.delivery_mode == DeliveryMode.DARING
    offering = catalogue.offering_create(
        program=program,
        actor=ctx.admin.user,
        name=name,
        start_date=start,
        end_date=end,
        enrolment_opens=opens,
        enrolment_closes=closes,
        seats=seats,
        requires_approval=approval,
        venue="" if online else f"Aula {ctx.region.agency_name}",
        online_link="https://zoom.us/j/0000000000" if online else "",
        speakers=speakers,
    )
    slots = [(8, 12), (13, 16)] if days < 2 else [(8, 12)]
    count = 0
    for index in range(days):
        for start_hour, end_hour in slots:
            if count >= 4:
                break
            day = start + dt.timedelta(days=index)
            count += 1
            catalogue.session_create(
                offering=offering,
                actor=ctx.admin.user,
                title=f"Sesi {count}",
                starts_at=_at(day, start_hour),
                ends_at=_at(day, end_hour),
                location="" if online else offering.venue,
                online_link=offering.online_link,
                speaker=speakers[(count - 1) % len(speakers)] if speakers else None,
            )
    offering = catalogue.offering_open(offering=offering, actor=ctx.admin.user)  # the fresh row
    _count(ctx, "offerings")
    return offering


def _admin_enrol(ctx, offering, employees) -> None:
    outcomes = enrolment.enrolment_bulk_create(
        offering=offering, employees=employees, actor=ctx.admin.user
    )
    _count(ctx, "enrolments", sum(1 for o in outcomes if o.enrolment is not None))


def _self_enrol(ctx, offering, employee, motivation="") -> None:
    enrolment.enrolment_create(
        offering=offering, employee=employee, actor=employee.user, motivation=motivation
    )
    _count(ctx, "enrolments")


def _offerings(ctx, programs, speakers) -> None:
    today = ctx.today
    others = ctx.others

    def pick(offset: int, n: int) -> list[Employee]:
        """n colleagues from position `offset` on, wrapping round in a small region."""
        return [others[(offset + i) % len(others)] for i in range(min(n, len(others)))]

    subordinates = [e for e in others if e.supervisor_id == ctx.supervisor.pk]

    # A batch that ran last month and was completed: verified JP this year.
    end = max(today - dt.timedelta(days=30), dt.date(today.year, 1, 1))
    start = end - dt.timedelta(days=1)
    past = _new_offering(
        ctx,
        programs["BIMTEK-SKP"],
        "Angkatan I",
        start=start,
        days=2,
        seats=25,
        approval=True,
        speakers=speakers[1:2],
        opens=start - dt.timedelta(days=30),
        closes=start - dt.timedelta(days=1),
    )
    if past is not None:
        _admin_enrol(ctx, past, [ctx.asn, *pick(10, 16)])
        catalogue.offering_start(offering=past, actor=ctx.admin.user)
        absent = {pick(25, 1)[0].pk}
        present = list(
            Enrolment.objects.filter(offering=past, status=Enrolment.Status.CONFIRMED)
            .exclude(employee_id__in=absent)
            .values_list("pk", flat=True)
        )
        for session in past.sessions.all():
            completion.attendance_save(session=session, present_ids=present, actor=ctx.admin.user)
        completion.offering_complete(offering=past, actor=ctx.admin.user)

    # A batch running now.
    start = today - dt.timedelta(days=1)
    running = _new_offering(
        ctx,
        programs["EL-LITDIG"],
        "Angkatan I",
        start=start,
        days=4,
        seats=30,
        approval=False,
        speakers=speakers[2:3],
        opens=start - dt.timedelta(days=21),
        closes=start - dt.timedelta(days=1),
    )
    if running is not None:
        _admin_enrol(ctx, running, pick(30, 12))
        catalogue.offering_start(offering=running, actor=ctx.admin.user)

    # One open batch per programme, starting in two to four weeks.
    opened = {}
    for code, in_days, days, seats, approval in OPEN_BATCHES:
        program = programs[code]
        start = today + dt.timedelta(days=in_days)
        name = "Angkatan II" if code in ("BIMTEK-SKP", "EL-LITDIG") else "Angkatan I"
        opened[code] = _new_offering(
            ctx,
            program,
            name,
            start=start,
            days=days,
            seats=seats,
            approval=approval,
            speakers=speakers,
            opens=today - dt.timedelta(days=7),
            closes=start - dt.timedelta(days=3),
        )

    if opened["PLT-PRIMA"] is not None:  # needs approval: the supervisor has requests to decide
        _self_enrol(ctx, opened["PLT-PRIMA"], ctx.asn, "Meningkatkan kualitas layanan di loket.")
        for employee in subordinates[:2]:
            _self_enrol(ctx, opened["PLT-PRIMA"], employee, "Sesuai kebutuhan tugas pelayanan.")
    if opened["SEM-RB"] is not None:  # no approval: the demo ASN is confirmed
        _self_enrol(ctx, opened["SEM-RB"], ctx.asn)
        _admin_enrol(ctx, opened["SEM-RB"], pick(50, 8))
    if opened["BIMTEK-SKP"] is not None:  # requests awaiting other supervisors
        for employee in [e for e in pick(60, 20) if e.supervisor_id][:4]:
            _self_enrol(ctx, opened["BIMTEK-SKP"], employee)
    if opened["WS-STDPEL"] is not None:  # full, two on the waitlist
        _admin_enrol(ctx, opened["WS-STDPEL"], pick(80, 22))


def _record_and_plan(ctx, programs, by_code) -> None:
    asn, today = ctx.asn, ctx.today
    title = "Seminar Nasional Inovasi Pelayanan Publik"
    if not DevelopmentRecord.objects.filter(region=ctx.region, employee=asn, title=title).exists():
        day = max(today - dt.timedelta(days=20), dt.date(today.year, 1, 1))
        records.record_submit(
            employee=asn,
            user=asn.user,
            title=title,
            form=DevelopmentForm.objects.get(pk=9),
            organiser="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            start_date=day,
            end_date=day,
            jp=4,
            evidence=SimpleUploadedFile(
                "sertifikat-seminar.pdf", MINIMAL_PDF, content_type="application/pdf"
            ),
            certificate_number=f"SNIPP/{today.year}/0417",
        )
        _count(ctx, "records")
    if not DevelopmentPlan.objects.filter(
        region=ctx.region, employee=asn, year=today.year
    ).exists():
        plan = plans.plan_create(employee=asn, user=asn.user, year=today.year)
        plans.plan_item_add(
            plan=plan,
            employee=asn,
            user=asn.user,
            description="Mengikuti Pelatihan Teknis Pelayanan Prima",
            planned_jp=24,
            competency=by_code["M.05"],
            program=programs["PLT-PRIMA"],
            planned_month=12,
        )
        plans.plan_item_add(
            plan=plan,
            employee=asn,
            user=asn.user,
            description="Belajar mandiri pemberkasan arsip dinamis di unit kerja",
            planned_jp=10,
            competency=by_code["TK.01"],
            form=DevelopmentForm.objects.get(pk=22),
            planned_month=12,
        )
        _count(ctx, "plans")


def ensure_reference_data() -> None:
    """The national forms and competencies come with the migrations; make sure they are there
    (a flushed test database, an edited dictionary) before programmes use them. Runs once
    before the regions are loaded (`load_demo_data`)."""
    with scopes_disabled():
        sync_reference_data(DevelopmentForm, Competency, CompetencyLevel)


def load_training_demo(*, region: Region, today: dt.date, stdout=None) -> dict:
    """Load the region's demo training data; returns what was created (empty when all existed)."""
    # Demo events are recorded as in-app notifications only: no e-mail to the made-up addresses.
    in_app_only = override_settings(KOMPETENSI_NOTIFICATION_CHANNELS=["inapp"])
    with in_app_only, transaction.atomic(), scope(region=region):
        admin, supervisor, asn, others = _demo_people(region)
        ctx = _Ctx(region, today, admin, supervisor, asn, others, {})
        providers, speakers = _partners(ctx)
        by_code = _competencies(ctx)
        programs = _programs(ctx, providers, by_code)
        _offerings(ctx, programs, speakers)
        _record_and_plan(ctx, programs, by_code)
    if stdout is not None:
        summary = ", ".join(f"{k} +{v}" for k, v in ctx.created.items()) or "nothing new"
        stdout.write(f"{region.name:<13} training: {summary}")
    return ctx.created
