"""The portal's public address: every link in an e-mail, PDF, QR code or calendar invitation
is built from `KOMPETENSI_BASE_URL` here, the same for every kind of message. `scripts/dev.sh`
sets it to the address it serves; production sets it in the environment."""

from django.conf import settings

DEFAULT = "http://127.0.0.1:8000"


def base_url() -> str:
    return (getattr(settings, "KOMPETENSI_BASE_URL", "") or DEFAULT).rstrip("/")


def absolute_url(path: str) -> str:
    """`path` on the portal's public address (an absolute URL is returned as it is)."""
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return f"{base_url()}{path if path.startswith('/') else '/' + path}"
