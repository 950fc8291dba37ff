"""The optional Spark engine (`pip install 'precwatch[spark]'`): the same screening and identification, distributed.

Only this package imports pyspark; `precwatch.core` and `precwatch.io` never do.
"""

from __future__ import annotations

from precwatch.spark.engine import run_spark, screen_frame
from precwatch.spark.identify import identify_spark
from precwatch.spark.session import spark_session

__all__ = ["identify_spark", "run_spark", "screen_frame", "spark_session"]
