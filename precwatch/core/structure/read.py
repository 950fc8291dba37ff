"""Read chemical structures (SMILES, InChI, MOL blocks) into RDKit molecules, and recompute identifiers.

These are the only entry points from text to `Chem.Mol`: everything downstream (standardisation, rules,
masked-precursor search, analogues) works on molecules.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from rdkit import Chem, RDLogger
from rdkit.Chem import rdMolDescriptors

RDLogger.DisableLog("rdApp.*")  # type: ignore[attr-defined]

StructureFormat = Literal["smiles", "inchi", "molblock"]
STRUCTURE_FORMATS: tuple[str, ...] = ("smiles", "inchi", "molblock")


class StructureError(ValueError):
    """A structure could not be read; the message says what was wrong with it."""


@dataclass(frozen=True, slots=True)
class MolFacts:
    """Identifiers RDKit derives from a structure."""

    canonical_smiles: str
    inchikey: str
    formula: str


def guess_format(text: str) -> StructureFormat:
    """`inchi` for 'InChI=...', `molblock` for a multi-line MOL/SDF block, otherwise `smiles`."""
    stripped = text.lstrip()
    if stripped.startswith("InChI="):
        return "inchi"
    if "\n" in stripped and ("V2000" in text or "V3000" in text):
        return "molblock"
    return "smiles"


def smiles_part(text: str) -> str:
    """The SMILES of a "SMILES name" line as in .smi files (its first word; "" for a blank text)."""
    words = text.split(None, 1)
    return words[0] if words else ""


def parse_structure(text: str, fmt: StructureFormat | None = None) -> Chem.Mol:
    """Parse and sanitise one structure.

    Args:
        text: a SMILES, a standard or non-standard InChI, or a MOL block.
        fmt: the format; guessed from the text when None.

    Raises:
        StructureError: empty input, or a structure RDKit cannot read or sanitise.
    """
    fmt = fmt or guess_format(text)
    if not text.strip():
        raise StructureError(f"empty {fmt}")
    if fmt == "smiles":
        mol = Chem.MolFromSmiles(smiles_part(text))
    elif fmt == "inchi":
        mol = Chem.MolFromInchi(text.strip())  # type: ignore[no-untyped-call]
    elif fmt == "molblock":
        mol = Chem.MolFromMolBlock(text)
    else:
        raise StructureError(
            f"unknown structure format {fmt!r}: expected one of {', '.join(STRUCTURE_FORMATS)}"
        )
    if mol is None or mol.GetNumAtoms() == 0:
        shown = text.strip().splitlines()[0][:80] if text.strip() else ""
        raise StructureError(f"not a valid {fmt} (RDKit cannot parse or sanitise it): {shown!r}")
    return mol


_SEARCH_PARAMS = Chem.SmilesParserParams()
_SEARCH_PARAMS.sanitize = False  # type: ignore[assignment]
_SEARCH_PARAMS.removeHs = False  # type: ignore[assignment]
_STEREO_MARKS = ("@", "/", "\\")


def parse_smiles_for_search(text: str) -> Chem.Mol:
    """`parse_structure(text, "smiles")` without stereo perception when the SMILES has nothing for it to
    perceive: the same molecule (atoms, bonds, charges, hydrogens, aromaticity, rings, hybridisation),
    the same errors, about a fifth less work on a drug-sized molecule.

    RDKit's parse ends with `AssignStereochemistry`, which ranks every atom by CIP rules even when
    nothing is stereo. A SMILES with no stereo mark (`@`, `/`, `\\`) has no chiral tag and no
    directional bond, so there is nothing to perceive or clean; the canonical SMILES written later is the
    same (RDKit perceives stereo on its own copy when it writes one). The sanitisation itself is RDKit's
    full one. A SMILES with a stereo mark, an explicit hydrogen or a dummy atom (RDKit's parse removes
    hydrogens, a step of its own), or one that fails sanitisation goes through `parse_structure`, so an
    unreadable one raises the same `StructureError`. `tests/core/structure/test_search_parse.py`
    compares both readings on the sets RDKit ships; `test_screens.py` the engine's verdicts with the
    reference's, which parses in full."""
    smiles = smiles_part(text)
    if smiles and not any(mark in smiles for mark in _STEREO_MARKS):
        mol = Chem.MolFromSmiles(smiles, _SEARCH_PARAMS)
        if mol is not None and mol.GetNumAtoms() and mol.GetNumHeavyAtoms() == mol.GetNumAtoms():
            try:
                Chem.SanitizeMol(mol)
            except (ValueError, RuntimeError):  # (sanitisation errors; parse_structure reports them)
                pass
            else:
                return mol
    return parse_structure(text, "smiles")


def written_connected(text: str, fmt: StructureFormat | None = None) -> bool:
    """True when `text` is a SMILES written without a dot, so the molecule `parse_structure` reads from
    it is one connected component.

    In SMILES every atom after the first is bonded to the atom before it, to the one its branch opens
    from, or through a ring-closure digit; the dot is the only way to write two atoms with no path
    between them. False says nothing (a dot may still join one component through a ring closure,
    `C1.C1`): the caller then asks RDKit for the fragments. Costs a string scan where `GetMolFrags`
    costs a call into RDKit (about 1 us against 5)."""
    smiles = smiles_part(text)
    return bool(smiles) and (fmt or guess_format(text)) == "smiles" and "." not in smiles


def to_mol(smiles: str) -> Chem.Mol | None:
    """Parse and sanitise a SMILES; None when RDKit cannot."""
    return Chem.MolFromSmiles(smiles)


def inchikey(mol: Chem.Mol) -> str:
    """The standard InChIKey of `mol` ('' when InChI cannot represent it)."""
    key: str = Chem.MolToInchiKey(mol)  # type: ignore[no-untyped-call]
    return key


def mol_facts(smiles: str) -> MolFacts | None:
    """Canonical SMILES, InChIKey and formula of `smiles`, or None when it does not parse."""
    mol = to_mol(smiles)
    if mol is None:
        return None
    return MolFacts(Chem.MolToSmiles(mol), inchikey(mol), rdMolDescriptors.CalcMolFormula(mol))


Composition = tuple[tuple[int, int], ...]
"""Heavy-atom composition: (atomic number, count) pairs in ascending order, hydrogens left out."""


def composition(mol: Chem.Mol) -> Composition:
    """The heavy-atom composition of `mol` (equal molecular formulas give equal compositions)."""
    return composed(Counter(a.GetAtomicNum() for a in mol.GetAtoms() if a.GetAtomicNum() > 1))


def composed(counts: Counter[int]) -> Composition:
    """The composition of atom counts by atomic number (zero and negative counts left out)."""
    return tuple(sorted((z, n) for z, n in counts.items() if n > 0))


_ELEMENT = re.compile(r"([A-Z][a-z]?)(\d*)")
_PERIODIC = Chem.GetPeriodicTable()


def formula_composition(formula: str) -> Composition:
    """The heavy-atom composition read off an RDKit molecular formula (`CalcMolFormula`, isotopes
    merged): equal to `composition` of the molecule, at a fraction of the cost of visiting its atoms.
    Element symbols are looked up in the periodic table once each (`_Z`), then from a dictionary."""
    counts: dict[int, int] = {}
    for symbol, n in _ELEMENT.findall(formula):
        z = _Z.get(symbol)
        if z is None:
            z = _Z[symbol] = _PERIODIC.GetAtomicNumber(symbol)
        if z > 1:
            counts[z] = counts.get(z, 0) + (int(n) if n else 1)
    return tuple(sorted(counts.items()))


_Z: dict[str, int] = {}
"""Atomic number by element symbol, filled as symbols are first met (a dictionary look-up costs far less
than a call into RDKit's periodic table)."""
