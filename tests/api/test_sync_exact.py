"""Integration (PostgreSQL): a client that keeps a mirror by pulling from its stored cursors ends,
once writes stop, with exactly what a fresh full pull shows — whatever the length of the
writers' transactions, whatever joined record was renamed, deletions included.

The writers are real concurrent transactions: Django services in threads (their own database
connections) and raw SQL on separate psycopg2 connections (every write path gets a marker:
the triggers are in the database, not in the ORM).
"""

import datetime as dt
import threading
import time

import psycopg2
import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regions.models import Employee, Unit
from tests.api.conftest import settle
from tests.factories.regions import EmployeeFactory, UnitFactory, make_admin
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
    ProviderFactory,
    SessionFactory,
    SpeakerFactory,
)
from training.models import (
    DevelopmentForm,
    DevelopmentRecord,
    Enrolment,
    Offering,
    OfferingUnitQuota,
    Program,
    Provider,
    Session,
    Speaker,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LISTS = (
    "enrolments",
    "programmes",
    "offerings",
    "employees",
    "units",
    "development-records",
    "evaluations",
)


def _key(name: str, row: dict):
    return row["offering_id"] if name == "evaluations" else row["id"]


class Mirror:
    """What a sync client keeps: rows by id per list, the stored cursors, deletions applied."""

    def __init__(self, api, page_size: int = 7):
        self.api = api
        self.page_size = page_size
        self.rows: dict[str, dict] = {name: {} for name in LISTS}
        self.cursors: dict[str, str | None] = dict.fromkeys(LISTS)
        self.deleted_cursor: str | None = None

    def _follow(self, url: str) -> tuple[list[dict], str]:
        rows = []
        while url:
            response = self.api.get(url)
            assert response.status_code == 200, response.content
            body = response.json()
            assert body["cursor"], "every page hands out a cursor to store"
            rows += body["results"]
            cursor, url = body["cursor"], body["next"]
        return rows, cursor

    def _url(self, path: str, cursor: str | None) -> str:
        url = f"/api/v1/{path}?page_size={self.page_size}"
        return url + (f"&cursor={cursor}" if cursor else "")

    def pull(self) -> None:
        for name in LISTS:
            rows, self.cursors[name] = self._follow(self._url(f"{name}/", self.cursors[name]))
            for row in rows:
                self.rows[name][_key(name, row)] = row
        gone, self.deleted_cursor = self._follow(
            self._url("deleted/", self.deleted_cursor) + "&resource=development-records"
        )
        for tombstone in gone:
            self.rows["development-records"].pop(tombstone["id"], None)

    def fresh(self) -> dict[str, dict]:
        """A full pull from nothing: what the database shows now."""
        return {
            name: {_key(name, row): row for row in self._follow(self._url(f"{name}/", None))[0]}
            for name in LISTS
        }

    def assert_exact(self) -> None:
        settle()  # writes have stopped: wait until they are all below the horizon
        self.pull()
        fresh = self.fresh()
        for name in LISTS:
            assert self.rows[name] == fresh[name], f"the {name} mirror differs from the database"


@pytest.fixture
def world(region):
    """Two offerings of two programmes (one with a provider and a speaker), six participants
    in two units, a unit quota and a verified external record."""
    with scopes_disabled():
        units = [UnitFactory(region=region, code=f"U{i}") for i in range(2)]
        people = [EmployeeFactory(region=region, unit=units[i % 2]) for i in range(6)]
        provider = ProviderFactory(region=region)
        programmes = [
            ProgramFactory(region=region, provider=provider),
            ProgramFactory(region=region),
        ]
        offerings = [OfferingFactory(region=region, program=p, seats=10) for p in programmes]
        speaker = SpeakerFactory(region=region)
        SessionFactory(region=region, offering=offerings[0], speaker=speaker)
        OfferingUnitQuota.objects.create(
            region=region, offering=offerings[1], unit=units[0], seats=2
        )
        enrolments = [
            EnrolmentFactory(region=region, offering=offerings[i % 2], employee=person)
            for i, person in enumerate(people)
        ]
        records = [
            DevelopmentRecordFactory(verified=True, region=region, employee=person)
            for person in people[:2]
        ]
    return {
        "units": units,
        "people": people,
        "provider": provider,
        "programmes": programmes,
        "offerings": offerings,
        "speaker": speaker,
        "enrolments": enrolments,
        "records": records,
    }


def _writer_thread(body):
    """Run `body` in a thread with its own database connection; returns (thread, error box)."""
    errors = []

    def run():
        try:
            body()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_a_long_transaction_delays_its_rows_and_never_loses_them(api, region, world):
    """The reproduction from the issue: A cancels E1 and holds its transaction open (longer
    than the old 2-second lag) while B cancels E2 in another offering and commits at once."""
    from training.services.enrolment import enrolment_cancel

    admin = make_admin(region)
    e1, e2 = world["enrolments"][0], world["enrolments"][1]
    assert e1.offering_id != e2.offering_id
    mirror = Mirror(api)
    mirror.pull()
    holding, release = threading.Event(), threading.Event()

    def process_a():
        with scope(region=region), transaction.atomic():
            enrolment_cancel(enrolment=e1, actor=admin.user, reason="berhalangan", by_admin=True)
            holding.set()
            assert release.wait(30)

    thread, errors = _writer_thread(process_a)
    assert holding.wait(30)
    with scope(region=region):
        enrolment_cancel(enrolment=e2, actor=admin.user, reason="mutasi", by_admin=True)
    time.sleep(2.5)  # longer than the lag the timestamp sync relied on
    mirror.pull()
    # E2 committed, but behind A's open transaction: it waits (nothing is served past A).
    assert mirror.rows["enrolments"][e1.pk]["status"] == "confirmed"
    release.set()
    thread.join(30)
    assert not errors, errors
    mirror.assert_exact()
    assert mirror.rows["enrolments"][e1.pk]["status"] == "cancelled"
    assert mirror.rows["enrolments"][e2.pk]["status"] == "cancelled"


def test_completing_a_batch_in_a_long_transaction_reaches_the_client(api, region, world):
    from training.services.completion import offering_complete

    admin = make_admin(region)
    offering = world["offerings"][1]
    with scopes_disabled():
        Offering.objects.filter(pk=offering.pk).update(
            start_date=timezone.localdate() - dt.timedelta(days=3),
            end_date=timezone.localdate(),
            status=Offering.Status.RUNNING,
        )
    mirror = Mirror(api)
    mirror.pull()
    holding, release = threading.Event(), threading.Event()

    def complete():
        with scope(region=region), transaction.atomic():
            offering_complete(offering=Offering.objects.get(pk=offering.pk), actor=admin.user)
            holding.set()
            assert release.wait(30)

    thread, errors = _writer_thread(complete)
    assert holding.wait(30)
    other = world["enrolments"][0]  # another offering, committed meanwhile
    with scopes_disabled():
        Enrolment.objects.filter(pk=other.pk).update(pre_test_score=55)
    mirror.pull()
    release.set()
    thread.join(30)
    assert not errors, errors
    mirror.assert_exact()
    completed = [
        row for row in mirror.rows["enrolments"].values() if row["offering_id"] == offering.pk
    ]
    assert completed and all(row["status"] == "completed" for row in completed)
    from_batch = [
        row for row in mirror.rows["development-records"].values() if row["source"] == "enrolment"
    ]
    assert len(from_batch) == len(completed)
    assert mirror.rows["evaluations"][other.offering_id]["pre_test_mean"] == 55.0


# Each change alters what some listed rows show, without touching those rows themselves.
def _rename_employee(w):
    Employee.objects.filter(pk=w["people"][0].pk).update(name="Nama Baru", nip="199001012015011001")


def _move_employee(w):
    Employee.objects.filter(pk=w["people"][0].pk).update(unit=w["units"][1])


def _rename_unit(w):
    Unit.objects.filter(pk=w["units"][0].pk).update(code="DISDIK", name="Dinas Pendidikan")


def _reparent_unit(w):
    Unit.objects.filter(pk=w["units"][0].pk).update(parent=w["units"][1])
    Unit.objects.filter(pk=w["units"][1].pk).update(code="INDUK")


def _rename_offering(w):
    start = timezone.localdate() + dt.timedelta(days=20)
    Offering.objects.filter(pk=w["offerings"][0].pk).update(
        name="Angkatan Khusus", start_date=start, end_date=start + dt.timedelta(days=1)
    )


def _rename_programme(w):
    Program.objects.filter(pk=w["programmes"][0].pk).update(
        code="BARU-1", title="Judul Baru", jp=30, form_id=8
    )


def _rename_form(w):
    DevelopmentForm.objects.filter(pk=3).update(name="Diklat Teknis (ubah)")


def _rename_provider(w):
    Provider.objects.filter(pk=w["provider"].pk).update(name="Mitra Baru")


def _rename_speaker(w):
    Speaker.objects.filter(pk=w["speaker"].pk).update(name="Dr. Narasumber Baru")


def _add_session(w):
    SessionFactory(region=w["offerings"][1].region, offering=w["offerings"][1])


def _cancel_and_delete_sessions(w):
    Session.objects.filter(offering=w["offerings"][0]).update(status=Session.Status.CANCELLED)
    SessionFactory(region=w["offerings"][0].region, offering=w["offerings"][0])
    Session.objects.filter(offering=w["offerings"][0], status=Session.Status.SCHEDULED).delete()


def _change_quota(w):
    OfferingUnitQuota.objects.filter(offering=w["offerings"][1]).update(seats=5)


def _seat_and_scores(w):
    Enrolment.objects.filter(pk=w["enrolments"][0].pk).update(status=Enrolment.Status.CANCELLED)
    Enrolment.objects.filter(pk=w["enrolments"][1].pk).update(pre_test_score=40, post_test_score=90)


CHANGES = [
    _rename_employee,
    _move_employee,
    _rename_unit,
    _reparent_unit,
    _rename_offering,
    _rename_programme,
    _rename_form,
    _rename_provider,
    _rename_speaker,
    _add_session,
    _cancel_and_delete_sessions,
    _change_quota,
    _seat_and_scores,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_a_change_to_a_joined_record_relists_every_row_that_shows_it(api, world, change):
    mirror = Mirror(api)
    mirror.pull()
    with scopes_disabled():
        change(world)
    mirror.assert_exact()


def test_a_withdrawn_record_leaves_the_mirror(api, region, world):
    from training.services.records import record_withdraw

    mirror = Mirror(api)
    mirror.pull()
    with scopes_disabled():
        record = DevelopmentRecordFactory(
            verified=True,
            region=region,
            employee=world["people"][3],
            status=DevelopmentRecord.Status.SUBMITTED,
        )
    mirror.pull()
    assert record.pk in mirror.rows["development-records"]
    person = world["people"][3]
    with scope(region=region):
        record_withdraw(record=record, employee=person, user=person.user)
    mirror.assert_exact()
    assert record.pk not in mirror.rows["development-records"]


# --- Random interleavings of raw-SQL writers and pulls ------------------------------------------


def _raw_connection():
    s = connection.settings_dict
    conn = psycopg2.connect(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
    )
    with conn.cursor() as cursor:
        # A writer that would wait for another writer's row lock gives up instead: the test
        # drives every connection from one thread.
        cursor.execute("SET lock_timeout = '100ms'")
    conn.commit()
    return conn


RAW_WRITES = {
    "enrolment_status": (
        "UPDATE training_enrolment SET status = %s, updated_at = now() WHERE id = %s",
        st.sampled_from(["confirmed", "cancelled", "completed", "no_show"]),
        "enrolments",
    ),
    "enrolment_score": (
        "UPDATE training_enrolment SET post_test_score = %s, updated_at = now() WHERE id = %s",
        st.integers(0, 100),
        "enrolments",
    ),
    "employee_name": (
        "UPDATE regions_employee SET name = %s, updated_at = now() WHERE id = %s",
        st.text("abcdefghij ", min_size=1, max_size=12),
        "people",
    ),
    "unit_name": (
        "UPDATE regions_unit SET name = %s, updated_at = now() WHERE id = %s",
        st.text("klmnopqrs ", min_size=1, max_size=12),
        "units",
    ),
    "programme_title": (
        "UPDATE training_program SET title = %s, updated_at = now() WHERE id = %s",
        st.text("tuvwxyz ", min_size=1, max_size=12),
        "programmes",
    ),
    "offering_name": (
        "UPDATE training_offering SET name = %s, updated_at = now() WHERE id = %s",
        st.text("ABCDEFG ", min_size=1, max_size=12),
        "offerings",
    ),
}

step = st.one_of(
    st.tuples(st.just("pull")),
    st.tuples(st.just("commit"), st.integers(0, 2)),
    st.tuples(st.just("rollback"), st.integers(0, 2)),
    st.tuples(
        st.just("write"),
        st.integers(0, 2),
        st.sampled_from(sorted(RAW_WRITES)),
        st.integers(0, 5),
        st.data(),
    ),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_random_interleavings_of_writers_and_pulls_end_exact(api, world, steps):
    writers = [_raw_connection() for _ in range(3)]
    mirror = Mirror(api, page_size=4)
    try:
        for item in steps:
            kind = item[0]
            if kind == "pull":
                mirror.pull()
            elif kind in ("commit", "rollback"):
                getattr(writers[item[1]], kind)()
            else:
                _kind, w, name, index, data = item
                sql, values, objects = RAW_WRITES[name]
                rows = world[objects]
                value = data.draw(values)
                try:
                    with writers[w].cursor() as cursor:
                        cursor.execute(sql, (value, rows[index % len(rows)].pk))
                except psycopg2.errors.LockNotAvailable:
                    writers[w].rollback()
        for writer in writers:
            writer.commit()
        mirror.assert_exact()
    finally:
        for writer in writers:
            writer.close()
