"""Acids and esters in class rules: which ester a molecule is, and a matcher for "X and its esters" laws.

Laws differ on esters: the UN's 2024 Table I groups are closed lists of eight C1-C4 alkyl esters, while
the US and Chinese texts ("and its esters") are open. `ester_matcher` classifies the ester found and keeps
only the coverage entries whose ester kinds include it."""

from __future__ import annotations

from rdkit import Chem

from precwatch.core.classes import fentanyl_rule
from precwatch.core.classes.model import Coverage, Found, Matcher, query

ACID_OR_ESTER = "-[CX3](=O)-[$([OX2H1]),$([OX1-]),$([OX2]-[#6;!$([CX3]=O)])]"
PHENYL = "c1[cH][cH][cH][cH][cH]1"

# Ester alcohol names by canonical SMILES of the alkoxy fragment; "acid" and "other" complete the kinds.
_ALCOHOLS = (
    "methyl CO|ethyl CCO|propyl CCCO|isopropyl CC(C)O|butyl CCCCO|isobutyl CC(C)CO|sec-butyl CCC(C)O|"
    "tert-butyl CC(C)(C)O"
)
_ALKOXY = {Chem.MolToSmiles(Chem.MolFromSmiles(s)): n for n, s in (a.split() for a in _ALCOHOLS.split("|"))}
UN_FORMS = frozenset({"acid", *_ALKOXY.values()})
ACID_ME = frozenset({"acid", "methyl"})
ESTERS = frozenset({*_ALKOXY.values(), "other"})
ANY = frozenset({"acid", *ESTERS})


def ester_kind(mol: Chem.Mol, carbonyl: int, oxygen: int) -> str:
    """'acid', one of the eight C1-C4 alkyl names, or 'other' for any other ester."""
    rest = [n.GetIdx() for n in mol.GetAtomWithIdx(oxygen).GetNeighbors() if n.GetAtomicNum() != 1]
    rest = [i for i in rest if i != carbonyl]
    if not rest:
        return "acid"
    atoms = [
        a
        for a in fentanyl_rule.substituent_atoms(mol, rest[0], oxygen)
        if mol.GetAtomWithIdx(a).GetAtomicNum() != 1
    ]
    if len(atoms) > 4 or carbonyl in atoms:
        return "other"
    frag = Chem.MolFromSmiles(Chem.MolFragmentToSmiles(mol, [oxygen, *atoms], isomericSmiles=False))
    return "other" if frag is None else _ALKOXY.get(Chem.MolToSmiles(frag), "other")


def ester_matcher(
    smarts: tuple[str, ...],
    carbonyl_o: tuple[int, int],
    cov: tuple[tuple[Coverage, frozenset[str]], ...],
    name: str,
) -> Matcher:
    queries = tuple(query(s) for s in smarts)

    def run(mol: Chem.Mol) -> Found | str:
        for pattern in queries:
            for m in mol.GetSubstructMatches(pattern, maxMatches=4):
                kind = ester_kind(mol, m[carbonyl_o[0]], m[carbonyl_o[1]])
                label = {"acid": "free acid", "other": "ester of an alcohol other than C1-C4 alkyl"}
                applies = tuple(c for c, kinds in cov if kind in kinds)
                if applies:
                    return Found(applies, f"{name} skeleton; {label.get(kind, kind + ' ester')}", tuple(m))
        return f"no {name} skeleton as free acid or ester (amides, nitriles, extra ring substituents are out)"

    return run
