"""JP conversion for forms of development without a fixed programme length (LAN guidance).

The figures live on `DevelopmentForm` (national reference data), so they stay configurable:

- per day (seminar 4 JP, international 6; workshop 5 JP, international 7);
- per activity (magang and pertukaran 20 JP, international 24);
- per session with a monthly limit (bimbingan di tempat kerja 2 JP a session, at most 2 sessions
  a month);
- actual hours with a daily cap (e-learning at most 3 JP a day, komunitas belajar at most 2).

An international activity earns +20% JP, except structural leadership training; where a form
names its own international figure, that figure is used. 1 JP = 45 minutes.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

JP_MINUTES = 45
INTERNATIONAL_FACTOR = Decimal("1.2")
_CENTS = Decimal("0.01")

RULE_PER_DAY = "per_day"
RULE_PER_ACTIVITY = "per_activity"
RULE_PER_SESSION = "per_session"
RULE_HOURS_CAPPED = "hours_capped"


def _q(value: Decimal) -> Decimal:
    return value.quantize(_CENTS, rounding=ROUND_HALF_UP)


def jp_format(value) -> str:
    """A JP figure as people write it: 8, 2,4 (no trailing zeros), in the active language."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(int(value))
    return number_format(value.normalize())


def jp_rule_kind(form) -> str | None:
    """Which conversion rule applies to `form`, or None when JP comes from the programme."""
    if form.jp_per_day is not None:
        return RULE_PER_DAY
    if form.jp_per_activity is not None:
        return RULE_PER_ACTIVITY
    if form.jp_per_session is not None:
        return RULE_PER_SESSION
    if form.max_jp_per_day is not None:
        return RULE_HOURS_CAPPED
    return None


def jp_from_hours(hours) -> Decimal:
    """Hours of learning as JP (1 JP = 45 minutes)."""
    return _q(Decimal(str(hours)) * 60 / JP_MINUTES)


def _international(form, base: Decimal, own_figure: Decimal | None, is_international: bool):
    if not is_international:
        return base
    if own_figure is not None:
        return own_figure
    if form.is_structural:
        return base
    return base * INTERNATIONAL_FACTOR


def _positive_int(value, message: str) -> int:
    if value is None or int(value) < 1:
        raise ValidationError(message)
    return int(value)


def jp_derive(
    *,
    form,
    days: int | None = None,
    sessions: int | None = None,
    months: int | None = None,
    hours=None,
    is_international: bool = False,
) -> Decimal:
    """The JP an activity earns under the form's conversion rule, caps and bonus applied.

    Forms without a conversion rule earn their actual hours (`hours`), +20% if international
    (except structural leadership training). Raises ValidationError when an input the rule needs
    is missing or not positive.
    """
    kind = jp_rule_kind(form)
    if hours is not None and Decimal(str(hours)) <= 0:
        raise ValidationError(_("Jumlah jam harus lebih dari 0."))

    if kind == RULE_PER_DAY:
        days = _positive_int(days, _("Jumlah hari harus diisi dan paling sedikit 1."))
        rate = _international(
            form, form.jp_per_day, form.jp_per_day_international, is_international
        )
        return _q(rate * days)

    if kind == RULE_PER_ACTIVITY:
        return _q(
            _international(
                form, form.jp_per_activity, form.jp_per_activity_international, is_international
            )
        )

    if kind == RULE_PER_SESSION:
        sessions = _positive_int(sessions, _("Jumlah sesi harus diisi dan paling sedikit 1."))
        months = _positive_int(1 if months is None else months, _("Jumlah bulan paling sedikit 1."))
        if form.max_sessions_per_month:
            sessions = min(sessions, form.max_sessions_per_month * months)
        rate = _international(form, form.jp_per_session, None, is_international)
        return _q(rate * sessions)

    if kind == RULE_HOURS_CAPPED:
        days = _positive_int(days, _("Jumlah hari harus diisi dan paling sedikit 1."))
        cap = form.max_jp_per_day * days
        earned = cap if hours is None else min(jp_from_hours(hours), cap)
        return _q(_international(form, earned, None, is_international))

    if hours is None:
        raise ValidationError(
            _("Bentuk %(form)s tidak memiliki aturan konversi JP; isi jumlah jam pelajaran.")
            % {"form": form.name}
        )
    return _q(_international(form, jp_from_hours(hours), None, is_international))


def calendar_days(start_date: dt.date, end_date: dt.date) -> int:
    return (end_date - start_date).days + 1


def calendar_months(start_date: dt.date, end_date: dt.date) -> int:
    """Calendar months touched by the period (March 30 – April 2 is two months)."""
    return (end_date.year - start_date.year) * 12 + end_date.month - start_date.month + 1


def jp_maximum(
    *, form, start_date: dt.date, end_date: dt.date, is_international: bool = False
) -> Decimal | None:
    """The most JP an activity of `form` over these dates may claim, or None (no cap)."""
    kind = jp_rule_kind(form)
    if kind is None or end_date < start_date:
        return None
    months = calendar_months(start_date, end_date)
    sessions = None
    if kind == RULE_PER_SESSION:
        if not form.max_sessions_per_month:
            return None
        sessions = form.max_sessions_per_month * months
    return jp_derive(
        form=form,
        days=calendar_days(start_date, end_date),
        sessions=sessions,
        months=months,
        is_international=is_international,
    )


def jp_rule_text(form, *, is_international: bool = False) -> str:
    """The form's conversion rule in one sentence, for help texts and messages."""
    kind = jp_rule_kind(form)
    if kind == RULE_PER_DAY:
        rate = _international(
            form, form.jp_per_day, form.jp_per_day_international, is_international
        )
        return _("%(jp)s JP per hari") % {"jp": jp_format(rate)}
    if kind == RULE_PER_ACTIVITY:
        rate = _international(
            form, form.jp_per_activity, form.jp_per_activity_international, is_international
        )
        return _("%(jp)s JP per kegiatan") % {"jp": jp_format(rate)}
    if kind == RULE_PER_SESSION:
        rate = _international(form, form.jp_per_session, None, is_international)
        if form.max_sessions_per_month:
            return _("%(jp)s JP per sesi, paling banyak %(sessions)s sesi per bulan") % {
                "jp": jp_format(rate),
                "sessions": form.max_sessions_per_month,
            }
        return _("%(jp)s JP per sesi") % {"jp": jp_format(rate)}
    if kind == RULE_HOURS_CAPPED:
        rate = _international(form, form.max_jp_per_day, None, is_international)
        return _("sesuai jam belajar, paling banyak %(jp)s JP per hari") % {"jp": jp_format(rate)}
    return ""


def jp_claim_check(
    *, form, jp, start_date: dt.date, end_date: dt.date, is_international: bool = False
) -> None:
    """Refuse a claimed JP above what the form's conversion rule allows for these dates."""
    maximum = jp_maximum(
        form=form, start_date=start_date, end_date=end_date, is_international=is_international
    )
    if maximum is None or Decimal(jp) <= maximum:
        return
    raise ValidationError(
        {
            "jp": _(
                "JP melebihi batas untuk %(form)s: paling banyak %(max)s JP untuk kegiatan "
                "%(days)s hari (%(rule)s)."
            )
            % {
                "form": form.name,
                "max": jp_format(maximum),
                "days": calendar_days(start_date, end_date),
                "rule": jp_rule_text(form, is_international=is_international),
            }
        }
    )


def jp_award(*, program, offering) -> Decimal:
    """The JP a completed participant of `offering` earns: the programme's JP, never more than
    its form allows over the batch's dates (international +20 %, except structural leadership
    training). Completion calls this once per batch."""
    jp = Decimal(program.jp)
    maximum = jp_maximum(
        form=program.form,
        start_date=offering.start_date,
        end_date=offering.end_date,
        is_international=offering.is_international,
    )
    return _q(min(jp, maximum) if maximum is not None else jp)
