"""The local engine: input order across chunks, the same verdicts in and out of a pool, rejects kept,
failures surfacing as errors that name the lines, and a bounded number of rows in memory."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest

from precwatch.core.screening.verdict import Verdict
from precwatch.io.records import Reject
from precwatch.io.tables import RawRow
from precwatch.pipelines import engine
from precwatch.pipelines.engine import ScreeningError, run_local, screen_items
from precwatch.pipelines.screen import ScreenJob

DESCRIPTIONS = (
    "cotton T-shirts 180gsm",
    "N-Phenethyl-4-piperidone 99% white powder",
    "pharmaceutical intermediate",
    "CAS 79099-07-3 1kg",
    "LED strip light 5050",
    "4-苯胺基哌啶 25kg drum",
    "stainless steel hex bolt M8x30",
)


def _row(n: int) -> RawRow:
    """Declaration `n` as a reader gives it; every 13th has a quantity that is not a number (a data-quality reason)."""
    return (
        n + 1,
        {
            "id": f"D{n:05d}",
            "date": "2025-03-01",
            "shipper_name": "Hubei Example Chemical Co., Ltd." if n % 5 == 0 else "Ningbo Textile Co.",
            "shipper_country": "CN",
            "consignee_country": "MX" if n % 3 else "US",
            "hs_code": "2933.39" if n % 2 else "6109.10",
            "description": DESCRIPTIONS[n % len(DESCRIPTIONS)],
            "quantity": "about twelve" if n % 13 == 0 else str(n % 40 + 1),
            "unit": "kg",
            "value_usd": "120.50",
            "transport_mode": "express" if n % 4 == 0 else "sea",
        },
    )


def _items(count: int) -> list[RawRow | Reject]:
    """Raw rows with a reader reject (a broken line) after every 17th, as a reader would interleave them."""
    out: list[RawRow | Reject] = []
    for n in range(count):
        out.append(_row(n))
        if n % 17 == 16:
            out.append(Reject("input.csv", n + 1, None, "expected 16 fields, found 3", "a,b,c"))
    return out


def _line(item: Verdict | Reject | RawRow) -> int:
    return item[0] if isinstance(item, tuple) else item.line


JOB = ScreenJob(file_name="input.csv")


@pytest.fixture(scope="module")
def reference() -> list[Verdict | Reject]:
    return screen_items(JOB, _items(300))


def test_in_process_keeps_order_and_every_item(reference: list[Verdict | Reject]) -> None:
    items = _items(300)
    results = list(run_local(items, JOB, jobs=1, chunk_size=7))
    assert results == reference
    assert [_line(r) for r in results] == [_line(i) for i in items]
    verdicts = [r for r in results if isinstance(r, Verdict)]
    assert {v.level for v in verdicts} > {"none"}  # real screening happened
    quality = [
        r
        for r in verdicts
        if any(x.code == "data-quality" and x.detail.startswith("quantity") for x in r.reasons)
    ]
    assert len(quality) == len(range(0, 300, 13))  # screened all the same, the bad quantity reported
    assert [r.file for r in results if isinstance(r, Reject)] == ["input.csv"] * (300 // 17)


def test_pool_gives_the_same_results_in_the_same_order(reference: list[Verdict | Reject]) -> None:
    assert list(run_local(_items(300), JOB, jobs=2, chunk_size=7)) == reference


def test_spawned_workers_give_the_same_results(
    reference: list[Verdict | Reject], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where fork is unavailable (macOS, Windows) workers are spawned and build their own screener."""
    monkeypatch.setattr(engine, "_context", lambda: multiprocessing.get_context("spawn"))
    assert list(run_local(_items(300), JOB, jobs=2, chunk_size=50)) == reference


def test_reader_rejects_pass_through_in_place(reference: list[Verdict | Reject]) -> None:
    items = _items(300)
    results = list(run_local(iter(items), JOB, jobs=2, chunk_size=5))
    for item, result in zip(items, results, strict=True):
        if isinstance(item, Reject):
            assert result is item


def test_only_rejects_and_empty_input() -> None:
    rejects: list[RawRow | Reject] = [Reject("x.csv", n, None, "broken", "") for n in range(2, 9)]
    assert list(run_local(rejects, JOB, jobs=2, chunk_size=3)) == rejects
    assert list(run_local([], JOB, jobs=2)) == []
    assert list(run_local([], JOB, jobs=1)) == []


def test_the_pool_reads_ahead_a_bounded_number_of_chunks() -> None:
    pulled = [0]

    def rows() -> Iterator[RawRow]:
        for n in range(100_000):
            pulled[0] += 1
            yield _row(n)

    results = run_local(rows(), JOB, jobs=2, chunk_size=10)
    first = next(results)
    assert first.line == 1
    assert pulled[0] <= (2 * 2 + 1) * 10
    results.close()


@dataclass(frozen=True, slots=True)
class FailingJob(ScreenJob):
    """A job whose unit of work fails on one line: by an exception, or by the worker process dying."""

    fail_line: int = 0
    die: bool = False

    def screen_rows(self, rows: Sequence[RawRow]) -> list[Verdict | Reject]:
        if any(line == self.fail_line for line, _ in rows):
            if self.die:
                os._exit(3)
            raise RuntimeError(f"cannot screen line {self.fail_line}")
        return ScreenJob.screen_rows(self, rows)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_in_the_unit_of_work_names_the_lines(jobs: int) -> None:
    job = FailingJob(file_name="input.csv", fail_line=95)
    with pytest.raises(ScreeningError, match=r"lines 91-100 failed: cannot screen line 95") as info:
        list(run_local([_row(n) for n in range(200)], job, jobs=jobs, chunk_size=10))
    assert isinstance(info.value.__cause__, RuntimeError)


def test_a_dead_worker_is_an_error_not_a_hang() -> None:
    job = FailingJob(file_name="input.csv", fail_line=42, die=True)
    with pytest.raises(ScreeningError, match=r"worker process died unexpectedly"):
        list(run_local([_row(n) for n in range(200)], job, jobs=2, chunk_size=10))


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        run_local([], JOB, chunk_size=0)
    with pytest.raises(ValueError, match="jobs"):
        run_local([], JOB, jobs=0)


def _new_children(before: set[int]) -> set[int]:
    """Child processes alive now that were not before (an earlier test's children may still be exiting:
    they are not counted either way)."""
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None} - before


def test_workers_start_at_the_call_and_stop_with_the_results() -> None:
    before = {p.pid for p in multiprocessing.active_children() if p.pid is not None}
    results = run_local([_row(n) for n in range(30)], JOB, jobs=2, chunk_size=10)
    assert len(_new_children(before)) == 2
    assert len(list(results)) == 30
    assert not _new_children(before)
    dropped = run_local([_row(0)], JOB, jobs=2)
    assert len(_new_children(before)) == 2
    del dropped
    gc.collect()
    for _ in range(50):
        if not _new_children(before):
            break
        time.sleep(0.1)
    assert not _new_children(before)


HASH_SEED_SCRIPT = """
import json, sys
from precwatch.pipelines.screen import ScreenJob
rows = [(n + 2, row) for n, row in enumerate(json.loads(sys.stdin.read()))]
print(json.dumps([v.to_dict() for v in ScreenJob(file_name="x.csv").screen_rows(rows)]))
"""


def test_verdicts_do_not_depend_on_the_hash_seed() -> None:
    """Spark's Python workers run with PYTHONHASHSEED=0, spawned workers with a random seed: any verdict
    that depends on set or dict order of strings would differ between engines."""
    rows = [
        {"id": "a", "description": "white powder sample", "hs_code": "2933.39", "shipper_country": "CN"},
        {"id": "b", "description": "powder sample", "hs_code": "2933.39", "shipper_country": "CN"},
        {"id": "c", "description": "sample gift", "hs_code": "2924.29", "transport_mode": "express"},
        _row(1)[1],
        _row(3)[1],
    ]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", HASH_SEED_SCRIPT],
            input=json.dumps(rows),
            capture_output=True,
            text=True,
            check=True,
            env=os.environ | {"PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1
