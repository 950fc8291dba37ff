"""The Spark engine gives exactly the local engine's results: same verdicts, same rejects, same order.

One local[2] session serves the module. The input is a generated declarations file with the troubles
real files have: a description spanning lines inside quotes, a row with too few fields, bytes that are
not UTF-8, an unbalanced quote, a quantity that is not a number, an unknown country, a missing id.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Java is not installed: Spark cannot run", allow_module_level=True)

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import SparkSession

from precwatch.core.screening.records import DECLARATION_FIELDS
from precwatch.core.screening.verdict import Verdict
from precwatch.io.records import Reject
from precwatch.io.tables import read_raw
from precwatch.pipelines.engine import run_local
from precwatch.pipelines.screen import ScreenJob
from precwatch.spark import run_spark, spark_session
from precwatch.spark.engine import read_results, stage, write_results
from precwatch.spark.shipping import executor_job, ship

DESCRIPTIONS = (
    "cotton T-shirts 180gsm, 100 pcs/ctn",
    "N-Phenethyl-4-piperidone 99% white powder",
    "pharmaceutical intermediate",
    "CAS 79O99-07-3 1kg sample",
    "LED strip light 5050 12V",
    "4-苯胺基哌啶 25kg drum",
    "stainless steel hex bolt M8x30",
    "1-boc-4-piperidone",
    "chemical raw material",
    "hyaluronic acid serum 30ml",
)
SHIPPERS = ("Ningbo Haitian Textile Co., Ltd.", "Wuhan Yuanjing Biotech Co., Ltd.", "Yiwu Hongda Trading")


def _row(n: int) -> list[str]:
    return [
        f"D{n:04d}",
        f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
        SHIPPERS[n % len(SHIPPERS)],
        "No. 1 Industrial Rd",
        "CN" if n % 7 else "Hong Kong",
        "Distribuidora Monterrey SA",
        "Calle Hidalgo 12, Monterrey",
        "MX" if n % 2 else "US",
        "2933.39" if n % 3 == 0 else "6109.10",
        DESCRIPTIONS[n % len(DESCRIPTIONS)],
        str(n % 50 + 1),
        "kg",
        f"{(n % 90 + 1) * 3.5:.2f}",
        ("sea", "air", "express", "post")[n % 4],
        "CNSHA",
        "MXZLO",
    ]


def _broken(n: int, row: list[str]) -> list[str] | bytes | None:
    """Some rows are written broken (as a list of fields, or as raw bytes); None leaves the row alone."""
    if n % 41 == 5:
        return row[:-4]
    if n % 53 == 7:
        return [*row[:10], "twelve", *row[11:]]
    if n % 59 == 3:
        return [*row[:4], "Narnia", *row[5:]]
    if n % 61 == 11:
        return ["", *row[1:]]
    if n % 67 == 13:
        return ",".join(row).replace("cotton", "cot\xffton").encode("latin-1", "replace") + b"\n"
    if n % 71 == 17:
        return [*row[:9], 'white powder\nfor research,\n"quoted" too', *row[10:]]
    if n % 97 == 19:
        return f'{row[0]},"{row[1]},oops\n'.encode()
    return None


def write_declarations(path: Path, count: int) -> None:
    with path.open("wb") as out:
        out.write((",".join(DECLARATION_FIELDS) + "\n").encode())
        for n in range(count):
            row = _row(n)
            broken = _broken(n, row)
            if isinstance(broken, bytes):
                out.write(broken)
                continue
            text = _csv_line(broken if broken is not None else row)
            out.write(text.encode("utf-8"))


def _csv_line(fields: list[str]) -> str:
    class Sink:
        text = ""

        def write(self, s: str) -> None:
            self.text += s

    sink = Sink()
    csv.writer(sink, lineterminator="\n").writerow(fields)
    return sink.text


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    session = spark_session("local[2]", tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


@pytest.fixture(scope="module")
def declarations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("input") / "declarations.csv"
    write_declarations(path, 400)
    return path


def _local(
    path: Path, fmt: str, job: ScreenJob, mapping: dict[str, str | None] | None = None
) -> list[Verdict | Reject]:
    return list(
        run_local(read_raw(str(path), fmt, kind=job.kind, mapping=mapping)[0], job, jobs=2, chunk_size=37)
    )


def test_spark_gives_the_local_results_on_a_messy_csv(spark: SparkSession, declarations: Path) -> None:
    job = ScreenJob("declarations", file_name=declarations.name)
    local = _local(declarations, "csv", job)
    distributed = list(run_spark(str(declarations), "csv", job=job, spark=spark, chunk_size=37))
    assert distributed == local
    # the file really is messy and really screened: every trouble shows up, and some rows score high
    rejects = [r for r in local if isinstance(r, Reject)]
    quality = {
        r.detail.split(" ")[0]
        for v in local
        if isinstance(v, Verdict)
        for r in v.reasons
        if r.code == "data-quality"
    }
    assert {"quantity", "shipper_country", "id"} <= quality  # bad side fields: screened all the same
    for reason in ("expected 16 fields, found 12", "malformed CSV"):
        assert any(r.reason.startswith(reason) for r in rejects), reason
    assert {v.level for v in local if isinstance(v, Verdict)} >= {"high", "none"}
    lines = [r.line for r in local]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


def test_results_of_many_tasks_are_merged_back_in_input_order(
    spark: SparkSession, declarations: Path, tmp_path: Path
) -> None:
    job = ScreenJob("declarations", file_name=declarations.name)
    staged = tmp_path / "input.parquet"
    count = stage(read_raw(str(declarations), "csv", kind=job.kind)[0], staged, chunk_size=20)
    write_results(spark, staged, job, tmp_path / "results")
    assert len(list((tmp_path / "results").glob("part-*.parquet"))) > 2
    assert list(read_results(tmp_path / "results", count)) == _local(declarations, "csv", job)


def test_jsonl_and_parquet_with_a_mapping(spark: SparkSession, tmp_path: Path) -> None:
    rows = [dict(zip(DECLARATION_FIELDS, _row(n), strict=True)) for n in range(150)]
    for row in rows:
        row["Exporter"] = row.pop("shipper_name")
    rows[10]["quantity"] = "lots"
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:70])
        + "{not json\n"
        + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[70:]),
        encoding="utf-8",
    )
    parquet = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_pylist(rows), parquet, row_group_size=40)
    mapping: dict[str, str | None] = {"shipper_name": "Exporter"}
    for path, fmt in ((jsonl, "jsonl"), (parquet, "parquet")):
        job = ScreenJob("declarations", file_name=path.name)
        local = _local(path, fmt, job, mapping)
        assert list(run_spark(str(path), fmt, job=job, mapping=mapping, spark=spark, chunk_size=16)) == local
        assert sum(isinstance(r, Reject) for r in local) == (1 if fmt == "jsonl" else 0)


WATCHLIST = "name,aliases,country,program,source\nWuhan Yuanjing Biotech Co. Ltd.,,CN,test,invented\n"


def test_executors_use_their_own_copy_of_a_file_only_when_identical(tmp_path: Path) -> None:
    same, changed = tmp_path / "same.csv", tmp_path / "elsewhere" / "watchlist.csv"
    changed.parent.mkdir()
    for path in (same, changed):
        path.write_text(WATCHLIST, "utf-8")
    job = ScreenJob("declarations", watchlist_paths=(str(same),))
    assert executor_job(ship(job)) == job

    job = ScreenJob("declarations", watchlist_paths=(str(changed),))
    shipped = ship(job)
    changed.write_text(WATCHLIST.replace("Wuhan", "Hubei"), "utf-8")  # the executor's file differs
    moved = executor_job(shipped)
    (copy,) = moved.watchlist_paths
    assert copy != str(changed) and Path(copy).name == "watchlist.csv"
    assert Path(copy).read_text("utf-8") == WATCHLIST


def test_a_watchlist_job_and_an_own_session(spark: SparkSession, tmp_path: Path, declarations: Path) -> None:
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_text(WATCHLIST, "utf-8")
    job = ScreenJob("declarations", watchlist_paths=(str(watchlist),), file_name=declarations.name)
    local = _local(declarations, "csv", job)
    assert any("watchlist" in r.code for v in local if isinstance(v, Verdict) for r in v.reasons)
    # no session passed: the active one is used and left running
    assert list(run_spark(str(declarations), "csv", job=job)) == local
    assert SparkSession.getActiveSession() is spark


def test_missing_results_are_an_error(tmp_path: Path) -> None:
    out = tmp_path / "results"
    out.mkdir()
    with pytest.raises(Exception, match="Spark gave 0 results for 3 input items"):
        list(read_results(out, 3))
