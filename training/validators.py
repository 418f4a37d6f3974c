"""Evidence files (PDF or image) attached to development records, through the portal's one
upload path (`kompetensi.uploads`): the type is decided by the file's content (its magic
bytes), not by its name — a text file called `sertifikat.pdf` is refused. The size limit is
the `KOMPETENSI_EVIDENCE_MAX_BYTES` setting (default 5 MB).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from kompetensi import uploads

DEFAULT_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_KINDS = ("pdf", "png", "jpg")
# kind -> (magic bytes at offset 0, allowed name extensions, content type)
EVIDENCE_TYPES = {
    key: (uploads.KINDS[key].magic, uploads.KINDS[key].extensions, uploads.KINDS[key].content_type)
    for key in EVIDENCE_KINDS
}
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def evidence_max_bytes() -> int:
    return int(getattr(settings, "KOMPETENSI_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


def sniff_evidence_kind(file) -> str | None:
    """The evidence kind ("pdf", "png", "jpg") the content starts with, or None."""
    return uploads.sniff(file, EVIDENCE_KINDS)


def evidence_content_type(name: str) -> str:
    """The content type of a stored evidence file (stored names carry their sniffed kind)."""
    return uploads.content_type_of(name)


def validate_evidence_file(file) -> str:
    """Check size and content of an uploaded evidence file; return its kind.

    Raises ValidationError with a message for the person who uploaded it.
    """
    return uploads.validate_upload(
        file,
        kinds=EVIDENCE_KINDS,
        max_bytes=evidence_max_bytes(),
        what=_("Berkas bukti"),
        kinds_label=_("PDF atau gambar (PNG/JPG)"),
    )
