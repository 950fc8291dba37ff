"""Files as they really arrive, for both commands: every record read is scored (identified) or rejected, the
counts say so, and a controlled substance in a damaged file or beside a bad side field is still flagged."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import lines, run
from tests.support.processes import assert_sigterm_stops_cleanly, descendants

HEADER = ["id", "description", "consignee_country", "quantity", "hs_code"]
GOOD = [
    ["D1", "Cotton T-shirts, café crème", "US", "1200", "6109.10"],
    ["D2", "1-BOC-4-PIPERIDONE 25KG", "MX", "25", "2933.39"],
    ["D3", "Calcium chloride 工业级", "MX", "20000", "2827.20"],
]


def table(rows: list[list[str]], sep: str = ",", newline: str = "\n") -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if any(c in value for c in f'{sep}"\n') else value

    return newline.join(sep.join(cell(c) for c in row) for row in [HEADER, *rows]) + newline


def damaged() -> dict[str, tuple[str, bytes, int, int]]:
    """name -> (file name, bytes, records read, records rejected)."""
    plain = table(GOOD)
    bad_fields = [["D1", "NPP powder", "Mexico City", "n/a", "29.33.39.99.99.9"],
                  ["D2", "1-BOC-4-PIPERIDONE 25KG", "MEX", "12 kg", "2933.39"],
                  ["D3", "4-AP", "484", "1.200,50", "2933.39"]]  # fmt: skip
    return {
        "utf8-bom-crlf": ("d.csv", ("\ufeff" + table(GOOD, newline="\r\n")).encode(), 3, 0),
        "latin-1": ("d.csv", plain.replace("工业级", "pur").encode("latin-1"), 3, 0),
        "cp1252": ("d.csv", plain.replace("工业级", "“premium” €").encode("cp1252"), 3, 0),
        "gb18030": ("d.csv", plain.replace("café crème", "纯棉").encode("gb18030"), 3, 0),
        "utf-16": ("d.csv", plain.encode("utf-16"), 3, 0),
        "semicolons-decimal-commas": ("d.csv", table([[*r[:3], "1.200,5", r[4]] for r in GOOD], ";").encode(), 3, 0),
        "tsv": ("d.tsv", table(GOOD, "\t").encode(), 3, 0),
        "embedded-newlines": ("d.csv", table([*GOOD, ["D4", "line one\nline two", "MX", "1", "2933.39"]]).encode(), 4, 0),
        "stray-quote": ("d.csv", (table(GOOD[:1]) + 'D9,"unterminated,MX,1,2933.39\n' + table(GOOD[1:]).split("\n", 1)[1]).encode(), 4, 1),
        "ragged-row": ("d.csv", (plain + "D8,only,three\n").encode(), 4, 1),
        "bad-side-fields": ("d.csv", table(bad_fields).encode(), 3, 0),
        "duplicate-ids": ("d.csv", table([*GOOD, GOOD[1]]).encode(), 4, 0),
        "no-id-no-text": ("d.csv", table([*GOOD, ["", "", "MX", "3", ""]]).encode(), 4, 1),
        "huge-record": ("d.csv", table([*GOOD, ["D5", "x " * 60_000 + "NPP", "MX", "1", ""]]).encode(), 4, 1),
    }  # fmt: skip


CASES = damaged()


@pytest.mark.parametrize("case", list(CASES))
def test_screen_loses_no_record_and_flags_the_substance(tmp_path: Path, case: str) -> None:
    name, data, read, rejected = CASES[case]
    (tmp_path / name).write_bytes(data)
    r = run("screen", name, "--out", "o.jsonl", "--summary-json", "s.json", "--jobs", "1", "--no-systematic",
            "--max-text-bytes", "100000", cwd=tmp_path)  # fmt: skip
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    counts = summary["counts"]
    assert (counts["read"], counts["rejected"]) == (read, rejected), r.stderr
    assert counts["read"] == counts["scored"] + counts["rejected"]
    assert sum(summary["rejects_by_reason"].values()) == rejected
    # the input's hash and size are the file's own, as stored (BOM, UTF-16, legacy encodings included)
    assert summary["input"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert summary["input"]["bytes"] == len(data)
    out = {o["id"]: o for o in lines(tmp_path / "o.jsonl")}
    assert (
        len(out)
        == counts["scored"] - summary["duplicate_ids"]["count"]
        == counts["written"] - summary["duplicate_ids"]["count"]
    )
    assert out["D2"]["level"] in ("high", "medium"), out["D2"]
    assert any(m["substance"] == "1-boc-4-piperidone" for m in out["D2"]["matches"])  # type: ignore[union-attr]
    if case == "bad-side-fields":
        assert summary["data_quality"]["records"] == 2  # D3: "484" is Mexico, "1.200,50" a German number
        assert set(summary["data_quality"]["by_field"]) == {"consignee_country", "quantity", "hs_code"}
        assert all(o["level"] != "none" for o in out.values())
    if case == "duplicate-ids":
        assert summary["duplicate_ids"] == {"count": 1, "ids": ["D2"]}
    if case in ("latin-1", "cp1252", "gb18030"):
        assert summary["input"]["encoding_detected"] is True and "detected" in r.stderr


@pytest.mark.parametrize("case", list(CASES))
def test_identify_reads_the_same_files_the_same_way(tmp_path: Path, case: str) -> None:
    name, data, read, rejected = CASES[case]
    (tmp_path / name).write_bytes(data)
    r = run("identify", name, "--column", "description", "--out", "o.jsonl", "--summary-json", "s.json",
            "--no-systematic", "--max-text-bytes", "100000", cwd=tmp_path)  # fmt: skip
    assert r.returncode == 0, r.stderr
    counts = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["counts"]
    assert (counts["read"], counts["rejected"]) == (read, rejected), r.stderr
    assert counts["read"] == counts["identified"] + counts["rejected"]
    out = lines(tmp_path / "o.jsonl")
    d2 = next(o for o in out if o["id"] == "D2")
    assert any(m["substance"] == "1-boc-4-piperidone" for m in d2["matches"])  # type: ignore[union-attr]


@pytest.mark.parametrize("command", ["screen", "identify"])
def test_unusable_files_exit_2_naming_the_problem(tmp_path: Path, command: str) -> None:
    (tmp_path / "bin.csv").write_bytes(bytes(range(256)) * 40)
    r = run(command, "bin.csv", cwd=tmp_path)
    assert r.returncode == 2 and "binary data" in r.stderr
    (tmp_path / "keys.jsonl").write_text(json.dumps({"sku": "1", "price": 3}) + "\n", encoding="utf-8")
    r = run(command, "keys.jsonl", *(["--kind", "listings"] if command == "screen" else []), cwd=tmp_path)
    assert r.returncode == 2 and "sku, price" in r.stderr


def test_listings_with_common_field_names_are_screened(tmp_path: Path) -> None:
    (tmp_path / "l.jsonl").write_text(
        json.dumps({"listing_id": "L1", "name": "NPP 99%", "body": "safe delivery to Mexico", "vendor": "x"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    r = run("screen", "l.jsonl", "--kind", "listings", "--out", "o.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (o,) = lines(tmp_path / "o.jsonl")
    assert o["id"] == "L1" and o["level"] == "high"


def test_stdin_is_sniffed_min_level_and_fail_on_rejects(tmp_path: Path) -> None:
    data = table(GOOD) + "D8,only,three\n"
    r = run("screen", "-", "--min-level", "medium", "--fail-on-rejects", "--rejects", "rej.jsonl", cwd=tmp_path,
            stdin=data)  # fmt: skip
    assert r.returncode == 1 and "--fail-on-rejects" in r.stderr
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["D2"]
    r = run("identify", "-", "--column", "description", cwd=tmp_path, stdin=data)
    assert r.returncode == 0 and "1-boc-4-piperidone" in r.stdout


def test_sigterm_stops_workers_and_keeps_no_partial_output(tmp_path: Path) -> None:
    rows = [[f"D{i}", GOOD[i % 3][1], "MX", "1", "2933.39"] for i in range(60_000)]
    (tmp_path / "big.csv").write_text(table(rows), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "precwatch.cli", "screen", "big.csv", "--jobs", "2", "--out", "o.jsonl",
         "--no-systematic", "--no-progress"],
        cwd=tmp_path, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env={**os.environ},
    )  # fmt: skip
    children: set[int] = set()
    for _ in range(300):
        children = descendants(proc.pid)
        if len(children) >= 2 or proc.poll() is not None:
            break
        time.sleep(0.1)
    assert proc.poll() is None and len(children) >= 2, "the run ended before it could be stopped"
    time.sleep(1.0)
    assert_sigterm_stops_cleanly(proc, children, tmp_path / "o.jsonl")


def test_a_parquet_input_is_hashed_as_stored(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["P1"], "description": ["NPP 25 kg"], "consignee_country": ["MX"]}),
                   tmp_path / "d.parquet")  # fmt: skip
    r = run("screen", "d.parquet", "--out", "o.jsonl", "--summary-json", "s.json", "--jobs", "1",
            "--no-systematic", cwd=tmp_path)  # fmt: skip
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    data = (tmp_path / "d.parquet").read_bytes()
    assert summary["input"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert summary["input"]["bytes"] == len(data)
