"""Existing data that breaks the JP rules (DOMAIN rule 3): programmes and batches whose JP is
above what the form allows over the batch's dates. Reported (by the `training.W001` check and
`manage.py check --database default`), never silently rewritten; completion already caps what
it awards (`jp_rules.jp_award`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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
