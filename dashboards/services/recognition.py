"""Writes of the recognition list: its settings, publishing (a snapshot of the ranking),
withdrawing it, an employee's opt-out of being named, and the certificate of appreciation.

Publishing is one transaction that locks the year's list row, replaces its entries with the
ranking of the moment (one bulk INSERT) and stamps it published: two admins publishing at once
leave one consistent list. A published list cannot be edited; it is withdrawn first.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regions import audit
from regions.models import Employee, Region
from training.services.certificates import certificate_settings

from ..models import RecognitionEntry, RecognitionList, RecognitionOptOut
from ..selectors import recognition as selectors

STYLESHEET = "static/css/appreciation.css"


def _locked(region: Region, year: int) -> RecognitionList:
    recognition, _created = RecognitionList.objects.get_or_create(region=region, year=year)
    return RecognitionList.objects.select_for_update(of=("self",)).get(pk=recognition.pk)


@transaction.atomic
def recognition_settings_save(
    *,
    region: Region,
    year: int,
    criterion: str,
    size: int,
    per_unit: bool,
    min_jp: int,
) -> RecognitionList:
    recognition = _locked(region, year)
    if recognition.is_published:
        raise ValidationError(
            _("Daftar tahun ini sudah diterbitkan. Tarik terlebih dahulu untuk mengubahnya."),
            code="published",
        )
    recognition.criterion = criterion
    recognition.size = size
    recognition.per_unit = per_unit
    recognition.min_jp = min_jp
    recognition.full_clean(exclude=["region", "published_by"])
    recognition.save()
    return recognition


@transaction.atomic
def recognition_publish(*, region: Region, year: int, actor) -> RecognitionList:
    """Store the current ranking as the year's published list."""
    recognition = _locked(region, year)
    if recognition.is_published:
        raise ValidationError(_("Daftar tahun ini sudah diterbitkan."), code="published")
    ranked = selectors.ranking(region=region, settings=recognition)
    if not ranked:
        raise ValidationError(
            _("Belum ada pegawai yang memenuhi kriteria; daftar tidak dapat diterbitkan."),
            code="empty",
        )
    people = {
        e.pk: e
        for e in Employee.objects.filter(region=region, pk__in=[r.employee_id for r in ranked])
    }
    RecognitionEntry.objects.filter(recognition=recognition).delete()
    RecognitionEntry.objects.bulk_create(
        [
            RecognitionEntry(
                region=region,
                recognition=recognition,
                employee_id=r.employee_id,
                employment_type=people[r.employee_id].employment_type,
                unit_id=people[r.employee_id].unit_id,
                rank=r.rank,
                verified_jp=r.verified_jp,
                programmes=r.programmes,
                reached_on=r.reached_on,
            )
            for r in ranked
        ]
    )
    recognition.published_at = timezone.now()
    recognition.published_by = actor
    recognition.save(update_fields=["published_at", "published_by", "updated_at"])
    audit.record(
        action=audit.Action.UPDATE,
        obj=recognition,
        actor=actor,
        note=_("Daftar penghargaan %(year)s diterbitkan (%(n)s orang).")
        % {"year": year, "n": len(ranked)},
    )
    return recognition


@transaction.atomic
def recognition_withdraw(*, region: Region, year: int, actor) -> RecognitionList:
    recognition = _locked(region, year)
    if not recognition.is_published:
        raise ValidationError(_("Daftar tahun ini belum diterbitkan."), code="not_published")
    recognition.published_at = None
    recognition.published_by = None
    recognition.save(update_fields=["published_at", "published_by", "updated_at"])
    RecognitionEntry.objects.filter(recognition=recognition).delete()
    audit.record(
        action=audit.Action.UPDATE,
        obj=recognition,
        actor=actor,
        note=_("Daftar penghargaan %(year)s ditarik.") % {"year": year},
    )
    return recognition


def opt_out_set(*, employee: Employee, opted_out: bool) -> None:
    """Whether the employee is shown by name to colleagues on recognition lists."""
    if opted_out:
        RecognitionOptOut.objects.get_or_create(region_id=employee.region_id, employee=employee)
    else:
        RecognitionOptOut.objects.filter(region_id=employee.region_id, employee=employee).delete()


def appreciation_html(*, entry: RecognitionEntry, region: Region) -> str:
    config = certificate_settings(region=region)
    with translation.override("id"):
        return render_to_string(
            "dashboards/recognition/appreciation_pdf.html",
            {"entry": entry, "config": config, "agency": region.agency_name, "region": region},
        )


def appreciation_pdf(*, entry: RecognitionEntry, region: Region) -> bytes:
    """The certificate of appreciation (piagam penghargaan) of one person on the list."""
    from weasyprint import CSS, HTML

    html = appreciation_html(entry=entry, region=region)
    return HTML(string=html, base_url=str(django_settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(django_settings.BASE_DIR / STYLESHEET))]
    )
