"""Region pages of the training app, under /<region_slug>/. One module per area."""

from django.urls import include, path

app_name = "training"

urlpatterns = [
    path("", include("training.urls.competencies")),
    path("", include("training.urls.catalogue")),
    path("", include("training.urls.enrolment")),
    path("", include("training.urls.records")),
    path("", include("training.urls.calendar")),
    path("", include("training.urls.courses")),
]
