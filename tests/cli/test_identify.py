"""The CLI end to end, as a user runs it: real files in, real files out, exit codes and counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import ROOT, lines, run


def test_identify_jsonl_keeps_order_and_writes_rejects(tmp_path: Path) -> None:
    src = tmp_path / "listings.jsonl"
    src.write_bytes(
        b'{"id": "a", "text": "CAS 79O99-07-3 in stock"}\n'
        b"not json\n"
        b'{"id": "b", "text": "cotton shirts"}\n'
        b"\n"
        b'{"text": "no id here"}\n'
        b'{"id": "c", "text": "\xff\xfe broken"}\n'
        b'{"id": 7, "text": "N-\xe8\x8b\xaf\xe4\xb9\x99\xe5\x9f\xba-4-\xe5\x93\x8c\xe5\x95\xb6\xe9\x85\xae"}\n'
        b'{"id": "d", "text": 12}\n'
    )
    r = run("identify", str(src), "--out", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = lines(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["a", "b", "7"]
    assert out[0]["matches"][0]["substance"] == "1-boc-4-piperidone"  # type: ignore[index]
    assert out[0]["kb_version"]
    assert out[1]["matches"] == []
    rejects = lines(tmp_path / "listings.jsonl.rejects.jsonl")
    assert [(x["line"], x["field"]) for x in rejects] == [(2, None), (5, "id"), (6, None), (8, "text")]
    assert all(x["file"] == str(src) for x in rejects)
    assert "read 7 records: 3 identified" in r.stderr and "4 rejected" in r.stderr


def test_identify_csv_column_and_table(tmp_path: Path) -> None:
    r = run("identify", str(ROOT / "examples/declarations.csv"), "--column", "description", "--out", "o.jsonl",
            cwd=tmp_path)  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = {o["id"]: o for o in lines(tmp_path / "o.jsonl")}
    assert len(out) == 8
    assert out["D001"]["matches"][0]["substance"] == "1-boc-4-piperidone"  # type: ignore[index]
    assert out["D002"]["matches"] == [] and out["D006"]["matches"] == [] and out["D008"]["matches"] == []
    t = run("identify", str(ROOT / "examples/listings.jsonl"), "--format", "table", cwd=tmp_path)
    assert t.returncode == 0 and "1-boc-4-piperidone" in t.stdout and "knowledge base" in t.stdout


def test_identify_plain_text_from_stdin(tmp_path: Path) -> None:
    r = run("identify", "-", cwd=tmp_path, stdin="hello\nsupply 4-AP 99% powder CAS 23056-29-3\n")
    assert r.returncode == 0
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["1", "2"]
    assert {m["substance"] for m in out[1]["matches"]} == {"4-ap"}


def test_csv_unknown_column_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("id,desc\n1,NPP\n", encoding="utf-8")
    r = run("identify", "x.csv", "--column", "description", cwd=tmp_path)
    assert r.returncode == 2
    assert "x.csv: no column 'description'; the columns found are: id, desc" in r.stderr


def test_unusable_input_exits_non_zero(tmp_path: Path) -> None:
    assert run("identify", "missing.jsonl", cwd=tmp_path).returncode == 2
    (tmp_path / "bad.jsonl").write_text("nope\n{]\n", encoding="utf-8")
    r = run("identify", "bad.jsonl", cwd=tmp_path)
    assert r.returncode == 2 and "bad.jsonl: not JSON Lines: no JSON object" in r.stderr


def test_csv_ragged_row_is_rejected_with_line(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("id,text\n1,NPP powder CAS 39742-60-4\n2,a,b\n3,ok\n", encoding="utf-8")
    r = run("identify", "d.csv", "--out", "o.jsonl", "--rejects", "rej.jsonl", cwd=tmp_path)
    assert r.returncode == 0
    assert [o["id"] for o in lines(tmp_path / "o.jsonl")] == ["1", "3"]
    (rej,) = lines(tmp_path / "rej.jsonl")
    assert rej["line"] == 3 and "expected 2 fields, found 3" in str(rej["reason"])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("kb", "list"), "1-boc-4-piperidone"),
        (("kb", "show", "79099-07-3"), "FR Doc 2025-19349"),
        (("kb", "show", "fentanilo", "--format", "json"), '"cas": "437-38-7"'),
        (("kb", "search", "piperidon"), "4-piperidone"),
        (("kb", "export", "--format", "csv"), "US_source"),
        (("explain", "NPP nuclear power plant"), "everyday sense"),
        (("--version",), "precwatch"),
    ],
)
def test_commands(tmp_path: Path, args: tuple[str, ...], needle: str) -> None:
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert needle in r.stdout


def test_kb_validate_and_export_json(tmp_path: Path) -> None:
    r = run("kb", "validate", cwd=tmp_path)
    assert r.returncode == 0 and "0 problems" in r.stderr
    r = run("kb", "export", "--format", "json", "--out", "kb.json", cwd=tmp_path)
    data = json.loads((tmp_path / "kb.json").read_text(encoding="utf-8"))
    assert data["kb_version"] and len(data["substances"]) > 50
    assert run("kb", "show", "no-such-thing", cwd=tmp_path).returncode == 1


def test_kb_validate_reports_a_broken_kb(tmp_path: Path) -> None:
    bad = {"version": "t", "substances": [{"id": "x", "name": "X", "role": "precursor", "cas": "79099-07-4",
           "smiles": "C1CC", "names": {"en": ["x"]}, "controls": {"US": {"status": "List I"}}}]}  # fmt: skip
    (tmp_path / "kb.yaml").write_text(json.dumps(bad), encoding="utf-8")
    r = run("kb", "validate", "--kb", "kb.yaml", cwd=tmp_path)
    assert r.returncode == 1
    assert (
        "fails its check digit" in r.stderr and "does not parse" in r.stderr and "has no source" in r.stderr
    )


def test_jsonl_records_may_switch_between_structures_and_text(tmp_path: Path) -> None:
    """A JSON Lines file whose first few hundred records are structures and whose later ones are text (or the
    reverse) is read record by record: no record is rejected for using the contract's other key."""
    rows = [{"id": f"s{i}", "smiles": "CCO"} for i in range(250)]
    rows += [
        {"id": "t1", "text": "NPP 39742-60-4 in stock"},
        {"id": "s-last", "smiles": "O=C1CCN(CCc2ccccc2)CC1"},
    ]
    src = tmp_path / "mixed.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    r = run(
        "identify", str(src), "--out", "out.jsonl", "--rejects", "rej.jsonl", "--no-systematic", cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    out = {o["id"]: o for o in lines(tmp_path / "out.jsonl")}
    assert len(out) == len(rows) and not (tmp_path / "rej.jsonl").exists()
    assert {m["substance"] for m in out["t1"]["matches"]} == {"npp"}  # type: ignore[union-attr, index]
    assert {m["substance"] for m in out["s-last"]["matches"]} == {"npp"}  # type: ignore[union-attr, index]


def test_identify_loads_no_other_commands_modules() -> None:
    """`precwatch identify` starts without the hub's database layer, the market's transliteration tables or
    the web framework (a command's module is imported when it runs)."""
    code = (
        "import sys\n"
        "from precwatch.cli import main\n"
        "try:\n"
        "    main(['identify', '--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('sqlalchemy', 'pypinyin', 'fastapi', 'precwatch.cli.market') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
