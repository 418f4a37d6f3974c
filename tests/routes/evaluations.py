"""Region routes of reports, exports, the background import and background jobs."""

import datetime as dt

from django_scopes import scopes_disabled

from tests.factories.evaluations import BackgroundJobFactory, RegionReportFactory


def build_leak(leak):
    with scopes_disabled():
        if not hasattr(leak, "job"):
            # File names only: nothing is written to the media folder.
            leak.job = BackgroundJobFactory(
                region=leak.region,
                created_by=leak.admin.user,
                result_file="jobs/leak/pegawai-rahasia.csv",
            )
        if not hasattr(leak, "report"):
            leak.report = RegionReportFactory(
                region=leak.region,
                period=dt.date(2025, 3, 1),
                file="reports/leak/laporan-rahasia.pdf",
            )


ROUTES = {
    "evaluations:report_list": lambda leak: {},
    "evaluations:report_download": lambda leak: {"report_id": leak.report.pk},
    "evaluations:export_start": lambda leak: {},
    "evaluations:employee_import_background": lambda leak: {},
    "evaluations:job_list": lambda leak: {},
    "evaluations:job_detail": lambda leak: {"job_id": leak.job.pk},
    "evaluations:job_status": lambda leak: {"job_id": leak.job.pk},
    "evaluations:job_download": lambda leak: {"job_id": leak.job.pk},
}
