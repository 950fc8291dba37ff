"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against the hub served by
uvicorn in a thread on a free port, on a SQLite hub with three organisations and their users.

Without /usr/bin/chromium the tests are skipped with the reason, unless PRECWATCH_REQUIRE_BROWSER=1 (CI), where
they fail. Screenshots go to tests/browser/artifacts/ (git-ignored) under stable names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from precwatch.data import load_kb
from precwatch.hub import Hub
from precwatch.settings import load_settings
from tests.support.api import USERS, live_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = Path(__file__).parent / "artifacts"
SECRET = "browser-test-secret-0123456789"


@dataclass
class Site:
    """The served hub: its base URL, the hub under it, organisations and every user's token."""

    url: str
    hub: Hub
    orgs: dict[str, int]
    tokens: dict[str, str]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("PRECWATCH_REQUIRE_BROWSER") == "1":
            pytest.fail("PRECWATCH_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium fonts-wqy-microhei)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.db'}"
    hub = Hub.from_url(url, load_kb())
    hub.init()
    orgs = {c: hub.create_org(f"{c} agency", c).id for c in ("MX", "US", "CN")}
    tokens = {}
    for name, (org, role) in USERS.items():
        user = hub.create_user(f"{name}@{org.lower()}.example", orgs[org], role=role)  # type: ignore[arg-type]
        tokens[name] = hub.issue_token(user.id, datetime.now(UTC) + timedelta(days=1), secret=SECRET)[1]
    settings = load_settings(secret=SECRET, database_url=url)
    with live_server(settings, hub) as base:
        yield Site(base, hub, orgs, tokens)
    hub.close()


@pytest.fixture
def page_for(chromium: Any, site: Site) -> Iterator[Any]:
    """`page_for(user)`: a new browser context (its own cookies), signed in as `user` through the form."""
    contexts = []

    def open_as(user: str) -> Any:
        context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(site.url + "/ui/sign-in")
        page.fill("#token", site.tokens[user])
        page.click("#sign-in button[type=submit]")
        page.wait_for_url(site.url + "/ui/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot as tests/browser/artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
