"""Integration: the embedded default makes the monthly reports with a management command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from evaluations.models import RegionReport

pytestmark = pytest.mark.django_db


def test_command_makes_one_report_per_region_and_is_safe_to_rerun(
    region, other_region, admin, other_admin, settings, tmp_path, mailoutbox
):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("generate_reports", "--period", "2026-10", stdout=out)
    call_command("generate_reports", "--period", "2026-10", stdout=io.StringIO())
    with scopes_disabled():
        reports = list(RegionReport.objects.order_by("region__slug"))
    assert [(r.region.slug, r.period.isoformat()) for r in reports] == [
        ("binjai", "2026-10-01"),
        ("semarang", "2026-10-01"),
    ]
    assert all(r.file.read(4) == b"%PDF" for r in reports)
    assert len(mailoutbox) == 2  # one per region's admins, never twice
    assert "semarang 2026-10" in out.getvalue()


def test_command_rejects_a_malformed_period(region):
    with pytest.raises(CommandError, match="2026-10"):
        call_command("generate_reports", "--period", "Oktober")
