"""The local engine: every core, input order kept, a bounded number of records in memory.

It runs a `Job`, screening (`precwatch.pipelines.screen.ScreenJob`) or identification
(`precwatch.pipelines.identify_job.IdentifyJob`): a small picklable value with a unit of work,
`process(items) -> results`, one result per item in order. The reader's items are cut into chunks of
`chunk_size`; at most `2 * jobs` chunks are being processed at any time, so memory stays flat whatever
the size of the file. The reader's rejects never reach the job: they are put back in place around its
results. The Spark engine (`precwatch.spark`) runs the same unit of work, so both give the same results.

Worker processes are forked where the platform allows it, after the parent has warmed the job up
(`Job.warm_up`): the knowledge base, its automaton and the RDKit structures are then shared copy-on-write
instead of rebuilt in every worker. Elsewhere they are spawned and each builds its own once. OPSIN (Java)
starts lazily in each worker that needs it, and is stopped when the worker is (a signal, a closed run).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import weakref
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from typing import Any, Generic, Protocol, TypeVar

from precwatch.io.records import Reject
from precwatch.pipelines.resolver import close_resolvers

In = TypeVar("In")
Out = TypeVar("Out")
In_contra = TypeVar("In_contra", contravariant=True)

DEFAULT_CHUNK_SIZE = 2000
"""Rows per unit of work: large enough to amortise inter-process traffic, small enough to stream."""

CHUNKS_PER_WORKER = 2
"""Chunks in flight per worker process: one being processed, one waiting (keeps workers busy)."""


class EngineError(Exception):
    """The job failed inside the engine; the message names the input lines of the failed chunk."""


ScreeningError = EngineError
"""The name screening code catches (`EngineError` by its older name)."""


class Job(Protocol[In_contra, Out]):
    """What an engine runs: a picklable value (paths and options, not built objects) whose unit of work
    turns a chunk of the reader's items into one result (or reject) each, in order."""

    @property
    def verb(self) -> str:
        """What the job does, for messages ("screening lines 1-2000 failed: ...")."""
        ...

    def warm_up(self) -> None:
        """Build what the unit of work needs (knowledge base, indexes) in this process; fail early if broken."""
        ...

    def process(self, items: Sequence[In_contra], /) -> list[Out | Reject]:
        """The unit of work: one result or reject per item, in order."""
        ...

    def pack(self, results: list[Out | Reject], /) -> list[Any]:
        """Results as a worker process sends them back (something cheaper to pickle, or themselves)."""
        ...

    def unpack(self, packed: list[Any], /) -> list[Out | Reject]:
        """`pack` undone, in the parent."""
        ...


def _line(item: object) -> int:
    """The input line of a reader's item: a raw row `(line, fields)`, or an object with `.line`."""
    return item[0] if type(item) is tuple else item.line  # type: ignore[attr-defined,no-any-return]


@dataclass(slots=True)
class _Chunk(Generic[In]):
    """Items for the job, and the reader's rejects that came between them (by position among the items)."""

    rows: list[In] = field(default_factory=list)
    rejects: list[tuple[int, Reject]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) + len(self.rejects)

    def lines(self) -> str:
        lines = [_line(row) for row in self.rows] + [r.line for _, r in self.rejects]
        return f"lines {min(lines)}-{max(lines)}" if lines else "no lines"

    def merge(self, results: Sequence[Out | Reject]) -> Iterator[Out | Reject]:
        """The chunk's results with its rejects put back where they were read."""
        if len(results) != len(self.rows):
            raise EngineError(f"{self.lines()}: {len(self.rows)} items processed into {len(results)} results")
        if not self.rejects:
            yield from results
            return
        done = 0
        for position, reject in self.rejects:
            yield from results[done:position]
            done = position
            yield reject
        yield from results[done:]


def _chunks(items: Iterable[In | Reject], size: int) -> Iterator[_Chunk[In]]:
    """The items in chunks of `size` (rows and rejects counted alike; the last chunk may be shorter)."""
    chunk: _Chunk[In] = _Chunk()
    held = 0
    for item in items:
        if isinstance(item, Reject):
            chunk.rejects.append((len(chunk.rows), item))
        else:
            chunk.rows.append(item)
        held += 1
        if held >= size:
            yield chunk
            chunk, held = _Chunk(), 0
    if held:
        yield chunk


def process_items(job: Job[In, Out], items: Sequence[In | Reject]) -> list[Out | Reject]:
    """Run the job on the reader's items and pass rejects through, in order (one chunk, in this process)."""
    out: list[Out | Reject] = []
    for chunk in _chunks(items, max(1, len(items))):
        out.extend(chunk.merge(job.process(chunk.rows) if chunk.rows else []))
    return out


screen_items = process_items
"""Screen raw rows and pass rejects through, in order (`process_items` by its older name)."""


def warm_up(job: Job[Any, Any]) -> None:
    """Warm the job up in this process (`Job.warm_up`): forked workers then share what it built."""
    job.warm_up()


def _context() -> BaseContext:
    """'fork' on Linux (workers inherit the built screener), else 'spawn'."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _work(job: Job[In, Out], rows: list[In]) -> list[Any]:
    """The work done in a worker process."""
    return job.pack(job.process(rows))


def run_local(
    rows: Iterable[In | Reject],
    job: Job[In, Out],
    *,
    jobs: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Generator[Out | Reject, None, None]:
    """Run a job over every item of a reader on this machine: one result or reject per item, in input order.

    Args:
        rows: the reader's output (`precwatch.io.tables.read_raw`, `precwatch.io.texts.read_records`):
            items for the job and rejects.
        job: what to run (a `ScreenJob`, an `IdentifyJob`); what it needs is built once per process.
        jobs: worker processes (default: every core). 1 runs in this process, without a pool.
        chunk_size: items per unit of work.

    With `jobs` > 1 the worker processes start at the call (see `local_engine`); iterate the result to the end or close it
    (`Generator.close`) to stop them.

    Raises:
        EngineError: processing a chunk failed (the message names its lines; the cause is chained)
            or a worker process died.
    """
    return local_engine(job, jobs=jobs, chunk_size=chunk_size)(rows)


def local_engine(
    job: Job[In, Out], *, jobs: int | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Callable[[Iterable[In | Reject]], Generator[Out | Reject, None, None]]:
    """Warm the job up and start the worker processes now; the function returned runs them over a
    reader's items (once), as `run_local` does.

    For a caller that opens its input later, or starts threads of its own (a progress bar's) before
    reading: a process forked while another thread holds a lock (standard error's, say) would inherit
    it held, so the workers are forked here, before.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise ValueError(f"jobs must be at least 1, got {workers}")
    warm_up(job)
    if workers == 1:
        return lambda rows: _in_process(rows, job, chunk_size)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_worker_init)
    for started in [pool.submit(os.getpid) for _ in range(workers)]:
        started.result()
    used: list[bool] = []

    def run(rows: Iterable[In | Reject]) -> Generator[Out | Reject, None, None]:
        if used:
            raise RuntimeError("a local engine runs once")
        used.append(True)
        results = _in_pool(rows, job, pool, workers * CHUNKS_PER_WORKER, chunk_size)
        weakref.finalize(results, pool.shutdown, wait=False, cancel_futures=True)  # dropped unstarted
        return results

    def never_run() -> None:
        if not used:
            pool.shutdown(wait=False, cancel_futures=True)

    weakref.finalize(run, never_run)
    return run


def _in_process(
    rows: Iterable[In | Reject], job: Job[In, Out], chunk_size: int
) -> Generator[Out | Reject, None, None]:
    for chunk in _chunks(rows, chunk_size):
        try:
            results = job.process(chunk.rows) if chunk.rows else []
        except Exception as exc:
            raise EngineError(f"{job.verb} {chunk.lines()} failed: {exc}") from exc
        yield from chunk.merge(results)


def _in_pool(
    rows: Iterable[In | Reject], job: Job[In, Out], pool: ProcessPoolExecutor, limit: int, chunk_size: int
) -> Generator[Out | Reject, None, None]:
    window: deque[tuple[_Chunk[In], Future[list[Any]] | None]] = deque()
    stopped = False
    try:
        for chunk in _chunks(rows, chunk_size):
            window.append((chunk, pool.submit(_work, job, chunk.rows) if chunk.rows else None))
            while len(window) >= limit:
                yield from _collect(job, *window.popleft())
        while window:
            yield from _collect(job, *window.popleft())
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
    job: Job[In, Out], chunk: _Chunk[In], future: Future[list[Any]] | None
) -> Iterator[Out | Reject]:
    try:
        results = job.unpack(future.result()) if future is not None else []
    except BrokenProcessPool as exc:
        raise EngineError(
            f"a {job.verb} worker process died unexpectedly; records from {chunk.lines()} on were not processed"
        ) from exc
    except Exception as exc:
        raise EngineError(f"{job.verb} {chunk.lines()} failed: {exc}") from exc
    return chunk.merge(results)
