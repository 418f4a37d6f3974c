from django.urls import path

from training.views import enrolment as views

urlpatterns = [
    path("angkatan/<int:offering_id>/daftar/", views.offering_enrol, name="offering_enrol"),
    path("pendaftaran-saya/", views.my_enrolments, name="my_enrolments"),
]
