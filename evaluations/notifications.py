"""The evaluation app's notification kinds, registered with `regions.notifications` in
`EvaluationsConfig.ready()`.

| kind | recipient | subject | useful context keys |
| --- | --- | --- | --- |
| report_ready | who started a long background job (export, report) | BackgroundJob | title, period, url |
| survey_open | the ASN (level 1: reaction survey) | Enrolment | due_date |
| l3_assessment_due | the supervisor (level 3: behaviour change) | Enrolment | due_date |

survey_open and l3_assessment_due belong to the post-training evaluation (Kirkpatrick levels 1
and 3), so they are registered here even though their subject is a training enrolment: they use
training's hooks (`training.notifications`) for the list line and the template values
(`program_title`, `employee_name`...). Email templates: `templates/notifications/email/<kind>.txt`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.notifications import NotificationKind, Target
from training.notifications import training_about, training_context


class Kind(models.TextChoices):
    SURVEY_OPEN = "survey_open", _("Survei pasca pelatihan dibuka")
    L3_ASSESSMENT_DUE = "l3_assessment_due", _("Evaluasi pasca pelatihan oleh atasan")
    REPORT_READY = "report_ready", _("Laporan tersedia")


KINDS = (
    NotificationKind(
        key=Kind.SURVEY_OPEN.value,
        label=Kind.SURVEY_OPEN.label,
        icon="bi-ui-checks",
        context=training_context,
        about=training_about,
    ),
    NotificationKind(
        key=Kind.L3_ASSESSMENT_DUE.value,
        label=Kind.L3_ASSESSMENT_DUE.label,
        icon="bi-clipboard-check",
        context=training_context,
        about=training_about,
    ),
    NotificationKind(
        key=Kind.REPORT_READY.value,
        label=Kind.REPORT_READY.label,
        icon="bi-file-earmark-text",
        target=Target("evaluations:report_list"),
    ),
)
