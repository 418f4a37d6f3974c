"""What the API's sync lists of this app show, and which changes must re-list a row.

Registered in `TrainingConfig.ready()`; the triggers themselves are `kompetensi.sync`. Each
cascade below names the joined fields it keeps current (see the `*_FIELDS` of the API views):

| list | joined fields | re-listed when |
| --- | --- | --- |
| enrolments | offering name/dates, programme code/title/jp/form, form name, employee NIP/name/unit, unit code/name | any of those rows changes those fields |
| programmes | form name/kind/structural, provider name | the form or provider changes |
| offerings (+ evaluation summaries) | programme code/title, sessions, reserved seats, seats taken, test-score means | a programme, session, speaker, unit quota or enrolment changes |
| development records | employee NIP/name, form name | the employee or form changes |
"""

from kompetensi.sync import Cascade, register_cascades, register_synced

ENROLMENTS_OF_OFFERINGS = "SELECT t.id FROM training_enrolment t WHERE t.offering_id IN ({ids})"


def register() -> None:
    from .models import DevelopmentRecord, Enrolment, Offering, Program

    register_synced(Program, Offering, Enrolment, DevelopmentRecord)
    register_cascades(
        # People and units shown on enrolments and records.
        Cascade(
            name="unit_enrolments",
            source="regions_unit",
            target="training_enrolment",
            watch=("code", "name"),
            target_ids="SELECT t.id FROM training_enrolment t JOIN regions_employee m "
            "ON m.id = t.employee_id WHERE m.unit_id IN (SELECT s.id FROM {rows} s)",
        ),
        Cascade(
            name="employee_enrolments",
            source="regions_employee",
            target="training_enrolment",
            watch=("nip", "name", "unit_id"),
            target_ids="SELECT t.id FROM training_enrolment t WHERE t.employee_id IN "
            "(SELECT s.id FROM {rows} s)",
        ),
        Cascade(
            name="employee_records",
            source="regions_employee",
            target="training_developmentrecord",
            watch=("nip", "name"),
            target_ids="SELECT t.id FROM training_developmentrecord t WHERE t.employee_id IN "
            "(SELECT s.id FROM {rows} s)",
        ),
        # The national forms of development (rarely edited; every region follows).
        Cascade(
            name="form_programmes",
            source="training_developmentform",
            target="training_program",
            watch=("name", "kind", "is_structural"),
            target_ids="SELECT t.id FROM training_program t WHERE t.form_id IN "
            "(SELECT s.id FROM {rows} s)",
        ),
        Cascade(
            name="form_enrolments",
            source="training_developmentform",
            target="training_enrolment",
            watch=("name",),
            target_ids="SELECT t.id FROM training_enrolment t JOIN training_offering o "
            "ON o.id = t.offering_id JOIN training_program p ON p.id = o.program_id "
            "WHERE p.form_id IN (SELECT s.id FROM {rows} s)",
        ),
        Cascade(
            name="form_records",
            source="training_developmentform",
            target="training_developmentrecord",
            watch=("name", "is_structural"),
            target_ids="SELECT t.id FROM training_developmentrecord t WHERE t.form_id IN "
            "(SELECT s.id FROM {rows} s)",
        ),
        Cascade(
            name="provider_programmes",
            source="training_provider",
            target="training_program",
            watch=("name",),
            target_ids="SELECT t.id FROM training_program t WHERE t.provider_id IN "
            "(SELECT s.id FROM {rows} s)",
        ),
        # Programmes shown on offerings and enrolments.
        Cascade(
            name="programme_offerings",
            source="training_program",
            target="training_offering",
            watch=("code", "title"),
            target_ids="SELECT t.id FROM training_offering t WHERE t.program_id IN "
            "(SELECT s.id FROM {rows} s)",
        ),
        Cascade(
            name="programme_enrolments",
            source="training_program",
            target="training_enrolment",
            watch=("code", "title", "jp", "form_id"),
            target_ids=ENROLMENTS_OF_OFFERINGS.format(
                ids="SELECT o.id FROM training_offering o WHERE o.program_id IN "
                "(SELECT s.id FROM {rows} s)"
            ),
        ),
        # Offerings shown on enrolments.
        Cascade(
            name="offering_enrolments",
            source="training_offering",
            target="training_enrolment",
            watch=("name", "start_date", "end_date", "program_id"),
            target_ids=ENROLMENTS_OF_OFFERINGS.format(ids="SELECT s.id FROM {rows} s"),
        ),
        # What an offering (and its evaluation summary) shows of other rows.
        Cascade(
            name="session_offerings",
            source="training_session",
            target="training_offering",
            uses=("offering_id",),
            watch=(
                "offering_id",
                "title",
                "starts_at",
                "ends_at",
                "location",
                "status",
                "speaker_id",
            ),
            inserts=True,
            deletes=True,
            target_ids="SELECT s.offering_id FROM {rows} s",
        ),
        Cascade(
            name="speaker_offerings",
            source="training_speaker",
            target="training_offering",
            watch=("name",),
            target_ids="SELECT x.offering_id FROM training_session x WHERE x.speaker_id IN "
            "(SELECT s.id FROM {rows} s)",
        ),
        Cascade(
            name="quota_offerings",
            source="training_offeringunitquota",
            target="training_offering",
            uses=("offering_id",),
            watch=("offering_id", "seats"),
            inserts=True,
            deletes=True,
            target_ids="SELECT s.offering_id FROM {rows} s",
        ),
        Cascade(
            name="enrolment_offerings",
            source="training_enrolment",
            target="training_offering",
            uses=("offering_id",),
            watch=("offering_id", "status", "pre_test_score", "post_test_score"),
            inserts=True,
            deletes=True,
            target_ids="SELECT s.offering_id FROM {rows} s",
        ),
    )
