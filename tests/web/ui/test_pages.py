"""The pages over HTTP: sign-in and sessions, CSRF, security headers, forms, conflicts, languages, KB."""

from __future__ import annotations

import json
import re

from fastapi.routing import iter_route_contexts

from precwatch.web.ui.render import SECURITY_HEADERS
from precwatch.web.ui.session import COOKIE
from tests.support.api import Api
from tests.support.pages import Browser


def page_routes(api: Api) -> list[tuple[str, str]]:
    found = set()
    for route in iter_route_contexts(api.client.app.routes):  # type: ignore[attr-defined]
        path = getattr(route, "path", "")
        for method in getattr(route, "methods", None) or ():
            if path.startswith("/ui") and method != "HEAD":
                found.add((method, path))
    return sorted(found)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "npp", path)


def test_no_page_answers_without_a_session(api: Api) -> None:
    anonymous = Browser(api)
    routes = page_routes(api)
    assert len(routes) >= 10
    for method, path in routes:
        if path.startswith(("/ui/sign-in", "/ui/static/")):  # static assets are public
            continue
        r = anonymous.client.request(method, concrete(path), data={"csrf": "x"})
        assert r.status_code == 303, (method, path, r.status_code)
        assert r.headers["location"] == "/ui/sign-in"
    forged = Browser(api)
    forged.client.cookies.set(COOKIE, "eyJ1IjoxfQ.forged.signature")
    assert forged.client.get("/ui/").status_code == 303


def test_sign_in_sets_a_secure_httponly_strict_cookie_and_sign_out_ends_it(api: Api) -> None:
    browser = Browser(api)
    r = browser.sign_in(api.tokens["mx_analyst"])
    assert r.status_code == 303 and r.headers["location"] == "/ui/"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith(COOKIE))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    assert api.tokens["mx_analyst"] not in cookie
    assert "mx_analyst@mx.example" in browser.get("/ui/").text
    assert browser.post("/ui/sign-out", {}).status_code == 303
    assert browser.client.get("/ui/").status_code == 303


def test_a_bad_token_is_refused_plainly(api: Api) -> None:
    r = Browser(api).sign_in("pwt_not-a-token")
    assert r.status_code == 401
    assert "unknown, expired or revoked" in r.text
    assert COOKIE not in r.headers.get("set-cookie", "")


def test_every_form_post_needs_the_csrf_value(api: Api) -> None:
    browser = Browser(api, "mx_analyst")
    anon = Browser(api)
    assert (
        anon.client.post("/ui/sign-in", data={"token": api.tokens["mx_analyst"], "csrf": "x"}).status_code
        == 403
    )
    assert browser.post("/ui/sign-out", {}, csrf="wrong").status_code == 403
    body = {"type": "seizure", "occurred_on": "2025-01-02", "country": "MX", "tlp": "green"}
    assert browser.post("/ui/incidents/new", body, csrf="").status_code == 403
    assert (
        api.hub.count_incidents(api.hub.authenticate(api.tokens["mx_analyst"], "hub-test-secret-0123456789"))
        == 0
    )  # type: ignore[arg-type]


def test_pages_carry_the_security_headers(api: Api) -> None:
    browser = Browser(api, "mx_analyst")
    for url in ("/ui/", "/ui/incidents", "/ui/kb", "/ui/kb/npp", "/ui/sign-in"):
        r = browser.get(url)
        assert r.status_code == 200, url
        for name, value in SECURITY_HEADERS.items():
            assert r.headers[name] == value, (url, name)
        assert "<script>" not in r.text and " on" + "click=" not in r.text
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp and "unsafe-inline" not in csp


def test_record_an_incident_through_the_form_and_open_it(api: Api) -> None:
    browser = Browser(api, "mx_analyst")
    assert browser.get("/ui/incidents/new").status_code == 200
    body = {"type": "seizure", "occurred_on": "2025-04-02", "country": "MX", "place": "Lázaro Cárdenas",
            "substances_text": "4-anilinopiperidine 200 kg", "tlp": "amber", "origin": "CN", "destination": "MX",
            "shared_with_orgs": [str(api.orgs["US"].id)]}  # fmt: skip
    r = browser.post("/ui/incidents/new", body)
    assert r.status_code == 303, r.text
    page = browser.get(r.headers["location"]).text
    assert "Lázaro Cárdenas" in page and "TLP:AMBER" in page and "US agency" in page
    assert "4-Anilinopiperidine" in page or "4-anilinopiperidine" in page.lower()
    assert "Audit trail" in page and "incident.create" in page


def test_an_invalid_form_comes_back_with_the_message(api: Api) -> None:
    browser = Browser(api, "mx_analyst")
    r = browser.post(
        "/ui/incidents/new", {"type": "seizure", "occurred_on": "2025-04-02", "country": "Mexico"}
    )
    assert r.status_code == 422
    assert "country" in r.text and 'value="Mexico"' in r.text


def test_a_stale_edit_is_refused_and_the_conflict_shown_plainly(api: Api) -> None:
    inc = api.create("mx_analyst", tlp="green")
    first, second = Browser(api, "mx_analyst"), Browser(api, "mx_analyst2")
    form1 = first.get(f"/ui/incidents/{inc['id']}/edit").text
    second.get(f"/ui/incidents/{inc['id']}/edit")
    assert 'name="version" value="1"' in form1
    body = {"type": "seizure", "occurred_on": "2025-03-14", "country": "MX", "tlp": "green", "version": "1"}
    assert second.post(f"/ui/incidents/{inc['id']}/edit", body | {"place": "Veracruz"}).status_code == 303
    r = first.post(f"/ui/incidents/{inc['id']}/edit", body | {"place": "Tampico"})
    assert r.status_code == 409
    assert "NOT saved" in r.text and "version 2" in r.text
    current = api.get(f"/api/v1/incidents/{inc['id']}", "mx_analyst").json()
    assert current["place"] == "Veracruz"


def test_the_language_switcher_gives_spanish_and_chinese_with_local_formats(api: Api) -> None:
    api.create("mx_analyst", tlp="green")
    browser = Browser(api, "mx_analyst")
    zh = browser.get("/ui/incidents?lang=zh")
    assert '<html lang="zh">' in zh.text and "事件" in zh.text and "登记事件" in zh.text
    assert "2025年3月14日" in zh.text
    assert "仪表板" in browser.get("/ui/").text  # remembered in a cookie
    es = browser.get("/ui/incidents?lang=es").text
    assert "Registrar un incidente" in es and "14 mar 2025" in es
    assert "Record an incident" in browser.get("/ui/incidents?lang=en").text


def test_the_kb_browser_shows_names_controls_and_the_structure(api: Api) -> None:
    browser = Browser(api, "us_viewer")
    page = browser.get("/ui/kb/npp").text
    assert "39742-60-4" in page and "/ui/kb/npp.svg" in page and "Table I" in page
    svg = browser.get("/ui/kb/npp.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    found = browser.get("/ui/kb/suggest?q=phenethyl-4-pip").json()
    assert any(s["cas"] == "39742-60-4" for s in found)
    assert browser.get("/ui/kb/no-such-substance").status_code == 404


def test_the_api_docs_load_only_vendored_assets(api: Api) -> None:
    for path in ("/docs", "/redoc"):
        html = api.client.get(path).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/ui/static/vendor/") for a in assets), (path, assets)
        assert "cdn" not in html.lower() and "fonts.googleapis" not in html
        for asset in assets:
            assert api.client.get(asset).status_code == 200, asset


def test_screen_an_uploaded_file_and_download_results_and_report(api: Api, tmp_path: object) -> None:
    import time
    from pathlib import Path

    owner, other = Browser(api, "mx_analyst"), Browser(api, "us_analyst")
    owner.get("/ui/screening")
    data = Path("examples/declarations_screen.csv").read_bytes()
    r = owner.client.post(
        "/ui/screening",
        data={"kind": "declarations", "csrf": owner.csrf},
        files={"file": ("declarations_screen.csv", data, "text/csv")},
    )
    assert r.status_code == 303, r.text
    run_url = r.headers["location"]
    for _ in range(600):
        page = owner.get(run_url).text
        if 'data-state="running"' not in page:
            break
        time.sleep(0.1)
    assert 'data-state="done"' in page, page
    assert "<td>" in page and 'id="flagged"' in page
    results = owner.get(run_url + "/results.jsonl")
    lines = [json.loads(x) for x in results.text.splitlines() if x.strip()]
    assert lines and {"id", "score", "level", "reasons"} <= set(lines[0])
    assert any(x["level"] == "high" for x in lines)
    report = owner.get(run_url + "/report.html")
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    assert "<html" in report.text.lower()
    assert other.get(run_url).status_code == 404  # a run is private to its user
    assert other.get(run_url + "/results.jsonl").status_code == 404


def test_the_market_page_shows_vendors_and_offers_over_time(api: Api) -> None:
    from pathlib import Path

    from precwatch.web.demo import seed_market

    assert seed_market(api.hub, Path("examples")) == 6
    page = Browser(api, "cn_analyst").get("/ui/market")
    assert page.status_code == 200
    chart = json.loads(re.search(r'id="offers-data">(.*?)</script>', page.text).group(1))  # type: ignore[union-attr]
    assert chart["months"] == ["2024-03-01", "2024-06-01", "2024-09-15"] and chart["series"]
    assert page.text.count("<tr><td><code>") >= 2  # vendor rows
    assert "made-in-china" in page.text and "tradehub" in page.text


def test_a_session_expires_after_its_lifetime(api: Api, monkeypatch: object) -> None:
    import time

    from precwatch.web.ui import session

    browser = Browser(api, "mx_analyst")
    assert browser.client.get("/ui/").status_code == 200
    later = time.time() + session.SESSION_HOURS * 3600 + 60
    monkeypatch.setattr(session.time, "time", lambda: later)  # type: ignore[attr-defined]
    assert browser.client.get("/ui/").status_code == 303


def test_the_incident_list_pages_through_the_visible_records(api: Api) -> None:
    for i in range(30):
        api.create("mx_analyst", tlp="green", place=f"Dock {i:02d}")
    browser = Browser(api, "us_viewer")
    first = browser.get("/ui/incidents?country=MX").text
    assert first.count('">Open</a>') == 25 and "1–25 of 30" in first
    assert 'href="?country=MX&offset=25"' in first
    second = browser.get("/ui/incidents?country=MX&offset=25").text
    assert second.count('">Open</a>') == 5
