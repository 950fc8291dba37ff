"""Screening results written and read back in each format; rejects files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import precwatch
from precwatch.core.screening.verdict import Reason, Verdict
from precwatch.io import results
from precwatch.io.records import InputError, Reject
from precwatch.io.results import CSV_COLUMNS, open_results, write_rejects

KB = "2026.11.1"


def verdicts() -> list[Verdict]:
    matches = tuple(precwatch.identify_text("NPP 39742-60-4 and 4-AP dihydrochloride, boc-4-piperidone"))
    assert matches
    return [
        Verdict(
            "D1", 87, "high",
            (Reason("controlled-substance", 60, "description names NPP (CAS 39742-60-4), UN Table I"),
             Reason("vague-description", 10, "'pharmaceutical intermediate' is a stop-word")),
            matches, line=2,
        ),
        Verdict("=cmd|' /C calc'!A0", 0, "none", (), (), line=3),
        Verdict("D3 \"quoted\", 中文", 20, "low", (Reason("odd-route", 20, "CN → MX by express"),), (), line=5),
    ]  # fmt: skip


def expected(v: Verdict) -> dict[str, object]:
    return v.to_dict() | {"kb_version": KB}


def test_jsonl_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with open_results(str(path), KB) as w:
        for v in verdicts():
            w.write(v)
    assert w.count == 3
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [expected(v) for v in verdicts()]


def test_no_path_writes_jsonl_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with open_results(None, KB) as w:
        w.write(verdicts()[0])
    assert json.loads(capsys.readouterr().out) == expected(verdicts()[0])


def test_csv_round_trip_and_formula_guard(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with open_results(str(path), KB) as w:
        for v in verdicts():
            w.write(v)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(CSV_COLUMNS)
    first = rows[0]
    assert (first["id"], first["line"], first["score"], first["level"]) == ("D1", "2", "87", "high")
    assert first["reasons"] == "controlled-substance;vague-description"
    assert first["details"].split(" | ")[1] == "'pharmaceutical intermediate' is a stop-word"
    assert first["substances"].split(";")[:2] == ["npp", "4-ap"]
    assert "39742-60-4" in first["cas"].split(";") and first["kb_version"] == KB
    assert rows[1]["id"] == "'=cmd|' /C calc'!A0"  # a spreadsheet shows it, never runs it
    assert rows[2]["id"] == 'D3 "quoted", 中文'


def test_parquet_round_trip_in_several_row_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "PARQUET_BATCH", 2)
    path = tmp_path / "out.parquet"
    with open_results(str(path), KB) as w:
        for v in verdicts():
            w.write(v)
    pf = pq.ParquetFile(path)
    assert pf.metadata.num_row_groups == 2
    rows = pf.read().to_pylist()
    for row, v in zip(rows, verdicts(), strict=True):
        want = expected(v)
        assert (row["id"], row["line"], row["score"], row["level"]) == (v.id, v.line, v.score, v.level)
        assert row["reasons"] == want["reasons"]
        assert json.loads(row["matches"]) == want["matches"]
        assert row["substances"] == list(dict.fromkeys(m.substance for m in v.matches))
        assert row["kb_version"] == KB


def test_an_unknown_extension_or_unwritable_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown output format"):
        open_results(str(tmp_path / "out.xlsx"), KB)
    with pytest.raises(InputError, match="cannot write the results"):
        open_results(str(tmp_path / "no/such/dir/out.jsonl"), KB)


def test_rejects_as_jsonl_and_csv_and_no_file_when_none(tmp_path: Path) -> None:
    rejects = [
        Reject("d.csv", 4, "value_usd", "not a number: 'abc'", "D4,...,abc"),
        Reject("d.csv", 9, None, "expected 16 fields, found 3", '=HYPERLINK("x")'),
    ]
    assert write_rejects(str(tmp_path / "r.jsonl"), rejects) == 2
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [r.to_dict() for r in rejects]
    assert write_rejects(str(tmp_path / "r.csv"), rejects) == 2
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["line"], r["field"]) for r in rows] == [("4", "value_usd"), ("9", "")]
    assert rows[1]["raw"] == '\'=HYPERLINK("x")'
    assert write_rejects(str(tmp_path / "none.jsonl"), []) == 0
    assert not (tmp_path / "none.jsonl").exists()
