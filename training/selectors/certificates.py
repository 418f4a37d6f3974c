"""Reads of certificates: an employee's certificates, a batch's certificates with its latest
issuing run, one certificate's history, and the public lookup by verification code."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from regions.models import Employee
from training.models import Certificate, CertificateRun, Enrolment, Offering
from training.selectors.history import history_for

ACTION_LABELS = {
    "reissued": _("Diterbitkan ulang"),
    "revoked": _("Dicabut"),
}


def certificates_of_employee(*, employee: Employee):
    return (
        Certificate.objects.filter(region_id=employee.region_id, enrolment__employee=employee)
        .select_related("enrolment", "enrolment__offering")
        .order_by("-issued_at", "-id")
    )


def certificate_of_enrolment(*, enrolment: Enrolment) -> Certificate | None:
    return Certificate.objects.filter(enrolment=enrolment).first()


def offering_certificates(*, offering: Offering) -> dict:
    """The batch's certificates (one query), its latest run, and how many completed
    participants still wait for one (one grouped query)."""
    certificates = list(
        Certificate.objects.filter(enrolment__offering_id=offering.pk)
        .select_related("enrolment__employee")
        .order_by("sequence", "id")
    )
    counts = Enrolment.objects.filter(offering_id=offering.pk).aggregate(
        completed=Count("id", filter=Q(status=Enrolment.Status.COMPLETED)),
        without=Count(
            "id",
            filter=Q(status=Enrolment.Status.COMPLETED, certificate__isnull=True),
        ),
    )
    run = (
        CertificateRun.objects.filter(offering_id=offering.pk)
        .order_by("-created_at", "-id")
        .first()
    )
    return {
        "certificates": certificates,
        "run": run,
        "completed": counts["completed"],
        "without_certificate": counts["without"],
    }


def certificate_history(*, certificate: Certificate) -> list:
    events = list(history_for(subject=certificate))
    for event in events:
        event.label = ACTION_LABELS.get(event.action, event.action)
    return events


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with this verification code (any region; the caller disables scopes)."""
    code = (code or "").strip().upper()
    if not code or len(code) > 40 or not code.isalnum():
        return None
    return Certificate.objects.filter(code=code).first()
