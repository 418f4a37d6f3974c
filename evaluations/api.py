"""REST API v1 of evaluations: per-offering summaries.

The survey (Kirkpatrick L1) and behaviour (L3) models do not exist yet; today a summary holds
what enrolments already carry (head counts, mean pre/post-test scores and gain, L2). Survey
results will join this shape as extra fields (`reaction`, `behaviour`) without changing
the existing ones.
"""

from django.db.models import Avg, Count, F, FloatField, Q
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from kompetensi.api.pagination import Keyset
from kompetensi.api.params import Param, cursor_param, openapi_parameters, page_size_param
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
from training.seats import seats_taken_count
from training.selectors.filters import offering_filter

L = gettext_lazy


class EvaluationProgrammeDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID program."))
    code = serializers.CharField(help_text=L("Kode program."))
    title = serializers.CharField(help_text=L("Judul program."))


class EvaluationDoc(serializers.Serializer):
    offering_id = serializers.IntegerField(help_text=L("ID angkatan."))
    offering_name = serializers.CharField(help_text=L("Nama angkatan."))
    programme = EvaluationProgrammeDoc(help_text=L("Program."))
    status = serializers.CharField(help_text=L("Status angkatan."))
    start_date = serializers.DateField(help_text=L("Tanggal mulai."))
    end_date = serializers.DateField(help_text=L("Tanggal selesai."))
    enrolled = serializers.IntegerField(
        help_text=L("Peserta yang mendapat kursi (confirmed + completed + no_show).")
    )
    completed = serializers.IntegerField(help_text=L("Peserta yang selesai."))
    no_show = serializers.IntegerField(help_text=L("Peserta tidak hadir / tidak memenuhi syarat."))
    tested = serializers.IntegerField(help_text=L("Peserta dengan nilai pre-test dan post-test."))
    pre_test_mean = serializers.FloatField(
        allow_null=True, help_text=L("Rata-rata pre-test (peserta yang punya nilai), 2 desimal.")
    )
    post_test_mean = serializers.FloatField(
        allow_null=True, help_text=L("Rata-rata post-test (peserta yang punya nilai), 2 desimal.")
    )
    gain_mean = serializers.FloatField(
        allow_null=True,
        help_text=L("Rata-rata kenaikan post − pre (peserta dengan kedua nilai), 2 desimal."),
    )


def _mean(expression, condition):
    return Cast(Round(Avg(expression, filter=condition), 2), FloatField())


class EvaluationBase(RegionResourceView):
    keyset = Keyset("evaluations")
    columns = (
        "id",
        "name",
        "program_id",
        "program__code",
        "program__title",
        "status",
        "start_date",
        "end_date",
        "n_enrolled",
        "n_completed",
        "n_no_show",
        "n_tested",
        "pre_mean",
        "post_mean",
        "gain_mean",
    )

    def base_queryset(self):
        both = Q(
            enrolments__pre_test_score__isnull=False, enrolments__post_test_score__isnull=False
        )
        return Offering.objects.annotate(
            n_enrolled=seats_taken_count("enrolments"),
            n_completed=Count("enrolments", filter=Q(enrolments__status="completed")),
            n_no_show=Count("enrolments", filter=Q(enrolments__status="no_show")),
            n_tested=Count("enrolments", filter=both),
            pre_mean=_mean(
                "enrolments__pre_test_score", Q(enrolments__pre_test_score__isnull=False)
            ),
            post_mean=_mean(
                "enrolments__post_test_score", Q(enrolments__post_test_score__isnull=False)
            ),
            gain_mean=_mean(
                F("enrolments__post_test_score") - F("enrolments__pre_test_score"), both
            ),
        )

    def build(self, rows):
        return [
            {
                "offering_id": r[0],
                "offering_name": r[1],
                "programme": {"id": r[2], "code": r[3], "title": r[4]},
                "status": r[5],
                "start_date": r[6],
                "end_date": r[7],
                "enrolled": r[8],
                "completed": r[9],
                "no_show": r[10],
                "tested": r[11],
                "pre_test_mean": r[12],
                "post_test_mean": r[13],
                "gain_mean": r[14],
            }
            for r in rows
        ]


OFFERING_STATUSES = tuple(Offering.Status.values)
EVALUATION_PARAMS = [
    Param("offering", "int", L("ID angkatan.")),
    Param("programme", "id_or_code", L("Program: ID atau kode.")),
    Param(
        "status",
        "choice",
        L("Status angkatan, boleh beberapa dipisah koma: %(c)s.")
        % {"c": ", ".join(OFFERING_STATUSES)},
        choices=OFFERING_STATUSES,
        many=True,
    ),
    Param("start_from", "date", L("Angkatan mulai pada/ sesudah tanggal ini.")),
    Param("start_to", "date", L("Angkatan mulai pada/ sebelum tanggal ini.")),
    cursor_param(),
    page_size_param(),
]


class EvaluationListView(EvaluationBase):
    params = EVALUATION_PARAMS

    def filter_queryset(self, queryset, q):
        if q["offering"]:
            queryset = queryset.filter(pk=q["offering"])
        return offering_filter(
            queryset,
            status=q["status"],
            programme=q["programme"],
            start_from=q["start_from"],
            start_to=q["start_to"],
        )

    @extend_schema(
        operation_id="evaluations_list",
        tags=["evaluations"],
        summary=str(L("Ringkasan evaluasi per angkatan")),
        description=str(
            L(
                "Jumlah peserta dan nilai pre/post-test per angkatan, urut posisi "
                "sinkronisasi dengan cursor: setiap perubahan pendaftaran atau nilai "
                "menampilkan ulang angkatannya. "
                "Hasil survei reaksi (L1) dan evaluasi pasca pelatihan (L3) akan ditambahkan "
                "sebagai isian baru pada bentuk yang sama."
            )
        ),
        parameters=openapi_parameters(EVALUATION_PARAMS),
        responses={
            200: page_serializer("EvaluationPage", EvaluationDoc),
            **error_responses(*READ_ERRORS),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request)


class EvaluationDetailView(EvaluationBase):
    @extend_schema(
        operation_id="evaluations_retrieve",
        tags=["evaluations"],
        summary=str(L("Ringkasan evaluasi satu angkatan")),
        parameters=[ID_PATH, IF_NONE_MATCH, *openapi_parameters([])],
        responses=detail_responses(EvaluationDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)
