"""Logging filters: the client's address on every record, and no personal data in clear.

UU 27/2022 (personal data protection): log files are read by operators and kept by log
services, so a NIP (18 digits) or an email address never appears in them in clear.
`MaskPersonalDataFilter` rewrites each record's message (after formatting its arguments):
a NIP keeps its first 4 and last 2 digits (`1985********12`), an email its first letter and
its domain (`s***@example.go.id`): enough to tell records apart, not to identify anyone.
"""

from __future__ import annotations

import logging
import re

from .clientip import current_client_ip

NIP_RE = re.compile(r"(?<!\d)(\d{4})\d{12}(\d{2})(?!\d)")
EMAIL_RE = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")


def mask_personal_data(text: str) -> str:
    text = NIP_RE.sub(r"\1************\2", text)
    return EMAIL_RE.sub(r"\1***@\2", text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record as it is
            return True
        masked = mask_personal_data(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True


class ClientIpFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "client_ip"):
            record.client_ip = current_client_ip()
        return True


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted record, tracebacks included (the filter sees the message
    only; a traceback is formatted after the filters ran)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_data(super().format(record))
