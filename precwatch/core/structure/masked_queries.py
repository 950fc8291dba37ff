"""The skeleton and step query sets of the masked-precursor search (`masked.MaskedSearch`): structures a
molecule must contain for an unmasking step to give a listed substance, as element-only, any-bond
queries, each set kept minimal and each query started from its rarest atom.
"""

from __future__ import annotations

from rdkit import Chem

from precwatch.core.classes.model import started_from

Sites = tuple[tuple[tuple[int, tuple[int, ...], bool], ...], tuple[tuple[int, str, int], ...]]
"""A step's shape, read off its reaction (`masked._sites`): (sites, added atoms)."""


def site_queries(shape: Sites, parents: list[Chem.Mol]) -> list[Chem.Mol]:
    """Structures a molecule must contain for a step of this shape (`_sites`) to give one of `parents`.

    What a site is cut from is still bonded to it in the input. The atoms the step adds are not in the
    input, so every parent atom that could be one is dropped first (a terminal atom of that element
    with that bond to an atom of the site's element; dropping more only weakens the query). A site the
    step adds atoms to is anchored at a parent atom that lost such an atom; any other site at every
    parent atom of its element. No sites, or a template atom of no single element: no queries (the
    caller then falls back on the kind's skeletons).
    """
    sites, added = shape
    if not sites or any(e == 0 for element, cut, _ in sites for e in (element, *cut)):
        return []
    new_atoms = [Chem.MolFromSmarts(f"[#{a}]{b}[#{n};D1]") for a, b, n in added]
    out: list[Chem.Mol] = []
    for parent in parents:
        anchors: set[int] = set()
        drop: set[int] = set()
        for pattern in new_atoms:
            for site_idx, new_idx in parent.GetSubstructMatches(pattern):
                anchors.add(site_idx)
                drop.add(new_idx)
        for element, cut, receives in sites:
            for atom in parent.GetAtoms():
                idx = atom.GetIdx()
                if atom.GetAtomicNum() != element or idx in drop or (receives and idx not in anchors):
                    continue
                rw = Chem.RWMol(parent)
                for e in cut:
                    rw.AddBond(idx, rw.AddAtom(Chem.Atom(e)), Chem.BondType.SINGLE)
                for d in sorted(drop, reverse=True):
                    rw.RemoveAtom(d)
                out.append(rw.GetMol())
    return out


def minimal(structures: list[Chem.Mol]) -> list[Chem.Mol]:
    """Element-only, any-bond queries of the structures that contain no other one (first of equals kept).

    Smallest first, each compared with the queries kept so far: a structure containing a dropped one
    also contains what that one contained (transitivity), so comparing with the kept ones suffices.
    """
    params = Chem.AdjustQueryParameters.NoAdjustments()
    params.makeBondsGeneric = True  # type: ignore[assignment]
    kept: list[Chem.Mol] = []
    for m in sorted(structures, key=lambda m: m.GetNumAtoms()):
        m.UpdatePropertyCache(strict=False)
        Chem.FastFindRings(m)
        if not any(m.HasSubstructMatch(q) for q in kept):
            kept.append(_from_rarest(Chem.AdjustQueryProperties(m, params)))
    return kept


_RARITY = {6: 0, 8: 1, 7: 2}
"""How rare an element is in ordinary molecules, rarest highest: carbon, then oxygen, then nitrogen; any
other element (3) is rarer than these three."""


def _from_rarest(query: Chem.Mol) -> Chem.Mol:
    """The query renumbered to start from its rarest element (`_RARITY`; among equals the atom with the
    fewest neighbours, then the first). The search tries every molecule atom for the query's first atom:
    a nitrogen or a sulfur has few candidates where a carbon has most of the molecule. Same atoms and
    bonds (`classes.model.started_from`), so the same answer: the kind and step query sets (mostly
    absent, so searched to the end) answer about twice as fast on the WEHI and NCI sets (amine skeletons
    15.6 -> 7.4 us per molecule, acetal steps 76 -> 34, imine steps 61 -> 25)."""

    def rarity(idx: int) -> tuple[int, int, int]:
        atom = query.GetAtomWithIdx(idx)
        return (_RARITY.get(atom.GetAtomicNum(), 3), -atom.GetDegree(), -idx)

    return started_from(query, max(range(query.GetNumAtoms()), key=rarity))
