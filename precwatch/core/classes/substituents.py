"""Substituents in the words of the law: which kind (alkyl, alkoxyl, ester, halo, amino ...) a group is.

The US and Chinese fentanyl-related-substance definitions allow substitution "with alkyl, alkenyl, alkoxyl,
ester, ether, hydroxyl, halo, haloalkyl, amino or nitro groups"; `group_kinds` names the kinds an acyclic
substituent is made of, or None when any part of it is something else. The ester rules use
`substituent_atoms` to read an ester's alcohol part.
"""

from __future__ import annotations

from rdkit import Chem


def substituent_atoms(mol: Chem.Mol, root: int, parent: int) -> list[int]:
    """Atoms of the substituent rooted at `root`, found without crossing back through `parent`."""
    seen = {root, parent}
    out = [root]
    stack = [root]
    while stack:
        for nb in mol.GetAtomWithIdx(stack.pop()).GetNeighbors():
            j = nb.GetIdx()
            if j not in seen:
                seen.add(j)
                out.append(j)
                stack.append(j)
    return out


def fragment_smiles(mol: Chem.Mol, root: int, parent: int) -> str:
    """The substituent rooted at `root` as SMILES (for evidence text)."""
    return Chem.MolFragmentToSmiles(
        mol, substituent_atoms(mol, root, parent), rootedAtAtom=root, isomericSmiles=False
    )


def group_kinds(mol: Chem.Mol, root: int, parent: int) -> frozenset[str] | None:
    """Classify an acyclic substituent into the kinds named in the FRS definitions.

    Every atom must belong to one of: alkyl (sp3 C), alkenyl (C=C), haloalkyl or halo (F, Cl, Br, I; halo
    when the halogen itself is the substituent), hydroxyl (OH), alkoxyl (O-C at the root), ether (C-O-C
    inside the group), ester (C(=O)-O-C either way round), amino (N with only H and sp3 carbon neighbours),
    nitro. Anything else (a ring, ketone, aldehyde, acid, amide, nitrile, alkyne, other elements, other
    charges) makes the group unclassifiable.

    Args:
        mol: The molecule.
        root: The substituent atom bonded to the scaffold.
        parent: The scaffold atom it hangs from.

    Returns:
        The set of kinds the group is built from, or None when it is not built only from listed kinds.
    """
    kinds: set[str] = set()
    for idx in substituent_atoms(mol, root, parent):
        atom = mol.GetAtomWithIdx(idx)
        z = atom.GetAtomicNum()
        if atom.IsInRing() or atom.GetIsAromatic():
            return None
        charge = atom.GetFormalCharge()
        if z == 1:
            continue
        if z in (9, 17, 35, 53):
            kinds.add("halo" if idx == root else "haloalkyl")
        elif z == 6:
            kind = _carbon_kind(atom)
            if kind is None or charge:
                return None
            kinds.add(kind)
        elif z == 8:
            kind = _oxygen_kind(atom, idx == root)
            if kind is None:
                return None
            if kind:
                kinds.add(kind)
        elif z == 7:
            kind = _nitrogen_kind(atom)
            if kind is None:
                return None
            kinds.add(kind)
        else:
            return None
    return frozenset(kinds)


def _double(atom: Chem.Atom) -> list[Chem.Atom]:
    return [b.GetOtherAtom(atom) for b in atom.GetBonds() if b.GetBondType() == Chem.BondType.DOUBLE]


def _carbon_kind(atom: Chem.Atom) -> str | None:
    if any(b.GetBondType() not in (Chem.BondType.SINGLE, Chem.BondType.DOUBLE) for b in atom.GetBonds()):
        return None
    doubles = _double(atom)
    if not doubles:
        return "alkyl"
    if len(doubles) > 1:
        return None
    if doubles[0].GetAtomicNum() == 6:
        return "alkenyl"
    if doubles[0].GetAtomicNum() != 8:
        return None
    # A carbonyl is allowed only as an ester: exactly one single-bonded O that leads to a carbon,
    # and the remaining neighbour a carbon (C-C(=O)-O-C).
    singles = [nb for nb in atom.GetNeighbors() if nb.GetIdx() != doubles[0].GetIdx()]
    oxygens = [o for o in singles if o.GetAtomicNum() == 8]
    if len(oxygens) != 1 or len(singles) != 2 or any(o.GetAtomicNum() not in (6, 8) for o in singles):
        return None
    ester_o = oxygens[0]
    if not any(x.GetAtomicNum() == 6 and x.GetIdx() != atom.GetIdx() for x in ester_o.GetNeighbors()):
        return None
    return "ester"


def _oxygen_kind(atom: Chem.Atom, is_root: bool) -> str | None:
    """'' for an O whose validity is checked at its neighbour (C=O of an ester, nitro O)."""
    if atom.GetFormalCharge() == -1:
        nbs = list(atom.GetNeighbors())
        return "" if len(nbs) == 1 and nbs[0].GetAtomicNum() == 7 and nbs[0].GetFormalCharge() == 1 else None
    if atom.GetFormalCharge():
        return None
    if _double(atom):
        return ""
    nbs = [nb for nb in atom.GetNeighbors() if nb.GetAtomicNum() != 1]
    if any(nb.GetAtomicNum() != 6 for nb in nbs):
        return None
    if len(nbs) == 1:
        return "hydroxyl" if not _double(nbs[0]) else None
    if any(_double(nb) and _double(nb)[0].GetAtomicNum() == 8 for nb in nbs):
        return "ester"
    return "alkoxyl" if is_root else "ether"


def _nitrogen_kind(atom: Chem.Atom) -> str | None:
    nbs = list(atom.GetNeighbors())
    if atom.GetFormalCharge() == 1:
        oxygens = [nb for nb in nbs if nb.GetAtomicNum() == 8]
        return "nitro" if len(oxygens) == 2 and len(nbs) == 3 and len(_double(atom)) == 1 else None
    if atom.GetFormalCharge() or any(b.GetBondType() != Chem.BondType.SINGLE for b in atom.GetBonds()):
        return None
    ok = all(nb.GetAtomicNum() == 6 and not _double(nb) and not nb.GetIsAromatic() for nb in nbs)
    return "amino" if ok else None
