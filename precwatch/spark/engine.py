"""The Spark engine: the local engine's unit of work (`Job.process`) over mapInArrow.

It runs screening (`run_spark`, `ScreenJob`) and identification (`precwatch.spark.identify`,
`IdentifyJob`) alike; a `Codec` turns each job's results into Arrow columns and back. How a file is
screened (identified), and why this way:

1. The driver reads the file with the same reader as the local engine (`read_raw`) and stages every item,
   raw row or reader reject, in input order, as a Parquet file of `(seq, line, item)` where `item` is the
   pickled Python value. Reading with Spark's own CSV or JSON sources would lose line numbers (a quoted
   CSV field may span lines) and the reader's reject rules; staging keeps both identical by construction.
   Only the cheap part (parsing) runs on the driver; screening, the costly part, is distributed.
2. Spark reads the staged file in small splits (a few per core) and runs `process_items` on each Arrow
   batch through `mapInArrow`, with the `ScreenJob` broadcast together with the content of the knowledge
   base, policy and watchlist files it names (so executors without those paths screen alike).
3. The results are written as Parquet (readable columns for Spark users, and the exact pickled `Verdict`
   or `Reject`), each part file sorted by `seq`, and streamed back in input order by merging the part
   files a row group at a time. (A global `orderBy` would run the screening twice: Spark samples its
   input to choose the sort ranges.)

The working directory (`work_dir`, by default a temporary directory) must be visible at the same path
from the driver and every executor: always true for `local[*]`; for a cluster, use a shared filesystem.
"""

from __future__ import annotations

import heapq
import json
import pickle
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark import Broadcast
from pyspark.sql import DataFrame, SparkSession

from precwatch.core.screening.verdict import Verdict
from precwatch.io.records import Reject
from precwatch.io.tables import read_raw
from precwatch.pipelines.engine import DEFAULT_CHUNK_SIZE, EngineError, Job, process_items
from precwatch.pipelines.screen import ScreenJob
from precwatch.spark.session import spark_session
from precwatch.spark.shipping import ShippedJob, executor_job, ship

R = TypeVar("R")


class Codec(Protocol[R]):
    """How a job's results are written as Arrow columns on the executors and read back on the driver."""

    ddl: str
    """The result rows' Spark schema; its first column is `seq bigint`, the input position."""
    columns: tuple[str, ...]
    """The columns `decode` needs (after `seq`)."""

    def encode(self, seqs: list[int], results: list[R | Reject]) -> pa.RecordBatch:
        """Results (and rejects), with their input positions, as one batch of the `ddl` schema."""
        ...

    def decode(self, columns: list[list[Any]]) -> Iterator[R | Reject]:
        """The results of one batch's `columns` (as Python lists), one per row."""
        ...


class SparkJob(Job[Any, Any], Protocol):
    """A job the Spark engine runs: it names its files (shipped to the executors with it)."""

    @property
    def file_name(self) -> str: ...

    def paths(self) -> tuple[str, ...]: ...

    def moved(self, to: dict[str, str], /) -> Any: ...


STAGED_SCHEMA = pa.schema([("seq", pa.int64()), ("count", pa.int32()), ("items", pa.binary())])
"""One chunk of input items: the position of its first item in the input, how many items, and the pickled
list of raw rows and reader rejects (one pickle per chunk is much cheaper than one per row)."""

RESULT_SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("line", pa.int64()),
        ("id", pa.string()),
        ("score", pa.int32()),
        ("level", pa.string()),
        ("reasons", pa.string()),
        ("matches", pa.string()),
        ("reject", pa.string()),
        ("result", pa.binary()),
    ]
)
"""One result: a verdict (id, score, level, reasons and matches as JSON) or a reject (as JSON), and the
exact pickled `Verdict` or `Reject` the driver hands on; `result` is null for a verdict with no reasons,
matches or record (most of them), which the columns give in full."""

RESULT_DDL = (
    "seq bigint, line bigint, id string, score int, level string, reasons string, matches string, "
    "reject string, result binary"
)
SPLITS_PER_CORE = 4
"""Input splits per core: enough to balance uneven chunks, few enough to keep task overhead small."""
MIN_SPLIT_BYTES = 4096
"""Smallest input split (Spark reads whole Parquet row groups, so a split holds at least one chunk)."""


def run_spark(
    path: str,
    fmt: str | None,
    *,
    job: ScreenJob,
    mapping: Mapping[str, str | None] | None = None,
    master: str = "local[*]",
    spark: SparkSession | None = None,
    work_dir: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Generator[Verdict | Reject, None, None]:
    """Screen a file with Spark: one verdict or reject per input item, in input order (as `run_local`).

    Args:
        path, fmt, mapping: the input, read with `precwatch.io.tables.read_raw`.
        job: what to screen with; shipped to the executors with the content of its files.
        master: the Spark master URL (`local[*]`, `local[2]`, `spark://host:7077`, ...).
        spark: the session to use (left running); by default the active session if there is one
            (left running too), else one is started for `master` and stopped when the results are read.
        work_dir: where the staged input and the results go (a temporary directory inside it).
        chunk_size: input items per unit of work (one row group of the staged input).

    The input is opened and the job's files read at the call (InputError, KnowledgeBaseError, ... are
    raised then); Spark starts when the first result is asked for.

    Raises:
        EngineError (ScreeningError): Spark failed, or did not give back exactly one result per input item.
    """
    items, _size = read_raw(path, fmt, kind=job.kind, mapping=mapping)
    job.screener()  # a broken knowledge base, policy or watchlist fails here, before Spark starts
    return run_items(
        items, job, VERDICTS, master=master, spark=spark, work_dir=work_dir, chunk_size=chunk_size
    )


def run_items(
    items: Iterable[Any],
    job: SparkJob,
    codec: Codec[R],
    *,
    master: str = "local[*]",
    spark: SparkSession | None = None,
    work_dir: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Generator[R | Reject, None, None]:
    """Run a job with Spark over a reader's items (and rejects): one result or reject per item, in input
    order. Spark starts, and the items are read, when the first result is asked for; `spark`, `work_dir`
    and `chunk_size` as for `run_spark`.

    Raises:
        EngineError: Spark failed, or did not give back exactly one result per input item.
    """
    with tempfile.TemporaryDirectory(prefix="precwatch-spark-", dir=work_dir) as tmp:
        active = spark or SparkSession.getActiveSession()
        own = active is None
        session = active if active is not None else spark_session(master, Path(tmp))
        try:
            staged = Path(tmp) / "input.parquet"
            count = stage(items, staged, chunk_size)
            results = Path(tmp) / "results"
            try:
                write_results(session, staged, job, results, codec)
            except Exception as exc:
                raise EngineError(f"{job.file_name}: Spark {job.verb} failed: {exc}") from exc
            yield from read_results(results, count, codec)
        finally:
            if own:
                session.stop()


def stage(items: Iterable[Any], path: Path, chunk_size: int = DEFAULT_CHUNK_SIZE) -> int:
    """Write every item, in order, to a Parquet file of `STAGED_SCHEMA` (a row group per chunk, so that
    Spark can split the file between chunks); the number of items."""
    seq = 0
    with pq.ParquetWriter(path, STAGED_SCHEMA, compression="zstd") as writer:
        for chunk in batched(items, chunk_size):
            blob = pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
            writer.write_batch(pa.record_batch([[seq], [len(chunk)], [blob]], schema=STAGED_SCHEMA))
            seq += len(chunk)
    return seq


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of `size` items (the last one shorter)."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def screen_frame(staged: DataFrame, job: ScreenJob) -> DataFrame:
    """Screen a DataFrame of `STAGED_SCHEMA` rows: a DataFrame of `RESULT_SCHEMA` rows (unordered).

    The job is broadcast for the life of the session; `write_results` releases its own.
    """
    return _frame(staged, staged.sparkSession.sparkContext.broadcast(ship(job)), VERDICTS)


def _frame(staged: DataFrame, shipped: Broadcast[ShippedJob[Any]], codec: Codec[Any]) -> DataFrame:
    return staged.mapInArrow(_process_batches(shipped, codec), codec.ddl)


def write_results(
    spark: SparkSession, staged: Path, job: SparkJob, out: Path, codec: Codec[R] | None = None
) -> None:
    """Run the job over the staged file into Parquet files under `out`, each sorted by `seq` (no shuffle);
    `codec` says how its results are written (by default: verdicts).

    The session's settings changed for this (split size, Arrow batch size) are put back afterwards.
    """
    cores = max(1, spark.sparkContext.defaultParallelism)
    split = str(max(MIN_SPLIT_BYTES, staged.stat().st_size // (cores * SPLITS_PER_CORE)))
    settings = {
        "spark.sql.files.maxPartitionBytes": split,
        "spark.sql.files.openCostInBytes": split,
        "spark.sql.execution.arrow.maxRecordsPerBatch": "1",  # one chunk of `chunk_size` items
    }
    saved = {key: spark.conf.get(key, None) for key in settings}
    shipped = spark.sparkContext.broadcast(ship(job))
    try:
        for key, value in settings.items():
            spark.conf.set(key, value)
        frame = _frame(spark.read.parquet(str(staged)), shipped, codec or VERDICTS)
        frame.sortWithinPartitions("seq").write.mode("overwrite").parquet(str(out))
    finally:
        shipped.unpersist()
        for key, old in saved.items():
            if old is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, old)


def _part(path: Path, codec: Codec[Any]) -> Iterator[tuple[int, Any]]:
    """(seq, result) of each row of one part file, a row group at a time."""
    with pq.ParquetFile(path) as part:
        for batch in part.iter_batches(columns=["seq", *codec.columns]):
            seqs = batch.column(0).to_pylist()
            columns = [batch.column(i + 1).to_pylist() for i in range(len(codec.columns))]
            yield from zip(seqs, codec.decode(columns), strict=True)


def read_results(out: Path, expected: int, codec: Codec[R] | None = None) -> Iterator[R | Reject]:
    """The results under `out` in input order (a merge of the part files, each sorted by `seq`),
    checking that each input item has exactly one; `codec` as for `write_results`."""
    seen = 0
    chosen: Codec[Any] = codec or VERDICTS
    parts = [_part(p, chosen) for p in sorted(out.glob("part-*.parquet"))]
    for seq, result in heapq.merge(*parts, key=itemgetter(0)):
        if seq != seen:
            what = "twice" if seq < seen else "never"
            raise EngineError(f"Spark processed input item {min(seq, seen)} {what}")
        seen += 1
        yield result
    if seen != expected:
        raise EngineError(f"Spark gave {seen} results for {expected} input items")


def _process_batches(
    shipped: Broadcast[ShippedJob[Any]], codec: Codec[Any]
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function mapInArrow runs on each executor."""

    def process(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        job = executor_job(shipped.value)
        for batch in batches:
            firsts = batch.column("seq").to_pylist()
            for first, blob in zip(firsts, batch.column("items").to_pylist(), strict=True):
                items = pickle.loads(blob)
                yield codec.encode(list(range(first, first + len(items))), process_items(job, items))

    return process


class _Verdicts:
    """Verdicts as `RESULT_SCHEMA` rows: readable columns, and the pickled object unless the columns say it all."""

    ddl = RESULT_DDL
    columns: tuple[str, ...] = ("line", "id", "score", "level", "result")

    @staticmethod
    def encode(seqs: list[int], results: list[Verdict | Reject]) -> pa.RecordBatch:
        return result_batch(seqs, results)

    @staticmethod
    def decode(columns: list[list[Any]]) -> Iterator[Verdict | Reject]:
        for line, rid, score, level, blob in zip(*columns, strict=True):
            if blob is None:
                yield Verdict(rid, score, level, (), (), line)
            else:
                yield pickle.loads(blob)


VERDICTS: Codec[Verdict] = _Verdicts()
"""The codec of screening results."""


def result_batch(seqs: list[int], results: list[Verdict | Reject]) -> pa.RecordBatch:
    """Results as a `RESULT_SCHEMA` batch."""
    columns: list[list[object]] = [list(seqs), [], [], [], [], [], [], [], []]
    _, lines, ids, scores, levels, reasons, matches, rejects, blobs = columns
    dumps = json.dumps
    for result in results:
        lines.append(result.line)
        if isinstance(result, Reject):
            ids.append(None)
            scores.append(None)
            levels.append(None)
            reasons.append(None)
            matches.append(None)
            rejects.append(dumps(result.to_dict(), ensure_ascii=False))
            blobs.append(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            continue
        ids.append(result.id)
        scores.append(result.score)
        levels.append(result.level)
        rejects.append(None)
        if result.reasons or result.matches or result.record is not None or type(result) is not Verdict:
            reasons.append(dumps([r.to_dict() for r in result.reasons], ensure_ascii=False))
            matches.append(dumps([m.to_dict() for m in result.matches], ensure_ascii=False))
            blobs.append(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        else:
            reasons.append("[]")
            matches.append("[]")
            blobs.append(None)
    return pa.record_batch(columns, schema=RESULT_SCHEMA)
