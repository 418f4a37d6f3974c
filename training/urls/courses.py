"""Online courses: the admin's builder, question bank, statistics and scores; the ASN's
course pages; lesson media; certificates."""

from django.urls import path

from training.views import certificates as certs
from training.views import courses_admin as admin
from training.views import learning as asn

urlpatterns = [
    # Admin: course builder
    path("kelola/program/<int:program_id>/kursus/", admin.course_program, name="course_program"),
    path(
        "kelola/program/<int:program_id>/kursus/salin/",
        admin.course_copy_from,
        name="course_copy_from",
    ),
    path(
        "kelola/angkatan/<int:offering_id>/kursus/", admin.course_offering, name="course_offering"
    ),
    path(
        "kelola/kursus/<int:course_id>/pengaturan/", admin.course_settings, name="course_settings"
    ),
    path("kelola/kursus/<int:course_id>/urutan/", admin.course_reorder, name="course_reorder"),
    path("kelola/kursus/<int:course_id>/pratinjau/", admin.course_preview, name="course_preview"),
    path("kelola/kursus/<int:course_id>/modul/baru/", admin.module_create, name="module_create"),
    path("kelola/modul/<int:module_id>/ubah/", admin.module_edit, name="module_edit"),
    path("kelola/modul/<int:module_id>/hapus/", admin.module_delete, name="module_delete"),
    path("kelola/modul/<int:module_id>/pindah/", admin.module_move, name="module_move"),
    path("kelola/modul/<int:module_id>/materi/baru/", admin.lesson_create, name="lesson_create"),
    path("kelola/materi/<int:lesson_id>/ubah/", admin.lesson_edit, name="lesson_edit"),
    path("kelola/materi/<int:lesson_id>/hapus/", admin.lesson_delete, name="lesson_delete"),
    path("kelola/materi/<int:lesson_id>/pindah/", admin.lesson_move, name="lesson_move"),
    path("kelola/materi/<int:lesson_id>/tes/", admin.quiz_settings, name="quiz_settings"),
    path("kelola/materi/<int:lesson_id>/statistik/", admin.quiz_stats, name="quiz_stats"),
    path("kelola/kursus/<int:course_id>/soal/", admin.question_list, name="question_list"),
    path("kelola/kursus/<int:course_id>/soal/baru/", admin.question_create, name="question_create"),
    path("kelola/soal/<int:question_id>/ubah/", admin.question_edit, name="question_edit"),
    path("kelola/soal/<int:question_id>/hapus/", admin.question_delete, name="question_delete"),
    path("kelola/angkatan/<int:offering_id>/nilai/", admin.offering_scores, name="offering_scores"),
    # Admin: certificates
    path(
        "kelola/angkatan/<int:offering_id>/sertifikat/",
        certs.offering_certificates_page,
        name="offering_certificates",
    ),
    path(
        "kelola/penerbitan-sertifikat/<int:run_id>/",
        certs.certificate_run_status,
        name="certificate_run_status",
    ),
    path(
        "kelola/sertifikat/<int:certificate_id>/",
        certs.certificate_detail,
        name="certificate_detail",
    ),
    path(
        "kelola/sertifikat/<int:certificate_id>/unduh/",
        certs.certificate_download,
        name="certificate_download",
    ),
    path(
        "kelola/sertifikat/<int:certificate_id>/terbitkan-ulang/",
        certs.certificate_reissue,
        name="certificate_reissue",
    ),
    path(
        "kelola/sertifikat/<int:certificate_id>/cabut/",
        certs.certificate_revoke,
        name="certificate_revoke",
    ),
    path(
        "kelola/pengaturan-sertifikat/",
        certs.certificate_settings_page,
        name="certificate_settings",
    ),
    path(
        "kelola/pengaturan-sertifikat/pratinjau/",
        certs.certificate_preview,
        name="certificate_preview",
    ),
    # ASN
    path("belajar/<int:enrolment_id>/", asn.learn_course, name="learn_course"),
    path(
        "belajar/<int:enrolment_id>/materi/<int:lesson_id>/",
        asn.learn_lesson,
        name="learn_lesson",
    ),
    path(
        "belajar/<int:enrolment_id>/materi/<int:lesson_id>/posisi/",
        asn.learn_video_position,
        name="learn_video_position",
    ),
    path(
        "belajar/<int:enrolment_id>/materi/<int:lesson_id>/scorm/<str:token>/",
        asn.learn_scorm_commit,
        name="learn_scorm_commit",
    ),
    path(
        "belajar/<int:enrolment_id>/materi/<int:lesson_id>/mulai-tes/",
        asn.learn_quiz_start,
        name="learn_quiz_start",
    ),
    path(
        "belajar/<int:enrolment_id>/tes/<int:attempt_id>/",
        asn.learn_attempt,
        name="learn_attempt",
    ),
    path("sertifikat-saya/", certs.my_certificates, name="my_certificates"),
    path(
        "sertifikat-saya/<int:certificate_id>/unduh/",
        certs.my_certificate_download,
        name="my_certificate_download",
    ),
    # Lesson media (participants and admins)
    path("materi/<int:lesson_id>/video/", asn.lesson_video, name="lesson_video"),
    path("materi/<int:lesson_id>/berkas/", asn.lesson_file, name="lesson_file"),
    path("materi/<int:lesson_id>/paket/<path:path>", asn.lesson_scorm, name="lesson_scorm"),
]
