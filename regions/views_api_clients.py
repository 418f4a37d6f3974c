"""Admin pages for a region's API clients: list, create, rotate, revoke.

A token is shown exactly once, on the page that answers the create or rotate POST; it is
never stored, put in a URL, a message or a session. Those pages are not cached.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from kompetensi.forms import apply_validation_error

from . import api_clients
from .models import ApiClient
from .permissions import region_admin_required

PAGE_SIZE = 25


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama klien"),
        max_length=120,
        help_text=gettext_lazy(
            "Sistem yang memakai token ini, mis. 'SIMPEG Kota' atau 'Dashboard Bappeda'."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Hak akses"),
        choices=ApiClient.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiClient.Scope.READ],
        help_text=gettext_lazy(
            "'Baca data' untuk menarik data; 'Mendaftarkan peserta' mengizinkan sistem ini "
            "mendaftarkan pegawai ke angkatan."
        ),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Berlaku sampai (opsional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Kosongkan bila token berlaku sampai dicabut."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.localdate():
            raise ValidationError(_("Tanggal berlaku harus setelah hari ini."))
        return day


def _get_client(request, pk) -> ApiClient:
    # ApiClient has no scoped manager (it is looked up by key before a region is known):
    # always filter by the request's region, so another region's id is a 404.
    return get_object_or_404(ApiClient, region=request.region, pk=pk)


def _list_url(request) -> str:
    return reverse("api_clients:list", kwargs={"region_slug": request.region.slug})


def _show_token(request, issued: api_clients.IssuedToken, *, rotated: bool):
    return render(
        request,
        "regions/api_clients/token.html",
        {
            "client": issued.client,
            "token": issued.token,
            "rotated": rotated,
            "api_base": request.build_absolute_uri("/api/v1/"),
        },
    )


@region_admin_required
def client_list(request, region_slug):
    now = timezone.now()
    page = Paginator(api_clients.api_client_list(region=request.region), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for client in page.object_list:
        client.status = api_clients.client_status(client, now)
    return render(
        request,
        "regions/api_clients/list.html",
        {
            "page": page,
            "query": "",
            "docs_url": reverse("api:docs"),
            "api_base": request.build_absolute_uri("/api/v1/"),
        },
    )


@never_cache
@region_admin_required
def client_create(request, region_slug):
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["expires_on"]
        expires_at = (
            timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59))) if day else None
        )
        try:
            issued = api_clients.api_client_create(
                region=request.region,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                created_by=request.user,
                expires_at=expires_at,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "expires_at" in exc.error_dict:
                exc = ValidationError({"expires_on": exc.error_dict.pop("expires_at")})
            apply_validation_error(form, exc)
        else:
            return _show_token(request, issued, rotated=False)
    return render(request, "regions/api_clients/form.html", {"form": form})


@never_cache
@region_admin_required
def client_rotate(request, region_slug, pk):
    client = _get_client(request, pk)
    if request.method == "GET":
        return render(
            request,
            "regions/api_clients/confirm.html",
            {"client": client, "action": "rotate", "back_url": _list_url(request)},
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        issued = api_clients.api_client_rotate(client=client)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_list_url(request))
    return _show_token(request, issued, rotated=True)


@region_admin_required
def client_revoke(request, region_slug, pk):
    client = _get_client(request, pk)
    if request.method == "GET":
        return render(
            request,
            "regions/api_clients/confirm.html",
            {"client": client, "action": "revoke", "back_url": _list_url(request)},
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    api_clients.api_client_revoke(client=client)
    messages.success(
        request,
        _("Token klien %(name)s dicabut; permintaan dengan token itu kini ditolak.")
        % {"name": client.name},
    )
    return redirect(_list_url(request))
