"""4-anilinopiperidine (4-AP): the US List I class of its amides, carbamates, halides and salts.

DEA listed 4-AP with "its amides, its carbamates, its salts" (85 FR 20822, 2020) and added "its halides"
(88 FR 74358, 2023); Canada lists 4-AP with its derivatives and analogues (hits prompt review only).
The ring-N/anilino-N definition of "N-H or acyl" here is shared with the 4-piperidone rule."""

from __future__ import annotations

from rdkit import Chem

from precwatch.core.classes.law import CFR, PCR, REVIEW, SALTS_DA
from precwatch.core.classes.model import ClassRule, Coverage, Found, Matcher, query

HALOGENS = (9, 17, 35, 53)
# N-H, or N-acyl: formyl, amide C(=O)C, carbamate C(=O)O-C (or carbamic acid). Ureas are not included.
N_H_OR_ACYL = "$([NH1]),$(N-[CX3H1]=O),$(N-[CX3](=O)[#6]),$(N-[CX3](=O)[OX2H1]),$(N-[CX3](=O)[OX2][#6])"
PIP_N = f"[NX3;R1;{N_H_OR_ACYL}]"
_AP_CORE = f"{PIP_N}1-[CH2;R1]-[CH2;R1]-[CH1;R1](-[CH2;R1]-[CH2;R1]-1)-[NX3;!R;{N_H_OR_ACYL}]"
_AP_SMARTS = _AP_CORE + "-c1[cH][cH][cH][cH][cH]1"
_AP_HAL_SMARTS = _AP_CORE + "-c1" + "[c;$([cH]),$(c-[F,Cl,Br,I])]" * 5 + "1"
# fmt: off
_US_4AP = Coverage("US", "List I",
                   "4-anilinopiperidine, its amides, its carbamates, its salts, and any combination thereof",
                   CFR + "DEA 85 FR 20822 (15 Apr 2020)", "2020-05-15")
_US_4AP_HAL = Coverage("US", "List I",
                       "halides of 4-anilinopiperidine (the entry now reads: 4-anilinopiperidine, its "
                       "amides, its carbamates, its halides, its salts, and any combination thereof)",
                       CFR + "DEA 88 FR 74358 (2023)", "2023-11-30")
_CA_4AP = Coverage("CA", REVIEW, f"N-phenyl-4-piperidinamine (4-AP), {SALTS_DA}",
                   PCR + "31 (SOR/2023-102)", "2023-08-30")
# fmt: on


def n_text(mol: Chem.Mol, idx: int) -> str:
    """How a matched N is substituted: N-H, amide or carbamate."""
    atom = mol.GetAtomWithIdx(idx)
    if atom.GetTotalNumHs() == 1:
        return "N-H"
    for c in atom.GetNeighbors():
        if any(b.GetBondType() == Chem.BondType.DOUBLE for b in c.GetBonds()):
            carbamate = any(o.GetAtomicNum() == 8 and o.GetDegree() == 2 for o in c.GetNeighbors())
            return "a carbamate N-C(=O)O-" if carbamate else "an amide N-C(=O)C"
    return "acylated"


def _ap_matcher(halide: bool) -> Matcher:
    pattern = query(_AP_HAL_SMARTS if halide else _AP_SMARTS)
    cov = (_US_4AP_HAL if halide else _US_4AP, _CA_4AP)

    def run(mol: Chem.Mol) -> Found | str:
        for m in mol.GetSubstructMatches(pattern, maxMatches=8):
            hal = [
                n for i in m[8:] for n in mol.GetAtomWithIdx(i).GetNeighbors() if n.GetAtomicNum() in HALOGENS
            ]
            if halide and not hal:
                continue
            symbols = ", ".join(sorted({h.GetSymbol() for h in hal}))
            ev = (
                f"4-anilinopiperidine core (piperidine CH2 x4 unsubstituted); piperidine N is "
                f"{n_text(mol, m[0])}; anilino N is {n_text(mol, m[6])}; "
                + (f"aryl ring carries {symbols}" if hal else "aryl ring unsubstituted")
            )
            return Found(cov, ev, tuple(sorted({*m, *(h.GetIdx() for h in hal)})))
        if halide:
            return "no 4-anilinopiperidine core (N-H/N-acyl) whose aryl ring carries only H and >=1 halogen"
        return "no 4-anilinopiperidine core with N-H/N-acyl on both N and an unsubstituted phenyl"

    return run


RULES: tuple[ClassRule, ...] = (
    ClassRule(
        id="4-ap-derivative",
        title="4-anilinopiperidine (4-AP), its amides, its carbamates, its salts",
        coverage=(_US_4AP, _CA_4AP),
        logic="Matches a piperidine with four unsubstituted CH2 whose C4-H bears an acyclic N-phenyl amine "
        "(phenyl unsubstituted), where the ring N and the anilino N are each N-H or acylated as an amide "
        "(N-CHO, N-C(=O)C) or a carbamate (N-C(=O)O-C). Salts: the standardised parent is tested. Not "
        "matched: N-alkyl or N-benzyl compounds (4-ANPP, benzylfentanyl, fentanyl, N-benzyl-4-AP: neither "
        "amides nor carbamates), ureas, N-methylanilino, ring-substituted piperidines, any aryl substituent "
        "(aryl halogens belong to 4-ap-halide) and the 1-aryl-piperidin-4-amine isomers. Canada's "
        "'derivatives and analogues' reach further than this shape: a hit only prompts Canadian review.",
        smarts=_AP_SMARTS,
        positives=(
            ("4-AP", "c1ccc(NC2CCNCC2)cc1"),
            ("1-boc-4-AP", "CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1"),
            ("norfentanyl", "CCC(=O)N(c1ccccc1)C1CCNCC1"),
            ("1-acetyl-4-AP", "CC(=O)N1CCC(Nc2ccccc2)CC1"),
            ("1-boc-norfentanyl (carbamate + amide)", "CCC(=O)N(c1ccccc1)C1CCN(C(=O)OC(C)(C)C)CC1"),
        ),
        negatives=(
            ("4-ANPP (N-phenethyl)", "c1ccc(CCN2CCC(Nc3ccccc3)CC2)cc1"),
            ("benzylfentanyl (N-benzyl)", "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1"),
            ("fentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
            ("N-benzyl-4-AP", "c1ccc(CN2CCC(Nc3ccccc3)CC2)cc1"),
            ("1-(4-fluorophenyl)piperidin-4-amine (N-aryl isomer)", "NC1CCN(c2ccc(F)cc2)CC1"),
            ("4-F-4-AP (a halide: the other rule)", "Fc1ccc(NC2CCNCC2)cc1"),
            ("4-(N-methylanilino)piperidine", "CN(c1ccccc1)C1CCNCC1"),
            ("4-(p-toluidino)piperidine", "Cc1ccc(NC2CCNCC2)cc1"),
        ),
        gate="piperidine",
        _matcher=_ap_matcher(halide=False),
    ),
    ClassRule(
        id="4-ap-halide",
        title="halides of 4-anilinopiperidine (with its amides, carbamates and salts)",
        coverage=(_US_4AP_HAL, _CA_4AP),
        logic="Same core as 4-ap-derivative (ring N and anilino N each N-H, amide or carbamate; piperidine "
        "CH2 x4 unsubstituted), but the phenyl carries at least one F, Cl, Br or I and nothing else. Only "
        "ARYL halogens are covered: whether DEA's 'halides' also means halogen on the piperidine ring was "
        "not verified, so a ring-halogenated 4-AP is not flagged. A molecule matching here never matches "
        "4-ap-derivative. Not matched: N-alkyl/N-benzyl/N-phenethyl compounds (para-fluorofentanyl, "
        "4-fluoro-ANPP) and the 1-(halophenyl)piperidin-4-amine isomers.",
        smarts=_AP_HAL_SMARTS,
        positives=(
            ("4-F-4-AP", "Fc1ccc(NC2CCNCC2)cc1"),
            ("1-boc-4-F-4-AP", "CC(C)(C)OC(=O)N1CCC(Nc2ccc(F)cc2)CC1"),
            ("1-boc-4-Br-4-AP", "CC(C)(C)OC(=O)N1CCC(Nc2ccc(Br)cc2)CC1"),
            ("2-Cl-4-AP", "Clc1ccccc1NC1CCNCC1"),
            ("para-fluoronorfentanyl", "CCC(=O)N(c1ccc(F)cc1)C1CCNCC1"),
        ),
        negatives=(
            ("4-AP (no halogen)", "c1ccc(NC2CCNCC2)cc1"),
            ("1-(4-fluorophenyl)piperidin-4-amine (N-aryl isomer)", "NC1CCN(c2ccc(F)cc2)CC1"),
            ("para-fluorofentanyl", "CCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1"),
            ("4-fluoro-ANPP", "Fc1ccc(NC2CCN(CCc3ccccc3)CC2)cc1"),
            ("3-fluoro-4-AP (piperidine-ring halogen: not verified)", "FC1CNCCC1Nc1ccccc1"),
        ),
        gate="piperidine",
        _matcher=_ap_matcher(halide=True),
    ),
)
"""The two 4-AP rules: plain phenyl (`4-ap-derivative`) and aryl halides (`4-ap-halide`)."""
