"""Formatting of dashboard table cells by column kind."""

import datetime as dt
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils import formats

register = template.Library()


@register.filter
def cell(value, kind: str = "text"):
    """A table cell as text: a dash when empty, numbers in the locale's format."""
    if value is None or value == "":
        return "–"
    if kind == "percent":
        return f"{floatformat(value, 1)}%"
    if kind == "decimal":
        return floatformat(value, "-2")
    if kind == "int" and isinstance(value, int | Decimal | float):
        return intcomma(int(value))
    if isinstance(value, dt.date):
        return formats.date_format(value, "j M Y")
    return value


@register.filter
def column_cells(row, columns):
    """Pairs of (value, kind) of a table row, for the template loop."""
    return [(value, column.kind) for value, column in zip(row, columns, strict=False)]


@register.filter
def zip_rows(first, second):
    return list(zip(first, second, strict=False))
