"""The knowledge base's structures, indexed for exact lookup of a standardised parent.

Each listed substance is standardised exactly as inputs are, then indexed twice: by its canonical
isomeric SMILES (the full identity, stereo included) and by its stereo-free canonical SMILES (the
connectivity layer, for inputs that omit or differ in stereo). A molecular-formula set is the cheap
first gate, so most molecules never pay for canonicalisation. Within one RDKit build canonical SMILES
is an exact identity and four times faster than InChI; the InChIKey (full, then its connectivity
block) is the fallback for a formula match whose SMILES differs, which catches tautomers that InChI
normalises.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.kb.substance import Substance
from precwatch.core.structure.read import Composition, composition, inchikey
from precwatch.core.structure.standardise import standardise


@dataclass(frozen=True, slots=True)
class StructureHit:
    """A knowledge-base substance whose parent structure equals the query's.

    `stereo` is True when the stereo-specific identity matched, False when only the connectivity did
    (the query omits stereo, or gives another stereoisomer: e.g. ephedrine vs pseudoephedrine).
    """

    substance: Substance
    stereo: bool


def keys(mol: Chem.Mol) -> tuple[str, str]:
    """(isomeric canonical SMILES, stereo-free canonical SMILES) of `mol`."""
    return Chem.MolToSmiles(mol), Chem.MolToSmiles(mol, isomericSmiles=False)


class StructureIndex:
    """Exact structure lookup over the listed (parent) substances of a knowledge base."""

    def __init__(self, substances: tuple[Substance, ...]) -> None:
        self.formulas: set[str] = set()
        self.compositions: set[Composition] = set()
        """Heavy-atom compositions of the indexed parents (`lookup` answers only a molecule with one)."""
        self.by_key: dict[str, Substance] = {}
        self.by_flat: dict[str, list[Substance]] = {}
        self.forms: dict[str, Substance] = {}
        """Canonical SMILES of a registered salt row as written, to that row (4-AP·2HCl, ...)."""
        self.by_inchikey: dict[str, Substance] = {}
        self.by_skeleton: dict[str, list[Substance]] = {}
        self.parents: list[tuple[Substance, Chem.Mol]] = []
        for s in substances:
            mol = Chem.MolFromSmiles(s.smiles) if s.smiles else None
            if mol is None:
                continue
            if s.parent:
                self.forms[Chem.MolToSmiles(mol)] = s
                continue
            parent = standardise(mol).parents[0]
            full, flat = keys(parent)
            self.formulas.add(rdMolDescriptors.CalcMolFormula(parent))
            self.compositions.add(composition(parent))
            self.by_key.setdefault(full, s)
            self.by_flat.setdefault(flat, []).append(s)
            key = inchikey(parent)
            self.by_inchikey.setdefault(key, s)
            self.by_skeleton.setdefault(key[:14], []).append(s)
            self.parents.append((s, parent))

    def lookup(self, mol: Chem.Mol, formula: str | None = None) -> list[StructureHit]:
        """The listed substances whose standardised parent is `mol` (a standardised parent)."""
        formula = formula or rdMolDescriptors.CalcMolFormula(mol)
        if formula not in self.formulas:
            return []
        full, flat = keys(mol)
        exact = self.by_key.get(full)
        if exact is not None:
            return [StructureHit(exact, True)]
        flat_hits = self.by_flat.get(flat)
        if flat_hits:
            return [StructureHit(s, False) for s in flat_hits]
        # Same formula, different SMILES: a tautomer or a mesomer InChI normalises (InChIKey, then
        # its connectivity block for stereo-free matching).
        key = inchikey(mol)
        found = self.by_inchikey.get(key)
        if found is not None:
            return [StructureHit(found, True)]
        return [StructureHit(s, False) for s in self.by_skeleton.get(key[:14], ())]

    def form(self, mol: Chem.Mol) -> Substance | None:
        """The registered salt row written exactly as `mol` (the whole input, before stripping)."""
        return self.forms.get(Chem.MolToSmiles(mol)) if self.forms else None


def structure_index(kb: KnowledgeBase) -> StructureIndex:
    """Exact lookup of the KB's standardised parents (built on first use, then shared)."""
    return kb.derived("structure-index", lambda k: StructureIndex(k.substances))
