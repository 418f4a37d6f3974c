from django.urls import path

from training.views import approvals
from training.views import enrolment as views
from training.views import enrolment_admin as admin_views

urlpatterns = [
    # ASN
    path("angkatan/<int:offering_id>/daftar/", views.offering_enrol, name="offering_enrol"),
    path("pendaftaran-saya/", views.my_enrolments, name="my_enrolments"),
    path(
        "pendaftaran-saya/<int:enrolment_id>/",
        views.my_enrolment_detail,
        name="my_enrolment_detail",
    ),
    path(
        "pendaftaran-saya/<int:enrolment_id>/batal/",
        views.my_enrolment_cancel,
        name="my_enrolment_cancel",
    ),
    # Supervisor (and admin)
    path("persetujuan/", approvals.approval_list, name="approval_list"),
    path("persetujuan/<int:enrolment_id>/", approvals.approval_decide, name="approval_decide"),
    # Admin
    path("kelola/pendaftaran/", admin_views.offering_overview, name="enrolment_overview"),
    path(
        "kelola/pendaftaran/<int:enrolment_id>/",
        admin_views.enrolment_admin_detail,
        name="enrolment_admin_detail",
    ),
    path(
        "kelola/pendaftaran/<int:enrolment_id>/batalkan/",
        admin_views.enrolment_admin_cancel,
        name="enrolment_admin_cancel",
    ),
    path(
        "kelola/angkatan/<int:offering_id>/peserta/",
        admin_views.offering_participants,
        name="offering_participants",
    ),
    path(
        "kelola/angkatan/<int:offering_id>/peserta/unduh/",
        admin_views.offering_participants_csv,
        name="offering_participants_csv",
    ),
    path(
        "kelola/angkatan/<int:offering_id>/peserta/tambah/",
        admin_views.offering_bulk_enrol,
        name="offering_bulk_enrol",
    ),
    path(
        "kelola/angkatan/<int:offering_id>/daftar-tunggu/",
        admin_views.offering_fill_waitlist,
        name="offering_fill_waitlist",
    ),
    path(
        "kelola/angkatan/<int:offering_id>/selesaikan/",
        admin_views.offering_complete,
        name="offering_complete",
    ),
    path(
        "kelola/sesi/<int:session_id>/presensi/",
        admin_views.session_attendance,
        name="session_attendance",
    ),
]
