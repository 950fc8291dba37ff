"""Every English name of every entry, read by OPSIN: a name that parses must parse to the entry's structure."""

from __future__ import annotations

from typing import Any

import pytest

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure.name_check import check_names, unmarked_translations
from precwatch.io.opsin import Opsin

WRONG_NAMES = {
    # issue 12 audit: each of these parses to another chemical
    "pmk": ["piperonylacetone", "胡椒基丙酮"],
    "bmk": ["苯丙酮"],
    "mapa": ["methyl phenylacetoacetate"],
    "eapa": ["ethyl phenylacetoacetate"],
    "1-benzyl-4-piperidone": ["N-benzylpiperidone"],
}


def test_every_english_name_parses_to_its_entry_or_is_a_declared_exception(
    kb: KnowledgeBase, opsin: Opsin
) -> None:
    verdicts = check_names(kb.substances, opsin)
    assert len(verdicts) >= 400
    assert sum(1 for v in verdicts if v.same) >= 250  # the check is not vacuous: most systematic names parse
    problems = [v.describe() for v in verdicts if v.is_problem]
    assert problems == []


def test_the_names_the_audit_found_wrong_are_gone(kb: KnowledgeBase) -> None:
    for sid, names in WRONG_NAMES.items():
        s = kb.by_id[sid]
        for n in names:
            assert n not in {x for _, x in s.names.all()}, (sid, n)
            assert kb.lookup(n) is not s, (sid, n)


def _entry(**names: Any) -> dict[str, Any]:
    return {
        "id": "pmk",
        "name": "PMK",
        "role": "precursor",
        "smiles": "CC(=O)Cc1ccc2c(c1)OCO2",
        "names": names,
    }


def test_a_wrong_systematic_name_is_reported(opsin: Opsin) -> None:
    bad = KnowledgeBase.from_data({"version": "t", "substances": [_entry(en=["piperonylacetone"])]})
    (v,) = [v for v in check_names(bad.substances, opsin) if v.name == "piperonylacetone"]
    assert v.is_problem and v.smiles and "another structure" in v.describe()


def test_a_declared_trade_name_with_a_source_is_exempt_but_not_without_one(opsin: Opsin) -> None:
    row = _entry(en=["piperonylacetone"])
    row["name_sources"] = {"piperonylacetone": "trade name: a catalogue that sells PMK under this name"}
    ok = KnowledgeBase.from_data({"version": "t", "substances": [row]})
    assert not any(v.is_problem for v in check_names(ok.substances, opsin))
    row["name_sources"] = {"piperonylacetone": "trade name:"}  # no source after the mark
    bare = KnowledgeBase.from_data({"version": "t", "substances": [row]})
    assert any(v.is_problem for v in check_names(bare.substances, opsin))


def test_unparsed_and_matching_names_pass(opsin: Opsin) -> None:
    kb = KnowledgeBase.from_data(
        {"version": "t", "substances": [_entry(en=["1-(1,3-benzodioxol-5-yl)propan-2-one", "PMK oil"])]}
    )
    verdicts = {v.name: v for v in check_names(kb.substances, opsin)}
    assert verdicts["1-(1,3-benzodioxol-5-yl)propan-2-one"].same is True
    assert verdicts["PMK oil"].same is None


@pytest.mark.parametrize("kind", ["zh", "es"])
def test_chinese_and_spanish_names_carry_a_source_or_a_confidence_mark(kb: KnowledgeBase, kind: str) -> None:
    missing = {s.id: unmarked_translations(s) for s in kb.substances if unmarked_translations(s)}
    assert missing == {}
    marks = [s.name_source(n) or "" for s in kb.substances for n in getattr(s.names, kind)]
    assert marks and all(("confidence" in m) or ("DOF" in m) or ("Universal" in m) for m in marks), kind
