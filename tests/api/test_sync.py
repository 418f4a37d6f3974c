"""Integration: keyset sync never misses a row — ties, rows changing mid-pass, resuming from a
cursor, `updated_since`, the safety lag, deletions as tombstones."""

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.api.conftest import settle
from tests.factories.regions import EmployeeFactory, TombstoneFactory
from tests.factories.training import EnrolmentFactory, OfferingFactory
from training.models import Enrolment

# Real commits: a row's sync position is the transaction that wrote it, so changes between two
# pulls must be separate transactions, as they are for a real client (one test transaction
# would give every row the same position on PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

T0 = timezone.make_aware(dt.datetime(2026, 5, 1, 8, 0))


def _enrolments(region, n, *, stamp=T0):
    """n enrolments of distinct employees in one offering, all with the same updated_at."""
    with scopes_disabled():
        offering = OfferingFactory(region=region, seats=500)
        ids = [
            EnrolmentFactory(
                region=region, offering=offering, employee=EmployeeFactory(region=region)
            ).pk
            for _ in range(n)
        ]
        Enrolment.objects.filter(pk__in=ids).update(updated_at=stamp)
    return ids


@pytest.fixture
def api(api):
    """The API client, each request made once this test's writes are below the horizon."""
    get = api.get

    def settled_get(*args, **kwargs):
        settle()
        return get(*args, **kwargs)

    api.get = settled_get
    return api


def _position(cursor: str) -> tuple[int, int]:
    from kompetensi.api.pagination import decode_cursor

    _epoch, marker, pk = decode_cursor("enrolments", cursor)
    return marker, pk


def _pull(api, url):
    """Follow `next` to the end; return (ids in order, last cursor, pages)."""
    ids, pages, cursor = [], 0, None
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        cursor = body["cursor"]
        url = body["next"]
        pages += 1
    return ids, cursor, pages


def test_pages_cover_every_row_once_even_when_all_share_one_timestamp(api, region):
    ids = _enrolments(region, 7)
    pulled, cursor, pages = _pull(api, "/api/v1/enrolments/?page_size=3")
    assert pulled == sorted(ids)
    assert pages == 3
    assert cursor is not None


def test_next_keeps_the_filters(api, region):
    _enrolments(region, 4)
    body = api.get("/api/v1/enrolments/?page_size=2&status=confirmed").json()
    assert "status=confirmed" in body["next"]
    assert "page_size=2" in body["next"]
    assert body["next"].startswith("http://testserver/api/v1/enrolments/?")


def test_a_row_changed_while_paging_is_delivered_again_later_never_skipped(api, region):
    ids = _enrolments(region, 6)
    first = api.get("/api/v1/enrolments/?page_size=3").json()
    seen = [r["id"] for r in first["results"]]
    # While the client is between pages, an early row and a late row change.
    with scopes_disabled():
        Enrolment.objects.filter(pk__in=[ids[0], ids[4]]).update(
            updated_at=T0 + dt.timedelta(minutes=5), status="cancelled"
        )
    rest, _cursor, _pages = _pull(api, first["next"])
    assert set(seen + rest) == set(ids)
    assert rest[-2:] == [ids[0], ids[4]]  # the changed rows come again, in their new place
    changed = api.get(f"/api/v1/enrolments/{ids[0]}/").json()
    assert changed["status"] == "cancelled"  # cancellations are state, not deletions


def test_resuming_from_the_cursor_returns_only_what_changed(api, region):
    ids = _enrolments(region, 3)
    _all, cursor, _pages = _pull(api, "/api/v1/enrolments/")
    empty = api.get(f"/api/v1/enrolments/?cursor={cursor}").json()
    assert {k: v for k, v in empty.items() if k != "cursor"} == {
        "results": [],
        "next": None,
        "has_more": False,
    }
    # An empty page still hands out a cursor: the horizon, which never moves back (it moves on
    # as soon as anything else in the database commits).
    assert _position(empty["cursor"]) >= _position(cursor)
    with scopes_disabled():
        Enrolment.objects.filter(pk=ids[1]).update(updated_at=T0 + dt.timedelta(hours=1))
    changed, new_cursor, _pages = _pull(api, f"/api/v1/enrolments/?cursor={cursor}")
    assert changed == [ids[1]]
    assert new_cursor != cursor


def test_updated_since_filters_from_that_instant(api, region):
    old = _enrolments(region, 2, stamp=T0)
    new = _enrolments(region, 2, stamp=T0 + dt.timedelta(days=1))
    body = api.get("/api/v1/enrolments/?updated_since=2026-05-02T00:00:00%2B07:00").json()
    assert [r["id"] for r in body["results"]] == sorted(new)
    # An unencoded "+" arrives as a space and is understood all the same.
    body = api.get("/api/v1/enrolments/?updated_since=2026-05-02T00:00:00+07:00").json()
    assert [r["id"] for r in body["results"]] == sorted(new)
    body = api.get("/api/v1/enrolments/?updated_since=2026-05-01").json()
    assert {r["id"] for r in body["results"]} == set(old + new)


def test_a_row_written_later_with_an_older_timestamp_is_still_delivered(api, region):
    """The lost-row bug of the timestamp sync: a transaction that stamped its rows early and
    committed late put them behind clients' cursors. Positions now follow the writes."""
    first = _enrolments(region, 1, stamp=T0 + dt.timedelta(hours=1))
    pulled, cursor, _pages = _pull(api, "/api/v1/enrolments/")
    assert pulled == first
    late = _enrolments(region, 1, stamp=T0)  # an older updated_at than what was pulled
    later, _cursor, _pages = _pull(api, f"/api/v1/enrolments/?cursor={cursor}")
    assert later == late
    # Single resources are never delayed.
    assert api.get(f"/api/v1/enrolments/{late[0]}/").status_code == 200


@pytest.mark.parametrize(
    "cursor",
    ["xx", "not base64 !", "WyJ1bml0cyIsIjIwMjYtMTEtMjRUMjM6MTI6MzEuODE5MTY1KzAwOjAwIiwxXQ", "W10"],
)
def test_malformed_or_foreign_cursors_are_400(api, region, cursor):
    response = api.get(f"/api/v1/enrolments/?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_page_size_is_capped_at_1000(api, region):
    assert api.get("/api/v1/enrolments/?page_size=1000").status_code == 200
    for size in ("1001", "0", "-5", "abc", "99999999999999999999999"):
        response = api.get(f"/api/v1/enrolments/?page_size={size}")
        assert response.status_code == 400
        assert response.json()["error"]["details"].keys() == {"page_size"}


def test_deletions_are_tombstones_with_their_own_cursor(api, region, other_region):
    TombstoneFactory(region=region, resource="development-records", object_id=11, deleted_at=T0)
    TombstoneFactory(
        region=region,
        resource="development-records",
        object_id=12,
        deleted_at=T0 + dt.timedelta(hours=1),
    )
    TombstoneFactory(region=region, resource="enrolments", object_id=13, deleted_at=T0)
    TombstoneFactory(region=other_region, resource="development-records", object_id=14)
    body = api.get("/api/v1/deleted/?resource=development-records&page_size=1").json()
    assert body["results"] == [
        {"resource": "development-records", "id": 11, "deleted_at": "2026-05-01T01:00:00+00:00"}
    ]
    rest = api.get(body["next"]).json()
    assert [r["id"] for r in rest["results"]] == [12]
    since = api.get(
        "/api/v1/deleted/?resource=development-records&since=2026-05-01T08:30:00%2B07:00"
    ).json()
    assert [r["id"] for r in since["results"]] == [12]
    missing = api.get("/api/v1/deleted/")
    assert missing.status_code == 400
    assert missing.json()["error"]["details"].keys() == {"resource"}


def test_a_cursor_of_the_timestamp_sync_asks_the_client_to_start_again(api, region):
    import base64

    import orjson

    old = base64.urlsafe_b64encode(
        orjson.dumps(["enrolments", "2026-11-24T23:12:31.819165+00:00", 1])
    ).decode()
    response = api.get(f"/api/v1/enrolments/?cursor={old.rstrip('=')}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_cursor"
    assert "tanpa cursor" in error["message"]


def test_sync_reset_renumbers_and_invalidates_every_cursor(api, region):
    import io

    from django.core.management import call_command

    ids = _enrolments(region, 2)
    _all, cursor, _pages = _pull(api, "/api/v1/enrolments/")
    call_command("sync_reset", stdout=io.StringIO())
    stale = api.get(f"/api/v1/enrolments/?cursor={cursor}")
    assert stale.status_code == 400
    assert "tanpa cursor" in stale.json()["error"]["message"]
    again, new_cursor, _pages = _pull(api, "/api/v1/enrolments/")
    assert again == sorted(ids)
    assert api.get(f"/api/v1/enrolments/?cursor={new_cursor}").json()["results"] == []


def test_the_cursor_is_never_null_even_for_an_empty_or_future_pull(api, region):
    _enrolments(region, 1)
    body = api.get("/api/v1/enrolments/?updated_since=2999-01-01T00:00:00%2B07:00").json()
    assert body["results"] == [] and body["cursor"]
    # Resuming from it brings what changes afterwards.
    later = _enrolments(region, 1)
    pulled, _cursor, _pages = _pull(api, f"/api/v1/enrolments/?cursor={body['cursor']}")
    assert pulled == later
