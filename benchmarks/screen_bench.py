"""Screening throughput, declarations file to results file: the local engine on 1 and 2 cores, and Spark.

Three runs of the same job over the same generated CSV (`benchmarks.declarations`), each end to end:
read and parse the file (`read_raw`), screen (`run_local` or `run_spark`), write every verdict as JSON
Lines (`open_results`) and every reject as JSON Lines. The three results files must be byte-identical;
the benchmark says whether they are.

- `local_jobs_1`: the local engine in one process (the single-core baseline);
- `local_jobs_2`: the local engine with 2 worker processes (the goal is measured here);
- `spark_local_2`: the Spark engine on `local[2]`, end to end too: the driver stages the parsed rows as
  Parquet, Spark screens them (mapInArrow), the driver merges the results back in input order. The
  session is started before the timer (its start time is reported apart, and a rate including it too).

Each run is a fresh interpreter, so no run profits from caches another one warmed. CPU seconds are given
beside wall time (`parent_cpu_seconds`, `worker_cpu_seconds` for the local engine's worker processes,
`cores_busy` = CPU / wall): on a shared machine a low `cores_busy` says other work took the cores.

Nothing here asserts a threshold: goals are reported, not enforced.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from benchmarks import BenchOptions, log
from benchmarks.declarations import WATCHLIST_NAMES, ensure_declarations
from precwatch.core.screening.verdict import Verdict
from precwatch.data import load_kb
from precwatch.io.records import Reject
from precwatch.io.results import RejectWriter, open_results
from precwatch.io.tables import read_raw
from precwatch.pipelines.engine import run_local, warm_up
from precwatch.pipelines.screen import ScreenJob

GOAL_RECORDS_PER_S = 20_000
"""Declarations per second on 2 cores, local engine, end to end."""

SPARK_MASTER = "local[2]"
ROOT = Path(__file__).resolve().parent.parent


def _write(results: Iterable[Verdict | Reject], out: Path, rejects: Path, kb_version: str) -> dict[str, Any]:
    levels: Counter[str] = Counter()
    rejected = RejectWriter(str(rejects))
    with open_results(str(out), kb_version) as writer:
        for item in results:
            if isinstance(item, Reject):
                rejected.write(item)
            else:
                writer.write(item)
                levels[item.level] += 1
    rejected.close()
    return {"verdicts": writer.count, "rejected": rejected.count, "levels": dict(sorted(levels.items()))}


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (the local engine's workers, once it shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path.exists():
            with path.open("rb") as f:
                while block := f.read(1 << 20):
                    digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _measure(
    label: str,
    spec: dict[str, Any],
    work: Path,
    kb_version: str,
    screen: Callable[[], Iterable[Verdict | Reject]],
) -> dict[str, Any]:
    out, rejects = work / f"{label}.jsonl", work / f"{label}-rejects.jsonl"
    gc.collect()
    log(f"{label}: started")
    wall, cpu, workers = time.perf_counter(), time.process_time(), _children_cpu()
    counts = _write(screen(), out, rejects, kb_version)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    workers = _children_cpu() - workers
    log(f"{label}: {wall:.1f}s, {spec['records'] / wall:,.0f} records/s")
    read = counts["verdicts"] + counts["rejected"]
    return {
        "records": read,
        "seconds": round(wall, 3),
        "records_per_s": round(read / wall),
        "mb_per_s": round(spec["bytes"] / 1e6 / wall, 2),
        "parent_cpu_seconds": round(cpu, 3),
        "worker_cpu_seconds": round(workers, 3),
        "cores_busy": round((cpu + workers) / wall, 2),
        "max_rss_mb": {
            "parent": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "largest_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        },
        **counts,
        "output_mb": round(out.stat().st_size / 1e6, 2),
        "output_sha256": _digest(out, rejects),
    }


def _watchlist(work: Path) -> Path:
    path = work / "bench-watchlist.csv"
    rows = "".join(f'"{n}",,CN,benchmark,invented\n' for n in WATCHLIST_NAMES)
    path.write_text("name,aliases,country,program,source\n" + rows, encoding="utf-8")
    return path


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("nan")


def _isolated(spec: dict[str, Any]) -> dict[str, Any] | None:
    """Run one measurement in a fresh interpreter (no screener caches warmed by an earlier run)."""
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    }
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.screen_bench", json.dumps(spec)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, Any] | None = json.loads(done.stdout)
    return result


def run(opts: BenchOptions) -> dict[str, Any]:
    kb = load_kb()
    data = ensure_declarations(kb, opts.records, opts.seed, opts.work_dir)
    opts.work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=opts.work_dir, prefix="screen-") as tmp:
        work = Path(tmp)
        spec = {"path": str(data.path), "records": data.records, "bytes": data.bytes, "work": tmp}
        spec["watchlist"] = str(_watchlist(work))
        one = _isolated(spec | {"engine": "local", "jobs": 1})
        two = _isolated(spec | {"engine": "local", "jobs": 2})
        spark = _isolated(spec | {"engine": "spark", "master": SPARK_MASTER})
    assert one is not None and two is not None
    figures = {"local_jobs_1": one, "local_jobs_2": two}
    if spark is not None:
        figures["spark_local_2"] = spark
    digests = {r["output_sha256"] for r in figures.values()}
    rps = two["records_per_s"]
    return {
        "benchmark": "screen",
        "kb_version": kb.version,
        "records": data.records,
        "input_mb": round(data.bytes / 1e6, 2),
        "input": data.to_dict(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": {
            "cpus": os.cpu_count(),
            "arch": platform.machine(),
            "platform": platform.platform(terse=True),
        },
        "results": figures,
        "identical_outputs": len(digests) == 1,
        "ratios": {
            "local_jobs_2_vs_jobs_1": _ratio(rps, one["records_per_s"]),
            **({"spark_vs_local_jobs_2": _ratio(spark["records_per_s"], rps)} if spark is not None else {}),
        },
        "goals": {"records_per_s_on_2_cores": GOAL_RECORDS_PER_S, "met": rps >= GOAL_RECORDS_PER_S},
        "units": "end to end, file to results; MB = 10^6 bytes of the input CSV; records = verdicts + rejects",
    }


def measure(spec: dict[str, Any]) -> dict[str, Any] | None:
    """One measurement, in this process: the local engine with `jobs`, or Spark on `master`."""
    kb_version = load_kb().version
    path = spec["path"]
    job = ScreenJob("declarations", watchlist_paths=(spec["watchlist"],), file_name=Path(path).name)
    work = Path(spec["work"])
    start = time.perf_counter()
    warm_up(job)
    setup = time.perf_counter() - start
    if spec["engine"] == "local":
        jobs = spec["jobs"]
        label = f"local_jobs_{jobs}"
        result = _measure(
            label,
            spec,
            work,
            kb_version,
            lambda: run_local(read_raw(path, "csv", kind=job.kind)[0], job, jobs=jobs),
        )
        result["setup_seconds"] = {"build_screener": round(setup, 3)}
        return result
    return _spark(job, spec, work, kb_version)


def _spark(job: ScreenJob, spec: dict[str, Any], work: Path, kb_version: str) -> dict[str, Any] | None:
    """The Spark run, or None (saying why) when pyspark is missing."""
    try:
        from precwatch.spark import run_spark, spark_session
    except ImportError as exc:
        log(f"spark: skipped ({exc})")
        return None
    master, path = spec["master"], spec["path"]
    start = time.perf_counter()
    spark = spark_session(master, work / "spark")
    started = time.perf_counter() - start
    log(f"spark: session on {master} started in {started:.1f}s")
    try:
        result = _measure(
            "spark",
            spec,
            work,
            kb_version,
            lambda: run_spark(path, "csv", job=job, spark=spark, work_dir=str(work)),
        )
    finally:
        spark.stop()
    for local_only in ("worker_cpu_seconds", "cores_busy"):  # Spark's JVM and workers are not children
        result.pop(local_only)
    result["max_rss_mb"].pop("largest_worker")
    result["master"] = master
    result["session_start_seconds"] = round(started, 3)
    result["records_per_s_including_start"] = round(result["records"] / (result["seconds"] + started))
    return result


if __name__ == "__main__":
    json.dump(measure(json.loads(sys.argv[1])), sys.stdout)
