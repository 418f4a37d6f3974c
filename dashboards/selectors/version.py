"""The version of the data the heavy dashboard figures are computed from, in one query.

Every row of the tables those figures read (employees, units, programmes, batches,
enrolments, development records) carries a sync marker that the database moves on every
write (`kompetensi.sync`). The highest marker of each table in a region is therefore a version
of the region's data: a figure cached under it is recomputed after any write and served from
the cache until then. Deleted rows do not move a marker; the cache's lifetime
(`KOMPETENSI_DASHBOARD_CACHE_SECONDS`, 10 minutes) bounds how long such a change, or a
transaction that commits out of order, can go unseen, and the page says when its figures
were computed. Out of order means: on PostgreSQL a transaction that began before another
(a lower transaction id) but commits after it writes rows whose marker is not the newest, so
neither its updates nor its inserts move the version (an insert did, while the version also
held the highest id; that lookup walked the primary key through other regions' rows and took
0.9 s in a big database — an index on (region, id) per table would bring it back cheaply).
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django_scopes import scopes_disabled

from evaluations.models import (
    EvaluationSettings,
    L3Assessment,
    OutcomeIndicator,
    OutcomeMeasurement,
    SurveyResponse,
)
from regions.models import Employee, Region, Unit
from training.models import DevelopmentRecord, Enrolment, Offering, Program

MODELS = (Employee, Unit, Program, Offering, Enrolment, DevelopmentRecord)


def _versions(regions) -> list[tuple]:
    """Per region, the newest row of each table by (sync marker, id): its marker and its id,
    one query; each lookup walks the (region, sync_marker, id) index from its end.

    On PostgreSQL a marker is the writing transaction's id, so rows written later in the same
    transaction keep it; the id among the rows of the newest marker still moves with every new
    row. (Ordering by id alone walked the primary key from the end through every other
    region's newer rows: 0.9 s for an early region of a big database.)"""
    markers = {}
    for i, model in enumerate(MODELS):
        newest = model.objects.filter(region=OuterRef("pk")).order_by("-sync_marker", "-pk")
        for field in ("sync_marker", "pk"):
            markers[f"m{i}_{field}"] = Coalesce(Subquery(newest.values(field)[:1]), 0)
    return list(regions.annotate(**markers).order_by("pk").values_list("pk", *markers.keys()))


def data_version(*, region: Region) -> str:
    return ".".join(str(v) for row in _versions(Region.objects.filter(pk=region.pk)) for v in row)


def national_version() -> str:
    """The version of every active region's data (one query; rows per region)."""
    with scopes_disabled():
        rows = _versions(Region.objects.filter(is_active=True))
    return "|".join(".".join(str(v) for v in row) for row in rows)


def _per_region(model, function, field) -> Subquery:
    return Subquery(
        model.objects.filter(region=OuterRef("pk"))
        .order_by()
        .values("region")
        .annotate(v=function(field))
        .values("v")
    )


def evaluation_version(*, region: Region) -> str:
    """What the evaluation figures read besides the data version, in one query: count and
    newest change of survey answers and L3 assessments, count and newest id of outcome
    indicators and measurements, and the flagging settings. Edits that keep no timestamp (an
    indicator's text, a measurement's value) are seen when the cache entry expires."""
    annotations = {}
    for name, model, stamp in (
        ("r", SurveyResponse, "updated_at"),
        ("l3", L3Assessment, "updated_at"),
        ("i", OutcomeIndicator, "id"),
        ("m", OutcomeMeasurement, "id"),
    ):
        count = _per_region(model, Count, "id")
        annotations[f"{name}_n"] = Coalesce(count, 0, output_field=IntegerField())
        annotations[f"{name}_max"] = _per_region(model, Max, stamp)
    settings = EvaluationSettings.objects.filter(region=OuterRef("pk"))
    annotations["threshold"] = Subquery(settings.values("relevance_threshold")[:1])
    annotations["minimum"] = Subquery(settings.values("relevance_min_responses")[:1])
    values = Region.objects.filter(pk=region.pk).annotate(**annotations).values_list(*annotations)
    return ".".join(str(v) for v in values.first() or ())
