"""Dev-set figures per category: precision, recall and F1 of identification on tests/data/devset.jsonl.

Run: `.venv/bin/python tools/devset_report.py [--no-opsin] [FILE]`. Records marked `"resolver": true` need
OPSIN (systematic names); with `--no-opsin` they are left out and counted as skipped.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from precwatch.core.text.identify import identify_text
from precwatch.data import load_kb
from precwatch.io.opsin import Opsin, java_available

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=ROOT / "tests/data/devset.jsonl")
    ap.add_argument("--no-opsin", action="store_true")
    ap.add_argument("--errors", action="store_true", help="print every record identified wrongly")
    args = ap.parse_args(argv)
    kb = load_kb()
    opsin = None if args.no_opsin or not java_available() else Opsin()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[str] = []
    for line in args.file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if r.get("resolver") and opsin is None:
            counts[r["category"]]["skipped"] += 1
            continue
        got = {m.substance for m in identify_text(r["text"], kb, resolver=opsin)}
        want = {e["substance"] for e in r["expected"]}
        c = counts[r["category"]]
        c["records"] += 1
        c["tp"] += len(got & want)
        c["fp"] += len(got - want)
        c["fn"] += len(want - got)
        c["exact"] += got == want
        if got != want:
            errors.append(
                f"{r['id']} [{r['category']}] want {sorted(want)} got {sorted(got)}: {r['text'][:90]}"
            )
    total: Counter[str] = Counter()
    print(f"{'category':28} {'n':>4} {'exact':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for cat in sorted(counts):
        c = counts[cat]
        total.update(c)
        print(_row(cat, c))
    print(_row("ALL", total))
    if args.errors:
        print("\n".join(errors))
    if opsin is not None:
        opsin.close()
    return 0


def _row(name: str, c: Counter[str]) -> str:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    skipped = f" ({c['skipped']} skipped: no OPSIN)" if c["skipped"] else ""
    return f"{name:28} {c['records']:4} {c['exact']:6} {p:6.3f} {r:6.3f} {f1:6.3f}{skipped}"


if __name__ == "__main__":
    raise SystemExit(main())
