"""The one path of every upload: type from content, size limit, random stored name, served as
an attachment with `nosniff` (docs/security.md, "Uploads").

Every upload type of the portal goes through `validate_upload()`:

| upload | kinds | limit |
| --- | --- | --- |
| evidence of a development record (training) | pdf, png, jpg | `KOMPETENSI_EVIDENCE_MAX_BYTES` (5 MB) |
| employee import (regions, evaluations' background import) | csv, xlsx | 5 MB |
| bulk enrolment by CSV (training) | csv | 1 MB |
| competency assessment import (training) | csv | 2 MB |

The kind is decided by the content (magic bytes; CSV: UTF-8 text without NUL bytes; XLSX: a
ZIP holding an Excel workbook), never by the name or the browser's content type; a name whose
extension contradicts the content is refused. Stored files get a random name
(`random_name()`), and files are served by `attachment_response()`: `Content-Disposition:
attachment` (inline only where a page must show the file, e.g. evidence previews),
`X-Content-Type-Options: nosniff`, the sniffed content type and `Cache-Control: private,
no-store`.
"""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

HEAD_BYTES = 4096


def _is_text(head: bytes) -> bool:
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def _is_xlsx(file) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


@dataclass(frozen=True)
class UploadKind:
    key: str
    extensions: tuple[str, ...]
    content_type: str
    magic: bytes | None = None  # None: decided by `check`

    def matches(self, head: bytes, file) -> bool:
        if self.magic is not None:
            return head.startswith(self.magic)
        if self.key == "csv":
            return _is_text(head)
        if self.key == "xlsx":
            return head.startswith(b"PK\x03\x04") and _is_xlsx(file)
        return False


KINDS: dict[str, UploadKind] = {
    "pdf": UploadKind("pdf", (".pdf",), "application/pdf", b"%PDF-"),
    "png": UploadKind("png", (".png",), "image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": UploadKind("jpg", (".jpg", ".jpeg"), "image/jpeg", b"\xff\xd8\xff"),
    "xlsx": UploadKind(
        "xlsx",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": UploadKind("csv", (".csv", ".txt"), "text/csv"),
}


def _head(file) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(HEAD_BYTES)
    finally:
        file.seek(position)
    return head if isinstance(head, bytes) else head.encode()


def sniff(file, kinds) -> str | None:
    """The first of `kinds` the content is (binary kinds are tried before text)."""
    head = _head(file)
    ordered = sorted(kinds, key=lambda key: KINDS[key].magic is None)
    for key in ordered:
        kind = KINDS[key]
        if kind.key == "xlsx":
            position = file.tell()
            try:
                file.seek(0)
                data = io.BytesIO(file.read())
            finally:
                file.seek(position)
            if kind.matches(head, data):
                return key
        elif kind.matches(head, file):
            return key
    return None


def _names(kinds) -> str:
    return ", ".join(key.upper() for key in kinds)


def validate_upload(
    file, *, kinds, max_bytes: int, what: str | None = None, kinds_label: str | None = None
) -> str:
    """Check size and content; return the kind. ValidationError messages are for the person
    who uploaded the file (`what` names it, e.g. "Berkas bukti"; `kinds_label` names the
    accepted kinds in words, e.g. "PDF atau gambar (PNG/JPG)")."""
    what = what or _("Berkas")
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(position)
    if size <= 0:
        raise ValidationError(
            _("%(what)s kosong. Unggah berkas %(kinds)s.") % {"what": what, "kinds": _names(kinds)},
            code="empty",
        )
    if size > max_bytes:
        raise ValidationError(
            _("%(what)s terlalu besar (%(size)s). Ukuran maksimal %(limit)s.")
            % {"what": what, "size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_big",
        )
    kind = sniff(file, kinds)
    if kind is None:
        raise ValidationError(
            _(
                "%(what)s harus berupa %(kinds)s. Isi berkas yang diunggah bukan salah satu jenis itu."
            )
            % {"what": what, "kinds": kinds_label or _names(kinds)},
            code="type",
        )
    extension = os.path.splitext(getattr(file, "name", "") or "")[1].lower()
    if extension and extension not in KINDS[kind].extensions:
        raise ValidationError(
            _(
                "Isi berkas (%(kind)s) tidak sesuai dengan ekstensi namanya (%(extension)s). "
                "Periksa kembali berkas yang diunggah."
            )
            % {"kind": kind.upper(), "extension": extension},
            code="extension",
        )
    return kind


def random_name(prefix: str, kind: str) -> str:
    """A stored name nobody can guess or choose: `<prefix>-<random><extension>`."""
    return f"{prefix}-{secrets.token_hex(12)}{KINDS[kind].extensions[0]}"


def content_type_of(name: str) -> str:
    extension = os.path.splitext(name)[1].lower()
    for kind in KINDS.values():
        if extension in kind.extensions:
            return kind.content_type
    return "application/octet-stream"


def attachment_response(handle, *, filename: str, content_type: str | None = None, inline=False):
    """Serve a stored file: attachment (or inline where a page shows it), nosniff, private."""
    response = FileResponse(
        handle,
        content_type=content_type or content_type_of(filename),
        as_attachment=not inline,
        filename=filename,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
