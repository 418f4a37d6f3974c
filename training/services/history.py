"""Decision history: every enrolment decision, record verification and plan step is kept."""

from django.contrib.contenttypes.models import ContentType

from training.models import HistoryEvent


def history_record(
    *,
    subject,
    action: str,
    actor=None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
) -> HistoryEvent:
    """Append one event to the history of `subject` (an object with a `region`)."""
    return HistoryEvent.objects.create(
        region_id=subject.region_id,
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        object_id=subject.pk,
        action=action,
        from_status=from_status or "",
        to_status=to_status or "",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason or "",
    )


def history_for(*, subject):
    """The events of one object, oldest first, with their actors (one query)."""
    return HistoryEvent.objects.filter(
        region_id=subject.region_id,
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        object_id=subject.pk,
    ).select_related("actor")
