"""`precwatch screen` end to end, as an officer runs it: real files in, results, rejects and a report out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq

from tests.support.cli import lines, run

HEADER = (
    "id,date,shipper_name,shipper_address,shipper_country,consignee_name,consignee_address,consignee_country,"
    "hs_code,description,quantity,unit,value_usd,transport_mode,port_of_loading,port_of_discharge\n"
)
ROWS = [
    'A1,2026-10-02,Wuhan Example Chem Co Ltd,Wuhan,CN,Importadora SA,Culiacan,MX,2933.39,"PHARMACEUTICAL INTERMEDIATE 25KG",25,kg,180,express,CNSHA,MXZLO',
    "A2,2026-10-02,Shenzhen Textile Ltd,Shenzhen,CN,Retail LLC,Los Angeles,US,6109.10,COTTON T-SHIRTS MEN,1200,pcs,3600,sea,CNSZX,USLAX",
    "A3,2026-10-03,Example Pharmtech,Shijiazhuang,CN,Quimicos SA,Manzanillo,MX,2933.37,NPP CAS 39742-60-4,50,kg,2200,air,CNPEK,MXMEX",
    "A4,2026-10-03,Ningbo Demo,Ningbo,CN,Supplies Inc,Houston,US,2827.20,CALCIUM CHLORIDE,20000,kg,4000,sea,CNNGB,USHOU",
    "A5,2026-10-03,Ningbo Demo,Ningbo,CN,Supplies Inc,Houston,US,2827.20,CALCIUM CHLORIDE,lots,kg,4000,sea,CNNGB,USHOU",
    "A6,2026-10-03,Ningbo Demo,Ningbo,XX,Supplies Inc,Houston,US,2827.20,CALCIUM CHLORIDE,10,kg,4000,sea,CNNGB,USHOU",
    ",2026-10-03,Ningbo Demo,Ningbo,CN,Supplies Inc,Houston,US,2827.20,CALCIUM CHLORIDE,10,kg,4000,sea,CNNGB,USHOU",
    "A8,2026-10-03,Only,three,fields",
]


def write_input(tmp_path: Path) -> Path:
    src = tmp_path / "decl.csv"
    src.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return src


def test_screen_scores_every_row_and_rejects_the_rest_with_file_line_field(tmp_path: Path) -> None:
    src = write_input(tmp_path)
    r = run("screen", str(src), "--out", "out.jsonl", "--report", "report.html", "--jobs", "1", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = {o["id"]: o for o in lines(tmp_path / "out.jsonl")}
    assert list(out) == ["A1", "A2", "A3", "A4", "A5", "A6", "line-8"]
    assert out["A1"]["reasons"][0]["code"] == "vague-hs-of-concern"  # type: ignore[index]
    assert out["A3"]["level"] == "high" and out["A3"]["matches"][0]["substance"] == "npp"  # type: ignore[index]
    assert out["A2"]["level"] == "none" and out["A2"]["reasons"] == []
    rejects = lines(tmp_path / "decl.csv.rejects.jsonl")
    assert [(x["line"], x["field"], x["code"]) for x in rejects] == [(9, None, "field-count")]
    quality = {i: [x["detail"] for x in o["reasons"] if x["code"] == "data-quality"] for i, o in out.items()}  # type: ignore[union-attr]
    assert quality["A5"] == ["quantity 'lots': not a number: 'lots'; not used by the rules"]
    assert quality["A6"][0].startswith("shipper_country 'XX'") and quality["line-8"][0].startswith("id ''")
    assert all(x["file"] == str(src) for x in rejects)
    assert "read 8 records: 7 scored (1 high, 2 medium, 1 low, 3 none), 1 rejected" in r.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html and "A3" in html and "controlled-substance" in html


def test_screen_writes_csv_and_parquet_and_the_same_scores(tmp_path: Path) -> None:
    src = write_input(tmp_path)
    for out in ("o.jsonl", "o.csv", "o.parquet"):
        r = run("screen", str(src), "--out", out, "--jobs", "2", "--no-progress", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    want = {o["id"]: o["score"] for o in lines(tmp_path / "o.jsonl")}
    with (tmp_path / "o.csv").open(encoding="utf-8", newline="") as fh:
        assert {row["id"]: int(row["score"]) for row in csv.DictReader(fh)} == want
    table = pq.read_table(tmp_path / "o.parquet").to_pydict()
    assert dict(zip(table["id"], table["score"], strict=True)) == want


def test_screen_maps_other_column_names(tmp_path: Path) -> None:
    src = tmp_path / "other.csv"
    src.write_text(
        "Ref,Exporter,Origin,HS Code,Goods Description,Importer Country\n"
        "X1,Example Chem,CN,2933.39,1-BOC-4-PIPERIDONE 25KG,MX\n",
        encoding="utf-8",
    )
    spec = "id=Ref,shipper_name=Exporter,shipper_country=Origin,hs_code=HS Code,description=Goods Description,consignee_country=Importer Country"
    spec += ",date=,shipper_address=,consignee_name=,consignee_address=,quantity=,unit=,value_usd=,transport_mode="
    spec += ",port_of_loading=,port_of_discharge="
    found = run("screen", str(src), "--out", "found.jsonl", cwd=tmp_path)  # common names are found
    assert found.returncode == 0 and lines(tmp_path / "found.jsonl")[0]["level"] == "high", found.stderr
    (tmp_path / "none.csv").write_text("Ref,Exporter\nX1,Example Chem\n", encoding="utf-8")
    missing = run("screen", "none.csv", cwd=tmp_path)
    assert (
        missing.returncode == 2
        and "no description field" in missing.stderr
        and "Ref, Exporter" in missing.stderr
    )
    r = run("screen", str(src), "--map", spec, "--out", "o.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (o,) = lines(tmp_path / "o.jsonl")
    assert o["id"] == "X1" and o["level"] == "high"


def test_screen_listings_with_a_watchlist_and_a_custom_policy(tmp_path: Path) -> None:
    src = tmp_path / "l.jsonl"
    src.write_text(
        json.dumps({"id": "L1", "title": "Cotton socks", "description": "breathable", "seller": "Hubei Amarvel Bio-Tech Company Limited"}) + "\n"
        + json.dumps({"id": "L2", "title": "4-AP powder", "description": "we change the name to pass customs", "seller": "x", "contacts": "Wickr: abc"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    watch = tmp_path / "w.csv"
    watch.write_text(
        "name,aliases,country,program,source\nHUBEI AMARVEL BIOTECH CO. LTD.,,CN,ILLICIT-DRUGS-EO14059,OFAC SDN\n",
        encoding="utf-8",
    )
    r = run(
        "screen", str(src), "--kind", "listings", "--watchlist", str(watch), "--out", "o.jsonl", cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    out = {o["id"]: o for o in lines(tmp_path / "o.jsonl")}
    assert out["L1"]["reasons"][0]["code"] == "watchlist-party"  # type: ignore[index]
    assert [x["code"] for x in out["L2"]["reasons"]] == [
        "controlled-substance",
        "seller-phrase",
        "encrypted-contact",
    ]  # type: ignore[union-attr,index]
    policy = run("screen", "--show-policy", cwd=tmp_path).stdout.replace(
        "seller-phrase: 30", "seller-phrase: 3"
    )
    (tmp_path / "p.yaml").write_text(policy, encoding="utf-8")
    r2 = run(
        "screen", str(src), "--kind", "listings", "--policy", "p.yaml", "--out", "o2.jsonl", cwd=tmp_path
    )
    l2 = {o["id"]: o for o in lines(tmp_path / "o2.jsonl")}["L2"]
    assert [x["weight"] for x in l2["reasons"] if x["code"] == "seller-phrase"] == [3]  # type: ignore[union-attr]
    (tmp_path / "bad.yaml").write_text(policy.replace("high: 70", "high: seventy"), encoding="utf-8")
    bad = run("screen", str(src), "--kind", "listings", "--policy", "bad.yaml", cwd=tmp_path)
    assert bad.returncode == 2 and "bad.yaml" in bad.stderr and "levels.high" in bad.stderr
    assert r2.returncode == 0


def test_screen_unusable_input_exits_2(tmp_path: Path) -> None:
    assert run("screen", "nope.csv", cwd=tmp_path).returncode == 2
    (tmp_path / "e.csv").write_text(HEADER, encoding="utf-8")
    r = run("screen", "e.csv", cwd=tmp_path)
    assert r.returncode == 2 and "no usable record" in r.stderr


def test_list_rules_shows_every_rule_and_per_case_weights_as_text(tmp_path: Path) -> None:
    text = run("screen", "--list-rules", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "controlled-substance listed 60/salt 60" in text.stdout
    assert "{" not in text.stdout  # no Python dict printed
    as_json = run("screen", "--list-rules", "--format", "json", cwd=tmp_path)
    rules = json.loads(as_json.stdout)
    codes = {code for rule in rules for code in rule["weights"]}
    assert {"controlled-substance", "watchlist-party", "no-pre-export-notification"} <= codes
    assert all(rule["explanation"] for rule in rules)


def test_screen_reads_spanish_and_chinese_column_names(tmp_path: Path) -> None:
    """A Mexican pedimento extract (accents, cp1252 as Excel saves it) and a Chinese declaration sheet are
    screened without a mapping: their column names are found, and what each field holds is used."""
    (tmp_path / "pedimento.csv").write_bytes(
        (
            "Número de pedimento;Fecha;Exportador;País de origen;Importador;País de destino;"
            "Fracción arancelaria;Descripción de la mercancía;Cantidad;Unidad de medida;Valor dólares\n"
            "24 47 3807 4001234;2024-05-03;Example Pharmtech;CN;Químicos SA;MX;2933.39;"
            "1-BOC-4-PIPERIDONA 25 KG;25;kg;180\n"
        ).encode("cp1252")
    )
    r = run("screen", "pedimento.csv", "--out", "p.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (p,) = lines(tmp_path / "p.jsonl")
    assert p["id"] == "24 47 3807 4001234" and p["level"] == "high", p
    assert "Fracción arancelaria" not in r.stderr  # found, so not listed as a missing column
    (tmp_path / "报关单.csv").write_text(
        "报关单号,申报日期,境外发货人,原产国,境内收货人,HS编码,品名,数量,单位\n"
        "530120240000001,2024-05-03,Example Chem,CN,Buyer SA,2933.39,1-BOC-4-哌啶酮 25公斤,25,kg\n",
        encoding="utf-8",
    )
    r = run("screen", "报关单.csv", "--out", "z.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (z,) = lines(tmp_path / "z.jsonl")
    assert z["id"] == "530120240000001" and z["level"] == "high", z
