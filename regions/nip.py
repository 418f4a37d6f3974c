"""Validation of the national identifiers of ASN (shared/DOMAIN.md, "People and identifiers").

NIP (PNS), 18 digits: 1-8 birth date YYYYMMDD; 9-14 start of candidacy (TMT CPNS) YYYYMM;
15 sex (1 male, 2 female); 16-18 sequence.
NI PPPK, 18 digits: 1-8 birth date; 9-12 year of first appointment; 13-14 contract-related
(never checked as a month); 15 sex; 16-18 sequence.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PNS = "pns"
PPPK = "pppk"
MALE = "L"
FEMALE = "P"
MIN_AGE_AT_APPOINTMENT = 17


@dataclass(frozen=True)
class NipInfo:
    birth_date: dt.date
    appointment_year: int
    appointment_month: int | None
    gender: str


def normalise_nip(raw: str) -> str:
    """Strip the spaces and dots people type or paste from printed documents."""
    return "".join(ch for ch in str(raw or "") if not ch.isspace() and ch not in ".-")


def parse_nip(nip: str, employment_type: str = PNS, *, today: dt.date | None = None) -> NipInfo:
    """Return what the NIP encodes, or raise ValidationError with a message per fault."""
    today = today or dt.date.today()
    label = _("NIP") if employment_type == PNS else _("NI PPPK")
    if len(nip) != 18 or not nip.isdigit():
        raise ValidationError(
            _("%(label)s harus terdiri dari 18 angka tanpa spasi (diterima %(count)d karakter).")
            % {"label": label, "count": len(nip)},
            code="nip_format",
        )
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("%(label)s tidak valid: digit 1–8 (%(part)s) bukan tanggal lahir yang benar.")
            % {"label": label, "part": nip[0:8]},
            code="nip_birth_date",
        ) from None
    if birth.year < 1940 or birth > today:
        raise ValidationError(
            _("%(label)s tidak valid: tanggal lahir %(date)s tidak masuk akal.")
            % {"label": label, "date": birth.strftime("%d-%m-%Y")},
            code="nip_birth_date",
        )
    year = int(nip[8:12])
    month: int | None = None
    if employment_type == PNS:
        month = int(nip[12:14])
        if not 1 <= month <= 12:
            raise ValidationError(
                _("NIP tidak valid: digit 13–14 (%(part)s) bukan bulan TMT CPNS yang benar.")
                % {"part": nip[12:14]},
                code="nip_appointment",
            )
    appointment_reference = (year, month or 12)
    if year - birth.year < MIN_AGE_AT_APPOINTMENT or appointment_reference > (
        today.year,
        today.month if employment_type == PNS else 12,
    ):
        raise ValidationError(
            _(
                "%(label)s tidak valid: tahun pengangkatan %(year)d tidak sesuai dengan tanggal lahir."
            )
            % {"label": label, "year": year},
            code="nip_appointment",
        )
    gender_digit = nip[14]
    if gender_digit not in "12":
        raise ValidationError(
            _("%(label)s tidak valid: digit ke-15 harus 1 (laki-laki) atau 2 (perempuan).")
            % {"label": label},
            code="nip_gender",
        )
    if nip[15:18] == "000":
        raise ValidationError(
            _("%(label)s tidak valid: nomor urut (digit 16–18) tidak boleh 000.")
            % {"label": label},
            code="nip_sequence",
        )
    return NipInfo(
        birth_date=birth,
        appointment_year=year,
        appointment_month=month,
        gender=MALE if gender_digit == "1" else FEMALE,
    )


def build_nip(
    *,
    birth_date: dt.date,
    appointment_year: int,
    appointment_month: int = 1,
    gender: str = MALE,
    sequence: int = 1,
    employment_type: str = PNS,
    contract_code: int = 0,
) -> str:
    """Compose a valid NIP / NI PPPK from its parts (demo data, tests, fixtures)."""
    middle = (
        f"{appointment_year:04d}{appointment_month:02d}"
        if employment_type == PNS
        else f"{appointment_year:04d}{contract_code:02d}"
    )
    return f"{birth_date:%Y%m%d}{middle}{'1' if gender == MALE else '2'}{sequence % 1000 or 1:03d}"
