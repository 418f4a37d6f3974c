"""Factories and upload helpers for the JP ledger and development plans."""

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from training.models import DevelopmentPlan, DevelopmentPlanItem, DevelopmentRecord

from .factories import EmployeeFactory, RegionFactory, ScopedFactory
from .factories_training import development_form

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def pdf_upload(name: str = "sertifikat.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "sertifikat.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def jpeg_upload(name: str = "sertifikat.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


class DevelopmentRecordFactory(ScopedFactory):
    """An external record waiting for verification, done last week."""

    class Meta:
        model = DevelopmentRecord

    region = factory.SubFactory(RegionFactory)
    employee = factory.LazyAttribute(lambda o: EmployeeFactory(region=o.region))
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    year = factory.LazyAttribute(lambda o: o.end_date.year)
    source = DevelopmentRecord.Source.EXTERNAL
    title = factory.Sequence(lambda n: f"Seminar Pelayanan Publik {n}")
    form = factory.LazyFunction(lambda: development_form(9))
    organiser = "BPSDM Provinsi"
    jp = Decimal("4")
    status = DevelopmentRecord.Status.SUBMITTED


class DevelopmentPlanFactory(ScopedFactory):
    class Meta:
        model = DevelopmentPlan

    region = factory.SubFactory(RegionFactory)
    employee = factory.LazyAttribute(lambda o: EmployeeFactory(region=o.region))
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    status = DevelopmentPlan.Status.DRAFT


class DevelopmentPlanItemFactory(ScopedFactory):
    class Meta:
        model = DevelopmentPlanItem

    region = factory.LazyAttribute(lambda o: o.plan.region)
    plan = factory.SubFactory(DevelopmentPlanFactory)
    description = factory.Sequence(lambda n: f"Pelatihan analisis data {n}")
    planned_jp = 8
    planned_month = 5
