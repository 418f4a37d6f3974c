"""Create a national, read-only API client (reads every region with ?region=<slug>).

    manage.py create_national_api_client "Dashboard Nasional" --by admin --expires-days 365

Prints the token once; only its hash is stored.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regions.api_clients import api_client_create


class Command(BaseCommand):
    help = "Create a national read-only API client and print its token (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Client name, e.g. the system that will use it.")
        parser.add_argument(
            "--by", required=True, help="Username of the superuser creating the client."
        )
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Validity in days (default: none)."
        )

    def handle(self, *args, name, by, expires_days, **options):
        user = get_user_model().objects.filter(username=by).first()
        if user is None or not user.is_superuser:
            raise CommandError(f"{by!r} is not a superuser.")
        expires_at = None
        if expires_days is not None:
            if expires_days < 1:
                raise CommandError("--expires-days must be at least 1.")
            expires_at = timezone.now() + dt.timedelta(days=expires_days)
        try:
            issued = api_client_create(
                region=None, name=name, scopes=["read"], created_by=user, expires_at=expires_at
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"National API client {issued.client.name!r} created.")
        self.stdout.write("Token (shown once, store it now):")
        self.stdout.write(issued.token)
