"""Admin pages for a region's API clients: /<region_slug>/kelola/api/..."""

from django.urls import path

from . import views_api_clients as views

app_name = "api_clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("baru/", views.client_create, name="create"),
    path("<int:pk>/rotasi/", views.client_rotate, name="rotate"),
    path("<int:pk>/cabut/", views.client_revoke, name="revoke"),
]
