"""Unit: NIP / NI PPPK validation (shared/DOMAIN.md)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from regions.nip import FEMALE, MALE, PNS, PPPK, build_nip, normalise_nip, parse_nip

TODAY = dt.date(2026, 11, 24)


def test_valid_pns_nip_is_decoded():
    info = parse_nip("198503152010011002", PNS, today=TODAY)
    assert info.birth_date == dt.date(1985, 3, 15)
    assert (info.appointment_year, info.appointment_month) == (2010, 1)
    assert info.gender == MALE


def test_valid_pppk_number_does_not_treat_digits_13_14_as_month():
    info = parse_nip("199207142022992001", PPPK, today=TODAY)
    assert info.birth_date == dt.date(1992, 7, 14)
    assert info.appointment_year == 2022
    assert info.appointment_month is None
    assert info.gender == FEMALE


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19850315201001100", "nip_format"),  # 17 digits
        ("1985031520100110021", "nip_format"),  # 19 digits
        ("19850315201001100A", "nip_format"),
        ("198502302010011002", "nip_birth_date"),  # 30 February
        ("203001012050011002", "nip_birth_date"),  # born in the future
        ("198503152010131002", "nip_appointment"),  # month 13
        ("198503152010001002", "nip_appointment"),  # month 00
        ("198503151995011002", "nip_appointment"),  # appointed at 9
        ("198503152030011002", "nip_appointment"),  # appointed in the future
        ("198503152010013002", "nip_gender"),
        ("198503152010011000", "nip_sequence"),
    ],
)
def test_invalid_pns_nips_are_rejected_with_a_reason(nip, code):
    with pytest.raises(ValidationError) as exc:
        parse_nip(nip, PNS, today=TODAY)
    assert exc.value.code == code


def test_pns_month_rule_rejects_what_pppk_accepts():
    number = "199207142022992001"
    with pytest.raises(ValidationError):
        parse_nip(number, PNS, today=TODAY)
    assert parse_nip(number, PPPK, today=TODAY).appointment_year == 2022


def test_normalise_strips_spaces_and_dots():
    assert normalise_nip(" 19850315 201001 1 002 ") == "198503152010011002"
    assert normalise_nip("19850315.201001.1.002") == "198503152010011002"


def test_build_nip_round_trips():
    nip = build_nip(
        birth_date=dt.date(1990, 2, 3),
        appointment_year=2015,
        appointment_month=4,
        gender=FEMALE,
        sequence=7,
    )
    assert nip == "199002032015042007"
    assert parse_nip(nip, PNS, today=TODAY).gender == FEMALE
