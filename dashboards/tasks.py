"""Background work of the dashboards: recompute cached figures after the data changed."""

from celery import shared_task
from django.db import OperationalError
from django.utils import translation

from .caching import release_refresh
from .refresh import REFRESHERS, refresh


@shared_task(
    name="dashboards.tasks.refresh_figures",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=3,
    ignore_result=True,
)
def refresh_figures(kind: str, args: list, language: str, lock: str) -> None:
    """Recompute one dashboard's cached figures (dashboards.caching); unknown kinds are
    ignored (a message from an older release)."""
    try:
        if kind in REFRESHERS:
            with translation.override(language):
                refresh(kind, args)
    finally:
        release_refresh(lock)
