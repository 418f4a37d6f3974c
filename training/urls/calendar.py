from django.urls import path

from training.views import calendar as views

urlpatterns = [
    path("kalender-saya.ics", views.my_calendar, name="my_calendar"),
]
