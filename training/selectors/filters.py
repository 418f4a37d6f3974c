"""Filters of the training lists (the REST API's enrolments, programmes, offerings and
development records; the evaluations summary reuses `offering_filter`).

Each takes a queryset (a model's or its `.values_list()`, inside the region scope) and
keyword arguments as the API parses them, and returns the narrowed queryset. An argument left
empty (None, empty list) does not filter. Id-or-code arguments are `(id or None, code)` pairs
(`kompetensi.api.params.IdOrCode`): a number matches an id or a code, anything else a code.
"""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from kompetensi.api.params import IdOrCode, id_or_code_q
from regions.nip import normalise_nip


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight starting `day` in the current time zone (WIB)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def enrolment_filter(
    queryset: QuerySet,
    *,
    status: list[str] | None = None,
    offering: int | None = None,
    programme: IdOrCode | None = None,
    unit: IdOrCode | None = None,
    nip: str | None = None,
    requested_from: dt.date | None = None,
    requested_to: dt.date | None = None,
    offering_start_from: dt.date | None = None,
    offering_start_to: dt.date | None = None,
) -> QuerySet:
    """Enrolments by status (any of), offering, programme, the employee's unit and NIP, the
    day they were requested (WIB, both ends inclusive) and their offering's start date."""
    if status:
        queryset = queryset.filter(status__in=status)
    if offering:
        queryset = queryset.filter(offering_id=offering)
    if programme:
        queryset = queryset.filter(id_or_code_q("offering__program", programme))
    if unit:
        queryset = queryset.filter(id_or_code_q("employee__unit", unit))
    if nip:
        queryset = queryset.filter(employee__nip=normalise_nip(nip))
    if requested_from:
        queryset = queryset.filter(requested_at__gte=_day_start(requested_from))
    if requested_to:
        queryset = queryset.filter(requested_at__lt=_day_start(requested_to + dt.timedelta(days=1)))
    if offering_start_from:
        queryset = queryset.filter(offering__start_date__gte=offering_start_from)
    if offering_start_to:
        queryset = queryset.filter(offering__start_date__lte=offering_start_to)
    return queryset


def programme_filter(
    queryset: QuerySet, *, status: list[str] | None = None, form: int | None = None
) -> QuerySet:
    """Programmes by status (any of) and development form (SIASN `jenisDiklatId`)."""
    if status:
        queryset = queryset.filter(status__in=status)
    if form:
        queryset = queryset.filter(form_id=form)
    return queryset


def offering_filter(
    queryset: QuerySet,
    *,
    status: list[str] | None = None,
    programme: IdOrCode | None = None,
    start_from: dt.date | None = None,
    start_to: dt.date | None = None,
) -> QuerySet:
    """Offerings by status (any of), programme and start date (both ends inclusive)."""
    if status:
        queryset = queryset.filter(status__in=status)
    if programme:
        queryset = queryset.filter(id_or_code_q("program", programme))
    if start_from:
        queryset = queryset.filter(start_date__gte=start_from)
    if start_to:
        queryset = queryset.filter(start_date__lte=start_to)
    return queryset


def record_filter(
    queryset: QuerySet,
    *,
    status: list[str] | None = None,
    year: int | None = None,
    nip: str | None = None,
    form: int | None = None,
    source: str | None = None,
) -> QuerySet:
    """Development records by verification status (any of), year, NIP, form and source."""
    if status:
        queryset = queryset.filter(status__in=status)
    if year:
        queryset = queryset.filter(year=year)
    if nip:
        queryset = queryset.filter(employee__nip=normalise_nip(nip))
    if form:
        queryset = queryset.filter(form_id=form)
    if source:
        queryset = queryset.filter(source=source)
    return queryset


def record_filter_siasn(
    queryset: QuerySet, *, kind: str, year: int | None = None, nip: str | None = None
) -> QuerySet:
    """Development records for one SIASN history: `diklat` (structural leadership training)
    or `kursus` (every other form), by year and NIP."""
    queryset = queryset.filter(form__is_structural=kind == "diklat")
    if year:
        queryset = queryset.filter(year=year)
    if nip:
        queryset = queryset.filter(employee__nip=normalise_nip(nip))
    return queryset
