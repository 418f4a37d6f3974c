"""Unit: JP conversion per form of development (LAN guidance), caps and the international bonus."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories.training import development_form
from training.services.jp_rules import (
    jp_claim_check,
    jp_derive,
    jp_from_hours,
    jp_maximum,
    jp_rule_text,
)

pytestmark = pytest.mark.django_db

STRUCTURAL, TEKNIS, WORKSHOP, SEMINAR, MAGANG = 1, 3, 4, 9, 10
ELEARNING, PERTUKARAN, KOMUNITAS, BIMBINGAN = 16, 21, 23, 24


def derive(form_id, **kwargs):
    return jp_derive(form=development_form(form_id), **kwargs)


def test_one_jp_is_45_minutes():
    assert jp_from_hours(Decimal("0.75")) == Decimal("1.00")
    assert jp_from_hours(3) == Decimal("4.00")
    assert jp_from_hours(1) == Decimal("1.33")


@pytest.mark.parametrize(
    ("form_id", "days", "national", "international"),
    [
        (SEMINAR, 1, "4", "6"),
        (SEMINAR, 2, "8", "12"),
        (WORKSHOP, 1, "5", "7"),
        (WORKSHOP, 3, "15", "21"),
    ],
)
def test_per_day_forms_use_their_national_and_international_rates(
    form_id, days, national, international
):
    assert derive(form_id, days=days) == Decimal(national)
    assert derive(form_id, days=days, is_international=True) == Decimal(international)


@pytest.mark.parametrize("form_id", [MAGANG, PERTUKARAN])
def test_magang_and_pertukaran_earn_per_activity_whatever_the_length(form_id):
    assert derive(form_id) == Decimal("20")
    assert derive(form_id, days=30) == Decimal("20")
    assert derive(form_id, days=30, is_international=True) == Decimal("24")


def test_elearning_counts_actual_hours_up_to_three_jp_a_day():
    assert derive(ELEARNING, days=1, hours=Decimal("1.5")) == Decimal("2")
    assert derive(ELEARNING, days=1, hours=6) == Decimal("3")  # 8 JP of hours, capped at 3
    assert derive(ELEARNING, days=2, hours=6) == Decimal("6")
    assert derive(ELEARNING, days=4) == Decimal("12")  # no hours given: the cap
    assert derive(ELEARNING, days=1, hours=6, is_international=True) == Decimal("3.6")


def test_komunitas_belajar_counts_actual_hours_up_to_two_jp_a_day():
    assert derive(KOMUNITAS, days=1, hours=Decimal("0.75")) == Decimal("1")
    assert derive(KOMUNITAS, days=1, hours=3) == Decimal("2")
    assert derive(KOMUNITAS, days=3, hours=3) == Decimal("4")
    assert derive(KOMUNITAS, days=1, hours=3, is_international=True) == Decimal("2.4")


def test_bimbingan_di_tempat_kerja_two_jp_a_session_at_most_two_sessions_a_month():
    assert derive(BIMBINGAN, sessions=1) == Decimal("2")
    assert derive(BIMBINGAN, sessions=2) == Decimal("4")
    assert derive(BIMBINGAN, sessions=5) == Decimal("4")  # 1 month: only 2 sessions count
    assert derive(BIMBINGAN, sessions=5, months=2) == Decimal("8")
    assert derive(BIMBINGAN, sessions=3, months=3) == Decimal("6")
    assert derive(BIMBINGAN, sessions=2, is_international=True) == Decimal("4.8")


def test_forms_without_a_rule_earn_their_hours_with_the_international_bonus():
    assert derive(TEKNIS, hours=Decimal("7.5")) == Decimal("10")
    assert derive(TEKNIS, hours=Decimal("7.5"), is_international=True) == Decimal("12")


def test_structural_leadership_training_gets_no_international_bonus():
    assert derive(STRUCTURAL, hours=Decimal("7.5")) == Decimal("10")
    assert derive(STRUCTURAL, hours=Decimal("7.5"), is_international=True) == Decimal("10")


def test_structural_per_day_form_gets_no_bonus_either():
    form = development_form(STRUCTURAL)
    form.jp_per_day = Decimal("9")  # a region configuring a per-day rate (unsaved)
    assert jp_derive(form=form, days=2, is_international=True) == Decimal("18")


def test_the_rates_come_from_the_form_so_they_stay_configurable():
    form = development_form(SEMINAR)
    form.jp_per_day, form.jp_per_day_international = Decimal("5"), None
    assert jp_derive(form=form, days=2) == Decimal("10")
    assert jp_derive(form=form, days=2, is_international=True) == Decimal("12")  # +20%


@pytest.mark.parametrize(
    ("form_id", "kwargs"),
    [
        (SEMINAR, {}),
        (SEMINAR, {"days": 0}),
        (ELEARNING, {"hours": 2}),
        (BIMBINGAN, {}),
        (BIMBINGAN, {"sessions": 0}),
        (TEKNIS, {}),
        (TEKNIS, {"hours": 0}),
    ],
)
def test_missing_or_non_positive_inputs_are_refused(form_id, kwargs):
    with pytest.raises(ValidationError):
        derive(form_id, **kwargs)


def test_maximum_follows_the_dates():
    day = dt.date(2026, 3, 30)
    seminar, bimbingan = development_form(SEMINAR), development_form(BIMBINGAN)
    assert jp_maximum(form=seminar, start_date=day, end_date=day) == Decimal("4")
    assert jp_maximum(
        form=seminar, start_date=day, end_date=day + dt.timedelta(days=2), is_international=True
    ) == Decimal("18")
    # March 30 – April 2 touches two months: at most 4 sessions.
    assert jp_maximum(form=bimbingan, start_date=day, end_date=dt.date(2026, 4, 2)) == Decimal("8")
    assert jp_maximum(form=development_form(TEKNIS), start_date=day, end_date=day) is None


def test_claim_above_the_maximum_is_refused_with_the_maximum_in_the_message():
    seminar = development_form(SEMINAR)
    day = dt.date(2026, 5, 4)
    end = day + dt.timedelta(days=1)
    jp_claim_check(form=seminar, jp=Decimal("8"), start_date=day, end_date=end)
    with pytest.raises(ValidationError) as exc:
        jp_claim_check(form=seminar, jp=Decimal("9"), start_date=day, end_date=end)
    message = exc.value.message_dict["jp"][0]
    assert "paling banyak 8 JP" in message and "2 hari" in message
    jp_claim_check(
        form=seminar, jp=Decimal("12"), start_date=day, end_date=end, is_international=True
    )


def test_claims_for_forms_without_a_rule_are_not_capped():
    jp_claim_check(
        form=development_form(TEKNIS),
        jp=Decimal("120"),
        start_date=dt.date(2026, 5, 4),
        end_date=dt.date(2026, 5, 4),
    )


def test_rule_text_names_the_rates():
    assert jp_rule_text(development_form(SEMINAR)) == "4 JP per hari"
    assert jp_rule_text(development_form(SEMINAR), is_international=True) == "6 JP per hari"
    assert "2 sesi per bulan" in jp_rule_text(development_form(BIMBINGAN))
    assert jp_rule_text(development_form(TEKNIS)) == ""
