"""Analogues: structures close to a listed substance that no class rule or unmasking step covers.

This is a secondary, clearly labelled signal (`relation: analog`, `cas` = the nearest listed substance)
for human review, not a legal finding. Two tests, either suffices:
  - similarity: the Tanimoto coefficient of Morgan fingerprints (radius 2, 2048 bits) to the nearest
    listed parent is at least `ANALOG_THRESHOLD`;
  - one edit: removing one ring substituent (F, Cl, Br, I, methyl, methoxy, hydroxy, nitro) or one
    terminal methyl, shortening a chain by one CH2 (a homologue), adding a methyl to an N-H, or
    swapping one halogen for another gives a listed substance exactly (`one_edit`). This catches the
    small analogues that fingerprints score low (4-fluoro-NPP, phenethyl iodide, norephedrine, the PMK
    homologue) without admitting the isomeric look-alikes (strawberry aldehyde, acetoacetanilide,
    1-aryl-piperidin-4-amines), which are no single edit away from a listed substance. Homologues and
    methyl relatives are flagged by design, benign or not (heliotropyl acetone, a flavour, is a PMK
    homologue; N-methyl-4-piperidone is what Canada's "4-piperidone derivatives and analogues" may
    cover): an analogue is a reason to look, never a finding.

Only molecules that share a scaffold family with the knowledge base (`FAMILIES`) are compared: an
analogue of a fentanyl precursor has a piperidine, an analogue of an amphetamine precursor an
aryl-C-C(=O), aryl epoxide, methylenedioxyphenyl, aryl-C(O)-C-N or aryl-ethyl halide motif. The
threshold was calibrated by `tools/calibrate_analogues.py` (see its output in the docs): it sits above
every benign look-alike in `BENIGN_LOOKALIKES` and above the 99.9th percentile of nearest-neighbour
similarity over RDKit's bundled NCI set of 5,000 ordinary molecules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

from rdkit import Chem, DataStructs
from rdkit.Chem import FilterCatalog, rdFingerprintGenerator

from precwatch.core.classes.model import query
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.kb.substance import Substance
from precwatch.core.structure.index import structure_index
from precwatch.core.structure.read import Composition, composed, composition

ANALOG_THRESHOLD = 0.72
"""Minimum Tanimoto similarity to the nearest listed substance for an `analog` match."""

FAMILIES: tuple[tuple[str, str], ...] = (
    ("piperidine", "[NX3;R1]1-[CX4]-[CX4]-[#6;R1]-[CX4]-[CX4]-1"),
    ("aryl-C-C(=O)", "c-[CX4]-[CX3]=O"),
    ("aryl epoxide", "c-[CX4;r3]1-O-[CX4;r3]1"),
    ("methylenedioxyphenyl", "c1ccc2OCOc2c1"),
    ("aryl-C(O)-C-N", "c-[CX4](-[OX2])-[CX4]-[NX3]"),
    ("aryl-ethyl halide", "c-[CH2]-[CH2]-[Cl,Br,I]"),
    ("aryl-C(=O)/propenyl", "c-[CX3;!R]=[O,C]"),
)
"""Scaffold families shared with the knowledge base; a molecule outside all of them is not compared."""

BENIGN_LOOKALIKES: tuple[tuple[str, str], ...] = (
    ("strawberry aldehyde (ethyl 3-methyl-3-phenylglycidate)", "CCOC(=O)C1OC1(C)c1ccccc1"),
    ("acetoacetanilide", "CC(=O)CC(=O)Nc1ccccc1"),
    ("1-(4-fluorophenyl)piperidin-4-amine", "NC1CCN(c2ccc(F)cc2)CC1"),
    ("1-phenylpiperidin-4-amine", "NC1CCN(c2ccccc2)CC1"),
    ("4-phenylpiperidine", "C1CC(c2ccccc2)CCN1"),
    ("loperamide", "CN(C)C(=O)C(CCN1CCC(O)(c2ccc(Cl)cc2)CC1)(c1ccccc1)c1ccccc1"),
    ("acetophenone", "CC(=O)c1ccccc1"),
    ("phenylacetaldehyde", "O=CCc1ccccc1"),
    ("2-phenylpropanal", "CC(C=O)c1ccccc1"),
    ("ethyl acetoacetate", "CCOC(=O)CC(C)=O"),
    ("4-hydroxypiperidine", "OC1CCNCC1"),
    ("phenethyl alcohol", "OCCc1ccccc1"),
    ("methyl cinnamate", "COC(=O)/C=C/c1ccccc1"),
    ("benzylacetone", "CC(=O)CCc1ccccc1"),
    ("haloperidol", "OC1(c2ccc(Cl)cc2)CCN(CCCC(=O)c2ccc(F)cc2)CC1"),
    ("donepezil", "COc1cc2c(cc1OC)C(=O)C(CC1CCN(Cc3ccccc3)CC1)C2"),
)
"""Benign chemicals that resemble listed substances; the threshold must stay above all of them."""

_FAMILIES = tuple((name, Chem.MolFromSmarts(s)) for name, s in FAMILIES)

FAMILY_STARTS: dict[str, int] = {
    "aryl-C-C(=O)": 2,
    "aryl epoxide": 1,
    "methylenedioxyphenyl": 4,
    "aryl-C(O)-C-N": 1,
    "aryl-ethyl halide": 3,
    "aryl-C(=O)/propenyl": 1,
}
"""The atom each family's search starts from (`classes.model.query`), by family; the others start from
their first atom. Every molecule reaches the family search and most (three in five on the WEHI set)
belong to none, so each pattern is searched to the end; written from their aromatic carbon, the
patterns try every aromatic atom first. Started from the carbonyl or sp3 carbon, the epoxide or ring
oxygen or the halogen instead (measured on 3,000 WEHI and NCI molecules, per pattern): 9.1 -> 4.5 us
(aryl-C-C(=O)), 7.5 -> 3.9 (epoxide), 10.0 -> 4.4 (methylenedioxyphenyl), 6.0 -> 3.7 (aryl-C(O)-C-N),
9.3 -> 4.8 (halide), 8.8 -> 4.6 (propenyl); the whole catalog 22.2 -> 14.6 us on 2,000 WEHI
molecules. Same atoms, bonds and tests, so the same molecules match."""


def _family_catalog() -> FilterCatalog.FilterCatalog:
    """The family patterns in `FAMILIES` order in one catalog, each started from `FAMILY_STARTS`."""
    catalog = FilterCatalog.FilterCatalog()
    for name, smarts in FAMILIES:
        pattern = query(smarts, FAMILY_STARTS.get(name, 0))
        catalog.AddEntry(
            FilterCatalog.FilterCatalogEntry(name, FilterCatalog.SmartsMatcher(name, pattern, 1))
        )
    return catalog


_CATALOG = _family_catalog()
"""The family patterns in `FAMILIES` order, tried in one call: its first match is the first family
`mol.HasSubstructMatch` finds in that order (a SMARTS matcher with a minimum count of one asks exactly
that), without a Python round trip per pattern."""
_FPGEN = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)


@dataclass(frozen=True, slots=True)
class Nearest:
    """The listed substance most similar to a query, with the similarity and the shared family."""

    substance: Substance
    similarity: float
    family: str


def family(mol: Chem.Mol) -> str | None:
    """The first scaffold family `mol` belongs to, or None."""
    entry = _CATALOG.GetFirstMatch(mol)
    return None if entry is None else str(entry.GetDescription())


class AnalogueIndex:
    """Fingerprints of the listed parents, for nearest-neighbour search."""

    def __init__(self, parents: list[tuple[Substance, Chem.Mol]]) -> None:
        self.substances = [s for s, _ in parents]
        self.fingerprints = [_FPGEN.GetFingerprint(m) for _, m in parents]

    def nearest(self, mol: Chem.Mol, gate: bool = True) -> Nearest | None:
        """The most similar listed substance (any similarity), or None outside every scaffold family
        (when `gate` is True)."""
        fam = family(mol) if gate else "any"
        if fam is None or not self.fingerprints:
            return None
        sims = DataStructs.BulkTanimotoSimilarity(_FPGEN.GetFingerprint(mol), self.fingerprints)
        best = sims.index(max(sims))  # the first of equals, as max(range, key=...) gives
        return Nearest(self.substances[best], float(sims[best]), fam)

    def similarity(self, mol: Chem.Mol, substance: Substance) -> float:
        """Tanimoto similarity of `mol` to one listed substance."""
        i = self.substances.index(substance)
        return float(DataStructs.TanimotoSimilarity(_FPGEN.GetFingerprint(mol), self.fingerprints[i]))


_SUBSTITUENTS = (
    ("fluoro", Chem.MolFromSmarts("[F;X1]-[#6;R]")),
    ("chloro", Chem.MolFromSmarts("[Cl;X1]-[#6;R]")),
    ("bromo", Chem.MolFromSmarts("[Br;X1]-[#6;R]")),
    ("iodo", Chem.MolFromSmarts("[I;X1]-[#6;R]")),
    ("methyl", Chem.MolFromSmarts("[CH3]-[#6;R]")),
    ("hydroxy", Chem.MolFromSmarts("[OH1]-[#6;R]")),
    ("methoxy", Chem.MolFromSmarts("[CH3]-[OX2]-[#6;R]")),
    ("nitro", Chem.MolFromSmarts("[N+](=O)([O-])-[#6;R]")),
    ("methyl", Chem.MolFromSmarts("[CH3]-[!#1]")),
)
_HALOGEN = Chem.MolFromSmarts("[F,Cl,Br,I;X1]")
_CHAIN_CH2 = Chem.MolFromSmarts("[#6,#7,#8]-[CH2;!R]-[#6;!$(C=O)]")
_NH = Chem.MolFromSmarts("[NX3;H1,H2;!$(N-C=O)]")
_HALOGENS = {9: "fluoro", 17: "chloro", 35: "bromo", 53: "iodo"}


def one_edit(
    mol: Chem.Mol,
    lookup: Callable[[Chem.Mol], Substance | None],
    compositions: Container[Composition] | None = None,
    *,
    atoms: Composition | None = None,
) -> tuple[Substance, str] | None:
    """A listed substance one small edit away from `mol`, and the edit, or None.

    Edits tried: drop one ring substituent (the substituent atoms go, the ring atom keeps an H), or
    replace one halogen by another. `lookup` maps a sanitised parent to a listed substance.

    `compositions`, if given, holds the heavy-atom composition of every structure `lookup` can return
    (`StructureIndex.compositions`). An edit's composition is known before it is made (a dropped group
    removes its atoms, a shortened chain one carbon, an added N-methyl adds one, a halogen swap trades
    one halogen for another), and `lookup` needs an equal molecular formula, hence an equal
    composition; so an edit whose composition is not in `compositions` cannot find anything and is
    skipped without building or sanitising the edited molecule. The edits tried, in order, and so the
    edit reported, are the same. Before any pattern is searched, every kind of edit's composition is
    tried (`_EDIT_CHANGES`, and each swap of a halogen the molecule has): when none is listed, no edit
    can find anything and the answer is None at once.

    `atoms`, if given, is `mol`'s heavy-atom composition (read off its formula), so the atoms need not
    be visited.
    """
    base: Counter[int] = Counter(dict(atoms if atoms is not None else composition(mol)))

    if compositions is not None:
        swaps = [((old,), (new,)) for old in _HALOGENS if base[old] for new in _HALOGENS if new != old]
        if not any(composed(_changed(base, m, p)) in compositions for m, p in (*_EDIT_CHANGES, *swaps)):
            return None

    def possible(minus: Iterable[int] = (), plus: Iterable[int] = ()) -> bool:
        if compositions is None:
            return True
        counts = base.copy()
        counts.subtract(minus)
        counts.update(plus)
        return composed(counts) in compositions

    for name, pattern in _SUBSTITUENTS:
        for match in mol.GetSubstructMatches(pattern):
            if not possible(minus=[mol.GetAtomWithIdx(i).GetAtomicNum() for i in match[:-1]]):
                continue
            rw = Chem.RWMol(mol)
            ring_atom = match[-1]
            for idx in sorted(match[:-1], reverse=True):
                rw.RemoveAtom(idx)
            ring = rw.GetAtomWithIdx(ring_atom - sum(1 for i in match[:-1] if i < ring_atom))
            ring.SetNoImplicit(False)
            ring.SetNumExplicitHs(0)
            found = _sanitised_lookup(rw, lookup)
            if found is not None:
                where = "on a ring" if mol.GetAtomWithIdx(ring_atom).IsInRing() else "on a chain"
                return found, f"{found.preferred_name} with an extra {name} group {where}"
    for left, mid, right in mol.GetSubstructMatches(_CHAIN_CH2) if possible(minus=[6]) else ():
        rw = Chem.RWMol(mol)
        rw.AddBond(left, right, Chem.BondType.SINGLE)
        rw.RemoveAtom(mid)
        found = _sanitised_lookup(rw, lookup)
        if found is not None:
            return found, f"a homologue of {found.preferred_name} (one more CH2 in a chain)"
    for (idx,) in mol.GetSubstructMatches(_NH) if possible(plus=[6]) else ():
        rw = Chem.RWMol(mol)
        new = rw.AddAtom(Chem.Atom(6))
        rw.AddBond(idx, new, Chem.BondType.SINGLE)
        rw.GetAtomWithIdx(idx).SetNumExplicitHs(0)
        found = _sanitised_lookup(rw, lookup)
        if found is not None:
            return found, f"{found.preferred_name} lacking one N-methyl"
    for (idx,) in mol.GetSubstructMatches(_HALOGEN):
        old = mol.GetAtomWithIdx(idx).GetAtomicNum()
        for new in _HALOGENS:
            if new == old or not possible(minus=[old], plus=[new]):
                continue
            rw = Chem.RWMol(mol)
            rw.GetAtomWithIdx(idx).SetAtomicNum(new)
            found = _sanitised_lookup(rw, lookup)
            if found is not None:
                return found, f"{found.preferred_name} with {_HALOGENS[new]} swapped for {_HALOGENS[old]}"
    return None


_EDIT_CHANGES: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = (
    *((tuple(a.GetAtomicNum() for a in p.GetAtoms())[:-1], ()) for _, p in _SUBSTITUENTS),
    ((6,), ()),  # a CH2 out of a chain
    ((), (6,)),  # a methyl onto an N-H
)
"""(atoms removed, atoms added) by each kind of edit `one_edit` makes but a halogen swap: a dropped
substituent loses every pattern atom but the last (the ring or chain atom it sits on)."""


def _changed(base: Counter[int], minus: Iterable[int], plus: Iterable[int]) -> Counter[int]:
    counts = base.copy()
    counts.subtract(minus)
    counts.update(plus)
    return counts


def _sanitised_lookup(rw: Chem.RWMol, lookup: Callable[[Chem.Mol], Substance | None]) -> Substance | None:
    mol = rw.GetMol()
    try:
        Chem.SanitizeMol(mol)
    except (ValueError, RuntimeError):
        return None
    return lookup(mol)


def analogue_index(kb: KnowledgeBase) -> AnalogueIndex:
    """Fingerprints of the KB's listed parents for the analogue signal (built on first use, then shared)."""
    return kb.derived("analogue-index", lambda k: AnalogueIndex(structure_index(k).parents))
