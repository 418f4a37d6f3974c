"""Planning's periodic job: remind unit planners of a needs deadline.

`needs-deadline` (registered in `PlanningConfig.ready()`, beat task
`planning.tasks.needs_deadline_reminders`, default schedule in `planning.schedules`): for each
active region, each needs round whose deadline falls within the next N days
(`KOMPETENSI_NEEDS_DEADLINE_DAYS`, default 3, the deadline day included), each planner of a
unit whose submission is still a draft or returned gets one reminder (dedup key per
submission and planner: a second run, a retry or two workers send nothing twice).
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from kompetensi.jobs import int_setting, job_batch_size, keyset
from regions.notifications import notify_many
from regions.selectors import active_regions

from .models import NeedsRound, UnitSubmission
from .notifications import Kind
from .selectors.roles import planners_of


def needs_deadline_reminders(*, now=None, regions=None, batch_size=None) -> int:
    today = timezone.localdate(now or timezone.now())
    days = int_setting("KOMPETENSI_NEEDS_DEADLINE_DAYS", 3)
    size = job_batch_size(batch_size)
    created = 0
    for region in active_regions(regions):
        with scope(region=region):
            rounds = list(
                NeedsRound.objects.filter(
                    region=region,
                    deadline__gte=today,
                    deadline__lte=today + dt.timedelta(days=days),
                )
            )
            for needs_round in rounds:
                pending = UnitSubmission.objects.filter(
                    region=region,
                    round=needs_round,
                    status__in=UnitSubmission.EDITABLE_STATUSES,
                ).select_related("unit")
                for batch in keyset(pending, size):
                    planners = planners_of(region=region, unit_ids={s.unit_id for s in batch})
                    items = []
                    for submission in batch:
                        submission.round = needs_round
                        submission.region = region
                        url = reverse(
                            "planning:submission_detail",
                            kwargs={"region_slug": region.slug, "submission_id": submission.pk},
                        )
                        for planner in planners.get(submission.unit_id, []):
                            items.append(
                                {
                                    "recipient": planner,
                                    "kind": Kind.DEADLINE,
                                    "subject": submission,
                                    "context": {
                                        "year": needs_round.year,
                                        "deadline": needs_round.deadline.isoformat(),
                                        "days": (needs_round.deadline - today).days or 1,
                                        "unit": submission.unit.name,
                                        "url": url,
                                    },
                                    "dedup_key": (
                                        f"rkpk:deadline:{submission.pk}:"
                                        f"{needs_round.deadline.isoformat()}:{planner.pk}"
                                    ),
                                }
                            )
                    created += notify_many(region=region, items=items)
    return created
