from django.urls import path

from . import views, views_admin, views_security

app_name = "region"

urlpatterns = [
    path("", views.region_home, name="home"),
    path("profil/", views.profile, name="profile"),
    path("kelola/unit/", views_admin.unit_list, name="unit_list"),
    path("kelola/unit/baru/", views_admin.unit_create, name="unit_create"),
    path("kelola/unit/<int:pk>/", views_admin.unit_edit, name="unit_edit"),
    path("kelola/unit/<int:pk>/status/", views_admin.unit_toggle_active, name="unit_toggle"),
    path("kelola/pegawai/", views_admin.employee_list, name="employee_list"),
    path("kelola/pegawai/baru/", views_admin.employee_create, name="employee_create"),
    path("kelola/pegawai/impor/", views_admin.employee_import, name="employee_import"),
    path("kelola/pegawai/<int:pk>/", views_admin.employee_edit, name="employee_edit"),
    path(
        "kelola/pegawai/<int:pk>/status/",
        views_admin.employee_toggle_active,
        name="employee_toggle",
    ),
    path("kelola/pegawai/<int:pk>/undang/", views_admin.employee_invite, name="employee_invite"),
    path(
        "kelola/pegawai/<int:pk>/anonimkan/",
        views_security.employee_anonymise,
        name="employee_anonymise",
    ),
    path("kelola/audit/", views_security.audit_list, name="audit_list"),
    path("kelola/audit/ekspor/", views_security.audit_export, name="audit_export"),
    path("profil/data-saya/", views_security.my_data, name="my_data"),
    path(
        "profil/data-saya/<int:pk>/unduh/",
        views_security.my_data_download,
        name="my_data_download",
    ),
]
