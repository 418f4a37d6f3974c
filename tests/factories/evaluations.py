"""Factories of the evaluations app: background jobs and monthly reports."""

import datetime as dt

import factory
from django.core.files.base import ContentFile

from evaluations.models import BackgroundJob, RegionReport

from .base import ScopedFactory
from .regions import RegionFactory

PDF_STUB = b"%PDF-1.7\n% stub report for tests\n%%EOF\n"


class BackgroundJobFactory(ScopedFactory):
    """A finished CSV export with its file."""

    class Meta:
        model = BackgroundJob

    region = factory.SubFactory(RegionFactory)
    kind = "export_employees"
    params = factory.LazyFunction(lambda: {"format": "csv"})
    status = BackgroundJob.Status.DONE
    total = 1
    done = 1
    result = factory.LazyFunction(lambda: {"rows": 1, "format": "csv"})
    result_file = factory.LazyFunction(
        lambda: ContentFile("\ufeffNIP,Nama\n1,Rahasia\n".encode(), name="pegawai.csv")
    )


class RegionReportFactory(ScopedFactory):
    class Meta:
        model = RegionReport

    region = factory.SubFactory(RegionFactory)
    period = dt.date(2025, 3, 1)
    kind = "monthly"
    file = factory.LazyFunction(lambda: ContentFile(PDF_STUB, name="laporan.pdf"))
