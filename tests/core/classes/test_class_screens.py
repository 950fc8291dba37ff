"""The screened `classify` (no trace: the two gates asked directly, then the rules' plain skeletons in
`_RULE_SCREENS`) gives exactly the hits of the full loop (`gated=False`), on the real sets RDKit ships
(NCI, WEHI, ChEMBL series), the knowledge base's structures, salts and masked forms, every class example,
and random substitutions of the class examples; and each skeleton holds wherever its rules' patterns match.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem

from precwatch.core.classes import anilinopiperidines, fentanyl_rule, piperidones
from precwatch.core.classes.classify import _RULE_SCREENS, _SCREENED_BY, CLASS_RULES, classify
from precwatch.core.classes.model import ClassHit
from precwatch.core.kb.knowledge import KnowledgeBase
from tests.core.structure.test_cheap_screens import _parents

EXAMPLES = tuple(smi for r in CLASS_RULES for _, smi in (*r.positives, *r.negatives))
_PATTERNS = {
    "4-ap-derivative": anilinopiperidines._AP_SMARTS,
    "4-ap-halide": anilinopiperidines._AP_HAL_SMARTS,
    "fentanyl-related": fentanyl_rule.CORE_SMARTS,
    "4-piperidone-derivative": piperidones._PIPERIDONE_SMARTS,
}


def _key(hits: list[ClassHit]) -> list[tuple[object, ...]]:
    return [(h.rule.id, h.jurisdictions, h.evidence, h.atoms, h.coverage) for h in hits]


@cache
def _examples() -> tuple[Chem.Mol, ...]:
    return tuple(Chem.MolFromSmiles(s) for s in EXAMPLES)


def _all(kb: KnowledgeBase) -> tuple[Chem.Mol, ...]:
    return _parents(kb) + _examples()


def test_screened_classify_same_as_full(kb: KnowledgeBase) -> None:
    hits = 0
    for mol in _all(kb):
        screened = classify(mol)
        assert _key(screened) == _key(classify(mol, gated=False)), Chem.MolToSmiles(mol)
        hits += bool(screened)
    assert hits > len(EXAMPLES) // 3


def test_traced_classify_same_hits(kb: KnowledgeBase) -> None:
    for mol in _examples():
        assert _key(classify(mol, [])) == _key(classify(mol))


@pytest.mark.parametrize("rule_id", sorted(_SCREENED_BY))
def test_rule_skeleton_holds_wherever_its_pattern_matches(kb: KnowledgeBase, rule_id: str) -> None:
    pattern = Chem.MolFromSmarts(_PATTERNS[rule_id])
    skeleton = _RULE_SCREENS[_SCREENED_BY[rule_id]]
    matched = 0
    for mol in _all(kb):
        if mol.HasSubstructMatch(pattern):
            matched += 1
            assert mol.HasSubstructMatch(skeleton), (rule_id, Chem.MolToSmiles(mol))
    assert matched, f"no test molecule exercises {rule_id}"


_GROUPS = ("C", "F", "Cl", "Br", "O", "N", "C(=O)C", "C(=O)OC", "c1ccccc1", "C#N", "[N+](=O)[O-]")


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_substituted_examples_same_as_full(data: st.DataObject) -> None:
    """A class example with one or two hydrogens replaced by a random group: same hits either way."""
    mol = Chem.Mol(data.draw(st.sampled_from(_examples())))
    for _ in range(data.draw(st.integers(1, 2))):
        sites = [a.GetIdx() for a in mol.GetAtoms() if a.GetTotalNumHs() > 0]
        if not sites:
            break
        idx = data.draw(st.sampled_from(sites))
        frag = Chem.MolFromSmiles(data.draw(st.sampled_from(_GROUPS)))
        offset = mol.GetNumAtoms()
        rw = Chem.RWMol(Chem.CombineMols(mol, frag))
        rw.AddBond(idx, offset, Chem.BondType.SINGLE)
        atom = rw.GetAtomWithIdx(idx)
        atom.SetNumExplicitHs(max(0, atom.GetNumExplicitHs() - 1))
        atom.SetNoImplicit(False)
        candidate = rw.GetMol()
        try:
            Chem.SanitizeMol(candidate)
        except (ValueError, RuntimeError):
            continue
        mol = Chem.MolFromSmiles(Chem.MolToSmiles(candidate))
        if mol is None:
            return
    assert _key(classify(mol)) == _key(classify(mol, gated=False)), Chem.MolToSmiles(mol)
