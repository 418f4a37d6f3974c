"""Unit + integration: the registry of notification kinds that apps fill in their ready()."""

import pytest
from django.template.loader import get_template
from django_scopes import scope

from evaluations.notifications import Kind as EvaluationKind
from planning.notifications import Kind as PlanningKind
from regions.notifications import (
    NotificationKind,
    Target,
    get_kind,
    kind_icon,
    kind_label,
    notify,
    register_kinds,
    registered_kinds,
    render_message,
)
from tests.factories.training import EnrolmentFactory
from training.notifications import Kind


def test_training_and_evaluations_register_their_kinds():
    keys = [kind.key for kind in registered_kinds()]
    assert len(keys) == len(set(keys))
    assert set(keys) == {*Kind.values, *EvaluationKind.values, *PlanningKind.values}
    # Registration follows INSTALLED_APPS: training's kinds first.
    assert keys[: len(Kind.values)] == list(Kind.values)


@pytest.mark.parametrize("kind", registered_kinds(), ids=lambda kind: kind.key)
def test_every_kind_has_a_label_an_icon_and_an_email_template(kind):
    assert str(kind.label)
    assert kind.icon.startswith("bi-")
    assert get_template(kind.email_template)
    assert len(kind.key) <= 40  # Notification.kind


def test_labels_and_icons_come_from_the_registry():
    assert str(kind_label(Kind.ENROLMENT_CONFIRMED)) == "Pendaftaran terkonfirmasi"
    assert kind_icon(Kind.SESSION_REMINDER) == "bi-calendar-event"
    assert kind_icon(EvaluationKind.REPORT_READY) == "bi-file-earmark-text"
    # A kind no app registers (any more) still shows, without a label.
    assert kind_label("retired_kind") == ""
    assert kind_icon("retired_kind") == "bi-bell"
    with pytest.raises(ValueError):
        get_kind("retired_kind")


def test_a_taken_key_cannot_be_registered_again_with_another_meaning():
    existing = get_kind(Kind.SESSION_REMINDER)
    register_kinds(existing)  # the same kind again (a second ready()) is harmless
    with pytest.raises(ValueError):
        register_kinds(NotificationKind(key=existing.key, label="Lain"))
    with pytest.raises(ValueError):
        register_kinds(NotificationKind(key="x" * 41, label="Terlalu panjang"))
    assert get_kind(Kind.SESSION_REMINDER) is existing


@pytest.mark.django_db
def test_a_kind_registered_by_another_app_is_notified_and_rendered(
    region, employee, django_capture_on_commit_callbacks, monkeypatch
):
    """What a new app does: register a kind with a target and hooks, then notify()."""
    from regions.notifications import kinds

    monkeypatch.setattr(kinds, "_registry", dict(kinds._registry))
    register_kinds(
        NotificationKind(
            key="enrolment_noted",
            label="Catatan pendaftaran",
            icon="bi-sticky",
            template="notifications/email/enrolment_confirmed.txt",
            target=Target("training:my_enrolments"),
            context=lambda *, notification, subject, ctx: {"program_title": "Dari kait"},
            about=lambda *, subject, recipient: "Tentang kait",
        )
    )
    enrolment = EnrolmentFactory(region=region, employee=employee)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=employee, kind="enrolment_noted", subject=enrolment, dedup_key="noted"
        )
    assert notification.context["_about"] == "Tentang kait"
    assert notification.context["_url"] == f"/{region.slug}/pendaftaran-saya/"
    with scope(region=region):
        message = render_message(notification)
    assert "Dari kait" in message.subject + message.text
    assert message.url.endswith(f"/{region.slug}/pendaftaran-saya/")
