"""The regional plan's notification kinds, registered with `regions.notifications` in
`PlanningConfig.ready()`. Email templates: `templates/notifications/email/<kind>.txt`.

| kind | recipient | subject | context keys |
| --- | --- | --- | --- |
| rkpk_round_opened | each unit planner | UnitSubmission | year, deadline, unit |
| rkpk_deadline | planners of units that have not submitted | UnitSubmission | year, deadline, days, unit |
| rkpk_needs_returned | the unit's planners | UnitSubmission | year, unit, notes |
| rkpk_needs_submitted | the region's admins | UnitSubmission | year, unit |
| rkpk_plan_submitted | the plan's approvers | Plan | year, revision |
| rkpk_plan_approved / _returned | the region's admins | Plan | year, revision, notes, approver |

Every kind's link is given by the caller (`url`), falling back to the planning overview.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.notifications import NotificationKind, Target


class Kind(models.TextChoices):
    ROUND_OPENED = "rkpk_round_opened", _("Penjaringan kebutuhan pengembangan dibuka")
    DEADLINE = "rkpk_deadline", _("Batas usulan kebutuhan segera berakhir")
    NEEDS_RETURNED = "rkpk_needs_returned", _("Usulan kebutuhan dikembalikan")
    NEEDS_SUBMITTED = "rkpk_needs_submitted", _("Usulan kebutuhan unit diajukan")
    PLAN_SUBMITTED = "rkpk_plan_submitted", _("Rencana pengembangan daerah menunggu persetujuan")
    PLAN_APPROVED = "rkpk_plan_approved", _("Rencana pengembangan daerah disetujui")
    PLAN_RETURNED = "rkpk_plan_returned", _("Rencana pengembangan daerah dikembalikan")


OVERVIEW = Target("planning:overview")


def planning_about(*, subject, recipient) -> str | None:
    """The list line: the unit and year of a submission, or the plan's year and revision."""
    if subject is None:
        return None
    unit = getattr(subject, "unit", None)
    year = getattr(subject, "year", None)
    if unit is not None and hasattr(subject, "round_id"):
        return f"{unit.name} · {subject.round.year}"
    if year is not None:
        return f"{_('Rencana')} {year}" + (
            f" · {_('perubahan')} {subject.revision}" if getattr(subject, "revision", 0) else ""
        )
    return None


def _kind(kind: Kind, icon: str) -> NotificationKind:
    return NotificationKind(
        key=kind.value, label=kind.label, icon=icon, target=OVERVIEW, about=planning_about
    )


KINDS = (
    _kind(Kind.ROUND_OPENED, "bi-megaphone"),
    _kind(Kind.DEADLINE, "bi-hourglass-split"),
    _kind(Kind.NEEDS_RETURNED, "bi-arrow-return-left"),
    _kind(Kind.NEEDS_SUBMITTED, "bi-inbox"),
    _kind(Kind.PLAN_SUBMITTED, "bi-pen"),
    _kind(Kind.PLAN_APPROVED, "bi-patch-check"),
    _kind(Kind.PLAN_RETURNED, "bi-arrow-return-left"),
)
