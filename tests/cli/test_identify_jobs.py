"""`identify --jobs N`: the same bytes out, the same rejects and counts, whatever the number of worker
processes; and SIGTERM stops the workers and their OPSIN JVMs, keeping no partial output.

The inputs are made larger than one chunk of the local engine (2,000 records), so that two workers
really share the file and the results have to be put back in input order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from precwatch.io.opsin import java_available
from tests.support.cli import ROOT, run
from tests.support.processes import assert_sigterm_stops_cleanly, descendants, is_java

DATA = ROOT / "tests" / "data"


def text_devset(path: Path, copies: int = 5) -> Path:
    """The text dev set, `copies` times over (ids made unique)."""
    records = [json.loads(x) for x in (DATA / "devset.jsonl").read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for k in range(copies):
            for r in records:
                out.write(json.dumps({"id": f"{r['id']}-{k}", "text": r["text"]}, ensure_ascii=False) + "\n")
    return path


def structure_devset(path: Path, copies: int = 9) -> Path:
    """The structure dev set as identify reads it (its `input` object is the record), `copies` times over."""
    records = [
        json.loads(x) for x in (DATA / "devset_structures.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    with path.open("w", encoding="utf-8") as out:
        for k in range(copies):
            for r in records:
                out.write(json.dumps({"id": f"{r['id']}-{k}", **r["input"]}, ensure_ascii=False) + "\n")
    return path


def damaged(path: Path, records: int = 4500) -> tuple[Path, int]:
    """JSON Lines with every kind of reject spread through the file (reader rejects: broken JSON, no text,
    text too long for `--max-text-bytes 5000`; made by the job: an unreadable structure); the number of
    rejects."""
    texts = ["1-Boc-4-piperidone 25kg to Mexico", "cotton T-shirts", "CAS 79O99-O7-3 white powder", "NPP 99%"]
    rejected = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(records):
            kind = n % 97
            if kind == 11:
                out.write('{"id": "broken", "text": "unterminated\n')
            elif kind == 23:
                out.write(json.dumps({"id": f"R{n}", "note": "no text"}) + "\n")
            elif kind == 37:
                out.write(json.dumps({"id": f"R{n}", "text": "x " * 3000 + "NPP"}) + "\n")
            elif kind == 53:
                out.write(json.dumps({"id": f"R{n}", "smiles": "C1CC(((N"}) + "\n")
            elif kind == 71:
                out.write(
                    json.dumps({"id": f"R{n}", "smiles": "O=C1CCN(CCc2ccccc2)CC1", "text": "NPP"}) + "\n"
                )
                continue
            else:
                out.write(
                    json.dumps({"id": f"R{n}", "text": texts[n % len(texts)]}, ensure_ascii=False) + "\n"
                )
                continue
            rejected += 1
    return path, rejected


def identify(
    tmp_path: Path, name: str, *args: str, timeout: float = 300
) -> tuple[bytes, dict[str, object], bytes]:
    """Output bytes, summary JSON (without timings) and rejects-file bytes of one `identify` run (the
    timeout is generous: the machines running the tests are shared)."""
    r = run("identify", name, "--out", "o.jsonl", "--summary-json", "s.json", "--rejects", "r.jsonl", *args,
            cwd=tmp_path, timeout=timeout)  # fmt: skip
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    summary.pop("timings")
    rejects = (tmp_path / "r.jsonl").read_bytes() if (tmp_path / "r.jsonl").exists() else b""
    output = (tmp_path / "o.jsonl").read_bytes()
    for f in ("o.jsonl", "s.json", "r.jsonl"):
        (tmp_path / f).unlink(missing_ok=True)
    return output, summary, rejects


@pytest.mark.parametrize("devset", ["text", "structures"])
def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path, devset: str) -> None:
    """With Java present, names go through OPSIN: one JVM in each worker."""
    make = text_devset if devset == "text" else structure_devset
    name = make(tmp_path / "in.jsonl").name
    one = identify(tmp_path, name, "--jobs", "1")
    two = identify(tmp_path, name, "--jobs", "2")
    assert one == two
    output, summary, _ = one
    assert summary["counts"]["read"] > 2000  # type: ignore[index]
    assert output.count(b"\n") == summary["counts"]["identified"]  # type: ignore[index]
    assert b'"substance": ' in output


def test_rejects_and_counts_are_the_same_with_two_workers(tmp_path: Path) -> None:
    path, rejected = damaged(tmp_path / "d.jsonl")
    options = ("--no-systematic", "--min-confidence", "0.5", "--max-text-bytes", "5000")
    one = identify(tmp_path, path.name, "--jobs", "1", *options)
    two = identify(tmp_path, path.name, "--jobs", "2", *options)
    assert one == two
    _, summary, rejects = one
    counts = summary["counts"]
    assert counts["rejected"] == rejected == rejects.count(b"\n")  # type: ignore[index]
    assert counts["read"] == counts["identified"] + counts["rejected"]  # type: ignore[index]
    assert set(summary["rejects_by_reason"]) >= {"text-too-long", "structure"}  # type: ignore[arg-type]
    lines = [json.loads(x)["line"] for x in rejects.splitlines()]
    assert lines == sorted(lines)


def test_identify_has_the_engine_options_of_screen(tmp_path: Path) -> None:
    shown = run("identify", "--help", cwd=tmp_path).stdout
    for option in ("--jobs", "--engine [local|spark]", "--spark-master"):
        assert option in shown
    r = run("identify", "-", "--jobs", "0", cwd=tmp_path, stdin="NPP\n")
    assert r.returncode == 2 and "--jobs" in r.stderr


@pytest.mark.skipif(not java_available(), reason="needs Java (OPSIN)")
def test_sigterm_stops_workers_and_their_jvms_and_keeps_no_partial_output(tmp_path: Path) -> None:
    # systematic names that are no knowledge-base synonym: each worker converts them with its own JVM
    names = ["benzyl 4-anilinopiperidine-1-carboxylate", "ethyl 4-anilinopiperidine-1-carboxylate"]
    with (tmp_path / "big.jsonl").open("w", encoding="utf-8") as out:
        for n in range(40_000):
            out.write(json.dumps({"id": str(n), "text": f"{names[n % 2]} lot {n} 25kg"}) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "precwatch.cli", "identify", "big.jsonl", "--jobs", "2", "--out", "o.jsonl",
         "--systematic", "--no-progress"],
        cwd=tmp_path, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env={**os.environ},
    )  # fmt: skip
    started: set[int] = set()
    for _ in range(1200):  # a loaded machine takes long to load the knowledge base and fork
        started = descendants(proc.pid)
        jvms = [pid for pid in started if is_java(pid)]
        if len(jvms) >= 2 or proc.poll() is not None:
            break
        time.sleep(0.1)
    assert proc.poll() is None and len(jvms) >= 2, "the run ended before both workers started OPSIN"
    assert_sigterm_stops_cleanly(proc, started, tmp_path / "o.jsonl")
