"""Region pages of the JP ledger and the development plans."""

from django.urls import path

from training.views import plans, records

urlpatterns = [
    # ASN: JP ledger
    path("jp-saya/", records.my_jp, name="my_jp"),
    path("jp-saya/catat/", records.record_create, name="record_create"),
    path("jp-saya/<int:record_id>/", records.record_detail, name="record_detail"),
    path("jp-saya/<int:record_id>/ubah/", records.record_edit, name="record_edit"),
    path("jp-saya/<int:record_id>/tarik/", records.record_withdraw, name="record_withdraw"),
    # Owner and admins
    path("riwayat-jp/<int:record_id>/bukti/", records.record_evidence, name="record_evidence"),
    # ASN: development plan
    path("rencana/", plans.plan_mine, name="plan_mine"),
    path("rencana/<int:plan_id>/butir/baru/", plans.plan_item_create, name="plan_item_create"),
    path(
        "rencana/<int:plan_id>/butir/<int:item_id>/",
        plans.plan_item_edit,
        name="plan_item_edit",
    ),
    path(
        "rencana/<int:plan_id>/butir/<int:item_id>/hapus/",
        plans.plan_item_delete,
        name="plan_item_delete",
    ),
    path("rencana/<int:plan_id>/ajukan/", plans.plan_submit, name="plan_submit"),
    # Supervisor
    path("tim/jp/", records.team_jp, name="team_jp"),
    path("tim/rencana/", plans.team_plan_list, name="team_plan_list"),
    path("tim/rencana/<int:plan_id>/", plans.team_plan_decide, name="team_plan_decide"),
    # Admin
    path("kelola/verifikasi-jp/", records.record_queue, name="record_queue"),
    path("kelola/verifikasi-jp/<int:record_id>/", records.record_review, name="record_review"),
    path("kelola/rencana/", plans.plan_admin_list, name="plan_admin_list"),
    path("kelola/rencana/<int:plan_id>/", plans.plan_admin_detail, name="plan_admin_detail"),
]
