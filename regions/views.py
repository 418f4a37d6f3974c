from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import selectors
from .home import home_sections, home_sections_context
from .permissions import region_employee_required


def landing(request):
    """Public landing: the list of regions, or straight to a logged-in user's only region."""
    if request.user.is_authenticated:
        regions = list(selectors.region_list_for_user(user=request.user))
        if len(regions) == 1 and not request.user.is_national_viewer:
            return redirect("region:home", region_slug=regions[0].slug)
        return render(request, "regions/landing.html", {"regions": regions, "mine": True})
    return render(
        request, "regions/landing.html", {"regions": selectors.region_list_active(), "mine": False}
    )


@login_required
def region_home(request, region_slug):
    access = request.access
    context = {"region": request.region}
    if access.is_admin or access.is_national_viewer:
        context["summary"] = selectors.region_summary(region=request.region)
    if access.is_supervisor:
        context["subordinates"] = selectors.employee_subordinates(employee=access.employee)
    # Other apps' widgets (training: JP progress, upcoming sessions, recommendations, work
    # waiting), registered in their AppConfig.ready() (regions.home).
    context.update(home_sections_context(request))
    context["home_sections"] = home_sections()
    return render(request, "regions/home.html", context)


@region_employee_required
def profile(request, region_slug):
    employee = selectors.employee_profile(
        region=request.region, employee_id=request.access.employee.pk
    )
    return render(
        request,
        "regions/profile.html",
        {"employee": employee, "subordinates": selectors.employee_subordinates(employee=employee)},
    )
