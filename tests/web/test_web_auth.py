"""Authentication and roles over HTTP: every API route needs a valid token; viewers cannot write."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.routing import iter_route_contexts

from precwatch.web.app import PUBLIC_PATHS
from tests.support.api import Api

WRITE_ROUTES = {
    ("POST", "/api/v1/incidents"),
    ("PUT", "/api/v1/incidents/{incident_id}"),
    ("PATCH", "/api/v1/incidents/{incident_id}"),
    ("POST", "/api/v1/incidents/{incident_id}/retract"),
}


def routes(api: Api) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, nested routers included (HEAD aside)."""
    found = set()
    for route in iter_route_contexts(api.client.app.routes):  # type: ignore[attr-defined]
        for method in route.methods or ():
            if method != "HEAD":
                found.add((method, route.path))
    return sorted(found)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "0123456789abcdef0123456789abcdef", path)


def bad_credentials(api: Api) -> dict[str, dict[str, str]]:
    """Headers that must all be refused: none, wrong scheme, garbage, expired, revoked, wrong secret."""
    hub, secret = api.hub, api.settings.hub.secret.get_secret_value()
    user = api.users["mx_admin"].id
    expired = hub.issue_token(user, datetime.now(UTC) - timedelta(seconds=1), secret=secret)[1]
    info, revoked = hub.issue_token(user, datetime.now(UTC) + timedelta(days=1), secret=secret)
    assert hub.revoke_token(info.id)
    other_secret = hub.issue_token(
        user, datetime.now(UTC) + timedelta(days=1), secret="another-secret-0123456789"
    )[1]
    return {
        "missing": {},
        "basic": {"Authorization": f"Basic {api.tokens['mx_admin']}"},
        "empty": {"Authorization": "Bearer "},
        "wrong": {"Authorization": "Bearer pwt_not-a-token"},
        "expired": {"Authorization": f"Bearer {expired}"},
        "revoked": {"Authorization": f"Bearer {revoked}"},
        "other-secret": {"Authorization": f"Bearer {other_secret}"},
    }


def test_every_api_route_answers_401_without_a_valid_token(api: Api) -> None:
    served = [(m, p) for m, p in routes(api) if not p.startswith("/ui")]  # pages: tests/web/ui/
    protected = [(m, p) for m, p in served if p not in PUBLIC_PATHS]
    assert all(p.startswith("/api/v1/") for _, p in protected), protected
    assert len(protected) >= 10
    for label, headers in bad_credentials(api).items():
        for method, path in protected:
            r = api.client.request(method, concrete(path), headers=headers, json={})
            assert r.status_code == 401, (label, method, path, r.status_code, r.text)
            assert r.headers["WWW-Authenticate"].startswith("Bearer"), (label, method, path)
            assert r.json()["detail"]
    # The same token works: the 401s above are about the credentials, not the routes.
    assert api.get("/api/v1/me", "mx_admin").status_code == 200


def test_the_only_open_routes_are_health_and_docs(api: Api) -> None:
    open_paths = {p for _, p in routes(api) if p in PUBLIC_PATHS}
    assert open_paths == {"/healthz", "/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"}
    assert api.client.get("/healthz").text == "ok"
    spec = api.client.get("/openapi.json").json()
    assert "/api/v1/incidents/{incident_id}" in spec["paths"]
    assert spec["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_a_failed_authentication_says_nothing_about_why(api: Api) -> None:
    bodies = {
        label: api.client.get("/api/v1/me", headers=h).json()
        for label, h in bad_credentials(api).items()
        if label not in ("missing", "basic", "empty")
    }
    assert len({str(b) for b in bodies.values()}) == 1, bodies


@pytest.mark.parametrize("user", ["mx_viewer", "us_viewer"])
def test_viewers_cannot_write(api: Api, user: str) -> None:
    own = api.create("mx_analyst", tlp="amber", shared_with_orgs=[api.orgs["US"].id])
    served = set(routes(api))
    assert served >= WRITE_ROUTES
    for method, path in sorted(WRITE_ROUTES):
        url = path.replace("{incident_id}", own["id"])
        body = {"reason": "x"} if url.endswith("/retract") else {"narrative": "changed"}
        if method in ("POST",) and not url.endswith("/retract"):
            body = {"type": "seizure", "occurred_on": "2025-01-01", "country": "MX"}
        r = api.request(method, url, user, json=body, headers={"If-Match": '"1"'})
        assert r.status_code == 403, (method, url, r.text)
    after = api.get(f"/api/v1/incidents/{own['id']}", user).json()
    assert after["version"] == 1 and after["retracted"] is None
    assert api.get("/api/v1/incidents", "mx_analyst").json()["total"] == 1


def test_partners_and_other_writers_cannot_change_someone_elses_record(api: Api) -> None:
    shared = api.create("mx_analyst", tlp="green")
    r = api.patch("us_analyst", shared["id"], 1, narrative="mine now")
    assert r.status_code == 403
    r = api.request("POST", f"/api/v1/incidents/{shared['id']}/retract", "us_admin", json={"reason": "no"})
    assert r.status_code == 403
    # A colleague in the owner organisation may.
    assert api.patch("mx_analyst2", shared["id"], 1, narrative="checked").status_code == 200


def test_me_and_orgs(api: Api) -> None:
    me = api.get("/api/v1/me", "us_viewer").json()
    assert me == {
        "user_id": api.users["us_viewer"].id,
        "email": "us_viewer@us.example",
        "role": "viewer",
        "org": {"id": api.orgs["US"].id, "name": "US agency", "country": "US"},
    }
    orgs = api.get("/api/v1/orgs", "us_viewer").json()
    assert [o["name"] for o in orgs] == ["MX agency", "US agency", "CN agency"]


def test_audit_is_for_admins_and_shows_their_organisation_only(api: Api) -> None:
    amber = api.create("mx_analyst", tlp="amber", shared_with_orgs=[api.orgs["US"].id])
    r = api.get(f"/api/v1/incidents/{amber['id']}", "us_analyst", headers={"X-Request-ID": "req-us-1"})
    assert r.status_code == 200 and r.headers["X-Request-ID"] == "req-us-1"
    for user in ("mx_analyst", "mx_viewer", "us_analyst"):
        assert api.get("/api/v1/audit", user).status_code == 403
    mx = api.get("/api/v1/audit", "mx_admin").json()["entries"]
    us = api.get("/api/v1/audit", "us_admin").json()["entries"]
    assert [(e["action"], e["resource_id"]) for e in mx] == [("incident.create", amber["id"])]
    assert {e["actor_org_id"] for e in mx} == {api.orgs["MX"].id}
    assert [(e["action"], e["resource_id"], e["request_id"]) for e in us] == [
        ("incident.read", amber["id"], "req-us-1")
    ]


def test_request_ids_are_generated_or_kept_when_well_formed(api: Api) -> None:
    r = api.get("/api/v1/me", "mx_admin", headers={"X-Request-ID": "bad id\twith spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["X-Request-ID"])
    assert api.client.get("/healthz").headers["X-Request-ID"]
