"""Integration: security headers (issue 14, item 6) and CSP violation reports."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db


def test_pages_carry_an_enforced_strict_csp_and_a_permissions_policy(client):
    response = client.get("/akun/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and "report-uri /csp-report/" in policy
    assert "Content-Security-Policy-Report-Only" not in response.headers
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_one_setting_switches_the_csp_to_report_only():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kompetensi.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**env, "CSP_ENFORCE": "false"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.split() == ["False", "True"]


def test_violation_reports_are_logged_and_answered_204(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "http://testserver/semarang/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    response = client.post(
        "/csp-report/", data=json.dumps(report), content_type="application/csp-report"
    )
    assert response.status_code == 204
    assert "CSP violation" in caplog.text and "script-src-elem" in caplog.text
    assert (
        client.post("/csp-report/", data="x" * 20000, content_type="text/plain").status_code == 204
    )
    assert client.get("/csp-report/").status_code == 405


def test_logs_mask_nips_and_emails():
    from kompetensi.logging import mask_personal_data

    text = mask_personal_data("login 198501012010011002 siti.aminah@example.go.id gagal")
    assert "198501012010011002" not in text and "siti.aminah@" not in text
    assert "1985************02" in text and "s***@example.go.id" in text
    assert mask_personal_data("angkatan 12 dari 2025") == "angkatan 12 dari 2025"


def test_the_console_handler_masks_personal_data(capsys):
    import logging
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    logging.getLogger("kompetensi.test").warning("NIP %s gagal", "198501012010011002")
    err = capsys.readouterr().err
    assert "198501012010011002" not in err and "1985************02" in err
