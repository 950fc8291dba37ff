"""Hardening of the hub's HTTP edge, on SQLite and PostgreSQL: authentication before the body, the body
limit, values the database cannot hold (2^63, NUL, lone surrogates, NaN), strict ids, real countries and
dates, literal search characters, idempotency keys, links that ignore the Host header, and the OpenAPI
document declaring every answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from precwatch.hub import Hub
from precwatch.settings import Settings, load_settings
from tests.support.api import Api, open_client, seizure
from tests.web.conftest import SECRET

API = "/api/v1/incidents"


def _raw(api: Api, user: str | None, body: bytes, method: str = "POST", url: str = API) -> Any:
    headers = {"Content-Type": "application/json"}
    if user:
        headers["Authorization"] = f"Bearer {api.tokens[user]}"
    return api.client.request(method, url, content=body, headers=headers)


def test_authentication_comes_before_the_body(api: Api) -> None:
    no_token = api.client.post(API, content=b"{bad", headers={"Content-Type": "application/json"})
    assert no_token.status_code == 401 and no_token.headers["WWW-Authenticate"].startswith("Bearer")
    bad_token = api.client.post(API, content=b"{bad", headers={"Authorization": "Bearer nope"})
    assert bad_token.status_code == 401 and 'error="invalid_token"' in bad_token.headers["WWW-Authenticate"]
    assert _raw(api, "mx_analyst", b"{bad").status_code == 422  # with a token, the body is read and refused


def test_bodies_past_the_limit_are_refused_before_they_are_read(api: Api) -> None:
    limit = api.settings.web.max_body_bytes
    big = json.dumps(seizure(narrative="x" * limit)).encode()
    assert _raw(api, "mx_analyst", big).status_code == 413
    assert _raw(api, None, big).status_code == 401  # no token: not even the size is looked at

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        yield b'{"narrative": "'
        for _ in range(limit // 65536 + 2):
            yield b"y" * 65536
        yield b'"}'

    headers = {**api.auth("mx_analyst"), "Content-Type": "application/json"}
    streamed = api.client.post(API, content=chunks(), headers=headers)
    assert streamed.status_code == 413, streamed.text
    assert api.get(API, "mx_analyst").json()["total"] == 0
    small = _raw(api, "mx_analyst", json.dumps(seizure()).encode())
    assert small.status_code == 201


@pytest.mark.parametrize(
    "params",
    [
        {"offset": 2**63},
        {"offset": 2**64 + 5},
        {"limit": 2**63},
        {"q": "npp\x00"},
        {"party": "\x00"},
        {"substance": "np\x00p"},
        {"country": "\x00X"},
        {"country": "ZZ"},
        {"country": "MEX"},
        {"since": "9999-12-31"},
        {"until": "20250101"},
        {"since": "1741910400"},
    ],
)
def test_out_of_range_and_nul_query_values_answer_422(api: Api, params: dict[str, Any]) -> None:
    r = api.get(API, "mx_viewer", params=params)
    assert r.status_code == 422, (params, r.status_code, r.text)


def test_audit_after_beyond_the_column_range_is_422(api: Api) -> None:
    assert api.get("/api/v1/audit", "mx_admin", params={"after": 2**31}).status_code == 422
    assert api.get("/api/v1/audit", "mx_admin", params={"after": 2**31 - 1}).status_code == 200


def test_nul_in_an_id_answers_422_and_not_500(api: Api) -> None:
    assert api.get(f"{API}/abc%00def", "mx_viewer").status_code == 422
    batch = api.request("POST", f"{API}:batch-get", "mx_viewer", json={"ids": ["a\x00b"]})
    assert batch.status_code == 422


@pytest.mark.parametrize(
    "changes",
    [
        {"shared_with_orgs": [2**63]},
        {"shared_with_orgs": [True]},
        {"shared_with_users": ["1"]},
        {"shared_with_orgs": [1.5]},
        {"country": "mx"},
        {"country": "ZZ"},
        {"occurred_on": "9999-01-01"},
        {"occurred_on": 1741910400},
        {"reported_on": 20250316},
        {"narrative": "nul \x00 byte"},
        {"place": "a\ud800b"},
        {"route": {"origin": {"country": "XX"}}},
    ],
)
def test_body_values_the_database_cannot_hold_answer_422(api: Api, changes: dict[str, Any]) -> None:
    body = json.dumps(seizure(**changes)).encode()  # json.dumps escapes a lone surrogate as \ud800
    r = _raw(api, "mx_analyst", body)
    assert r.status_code == 422, (changes, r.status_code, r.text)
    assert api.get(API, "mx_analyst").json()["total"] == 0


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_a_422_quoting_nan_or_a_lone_surrogate_is_still_json(api: Api, literal: bytes) -> None:
    body = json.dumps(seizure(quantity=0)).encode().replace(b'"quantity": 0', b'"quantity": ' + literal)
    r = _raw(api, "mx_analyst", body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]
    surrogate = json.dumps(seizure(unit=None)).encode().replace(b'"unit": null', b'"unit": "\\udc80"')
    r = _raw(api, "mx_analyst", surrogate)
    assert r.status_code == 422 and r.json()["detail"]


def test_country_codes_are_upper_case_iso_codes_listed_in_the_schema(api: Api) -> None:
    api.create("mx_analyst", country="MX")
    assert api.get(API, "mx_analyst", params={"country": "MX"}).json()["total"] == 1
    assert api.get(API, "mx_analyst", params={"country": "mx"}).status_code == 422
    document = api.client.get("/openapi.json").json()
    listed = document["components"]["schemas"]["IncidentIn"]["properties"]["country"]["enum"]
    assert {"MX", "US", "CN", "KR"} <= set(listed) and "ZZ" not in listed


def test_a_405_names_every_method_of_the_path(api: Api) -> None:
    r = api.request("DELETE", f"{API}/0123456789abcdef0123456789abcdef", "mx_analyst")
    assert r.status_code == 405
    allowed = set(r.headers["Allow"].split(", "))
    assert {"GET", "PUT", "PATCH"} <= allowed and not {"DELETE", "POST"} & allowed


def test_ids_are_json_integers(api: Api) -> None:
    us = api.orgs["US"].id
    made = api.request("POST", API, "mx_analyst", json=seizure(tlp="amber", shared_with_orgs=[float(us)]))
    assert made.status_code == 201, made.text
    assert made.json()["shared_with_orgs"] == [us]
    for wrong in (True, str(us)):
        r = api.request("POST", API, "mx_analyst", json=seizure(tlp="amber", shared_with_orgs=[wrong]))
        assert r.status_code == 422, wrong


@pytest.mark.parametrize("wildcard", ["%", "_", "*", "\\", "%%", "_%_", "\\%"])
def test_search_characters_are_literal_not_wildcards(api: Api, wildcard: str) -> None:
    api.create("mx_analyst")
    assert api.get(API, "mx_analyst", params={"q": "piperidone"}).json()["total"] == 1
    assert api.get(API, "mx_analyst", params={"party": "brightchem"}).json()["total"] == 1
    for name in ("q", "party"):
        page = api.get(API, "mx_analyst", params={name: wildcard}).json()
        assert page["total"] == 0, (name, wildcard)
    assert api.get(API, "mx_analyst", params={"party": "bright%chem"}).json()["total"] == 0
    assert api.get(API, "mx_analyst", params={"q": "%piperidone%"}).json()["total"] == 1  # `%` is a separator


def test_idempotency_keys(api: Api) -> None:
    empty = api.request("POST", API, "mx_analyst", json=seizure(), headers={"Idempotency-Key": ""})
    assert empty.status_code == 422
    key = {"Idempotency-Key": "same-key-1"}
    first = api.request("POST", API, "mx_analyst", json=seizure(), headers=key)
    colleague = api.request("POST", API, "mx_analyst2", json=seizure(), headers=key)
    assert (first.status_code, colleague.status_code) == (201, 201)
    assert colleague.json()["id"] == first.json()["id"]
    assert api.get(API, "mx_analyst").json()["total"] == 1


@pytest.fixture
def public_api(hub: Hub, db_url: str) -> Iterator[Api]:
    settings: Settings = load_settings(
        secret=SECRET, database_url=db_url, public_url="https://hub.example.org/", max_page_size=2
    )
    from tests.support.api import make_api

    with open_client(settings, hub) as client:
        yield make_api(client, hub, settings)


def test_links_use_the_configured_base_url_never_the_host_header(public_api: Api) -> None:
    for _ in range(3):
        created = public_api.request(
            "POST", API, "mx_analyst", json=seizure(), headers={"Host": "evil.example"}
        )
        assert created.headers["Location"].startswith("https://hub.example.org/api/v1/incidents/")
    page = public_api.get(API, "mx_analyst", params={"limit": 2}, headers={"Host": "evil.example"}).json()
    assert page["next"].startswith("https://hub.example.org/api/v1/incidents?")
    assert "evil" not in page["next"] and "offset=2" in page["next"]
    assert public_api.get(API, "mx_analyst", params={"limit": 3}).status_code == 422
    document = public_api.client.get("/openapi.json").json()
    limit = next(p for p in document["paths"][API]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 2  # the configured page size, as the document says
    audit = next(p for p in document["paths"]["/api/v1/audit"]["get"]["parameters"] if p["name"] == "limit")
    assert audit["schema"]["maximum"] == 1000  # its own bound, untouched


def test_next_links_are_relative_without_a_base_url(api: Api) -> None:
    for _ in range(2):
        api.create("mx_analyst")
    page = api.get(API, "mx_analyst", params={"limit": 1}, headers={"Host": "evil.example"}).json()
    assert page["next"].startswith("/api/v1/incidents?") and "offset=1" in page["next"]


def test_openapi_declares_every_answer_and_required_if_match(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {"400", "401", "403", "404", "413", "422"} <= declared, (method, path)
            headers = {p["name"].lower(): p for p in operation.get("parameters", []) if p["in"] == "header"}
            if "if-match" in headers:
                assert {"412", "428"} <= declared
                assert headers["if-match"]["required"] is (method in ("put", "patch", "delete"))
    assert "409" in document["paths"]["/api/v1/incidents/{incident_id}"]["patch"]["responses"]
