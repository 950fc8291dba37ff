"""The structure dev set (tests/data/devset_structures.jsonl): listed structures, salts, masked forms,
class members, analogues, look-alikes and systematic names in text, scored on (CAS or substance,
relation, class_id). It was written from the output contract by a separate author who never read the
engine."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.match import Match
from precwatch.core.structure.identify import identify_structure
from precwatch.core.text.identify import identify_text
from precwatch.io.opsin import Opsin

DEVSET = Path(__file__).parent / "data" / "devset_structures.jsonl"
Key = tuple[str, str, str | None]


def _key(cas: str | None, substance: str | None, relation: str, class_id: str | None) -> Key:
    return (cas or substance or "", relation, class_id if relation == "class" else None)


def _got(matches: list[Match]) -> set[Key]:
    return {
        _key(m.cas, m.substance if m.relation != "class" else None, m.relation, m.class_id) for m in matches
    }


def _score(kb: KnowledgeBase, opsin: Opsin) -> tuple[dict[str, Counter[str]], list[str]]:
    per: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: list[str] = []
    for line in DEVSET.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        inp = r["input"]
        if "text" in inp:
            matches = identify_text(inp["text"], kb, resolver=opsin)
        else:
            fmt = "inchi" if "inchi" in inp else "smiles"
            matches = identify_structure(inp[fmt], kb, fmt=fmt)
        want = {
            _key(
                e.get("cas"),
                e.get("substance") if e["relation"] != "class" else None,
                e["relation"],
                e.get("class_id"),
            )
            for e in r["expected"]
        }
        got = _got(matches)
        c = per[r["category"]]
        c["tp"] += len(want & got)
        c["fp"] += len(got - want)
        c["fn"] += len(want - got)
        if want != got:
            wrong.append(f"{r['id']} {r['category']}: want {sorted(want)} got {sorted(got)}")
    return per, wrong


def _f1(c: Counter[str]) -> float:
    return (
        2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"])
        if c["tp"]
        else (1.0 if not c["fp"] + c["fn"] else 0.0)
    )


def test_structure_devset(kb: KnowledgeBase, opsin: Opsin) -> None:
    per, wrong = _score(kb, opsin)
    total: Counter[str] = sum(per.values(), Counter())
    report = {cat: round(_f1(c), 3) for cat, c in sorted(per.items())}
    assert _f1(total) >= 0.9, f"F1 {_f1(total):.3f} by category {report}; errors:\n" + "\n".join(wrong)
    assert per["lookalike"]["fp"] <= 1, "look-alikes must stay quiet:\n" + "\n".join(wrong)
