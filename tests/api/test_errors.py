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


def _v1_routes():
    """(list URLs, detail URLs) of every /api/v1/ endpoint, from the URL conf itself."""
    from kompetensi.api.urls import v1

    required = {"deleted/": "?resource=enrolments"}
    lists, details = [], []
    for pattern in v1:
        route = str(pattern.pattern)
        if "<int:pk>" in route:
            details.append("/api/v1/" + route.replace("<int:pk>", str(2**63 - 1)))
        else:
            lists.append("/api/v1/" + route + required.get(route, ""))
    return lists, details


LIST_URLS, DETAIL_URLS = _v1_routes()
CSV_URLS = {"/api/v1/development-records/siasn/"}  # the only endpoint with a CSV renderer


def _with(url, query):
    return url + ("&" if "?" in url else "?") + query


def test_the_route_walk_sees_every_endpoint():
    assert len(LIST_URLS) == 11 and len(DETAIL_URLS) == 7
    assert "/api/v1/development-records/siasn/" in LIST_URLS


UNKNOWN_FORMATS = [
    (url, fmt)
    for url in LIST_URLS
    for fmt in ("xml", "html", "api", "", "JSON", "json%20", "csv")
    if not (fmt == "csv" and url in CSV_URLS)
]


@pytest.mark.parametrize("url, fmt", UNKNOWN_FORMATS)
def test_unknown_format_is_400_on_every_list(api, region, url, fmt):
    response = api.get(_with(url, f"format={fmt}"))
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["message"]
    assert list(error["details"]) == ["format"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_json_format_is_valid_on_every_list(api, region, url):
    response = api.get(_with(url, "format=json"))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert api.get(_with(url, "format=json&format=xml")).status_code == 400


@pytest.mark.parametrize("url", DETAIL_URLS)
def test_unknown_format_is_400_on_single_resources_too(api, region, url):
    response = api.get(url + "?format=xml")
    assert response.status_code == 400
    assert response.json()["error"]["details"].keys() == {"format"}
    assert api.get(url + "?format=json").status_code == 404  # no such id: the usual 404


def test_unknown_format_on_a_write_is_400_and_creates_nothing(api, region):
    response = api.post(
        "/api/v1/enrolments/?format=xml",
        {"offering": 1, "nip": "1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"].keys() == {"format"}


def test_format_is_checked_after_authentication(anon_api, region):
    response = anon_api.get("/api/v1/enrolments/?format=xml")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
