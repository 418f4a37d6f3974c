"""The evaluation app's periodic jobs (registered in `EvaluationsConfig.ready()`; beat tasks in
`evaluations.tasks`, default schedules in `evaluations.schedules`; `manage.py run_jobs surveys`
or `run_jobs l3` run them in-process).

- `surveys`: open the reaction survey of every batch that ended (`survey_open`, once per
  participant) and remind, once, those who have not answered a survey closing soon.
- `l3`: make the behaviour assessments that fell due (`l3_assessment_due` to the recorded
  supervisor, once) and remind pending supervisors weekly.

Both walk the active regions one at a time in the region's scope and only record messages
under deduplication keys, so running them twice, concurrently or after a retry sends nothing
twice.
"""

from django.utils import timezone
from django_scopes import scope

from kompetensi.jobs import job_batch_size
from regions.selectors import active_regions

from .services import behaviour, surveys


def survey_job(*, now=None, regions=None, batch_size=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for region in active_regions(regions):
        with scope(region=region):
            sent += surveys.surveys_open_due(region=region, today=today, now=now)
            sent += surveys.survey_reminders(region=region, today=today)
    return sent


def l3_job(*, now=None, regions=None, batch_size=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    size = job_batch_size(batch_size)
    sent = 0
    for region in active_regions(regions):
        with scope(region=region):
            sent += behaviour.l3_make_due(region=region, today=today, batch_size=size)
            sent += behaviour.l3_reminders(region=region, today=today, batch_size=size)
    return sent
