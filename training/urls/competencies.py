"""Competency dictionary, position standards, assessed levels, partners and speakers."""

from django.urls import path

from training.views import competencies as views
from training.views import partners as partner_views

urlpatterns = [
    # Competency dictionary (admin)
    path("kelola/kompetensi/", views.competency_list, name="competency_list"),
    path("kelola/kompetensi/baru/", views.competency_create, name="competency_create"),
    path("kelola/kompetensi/<int:pk>/", views.competency_detail, name="competency_detail"),
    path("kelola/kompetensi/<int:pk>/ubah/", views.competency_edit, name="competency_edit"),
    path("kelola/kompetensi/<int:pk>/status/", views.competency_toggle, name="competency_toggle"),
    path("kelola/kompetensi/<int:pk>/hapus/", views.competency_delete, name="competency_delete"),
    # Position standards (admin)
    path("kelola/standar-jabatan/", views.standard_list, name="standard_list"),
    path("kelola/standar-jabatan/baru/", views.standard_create, name="standard_create"),
    path("kelola/standar-jabatan/<int:pk>/", views.standard_detail, name="standard_detail"),
    path("kelola/standar-jabatan/<int:pk>/ubah/", views.standard_edit, name="standard_edit"),
    path("kelola/standar-jabatan/<int:pk>/hapus/", views.standard_delete, name="standard_delete"),
    path(
        "kelola/standar-jabatan/<int:pk>/butir/<int:item_pk>/hapus/",
        views.standard_item_delete,
        name="standard_item_delete",
    ),
    # Assessed levels (admin)
    path("kelola/penilaian-kompetensi/", views.assessment_overview, name="assessment_overview"),
    path("kelola/penilaian-kompetensi/impor/", views.assessment_import, name="assessment_import"),
    path(
        "kelola/pegawai/<int:employee_pk>/kompetensi/",
        views.employee_competencies,
        name="employee_competencies",
    ),
    # ASN and supervisor
    path("kompetensi-saya/", views.my_competencies, name="my_competencies"),
    path(
        "tim/<int:employee_pk>/kompetensi/",
        views.team_member_competencies,
        name="team_member_competencies",
    ),
    # Partners and speakers (admin)
    path("kelola/mitra/", partner_views.provider_list, name="provider_list"),
    path("kelola/mitra/baru/", partner_views.provider_create, name="provider_create"),
    path("kelola/mitra/<int:pk>/", partner_views.provider_detail, name="provider_detail"),
    path("kelola/mitra/<int:pk>/ubah/", partner_views.provider_edit, name="provider_edit"),
    path("kelola/mitra/<int:pk>/status/", partner_views.provider_toggle, name="provider_toggle"),
    path("kelola/narasumber/", partner_views.speaker_list, name="speaker_list"),
    path("kelola/narasumber/baru/", partner_views.speaker_create, name="speaker_create"),
    path("kelola/narasumber/<int:pk>/ubah/", partner_views.speaker_edit, name="speaker_edit"),
    path("kelola/narasumber/<int:pk>/status/", partner_views.speaker_toggle, name="speaker_toggle"),
]
