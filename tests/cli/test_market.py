"""`precwatch market` end to end on the sample snapshots: ingest, vendors, offers, judge, diff, report, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from precwatch.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "examples/market"
EXCERPT = ROOT / "tests/data/watchlists/ofac-sdn-2024-05-03-excerpt.csv"
DATES = ("2024-03-01", "2024-06-01", "2024-09-15")


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["market", *args, "--db", str(db)], catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("market") / "market.db"
    for d in DATES:
        r = run(path, "ingest", str(SAMPLES / "made-in-china" / d), "--platform", "made-in-china", "--captured-at", d,
                "--no-systematic")  # fmt: skip
        assert r.exit_code == 0, r.output
        r = run(path, "ingest", str(SAMPLES / "tradehub" / f"{d}.jsonl"), "--platform", "tradehub", "--captured-at", d,
                "--no-systematic")  # fmt: skip
        assert r.exit_code == 0, r.output
    return path


def vendors(db: Path, *extra: str) -> list[dict[str, Any]]:
    r = run(db, "vendors", "--format", "jsonl", *extra)
    assert r.exit_code == 0, r.output
    return [json.loads(line) for line in r.stdout.splitlines()]


def by_name(records: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(v for v in records if name in v["names"])


def test_ingest_reports_counts_and_rejects(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    rejects = tmp_path / "rejects.jsonl"
    r = run(db, "ingest", str(SAMPLES / "tradehub/2024-06-01.jsonl"), "--platform", "tradehub",
            "--captured-at", "2024-06-01", "--rejects", str(rejects), "--no-systematic")  # fmt: skip
    assert r.exit_code == 0
    assert "read 4 items: 3 stored (1 salvaged" in r.stderr and "1 rejected" in r.stderr
    (reject,) = [json.loads(x) for x in rejects.read_text().splitlines()]
    assert (reject["file"], reject["line"]) == ("2024-06-01.jsonl", 4) and "not JSON" in reject["reason"]
    bad = run(db, "ingest", str(SAMPLES), "--platform", "x", "--captured-at", "June", "--no-systematic")
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_vendors_are_resolved_across_names_and_platforms(db: Path) -> None:
    records = vendors(db)
    renamed = by_name(records, "Hangzhou Ruixin Chemical Co., Ltd.")
    assert renamed["names"] == [
        "Hangzhou Ruixin Chemical Co., Ltd.",
        "Zhejiang Brightpath Materials Co., Ltd.",
    ]
    assert renamed["evidence"][0]["via"] == "tel:+8615811112222"
    cross = by_name(records, "HY Global Supply")
    assert cross["platforms"] == ["made-in-china", "tradehub"]
    assert {e["via"] for e in cross["evidence"]} == {"telegram:hengyu_chem"}
    assert cross["first_seen"] == "2024-03-01" and cross["last_seen"] == "2024-09-15"
    kangte, kangtai = (
        by_name(records, "Hubei Kangte Biotech Co., Ltd."),
        by_name(records, "Hubei Kangtai Biotech Co., Ltd."),
    )
    assert kangte["vendor_id"] != kangtai["vendor_id"]
    assert kangtai["platforms"] == ["made-in-china", "tradehub"]
    for v in records:  # the platform's own addresses never became a vendor's
        assert not any(c["value"].rpartition("@")[2] == "made-in-china.com" for c in v["contacts"])
    assert len(records) == 8
    assert vendors(db) == records  # stable ids and order


def test_the_sdn_listed_whatsapp_number_is_flagged_by_phone(db: Path) -> None:
    harbor = by_name(vendors(db, "--watchlist", str(EXCERPT)), "Golden Harbor Pharmtech Co., Ltd.")
    hit = harbor["watchlist_hits"][0]
    assert (hit["name"], hit["via"], hit["value"]) == (
        "YANTAI YIXUN INTERNATIONAL TRADE CO., LTD.",
        "phone",
        "+8613188782935",
    )


def test_offers_follow_the_contract(db: Path) -> None:
    r = run(db, "offers", "--format", "jsonl")
    offers = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(offers) == 25
    first = offers[0]
    assert set(first) >= {
        "listing_id",
        "snapshot",
        "platform",
        "captured_at",
        "vendor_id",
        "title",
        "price",
        "matches",
        "signals",
    }
    npp = next(o for o in offers if o["listing_id"].endswith("ruixin-npp.html"))
    assert {m["substance"] for m in npp["matches"]} == {"npp"}
    assert {s["signal"] for s in npp["signals"]} >= {
        "delivery-to-mexico",
        "safe-delivery",
        "customs-renaming",
    }
    table = run(db, "offers", "--format", "table", "--snapshot", "tradehub@2024-09-15")
    assert "th-1004" in table.stdout and "th-1001" not in table.stdout


def test_diff_shows_the_move_to_the_masked_analogue(db: Path) -> None:
    r = run(db, "diff", "2024-06-01", "2024-09-15")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    lianfeng = by_name(vendors(db), "Wuhan Lianfeng Biotech Co., Ltd.")["vendor_id"]
    assert [(x["vendor_id"], x["from"], x["to"]) for x in d["displacements"]] == [
        (lianfeng, "4-ap", "1-boc-4-ap")
    ]
    assert (
        "made-in-china|https://www.made-in-china.com/products/lianfeng-4-ap.html" in d["offers"]["vanished"]
    )
    missing = run(db, "diff", "2023-01-01", "2024-09-15")
    assert missing.exit_code == 1 and "no such snapshot" in missing.output


def test_the_diff_table_names_vendors_and_what_the_offers_sell(db: Path) -> None:
    r = run(db, "diff", "2024-06-01", "2024-09-15", "--format", "table")
    assert r.exit_code == 0, r.output
    assert "vanished  tradehub|th-1001  'NPP 1-phenethyl-4-piperidone' [npp]" in r.stdout
    assert "(Wuhan Lianfeng Biotech Co., Ltd.) sold 4-ap, now offers 1-boc-4-ap" in r.stdout


def test_judgements_are_respected_on_the_next_run(tmp_path: Path, db: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    hengyu = by_name(vendors(copy), "HY Global Supply")
    r = run(copy, "judge", "th-1001", "https://www.made-in-china.com/products/hengyu-npp.html", "--different")
    assert r.exit_code == 0, r.output
    after = vendors(copy)
    assert not any(
        {"th-1001", "https://www.made-in-china.com/products/hengyu-npp.html"} <= set(v["listings"])
        for v in after
    )
    kangte, kangtai = (
        by_name(after, "Hubei Kangte Biotech Co., Ltd."),
        by_name(after, "Hubei Kangtai Biotech Co., Ltd."),
    )
    r = run(
        copy, "judge", kangte["vendor_id"], kangtai["vendor_id"], "--same", "--note", "same factory address"
    )
    assert r.exit_code == 0, r.output
    merged = by_name(vendors(copy), "Hubei Kangte Biotech Co., Ltd.")
    assert "Hubei Kangtai Biotech Co., Ltd." in merged["names"]
    assert {"rule": "analyst-same", "via": "same factory address"}.items() <= merged["evidence"][0].items()
    assert hengyu["vendor_id"]
    assert run(copy, "judge", "nope", "th-1001", "--same").exit_code == 1


def test_report_and_ftm_export(tmp_path: Path, db: Path) -> None:
    out = tmp_path / "report.html"
    r = run(db, "report", "--out", str(out), "--watchlist", str(EXCERPT))
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert (
        "<svg" in html
        and "<polyline" in html
        and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert "YANTAI YIXUN" in html and "1-boc-4-ap" in html and "stroke-dasharray" in html
    ftm = tmp_path / "vendors.ftm.jsonl"
    r = run(db, "export", "--ftm", str(ftm))
    assert r.exit_code == 0, r.output
    entities = [json.loads(line) for line in ftm.read_text().splitlines()]
    harbor = next(
        e for e in entities if "Golden Harbor Pharmtech Co., Ltd." in e["properties"].get("name", [])
    )
    assert harbor["schema"] == "Company" and harbor["properties"]["phone"] == ["+8613188782935"]
    lianfeng = next(
        e for e in entities if "Wuhan Lianfeng Biotech Co., Ltd." in e["properties"].get("name", [])
    )
    assert lianfeng["properties"]["email"] == ["sales@lianfengbio.com"]
    assert lianfeng["properties"]["website"] == ["http://lianfengbio.en.made-in-china.com/"]
