"""Notification pages: the navbar bell (unread count), the list, one notification, mark read.

Every page shows only the logged-in employee's own notifications of the current region.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kompetensi.views import safe_next_url

from .models import Notification
from .notifications import (
    kind_icon,
    kind_label,
    notification_mark_all_read,
    notification_mark_read,
    notification_unread_count,
    render_message,
)
from .notifications import (
    notification_list as list_notifications,
)
from .permissions import region_employee_required

PAGE_SIZE = 25


def _own(request, pk) -> Notification:
    return get_object_or_404(
        Notification.objects.select_related("region", "recipient"),
        region=request.region,
        recipient=request.access.employee,
        pk=pk,
    )


def _decorate(notification: Notification) -> Notification:
    notification.icon = kind_icon(notification.kind)
    notification.label = kind_label(notification.kind)
    notification.about = (notification.context or {}).get("_about", "")
    return notification


@region_employee_required
def notification_list(request, region_slug):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    employee = request.access.employee
    unread_only = request.GET.get("tampil") == "belum-dibaca"
    page = Paginator(
        list_notifications(recipient=employee, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for notification in page.object_list:
        _decorate(notification)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": notification_unread_count(recipient=employee),
            "query": "tampil=belum-dibaca" if unread_only else "",
        },
    )


@region_employee_required
def bell(request, region_slug):
    """The unread count for the navbar bell (loaded by htmx, so pages pay no query for it)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    count = notification_unread_count(recipient=request.access.employee)
    return render(request, "notifications/_bell_badge.html", {"count": count})


@region_employee_required
def notification_detail(request, region_slug, pk):
    notification = _own(request, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    notification_mark_read(notification=notification)
    message = render_message(notification)
    return render(
        request,
        "notifications/detail.html",
        {
            "notification": _decorate(notification),
            "message": message,
            "target": (notification.context or {}).get("_url", ""),
        },
    )


@region_employee_required
def mark_read(request, region_slug, pk):
    notification = _own(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    notification_mark_read(notification=notification)
    if request.htmx:
        return render(request, "notifications/_row.html", {"notification": _decorate(notification)})
    return redirect(
        safe_next_url(request, reverse("notifications:list", args=[request.region.slug]))
    )


@region_employee_required
def mark_all_read(request, region_slug):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    count = notification_mark_all_read(recipient=request.access.employee)
    if count:
        messages.success(request, _("Semua notifikasi ditandai sudah dibaca."))
    return redirect("notifications:list", region_slug=request.region.slug)
