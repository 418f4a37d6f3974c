"""Context values of notifications: stored as JSON (dates and decimals kept recognisable), and
small helpers for the kinds' context hooks."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def encode(value):
    """Make a context value JSON-safe, keeping dates and decimals recognisable."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return {"__type__": "datetime", "value": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__type__": "date", "value": value.isoformat()}
    if isinstance(value, Decimal):
        return {"__type__": "decimal", "value": str(value)}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [encode(v) for v in value]
    return str(value)


def decode(value):
    if isinstance(value, dict):
        kind = value.get("__type__")
        if kind == "datetime":
            return parse_datetime(value["value"])
        if kind == "date":
            return parse_date(value["value"])
        if kind == "decimal":
            return Decimal(value["value"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def as_date(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date) or value in (None, ""):
        return value or None
    return parse_date(str(value)) if isinstance(value, str) else None


def as_datetime(value):
    if isinstance(value, dt.datetime) or value in (None, ""):
        return value or None
    return parse_datetime(value) if isinstance(value, str) else None


def first(*values):
    """The first value that is not empty (None, "", [] or {})."""
    for value in values:
        if value not in (None, "", [], {}):
            return value
    return None
