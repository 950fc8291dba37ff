"""Identification time of one huge record, against its length (the engine must be linear in the text).

One record of listing-like text is generated at several sizes (0.25, 1 and 5 MB of UTF-8): ordinary goods
listings (the throughput corpus's wording), a few per cent of them naming a knowledge-base substance by a
name or CAS RN (sometimes disguised), misspelled names, digit runs (phone and order numbers, dates,
prices), all in one text. Each size is identified once with `identify_text` (the fast path, as the
pipelines run it) after a warm-up, and timed.

`linearity_ratio` is time(5 MB) / (20 x time(0.25 MB)): about 1 when the time is linear in the length, 20
when it is quadratic. Both times come from this run on this machine, so the ratio does not depend on how
fast the machine is; `cpu_linearity_ratio` is the same on CPU time, which other processes sharing the
machine disturb less than wall time. The number of records asked for (`--records`) does not change this benchmark.
Nothing here asserts a threshold: the figures are reported, not enforced.
"""

from __future__ import annotations

import gc
import platform
import random
import time
from typing import Any

from benchmarks import BenchOptions, log
from benchmarks.corpus import _Generator
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.text.identify import identify_text
from precwatch.data import load_kb

SIZES_MB = (0.25, 1.0, 5.0)
"""Record sizes, in MB (10^6 bytes of UTF-8)."""

MISSPELLING_RATE = 0.01
DIGITS_RATE = 0.05


def huge_text(kb: KnowledgeBase, size_bytes: int, seed: int) -> str:
    """One listing-like text of at least `size_bytes` UTF-8 bytes, the same for the same seed."""
    rng = random.Random(seed)
    gen = _Generator(rng, kb)
    names = [n for n, _ in gen.names if len(n) >= 8 and n.isascii()]
    parts: list[str] = []
    size = 0
    while size < size_bytes:
        r = rng.random()
        if r < 0.02:
            part = gen.planted()
        elif r < 0.02 + MISSPELLING_RATE:
            name = rng.choice(names)
            i = rng.randrange(1, len(name) - 1)
            part = f"{gen.ordinary()}; also {name[:i]}{rng.choice('aeiorn')}{name[i + 1 :]} {rng.choice(('99%', 'powder', 'in stock'))}"
        elif r < 0.02 + MISSPELLING_RATE + DIGITS_RATE:
            part = (
                f"{gen.ordinary()}. Tel +86 1{rng.randint(30, 99)} {rng.randint(0, 9999):04d} "
                f"{rng.randint(0, 9999):04d}, order {rng.randint(10**5, 10**11)}, "
                f"dated 20{rng.randint(10, 30)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            )
        else:
            part = gen.ordinary()
        parts.append(part)
        size += len(part.encode("utf-8")) + 2
    return "\n\n".join(parts)


def run(opts: BenchOptions) -> dict[str, Any]:
    kb = load_kb()
    identify_text("warm-up: fentanyl CAS 79099-07-3, 1-boc-4-piperidone 99%", kb)
    results: dict[str, dict[str, Any]] = {}
    for mb in SIZES_MB:
        text = huge_text(kb, int(mb * 1e6), opts.seed)
        size = len(text.encode("utf-8"))
        gc.collect()
        start, cpu_start = time.perf_counter(), time.process_time()
        matches = identify_text(text, kb)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        log(f"huge record {size / 1e6:.2f} MB: {len(matches):,} matches in {seconds:.2f} s ({cpu:.2f} s CPU)")
        results[f"{mb:g}MB"] = {
            "bytes": size,
            "characters": len(text),
            "matches": len(matches),
            "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu, 3),
            "mb_per_s": round(size / 1e6 / seconds, 3),
        }
    small, large = results[f"{SIZES_MB[0]:g}MB"], results[f"{SIZES_MB[-1]:g}MB"]
    scale = large["bytes"] / small["bytes"]
    return {
        "benchmark": "huge_record",
        "kb_version": kb.version,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "results": results,
        "size_ratio": round(scale, 2),
        "linearity_ratio": round(large["seconds"] / (scale * small["seconds"]), 3),
        "cpu_linearity_ratio": round(large["cpu_seconds"] / (scale * small["cpu_seconds"]), 3),
        "note": "linearity_ratio = time(largest) / (size ratio x time(smallest)): about 1 when linear; "
        "cpu_linearity_ratio is the same on the process's CPU time (steadier on a shared machine)",
    }
