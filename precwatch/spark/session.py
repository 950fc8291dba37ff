"""A SparkSession for screening: the current Python on both sides, quiet logs, no UI, small shuffles."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession

LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
"""
"""Spark's JVM logs errors only (its default prints a page of warnings on every start)."""


def spark_session(
    master: str = "local[*]", work_dir: Path | None = None, shuffle_partitions: int = 8
) -> SparkSession:
    """A new (or the running) SparkSession for `master`.

    The Python workers run the interpreter running this code (`PYSPARK_PYTHON`, unless already set),
    so they see the same precwatch. A local master binds to 127.0.0.1 (`SPARK_LOCAL_IP`, unless set),
    which avoids hostname lookups on machines without a resolvable name.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName("precwatch-screen")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.python.worker.reuse", "true")
    )
    if work_dir is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
        config = work_dir / "log4j2.properties"
        config.write_text(LOG4J2, encoding="utf-8")
        builder = builder.config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{config}")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
