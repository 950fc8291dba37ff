"""Precision and recall of `precwatch screen` on the labelled declarations (tests/data/devset_declarations.*).

    .venv/bin/python tools/measure_screening.py [--watchlist FILE ...] [--flag-level medium] [--errors]

A record counts as flagged when its level is at or above `--flag-level` (default medium: score >= 40).
Prints JSON: precision, recall, F1, recall per primary signal, and (with --errors) every miss and false alarm.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from precwatch.core.screening.verdict import Verdict  # noqa: E402
from precwatch.io.tables import read_raw  # noqa: E402
from precwatch.pipelines.engine import run_local  # noqa: E402
from precwatch.pipelines.screen import ScreenJob  # noqa: E402

DEVSET = ROOT / "tests/data/devset_declarations.csv"
LABELS = ROOT / "tests/data/devset_declarations.labels.csv"
SDN = ROOT.parent / "shared/reference/ofac-sdn-2024-05-03.csv"
ORDER = ("none", "low", "medium", "high")


def measure(
    watchlists: list[str], flag_level: str = "medium", errors: bool = False, systematic: bool = True
) -> dict[str, object]:
    """Screen the dev set and compare with its labels."""
    with LABELS.open(encoding="utf-8", newline="") as fh:
        labels = {row["id"]: row for row in csv.DictReader(fh)}
    job = ScreenJob(
        "declarations", watchlist_paths=tuple(watchlists), file_name=str(DEVSET), systematic=systematic
    )
    rows, _ = read_raw(str(DEVSET), None, kind="declarations")
    verdicts = {}
    for item in run_local(rows, job, jobs=1):
        if isinstance(item, Verdict):
            verdicts[item.id] = item
    threshold = ORDER.index(flag_level)
    tp = fp = fn = 0
    by_signal: dict[str, list[int]] = {}
    misses: list[dict[str, object]] = []
    for rid, label in labels.items():
        v = verdicts.get(rid)
        flagged = v is not None and ORDER.index(v.level) >= threshold
        truth = label["label"] == "flag"
        if truth:
            hit = by_signal.setdefault(label["primary_signal"], [0, 0])
            hit[1] += 1
            hit[0] += int(flagged)
        tp += truth and flagged
        fp += (not truth) and flagged
        fn += truth and not flagged
        if errors and truth != flagged:
            misses.append({
                "id": rid, "label": label["label"], "signal": label["primary_signal"], "note": label["note"],
                "score": v.score if v else None,
                "reasons": [f"{r.code} {r.weight}: {r.detail}" for r in v.reasons] if v else "rejected",
            })  # fmt: skip
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out: dict[str, object] = {
        "records": len(labels), "scored": len(verdicts), "flag_level": flag_level, "watchlists": watchlists,
        "systematic_names": systematic,
        "tp": tp, "fp": fp, "fn": fn,
        "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
        "recall_by_signal": {k: f"{a}/{b}" for k, (a, b) in sorted(by_signal.items())},
    }  # fmt: skip
    if errors:
        out["errors"] = misses
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchlist", action="append", default=None)
    parser.add_argument("--flag-level", choices=ORDER[1:], default="medium")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument(
        "--no-systematic", action="store_true", help="Do not convert systematic names (OPSIN)"
    )
    args = parser.parse_args()
    watchlists = args.watchlist if args.watchlist is not None else [str(SDN)]
    print(
        json.dumps(
            measure(watchlists, args.flag_level, args.errors, not args.no_systematic),
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
