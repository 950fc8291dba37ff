"""The local screening engine: every core, input order kept, a bounded number of rows in memory.

Rows are cut into chunks of `chunk_size`; at most `2 * jobs` chunks are being screened at any time, so
memory stays flat whatever the size of the file. Each chunk goes to `ScreenJob.screen_rows`, the one unit
of work that the Spark engine (`precwatch.spark`) runs too, so both engines give the same verdicts.

Worker processes are forked where the platform allows it, after the parent has built the screener: the
knowledge base, its automaton and the RDKit structures are then shared copy-on-write instead of rebuilt
in every worker. Elsewhere they are spawned and each builds its screener once.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import weakref
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing.context import BaseContext

from precwatch.core.screening.verdict import Verdict
from precwatch.io.records import Reject
from precwatch.io.tables import RawRow
from precwatch.pipelines.screen import ScreenJob, close_resolvers

DEFAULT_CHUNK_SIZE = 2000
"""Rows per unit of work: large enough to amortise inter-process traffic, small enough to stream."""

CHUNKS_PER_WORKER = 2
"""Chunks in flight per worker process: one being screened, one waiting (keeps workers busy)."""


class ScreeningError(Exception):
    """Screening failed inside the engine; the message names the input lines of the failed chunk."""


@dataclass(slots=True)
class _Chunk:
    """Raw rows to screen, and the reader's rejects that came between them (by position among the rows)."""

    rows: list[RawRow] = field(default_factory=list)
    rejects: list[tuple[int, Reject]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) + len(self.rejects)

    def lines(self) -> str:
        lines = [line for line, _ in self.rows] + [r.line for _, r in self.rejects]
        return f"lines {min(lines)}-{max(lines)}" if lines else "no lines"

    def merge(self, results: Sequence[Verdict | Reject]) -> Iterator[Verdict | Reject]:
        """The chunk's results with its rejects put back where they were read."""
        if len(results) != len(self.rows):
            raise ScreeningError(
                f"{self.lines()}: {len(self.rows)} rows screened into {len(results)} results"
            )
        if not self.rejects:
            yield from results
            return
        done = 0
        for position, reject in self.rejects:
            yield from results[done:position]
            done = position
            yield reject
        yield from results[done:]


def _chunks(items: Iterable[RawRow | Reject], size: int) -> Iterator[_Chunk]:
    chunk = _Chunk()
    for item in items:
        if isinstance(item, Reject):
            chunk.rejects.append((len(chunk.rows), item))
        else:
            chunk.rows.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = _Chunk()
    if len(chunk):
        yield chunk


def screen_items(job: ScreenJob, items: Sequence[RawRow | Reject]) -> list[Verdict | Reject]:
    """Screen raw rows and pass rejects through, in order (one chunk, in this process)."""
    out: list[Verdict | Reject] = []
    for chunk in _chunks(items, max(1, len(items))):
        out.extend(chunk.merge(job.screen_rows(chunk.rows) if chunk.rows else []))
    return out


WARM_UP_ROW: RawRow = (0, {"id": "warm-up", "description": "NPP (CAS 39742-60-4), 4-piperidone"})
"""A row screened (and thrown away) before forking, so that lazily built indexes exist in the parent."""


def warm_up(job: ScreenJob) -> None:
    """Build the job's screener and the indexes it builds on first use, in this process.

    Forked workers then share them instead of each building its own; and a broken knowledge base,
    policy or watchlist fails here, in the caller, before any row is read.
    """
    job.screener()
    # the knowledge base's indexes are shared by every screener of this process; OPSIN (systematic
    # names) is not warmed: each process starts its own JVM, and the parent of a pool needs none
    (replace(job, systematic=False) if job.systematic else job).screen_rows([WARM_UP_ROW])


def _context() -> BaseContext:
    """'fork' on Linux (workers inherit the built screener), else 'spawn'."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


_Plain = tuple[str, int, str, int]
"""A verdict with no reasons, matches or record, as (id, score, level, line): most verdicts, and much
cheaper to send between processes than the object."""


def _screen_chunk(job: ScreenJob, rows: list[RawRow]) -> list[Verdict | Reject | _Plain]:
    """The work done in a worker process."""
    return [
        (r.id, r.score, r.level, r.line)
        if type(r) is Verdict and not r.reasons and not r.matches and r.record is None
        else r
        for r in job.screen_rows(rows)
    ]


def _unpack(results: list[Verdict | Reject | _Plain]) -> list[Verdict | Reject]:
    return [Verdict(r[0], r[1], r[2], (), (), r[3]) if type(r) is tuple else r for r in results]  # type: ignore[misc]


def run_local(
    rows: Iterable[RawRow | Reject],
    job: ScreenJob,
    *,
    jobs: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Generator[Verdict | Reject, None, None]:
    """Screen every row of a reader on this machine: one verdict or reject per input item, in input order.

    Args:
        rows: the reader's output (`precwatch.io.tables.read_raw`): raw rows and rejects.
        job: what to screen with (knowledge base, policy, watchlists); built once per process.
        jobs: worker processes (default: every core). 1 screens in this process, without a pool.
        chunk_size: rows per unit of work.

    With `jobs` > 1 the worker processes start at the call; iterate the result to the end or close it
    (`Generator.close`) to stop them.

    Raises:
        ScreeningError: screening a chunk failed (the message names its lines; the cause is chained)
            or a worker process died.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise ValueError(f"jobs must be at least 1, got {workers}")
    warm_up(job)
    if workers == 1:
        return _in_process(rows, job, chunk_size)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_worker_init)
    # start the workers now, before the caller starts threads of its own (a progress bar's): a process
    # forked while another thread holds a lock (standard error's, say) would inherit it held
    for started in [pool.submit(os.getpid) for _ in range(workers)]:
        started.result()
    results = _in_pool(rows, job, pool, workers * CHUNKS_PER_WORKER, chunk_size)
    weakref.finalize(results, pool.shutdown, wait=False, cancel_futures=True)  # dropped unstarted
    return results


def _in_process(
    rows: Iterable[RawRow | Reject], job: ScreenJob, chunk_size: int
) -> Generator[Verdict | Reject, None, None]:
    for chunk in _chunks(rows, chunk_size):
        try:
            results = job.screen_rows(chunk.rows) if chunk.rows else []
        except Exception as exc:
            raise ScreeningError(f"screening {chunk.lines()} failed: {exc}") from exc
        yield from chunk.merge(results)


def _in_pool(
    rows: Iterable[RawRow | Reject], job: ScreenJob, pool: ProcessPoolExecutor, limit: int, chunk_size: int
) -> Generator[Verdict | Reject, None, None]:
    window: deque[tuple[_Chunk, Future[list[Verdict | Reject | _Plain]] | None]] = deque()
    stopped = False
    try:
        for chunk in _chunks(rows, chunk_size):
            window.append((chunk, pool.submit(_screen_chunk, job, chunk.rows) if chunk.rows else None))
            while len(window) >= limit:
                yield from _collect(*window.popleft())
        while window:
            yield from _collect(*window.popleft())
    except BaseException:
        stopped = True
        terminate(pool)
        raise
    finally:
        if not stopped:
            pool.shutdown(wait=True, cancel_futures=True)


def terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now (a signal, a closed run): each gets SIGTERM, closes its OPSIN JVM and exits."""
    processes = dict(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        if process.is_alive():
            process.terminate()
    for process in processes.values():
        process.join(timeout=10)


def _worker_init() -> None:
    """In each worker: SIGTERM closes this process's OPSIN JVM and exits; SIGINT is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)


def _worker_stop(signum: int, frame: object) -> None:
    close_resolvers()
    os._exit(128 + signum)


def _collect(
    chunk: _Chunk, future: Future[list[Verdict | Reject | _Plain]] | None
) -> Iterator[Verdict | Reject]:
    try:
        results = _unpack(future.result()) if future is not None else []
    except BrokenProcessPool as exc:
        raise ScreeningError(
            f"a screening worker process died unexpectedly; rows from {chunk.lines()} on were not screened"
        ) from exc
    except Exception as exc:
        raise ScreeningError(f"screening {chunk.lines()} failed: {exc}") from exc
    return chunk.merge(results)
