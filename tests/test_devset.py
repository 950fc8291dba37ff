"""The labelled development set (tests/data/devset.jsonl): identification must keep F1 >= 0.95."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from precwatch.core.classes.classify import CLASS_RULES
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.text.identify import identify_text
from precwatch.io.opsin import Opsin

DEVSET = Path(__file__).parent / "data" / "devset.jsonl"


def test_devset_f1(kb: KnowledgeBase, opsin: Opsin) -> None:
    """Records marked `resolver` (systematic names) are identified with OPSIN, the others without."""
    tp = fp = fn = 0
    errors: Counter[str] = Counter()
    records = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) >= 350
    classes = {r.id for r in CLASS_RULES}
    for r in records:
        expected = {e["substance"] for e in r["expected"]}
        got = {
            m.substance for m in identify_text(r["text"], kb, resolver=opsin if r.get("resolver") else None)
        }
        assert expected <= set(kb.by_id) | classes, r["id"]
        tp += len(expected & got)
        fp += len(got - expected)
        fn += len(expected - got)
        if got != expected:
            errors[r["category"]] += 1
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.97, f"F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}); errors by category: {dict(errors)}"


def test_devset_relations(kb: KnowledgeBase) -> None:
    """Salt mentions are reported as the parent with relation 'salt'."""
    wrong = []
    for line in DEVSET.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        want = {(e["substance"], e["relation"]) for e in r["expected"] if e["relation"] == "salt"}
        got = {(m.substance, m.relation) for m in identify_text(r["text"], kb)}
        if not want <= got:
            wrong.append(r["id"])
    assert len(wrong) <= 2, wrong
