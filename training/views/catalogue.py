"""The ASN catalogue: published programmes of the region, and each one's offerings.

Anyone with access to the region may browse (the middleware has already answered 404 to
outsiders); only employees see the enrol button. Drafts, archived programmes and cancelled
offerings are never shown.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from regions.models import PositionType
from training.forms.catalogue import catalogue_filters
from training.models import CompetencyType, DeliveryMode, Offering
from training.selectors import catalogue as selectors

PAGE_SIZE = 25
PAST_SHOWN = 10  # completed batches listed under a programme, newest first


def position_type_labels(program) -> list[str]:
    labels = dict(PositionType.choices)
    return [str(labels.get(code, code)) for code in program.target_position_types or []]


def catalogue(request, region_slug):
    filters = catalogue_filters(request.GET)
    today = timezone.localdate()
    programs = selectors.catalogue_programs(region=request.region, today=today, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/catalogue/catalogue.html",
        {
            "page": Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "month_value": filters["month"].strftime("%Y-%m") if filters["month"] else "",
            "has_filters": any(filters.values()),
            "forms": selectors.development_forms(),
            "competencies": selectors.catalogue_competencies(region=request.region),
            "competency_types": CompetencyType.choices,
            "modes": DeliveryMode.choices,
            "query": query.urlencode(),
        },
    )


def catalogue_program(request, region_slug, pk):
    program = get_object_or_404(
        selectors.catalogue_program(region=request.region), region=request.region, pk=pk
    )
    offerings = list(selectors.catalogue_offerings(program=program))
    current = [o for o in offerings if o.status != Offering.Status.COMPLETED]
    past = [o for o in offerings if o.status == Offering.Status.COMPLETED][-PAST_SHOWN:]
    return render(
        request,
        "training/catalogue/program.html",
        {
            "program": program,
            "offerings": current,
            "past_offerings": list(reversed(past)),
            "position_types": position_type_labels(program),
            "today": timezone.localdate(),
        },
    )
