"""Reads of partners (training providers) and speakers. Callers are inside the region scope."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from regions.models import Region
from training.models import Program, Provider, Speaker


def _count_of(queryset) -> Subquery:
    """A correlated COUNT(*) as an annotation (no row multiplication between counts)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("region").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _with_counts(qs: QuerySet[Provider], region: Region) -> QuerySet[Provider]:
    return qs.annotate(
        program_count=_count_of(Program.objects.filter(region=region, provider=OuterRef("pk"))),
        published_program_count=_count_of(
            Program.objects.filter(
                region=region, provider=OuterRef("pk"), status=Program.Status.PUBLISHED
            )
        ),
        speaker_count=_count_of(
            Speaker.objects.filter(region=region, provider=OuterRef("pk"), is_active=True)
        ),
        volunteer_count=_count_of(
            Speaker.objects.filter(
                region=region, provider=OuterRef("pk"), is_active=True, is_volunteer=True
            )
        ),
    )


def provider_list(
    *, region: Region, search: str = "", kind: str = "", active: bool | None = True
) -> QuerySet[Provider]:
    qs = Provider.objects.filter(region=region)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    search = search.strip()
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(contact_person__icontains=search)
            | Q(agreement_number__icontains=search)
        )
    return _with_counts(qs, region).order_by("name", "id")


def provider_get(*, region: Region, pk: int) -> Provider:
    return _with_counts(Provider.objects.filter(region=region), region).get(pk=pk)


def provider_programs(*, region: Region, provider: Provider, limit: int = 20):
    return (
        Program.objects.filter(region=region, provider=provider)
        .select_related("form")
        .order_by("-updated_at", "-id")[:limit]
    )


def provider_speakers(*, region: Region, provider: Provider) -> QuerySet[Speaker]:
    return Speaker.objects.filter(region=region, provider=provider).order_by("-is_active", "name")


def provider_choices(*, region: Region, include: Provider | None = None) -> QuerySet[Provider]:
    condition = Q(is_active=True)
    if include is not None and include.pk:
        condition |= Q(pk=include.pk)
    return Provider.objects.filter(region=region).filter(condition).order_by("name")


def partner_summary(*, region: Region) -> dict:
    """Head counts for the partner list: active partners by kind and active speakers."""
    providers = Provider.objects.filter(region=region, is_active=True).aggregate(
        total=Count("id"),
        external=Count("id", filter=~Q(kind=Provider.Kind.INTERNAL)),
    )
    speakers = Speaker.objects.filter(region=region, is_active=True).aggregate(
        total=Count("id"), volunteers=Count("id", filter=Q(is_volunteer=True))
    )
    return {
        "providers": providers["total"],
        "external_providers": providers["external"],
        "speakers": speakers["total"],
        "volunteer_speakers": speakers["volunteers"],
    }


def speaker_list(
    *,
    region: Region,
    search: str = "",
    provider_id: int | None = None,
    volunteer: bool | None = None,
    active: bool | None = True,
) -> QuerySet[Speaker]:
    qs = Speaker.objects.filter(region=region).select_related("provider")
    if provider_id:
        qs = qs.filter(provider_id=provider_id)
    if volunteer is not None:
        qs = qs.filter(is_volunteer=volunteer)
    if active is not None:
        qs = qs.filter(is_active=active)
    search = search.strip()
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(expertise__icontains=search)
            | Q(provider__name__icontains=search)
        )
    return qs.annotate(offering_count=Count("offerings", distinct=True)).order_by("name", "id")


def speaker_get(*, region: Region, pk: int) -> Speaker:
    return Speaker.objects.filter(region=region).select_related("provider").get(pk=pk)
