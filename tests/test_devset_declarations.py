"""Screening quality on the labelled declarations (written apart from the engine; see its README)."""

from __future__ import annotations

from pathlib import Path

from precwatch.io.opsin import java_available
from tools.measure_screening import measure

ROOT = Path(__file__).resolve().parent.parent
SDN_EXCERPT = ROOT / "tests/data/watchlists/ofac-sdn-2024-05-03-excerpt.csv"


def test_precision_and_recall_on_the_labelled_declarations() -> None:
    """Flag = level medium or high. The SDN excerpt holds every ILLICIT-DRUGS-EO14059 entry of the real
    snapshot plus 160 others, so the watchlist rows meet the names they were written from."""
    got = measure([str(SDN_EXCERPT)], "medium", errors=True, systematic=java_available())
    misses = [(e["id"], e["note"]) for e in got["errors"]]  # type: ignore[union-attr,index]
    assert got["scored"] == got["records"] == 400
    assert float(got["precision"]) >= 0.95, misses  # type: ignore[arg-type]
    assert float(got["recall"]) >= 0.9, misses  # type: ignore[arg-type]
