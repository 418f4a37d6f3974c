"""Pre- and post-test scores on the enrolment: the one writer of `pre_test_score` and
`post_test_score`, whether the scores come from an online quiz (`training.services.quizzes`)
or from paper tests an admin enters in a grid or imports from CSV/XLSX.

The learning evaluation (level 2 gain) and the API read these two columns.
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.nip import normalise_nip
from training.models import Enrolment, Offering

UNSET = object()
MAX_IMPORT_BYTES = 2 * 1024 * 1024
SCORE_PLACES = Decimal("0.01")


def parse_score(value) -> Decimal | None:
    """A score 0–100 from user input ('' → None; a comma is a decimal separator)."""
    if value is None:
        return None
    if isinstance(value, int | float | Decimal):
        text = str(value)
    else:
        text = str(value).strip().replace(",", ".")
    if text == "":
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("Nilai %(v)s bukan angka.") % {"v": value}, code="invalid"
        ) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(_("Nilai harus antara 0 dan 100."), code="range")
    return score.quantize(SCORE_PLACES)


@transaction.atomic
def enrolment_scores_set(*, enrolment: Enrolment, pre=UNSET, post=UNSET) -> None:
    fields = {}
    if pre is not UNSET:
        fields["pre_test_score"] = pre
        enrolment.pre_test_score = pre
    if post is not UNSET:
        fields["post_test_score"] = post
        enrolment.post_test_score = post
    if fields:
        Enrolment.objects.filter(pk=enrolment.pk).update(**fields, updated_at=timezone.now())


def _guard(offering: Offering) -> None:
    if offering.status == Offering.Status.CANCELLED:
        raise ValidationError(_("Angkatan ini dibatalkan; nilai tidak dicatat."), code="cancelled")
    if offering.status == Offering.Status.COMPLETED:
        raise ValidationError(
            _("Angkatan ini sudah selesai; nilai tidak dapat diubah lagi."), code="closed"
        )


@transaction.atomic
def offering_scores_save(*, offering: Offering, scores: dict) -> int:
    """Paper-test scores from the admin's grid: {enrolment id: (pre, post)} of the batch's
    participants (None clears a score). Ids of anyone else are refused and nothing is
    written. Two queries whatever the number of rows (one read, one bulk UPDATE)."""
    _guard(offering)
    rows = {
        e.pk: e
        for e in Enrolment.objects.filter(
            offering_id=offering.pk, status__in=Enrolment.SEAT_STATUSES
        ).only("id", "pre_test_score", "post_test_score")
    }
    unknown = set(scores) - set(rows)
    if unknown:
        raise ValidationError(
            _("Nilai memuat peserta yang bukan bagian dari angkatan ini."), code="other_offering"
        )
    now = timezone.now()
    changed = []
    for enrolment_id, (pre, post) in scores.items():
        enrolment = rows[enrolment_id]
        if enrolment.pre_test_score != pre or enrolment.post_test_score != post:
            enrolment.pre_test_score, enrolment.post_test_score = pre, post
            enrolment.updated_at = now
            changed.append(enrolment)
    Enrolment.objects.bulk_update(changed, ["pre_test_score", "post_test_score", "updated_at"])
    return len(changed)


@dataclass
class ScoreImport:
    saved: int = 0
    errors: list = field(default_factory=list)  # (row number, message)


def _read_rows(file) -> list[list]:
    name = (getattr(file, "name", "") or "").lower()
    data = file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(_("Berkas terlalu besar; paling besar 2 MB."), code="size")
    if data.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(_("Berkas Excel tidak dapat dibaca."), code="invalid") from exc
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".xlsx"):
        raise ValidationError(_("Berkas Excel tidak dapat dibaca."), code="invalid")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Berkas CSV harus berenkode UTF-8."), code="encoding") from None
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    return [row for row in csv.reader(io.StringIO(text), dialect)]


@transaction.atomic
def offering_scores_import(*, offering: Offering, file) -> ScoreImport:
    """Scores from a CSV/XLSX with the columns NIP, pre-test, post-test (a header row is
    recognised by its first cell). Every row is checked first; with any error nothing is
    written and each error names its row."""
    _guard(offering)
    result = ScoreImport()
    rows = _read_rows(file)
    if rows and str(rows[0][0] or "").strip().lower() in ("nip", "nip/ni pppk"):
        rows = rows[1:]
        start = 2
    else:
        start = 1
    participants = {
        nip: (pk, pre, post)
        for pk, nip, pre, post in Enrolment.objects.filter(
            offering_id=offering.pk, status__in=Enrolment.SEAT_STATUSES
        ).values_list("id", "employee__nip", "pre_test_score", "post_test_score")
    }
    scores: dict[int, tuple] = {}
    for number, row in enumerate(rows, start=start):
        cells = list(row) + [None, None, None]
        if all(str(c or "").strip() == "" for c in cells[:3]):
            continue
        nip = normalise_nip(str(cells[0] or "").split(".")[0])
        if nip not in participants:
            result.errors.append(
                (number, _("NIP %(nip)s bukan peserta angkatan ini.") % {"nip": nip or "-"})
            )
            continue
        pk = participants[nip][0]
        try:
            pre = parse_score(cells[1])
            post = parse_score(cells[2])
        except ValidationError as exc:
            result.errors.append((number, exc.messages[0]))
            continue
        if pk in scores:
            result.errors.append(
                (number, _("NIP %(nip)s muncul lebih dari sekali.") % {"nip": nip})
            )
            continue
        scores[pk] = (pre, post)
    if not scores and not result.errors:
        result.errors.append((start, _("Berkas tidak berisi baris nilai.")))
    if result.errors:
        return result
    result.saved = offering_scores_save(offering=offering, scores=scores)
    return result
