"""RDKit helpers for the knowledge base: parse a SMILES and recompute its identifiers.

Issue 3 grows this into the full standardisation pipeline; for now it recomputes what the KB states.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem, RDLogger
from rdkit.Chem import rdMolDescriptors

RDLogger.DisableLog("rdApp.*")  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class MolFacts:
    """Identifiers RDKit derives from a structure."""

    canonical_smiles: str
    inchikey: str
    formula: str


def to_mol(smiles: str) -> Chem.Mol | None:
    """Parse and sanitise a SMILES; None when RDKit cannot."""
    return Chem.MolFromSmiles(smiles)


def mol_facts(smiles: str) -> MolFacts | None:
    """Canonical SMILES, InChIKey and formula of `smiles`, or None when it does not parse."""
    mol = to_mol(smiles)
    if mol is None:
        return None
    inchikey: str = Chem.MolToInchiKey(mol)  # type: ignore[no-untyped-call]
    return MolFacts(Chem.MolToSmiles(mol), inchikey, rdMolDescriptors.CalcMolFormula(mol))
