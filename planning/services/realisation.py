"""Realisation: the batches (angkatan) that carry out a plan item are linked to it.

A link names the item's key, so it holds through every revision of the year's plan. One batch
realises at most one item of a year; links are made on the approved (current) revision, in
the plan's year, never to a cancelled batch.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from training.models import Offering
from training.services.history import history_record

from ..models import OfferingLink, Plan, PlanItem


@transaction.atomic
def offering_link(*, item: PlanItem, offering: Offering, user) -> OfferingLink:
    plan = item.plan
    if plan.status != Plan.Status.APPROVED:
        raise ValidationError(
            _("Angkatan hanya dapat dikaitkan dengan butir rencana yang sudah disetujui.")
        )
    if offering.region_id != item.region_id:
        raise ValidationError({"offering": [_("Angkatan tidak ditemukan.")]})
    if offering.status == Offering.Status.CANCELLED:
        raise ValidationError({"offering": [_("Angkatan yang dibatalkan tidak dapat dikaitkan.")]})
    if offering.start_date.year != plan.year:
        raise ValidationError(
            {
                "offering": [
                    _("Angkatan harus dimulai pada tahun rencana (%(year)s).") % {"year": plan.year}
                ]
            }
        )
    existing = OfferingLink.objects.filter(
        region_id=item.region_id, year=plan.year, offering=offering
    ).first()
    if existing is not None:
        if existing.item_key == item.key:
            raise ValidationError(
                {"offering": [_("Angkatan ini sudah dikaitkan dengan butir ini.")]}
            )
        raise ValidationError(
            {
                "offering": [
                    _("Angkatan ini sudah dikaitkan dengan butir lain pada rencana tahun ini.")
                ]
            }
        )
    try:
        with transaction.atomic():
            link = OfferingLink.objects.create(
                region_id=item.region_id,
                year=plan.year,
                item_key=item.key,
                offering=offering,
                linked_by=user,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "offering": [
                    _("Angkatan ini sudah dikaitkan dengan butir lain pada rencana tahun ini.")
                ]
            }
        ) from None
    history_record(
        subject=plan, action="offering_linked", actor=user, reason=f"{item.title} ← {offering}"
    )
    return link


@transaction.atomic
def offering_unlink(*, item: PlanItem, link_id: int, user) -> None:
    link = (
        OfferingLink.objects.filter(
            region_id=item.region_id, item_key=item.key, year=item.plan.year, pk=link_id
        )
        .select_related("offering__program")
        .first()
    )
    if link is None:
        raise ValidationError(_("Kaitan angkatan tidak ditemukan."))
    if item.plan.status != Plan.Status.APPROVED:
        raise ValidationError(_("Kaitan hanya dapat diubah pada rencana yang berlaku."))
    history_record(
        subject=item.plan, action="offering_unlinked", actor=user,
        reason=f"{item.title} ← {link.offering}",
    )  # fmt: skip
    link.delete()
