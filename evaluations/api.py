"""REST API v1 of evaluations: per-offering summaries of the post-training evaluation.

A summary holds the head counts and L2 figures the enrolments carry (mean pre/post-test
scores and gain), the reaction survey (L1: responses, response rate, mean, relevance and the
"kurang relevan" flag) and the behaviour assessments (L3: made, submitted, means). The L1 and
L3 figures come from correlated subqueries (`evaluations.selectors.kirkpatrick
.offering_evaluation_columns`): a page is still one query. A saved survey response or L3
assessment re-lists its batch (`evaluations/sync.py`), as does a change of the region's
relevance settings.
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

from .selectors.kirkpatrick import offering_evaluation_columns, relevance_flagged

L = gettext_lazy


class EvaluationProgrammeDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID program."))
    code = serializers.CharField(help_text=L("Kode program."))
    title = serializers.CharField(help_text=L("Judul program."))


class EvaluationReactionDoc(serializers.Serializer):
    survey_open = serializers.BooleanField(help_text=L("Survei angkatan sudah dibuka."))
    invited = serializers.IntegerField(
        help_text=L("Peserta yang diundang: selesai, atau hadir lalu tidak lulus/tidak memenuhi.")
    )
    responses = serializers.IntegerField(help_text=L("Jawaban survei yang masuk."))
    response_rate = serializers.FloatField(
        allow_null=True, help_text=L("Jawaban ÷ peserta diundang × 100, 1 desimal.")
    )
    mean = serializers.FloatField(
        allow_null=True, help_text=L("Rata-rata semua butir skala 1–5, 2 desimal.")
    )
    relevance_mean = serializers.FloatField(
        allow_null=True, help_text=L("Rata-rata butir relevansi (1–5), 2 desimal.")
    )
    relevance_answers = serializers.IntegerField(help_text=L("Jumlah jawaban butir relevansi."))
    relevance_flag = serializers.BooleanField(
        help_text=L(
            "Kurang relevan: rata-rata relevansi di bawah ambang wilayah dengan jumlah jawaban "
            "minimal (bawaan 3,0 dan 10)."
        )
    )


class EvaluationBehaviourDoc(serializers.Serializer):
    assessments = serializers.IntegerField(help_text=L("Penilaian level 3 yang dibuat."))
    submitted = serializers.IntegerField(help_text=L("Penilaian level 3 yang sudah diisi."))
    mean = serializers.FloatField(
        allow_null=True, help_text=L("Rata-rata penilaian yang diisi (1–5), 2 desimal.")
    )
    supervisor_mean = serializers.FloatField(
        allow_null=True, help_text=L("Rata-rata penilaian atasan langsung (1–5), 2 desimal.")
    )


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
    reaction = EvaluationReactionDoc(help_text=L("Survei reaksi (level 1)."))
    behaviour = EvaluationBehaviourDoc(help_text=L("Evaluasi pasca pelatihan (level 3)."))


def _mean(expression, condition):
    return Cast(Round(Avg(expression, filter=condition), 2), FloatField())


EVALUATION_COLUMNS = (
    "ev_survey_open",
    "ev_invited",
    "ev_responses",
    "ev_l1_mean",
    "ev_relevance_mean",
    "ev_relevance_answers",
    "ev_threshold",
    "ev_min_answers",
    "ev_l3_total",
    "ev_l3_submitted",
    "ev_l3_mean",
    "ev_l3_supervisor_mean",
)


def _r(value, places=2):
    return None if value is None else round(float(value), places)


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
        *EVALUATION_COLUMNS,
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
            **offering_evaluation_columns(),
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
                "reaction": {
                    "survey_open": bool(r[15]),
                    "invited": r[16],
                    "responses": r[17],
                    "response_rate": _r(r[17] * 100 / r[16], 1) if r[15] and r[16] else None,
                    "mean": _r(r[18]),
                    "relevance_mean": _r(r[19]),
                    "relevance_answers": r[20],
                    "relevance_flag": relevance_flagged(
                        mean=_r(r[19]), answers=r[20], threshold=r[21], min_answers=r[22]
                    ),
                },
                "behaviour": {
                    "assessments": r[23],
                    "submitted": r[24],
                    "mean": _r(r[25]),
                    "supervisor_mean": _r(r[26]),
                },
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
                "Termasuk survei reaksi (L1: jawaban, tingkat respons, rata-rata, relevansi dan "
                "tanda kurang relevan) dan evaluasi pasca pelatihan (L3); jawaban survei atau "
                "penilaian L3 yang tersimpan juga menampilkan ulang angkatannya."
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
