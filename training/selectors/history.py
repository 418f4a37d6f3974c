"""Reads of the decision history (written by `training.services.history`)."""

from django.contrib.contenttypes.models import ContentType

from training.models import HistoryEvent


def history_for(*, subject):
    """The events of one object, oldest first, with their actors (one query)."""
    return HistoryEvent.objects.filter(
        region_id=subject.region_id,
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        object_id=subject.pk,
    ).select_related("actor")
