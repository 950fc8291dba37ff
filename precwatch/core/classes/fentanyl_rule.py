"""Fentanyl-related substances (FRS): the US and Chinese structural class definitions as RDKit logic.

`match_fentanyl_related(mol)` finds the fentanyl skeleton, an N-(piperidin-4-yl)-N-aryl amide, and checks
every part of it against the modifications each law allows. It says which jurisdictions' definition the
molecule meets and why. The rule table in `precwatch.core.classes.classify` wraps it as the `fentanyl-related`
rule. The input must already be standardised: one neutral component, no counter-ions.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem

RULE_ID = "fentanyl-related"

CORE_SMARTS = (
    "[NX3;R1]1-[CX4;R1]-[CX4;R1]-[CX4;R1](-[NX3;!R](-[$([CX3H1]=O),$([CX3](=O)[#6]),$([CX3](=O)[OX2][#6])]=[OX1])"
    "-[a])-[CX4;R1]-[CX4;R1]-1"
)
"""Piperidine (one N, five sp3 C, no atom shared with another ring); C4 carries N(acyl)(aromatic atom), the acyl
being formyl, C(=O)C or an alkoxycarbonyl C(=O)O-C (a carbamate: the US reading, see `LOGIC`)."""

_CORE = Chem.MolFromSmarts(CORE_SMARTS)
_PN, _C2, _C3, _C4, _AN, _ACYL, _ACYL_O, _AR, _C5, _C6 = range(10)
_RING_KEYS = ((2, _C2), (3, _C3), (4, _C4), (5, _C5), (6, _C6))
_PROPIONYL = Chem.MolFromSmarts("[CX3](=O)-[CH2]-[CH3]")

RING_KINDS = frozenset(
    {"alkyl", "alkenyl", "alkoxyl", "ester", "ether", "hydroxyl", "halo", "haloalkyl", "amino", "nitro"}
)
"""Substituent kinds allowed on the piperidine ring (US (C); China (3): the same list)."""

CHAIN_KINDS = RING_KINDS - {"ester", "ether"}
"""Substituent kinds allowed on the ethyl of the phenethyl group (US (B))."""

US_TEXT = (
    "Any substance that is structurally related to fentanyl by 1 or more of the following modifications: "
    "(A) By replacement of the phenyl portion of the phenethyl group by any monocycle, whether or not "
    "further substituted in or on the monocycle. (B) By substitution in or on the phenethyl group with "
    "alkyl, alkenyl, alkoxyl, hydroxyl, halo, haloalkyl, amino, or nitro groups. (C) By substitution in or "
    "on the piperidine ring with alkyl, alkenyl, alkoxyl, ester, ether, hydroxyl, halo, haloalkyl, amino, "
    "or nitro groups. (D) By replacement of the aniline ring with any aromatic monocycle whether or not "
    "further substituted in or on the aromatic monocycle. (E) By replacement of the N-propionyl group with "
    "another acyl group."
)
CN_TEXT = (
    "Fentanyl-related substances (芬太尼类物质): compared with fentanyl, any substance meeting one or more of: "
    "(1) another acyl group replaces the propionyl; (2) any substituted or unsubstituted aromatic monocycle "
    "replaces the N-phenyl; (3) the piperidine ring carries alkyl, alkenyl, alkoxy, ester, ether, hydroxy, "
    "halogen, haloalkyl, amino or nitro substituents; (4) any group other than hydrogen replaces the "
    "phenethyl."
)

LOGIC = (
    "Finds the fentanyl skeleton: a piperidine ring (exactly one N, five sp3 carbons, no ring atom shared "
    "with another ring, so fused, bridged and spiro piperidines are out) whose C4 bears an acyclic amide N "
    "that carries (a) an atom of an aromatic MONOCYCLE (any size, heteroatoms allowed, any substituents, "
    "but no ring atom shared with another ring, so naphthyl, quinolinyl, indolyl are out: US (D), China "
    "(2)) and (b) an acyl group C(=O)-R with R carbon or H (any R: US (E), China (1)). An alkoxycarbonyl "
    "C(=O)O-R (a carbamate) counts as 'another acyl group' for the US: DEA placed fentanyl carbamate "
    "(ethyl (1-phenethylpiperidin-4-yl)(phenyl)carbamate) in Schedule I as a fentanyl-related substance, "
    "effective 4 May 2024, with ortho-fluoroacryl-, ortho-fluoroisobutyryl- and para-fluorofuranylfentanyl. "
    "China's text gives no such reading, so a carbamate meets the US definition only (route to review for "
    "China). Ureas and thioamides are not acyl groups here. Every substituent on a piperidine carbon must be "
    "acyclic and built only from the listed kinds: alkyl, alkenyl, alkoxy, ester (either direction), ether, "
    "hydroxy, halo, haloalkyl, amino (N bearing only H and sp3 carbons), nitro; anything else (a ring, "
    "ketone, acid, amide, nitrile, alkyne, S, P...) fails, and an exocyclic C=X on the ring is not a "
    "piperidine. China's condition (3) ends '...氨基及硝基等取代基' ('and other such substituents'): an open "
    "list. Our reading: the named kinds are covered with certainty; a substituent of another kind is not "
    "matched by this rule and the reason says it may still fall under the open list, so the analyst reviews "
    "it (a rule that guessed which other groups are 'such' would report control the text does not state). "
    "Fentanyl itself (no modification at all) is the reference compound, not a fentanyl-related substance, "
    "and is not matched. A substance individually listed in a schedule takes that listing (US: the class "
    "covers what is 'not otherwise listed', so sufentanil, alfentanil, remifentanil, thiafentanil and "
    "carfentanil stay Schedule II; China: already-listed fentanyls keep their original listing): the "
    "identification engine reports the knowledge base's listing for those, and `classes` names the "
    "structural rule only. China "
    "then needs any piperidine N-substituent other than H (condition 4 read literally: benzyl, alkyl, even "
    "acyl groups qualify; norfentanyl-type N-H does not). The US needs N-CH2-CH2-M: two acyclic sp3 carbons "
    "ending at a monocycle M (aromatic or not, any substituents on M: (A)); each chain carbon may carry "
    "only alkyl, alkenyl, alkoxy, hydroxy, halo, haloalkyl, amino or nitro groups ((B); no ester or ether). "
    "So benzylfentanyl and remifentanil meet China only. Not matched: norfentanyl (N-H), 4-ANPP and other "
    "anilines without acyl, 1-aryl-piperidin-4-amines, pethidine, loperamide, nitazenes, U-47700. Fentanyl "
    "analogues individually listed also match structurally; the identification engine keeps those 'listed'."
)

POSITIVES: tuple[tuple[str, str], ...] = (
    ("acetylfentanyl", "CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("butyrfentanyl", "CCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("furanylfentanyl", "O=C(c1ccco1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("acrylfentanyl", "C=CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("cyclopropylfentanyl", "O=C(C1CC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("valerylfentanyl", "CCCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("methoxyacetylfentanyl", "COCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("ocfentanil", "COCC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1"),
    ("para-fluorofentanyl", "CCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1"),
    ("ortho-fluorofentanyl", "CCC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1"),
    ("para-fluoroisobutyrfentanyl", "CC(C)C(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1"),
    ("3-methylfentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C"),
    ("carfentanil", "CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCc2ccccc2)CC1"),
    ("sufentanil", "CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2cccs2)CC1"),
    ("alfentanil", "CCC(=O)N(c1ccccc1)C1(COC)CCN(CCn2nnn(CC)c2=O)CC1"),
    ("alpha-methylfentanyl", "CCC(=O)N(c1ccccc1)C1CCN(C(C)Cc2ccccc2)CC1"),
    ("beta-hydroxyfentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CC(O)c2ccccc2)CC1"),
    ("thiofentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1"),
    ("benzylfentanyl (China only)", "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1"),
    ("remifentanil (China only)", "COC(=O)CCN1CCC(C(=O)OC)(N(C(=O)CC)c2ccccc2)CC1"),
    ("novel: N-(pyridin-2-yl) propanamide analogue", "CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1"),
    ("novel: 4-chlorophenethyl analogue", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(Cl)cc2)CC1"),
    ("novel: 2-cyclohexylethyl analogue", "CCC(=O)N(c1ccccc1)C1CCN(CCC2CCCCC2)CC1"),
    ("novel: 2-naphthylethyl analogue (China only)", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc3ccccc3c2)CC1"),
    ("fentanyl carbamate (US only)", "CCOC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("methyl carbamate analogue (US only)", "COC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
)

NEGATIVES: tuple[tuple[str, str], ...] = (
    ("fentanyl itself (no modification)", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("norfentanyl (N-H)", "CCC(=O)N(c1ccccc1)C1CCNCC1"),
    ("4-ANPP (no acyl)", "c1ccc(CCN2CCC(Nc3ccccc3)CC2)cc1"),
    ("1-(4-fluorophenyl)piperidin-4-amine", "NC1CCN(c2ccc(F)cc2)CC1"),
    ("4-AP", "c1ccc(NC2CCNCC2)cc1"),
    ("NPP", "O=C1CCN(CCc2ccccc2)CC1"),
    ("pethidine", "CCOC(=O)C1(c2ccccc2)CCN(C)CC1"),
    ("loperamide", "CN(C)C(=O)C(CCN1CCC(O)(c2ccc(Cl)cc2)CC1)(c1ccccc1)c1ccccc1"),
    ("N-(naphthalen-2-yl) analogue (fused aryl)", "CCC(=O)N(c1ccc2ccccc2c1)C1CCN(CCc2ccccc2)CC1"),
    ("3-oxofentanyl (ring ketone)", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1=O"),
    ("3-phenylfentanyl (ring phenyl)", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1c1ccccc1"),
    ("norfentanyl carbamate (N-H)", "CCOC(=O)N(c1ccccc1)C1CCNCC1"),
    ("isotonitazene", "CCN(CC)CCn1c(Cc2ccc(OC(C)C)cc2)nc2cc([N+](=O)[O-])ccc21"),
    ("U-47700", "CN(C)[C@@H]1CCCC[C@H]1N(C)C(=O)c1ccc(Cl)c(Cl)c1"),
)


@dataclass(frozen=True, slots=True)
class FrsMatch:
    """The outcome of a successful match: which definitions apply, why, and the atoms involved."""

    us: bool
    cn: bool
    evidence: str
    atoms: tuple[int, ...]


def match_fentanyl_related(mol: Chem.Mol) -> FrsMatch | str:
    """Test `mol` against both fentanyl-related-substance definitions.

    Args:
        mol: A standardised molecule (single neutral component).

    Returns:
        A `FrsMatch` when China's or the US definition applies (the best core if there are several),
        otherwise a one-line reason why not.
    """
    best: FrsMatch | None = None
    reason = "no N-aryl-N-(piperidin-4-yl) amide core (fentanyl skeleton)"
    for core in mol.GetSubstructMatches(_CORE, maxMatches=16):
        found = _judge(mol, core)
        if isinstance(found, str):
            reason = found
        elif best is None or (found.us and not best.us):
            best = found
    return best if best is not None else reason


def _judge(mol: Chem.Mol, core: tuple[int, ...]) -> FrsMatch | str:
    """Check one core match part by part; see `LOGIC`."""
    ri = mol.GetRingInfo()
    ring = {core[k] for k in (_PN, _C2, _C3, _C4, _C5, _C6)}
    aryl = _monocycle(ri, core[_AR])
    if aryl is None or not all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in aryl):
        return "N-aryl ring is not an aromatic monocycle (fused or bridged ring system)"
    ring_subs: list[str] = []
    for pos, key in _RING_KEYS:
        for nb in mol.GetAtomWithIdx(core[key]).GetNeighbors():
            j = nb.GetIdx()
            if j in ring or j == core[_AN] or nb.GetAtomicNum() == 1:
                continue
            kinds = group_kinds(mol, j, core[key])
            text = _fragment_smiles(mol, j, core[key])
            if kinds is None or not kinds <= RING_KINDS:
                return (
                    f"piperidine C{min(pos, 8 - pos)} substituent {text} is not one of the listed kinds (US (C) "
                    "closed list; China (3) ends '等' (and such): review whether China would count it)"
                )
            ring_subs.append(f"C{min(pos, 8 - pos)} {'/'.join(sorted(kinds))} ({text})")
    n_subs = [nb.GetIdx() for nb in mol.GetAtomWithIdx(core[_PN]).GetNeighbors()]
    n_subs = [i for i in n_subs if i not in ring and mol.GetAtomWithIdx(i).GetAtomicNum() != 1]
    if not n_subs:
        return "piperidine N carries H (nor-compound): neither US (A)/(B) nor China (4) applies"
    chain = _phenethyl_like(mol, ri, core[_PN], n_subs[0])
    acyl_is_propionyl = any(core[_ACYL] == m[0] for m in mol.GetSubstructMatches(_PROPIONYL))
    carbamate = any(
        nb.GetAtomicNum() == 8 and nb.GetIdx() != core[_ACYL_O]
        for nb in mol.GetAtomWithIdx(core[_ACYL]).GetNeighbors()
    )
    aryl_is_phenyl = _plain_phenyl(mol, aryl, core[_AN])
    us_mods = [m for m, on in (("D", not aryl_is_phenyl), ("E", not acyl_is_propionyl)) if on]
    if ring_subs:
        us_mods.append("C")
    if chain is not None:
        us_mods.extend(chain[1])
    cn_mods = [m for m, on in (("1", not acyl_is_propionyl), ("2", not aryl_is_phenyl)) if on]
    if ring_subs:
        cn_mods.append("3")
    if chain is None or chain[1]:
        cn_mods.append("4")
    if not us_mods and not cn_mods:
        return "fentanyl itself: the reference compound of both definitions, not a fentanyl-related substance"
    us = chain is not None
    cn = not carbamate
    if not (us or cn):
        return "a carbamate whose N-substituent is not 2-(monocycle)ethyl: US (A)/(B) fail; China (1) not read on carbamates"
    n_text = _fragment_smiles(mol, n_subs[0], core[_PN])
    parts = [
        "fentanyl skeleton N-aryl-N-(piperidin-4-yl) amide",
        f"acyl {_fragment_smiles(mol, core[_ACYL], core[_AN])}",
        f"N-aryl {_fragment_smiles(mol, core[_AR], core[_AN])}",
        f"piperidine substituents {', '.join(ring_subs) if ring_subs else 'none'}",
        f"piperidine N-substituent {n_text}"
        + ("" if chain is not None else " (not 2-(monocycle)ethyl, so US (A)/(B) do not reach it)"),
    ]
    if chain is not None:
        parts.append("US modifications " + (",".join(sorted(us_mods)) or "none"))
    if carbamate:
        parts.append(
            "acyl is an alkoxycarbonyl (carbamate): 'another acyl group' for the US (DEA, fentanyl "
            "carbamate, Schedule I from 4 May 2024); China's text does not say so: review for China"
        )
    if cn:
        parts.append("China conditions " + ",".join(cn_mods))
    atoms = tuple(sorted(ring | {core[_AN], core[_ACYL], core[_ACYL_O]} | set(aryl)))
    return FrsMatch(us=us, cn=cn, evidence="; ".join(parts), atoms=atoms)


def _phenethyl_like(mol: Chem.Mol, ri: Chem.RingInfo, pn: int, a_idx: int) -> tuple[int, list[str]] | None:
    """US (A)+(B): is the N-substituent rooted at `a_idx` a 2-(monocycle)ethyl group?

    Returns:
        (monocycle attachment atom, US modification letters used) or None.
    """
    a = mol.GetAtomWithIdx(a_idx)
    if not _chain_carbon(a):
        return None
    for b in a.GetNeighbors():
        if b.GetIdx() == pn or not _chain_carbon(b):
            continue
        for m in b.GetNeighbors():
            if m.GetIdx() == a_idx or not m.IsInRing():
                continue
            cycle = _monocycle(ri, m.GetIdx())
            if cycle is None:
                continue
            extras = [(x.GetIdx(), a_idx) for x in a.GetNeighbors() if x.GetIdx() not in (pn, b.GetIdx())]
            extras += [
                (x.GetIdx(), b.GetIdx()) for x in b.GetNeighbors() if x.GetIdx() not in (a_idx, m.GetIdx())
            ]
            extras = [(x, p) for x, p in extras if mol.GetAtomWithIdx(x).GetAtomicNum() != 1]
            kinds = [group_kinds(mol, x, p) for x, p in extras]
            if all(k is not None and k <= CHAIN_KINDS for k in kinds):
                mods = [] if _plain_phenyl(mol, cycle, b.GetIdx()) else ["A"]
                return m.GetIdx(), [*mods, "B"] if extras else mods
    return None


def _chain_carbon(atom: Chem.Atom) -> bool:
    return (
        atom.GetAtomicNum() == 6
        and not atom.IsInRing()
        and all(bond.GetBondType() == Chem.BondType.SINGLE for bond in atom.GetBonds())
    )


def _monocycle(ri: Chem.RingInfo, idx: int) -> tuple[int, ...] | None:
    """The ring holding atom `idx` when it is a monocycle (no atom shared with another ring), else None."""
    if ri.NumAtomRings(idx) != 1:
        return None
    cycle: tuple[int, ...] = next(r for r in ri.AtomRings() if idx in r)
    return cycle if all(ri.NumAtomRings(i) == 1 for i in cycle) else None


def _plain_phenyl(mol: Chem.Mol, cycle: tuple[int, ...], attached_to: int) -> bool:
    """True for an unsubstituted benzene ring whose only outside bond is to `attached_to`."""
    if len(cycle) != 6:
        return False
    inside = set(cycle) | {attached_to}
    for i in cycle:
        atom = mol.GetAtomWithIdx(i)
        if atom.GetAtomicNum() != 6 or not atom.GetIsAromatic():
            return False
        if any(nb.GetIdx() not in inside and nb.GetAtomicNum() != 1 for nb in atom.GetNeighbors()):
            return False
    return True


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


def _fragment_smiles(mol: Chem.Mol, root: int, parent: int) -> str:
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
