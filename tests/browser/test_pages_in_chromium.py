"""The hub's pages in a real browser (Chromium via Playwright): sign in, record an amber incident shared with
one partner and check another partner cannot see it anywhere, switch to Chinese, the dashboard chart draws,
upload a file and download its report, respond to a notification as the importing country."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.conftest import SECRET, Site, shot
from tests.support.notifications import notification

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_sign_in_with_a_token_opens_the_dashboard(chromium: Any, site: Site, page_for: Any) -> None:
    context = chromium.new_context()
    page = context.new_page()
    page.goto(site.url + "/ui/incidents")
    assert page.url.endswith("/ui/sign-in")  # no page without a session
    shot(page, "01-sign-in")
    page.fill("#token", "pwt_wrong")
    page.click("#sign-in button[type=submit]")
    page.wait_for_selector("p.error")
    assert "unknown, expired or revoked" in page.inner_text("main")
    context.close()
    page = page_for("mx_analyst")
    assert page.inner_text("header .who").startswith("mx_analyst@mx.example")
    shot(page, "02-dashboard-empty")


def test_an_amber_incident_shared_with_one_partner_is_invisible_to_another(site: Site, page_for: Any) -> None:
    owner = page_for("mx_analyst")
    owner.goto(site.url + "/ui/incidents/new")
    owner.select_option("select[name=type]", "seizure")
    owner.fill("input[name=occurred_on]", "2025-04-02")
    owner.fill("input[name=country]", "MX")
    owner.fill("input[name=place]", "Lazaro Cardenas pier 4")
    owner.fill("input[name=substances_text]", "N-phenethyl-4-piperidone 300 kg")
    owner.fill("input[name=origin]", "CN")
    owner.fill("input[name=destination]", "MX")
    owner.select_option("select[name=tlp]", "amber")
    owner.check(f"input[name=shared_with_orgs][value='{site.orgs['US']}']")
    shot(owner, "03-incident-form")
    owner.click("form button[type=submit] >> text=Save")
    owner.wait_for_selector("h1 .tlp-amber")
    incident_url = owner.url
    assert "Lazaro Cardenas pier 4" in owner.inner_text("main")
    shot(owner, "04-incident-detail")

    partner = page_for("us_analyst")
    partner.goto(incident_url)
    assert "Lazaro Cardenas pier 4" in partner.inner_text("main")
    partner.goto(site.url + "/ui/")
    assert incident_url.rsplit("/", 1)[1] in partner.content()  # recent partner activity

    other = page_for("cn_analyst")
    response = other.goto(incident_url)
    assert response is not None and response.status == 404
    for url in ("/ui/", "/ui/incidents", "/ui/incidents?q=Lazaro"):
        other.goto(site.url + url)
        assert "pier 4" not in other.content() and incident_url.rsplit("/", 1)[1] not in other.content()
    other.goto(site.url + "/ui/")
    assert other.inner_text("#total") == "0"
    shot(other, "05-other-partner-dashboard")


def test_switching_language_shows_chinese(site: Site, page_for: Any) -> None:
    page = page_for("mx_analyst")
    page.click("header .lang button[value=zh]")
    page.wait_for_selector("html[lang=zh]")
    assert "仪表板" in page.inner_text("h1")
    page.click("header nav >> text=事件")
    assert "事件" in page.inner_text("h1")
    shot(page, "06-incidents-zh")
    page.click("header .lang button[value=es]")
    page.wait_for_selector("html[lang=es]")
    assert "Incidentes" in page.inner_text("h1")
    assert "aseguramiento" in page.inner_text("main")  # the record's type, translated
    shot(page, "06-incidents-es")
    page.goto(site.url + "/ui/kb/npp")  # the language is kept (cookie) across pages
    page.wait_for_selector("html[lang=es]")
    assert "N-fenetil-4-piperidona" in page.inner_text("main")
    shot(page, "11-kb-substance-es")


def test_the_dashboard_chart_renders_with_data(site: Site, page_for: Any) -> None:
    page = page_for("mx_analyst")
    page.goto(site.url + "/ui/")
    page.wait_for_selector("#substances-chart[data-rendered]")
    assert int(page.get_attribute("#substances-chart", "data-rendered") or 0) >= 1
    painted = page.evaluate(
        """() => { const c = document.getElementById('substances-chart');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"""
    )
    assert painted > 1000
    shot(page, "07-dashboard-chart")


def test_upload_a_file_and_download_its_report(site: Site, page_for: Any, tmp_path: Path) -> None:
    page = page_for("mx_analyst")
    page.click("header nav >> text=Screening")
    page.set_input_files("#upload input[name=file]", str(EXAMPLES / "declarations_screen.csv"))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#state[data-state=done]", timeout=60_000)
    rows = page.locator("#flagged tbody tr")
    assert rows.count() >= 1
    page.click("#flagged th:nth-child(3)")  # sort by score, highest first
    scores = [int(s) for s in page.locator("#flagged tbody tr td:nth-child(3)").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    shot(page, "08-screening-results")
    with page.expect_download() as info:
        page.click("#download-report")
    saved = tmp_path / "report.html"
    info.value.save_as(saved)
    assert "<html" in saved.read_text(encoding="utf-8").lower()
    assert info.value.suggested_filename == "declarations_screen-report.html"
    # The report works on its own, offline: its inlined script (allowed by its CSP hash) pages and filters.
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(saved.as_uri())
    page.wait_for_function("document.querySelector('.page-info').textContent.length > 0")
    assert page.inner_text(".page-info").startswith("1 / 1")
    page.fill("input.table-filter", "anpp")
    visible = page.locator("#flagged tbody tr:not([hidden])")
    assert visible.count() >= 1 and all("anpp" in t.lower() for t in visible.all_inner_texts())
    assert not errors, errors
    shot(page, "09-static-report")


def test_respond_to_a_notification(site: Site, page_for: Any) -> None:
    exporter = site.hub.authenticate(site.tokens["cn_analyst"], SECRET)
    assert exporter is not None
    sent = site.hub.create_notification(exporter, notification(reference="CN-BROWSER-7"))
    page = page_for("mx_analyst")  # an analyst of the importing country
    page.click("header nav >> text=Notifications")
    page.wait_for_selector(f"#n-{sent['id']}")
    assert page.inner_text(f"#n-{sent['id']} .state") == "submitted"
    page.click(f"#n-{sent['id']} >> text=Open")
    page.fill("#act-object input[name=reason]", "importer unknown to COFEPRIS")
    page.click("#act-object button[type=submit]")
    page.wait_for_selector("#state[data-state=objected]")
    main = page.inner_text("main")
    assert "importer unknown to COFEPRIS" in main
    assert page.locator("form.act").count() == 0  # objected is final
    shot(page, "10-notification-objected")
    assert site.hub.get_notification(exporter, sent["id"])["state"] == "objected"  # type: ignore[index]
