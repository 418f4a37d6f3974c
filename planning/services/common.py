"""Shared checks of the planning services (clear Indonesian refusals, never a 500)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_MONEY = Decimal("99999999999999")  # 14 digits of rupiah
NOTE_MAX_LENGTH = 2000


def clean_money(value, *, field: str) -> Decimal:
    """A rupiah amount: digits only (dots or commas as thousands separators allowed), ≥ 0."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    else:
        text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
        if text.lower().startswith("rp"):
            text = text[2:]
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if not digits.isascii() or not digits.isdigit():
            raise ValidationError({field: [_("Isi jumlah rupiah dengan angka saja, tanpa huruf.")]})
        try:
            amount = Decimal(text)
        except InvalidOperation:  # pragma: no cover - digits only by now
            raise ValidationError(
                {field: [_("Isi jumlah rupiah dengan angka saja, tanpa huruf.")]}
            ) from None
    if not amount.is_finite():
        raise ValidationError({field: [_("Isi jumlah rupiah dengan angka saja, tanpa huruf.")]})
    if amount < 0:
        raise ValidationError({field: [_("Jumlah rupiah tidak boleh negatif.")]})
    if amount > MAX_MONEY:
        raise ValidationError({field: [_("Jumlah rupiah terlalu besar.")]})
    if amount != amount.to_integral_value():
        raise ValidationError({field: [_("Isi jumlah rupiah tanpa sen.")]})
    return amount


def clean_note(value: str, *, field: str, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: [_("Catatan wajib diisi.")]})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {field: [_("Catatan paling banyak %(limit)s karakter.") % {"limit": NOTE_MAX_LENGTH}]}
        )
    return text


def clean_positive_int(value, *, field: str, maximum: int, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {field: [_("%(label)s harus berupa angka.") % {"label": label}]}
        ) from None
    if number < 1:
        raise ValidationError({field: [_("%(label)s harus lebih dari 0.") % {"label": label}]})
    if number > maximum:
        raise ValidationError(
            {field: [_("%(label)s paling banyak %(max)s.") % {"label": label, "max": maximum}]}
        )
    return number
