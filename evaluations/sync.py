"""What the evaluation summaries of the API show of this app's rows (registered in
`EvaluationsConfig.ready()`; triggers: `kompetensi.sync`).

| list | shows | re-listed when |
| --- | --- | --- |
| evaluations (per batch) | L1 means, response count and relevance; L3 means and counts; the relevance flag | a survey response of the batch is saved (every save of answers touches its response), an L3 assessment of the batch is made, submitted or changed, or the region's relevance settings change (every batch of the region) |
"""

from kompetensi.sync import Cascade, register_cascades


def register() -> None:
    register_cascades(
        Cascade(
            name="survey_response_offerings",
            source="evaluations_surveyresponse",
            target="training_offering",
            uses=("offering_id",),
            inserts=True,
            deletes=True,
            target_ids="SELECT s.offering_id FROM {rows} s",
        ),
        Cascade(
            name="l3_assessment_offerings",
            source="evaluations_l3assessment",
            target="training_offering",
            uses=("offering_id",),
            inserts=True,
            deletes=True,
            target_ids="SELECT s.offering_id FROM {rows} s",
        ),
        Cascade(
            name="evaluation_settings_offerings",
            source="evaluations_evaluationsettings",
            target="training_offering",
            uses=("region_id",),
            watch=("relevance_threshold", "relevance_min_responses"),
            inserts=True,
            target_ids="SELECT t.id FROM training_offering t WHERE t.region_id IN "
            "(SELECT s.region_id FROM {rows} s)",
        ),
    )
