"""System checks of training's data (run with `manage.py check --database default`)."""

from django.core.checks import Tags, Warning, register


@register(Tags.database)
def jp_rules_check(app_configs=None, databases=None, **kwargs):
    """Programmes whose JP break the form's conversion rule over a batch's dates."""
    if not databases:
        return []
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import DatabaseError

    from training.selectors.jp_checks import jp_rule_violations

    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return []  # `migrate` runs checks before it migrates: nothing to read yet
        violations = jp_rule_violations()
    except DatabaseError:
        return []
    return [
        Warning(
            f"{v.region}: programme {v.program_code} ({v.offering}) claims {v.jp} JP, more than "
            f"its form allows over the batch's dates ({v.maximum} JP).",
            hint="Correct the programme's JP or the batch's dates; completion awards at most "
            "the allowed JP.",
            id="training.W001",
        )
        for v in violations
    ]
