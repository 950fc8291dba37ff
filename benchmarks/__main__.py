"""Run the registered benchmarks and print one JSON document: `{"benchmarks": [...]}`.

    python -m benchmarks                 # every benchmark, default corpus size
    python -m benchmarks --quick         # smoke run on a small corpus
    python -m benchmarks --only identify --records 200000

The corpus size also comes from PRECWATCH_BENCH_RECORDS when neither --records nor --quick is given.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks import (
    DEFAULT_RECORDS,
    DEFAULT_SEED,
    QUICK_RECORDS,
    WORK_DIR,
    BenchOptions,
    corr_bench,
    hub_bench,
    huge_record,
    identify_bench,
    log,
    market_bench,
    osint_bench,
    screen_bench,
    search_bench,
    structure_bench,
)

Benchmark = Callable[[BenchOptions], dict[str, Any]]

BENCHMARKS: dict[str, Benchmark] = {
    "identify": identify_bench.run,
    "huge_record": huge_record.run,
    "structure": structure_bench.run,
    "screen": screen_bench.run,
    "hub": hub_bench.run,
    "corr": corr_bench.run,
    "search": search_bench.run,
    "market": market_bench.run,
    "osint": osint_bench.run,
}
"""Every benchmark by name, run in this order."""

ENV_RECORDS = "PRECWATCH_BENCH_RECORDS"


def _positive(value: str) -> int:
    try:
        n = int(value.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value!r}")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", choices=list(BENCHMARKS), help="run only this benchmark (repeatable)"
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--records", type=_positive, help=f"corpus size (default {DEFAULT_RECORDS:,})")
    size.add_argument("--quick", action="store_true", help=f"small corpus ({QUICK_RECORDS:,} records)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus generator seed")
    args = parser.parse_args(argv)

    if args.records is not None:
        records = args.records
    elif args.quick:
        records = QUICK_RECORDS
    elif os.environ.get(ENV_RECORDS):
        try:
            records = _positive(os.environ[ENV_RECORDS])
        except argparse.ArgumentTypeError as exc:
            parser.error(f"{ENV_RECORDS}: {exc}")
    else:
        records = DEFAULT_RECORDS

    options = BenchOptions(records=records, seed=args.seed, work_dir=WORK_DIR)
    selected = [name for name in BENCHMARKS if not args.only or name in args.only]
    results = []
    for name in selected:
        log(f"benchmark {name}: {records:,} records")
        results.append(BENCHMARKS[name](options))
    json.dump({"benchmarks": results}, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
