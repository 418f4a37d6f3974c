"""Content-Security-Policy violation reports (`report-uri /csp-report/`).

Browsers post a JSON report for each blocked (or, in report-only mode, would-be blocked)
script, style or frame. The view logs the essentials at WARNING under the
`kompetensi.csp` logger (operators watch it while inline code is moved out, before
`CSP_ENFORCE` is switched on) and answers 204. It needs no login or CSRF token (browsers send
neither); a body over 16 KB or one that is not JSON is ignored.
"""

from __future__ import annotations

import json
import logging

from django.http import HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("kompetensi.csp")

MAX_REPORT_BYTES = 16 * 1024
FIELDS = (
    "document-uri",
    "violated-directive",
    "effective-directive",
    "blocked-uri",
    "source-file",
    "line-number",
)


def _reports(payload) -> list[dict]:
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]  # application/csp-report (report-uri)
    if isinstance(payload, list):  # application/reports+json (Reporting API)
        return [
            {k.replace("URL", "-uri").lower(): v for k, v in (item.get("body") or {}).items()}
            for item in payload
            if isinstance(item, dict) and item.get("type") == "csp-violation"
        ]
    return []


@csrf_exempt
def csp_report(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    body = request.read(MAX_REPORT_BYTES + 1)
    if len(body) <= MAX_REPORT_BYTES:
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            payload = None
        for report in _reports(payload)[:10]:
            logger.warning(
                "CSP violation: %s",
                " ".join(
                    f"{key}={str(report.get(key, ''))[:200]}" for key in FIELDS if key in report
                ),
            )
    return HttpResponse(status=204)
