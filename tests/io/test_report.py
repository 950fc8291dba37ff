"""The HTML report: right counts, hostile text shown as text, nothing fetched from anywhere."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import precwatch
from precwatch.core.screening.records import Declaration, Listing, Party
from precwatch.core.screening.verdict import Reason, Verdict
from precwatch.io.records import Reject
from precwatch.io.report import Provenance, ReportCollector

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "div", "b", "span", "figure", "svg",
    "text", "rect", "figcaption", "table", "tr", "th", "td", "ul", "li", "code", "br", "pre",
    "line", "thead", "tbody", "input", "button", "a", "script",
}  # fmt: skip


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def level(score: int) -> str:
    return "high" if score >= 70 else "medium" if score >= 40 else "low" if score >= 15 else "none"


def collect(max_flagged: int = 500) -> ReportCollector:
    rc = ReportCollector("listings", "2026.11.1", f"listings{HOSTILE}.jsonl", max_flagged=max_flagged)
    npp = tuple(precwatch.identify_text("NPP 39742-60-4"))
    for i, score in enumerate([0, 5, 20, 45, 75, 90, 100, 130, 0, 40]):
        reasons: tuple[Reason, ...] = (
            (Reason("controlled-substance", 60, f"names NPP {HOSTILE}"),) if score >= 40 else ()
        )
        if score >= 15:
            reasons += (Reason("evasion-phrase", 15, "'we change the name to pass customs'"),)
        listing = Listing(f"L{i}", i + 1, title=f"NPP {HOSTILE}", url=f"https://evil.example/{HOSTILE}",
                          contacts=("Wickr: x",))  # fmt: skip
        rc.add(
            Verdict(f"L{i}{HOSTILE}", score, level(score), reasons, npp if score >= 40 else (), line=i + 1),
            listing,
        )
    rc.add_reject(Reject("listings.jsonl", 12, "id", "missing id", HOSTILE))
    rc.add_reject(Reject("listings.jsonl", 13, None, "not valid JSON", "{"))
    return rc


def test_counts_by_level_and_reasons() -> None:
    rc = collect()
    assert rc.by_level == {"none": 3, "low": 1, "medium": 2, "high": 4}
    assert (rc.read, rc.scored, rc.rejected) == (12, 10, 2)
    assert rc.histogram == [3, 0, 1, 0, 2, 0, 0, 1, 0, 1, 2]
    assert (rc.reasons["controlled-substance"].count, rc.reasons["controlled-substance"].weight) == (6, 360)
    assert rc.reasons["evasion-phrase"].count == 7
    html = rc.render()
    parser = Tags()
    parser.feed(html)
    text = re.sub(r"\s+", " ", " ".join(parser.text))
    assert "read 12 = scored 10 + rejected 2; 7 flagged" in text
    assert "controlled-substance 6 360" in text


def test_flagged_records_keep_the_highest_scores_in_bounded_memory() -> None:
    rc = collect(max_flagged=3)
    assert [(f.id[:2], f.score) for f in rc.flagged()] == [("L7", 130), ("L6", 100), ("L5", 90)]
    assert "the 3 highest scores listed" in rc.render()
    flagged = collect().flagged()
    assert [f.score for f in flagged] == [130, 100, 90, 75, 45, 40, 20]
    assert flagged[0].substances == (("npp", "39742-60-4", "listed", ("NPP", "39742-60-4")),)


def test_hostile_text_is_shown_as_text() -> None:
    html = collect().render()
    parser = Tags()
    parser.feed(html)
    assert parser.tags <= ALLOWED_TAGS, parser.tags - ALLOWED_TAGS
    assert not [name for name, _ in parser.attrs if name.startswith("on") or name == "src"]
    links = [v or "" for name, v in parser.attrs if name == "href"]
    assert all(v.startswith(("#kb-", "https://evil.example/")) for v in links), links
    assert html.count("<script") == 1 and "<img" not in html  # only the inlined table script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#34;&#39;&amp;" in html
    assert HOSTILE in "".join(parser.text)  # the analyst still reads exactly what was sent


def test_the_page_is_self_contained() -> None:
    html = collect().render()
    assert html.startswith("<!doctype html>") and '<meta charset="utf-8">' in html
    assert "default-src 'none'" in html
    outside_records = html.replace("https://evil.example/", "")
    script = re.search(r"<script>(.*)</script>", html, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html  # the CSP allows exactly the inlined script
    outside_records = outside_records.replace(script.group(0), "")
    assert not re.search(r"https?://|//[a-z]|@import|url\(|<link|<script", outside_records, re.I)
    assert "https://evil.example/&lt;script&gt;" in html  # the listing's URL, escaped, as text


def test_declaration_facts_and_an_empty_run() -> None:
    rc = ReportCollector("declarations", "2026.11.1", "d.csv")
    d = Declaration("D1", 2, shipper=Party("Hebei Chem", "", "CN"), consignee=Party("Quimica SA", "", "MX"),
                    hs_code="2933.39", quantity=25.0, unit="kg", value_usd=1200.0, transport_mode="express",
                    port_of_discharge="Lazaro Cardenas", description="pharmaceutical intermediate")  # fmt: skip
    rc.add(Verdict("D1", 50, "medium", (Reason("vague-description", 50, "stop-word"),)), d)
    (f,) = rc.flagged()
    assert dict(f.facts) == {
        "shipper": "Hebei Chem (CN)", "consignee": "Quimica SA (MX)", "goods": "HS 2933.39 25 kg USD 1,200.00 express",
        "route": "Lazaro Cardenas", "description": "pharmaceutical intermediate",
    }  # fmt: skip
    empty = ReportCollector("declarations", "2026.11.1", "empty.csv").render()
    assert "No record was flagged." in empty and "every record read was screened" in empty


def test_reasons_evidence_first_by_weight_and_a_log_histogram_with_thresholds() -> None:
    rc = ReportCollector("declarations", "2026.11.1", "d.csv", provenance=Provenance(
        "2026.11.1", "policy-7", (("ofac.csv", "ab" * 32),), "cd" * 32))  # fmt: skip
    reasons = (Reason("route", 10, "CN to MX"), Reason("vague-description", 5, "'powder'"),
               Reason("hs-mismatch", 30, "HS"), Reason("controlled-substance", 60, "NPP"))  # fmt: skip
    rc.add(Verdict("D1", 100, "high", reasons))
    for i in range(300):
        rc.add(Verdict(f"N{i}", 0, "none", ()))
    (f,) = rc.flagged()
    assert [code for code, _, _ in f.reasons] == [
        "controlled-substance",
        "hs-mismatch",
        "route",
        "vague-description",
    ]
    html = rc.render()
    assert "policy-7" in html and "sha256:" + "ab" * 32 in html and "sha256:" + "cd" * 32 in html
    heights = [int(h) for h in re.findall(r'<rect x="\d+" y="\d+" width="36" height="(\d+)"', html)]
    assert heights[0] == 300 and heights[-1] > 30  # 1 record next to 300 is still a visible bar
    assert html.count("stroke-dasharray") == 3  # high, medium and low thresholds


def test_every_flagged_record_is_listed_by_default() -> None:
    rc = ReportCollector("declarations", "2026.11.1", "d.csv")
    for i in range(1200):
        rc.add(Verdict(f"D{i}", 50, "medium", (Reason("vague-description", 50, "x"),)))
    assert len(rc.flagged()) == 1200
    assert rc.render().count("<tr><td><code>D") == 1200
