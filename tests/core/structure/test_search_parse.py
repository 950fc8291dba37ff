"""`parse_smiles_for_search` reads the same molecule as `parse_structure` for everything the engine asks
of it (canonical SMILES with and without stereo, formula, InChIKey, Morgan fingerprint, aromaticity, ring
membership, hydrogen counts, hybridisation), and refuses the same inputs with the same message.

Checked on the real molecule sets RDKit ships, the knowledge base's own structures (with stereo, salts
and charges), hand-picked edge cases, and hypothesis-built token strings (mostly invalid SMILES, so the
error paths are compared too). The engine's verdicts on the same sets are compared with the reference
engine, which parses in full, in `test_screens.py`.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem
from rdkit.Chem import rdFingerprintGenerator, rdMolDescriptors

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure.read import (
    StructureError,
    inchikey,
    parse_smiles_for_search,
    parse_structure,
)
from tests.core.structure.test_screens import real_molecules, relevant_structures

_FP = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)

EDGE_CASES = (
    "C[C@H](N)Cc1ccccc1",  # stereo: parsed in full
    "C/C=C/c1ccccc1",
    "[H]OC(=O)Cc1ccccc1",  # explicit hydrogen: RDKit removes it
    "[2H]C([2H])([2H])N",
    "*c1ccccc1",  # dummy atom
    "[13CH3]C(=O)c1ccccc1",
    "C[N+](C)(C)C.[Cl-]",
    "O=[N+]([O-])c1ccccc1",
    "c1ccn[nH]1",
    "CC(=O)c1ccccc1 acetophenone",  # "SMILES name", as in .smi files
    "  CCO",
    "c1cccc1",  # cannot be kekulised
    "C(C)(C)(C)(C)C",  # pentavalent carbon
    "C1CC",  # unclosed ring
    "not a smiles",
    "",
    "   ",
    "[Na+].[Cl-]",
    "C12C3C4C1C5C2C3C45",  # cubane: the symmetrised ring set differs from the smallest one
)


def _facts(mol: Chem.Mol) -> tuple[object, ...]:
    atoms = tuple(
        (
            a.GetAtomicNum(),
            a.GetFormalCharge(),
            a.GetTotalNumHs(),
            a.GetIsAromatic(),
            a.IsInRing(),
            mol.GetRingInfo().NumAtomRings(a.GetIdx()),
            a.GetHybridization(),
            a.GetChiralTag(),
        )
        for a in mol.GetAtoms()
    )
    bonds = tuple((b.GetBondType(), b.GetIsAromatic(), b.GetStereo()) for b in mol.GetBonds())
    return (
        Chem.MolToSmiles(mol),
        Chem.MolToSmiles(mol, isomericSmiles=False),
        rdMolDescriptors.CalcMolFormula(mol),
        _FP.GetFingerprint(mol).ToBitString(),
        atoms,
        bonds,
    )


def _read(parse: object, text: str) -> object:
    try:
        mol = parse(text)  # type: ignore[operator]
    except StructureError as exc:
        return ("error", str(exc))
    return _facts(mol)


def _full(text: str) -> Chem.Mol:
    return parse_structure(text, "smiles")


def _same(text: str) -> bool:
    return _read(parse_smiles_for_search, text) == _read(_full, text)


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_read_as_in_full(text: str) -> None:
    assert _read(parse_smiles_for_search, text) == _read(_full, text)


def test_knowledge_base_structures_read_as_in_full(kb: KnowledgeBase) -> None:
    smiles = [s for s in relevant_structures(kb) if "InChI=" not in s and "\n" not in s]
    differ = [s for s in smiles if not _same(s)]
    assert not differ, differ[:10]


@pytest.mark.parametrize("name", ["nci", "wehi", "chembl"])
def test_real_molecules_read_as_in_full(name: str) -> None:
    sets = real_molecules()
    if name not in sets:
        pytest.skip(f"{name} not shipped with this RDKit")
    differ = [s for s in sets[name] if not _same(s)]
    assert not differ, differ[:10]


def test_inchikeys_as_in_full() -> None:
    """The InChIKey (the look-up of tautomers and the key every match carries) on the first thousand
    WEHI molecules, which are written with no stereo mark and take the light path."""
    for s in real_molecules()["wehi"][:1000]:
        try:
            full = parse_structure(s, "smiles")
        except StructureError:
            continue
        assert inchikey(parse_smiles_for_search(s)) == inchikey(full), s


_TOKENS = st.sampled_from(
    ["C", "c", "N", "n", "O", "o", "S", "Cl", "1", "2", "(", ")", "=", "#", "[nH]", "[N+]", "[O-]",
     "[C@@H]", "[C@H]", "/", "\\", ".", "[H]", "[2H]", "*", "Br", "[Na+]", " x"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_TOKENS, min_size=1, max_size=14).map("".join))
def test_token_strings_read_as_in_full(text: str) -> None:
    assert _read(parse_smiles_for_search, text) == _read(_full, text)
