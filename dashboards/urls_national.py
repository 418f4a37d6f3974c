"""The national comparison, outside any region (`/nasional/dasbor/`)."""

from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("dasbor/", views.national_dashboard, name="dashboard"),
]
