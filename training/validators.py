"""Validation of evidence files (PDF or image) attached to development records.

The type is decided by the file's content (its magic bytes), not by its name: a text file
called `sertifikat.pdf` is refused. The size limit is the `KOMPETENSI_EVIDENCE_MAX_BYTES`
setting (default 5 MB).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024

# kind -> (magic bytes at offset 0, allowed name extensions, content type)
EVIDENCE_TYPES = {
    "pdf": (b"%PDF-", (".pdf",), "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", (".png",), "image/png"),
    "jpg": (b"\xff\xd8\xff", (".jpg", ".jpeg"), "image/jpeg"),
}
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def evidence_max_bytes() -> int:
    return int(getattr(settings, "KOMPETENSI_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


def sniff_evidence_kind(file) -> str | None:
    """The evidence kind ("pdf", "png", "jpg") the content starts with, or None."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(16)
    finally:
        file.seek(position)
    if isinstance(head, str):
        return None
    for kind, (magic, _extensions, _content_type) in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            return kind
    return None


def evidence_content_type(name: str) -> str:
    """The content type of a stored evidence file (stored names carry their sniffed kind)."""
    extension = os.path.splitext(name)[1].lower()
    for _magic, extensions, content_type in EVIDENCE_TYPES.values():
        if extension in extensions:
            return content_type
    return "application/octet-stream"


def validate_evidence_file(file) -> str:
    """Check size and content of an uploaded evidence file; return its kind.

    Raises ValidationError with a message for the person who uploaded it.
    """
    size = getattr(file, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("Berkas bukti kosong. Unggah berkas PDF, PNG, atau JPG."))
    limit = evidence_max_bytes()
    if size > limit:
        raise ValidationError(
            _("Berkas bukti terlalu besar (%(size)s). Ukuran maksimal %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    kind = sniff_evidence_kind(file)
    if kind is None:
        raise ValidationError(
            _(
                "Berkas bukti harus berupa PDF atau gambar (PNG/JPG). Isi berkas yang diunggah "
                "bukan salah satu dari jenis itu."
            )
        )
    extension = os.path.splitext(getattr(file, "name", "") or "")[1].lower()
    if extension and extension not in EVIDENCE_TYPES[kind][1]:
        raise ValidationError(
            _(
                "Isi berkas (%(kind)s) tidak sesuai dengan ekstensi namanya (%(extension)s). "
                "Periksa kembali berkas yang diunggah."
            )
            % {"kind": kind.upper(), "extension": extension}
        )
    return kind
