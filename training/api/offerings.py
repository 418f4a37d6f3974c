"""REST API v1: offerings (batches) with their sessions and seats (list and one).

Rows are built from `.values_list()` of `OFFERING_FIELDS`; the page's sessions come in one
more query (`OfferingBase.build`). `seats_taken` and `reserved_seats` are counted by
subqueries here for now; they will come from the seat engine. Filters:
`training.selectors.filters.offering_filter` (the evaluations summary uses it too).
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from kompetensi.api.columns import utc
from kompetensi.api.pagination import Keyset
from kompetensi.api.params import (
    Param,
    cursor_param,
    openapi_parameters,
    page_size_param,
    updated_since_param,
)
from kompetensi.api.schema import (
    ID_PATH,
    IF_NONE_MATCH,
    READ_ERRORS,
    detail_responses,
    error_responses,
    page_serializer,
)
from regions.api_auth import RegionResourceView
from training.models import Offering
from training.models import Session as TrainingSession
from training.seats import with_seats
from training.selectors.filters import offering_filter

L = gettext_lazy


class SessionDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID sesi."))
    title = serializers.CharField(help_text=L("Judul sesi."))
    starts_at = serializers.DateTimeField(help_text=L("Mulai."))
    ends_at = serializers.DateTimeField(help_text=L("Selesai."))
    location = serializers.CharField(allow_blank=True, help_text=L("Tempat."))
    status = serializers.ChoiceField(
        ("scheduled", "cancelled"), help_text=L("scheduled atau cancelled.")
    )
    speaker = serializers.CharField(allow_null=True, help_text=L("Nama narasumber, atau null."))


class OfferingDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID angkatan."))
    programme_id = serializers.IntegerField(help_text=L("ID program."))
    programme_code = serializers.CharField(help_text=L("Kode program."))
    programme_title = serializers.CharField(help_text=L("Judul program."))
    name = serializers.CharField(help_text=L("Nama angkatan."))
    status = serializers.ChoiceField(
        tuple(Offering.Status.values),
        help_text=L("planned, open, running, completed, cancelled."),
    )
    start_date = serializers.DateField(help_text=L("Tanggal mulai."))
    end_date = serializers.DateField(help_text=L("Tanggal selesai."))
    enrolment_opens = serializers.DateField(help_text=L("Pendaftaran dibuka."))
    enrolment_closes = serializers.DateField(help_text=L("Pendaftaran ditutup."))
    seats = serializers.IntegerField(help_text=L("Kuota umum."))
    reserved_seats = serializers.IntegerField(
        help_text=L("Kursi khusus unit kerja (di luar kuota umum).")
    )
    seats_taken = serializers.IntegerField(
        help_text=L(
            "Kursi terpakai (confirmed, completed, no_show), dihitung saat diminta; perubahan "
            "ini tidak mengubah updated_at angkatan."
        )
    )
    seats_left = serializers.IntegerField(
        help_text=L("Sisa kursi = seats + reserved_seats − seats_taken (minimal 0).")
    )
    requires_approval = serializers.BooleanField(help_text=L("Perlu persetujuan atasan."))
    has_waitlist = serializers.BooleanField(help_text=L("Ada daftar tunggu."))
    is_international = serializers.BooleanField(help_text=L("Bertaraf internasional."))
    venue = serializers.CharField(allow_blank=True, help_text=L("Tempat."))
    cancel_reason = serializers.CharField(allow_blank=True, help_text=L("Alasan pembatalan."))
    sessions = SessionDoc(many=True, help_text=L("Sesi angkatan, urut waktu mulai."))
    created_at = serializers.DateTimeField(help_text=L("Waktu dibuat."))
    updated_at = serializers.DateTimeField(help_text=L("Waktu perubahan terakhir."))


OFFERING_FIELDS = (
    ("id", "id"),
    ("programme_id", "program_id"),
    ("programme_code", "program__code"),
    ("programme_title", "program__title"),
    ("name", "name"),
    ("status", "status"),
    ("start_date", "start_date"),
    ("end_date", "end_date"),
    ("enrolment_opens", "enrolment_opens"),
    ("enrolment_closes", "enrolment_closes"),
    ("seats", "seats"),
    ("reserved_seats", "reserved_seats"),
    ("seats_taken", "seats_taken"),
    ("requires_approval", "requires_approval"),
    ("has_waitlist", "has_waitlist"),
    ("is_international", "is_international"),
    ("venue", "venue"),
    ("cancel_reason", "cancel_reason"),
    ("created_at", utc("created_at")),
    ("updated_at", utc("updated_at")),
)
SESSION_KEYS = ("id", "title", "starts_at", "ends_at", "location", "status", "speaker")


class OfferingBase(RegionResourceView):
    keyset = Keyset("offerings")
    fields = OFFERING_FIELDS

    def base_queryset(self):
        # Seats from the seat engine; seats_left is derived per row in build().
        return with_seats(Offering.objects.all())

    def build(self, rows):
        """Rows plus their sessions (one more query for the whole page) and seats left."""
        sessions = {}
        if rows:
            found = (
                TrainingSession.objects.filter(offering_id__in=[r[0] for r in rows])
                .order_by("starts_at", "id")
                .values_list(
                    "offering_id",
                    "id",
                    "title",
                    utc("starts_at"),
                    utc("ends_at"),
                    "location",
                    "status",
                    "speaker__name",
                )
            )
            for s in found:
                sessions.setdefault(s[0], []).append(dict(zip(SESSION_KEYS, s[1:], strict=True)))
        result = super().build(rows)
        for item in result:
            item["seats_left"] = max(
                item["seats"] + item["reserved_seats"] - item["seats_taken"], 0
            )
            item["sessions"] = sessions.get(item["id"], [])
        return result


OFFERING_STATUSES = tuple(Offering.Status.values)
OFFERING_PARAMS = [
    Param(
        "status",
        "choice",
        L("Status, boleh beberapa dipisah koma: %(c)s.") % {"c": ", ".join(OFFERING_STATUSES)},
        choices=OFFERING_STATUSES,
        many=True,
    ),
    Param("programme", "id_or_code", L("Program: ID atau kode.")),
    Param("start_from", "date", L("Mulai pada/ sesudah tanggal ini.")),
    Param("start_to", "date", L("Mulai pada/ sebelum tanggal ini.")),
    updated_since_param(),
    cursor_param(),
    page_size_param(),
]


class OfferingListView(OfferingBase):
    params = OFFERING_PARAMS

    def filter_queryset(self, queryset, q):
        return offering_filter(
            queryset,
            status=q["status"],
            programme=q["programme"],
            start_from=q["start_from"],
            start_to=q["start_to"],
        )

    @extend_schema(
        operation_id="offerings_list",
        tags=["offerings"],
        summary=str(L("Daftar angkatan dengan sesi dan kursi")),
        parameters=openapi_parameters(OFFERING_PARAMS),
        responses={
            200: page_serializer("OfferingPage", OfferingDoc),
            **error_responses(*READ_ERRORS),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request)


class OfferingDetailView(OfferingBase):
    @extend_schema(
        operation_id="offerings_retrieve",
        tags=["offerings"],
        summary=str(L("Satu angkatan")),
        parameters=[ID_PATH, IF_NONE_MATCH, *openapi_parameters([])],
        responses=detail_responses(OfferingDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)
