"""Unit + integration: gap and JPM math, standard matching, dictionary visibility per region,
"recommended for you", and the validation rules of the competency services."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from regions.models import FunctionalLevel, PositionType
from tests.factories.regions import EmployeeFactory
from tests.factories.training import (
    MANAGERIAL_CODES,
    assess,
    national,
    program_for,
    standard,
    technical,
)
from training.models import (
    Competency,
    CompetencyLevel,
    EmployeeCompetency,
    Offering,
    PositionStandard,
    PositionStandardItem,
    Program,
)
from training.selectors import competencies as selectors
from training.services import competencies as services

pytestmark = pytest.mark.django_db

FIVE_LEVELS = {n: f"Deskripsi level {n}" for n in range(1, 6)}


# --- Math --------------------------------------------------------------------------------------


def test_gap_is_required_minus_assessed():
    assert selectors.competency_gap(required=3, assessed=1) == 2
    assert selectors.competency_gap(required=3, assessed=3) == 0
    assert selectors.competency_gap(required=2, assessed=4) == -2
    assert selectors.competency_gap(required=3, assessed=None) is None


def test_jpm_is_sum_assessed_over_sum_required():
    # (3 + 2 + 4) / (3 + 3 + 4) = 9 / 10
    jpm = selectors.job_person_match(pairs=[(3, 3), (3, 2), (4, 4)])
    assert jpm == Fraction(90)
    assert selectors.jpm_display(Fraction(200, 3)) == Decimal("66.67")


def test_jpm_is_capped_at_100():
    assert selectors.job_person_match(pairs=[(2, 5), (2, 4)]) == 100


def test_jpm_without_requirements_is_none():
    assert selectors.job_person_match(pairs=[]) is None
    assert selectors.jpm_band(jpm=None) is None


@pytest.mark.parametrize(
    ("jpm", "band"),
    [
        (Fraction(100), "optimal"),
        (Fraction(90), "optimal"),
        (Fraction(8999, 100), "fairly_optimal"),
        (Fraction(78), "fairly_optimal"),
        (Fraction(7799, 100), "not_optimal"),
        (Fraction(0), "not_optimal"),
    ],
)
def test_jpm_bands_use_thresholds_90_and_78(jpm, band):
    assert selectors.jpm_band(jpm=jpm).key == band


def test_jpm_band_labels_are_indonesian():
    assert str(selectors.jpm_band(jpm=Fraction(95)).label) == "Optimal"
    assert str(selectors.jpm_band(jpm=Fraction(80)).label) == "Cukup optimal"
    assert str(selectors.jpm_band(jpm=Fraction(50)).label) == "Kurang optimal"


@pytest.mark.parametrize(
    ("position_type", "functional_level", "level"),
    [
        (PositionType.JPT_MADYA, "", 5),
        (PositionType.JPT_PRATAMA, "", 4),
        (PositionType.ADMINISTRATOR, "", 3),
        (PositionType.PENGAWAS, "", 2),
        (PositionType.PELAKSANA, "", 1),
        (PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_UTAMA, 4),
        (PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_MADYA, 3),
        (PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_MUDA, 2),
        (PositionType.FUNGSIONAL_KEAHLIAN, FunctionalLevel.AHLI_PERTAMA, 1),
    ],
)
def test_default_managerial_table(position_type, functional_level, level):
    assert (
        selectors.default_managerial_level(
            position_type=position_type, functional_level=functional_level
        )
        == level
    )


# --- Standard matching -------------------------------------------------------------------------


@pytest.fixture
def analyst(region, unit, supervisor):
    return EmployeeFactory(
        region=region,
        unit=unit,
        supervisor=supervisor,
        position="Analis Kepegawaian",
        position_type=PositionType.FUNGSIONAL_KEAHLIAN,
        functional_level=FunctionalLevel.AHLI_MUDA,
    )


def test_named_standard_wins_case_insensitively(analyst, region, in_region):
    m01 = national("M.01")
    standard(region, position_type=PositionType.FUNGSIONAL_KEAHLIAN, items=[(m01, 2)])
    standard(
        region,
        position_type=PositionType.FUNGSIONAL_KEAHLIAN,
        functional_level=FunctionalLevel.AHLI_MUDA,
        items=[(m01, 3)],
    )
    named = standard(
        region,
        position_type=PositionType.FUNGSIONAL_KEAHLIAN,
        position_name="ANALIS kepegawaian",
        items=[(m01, 4)],
    )
    match = selectors.standard_for_employee(employee=analyst)
    assert match.source == "position_name"
    assert match.standard == named
    assert [(r.competency.code, r.required_level) for r in match.requirements] == [("M.01", 4)]


def test_type_and_jenjang_standard_beats_type_only(analyst, region, in_region):
    m01 = national("M.01")
    standard(region, position_type=PositionType.FUNGSIONAL_KEAHLIAN, items=[(m01, 2)])
    exact = standard(
        region,
        position_type=PositionType.FUNGSIONAL_KEAHLIAN,
        functional_level=FunctionalLevel.AHLI_MUDA,
        items=[(m01, 3)],
    )
    standard(
        region,
        position_type=PositionType.FUNGSIONAL_KEAHLIAN,
        functional_level=FunctionalLevel.AHLI_MADYA,
        items=[(m01, 5)],
    )
    match = selectors.standard_for_employee(employee=analyst)
    assert (match.source, match.standard) == ("position_type", exact)


def test_type_standard_without_jenjang_applies_to_every_jenjang(analyst, region, in_region):
    general = standard(
        region, position_type=PositionType.FUNGSIONAL_KEAHLIAN, items=[(national("M.02"), 2)]
    )
    standard(region, position_type=PositionType.PELAKSANA, items=[(national("M.02"), 1)])
    match = selectors.standard_for_employee(employee=analyst)
    assert (match.source, match.standard) == ("position_type", general)


def test_default_table_when_region_has_no_standard(analyst, region, other_region, in_region):
    # A standard of another region with the same jabatan name must not be used.
    standard(
        other_region,
        position_type=PositionType.FUNGSIONAL_KEAHLIAN,
        position_name="Analis Kepegawaian",
        items=[(national("M.01"), 5)],
    )
    match = selectors.standard_for_employee(employee=analyst)
    assert match.source == "default" and match.standard is None
    assert [r.competency.code for r in match.requirements] == MANAGERIAL_CODES
    assert {r.required_level for r in match.requirements} == {2}  # Ahli Muda


def test_default_for_a_position_type_by_table(region, unit, in_region):
    head = EmployeeFactory(region=region, unit=unit, position_type=PositionType.ADMINISTRATOR)
    match = selectors.standard_for_employee(employee=head)
    assert {r.required_level for r in match.requirements} == {3}


# --- Latest levels and the profile -------------------------------------------------------------


def test_latest_assessment_counts(employee, in_region):
    m01, m02 = national("M.01"), national("M.02")
    assess(employee, m01, 1, on=dt.date(2024, 1, 1))
    assess(employee, m01, 3, on=dt.date(2025, 1, 1))
    assess(employee, m01, 2, on=dt.date(2023, 1, 1))
    assess(employee, m02, 2, on=dt.date(2025, 3, 1))
    assess(employee, m02, 4, on=dt.date(2025, 3, 1))  # same day: the later record wins
    latest = {
        a.competency.code: a.level for a in selectors.employee_latest_levels(employee=employee)
    }
    assert latest == {"M.01": 3, "M.02": 4}


def test_profile_gaps_and_jpm(employee, region, in_region):
    m01, m02, m03 = national("M.01"), national("M.02"), national("M.03")
    arsip = technical(region, "T.ARSIP")
    standard(region, items=[(m01, 3), (m02, 3), (m03, 2), (arsip, 4)])
    assess(employee, m01, 1)
    assess(employee, m02, 3)
    assess(employee, m03, 4)
    # arsip is not assessed: its gap is unknown (None, not 0) and there is no JPM yet
    profile = selectors.competency_profile(employee=employee)
    gaps = {row.competency.code: row.gap for row in profile.rows}
    assert gaps == {"M.01": 2, "M.02": 0, "M.03": -2, "T.ARSIP": None}
    assert [row.competency.code for row in profile.rows][0] == "M.01"  # biggest need first
    assert profile.jpm is None and profile.band is None
    assert not profile.assessment_complete
    assert (profile.assessed_count, profile.required_count) == (3, 4)
    assert profile.needs == {m01.pk: 2}
    assert profile.unassessed_count == 1
    # Once arsip is assessed, JPM covers every required competency: (1+3+4+4) / (3+3+2+4) = 100
    assess(employee, arsip, 4)
    profile = selectors.competency_profile(employee=employee)
    assert profile.assessment_complete
    assert profile.jpm == Decimal("100.00")
    assert profile.band.key == "optimal"


def test_profile_with_one_of_eight_assessed_shows_no_jpm(employee, region, in_region):
    codes = [f"M.0{i}" for i in range(1, 9)]
    standard(region, items=[(national(code), 2) for code in codes])
    assess(employee, national("M.01"), 2)
    profile = selectors.competency_profile(employee=employee)
    # The old rule gave 100 (2 / 2) here; now the JPM waits for the other seven.
    assert profile.jpm is None
    assert (profile.assessed_count, profile.required_count) == (1, 8)


def test_profile_jpm_below_thresholds(employee, region, in_region):
    m01, m02 = national("M.01"), national("M.02")
    standard(region, items=[(m01, 4), (m02, 5)])
    assess(employee, m01, 3)
    assess(employee, m02, 4)
    profile = selectors.competency_profile(employee=employee)
    assert profile.jpm == Decimal("77.78")  # 7 / 9
    assert profile.band.key == "not_optimal"


def test_profile_lists_assessments_outside_the_standard(employee, region, in_region):
    standard(region, items=[(national("M.01"), 1)])
    assess(employee, national("M.05"), 2)
    profile = selectors.competency_profile(employee=employee)
    assert [a.competency.code for a in profile.other_assessments] == ["M.05"]


# --- Dictionary visibility ---------------------------------------------------------------------


def test_national_in_every_region_technical_only_in_its_own(region, other_region):
    technical(region, "T.SMG", "Teknis Semarang")
    technical(other_region, "T.BJI", "Teknis Binjai")
    with scope(region=region):
        codes = set(selectors.competency_list(region=region).values_list("code", flat=True))
        choices = set(selectors.competency_choices(region=region).values_list("code", flat=True))
    assert set(MANAGERIAL_CODES) | {"SK.01", "T.SMG"} == codes == choices
    with scope(region=other_region):
        codes_b = set(selectors.competency_list(region=other_region).values_list("code", flat=True))
    assert "T.BJI" in codes_b and "T.SMG" not in codes_b
    assert set(MANAGERIAL_CODES) <= codes_b


def test_competency_get_refuses_other_regions_technical(region, other_region):
    leak = technical(other_region, "T.BJI")
    with scope(region=region), pytest.raises(Competency.DoesNotExist):
        selectors.competency_get(region=region, pk=leak.pk)
    with scope(region=region):
        assert selectors.competency_get(region=region, pk=national("M.01").pk).code == "M.01"


def test_competency_list_filters(region, in_region):
    technical(region, "T.ARSIP", "Arsip Digital")
    inactive = technical(region, "T.LAMA", "Lama")
    with scopes_disabled():
        Competency.objects.filter(pk=inactive.pk).update(is_active=False)
    assert [c.code for c in selectors.competency_list(region=region, type="teknis")] == ["T.ARSIP"]
    assert [c.code for c in selectors.competency_list(region=region, search="integ")] == ["M.01"]
    assert [c.code for c in selectors.competency_list(region=region, active=False)] == ["T.LAMA"]
    assert selectors.competency_list(region=region).get(code="T.ARSIP").level_count == 5


# --- Recommendations ---------------------------------------------------------------------------


@pytest.fixture
def needs(employee, region):
    """Employee gaps: M.01 by 3, M.02 by 1, M.03 none."""
    m01, m02, m03 = national("M.01"), national("M.02"), national("M.03")
    standard(region, items=[(m01, 4), (m02, 3), (m03, 2)])
    assess(employee, m01, 1)
    assess(employee, m02, 2)
    assess(employee, m03, 2)
    return m01, m02, m03


def test_recommendations_biggest_gap_first(employee, region, needs, in_region):
    m01, m02, m03 = needs
    small = program_for(region, m02, title="Kerja Sama Tim")
    big = program_for(region, m01, title="Integritas ASN")
    both = program_for(region, m02, m01, title="Integritas dan Kerja Sama")
    program_for(region, m03, title="Komunikasi")  # no gap: not recommended
    result = selectors.recommended_programs(employee=employee)
    assert [p.title for p in result] == [
        "Integritas ASN",
        "Integritas dan Kerja Sama",
        "Kerja Sama Tim",
    ]
    assert [p.top_gap for p in result] == [3, 3, 1]
    assert result[1].pk == both.pk
    assert [c.code for c in result[1].matched_competencies] == ["M.01", "M.02"]
    assert big.pk == result[0].pk and small.pk == result[2].pk
    assert result[0].next_start is not None


def test_recommendations_exclude_drafts_cancelled_and_other_regions(
    employee, region, other_region, needs, in_region
):
    m01 = needs[0]
    program_for(region, m01, title="Draf", status=Program.Status.DRAFT)
    program_for(region, m01, title="Arsip", status=Program.Status.ARCHIVED)
    program_for(region, m01, title="Batal", offering_status=Offering.Status.CANCELLED)
    program_for(region, m01, title="Selesai", offering_status=Offering.Status.COMPLETED)
    program_for(region, m01, title="Tanpa angkatan", offering_status=None)
    # National competency M.01 is shared: region B's programme on it must not leak.
    program_for(other_region, m01, title="Rahasia Binjai")
    planned = program_for(region, m01, title="Terencana", offering_status=Offering.Status.PLANNED)
    assert [p.pk for p in selectors.recommended_programs(employee=employee)] == [planned.pk]


def test_recommendations_respect_target_position_types(employee, region, needs, in_region):
    m01 = needs[0]
    program_for(region, m01, title="Untuk pengawas", target_position_types=["pengawas"])
    mine = program_for(
        region, m01, title="Untuk pelaksana", target_position_types=["pengawas", "pelaksana"]
    )
    everyone = program_for(region, m01, title="Untuk semua", target_position_types=[])
    assert {p.pk for p in selectors.recommended_programs(employee=employee)} == {
        mine.pk,
        everyone.pk,
    }


def test_recommendations_limit_and_no_needs(employee, region, needs, in_region):
    for n in range(8):
        program_for(region, needs[0], title=f"Program {n}")
    assert len(selectors.recommended_programs(employee=employee)) == 6
    assert len(selectors.recommended_programs(employee=employee, limit=2)) == 2
    with scopes_disabled():
        EmployeeCompetency.objects.all().delete()
    assert selectors.recommended_programs(employee=employee) == []


def test_recommendations_take_constant_queries(
    employee, region, needs, in_region, django_assert_num_queries
):
    program_for(region, needs[0])
    with django_assert_num_queries(5):
        assert len(selectors.recommended_programs(employee=employee)) == 1
    program_for(region, needs[0])
    program_for(region, needs[1], needs[0])
    with django_assert_num_queries(5):
        assert len(selectors.recommended_programs(employee=employee)) == 3


# --- Dictionary services -----------------------------------------------------------------------


def test_create_technical_competency_with_five_levels(region, in_region):
    competency = services.competency_create(
        region=region,
        code=" t.arsip ",
        name="Pengelolaan Arsip",
        levels={n: (f"Level {n}", f"Indikator {n}") for n in range(1, 6)},
    )
    assert (competency.code, competency.type, competency.region) == ("T.ARSIP", "teknis", region)
    levels = list(CompetencyLevel.objects.filter(competency=competency).order_by("level"))
    assert [(lv.level, lv.indicators) for lv in levels][-1] == (5, "Indikator 5")
    assert len(levels) == 5


def test_duplicate_code_is_refused(region, other_region, in_region):
    technical(region, "T.ARSIP")
    with pytest.raises(ValidationError) as exc:
        services.competency_create(region=region, code="t.arsip", name="Lain", levels=FIVE_LEVELS)
    assert "sudah dipakai" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as exc:
        services.competency_create(region=region, code="M.01", name="Tiruan", levels=FIVE_LEVELS)
    assert "kompetensi nasional" in exc.value.message_dict["code"][0]
    assert Competency.objects.filter(region=region).count() == 1
    # The same code in another region is that region's business.
    technical(other_region, "T.BJI")
    services.competency_create(region=region, code="T.BJI", name="Milik kami", levels=FIVE_LEVELS)


def test_missing_level_description_saves_nothing(region, in_region):
    levels = dict(FIVE_LEVELS, **{"4": " "})
    with pytest.raises(ValidationError) as exc:
        services.competency_create(region=region, code="T.X", name="X", levels=levels)
    assert "level_4" in exc.value.message_dict
    assert not Competency.objects.filter(code="T.X").exists()


def test_level_outside_range_in_levels_is_refused(region, in_region):
    with pytest.raises(ValidationError, match="antara 1 dan 5"):
        services.competency_create(
            region=region, code="T.X", name="X", levels=dict(FIVE_LEVELS, **{"6": "Enam"})
        )
    assert not Competency.objects.filter(code="T.X").exists()


def test_national_competency_cannot_be_edited_or_deactivated(region, in_region):
    m01 = national("M.01")
    with pytest.raises(ValidationError, match="kompetensi nasional"):
        services.competency_update(
            region=region, competency=m01, code="M.01", name="Ubah", levels=FIVE_LEVELS
        )
    with pytest.raises(ValidationError, match="kompetensi nasional"):
        services.competency_set_active(region=region, competency=m01, active=False)
    m01.refresh_from_db()
    assert (m01.name, m01.is_active) == ("Integritas", True)


def test_update_and_deactivate_technical(region, in_region):
    competency = technical(region, "T.ARSIP")
    services.competency_update(
        region=region,
        competency=competency,
        code="T.ARSIP",
        name="Arsip Digital",
        levels={**FIVE_LEVELS, 2: "Baru"},
    )
    assert CompetencyLevel.objects.get(competency=competency, level=2).description == "Baru"
    services.competency_set_active(region=region, competency=competency, active=False)
    competency.refresh_from_db()
    assert (competency.name, competency.is_active) == ("Arsip Digital", False)


def test_other_regions_technical_cannot_be_edited(region, other_region, in_region):
    leak = technical(other_region, "T.BJI")
    with pytest.raises(ValidationError, match="tidak ditemukan"):
        services.competency_set_active(region=region, competency=leak, active=False)


# --- Standard services -------------------------------------------------------------------------


def test_standard_with_default_managerial_items(region, in_region):
    created = services.position_standard_create(
        region=region, position_type=PositionType.PENGAWAS, with_default_managerial=True
    )
    items = PositionStandardItem.objects.filter(standard=created).select_related("competency")
    assert sorted((i.competency.code, i.required_level) for i in items) == [
        (code, 2) for code in MANAGERIAL_CODES
    ]


def test_duplicate_standard_is_refused(region, in_region):
    services.position_standard_create(
        region=region, position_type=PositionType.PELAKSANA, position_name="Pengadministrasi Umum"
    )
    with pytest.raises(ValidationError, match="sudah ada"):
        services.position_standard_create(
            region=region,
            position_type=PositionType.PELAKSANA,
            position_name="pengadministrasi  umum",
        )
    assert PositionStandard.objects.count() == 1


def test_jenjang_must_fit_the_position_type(region, in_region):
    with pytest.raises(ValidationError) as exc:
        services.position_standard_create(
            region=region,
            position_type=PositionType.PELAKSANA,
            functional_level=FunctionalLevel.AHLI_MUDA,
        )
    assert "functional_level" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.position_standard_create(
            region=region,
            position_type=PositionType.FUNGSIONAL_KEAHLIAN,
            functional_level=FunctionalLevel.TERAMPIL,
        )
    assert not PositionStandard.objects.exists()


@pytest.mark.parametrize("level", [0, 6, -1, "tiga", None])
def test_item_level_outside_1_to_5_is_refused(region, in_region, level):
    target = standard(region)
    with pytest.raises(ValidationError) as exc:
        services.position_standard_item_set(
            standard=target, competency=national("M.01"), required_level=level
        )
    assert exc.value.message_dict["required_level"] == [
        "Level harus bilangan bulat antara 1 dan 5."
    ]
    assert not PositionStandardItem.objects.exists()


def test_item_with_other_regions_competency_is_refused(region, other_region, in_region):
    target = standard(region)
    leak = technical(other_region, "T.BJI")
    with pytest.raises(ValidationError) as exc:
        services.position_standard_item_set(standard=target, competency=leak, required_level=3)
    assert exc.value.message_dict["competency"] == ["Kompetensi tidak ditemukan di wilayah ini."]
    assert not PositionStandardItem.objects.exists()


def test_item_set_updates_the_level_and_remove(region, in_region):
    target = standard(region)
    item = services.position_standard_item_set(
        standard=target, competency=national("M.01"), required_level=2
    )
    again = services.position_standard_item_set(
        standard=target, competency=national("M.01"), required_level="4"
    )
    assert again.pk == item.pk and again.required_level == 4
    services.position_standard_item_remove(item=again)
    assert not PositionStandardItem.objects.exists()


# --- Assessment services -----------------------------------------------------------------------


def test_record_assessment(employee, in_region):
    record = services.employee_competency_record(
        employee=employee,
        competency=national("M.03"),
        level=3,
        source=EmployeeCompetency.Source.ASSESSMENT_CENTER,
        assessed_on=dt.date(2025, 2, 3),
    )
    assert (record.region, record.level) == (employee.region, 3)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": 6}, "level"),
        ({"level": 0}, "level"),
        ({"source": "tebakan"}, "source"),
        ({"assessed_on": "future"}, "assessed_on"),
    ],
)
def test_record_assessment_refuses_bad_input(employee, in_region, changes, field):
    kwargs = {
        "employee": employee,
        "competency": national("M.03"),
        "level": 3,
        "source": "self",
        "assessed_on": dt.date(2025, 2, 3),
        **changes,
    }
    if kwargs["assessed_on"] == "future":
        kwargs["assessed_on"] = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.employee_competency_record(**kwargs)
    assert field in exc.value.message_dict
    assert not EmployeeCompetency.objects.exists()


def test_record_assessment_of_other_regions_competency_is_refused(
    employee, other_region, in_region
):
    with pytest.raises(ValidationError, match="tidak ditemukan"):
        services.employee_competency_record(
            employee=employee,
            competency=technical(other_region, "T.BJI"),
            level=3,
            source="self",
            assessed_on=dt.date(2025, 2, 3),
        )


def test_import_assessments_all_or_nothing(employee, other_employee, region, in_region):
    technical(region, "T.ARSIP")
    good = (
        "nip;kode_kompetensi;level;sumber;tanggal\n"
        f"{employee.nip};m.01;3;assessment_center;2025-01-15\n"
        f"{employee.nip};T.ARSIP;2;self;15/01/2025\n"
    ).encode()
    result = services.employee_competency_import(region=region, content=good)
    assert result.ok and result.created == 2
    assert EmployeeCompetency.objects.filter(employee=employee).count() == 2

    bad = (
        "nip,kode_kompetensi,level,sumber,tanggal\n"
        f"{employee.nip},M.02,3,self,2025-01-15\n"
        f"{other_employee.nip},M.02,3,self,2025-01-15\n"
        f"{employee.nip},M.09,7,tebak,kemarin\n"
    ).encode()
    result = services.employee_competency_import(region=region, content=bad)
    assert not result.ok and result.created == 0
    assert result.errors[0].startswith("Baris 3: NIP tidak ditemukan")
    assert "Baris 4" in result.errors[1] and "level harus 1–5" in result.errors[1]
    assert EmployeeCompetency.objects.filter(employee=employee).count() == 2


def test_import_reports_missing_columns(region, in_region):
    result = services.employee_competency_import(region=region, content=b"nip,level\n1,2\n")
    assert not result.ok and "kode_kompetensi" in result.errors[0]


def test_recommendations_leave_out_programmes_already_taken(employee, region, needs, in_region):
    from tests.factories.training import EnrolmentFactory
    from training.models import Enrolment

    m01 = needs[0]
    taken = program_for(region, m01, title="Sudah diikuti")
    cancelled = program_for(region, m01, title="Pernah batal")
    with scopes_disabled():
        EnrolmentFactory(
            region=region, employee=employee, offering=taken.offerings.get(), status="completed"
        )
        EnrolmentFactory(
            region=region,
            employee=employee,
            offering=cancelled.offerings.get(),
            status=Enrolment.Status.CANCELLED,
        )
    assert [p.pk for p in selectors.recommended_programs(employee=employee)] == [cancelled.pk]


def test_delete_unused_technical_competency(region, in_region):
    competency = technical(region, "T.BARU")
    services.competency_delete(region=region, competency=competency)
    assert not Competency.objects.filter(code="T.BARU").exists()
    assert not CompetencyLevel.objects.filter(competency_id=competency.pk).exists()


def test_delete_used_or_national_competency_is_refused(employee, region, in_region):
    used = technical(region, "T.PAKAI")
    assess(employee, used, 2)
    in_programme = technical(region, "T.PROG")
    program_for(region, in_programme)
    for competency in (used, in_programme):
        with pytest.raises(ValidationError, match="tidak dapat dihapus"):
            services.competency_delete(region=region, competency=competency)
    with pytest.raises(ValidationError, match="kompetensi nasional"):
        services.competency_delete(region=region, competency=national("M.01"))
    assert Competency.objects.filter(code__in=["T.PAKAI", "T.PROG", "M.01"]).count() == 3
