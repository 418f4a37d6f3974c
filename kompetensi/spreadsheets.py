"""One rule for user text written to CSV and XLSX files: it is never run as a formula.

Spreadsheet programs treat a cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage
return before one of them) as a formula, so a name or title typed by a user could run
`=HYPERLINK(...)` or worse in the admin's spreadsheet (CSV/formula injection, OWASP). Every
export cell that holds user text goes through `csv_safe()` (CSV) or `xlsx_text()` (XLSX);
plain numbers such as "-5" are left alone.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _is_number(text)


def csv_safe(value) -> str:
    """A CSV cell: text a spreadsheet shows as typed, with a leading apostrophe when it would
    otherwise start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def xlsx_text(sheet, value):
    """An XLSX cell of user text for a write-only sheet: always a string cell, never a
    formula (openpyxl turns a str starting with '=' into a formula unless told otherwise).

    Text that `looks_like_formula` also gets the cell's quote prefix (what Excel sets when
    someone types a leading apostrophe): it is shown exactly as typed, and stays text when
    someone later edits the cell and presses Enter. The same rule as `csv_safe`, without
    altering the value."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters (a vertical tab pasted from Word...) are not allowed in XLSX: dropped.
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell
