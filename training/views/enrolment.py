"""Enrolment pages (being built)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from regions.permissions import region_employee_required
from training.models import Offering


@region_employee_required
def offering_enrol(request, region_slug, offering_id):
    get_object_or_404(Offering, region=request.region, pk=offering_id)
    return HttpResponse("todo")


@region_employee_required
def my_enrolments(request, region_slug):
    return HttpResponse("todo")
