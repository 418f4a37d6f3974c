"""View helpers shared by every app."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

PAGE_SIZE = 25
# `?status=` of a list with active / inactive / all tabs -> the `active` filter of its selector.
ACTIVE_STATUSES = {"active": True, "inactive": False, "all": None}


def id_param(value) -> int | None:
    """An id typed into a URL or a form: ASCII digits that fit a database integer, else None
    (`"²".isdigit()` is true, and a 30-digit number overflows the column: both would be 500s)."""
    text = value if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def id_list(values) -> list[int]:
    """The valid ids among several values (`request.POST.getlist(...)`), in order."""
    return [n for n in (id_param(v) for v in values) if n is not None]


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The page `?page=` asks for (the last one if past the end, the first if not a number)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current query string without `page`, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def active_status(request) -> str:
    """The list's `?status=` tab; "active" when missing or unknown."""
    status = request.GET.get("status", "active")
    return status if status in ACTIVE_STATUSES else "active"


def safe_next_url(request, default: str) -> str:
    """`next` (POST, else GET) if it is a safe page of the request's region, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith(f"/{request.region.slug}/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def requested_state(request) -> bool | None:
    """The state a status form asks for: explicit, so a double submit changes nothing twice."""
    return {"1": True, "0": False}.get(request.POST.get("active", ""))


def toggle_active(
    request,
    *,
    obj,
    kind: str,
    warning: str,
    back_url: str,
    set_active: Callable[[bool], object],
    subtitle: str = "",
    activated: str | None = None,
    deactivated: str | None = None,
    name: str | None = None,
):
    """GET asks for confirmation; POST with `active=0|1` calls `set_active(active)`.

    A service's ValidationError becomes an error message; either way the admin goes back to
    `back_url`. `activated`/`deactivated` are the success messages with a `%(name)s`
    placeholder, filled with `name` (by default `obj.name`).
    """
    if request.method == "GET":
        return render(
            request,
            "partials/confirm_action.html",
            {
                "object": obj,
                "subtitle": subtitle,
                "kind": kind,
                "back_url": back_url,
                "warning": warning,
            },
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    active = requested_state(request)
    if active is None:
        return HttpResponseBadRequest(_("Status yang diminta tidak jelas."))
    try:
        set_active(active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            message = activated or _("%(name)s diaktifkan kembali.")
        else:
            message = deactivated or _("%(name)s dinonaktifkan.")
        messages.success(request, message % {"name": obj.name if name is None else name})
    return redirect(back_url)
