"""Identification throughput, file to JSON Lines, next to a naive `re` alternation and the raw automaton.

Measurements in one run, one process (so one core), on the same generated corpus; records per second are
given per wall second (`records_per_s`) and per CPU second of the process (`cpu_records_per_s`, per core):

- `end_to_end`: `run_identify` from the corpus file (opened in binary) to a JSON Lines file on disk;
  the wall time covers reading, decoding, parsing, identification and writing.
- `command_line` and `command_line_no_systematic`: `precwatch identify CORPUS --out FILE` as a user runs it
  (a subprocess; CPU is the user + system time of the process and its children, OPSIN's JVM included,
  start-up and knowledge-base loading included), with systematic names on (the default where Java is
  found) and with `--no-systematic`.
- `reading`: `read_records` alone over the same file (open, decode, parse JSON, build the records;
  no identification, no output): the input's share of `end_to_end`.
- `engine`: `identify_texts` over every record text (parsed beforehand), `BATCH` texts at a time: the engine
  as `identify` runs it, with its fast path (the gate, run over each batch at once, that skips texts no
  detector can match).
- `engine_per_text`: `identify_text` over every record text, one call each (the library's one-text API).
- `reference_engine`: `reference_identify_text` (every detector on every text: the engine before the fast
  path, and the one the fast path is tested against) over the same sample as the naive baseline.
- `automaton_ceiling`: `text.lower()` plus `name_index(kb).automaton.iter()` over every record text,
  consuming every hit (texts are parsed beforehand, outside the timer): the bare Aho-Corasick scan of the
  KB names the goal (0.3 of it) is set against.
- `hyperscan_ceiling`: the same keys through Hyperscan (`Literals`, the gate's scanner), one text at a
  time: the bare scan with the fastest matcher this machine has (reported; not the goal's baseline).
- `jobs`: `run_identify` through the local engine with 1 and 2 worker processes (`identify --jobs N`, one
  JVM-free run each, same corpus); `ratios.jobs_2_vs_1` is the speed-up (the machines here have 2 cores),
  and the outputs' SHA-256 must be identical.
- `naive_re_baseline`: one Python `re` alternation of every knowledge-base name and synonym (longest first,
  IGNORECASE), `finditer` over each text of a deterministic sample (the first records): what a quick
  script would do.
- `instructions_per_record` (`benchmarks.instructions`): end to end and the automaton ceiling counted in
  instructions by Valgrind's callgrind on the corpus's first 10,000 records, and their ratio
  (`ratios.per_core.end_to_end_vs_ceiling_in_instructions`): the figure that does not move with the load,
  for comparing two versions of the code on these shared cores.

MB are 10^6 bytes of the input file (the JSON lines of the records measured); `text_mb_per_s` counts the
UTF-8 bytes of the texts alone. Knowledge-base loading and automaton building are timed separately and
left out of the throughput figures. Nothing here asserts a threshold: goals are reported, not enforced.
`ratios.per_core.reading_share_of_end_to_end` is the reader's CPU seconds over the end-to-end CPU seconds.

Measured on 6 December 2026 (issue 17), 2 cores shared with other work (load average 2.7-5.5), 1M records
of corpus generation 2 (phone, order and tracking numbers in 40 % of them), CPU records per second:
end_to_end 64,617 (the code of the session's start, e0a0a78, on the same file, run alternately with this
one at load 7-10: 30,782 and 35,223 against 56,828 and 55,534, outputs byte for byte the same); engine
86,837, engine_per_text 77,880, reference_engine 16,083; reading 223,459; automaton_ceiling 262,777,
hyperscan_ceiling 468,120; command_line 34,080 (systematic names on; 100,000 records took 15.1-15.9 CPU s
before, 6.7-8.3 after, at load 7-9), command_line_no_systematic 38,695. Ratios per core: end_to_end to
the automaton ceiling 0.246, engine 0.33, command line 0.13. A second run an hour later, after the local
engine and record pickling changes, at load 1.0-1.7: end_to_end 46,096 (this run's first measurement, cold),
command_line 30,469, command_line_no_systematic 52,699, engine 88,916 (0.378 of the ceiling's 235,292),
jobs 2 vs 1 1.24: on these shared cores one run differs from the next by up to 40 %. Goals not met:
100,000 records/s, and 0.3 of the ceiling file to file.

Counted in instructions (callgrind, `instructions_per_record`, second block of 10,000 records of the 200k
corpus, same figures whatever the load), on 6 December 2026: end to end 111,803 per record for main at the
session's start (c1c70de) against 103,433 after the batch systematic-name pre-check, the named-tuple records
and the inline JSON Lines record (-7.5 %); the automaton ceiling 29,097-29,307: 0.260 -> 0.283 of it in
instructions. The CPU-second ratio on the same code is lower (0.20-0.25): the automaton's C loop runs more
instructions per cycle than the interpreter does.

Measured again (issue 17, stop 25; load average 0.6-1.0; main at 30d321c), to see whether compiling the
Python on the path closes the gap: the 14 modules a record goes through (reader, JSON Lines objects,
records, the pipeline, gate, literals, kept spans, detectors, names, identify, normalise, CAS
identifiers, matches) compiled unchanged with Cython 3.3 (`annotation_typing` off) cut end to end from
93,789 to 84,903 instructions per record (-9.5 %, callgrind, 20,000 records of seed 17); in CPU
seconds, three alternating runs on 100,000 records, the ratio to the automaton was 0.186 / 0.198 / 0.202
compiled against 0.200 / 0.182 / 0.161 as is: inside this machine's noise, and far from 0.3. Reading alone
costs 2.0 us per record against 0.42 us for a bare `readline` and `orjson.loads` loop; the ceiling is
2.2 us per record and the engine alone 5.5, so even a reader and writer that cost nothing would leave the
file-to-file ratio under 0.3 (0.3 of the ceiling is about 7 us per record for everything). With
systematic names on, 31 % of these texts hold a strong nomenclature root, 81 % of those only because
"invoice" holds "oic"; finding the word around a root with two pattern matches instead of walking the
words of its window is 1.2 us cheaper per such text, about 1 % of the run: not adopted.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import BenchOptions, log
from benchmarks.corpus import Corpus, ensure_corpus, vocabulary
from benchmarks.instructions import SAMPLE as SAMPLE_INSTRUCTIONS
from benchmarks.instructions import instruction_figures
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.text.identify import identify_text, identify_texts, reference_identify_text
from precwatch.core.text.literals import Literals
from precwatch.core.text.names import name_index
from precwatch.data import load_kb
from precwatch.io.formats import Source
from precwatch.io.opsin import java_available
from precwatch.io.records import Reject
from precwatch.io.texts import read_records
from precwatch.pipelines.engine import local_engine
from precwatch.pipelines.identify import BATCH, run_identify
from precwatch.pipelines.identify_job import IdentifyJob

NAIVE_SAMPLE = 20_000
"""Records the naive `re` baseline is timed on (the first ones of the corpus)."""

GOAL_RECORDS_PER_S = 100_000
GOAL_MB_PER_S = 20
GOAL_CEILING_RATIO = 0.3


@dataclass(frozen=True, slots=True)
class _Texts:
    """The record texts of the corpus, parsed outside any timer, with the byte counts needed for MB/s."""

    texts: list[str]
    text_bytes: int
    sample_line_bytes: int  # input-file bytes of the first `NAIVE_SAMPLE` lines
    sample_text_bytes: int


def _rate(records: int, seconds: float, file_bytes: int, text_bytes: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "records": records,
        "seconds": round(seconds, 3),
        "records_per_s": round(records / seconds),
        "mb_per_s": round(file_bytes / 1e6 / seconds, 2),
    }
    if text_bytes is not None:
        out["text_mb_per_s"] = round(text_bytes / 1e6 / seconds, 2)
    return out


def _cpu_rate(out: dict[str, Any], records: int, cpu: float) -> dict[str, Any]:
    out["cpu_records_per_s"] = round(records / cpu) if cpu else None
    return out


def engine(
    kb: KnowledgeBase, texts: _Texts, file_bytes: int, *, reference: bool = False, per_text: bool = False
) -> dict[str, Any]:
    """`identify_texts` in batches (or `identify_text` per text, or the reference engine on the sample)
    over the parsed texts: no I/O."""
    chosen = texts.texts[:NAIVE_SAMPLE] if reference else texts.texts
    found = [0, 0]

    def count(results: Iterator[list[Any]] | list[list[Any]]) -> None:
        with_matches = matches = 0
        for m in results:
            if m:
                with_matches += 1
                matches += len(m)
        found[0], found[1] = with_matches, matches

    def body() -> None:
        if reference:
            count(reference_identify_text(text, kb) for text in chosen)
        elif per_text:
            count(identify_text(text, kb) for text in chosen)
        else:
            count(m for i in range(0, len(chosen), BATCH) for m in identify_texts(chosen[i : i + BATCH], kb))

    label = (
        f"reference_engine ({len(chosen):,} records)"
        if reference
        else "engine_per_text"
        if per_text
        else "engine"
    )
    wall, cpu = _timed(label, body)
    if reference:
        result = _rate(len(chosen), wall, texts.sample_line_bytes, texts.sample_text_bytes)
    else:
        result = _rate(len(chosen), wall, file_bytes, texts.text_bytes)
    result.update(cpu_seconds=round(cpu, 3), records_with_matches=found[0], matches=found[1])
    return _cpu_rate(result, len(chosen), cpu)


def _timed(label: str, body: Callable[[], None]) -> tuple[float, float]:
    """Run `body` once after a full collection; its wall and process CPU seconds."""
    gc.collect()
    log(f"{label}: started")
    wall, cpu = time.perf_counter(), time.process_time()
    body()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    log(f"{label}: {wall:.2f}s")
    return wall, cpu


def end_to_end(kb: KnowledgeBase, corpus: Corpus, work_dir: Path) -> dict[str, Any]:
    """`run_identify` from the corpus file to a JSON Lines file, as the command line does it."""
    rejects: list[Reject] = []
    every = max(2000, corpus.records // 10 // 2000 * 2000)

    def progress(n: int) -> None:
        if n % every == 0:
            log(f"end_to_end: {n:,} records")

    work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="identify-") as tmp:
        out_path = Path(tmp) / "matches.jsonl"
        summaries = []

        def body() -> None:
            source = Source(str(corpus.path), fmt="jsonl")
            with out_path.open("w", encoding="utf-8") as out:
                summaries.append(
                    run_identify(
                        source,
                        corpus.path.name,
                        kb=kb,
                        out=out,
                        rejects=rejects.append,
                        progress=progress,
                    )
                )

        wall, cpu = _timed("end_to_end", body)
        output_bytes = out_path.stat().st_size
    summary = summaries[0]
    result = _cpu_rate(_rate(summary.read, wall, corpus.bytes), summary.read, cpu)
    result.update(
        cpu_seconds=round(cpu, 3),
        records_identified=summary.identified,
        records_with_matches=summary.with_matches,
        matches=summary.matches,
        rejected=summary.rejected,
        output_mb=round(output_bytes / 1e6, 2),
        substances_found=len(summary.by_substance),
    )
    return result


def command_line(corpus: Corpus, work_dir: Path, *, systematic: bool) -> dict[str, Any]:
    """`precwatch identify CORPUS --out FILE` in a subprocess: wall time and the CPU of the process tree."""
    work_dir.mkdir(parents=True, exist_ok=True)
    label = "command_line" if systematic else "command_line_no_systematic"
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="identify-cli-") as tmp:
        out_path = Path(tmp) / "matches.jsonl"
        command = [
            sys.executable,
            "-m",
            "precwatch.cli",
            "identify",
            str(corpus.path),
            "--out",
            str(out_path),
        ]
        command.append("--systematic" if systematic and java_available() else "--no-systematic")
        gc.collect()
        log(f"{label}: started")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        log(f"{label}: {wall:.2f}s")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        digest = hashlib.sha256(out_path.read_bytes()).hexdigest()
    result = _cpu_rate(_rate(corpus.records, wall, corpus.bytes), corpus.records, cpu)
    result.update(cpu_seconds=round(cpu, 3), systematic=systematic and java_available(), output_sha256=digest)
    return result


def reading(corpus: Corpus) -> dict[str, Any]:
    """`read_records` from the corpus file, every record built and dropped: the reader's cost alone."""
    count = [0]

    def body() -> None:
        n = 0
        for _ in read_records(Source(str(corpus.path), fmt="jsonl")):
            n += 1
        count[0] = n

    wall, cpu = _timed("reading", body)
    result = _rate(count[0], wall, corpus.bytes)
    result.update(cpu_seconds=round(cpu, 3))
    return _cpu_rate(result, count[0], cpu)


def jobs_scaling(corpus: Corpus, work_dir: Path, workers: tuple[int, ...] = (1, 2)) -> dict[str, Any]:
    """`run_identify` through the local engine (`identify --jobs N`) for each N, same corpus, same run:
    records per wall second, and the output's SHA-256 (identical for every N, or the engine is wrong)."""
    out: dict[str, Any] = {}
    work_dir.mkdir(parents=True, exist_ok=True)
    for jobs in workers:
        with tempfile.TemporaryDirectory(dir=work_dir, prefix="identify-jobs-") as tmp:
            out_path = Path(tmp) / "matches.jsonl"
            summaries: list[Any] = []
            wall, _ = _timed(f"jobs {jobs}", partial(_identify_jobs, corpus, jobs, out_path, summaries))
            digest = hashlib.sha256(out_path.read_bytes()).hexdigest()
        out[str(jobs)] = _rate(summaries[0].read, wall, corpus.bytes) | {"output_sha256": digest}
    return out


def _identify_jobs(corpus: Corpus, jobs: int, out_path: Path, summaries: list[Any]) -> None:
    job = IdentifyJob(file_name=corpus.path.name)
    start = local_engine(job, jobs=jobs)
    source = Source(str(corpus.path))
    try:
        with out_path.open("w", encoding="utf-8") as sink:
            summary = run_identify(
                source, corpus.path.name, kb=job.kb(), out=sink, rejects=lambda _: None, engine=start
            )
            summaries.append(summary)
    finally:
        source.close()


def _read_texts(path: Path, sample: int) -> _Texts:
    texts: list[str] = []
    text_bytes = sample_line_bytes = sample_text_bytes = 0
    loads = json.loads
    with path.open("rb") as f:
        for n, line in enumerate(f):
            text = loads(line)["text"]
            texts.append(text)
            size = len(text.encode("utf-8"))
            text_bytes += size
            if n < sample:
                sample_line_bytes += len(line)
                sample_text_bytes += size
    return _Texts(texts, text_bytes, sample_line_bytes, sample_text_bytes)


def automaton_ceiling(kb: KnowledgeBase, texts: _Texts, file_bytes: int) -> dict[str, Any]:
    """The raw Aho-Corasick scan of every lowercased text: the ceiling for any identification."""
    scan = name_index(kb).automaton.iter
    hits = [0]

    def body() -> None:
        n = 0
        for text in texts.texts:
            for _ in scan(text.lower()):
                n += 1
        hits[0] = n

    wall, cpu = _timed("automaton_ceiling", body)
    result = _rate(len(texts.texts), wall, file_bytes, texts.text_bytes)
    result.update(cpu_seconds=round(cpu, 3), hits=hits[0], keys=len(name_index(kb).keys))
    return _cpu_rate(result, len(texts.texts), cpu)


def hyperscan_ceiling(kb: KnowledgeBase, texts: _Texts, file_bytes: int) -> dict[str, Any] | None:
    """The same keys as `automaton_ceiling` through Hyperscan, one lowercased text at a time (None where
    Hyperscan is not installed)."""
    scanner = Literals(list(name_index(kb).automaton.keys()))
    if not scanner.vectorised:
        return None
    hits = [0]

    def body() -> None:
        n = 0
        find = scanner.find
        for text in texts.texts:
            n += len(find(text.lower()))
        hits[0] = n

    wall, cpu = _timed("hyperscan_ceiling", body)
    result = _rate(len(texts.texts), wall, file_bytes, texts.text_bytes)
    result.update(cpu_seconds=round(cpu, 3), hits=hits[0])
    return _cpu_rate(result, len(texts.texts), cpu)


def naive_names(kb: KnowledgeBase) -> list[str]:
    """Every knowledge-base name and synonym, lower case, longest first (ties alphabetical)."""
    names = {n.lower() for s in kb.substances for n in (s.preferred_name, *(n for _, n in s.names.all()))}
    return sorted(names, key=lambda n: (-len(n), n))


def naive_re_baseline(kb: KnowledgeBase, texts: _Texts, sample: int) -> dict[str, Any]:
    """One big `re` alternation of all names, `finditer` over each text of the sample."""
    names = naive_names(kb)
    start = time.perf_counter()
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    compile_seconds = time.perf_counter() - start
    chosen = texts.texts[:sample]
    hits = [0]

    def body() -> None:
        n = 0
        finditer = pattern.finditer
        for text in chosen:
            for _ in finditer(text):
                n += 1
        hits[0] = n

    wall, cpu = _timed(f"naive_re_baseline ({len(chosen):,} records)", body)
    result = _rate(len(chosen), wall, texts.sample_line_bytes, texts.sample_text_bytes)
    result.update(
        cpu_seconds=round(cpu, 3),
        hits=hits[0],
        patterns=len(names),
        compile_seconds=round(compile_seconds, 3),
        sample_records=len(chosen),
    )
    return _cpu_rate(result, len(chosen), cpu)


def _vocabulary_problems(kb: KnowledgeBase) -> Iterator[str]:
    """Phrases of the ordinary-goods vocabulary that the knowledge base would match (should be none)."""
    for phrase in vocabulary():
        if identify_text(phrase, kb):
            yield phrase


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("nan")


def run(opts: BenchOptions) -> dict[str, Any]:
    start = time.perf_counter()
    kb = load_kb()
    kb_seconds = time.perf_counter() - start
    start = time.perf_counter()
    index = name_index(kb)  # build the automaton once, outside every timer
    index_seconds = time.perf_counter() - start
    log(f"knowledge base {kb.version}: {len(kb)} substances, {len(index.keys)} name keys")
    clashes = list(_vocabulary_problems(kb))
    if clashes:
        log(f"warning: ordinary corpus phrases name KB substances: {clashes}")

    corpus = ensure_corpus(
        kb, opts.records, opts.seed, opts.work_dir, lambda n: log(f"corpus: {n:,} records")
    )
    e2e = end_to_end(kb, corpus, opts.work_dir)
    cli = command_line(corpus, opts.work_dir, systematic=True)
    cli_plain = command_line(corpus, opts.work_dir, systematic=False)
    read = reading(corpus)
    scaling = jobs_scaling(corpus, opts.work_dir)
    log("parsing the corpus for the scan-only measurements (untimed)")
    sample = min(NAIVE_SAMPLE, corpus.records)
    texts = _read_texts(corpus.path, sample)
    ceiling = automaton_ceiling(kb, texts, corpus.bytes)
    vectorised = hyperscan_ceiling(kb, texts, corpus.bytes)
    fast = engine(kb, texts, corpus.bytes)
    per_text = engine(kb, texts, corpus.bytes, per_text=True)
    reference = engine(kb, texts, corpus.bytes, reference=True)
    naive = naive_re_baseline(kb, texts, sample)
    log(f"instructions per record (callgrind, first {SAMPLE_INSTRUCTIONS:,} records; about 4 minutes)")
    counted = instruction_figures(corpus.path, opts.work_dir)

    rps, mbps = e2e["records_per_s"], e2e["mb_per_s"]
    return {
        "benchmark": "identify",
        "kb_version": kb.version,
        "records": corpus.records,
        "corpus_mb": round(corpus.bytes / 1e6, 2),
        "corpus": corpus.to_dict() | {"vocabulary_clashes": clashes},
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "pyahocorasick": metadata.version("pyahocorasick"),
        "machine": {
            "cpus": os.cpu_count(),
            "arch": platform.machine(),
            "platform": platform.platform(terse=True),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "setup_seconds": {"load_kb": round(kb_seconds, 3), "build_automaton": round(index_seconds, 3)},
        "results": {
            "end_to_end": e2e,
            "command_line": cli,
            "command_line_no_systematic": cli_plain,
            "reading": read,
            "engine": fast,
            "engine_per_text": per_text,
            "reference_engine": reference,
            "automaton_ceiling": ceiling,
            "hyperscan_ceiling": vectorised,
            "naive_re_baseline": naive,
            "jobs": scaling,
            "instructions_per_record": counted,
        },
        "ratios": {
            "end_to_end_vs_naive_re": _ratio(rps, naive["records_per_s"]),
            "end_to_end_vs_ceiling": _ratio(rps, ceiling["records_per_s"]),
            "jobs_2_vs_1": _ratio(scaling["2"]["records_per_s"], scaling["1"]["records_per_s"]),
            "jobs_outputs_identical": len({r["output_sha256"] for r in scaling.values()}) == 1,
            "per_core": {
                "engine_vs_ceiling": _ratio(fast["cpu_records_per_s"], ceiling["cpu_records_per_s"]),
                "engine_vs_reference": _ratio(fast["cpu_records_per_s"], reference["cpu_records_per_s"]),
                "end_to_end_vs_ceiling": _ratio(e2e["cpu_records_per_s"], ceiling["cpu_records_per_s"]),
                "command_line_vs_ceiling": _ratio(cli["cpu_records_per_s"], ceiling["cpu_records_per_s"]),
                "command_line_no_systematic_vs_ceiling": _ratio(
                    cli_plain["cpu_records_per_s"], ceiling["cpu_records_per_s"]
                ),
                "end_to_end_vs_hyperscan_ceiling": (
                    _ratio(e2e["cpu_records_per_s"], vectorised["cpu_records_per_s"]) if vectorised else None
                ),
                "reading_share_of_end_to_end": _ratio(read["cpu_seconds"], e2e["cpu_seconds"]),
                "end_to_end_vs_ceiling_in_instructions": counted["end_to_end_vs_ceiling"],
            },
        },
        "goals": {
            "records_per_s": GOAL_RECORDS_PER_S,
            "mb_per_s": GOAL_MB_PER_S,
            "met_records_per_s": rps >= GOAL_RECORDS_PER_S,
            "met_engine_records_per_s_per_core": fast["cpu_records_per_s"] >= GOAL_RECORDS_PER_S,
            "met_end_to_end_records_per_s_per_core": e2e["cpu_records_per_s"] >= GOAL_RECORDS_PER_S,
            "ratio_to_ceiling": GOAL_CEILING_RATIO,
            "met_ratio_to_ceiling_per_core": _ratio(e2e["cpu_records_per_s"], ceiling["cpu_records_per_s"])
            >= GOAL_CEILING_RATIO,
            "met_mb_per_s": mbps >= GOAL_MB_PER_S,
        },
        "units": "single process; MB = 10^6 bytes of input file; text_mb_per_s counts record text only",
    }
