"""Integration: the Celery helpers of kompetensi.tasks (region-scoped tasks, queue on commit)."""

import logging
import threading

import pytest
from celery import shared_task
from django_scopes import get_scope
from kombu.exceptions import OperationalError as BrokerDown

from kompetensi.tasks import RegionTask, enqueue_on_commit, resolve_task

pytestmark = pytest.mark.django_db

calls = []


@shared_task(base=RegionTask, name="tests.region_probe", ignore_result=True)
def region_probe(region, word):
    calls.append((region, get_scope().get("region"), word))
    return region.slug


@pytest.fixture(autouse=True)
def _clear():
    calls.clear()


def test_region_task_loads_the_region_and_runs_in_its_scope(region):
    assert region_probe.apply(args=[region.pk, "halo"]).get() == region.slug
    assert region_probe(region.pk, "langsung") == region.slug  # a direct call, too
    assert calls == [(region, region, "halo"), (region, region, "langsung")]


def test_region_task_skips_a_region_that_is_gone_or_inactive(region):
    region.is_active = False
    region.save()
    assert region_probe.apply(args=[region.pk, "halo"]).get() is None
    assert region_probe.apply(args=[10**9, "halo"]).get() is None
    assert calls == []


def test_enqueue_on_commit_queues_once_the_transaction_commits(
    region, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit("tests.region_probe", region.pk, "nanti")
    assert len(callbacks) == 1 and calls == []
    callbacks[0]()
    assert calls == [(region, region, "nanti")]
    assert resolve_task("tests.region_probe").name == region_probe.name


def test_enqueue_on_commit_never_raises_when_the_broker_is_down(
    region, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(region_probe, "apply_async", refuse)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(region_probe, region.pk, "hilang")
    assert calls == []
    assert "Broker unavailable" in caplog.text and "tests.region_probe" in caplog.text


release = threading.Event()
finished = threading.Event()


@shared_task(name="tests.slow_probe", ignore_result=True)
def slow_probe():
    release.wait(10)
    finished.set()


def test_the_embedded_default_runs_tasks_beside_the_request_not_in_it(
    settings, django_capture_on_commit_callbacks
):
    """dev.sh: a long task must not hold the page that started it (issue 16 item 9)."""
    settings.KOMPETENSI_TASKS_IN_THREAD = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    release.clear()
    finished.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("tests.slow_probe")
    assert not finished.is_set()  # the caller went on while the task waits
    release.set()
    assert finished.wait(10)
    for thread in threading.enumerate():  # let the task's thread finish its own logging
        if thread.name == "kompetensi-task":
            thread.join(10)
