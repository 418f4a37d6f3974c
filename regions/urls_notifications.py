"""Notification pages of a region, under /<region_slug>/notifikasi/."""

from django.urls import path

from . import views_notifications as views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("lonceng/", views.bell, name="bell"),
    path("baca-semua/", views.mark_all_read, name="mark_all_read"),
    path("<int:pk>/", views.notification_detail, name="detail"),
    path("<int:pk>/baca/", views.mark_read, name="mark_read"),
]
