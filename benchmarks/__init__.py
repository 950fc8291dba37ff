"""Benchmarks for precwatch: `python -m benchmarks` prints one JSON document on standard output.

Every benchmark is a function taking `BenchOptions` and returning a JSON-ready dict; `__main__` runs the
registered ones. Benchmarks only measure and report: no timing threshold is ever asserted.
Progress and information go to standard error (see `log`).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

WORK_DIR = Path(__file__).resolve().parent / "_work"
"""Cached corpora and scratch output (git-ignored)."""

DEFAULT_RECORDS = 1_000_000
QUICK_RECORDS = 50_000
DEFAULT_SEED = 20_240_611

_START = time.perf_counter()


@dataclass(frozen=True, slots=True)
class BenchOptions:
    """What every benchmark is asked to do."""

    records: int = DEFAULT_RECORDS
    seed: int = DEFAULT_SEED
    work_dir: Path = WORK_DIR


def log(message: str) -> None:
    """One progress line on standard error, stamped with the seconds since start."""
    print(f"[bench {time.perf_counter() - _START:7.1f}s] {message}", file=sys.stderr, flush=True)
