"""Files of lessons: videos, documents and SCORM 1.2 packages.

As with evidence (`training.validators`), the type is decided by the content, never by the
name or the browser's claim, and sizes are limited (settings `KOMPETENSI_VIDEO_MAX_BYTES`,
`KOMPETENSI_DOCUMENT_MAX_BYTES`, `KOMPETENSI_SCORM_MAX_BYTES`, `KOMPETENSI_SCORM_MAX_FILES`).
Stored names are random; the original name is kept only for the download's file name.

A SCORM package is a zip with `imsmanifest.xml` at its root. It is checked whole before a
single file is written: every member's path must stay inside the package (no absolute path,
no `..`, no drive letter, no symlink), the number of files and the unpacked size are limited
(a zip bomb is refused by its declared sizes and again while reading), and the manifest must
name a launch file (a `resource` with `adlcp:scormtype="sco"` and an `href`) that exists in
the package.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

MB = 1024 * 1024


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def video_max_bytes() -> int:
    return _limit("KOMPETENSI_VIDEO_MAX_BYTES", 300 * MB)


def document_max_bytes() -> int:
    return _limit("KOMPETENSI_DOCUMENT_MAX_BYTES", 25 * MB)


def scorm_max_bytes() -> int:
    """Both the zip's size and its unpacked size."""
    return _limit("KOMPETENSI_SCORM_MAX_BYTES", 200 * MB)


def scorm_max_files() -> int:
    return _limit("KOMPETENSI_SCORM_MAX_FILES", 5000)


def _head(file, n: int = 64) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(n)
    finally:
        file.seek(position)
    return head if isinstance(head, bytes) else b""


def _check_size(file, limit: int, what: str) -> int:
    size = getattr(file, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("Berkas %(what)s kosong.") % {"what": what}, code="empty")
    if size > limit:
        raise ValidationError(
            _("Berkas %(what)s terlalu besar (%(size)s). Ukuran maksimal %(limit)s.")
            % {"what": what, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    return size


# --- Videos ------------------------------------------------------------------------------------

VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
VIDEO_ACCEPT = ".mp4,.webm,video/mp4,video/webm"


def sniff_video(file) -> str | None:
    head = _head(file, 64)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return "webm"
    return None


def validate_video(file) -> str:
    _check_size(file, video_max_bytes(), _("video"))
    kind = sniff_video(file)
    if kind is None:
        raise ValidationError(
            _("Video harus berupa MP4 atau WebM. Isi berkas yang diunggah bukan video itu."),
            code="type",
        )
    return kind


# --- Documents ---------------------------------------------------------------------------------

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCUMENT_ACCEPT = ".pdf,.docx,.pptx,.xlsx"
_OOXML_FOLDERS = {"word/": "docx", "ppt/": "pptx", "xl/": "xlsx"}


def sniff_document(file) -> str | None:
    head = _head(file, 8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    position = file.tell()
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(position)
    if "[Content_Types].xml" not in names:
        return None
    for folder, kind in _OOXML_FOLDERS.items():
        if any(name.startswith(folder) for name in names):
            return kind
    return None


def validate_document(file) -> str:
    _check_size(file, document_max_bytes(), _("materi"))
    kind = sniff_document(file)
    if kind is None:
        raise ValidationError(
            _(
                "Berkas materi harus berupa PDF, DOCX, PPTX atau XLSX. Isi berkas yang "
                "diunggah bukan salah satu dari jenis itu."
            ),
            code="type",
        )
    return kind


def store_upload(*, region_id: int, file, extension: str) -> str:
    """Save an upload under a random name in the region's course folder; return its name."""
    name = f"courses/{region_id}/{get_random_string(24)}.{extension}"
    file.seek(0)
    return default_storage.save(name, file)


# --- SCORM 1.2 ---------------------------------------------------------------------------------

MANIFEST = "imsmanifest.xml"


@dataclass(frozen=True)
class ScormPackage:
    title: str
    launch: str
    files: int
    size: int


def _safe_member(name: str) -> str | None:
    """The member's normalised relative path, or None when it would leave the package."""
    if not name or "\\" in name or "\x00" in name:
        return None
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    normal = posixpath.normpath(name)
    if normal.startswith("../") or normal == ".." or normal.startswith("/"):
        return None
    if any(part == ".." for part in name.split("/")):
        return None
    return normal


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _scorm_type(element) -> str:
    for key, value in element.attrib.items():
        if _local(key).lower() == "scormtype":
            return value.lower()
    return ""


def parse_manifest(data: bytes) -> tuple[str, str]:
    """(title, launch href) from an imsmanifest.xml. Raises ValidationError."""
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data:
        raise ValidationError(
            _("imsmanifest.xml memuat deklarasi DOCTYPE/ENTITY yang tidak diizinkan."),
            code="manifest",
        )
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ValidationError(
            _("imsmanifest.xml tidak dapat dibaca (XML tidak valid)."), code="manifest"
        ) from exc
    if _local(root.tag) != "manifest":
        raise ValidationError(_("imsmanifest.xml bukan manifest IMS."), code="manifest")
    title = ""
    for element in root.iter():
        if _local(element.tag) == "title" and (element.text or "").strip():
            title = element.text.strip()
            break
    resources = [e for e in root.iter() if _local(e.tag) == "resource"]
    base = ""
    for element in root.iter():
        if _local(element.tag) == "resources":
            for key, value in element.attrib.items():
                if _local(key) == "base":
                    base = value
    launch = ""
    for resource in resources:
        if _scorm_type(resource) == "sco" and resource.get("href"):
            launch = resource.get("href")
            break
    if not launch:
        for resource in resources:
            if resource.get("href"):
                launch = resource.get("href")
                break
    if not launch:
        raise ValidationError(
            _("imsmanifest.xml tidak menyebut berkas pembuka (resource SCO dengan href)."),
            code="manifest",
        )
    return title[:200], posixpath.join(base, launch) if base else launch


def inspect_scorm(file) -> ScormPackage:
    """Check a SCORM 1.2 zip completely without writing anything. Raises ValidationError."""
    _check_size(file, scorm_max_bytes(), _("paket SCORM"))
    if not _head(file, 4).startswith(b"PK\x03\x04"):
        raise ValidationError(_("Paket SCORM harus berupa berkas zip."), code="type")
    try:
        file.seek(0)
        archive = zipfile.ZipFile(file)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("Berkas zip rusak atau tidak dapat dibaca."), code="type") from exc
    files = [m for m in members if not m.is_dir()]
    if len(files) > scorm_max_files():
        raise ValidationError(
            _("Paket SCORM berisi terlalu banyak berkas (%(n)s). Paling banyak %(max)s.")
            % {"n": len(files), "max": scorm_max_files()},
            code="too_many_files",
        )
    total = 0
    names = set()
    for member in members:
        path = _safe_member(member.filename)
        if path is None:
            raise ValidationError(
                _("Paket SCORM memuat jalur berkas yang tidak aman: %(name)s")
                % {"name": member.filename[:120]},
                code="unsafe_path",
            )
        # A symlink stored in the zip (Unix mode bits in the high word).
        if (member.external_attr >> 16) & 0o170000 == 0o120000:
            raise ValidationError(
                _("Paket SCORM memuat tautan simbolik: %(name)s") % {"name": path[:120]},
                code="unsafe_path",
            )
        total += member.file_size
        names.add(path)
    if total > scorm_max_bytes():
        raise ValidationError(
            _("Isi paket SCORM terlalu besar setelah dibuka (%(size)s). Maksimal %(limit)s.")
            % {"size": filesizeformat(total), "limit": filesizeformat(scorm_max_bytes())},
            code="too_large",
        )
    if MANIFEST not in names:
        raise ValidationError(
            _("Paket SCORM tidak memiliki imsmanifest.xml di folder utamanya."),
            code="no_manifest",
        )
    with archive.open(MANIFEST) as handle:
        data = handle.read(2 * MB + 1)
    if len(data) > 2 * MB:
        raise ValidationError(_("imsmanifest.xml terlalu besar."), code="manifest")
    title, launch = parse_manifest(data)
    launch_path = _safe_member(launch.split("?")[0].split("#")[0])
    if launch_path is None or launch_path not in names:
        raise ValidationError(
            _("Berkas pembuka %(name)s yang disebut imsmanifest.xml tidak ada di paket.")
            % {"name": launch[:120]},
            code="no_launch",
        )
    return ScormPackage(title=title, launch=launch, files=len(files), size=total)


def extract_scorm(file, *, region_id: int) -> str:
    """Unpack a package that `inspect_scorm` accepted into a new random folder of the
    storage; return the folder. Reading stops if a member inflates past its declared size."""
    root = f"scorm/{region_id}/{get_random_string(24)}"
    file.seek(0)
    budget = scorm_max_bytes()
    written: list[str] = []
    try:
        with zipfile.ZipFile(file) as archive:
            for member in archive.infolist():
                if member.is_dir():
                    continue
                path = _safe_member(member.filename)
                with archive.open(member) as handle:
                    data = handle.read(member.file_size + 1)
                if len(data) > member.file_size or len(data) > budget:
                    raise ValidationError(
                        _("Isi paket SCORM tidak sesuai dengan ukuran yang dinyatakan."),
                        code="too_large",
                    )
                budget -= len(data)
                written.append(default_storage.save(f"{root}/{path}", ContentFile(data)))
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return root


def scorm_member_name(root: str, path: str) -> str | None:
    """The storage name of `path` inside an unpacked package, or None if unsafe."""
    safe = _safe_member(path)
    if safe is None or not root:
        return None
    return f"{root}/{safe}"
