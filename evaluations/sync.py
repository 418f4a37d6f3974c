"""What the evaluation summaries of the API show of this app's rows (registered in
`EvaluationsConfig.ready()`; triggers: `kompetensi.sync`).

| list | shows | re-listed when |
| --- | --- | --- |
| evaluations (per batch) | L1 means, response count and relevance; L3 means and counts | a survey response of the batch is saved (every save of answers touches its response) or an L3 assessment of the batch is made, submitted or changed |
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
    )
