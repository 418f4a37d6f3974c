"""Catalogue pages: the ASN catalogue and the admin pages for programmes, offerings, sessions."""

from django.urls import path

from training.views import catalogue as asn
from training.views import catalogue_admin as admin

urlpatterns = [
    # ASN catalogue
    path("katalog/", asn.catalogue, name="catalogue"),
    path("katalog/program/<int:pk>/", asn.catalogue_program, name="catalogue_program"),
    # Programmes (admin)
    path("kelola/program/", admin.program_list, name="program_list"),
    path("kelola/program/baru/", admin.program_create, name="program_create"),
    path("kelola/program/<int:pk>/", admin.program_detail, name="program_detail"),
    path("kelola/program/<int:pk>/ubah/", admin.program_edit, name="program_edit"),
    path("kelola/program/<int:pk>/terbitkan/", admin.program_publish, name="program_publish"),
    path("kelola/program/<int:pk>/arsipkan/", admin.program_archive, name="program_archive"),
    path("kelola/program/<int:pk>/angkatan/baru/", admin.offering_create, name="offering_create"),
    # Offerings (admin)
    path("kelola/angkatan/", admin.offering_list, name="offering_list"),
    path("kelola/angkatan/<int:pk>/", admin.offering_detail, name="offering_detail"),
    path("kelola/angkatan/<int:pk>/ubah/", admin.offering_edit, name="offering_edit"),
    path("kelola/angkatan/<int:pk>/salin/", admin.offering_copy, name="offering_copy"),
    path("kelola/angkatan/<int:pk>/buka/", admin.offering_open, name="offering_open"),
    path("kelola/angkatan/<int:pk>/mulai/", admin.offering_start, name="offering_start"),
    path("kelola/angkatan/<int:pk>/batalkan/", admin.offering_cancel, name="offering_cancel"),
    path(
        "kelola/angkatan/<int:pk>/kuota-unit/",
        admin.offering_quota_set,
        name="offering_quota_set",
    ),
    path(
        "kelola/kuota-unit/<int:pk>/hapus/",
        admin.offering_quota_remove,
        name="offering_quota_remove",
    ),
    # Sessions (admin)
    path("kelola/angkatan/<int:pk>/sesi/baru/", admin.session_create, name="session_create"),
    path(
        "kelola/angkatan/<int:pk>/sesi/berulang/",
        admin.session_recurring,
        name="session_recurring",
    ),
    path("kelola/sesi/<int:pk>/ubah/", admin.session_edit, name="session_edit"),
    path("kelola/sesi/<int:pk>/batalkan/", admin.session_cancel, name="session_cancel"),
]
