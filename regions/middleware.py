"""Resolves the region from the URL, checks access, and runs the view inside its scope.

Pages of a region live under `/<region_slug>/...`. Anyone without access gets 404, never a
hint that the region or object exists. The view *and* template rendering run inside
`django_scopes.scope(region=...)`; every other request runs with scoping active and no
region, so a query on tenant data outside a region fails loudly.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from .models import Region
from .permissions import resolve_access

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class RegionScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.region = None
        request.access = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is not None and match.app_name == "admin":
            # Django's /admin/ is for superusers only and spans every region. Anyone else who
            # has a staff login (given some model permission) would see every region's data;
            # non-staff users are sent to the admin login by Django itself.
            user = request.user
            if user.is_authenticated and user.is_staff and not user.is_superuser:
                raise PermissionDenied
            with scopes_disabled():
                return self.get_response(request)
        slug = match.kwargs.get("region_slug") if match else None
        if slug is None:
            return self.get_response(request)

        region = Region.objects.filter(slug=slug, is_active=True).first()
        if region is None:
            raise Http404(_("Wilayah tidak ditemukan."))
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        with scope(region=region):
            access = resolve_access(request.user, region)
            if access is None:
                raise Http404(_("Wilayah tidak ditemukan."))
            if access.read_only and request.method not in SAFE_METHODS:
                raise PermissionDenied(_("Peninjau nasional hanya dapat melihat data."))
            if any("\x00" in value for key in request.GET for value in request.GET.getlist(key)):
                # No page takes a NUL byte; PostgreSQL refuses it in any query (search, filter).
                raise BadRequest(_("Alamat halaman berisi karakter yang tidak valid."))
            if request.method == "POST" and _form_has_nul(request):
                # Nor does any form: pages that read a field without a Django form (survey
                # answers, keys) would otherwise hand it to PostgreSQL, which refuses it.
                raise BadRequest(_("Isian formulir berisi karakter yang tidak valid."))
            request.region = region
            request.access = access
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response


def _form_has_nul(request) -> bool:
    # Plain forms only: parsing them keeps the body readable (a multipart body is consumed by
    # parsing, and its text fields reach Django forms, which refuse NUL themselves).
    if request.content_type != "application/x-www-form-urlencoded":
        return False
    return any("\x00" in value for key in request.POST for value in request.POST.getlist(key))
