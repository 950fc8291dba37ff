"""Identification with Spark: `IdentifyJob` over the staged records, results back in input order.

The records are read on the driver (`precwatch.io.texts.read_records`, as the local engine reads them)
and staged; the executors identify them with the same unit of work (`IdentifyJob.process`) and write
one row per record: its id, line and matches (JSON, readable by Spark users), or the reject (JSON); the
driver reads the matches back from the pickled list, so the output is the local engine's, byte for byte.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Generator, Iterable, Iterator
from typing import Any

import pyarrow as pa
from pyspark.sql import SparkSession

from precwatch.io.records import InputRecord, Reject
from precwatch.pipelines.engine import DEFAULT_CHUNK_SIZE
from precwatch.pipelines.identify_job import Identified, IdentifyJob
from precwatch.spark.engine import Codec, run_items

IDENTIFIED_SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("line", pa.int64()),
        ("id", pa.string()),
        ("matches", pa.string()),
        ("reject", pa.string()),
        ("result", pa.binary()),
    ]
)
"""One identified record (id, line, matches as JSON) or a reject (as JSON); `result` is the pickled list
of matches (null when there are none, most records) or the pickled `Reject`."""

IDENTIFIED_DDL = "seq bigint, line bigint, id string, matches string, reject string, result binary"


class _Identified:
    """`IdentifyJob` results as `IDENTIFIED_SCHEMA` rows."""

    ddl = IDENTIFIED_DDL
    columns: tuple[str, ...] = ("line", "id", "result")

    @staticmethod
    def encode(seqs: list[int], results: list[Identified | Reject]) -> pa.RecordBatch:
        columns: list[list[object]] = [list(seqs), [], [], [], [], []]
        _, lines, ids, matches, rejects, blobs = columns
        dumps = json.dumps
        for result in results:
            if isinstance(result, Reject):
                lines.append(result.line)
                ids.append(None)
                matches.append(None)
                rejects.append(dumps(result.to_dict(), ensure_ascii=False))
                blobs.append(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
                continue
            record, found = result
            lines.append(record.line)
            ids.append(record.id)
            rejects.append(None)
            matches.append(dumps([m.to_dict() for m in found], ensure_ascii=False))
            blobs.append(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL) if found else None)
        return pa.record_batch(columns, schema=IDENTIFIED_SCHEMA)

    @staticmethod
    def decode(columns: list[list[Any]]) -> Iterator[Identified | Reject]:
        for line, rid, blob in zip(*columns, strict=True):
            if rid is None:
                yield pickle.loads(blob)
            else:
                yield InputRecord(rid, "", line), pickle.loads(blob) if blob is not None else []


IDENTIFIED: Codec[Identified] = _Identified()
"""The codec of identification results."""


def identify_spark(
    records: Iterable[InputRecord | Reject],
    job: IdentifyJob,
    *,
    master: str = "local[*]",
    spark: SparkSession | None = None,
    work_dir: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Generator[Identified | Reject, None, None]:
    """Identify a reader's records with Spark: `(record, matches)` or a reject per input item, in input
    order, as the local engine gives them (each record with its id and line; its text stays behind).

    The knowledge base is loaded at the call (a broken one fails then); Spark starts, and the records
    are read, when the first result is asked for. Arguments as for `precwatch.spark.engine.run_items`.

    Raises:
        EngineError: Spark failed, or did not give back exactly one result per input item.
    """
    job.kb()
    return run_items(
        records, job, IDENTIFIED, master=master, spark=spark, work_dir=work_dir, chunk_size=chunk_size
    )
