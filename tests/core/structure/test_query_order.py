"""The screens of the structure-speed round of issue 17 item 2 (branch structfast) answer as the slower
forms they replace, or are necessary conditions of the full test they stand before, checked molecule by
molecule on the sets RDKit ships (NCI, WEHI, ChEMBL series), the knowledge base's own structures, salts
and masked forms, and hypothesis-generated molecules; the last test checks the engine's verdicts end to
end against `reference_identify_structure` on generated molecules.

- searches started from a rare atom (`classes.model.query` with a start, `masked_queries._from_rarest`) match
  exactly what the pattern as written matches;
- `CountScreen.steps_for` (one look-up) answers as `CountScreen.possible`;
- `GATE_NEEDS`: a molecule containing the gate has the nitrogens and oxygens it needs;
- `read.written_connected`: a SMILES without a dot is one component;
- `standardise.has_charged_atom` and `Standardised.neutral` answer as the SMARTS search.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from precwatch.core.classes.model import query
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure import analogues, masked, standardise
from precwatch.core.structure.identify import (
    forget_verdicts,
    identify_structure,
    reference_identify_structure,
)
from precwatch.core.structure.masked_screens import EXACT_STEPS, GATE_NEEDS
from precwatch.core.structure.read import (
    StructureError,
    formula_composition,
    smiles_part,
    written_connected,
)
from tests.core.structure.test_cheap_screens import _masked_forms, _molecules, _parents
from tests.core.structure.test_screens import real_molecules, relevant_structures


def test_family_patterns_started_elsewhere_match_the_same(kb: KnowledgeBase) -> None:
    for name, smarts in analogues.FAMILIES:
        written = Chem.MolFromSmarts(smarts)
        started = query(smarts, analogues.FAMILY_STARTS.get(name, 0))
        assert started.GetNumAtoms() == written.GetNumAtoms()
        assert sorted(a.GetSmarts() for a in started.GetAtoms()) == sorted(
            a.GetSmarts() for a in written.GetAtoms()
        )
        for mol in _parents(kb):
            assert mol.HasSubstructMatch(started) == mol.HasSubstructMatch(written), (
                name,
                Chem.MolToSmiles(mol),
            )


def test_masked_query_sets_started_from_rare_atoms_answer_as_written(kb: KnowledgeBase) -> None:
    """Each kind and step query, renumbered from its rarest atom, answers as the query before renumbering
    (rebuilt here from its own atoms in their written order)."""
    search = masked.masked_search(kb)
    queries = {id(q): q for qs in (*search.queries.values(), *search.step_queries.values()) for q in qs}
    mols = _parents(kb)
    for q in queries.values():
        plain = Chem.RenumberAtoms(q, list(range(q.GetNumAtoms()))[::-1])  # another numbering, same graph
        for mol in mols[::3]:
            assert mol.HasSubstructMatch(q) == mol.HasSubstructMatch(plain), Chem.MolToSmiles(mol)


@cache
def _all_compositions(kb: KnowledgeBase) -> tuple[tuple[tuple[int, int], ...], ...]:
    comps = {formula_composition(rdMolDescriptors.CalcMolFormula(m)) for m in _parents(kb)}
    search = masked.masked_search(kb)
    comps |= set(search.counts.inputs)  # every accepted input, so the positive answers are covered too
    return tuple(sorted(comps))


def test_count_lookup_answers_as_possible(kb: KnowledgeBase) -> None:
    screen = masked.masked_search(kb).counts
    accepted = 0
    for comp in _all_compositions(kb):
        allowed = screen.steps_for(comp)
        for step in EXACT_STEPS:
            assert (step in allowed) == screen.possible(step, dict(comp)), (step, comp)
            accepted += step in allowed
    assert accepted


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_count_lookup_answers_as_possible_near_listed(kb: KnowledgeBase, data: st.DataObject) -> None:
    """Compositions a few atoms away from an accepted one (hypothesis): the look-up still agrees."""
    screen = masked.masked_search(kb).counts
    base = dict(data.draw(st.sampled_from(sorted(screen.inputs))))
    for z in (6, 7, 8, 9, 17):
        base[z] = max(0, base.get(z, 0) + data.draw(st.integers(-2, 2)))
    comp = tuple(sorted((z, n) for z, n in base.items() if n > 0))
    for step in EXACT_STEPS:
        assert (step in screen.steps_for(comp)) == screen.possible(step, dict(comp)), (step, comp)


@pytest.mark.parametrize("smarts", sorted(GATE_NEEDS))
def test_gate_needs_are_implied(kb: KnowledgeBase, smarts: str) -> None:
    gate = masked._GATES[smarts]
    nitrogens, oxygens = GATE_NEEDS[smarts]
    found = 0
    for mol in _parents(kb):
        if mol.HasSubstructMatch(gate):
            found += 1
            counts = dict(formula_composition(rdMolDescriptors.CalcMolFormula(mol)))
            assert counts.get(7, 0) >= nitrogens and counts.get(8, 0) >= oxygens, (
                smarts,
                Chem.MolToSmiles(mol),
            )
    assert found


def test_smiles_without_a_dot_is_one_component(kb: KnowledgeBase) -> None:
    lines = relevant_structures(kb) + _masked_forms(kb) + [s for v in real_molecules().values() for s in v]
    checked = 0
    for line in lines:
        if not written_connected(line):
            continue
        mol = Chem.MolFromSmiles(smiles_part(line))
        if mol is None:
            continue
        checked += 1
        assert len(Chem.GetMolFrags(mol)) == 1, line
    assert checked
    assert not written_connected("CCO.Cl") and not written_connected("InChI=1S/CH4/h1H4")
    assert not written_connected("   ")  # nothing written: nothing said about components
    assert written_connected("CCO ethanol.1")  # the name after the SMILES is not read
    assert not written_connected("C.C methane")
    assert smiles_part("CCO ethanol") == "CCO" and smiles_part(" \t") == ""


def test_charged_atom_test_and_neutral_flag(kb: KnowledgeBase) -> None:
    for mol in _molecules(kb):
        assert standardise.has_charged_atom(mol) == mol.HasSubstructMatch(standardise._CHARGED)
        std = standardise.standardise(mol)
        assert len(std.neutral) == len(std.parents)
        for parent, neutral in zip(std.parents, std.neutral, strict=True):
            if neutral:
                assert not parent.HasSubstructMatch(standardise._CHARGED), Chem.MolToSmiles(mol)


_GROUPS = (
    "F", "Cl", "Br", "I", "C", "OC", "O", "N", "C#N", "[N+](=O)[O-]", "C(=O)OC(C)(C)C", "C(=O)OCc1ccccc1",
    "C(C)=O", "C(=O)C(F)(F)F", "Cc1ccccc1", "C(=O)OCC", "C1(C)OCCO1", "C=NC", "CC(=O)c1ccccc1", "OCO",
    "CCN1CCC(=O)CC1", "C(=O)[O-]", "[NH3+]",
)  # fmt: skip
"""Groups the generated molecules gain: halogens, the masks the unmasking steps remove, charged groups,
and pieces of the scaffold families."""


@cache
def _seeds(kb: KnowledgeBase) -> tuple[str, ...]:
    sets = real_molecules()
    own = [s.smiles for s in kb.substances if s.smiles]
    return tuple(own + sets["wehi"][:300] + sets["nci"][:300])


def _grown(smiles: str, group: str, at: int) -> str | None:
    mol = Chem.MolFromSmiles(smiles)
    piece = Chem.MolFromSmiles(group)
    if mol is None or piece is None:
        return None
    sites = [a.GetIdx() for a in mol.GetAtoms() if a.GetTotalNumHs() > 0]
    if not sites:
        return None
    idx = sites[at % len(sites)]
    combined = Chem.RWMol(Chem.CombineMols(mol, piece))
    combined.AddBond(idx, mol.GetNumAtoms(), Chem.BondType.SINGLE)
    atom = combined.GetAtomWithIdx(idx)
    atom.SetNumExplicitHs(max(0, atom.GetNumExplicitHs() - 1))
    out = combined.GetMol()
    try:
        Chem.SanitizeMol(out)
    except (ValueError, RuntimeError):
        return None
    return Chem.MolToSmiles(out)


def _verdict(smiles: str, kb: KnowledgeBase, *, reference: bool) -> object:
    try:
        found = reference_identify_structure(smiles, kb) if reference else identify_structure(smiles, kb)
    except StructureError as exc:
        return ("error", str(exc))
    return [m.to_dict() for m in found]


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_generated_molecules_same_as_reference(kb: KnowledgeBase, data: st.DataObject) -> None:
    """A listed, WEHI or NCI molecule with one to three random groups at random atoms, as written or
    as a salt or mixture: the screened engine's verdict equals the reference's."""
    smiles: str | None = data.draw(st.sampled_from(_seeds(kb)))
    for _ in range(data.draw(st.integers(1, 3))):
        assert smiles is not None
        grown = _grown(smiles, data.draw(st.sampled_from(_GROUPS)), data.draw(st.integers(0, 200)))
        smiles = grown or smiles
    assert smiles is not None
    smiles += data.draw(st.sampled_from(["", ".Cl", ".O", ".[Na+]", ".CCO", ".OC(=O)C(=O)O"]))
    forget_verdicts()
    assert _verdict(smiles, kb, reference=False) == _verdict(smiles, kb, reference=True), smiles
