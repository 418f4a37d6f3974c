"""Integration: bad input gets a clear 4xx in the error shape, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    ("/api/v1/enrolments/?colour=red", "unknown_parameter"),
    ("/api/v1/enrolments/?status=finished", "invalid_parameter"),
    ("/api/v1/enrolments/?status=", "invalid_parameter"),
    ("/api/v1/enrolments/?offering=abc", "invalid_parameter"),
    ("/api/v1/enrolments/?offering=0", "invalid_parameter"),
    ("/api/v1/enrolments/?offering=99999999999999999999", "invalid_parameter"),
    ("/api/v1/enrolments/?offering=1&offering=2", "invalid_parameter"),
    ("/api/v1/enrolments/?updated_since=yesterday", "invalid_parameter"),
    ("/api/v1/enrolments/?updated_since=2026-13-45", "invalid_parameter"),
    ("/api/v1/enrolments/?updated_since=0001-01-01T00:00:00%2B14:00", "invalid_parameter"),
    ("/api/v1/enrolments/?updated_since=9999-12-31T23:59:59-14:00", "invalid_parameter"),
    ("/api/v1/enrolments/?requested_from=31-01-2026", "invalid_parameter"),
    ("/api/v1/enrolments/?nip=%00", "invalid_parameter"),
    ("/api/v1/enrolments/?programme=" + "x" * 300, "invalid_parameter"),
    ("/api/v1/enrolments/?cursor=%00%00", "invalid_cursor"),
    ("/api/v1/employees/?active=maybe", "invalid_parameter"),
    ("/api/v1/development-records/?year=20266", "invalid_parameter"),
    ("/api/v1/development-records/siasn/?kind=riwayat", "invalid_parameter"),
    ("/api/v1/deleted/?resource=users", "invalid_parameter"),
]


@pytest.mark.parametrize("url, code", BAD_QUERIES)
def test_bad_queries_are_400_with_the_parameter_named(api, region, url, code):
    response = api.get(url)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["details"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/enrolments/99999999999999999999999/",
        "/api/v1/enrolments/9223372036854775808/",
        "/api/v1/enrolments/-1/",
        "/api/v1/enrolments/abc/",
        "/api/v1/nothing/",
        "/api/v2/enrolments/",
    ],
)
def test_unknown_things_are_json_404(api, region, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_missing_slash_points_to_the_right_url(api, region):
    error = api.get("/api/v1/enrolments").json()["error"]
    assert error["details"] == {"did_you_mean": "/api/v1/enrolments/"}


def test_wrong_method_is_405_in_the_error_shape(api, region):
    response = api.delete("/api/v1/enrolments/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert api.post("/api/v1/units/", {}, content_type="application/json").status_code == 405


@pytest.mark.parametrize(
    "body, content_type, status, code",
    [
        ("{not json", "application/json", 400, "malformed_json"),
        ("[1, 2]", "application/json", 400, "validation_error"),
        ('{"offering": "x", "nip": 5}', "application/json", 400, "validation_error"),
        ('{"offering": 1}', "application/json", 400, "validation_error"),
        (
            '{"offering": 99999999999999999999999, "nip": "1"}',
            "application/json",
            400,
            "validation_error",
        ),
        ("offering=1&nip=2", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ],
)
def test_bad_bodies_are_rejected_cleanly(api, region, body, content_type, status, code):
    response = api.post("/api/v1/enrolments/", body, content_type=content_type)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code


def test_bad_idempotency_key_is_400(api, region):
    response = api.post(
        "/api/v1/enrolments/",
        {"offering": 1, "nip": "1"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="a" * 81,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"


def test_messages_are_indonesian_by_default_and_codes_stable(anon_api, region):
    error = anon_api.get("/api/v1/enrolments/").json()["error"]
    assert error["code"] == "not_authenticated"
    assert "Token API tidak dikirim" in error["message"]
