"""Each cheap screen added for speed (issue 17) is a necessary condition of the full test it stands before,
or answers exactly what the slower form answered, checked molecule by molecule on the real sets RDKit ships
(NCI, WEHI, ChEMBL series), the knowledge base's structures, salts and masked examples, and masked forms
built from every listed parent. `test_screens.py` checks the engine's verdicts end to end."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure import analogues, standardise
from precwatch.core.structure.identify import (
    forget_verdicts,
    identify_structure,
    reference_identify_structure,
)
from precwatch.core.structure.index import structure_index
from precwatch.core.structure.masked import _GATES, MAX_SITES, TRANSFORMATIONS, masked_search, unmask
from precwatch.core.structure.masked_screens import EXACT_STEPS, SHARP_GATES, step_change
from precwatch.core.structure.read import composition, formula_composition
from tests.core.structure.test_screens import real_molecules, relevant_structures

_MASKS = {
    "n-boc-removal": "C(=O)OC(C)(C)C",
    "n-acetyl-removal": "C(C)=O",
    "n-trifluoroacetyl-removal": "C(=O)C(F)(F)F",
    "n-cbz-removal": "C(=O)OCc1ccccc1",
    "n-benzyl-removal": "Cc1ccc(OC)cc1",
}
_NH = Chem.MolFromSmarts("[NX3;H1,H2;!$(N-C=O)]")


def _masked_forms(kb: KnowledgeBase) -> list[str]:
    """Every listed parent with each N-H masked once, and twice where it has two."""
    out = []
    for _, parent in structure_index(kb).parents:
        for (idx,) in parent.GetSubstructMatches(_NH):
            for mask in _MASKS.values():
                rw = Chem.RWMol(parent)
                frag = Chem.MolFromSmiles(mask)
                offset = rw.GetNumAtoms()
                combined = Chem.RWMol(Chem.CombineMols(rw, frag))
                combined.AddBond(idx, offset, Chem.BondType.SINGLE)
                combined.GetAtomWithIdx(idx).SetNumExplicitHs(0)
                mol = combined.GetMol()
                try:
                    Chem.SanitizeMol(mol)
                except (ValueError, RuntimeError):
                    continue
                out.append(Chem.MolToSmiles(mol))
    return out


@cache
def _molecules(kb: KnowledgeBase) -> tuple[Chem.Mol, ...]:
    lines = relevant_structures(kb) + _masked_forms(kb) + [s for v in real_molecules().values() for s in v]
    lines += ["OC(O)(C)c1ccccc1", "CC(O)(O)C(=O)O", "COC1CO1", "OC1(O)CCNCC1", "CC#[N+]C", "C[O+](C)C(=O)N"]
    mols = []
    for line in lines:
        mol = Chem.MolFromSmiles(line) if not line.startswith("InChI=") and "\n" not in line else None
        if mol is not None and mol.GetNumAtoms():
            mols.append(mol)
    return tuple(mols)


@cache
def _parents(kb: KnowledgeBase) -> tuple[Chem.Mol, ...]:
    return tuple(p for m in _molecules(kb) for p in standardise.standardise(m).parents)


def test_formula_composition_is_composition(kb: KnowledgeBase) -> None:
    for mol in _molecules(kb):
        assert formula_composition(rdMolDescriptors.CalcMolFormula(mol)) == composition(mol), (
            Chem.MolToSmiles(mol)
        )


def test_gem_diol_presence_test_agrees(kb: KnowledgeBase) -> None:
    for mol in _molecules(kb):
        assert mol.HasSubstructMatch(standardise._HAS_GEM_DIOL) == mol.HasSubstructMatch(
            standardise._GEM_DIOL
        )


def test_family_catalog_gives_the_first_family_in_order(kb: KnowledgeBase) -> None:
    for mol in _parents(kb):
        expected = next((n for n, p in analogues._FAMILIES if mol.HasSubstructMatch(p)), None)
        assert analogues.family(mol) == expected, Chem.MolToSmiles(mol)


@pytest.mark.parametrize("step", [t.id for t in TRANSFORMATIONS if t.id in SHARP_GATES])
def test_sharp_gate_holds_wherever_the_reaction_applies(kb: KnowledgeBase, step: str) -> None:
    t = next(t for t in TRANSFORMATIONS if t.id == step)
    template = t._rxn.GetReactantTemplate(0)
    sharp = _GATES[SHARP_GATES[step]]
    applies = 0
    for mol in _parents(kb):
        if mol.HasSubstructMatch(template):
            applies += 1
            assert mol.HasSubstructMatch(sharp), (step, Chem.MolToSmiles(mol))
        if not mol.HasSubstructMatch(sharp):
            assert not t.apply(mol), (step, Chem.MolToSmiles(mol))
    assert applies, f"no test molecule exercises {step}"


@pytest.mark.parametrize("step", ["ester-hydrolysis", "imine-hydrolysis", "nitrile-hydrolysis"])
def test_reordered_gates_answer_as_the_step_gate(kb: KnowledgeBase, step: str) -> None:
    t = next(t for t in TRANSFORMATIONS if t.id == step)
    for mol in _parents(kb):
        assert mol.HasSubstructMatch(_GATES[SHARP_GATES[step]]) == mol.HasSubstructMatch(_GATES[t.gate])


@pytest.mark.parametrize("step", EXACT_STEPS)
def test_exact_steps_products_have_the_predicted_composition(kb: KnowledgeBase, step: str) -> None:
    t = next(t for t in TRANSFORMATIONS if t.id == step)
    dropped, created = step_change(t._rxn)
    charged = Chem.MolFromSmarts("[!+0]")
    seen = 0
    for mol in _parents(kb):
        if mol.HasSubstructMatch(charged) or not mol.HasSubstructMatch(t._rxn.GetReactantTemplate(0)):
            continue
        base = Counter(dict(composition(mol)))
        for u in unmask(mol):
            if u.transformation.id != step:
                continue
            seen += 1
            expected = base.copy()
            expected.subtract({z: u.sites * n for z, n in dropped.items()})
            expected.update({z: u.sites * n for z, n in created.items()})
            assert composition(u.product) == tuple(sorted((z, n) for z, n in expected.items() if n > 0)), (
                step,
                Chem.MolToSmiles(mol),
                Chem.MolToSmiles(u.product),
            )
    assert seen, f"no test molecule exercises {step}"


def test_count_screen_never_refuses_a_listed_product(kb: KnowledgeBase) -> None:
    """Wherever the full unmasking of an uncharged parent gives a listed substance by an exact step, the
    count screen lets that step through."""
    search = masked_search(kb)
    index = structure_index(kb)
    charged = Chem.MolFromSmarts("[!+0]")
    hits = 0
    for mol in _parents(kb):
        if mol.HasSubstructMatch(charged):
            continue
        counts = dict(composition(mol))
        for u in unmask(mol):
            if u.transformation.id in EXACT_STEPS and index.lookup(u.product):
                hits += 1
                assert search.counts.possible(u.transformation.id, counts), Chem.MolToSmiles(mol)
    assert hits


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_masked_forms_of_listed_parents_same_as_reference(kb: KnowledgeBase, data: st.DataObject) -> None:
    """Random listed parents with a random mask on a random N-H (once or twice) and an optional counter-ion:
    the screened engine's verdict equals the reference's."""
    parents = [p for _, p in structure_index(kb).parents if p.HasSubstructMatch(_NH)]
    parent = Chem.RWMol(data.draw(st.sampled_from(parents)))
    for _ in range(data.draw(st.integers(1, min(2, MAX_SITES)))):
        sites = parent.GetSubstructMatches(_NH)
        if not sites:
            break
        (idx,) = data.draw(st.sampled_from(sites))
        frag = Chem.MolFromSmiles(data.draw(st.sampled_from(sorted(_MASKS.values()))))
        offset = parent.GetNumAtoms()
        parent = Chem.RWMol(Chem.CombineMols(parent, frag))
        parent.AddBond(idx, offset, Chem.BondType.SINGLE)
        parent.GetAtomWithIdx(idx).SetNumExplicitHs(0)
        mol = parent.GetMol()
        Chem.SanitizeMol(mol)
        parent = Chem.RWMol(mol)
    smiles = Chem.MolToSmiles(parent) + data.draw(st.sampled_from(["", ".Cl", ".O", ".OC(=O)C(=O)O"]))
    forget_verdicts()
    screened = [m.to_dict() for m in identify_structure(smiles, kb)]
    assert screened == [m.to_dict() for m in reference_identify_structure(smiles, kb)], smiles


def test_one_edit_screens_change_no_answer(kb: KnowledgeBase) -> None:
    """`one_edit` with the composition screens (the listed compositions, the atoms read off the formula)
    answers as without them, on every test molecule the engine would ask (nearest similarity >= 0.3)."""
    index = structure_index(kb)
    near = analogues.analogue_index(kb)

    def lookup(mol: Chem.Mol) -> object:
        hits = index.lookup(mol)
        return hits[0].substance if hits else None

    asked = found = 0
    for mol in _parents(kb):
        nearest = near.nearest(mol)
        if nearest is None or nearest.similarity < 0.3:
            continue
        asked += 1
        atoms = formula_composition(rdMolDescriptors.CalcMolFormula(mol))
        screened = analogues.one_edit(mol, lookup, index.compositions, atoms=atoms)  # type: ignore[arg-type]
        assert screened == analogues.one_edit(mol, lookup), Chem.MolToSmiles(mol)  # type: ignore[arg-type]
        found += screened is not None
    assert asked and found


def test_query_set_catalogs_answer_as_any(kb: KnowledgeBase) -> None:
    """Each skeleton and step query set asked in one FilterCatalog call answers as `any` over its queries."""
    search = masked_search(kb)
    sets = [*search.queries.values(), *search.step_queries.values()]
    assert {id(s) for s in sets} == set(search.catalogs)
    found = 0
    for mol in _parents(kb):
        for queries in sets:
            expected = any(mol.HasSubstructMatch(q) for q in queries)
            assert search.catalogs[id(queries)].HasMatch(mol) == expected, Chem.MolToSmiles(mol)
            found += expected
    assert found
