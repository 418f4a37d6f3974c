"""Renumber the API sync positions and invalidate every cursor handed out so far.

    manage.py sync_reset

Run it once after restoring the database into another PostgreSQL cluster (pg_restore into a
new server): that cluster's transaction ids start below the positions stored in the rows, so
new changes would sort behind clients' cursors. Clients get `400 invalid_cursor` once and pull
again from the start. Harmless otherwise (clients re-pull everything once).
"""

from django.core.management.base import BaseCommand

from kompetensi.sync import sync_reset


class Command(BaseCommand):
    help = "Renumber API sync positions (after restoring into another PostgreSQL cluster)."

    def handle(self, *args, **options):
        marked = sync_reset()
        self.stdout.write(f"{marked} rows re-marked; clients restart their sync once.")
