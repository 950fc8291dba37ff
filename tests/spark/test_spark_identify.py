"""Identification with Spark: the local engine's results, in input order, rejects included; and the
command line writes the same bytes with `--engine spark` as with `--jobs 1`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyspark")

from pyspark.sql import SparkSession

from precwatch.io.formats import Source
from precwatch.io.texts import read_records
from precwatch.pipelines.engine import run_local
from precwatch.pipelines.identify_job import IdentifyJob
from precwatch.spark import spark_session
from precwatch.spark.identify import identify_spark
from tests.cli.test_identify_jobs import damaged, identify, structure_devset, text_devset


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    session = spark_session("local[2]", tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


def _plain(results: object) -> list[object]:
    return [r if not isinstance(r, tuple) else (r[0].id, r[0].line, r[1]) for r in results]  # type: ignore[attr-defined]


def test_spark_gives_the_local_results_in_order(spark: SparkSession, tmp_path: Path) -> None:
    text, _ = damaged(tmp_path / "d.jsonl", records=900)
    structures = structure_devset(tmp_path / "s.jsonl", copies=1)
    for path in (text, structures):
        job = IdentifyJob(min_confidence=0.3, file_name=path.name)
        local = _plain(run_local(read_records(Source(str(path))), job, jobs=1))
        distributed = _plain(identify_spark(read_records(Source(str(path))), job, spark=spark, chunk_size=50))
        assert distributed == local
        assert any(isinstance(r, tuple) and r[2] for r in local)  # matches
        assert any(not isinstance(r, tuple) for r in local) == (path == text)  # rejects in place


def test_the_command_line_writes_the_same_bytes(tmp_path: Path) -> None:
    devset = text_devset(tmp_path / "dev.jsonl", copies=1)
    path, rejected = damaged(tmp_path / "d.jsonl", records=700)
    options = ("--no-systematic", "--max-text-bytes", "5000")
    for name in (devset.name, path.name):
        local = identify(tmp_path, name, *options)
        distributed = identify(
            tmp_path, name, *options, "--engine", "spark", "--spark-master", "local[2]", timeout=900
        )
        assert distributed == local
    assert local[1]["counts"]["rejected"] == rejected  # type: ignore[index]
