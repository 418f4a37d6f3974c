"""A read replica of PostgreSQL, ready to use where reads may lag the primary a little.

Set `DATABASE_REPLICA_URL` and `settings.DATABASES` gains a `replica` alias (tests mirror it
to `default`). Nothing reads from it implicitly — read-your-own-writes stays true everywhere:
code that can live with a replica's lag (dashboards, the API's list pulls; see docs/scaling.md
for the sync's visibility rule) asks for it with `Model.objects.using(read_alias())`.
`PrimaryReplicaRouter` keeps every write and every migration on the primary.
"""

from django.conf import settings

REPLICA = "replica"


def read_alias() -> str:
    """The alias to read lag-tolerant data from: the replica when configured, else default."""
    return REPLICA if REPLICA in settings.DATABASES else "default"


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return None  # the caller chooses with .using(read_alias()); default otherwise

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
