"""Region pages of the regional plan, under /<region_slug>/perencanaan/ (namespace `planning`)."""

from django.urls import path

from . import views

app_name = "planning"

P = "perencanaan/"
S = P + "usulan/<int:submission_id>/"
R = P + "rencana/<int:plan_id>/"

urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "peran/", views.roles, name="roles"),
    path(P + "peran/perencana/", views.planner_add, name="planner_add"),
    path(
        P + "peran/perencana/<int:planner_id>/hapus/", views.planner_remove, name="planner_remove"
    ),
    path(P + "peran/penyetuju/", views.approver_add, name="approver_add"),
    path(
        P + "peran/penyetuju/<int:approver_id>/hapus/",
        views.approver_remove,
        name="approver_remove",
    ),
    path(P + "penjaringan/buka/", views.round_create, name="round_create"),
    path(P + "penjaringan/<int:round_id>/", views.round_detail, name="round_detail"),
    path(S, views.submission_detail, name="submission_detail"),
    path(S + "kebutuhan/baru/", views.need_create, name="need_create"),
    path(S + "kebutuhan/<int:need_id>/ubah/", views.need_edit, name="need_edit"),
    path(S + "kebutuhan/<int:need_id>/hapus/", views.need_delete, name="need_delete"),
    path(S + "saran/terima/", views.suggestion_accept, name="suggestion_accept"),
    path(S + "saran/abaikan/", views.suggestion_ignore, name="suggestion_ignore"),
    path(S + "ajukan/", views.submission_submit, name="submission_submit"),
    path(S + "kembalikan/", views.submission_return, name="submission_return"),
    path(P + "rencana/buat/", views.plan_create, name="plan_create"),
    path(R, views.plan_detail, name="plan_detail"),
    path(R + "butir/baru/", views.plan_item_create, name="plan_item_create"),
    path(R + "butir/<int:item_id>/ubah/", views.plan_item_edit, name="plan_item_edit"),
    path(R + "butir/<int:item_id>/hapus/", views.plan_item_delete, name="plan_item_delete"),
    path(
        R + "butir/<int:item_id>/realisasi/",
        views.plan_item_realisation,
        name="plan_item_realisation",
    ),
    path(
        R + "butir/<int:item_id>/realisasi/<int:link_id>/lepas/",
        views.plan_item_unlink,
        name="plan_item_unlink",
    ),
    path(R + "ajukan/", views.plan_submit, name="plan_submit"),
    path(R + "putuskan/", views.plan_decide, name="plan_decide"),
    path(R + "perubahan/", views.plan_revise, name="plan_revise"),
    path(R + "unduh.pdf", views.plan_pdf, name="plan_pdf"),
    path(R + "unduh.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path(R + "sk/", views.plan_decree, name="plan_decree"),
]
