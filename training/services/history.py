"""Decision history: every enrolment decision, record verification and plan step is kept
(writes; the reads are `training.selectors.history`)."""

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


def history_record_many(*, events: list[dict], actor=None) -> list[HistoryEvent]:
    """Append many events at once (one INSERT): each a dict of `subject`, `action` and
    optionally `from_status`, `to_status`, `reason` — the arguments of `history_record`."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return HistoryEvent.objects.bulk_create(
        HistoryEvent(
            region_id=event["subject"].region_id,
            content_type=ContentType.objects.get_for_model(
                event["subject"], for_concrete_model=True
            ),
            object_id=event["subject"].pk,
            action=event["action"],
            from_status=event.get("from_status") or "",
            to_status=event.get("to_status") or "",
            actor=user,
            reason=event.get("reason") or "",
        )
        for event in events
    )
