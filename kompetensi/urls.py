from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from regions import views as region_views
from regions import views_security as region_views_security

from .locale import set_language
from .security_views import csp_report

urlpatterns = [
    path("", region_views.landing, name="home"),
    path("akun/jejak-audit/", region_views_security.my_audit, name="my_audit"),
    path("akun/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("csp-report/", csp_report, name="csp_report"),
    path("admin/", admin.site.urls),
    path("api/", include("kompetensi.api.urls")),
    # Public certificate verification (no login; "verifikasi" is a reserved region slug).
    path("verifikasi/", include("training.urls_public")),
    # The national comparison ("nasional" is a reserved region slug).
    path("nasional/", include("dashboards.urls_national")),
    # Region pages last: `<region_slug>` must not shadow the paths above (see RESERVED_SLUGS).
    path("<slug:region_slug>/notifikasi/", include("regions.urls_notifications")),
    path("<slug:region_slug>/", include("regions.urls")),
    path("<slug:region_slug>/", include("training.urls")),
    path("<slug:region_slug>/", include("evaluations.urls")),
    path("<slug:region_slug>/", include("planning.urls")),
    path("<slug:region_slug>/", include("dashboards.urls")),
    path("<slug:region_slug>/kelola/api/", include("regions.urls_api_clients")),
]
handler500 = "kompetensi.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
