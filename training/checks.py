"""System checks of training's data (run with `manage.py check --database default`).

Existing data that breaks the JP rules (DOMAIN rule 3) — programmes whose JP are above what
the form allows over a batch's dates — is reported here (`training.W001`), never silently
rewritten; completion already caps what it awards (`jp_rules.jp_award`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.checks import Tags, Warning, register
from django.db.models import Q
from django_scopes import scopes_disabled

from training.models import DevelopmentForm, Offering
from training.services.jp_rules import jp_maximum

RULE_FORMS = ("jp_per_day", "jp_per_activity", "jp_per_session", "max_jp_per_day")


@dataclass(frozen=True)
class JpViolation:
    region: str
    program_code: str
    offering: str
    jp: int
    maximum: Decimal


def jp_rule_violations(*, limit: int = 200) -> list[JpViolation]:
    """Active or completed batches (any region) whose programme claims more JP than its form
    allows over the batch's dates. Only batches of forms with a conversion rule are read."""
    has_rule = Q()
    for name in RULE_FORMS:
        has_rule |= Q(**{f"program__form__{name}__isnull": False})
    found = []
    columns = (
        "region__slug",
        "program__code",
        "name",
        "program__jp",
        "program__form_id",
        "start_date",
        "end_date",
        "is_international",
    )
    forms = {form.pk: form for form in DevelopmentForm.objects.all()}
    with scopes_disabled():
        rows = (
            Offering.objects.filter(has_rule)
            .exclude(status=Offering.Status.CANCELLED)
            .order_by("region__slug", "program__code", "start_date", "id")
            .values_list(*columns)
        )
        for region, code, name, jp, form_id, start, end, international in rows:
            maximum = jp_maximum(
                form=forms[form_id], start_date=start, end_date=end, is_international=international
            )
            if maximum is not None and Decimal(jp) > maximum:
                found.append(
                    JpViolation(
                        region=region, program_code=code, offering=name, jp=jp, maximum=maximum
                    )
                )
                if len(found) >= limit:
                    break
    return found


@register(Tags.database)
def jp_rules_check(app_configs=None, databases=None, **kwargs):
    """Programmes whose JP break the form's conversion rule over a batch's dates."""
    if not databases:
        return []
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import DatabaseError

    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return []  # `migrate` runs checks before it migrates: nothing to read yet
        violations = jp_rule_violations()
    except DatabaseError:
        return []
    return [
        Warning(
            f"{v.region}: programme {v.program_code} ({v.offering}) claims {v.jp} JP, more than "
            f"its form allows over the batch's dates ({v.maximum} JP).",
            hint="Correct the programme's JP or the batch's dates; completion awards at most "
            "the allowed JP.",
            id="training.W001",
        )
        for v in violations
    ]
