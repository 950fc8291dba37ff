"""4-piperidone: the US List I class of 4-piperidone, its acetals, amides, carbamates and salts.

DEA 88 FR 21902 (2023); Canada's 2024 listing of 4-piperidone with derivatives and analogues prompts review."""

from __future__ import annotations

from rdkit import Chem

from precwatch.core.classes.anilinopiperidines import PIP_N, n_text
from precwatch.core.classes.law import CFR, REVIEW, SALTS_DA
from precwatch.core.classes.model import ClassRule, Coverage, Found, query

_NOT_ACYL_C = "[#6;!$([CX3]=O)]"
_PIPERIDONE_SMARTS = (
    f"{PIP_N}1-[CH2;R1]-[CH2;R1]-[$([CX3;R1]=[OX1]),$([CX4](-[OX2]-{_NOT_ACYL_C})-[OX2]-{_NOT_ACYL_C})]"
    "-[CH2;R1]-[CH2;R1]-1"
)
# fmt: off
_PIPERIDONE_COV = (
    Coverage("US", "List I", "4-piperidone, its acetals, its amides, its carbamates, its salts, and salts of "
             "its acetals, amides and carbamates, and any combination thereof",
             CFR + "DEA 88 FR 21902 (12 Apr 2023)", "2023-05-12"),
    Coverage("CA", REVIEW, f"4-piperidone, {SALTS_DA}",
             "SOR/2024-98 and SOR/2024-100 (Canada Gazette II, 5 Jun 2024)", "2024"),
)
# fmt: on


_PIPERIDONE = query(_PIPERIDONE_SMARTS)


def _piperidone(mol: Chem.Mol) -> Found | str:
    for m in mol.GetSubstructMatches(_PIPERIDONE, maxMatches=4):
        ketone = mol.GetAtomWithIdx(m[3]).GetHybridization() == Chem.HybridizationType.SP2
        ev = (
            f"4-piperidone ring (CH2 x4 unsubstituted); C4 is {'a ketone' if ketone else 'an acetal/ketal'}; "
            f"ring N is {n_text(mol, m[0])}"
        )
        return Found(_PIPERIDONE_COV, ev, tuple(m))
    return "no 4-piperidone or 4,4-dialkoxypiperidine ring with N-H/N-acyl and unsubstituted CH2 x4"


RULES: tuple[ClassRule, ...] = (
    ClassRule(
        id="4-piperidone-derivative",
        title="4-piperidone, its acetals, its amides, its carbamates, its salts",
        coverage=_PIPERIDONE_COV,
        logic="Matches a piperidine with four unsubstituted CH2 whose C4 is a ketone or an acetal/ketal "
        "(two O-C groups on C4: dialkoxy or a cyclic ketal such as the ethylene ketal; not hemiketals or "
        "acylals) and whose ring N is N-H or acylated as an amide or carbamate. Ketone hydrates are "
        "normalised upstream. Not matched: N-alkyl/N-benzyl piperidones (NPP, listed on its own; "
        "1-benzyl-4-piperidone), 3-alkyl-4-piperidones, 4-piperidinol, 2- and 3-piperidones. Canada's 2024 "
        "'derivatives and analogues' (its consultation named 1-benzyl- and 3-methyl-4-piperidone) reach "
        "further than this rule.",
        smarts=_PIPERIDONE_SMARTS,
        positives=(
            ("4-piperidone", "O=C1CCNCC1"),
            ("1-boc-4-piperidone", "CC(C)(C)OC(=O)N1CCC(=O)CC1"),
            ("4-piperidone ethylene ketal", "C1CC2(CCN1)OCCO2"),
            ("4,4-dimethoxypiperidine", "COC1(OC)CCNCC1"),
            ("1-acetyl-4-piperidone", "CC(=O)N1CCC(=O)CC1"),
            ("1-boc-4-piperidone ethylene ketal", "CC(C)(C)OC(=O)N1CCC2(CC1)OCCO2"),
        ),
        negatives=(
            ("NPP", "O=C1CCN(CCc2ccccc2)CC1"),
            ("1-benzyl-4-piperidone", "O=C1CCN(Cc2ccccc2)CC1"),
            ("1-methyl-4-piperidone", "CN1CCC(=O)CC1"),
            ("3-methyl-4-piperidone", "CC1CNCCC1=O"),
            ("4-piperidinol", "OC1CCNCC1"),
            ("2-piperidone", "O=C1CCCCN1"),
            ("3-piperidone", "O=C1CCCNC1"),
        ),
        gate="piperidine",
        _matcher=_piperidone,
    ),
)
"""The 4-piperidone rule."""
