"""Instructions per record, counted by Valgrind's callgrind: a figure that does not move with the machine's load.

CPU seconds on shared cores vary by up to 40 % from one run to the next (other processes share the caches and
the cores' hyperthreads); the number of instructions a piece of work executes hardly does: the same code on
the same input gives the same count to within about 0.5 % of a run's total (addresses and collection timing
still differ between runs), whatever else runs. So two versions of the engine,
or the engine and its baseline, are compared here by instructions, next to the CPU-second figures.

Each measure runs this module as a worker under ``valgrind --tool=callgrind`` twice: once over a block of
records, once over that block and then the next one (knowledge base, automata and every first-use cost are in
both runs and cancel out): the difference, divided by the records, is a warm pass per record over records the
engine has not seen (the second block; its memos hold only what the first block left, as on a long run). The
worker modes:

- ``end_to_end``: `run_identify` from the file (JSON Lines) to /dev/null, as `identify --no-systematic` runs it;
- ``ceiling``: `text.lower()` plus the name automaton's `iter` over every record text (the texts parsed
  before the scan): the bare Aho-Corasick scan the goal is set against.

Valgrind runs the worker about 50 times slower than natively: a measure of 10,000 records takes about two
minutes. Where valgrind is not installed the measures are left out (None).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from itertools import islice
from pathlib import Path

_COLLECTED = re.compile(r"Collected : (\d+)")
_ROOT = Path(__file__).resolve().parents[1]
SAMPLE = 10_000
"""Records of the corpus counted (its first ones)."""


def instruction_figures(corpus_path: Path, work_dir: Path) -> dict[str, float | int | None]:
    """Instructions per record, end to end and for the bare automaton scan, over the corpus's second block of
    `SAMPLE` records (after its first), and their ratio (the ceiling's over end to end: the goal's 0.3 in
    instructions)."""
    blocks = [work_dir / f"{corpus_path.stem}.block{k}.jsonl" for k in (1, 2)]
    with corpus_path.open("rb") as src:
        for block in blocks:
            with block.open("wb") as out:
                out.writelines(islice(src, SAMPLE))
    records = sum(1 for _ in blocks[1].open("rb"))
    end_to_end = per_record("end_to_end", blocks, records)
    ceiling = per_record("ceiling", blocks, records)
    ratio = round(ceiling / end_to_end, 3) if end_to_end and ceiling else None
    return {"records": records, "end_to_end": end_to_end, "ceiling": ceiling, "end_to_end_vs_ceiling": ratio}


def instructions(mode: str, paths: list[Path], runs: int) -> int:
    """The instructions of one worker run (`mode` over the records of the first `runs` of `paths` in turn;
    every path's texts are parsed beforehand in ceiling mode)."""
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, "-m", "benchmarks.instructions", mode, str(runs), *map(str, paths),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same hashes, so the same dictionary layouts, each run
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=_ROOT, check=False)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"callgrind run failed ({done.returncode}): {done.stderr[-2000:]}")
    return int(found.group(1))


def per_record(mode: str, blocks: list[Path], records: int) -> float | None:
    """Instructions of `mode` per record of `blocks[1]` run after `blocks[0]` (None without valgrind)."""
    if shutil.which("valgrind") is None:
        return None
    first, both = instructions(mode, blocks, 1), instructions(mode, blocks, 2)
    return round((both - first) / records, 1)


def _work(mode: str, runs: int, paths: list[str]) -> None:
    """The worker: set up, then do `mode` over each of the first `runs` files in turn."""
    import orjson

    from precwatch.core.text.gate import text_gate
    from precwatch.core.text.names import name_index
    from precwatch.data import load_kb
    from precwatch.io.formats import Source
    from precwatch.pipelines.identify import run_identify

    kb = load_kb()
    scan = name_index(kb).automaton.iter
    text_gate(kb)
    parsed = []
    if mode == "ceiling":
        for path in paths:
            with open(path, "rb") as lines:
                parsed.append([orjson.loads(line)["text"] for line in lines])
    for k, path in enumerate(paths[:runs]):
        if mode == "end_to_end":
            with open("/dev/null", "w", encoding="utf-8") as out:
                run_identify(Source(path, fmt="jsonl"), path, kb=kb, out=out, rejects=lambda _r: None)
        elif mode == "ceiling":
            for text in parsed[k]:
                for _hit in scan(text.lower()):
                    pass
        else:
            raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    _work(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
