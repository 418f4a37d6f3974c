"""The ASN's own training calendar as an .ics download (import it into Outlook or Google)."""

from django.http import HttpResponse, HttpResponseNotAllowed

from regions.permissions import region_employee_required
from training.calendar import employee_calendar_ics


@region_employee_required
def my_calendar(request, region_slug):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    response = HttpResponse(
        employee_calendar_ics(employee=request.access.employee),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="kalender-pelatihan-{request.region.slug}.ics"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
