"""Structural class controls: laws that control a family of chemicals rather than a list of names.

`CLASS_RULES` is the table. Each `ClassRule` states the law per jurisdiction (`Coverage`), the plain-language
logic it implements, its SMARTS, and positives/negatives as data. `classify(mol)` returns a `ClassHit` for
every rule a standardised molecule meets (one neutral component; counter-ions, water and gem-diols already
handled upstream). A hit names only the jurisdictions whose wording reaches that molecule: the UN lists are
closed, the US and Chinese ester classes open. Pure: stdlib and RDKit only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdkit import Chem

from precwatch.core import fentanyl_class


@dataclass(frozen=True, slots=True)
class Coverage:
    """What one jurisdiction's law says about members of a class."""

    jurisdiction: str
    status: str
    legal_text: str
    source: str
    effective: str | None


@dataclass(frozen=True, slots=True)
class _Found:
    coverage: tuple[Coverage, ...]
    evidence: str
    atoms: tuple[int, ...]


Matcher = Callable[[Chem.Mol], "_Found | str"]
"""A rule's per-molecule test: the applicable coverage with evidence, or a one-line reason for no match."""


@dataclass(frozen=True, slots=True)
class ClassRule:
    """One class control: the law per jurisdiction, what it matches, and examples either way.

    `gate` names the shared pre-test in `_GATES` the rule needs; `_matcher` is the per-molecule test.
    """

    id: str
    title: str
    coverage: tuple[Coverage, ...]
    logic: str
    smarts: str | None
    positives: tuple[tuple[str, str], ...]
    negatives: tuple[tuple[str, str], ...]
    gate: str = field(default="", repr=False)
    _matcher: Matcher | None = field(default=None, repr=False, compare=False)

    def match(self, mol: Chem.Mol) -> ClassHit | str:
        """This rule's verdict on `mol` (gate not applied): a hit, or a one-line reason why not."""
        found = self._matcher(mol) if self._matcher is not None else "rule has no matcher"
        if isinstance(found, str):
            return found
        jurisdictions = tuple(dict.fromkeys(c.jurisdiction for c in found.coverage))
        return ClassHit(self, jurisdictions, found.evidence, found.atoms, found.coverage)


@dataclass(frozen=True, slots=True)
class ClassHit:
    """A molecule meeting a class rule, with the jurisdictions whose wording reaches it.

    `coverage` holds the entries that apply to this molecule; where a jurisdiction has two (China's 2021
    individual listing and its 2024 ester family), the first, more specific one gives the status.
    """

    rule: ClassRule
    jurisdictions: tuple[str, ...]
    evidence: str
    atoms: tuple[int, ...]
    coverage: tuple[Coverage, ...] = ()

    def controls(self) -> dict[str, str]:
        """Jurisdiction -> status label, for the jurisdictions that apply to this molecule."""
        out: dict[str, str] = {}
        for c in self.coverage or self.rule.coverage:
            if c.jurisdiction in self.jurisdictions:
                out.setdefault(c.jurisdiction, c.status)
        return out


def _q(smarts: str) -> Chem.Mol:
    query = Chem.MolFromSmarts(smarts)
    if query is None:  # pragma: no cover - a typo in this module
        raise ValueError(f"bad SMARTS: {smarts}")
    return query


_HALOGENS = (9, 17, 35, 53)
_GATES: dict[str, tuple[Chem.Mol, str]] = {
    "piperidine": (_q("[NX3;R]1-[CX4]-[CX4]-[#6;X3,X4]-[CX4]-[CX4]-1"), "no piperidine or 4-piperidone ring"),
    "methyl-aryl": (_q("[CH3]-[#6](~[#8])~[#6]-c"), "no CH3-C(~O)~C-aryl fragment"),
}
"""Cheap shared pre-tests (one substructure search each per molecule); a rule runs only if its gate passes."""

# N-H, or N-acyl: formyl, amide C(=O)C, carbamate C(=O)O-C (or carbamic acid). Ureas are not included.
_N_H_OR_ACYL = "$([NH1]),$(N-[CX3H1]=O),$(N-[CX3](=O)[#6]),$(N-[CX3](=O)[OX2H1]),$(N-[CX3](=O)[OX2][#6])"
_PIP_N = f"[NX3;R1;{_N_H_OR_ACYL}]"
_AP_CORE = f"{_PIP_N}1-[CH2;R1]-[CH2;R1]-[CH1;R1](-[CH2;R1]-[CH2;R1]-1)-[NX3;!R;{_N_H_OR_ACYL}]"
_AP_SMARTS = _AP_CORE + "-c1[cH][cH][cH][cH][cH]1"
_AP_HAL_SMARTS = _AP_CORE + "-c1" + "[c;$([cH]),$(c-[F,Cl,Br,I])]" * 5 + "1"
_NOT_ACYL_C = "[#6;!$([CX3]=O)]"
_PIPERIDONE_SMARTS = (
    f"{_PIP_N}1-[CH2;R1]-[CH2;R1]-[$([CX3;R1]=[OX1]),$([CX4](-[OX2]-{_NOT_ACYL_C})-[OX2]-{_NOT_ACYL_C})]"
    "-[CH2;R1]-[CH2;R1]-1"
)
_ACID_OR_ESTER = "-[CX3](=O)-[$([OX2H1]),$([OX1-]),$([OX2]-[#6;!$([CX3]=O)])]"
_PHENYL = "c1[cH][cH][cH][cH][cH]1"
_P2P_GLY_SMARTS = f"[CH3]-[CX4;R1]1({_ACID_OR_ESTER})-[OX2;R1]-[CH1;R1]1-{_PHENYL}"
_MDP2P_GLY_SMARTS = f"[CH3]-[CX4;R1]1({_ACID_OR_ESTER})-[OX2;R1]-[CH1;R1]1-c1[cH][cH]c2O[CH2]Oc2[cH]1"
_OXO_SMARTS = f"[CH3]-[CX3](=O)-[CH1]({_ACID_OR_ESTER})-{_PHENYL}"
_OXO_ENOL_SMARTS = f"[CH3]-[CX3](-[OX2H1])=[CX3]({_ACID_OR_ESTER})-{_PHENYL}"

# Ester alcohol names by canonical SMILES of the alkoxy fragment; "acid" and "other" complete the kinds.
_ALCOHOLS = (
    "methyl CO|ethyl CCO|propyl CCCO|isopropyl CC(C)O|butyl CCCCO|isobutyl CC(C)CO|sec-butyl CCC(C)O|"
    "tert-butyl CC(C)(C)O"
)
_ALKOXY = {Chem.MolToSmiles(Chem.MolFromSmiles(s)): n for n, s in (a.split() for a in _ALCOHOLS.split("|"))}
_UN_FORMS = frozenset({"acid", *_ALKOXY.values()})
_ACID_ME = frozenset({"acid", "methyl"})
_ESTERS = frozenset({*_ALKOXY.values(), "other"})
_ANY = frozenset({"acid", *_ESTERS})

# ---- the law, per jurisdiction ---------------------------------------------------------------------
_CFR = "21 CFR 1310.02(a); "
_CN24 = "MPS et al. announcement of 2 Aug 2024, effective 1 Sep 2024 (ChemRadar; Chemistry World)"
_CN_CAT = "controlled precursor (category not verified)"
_REVIEW = "review: derivative or analogue"
_UN24 = "1988 Convention Table I; CND decision of March 2024; INCB press release 3 Dec 2024"
_PCR = "Precursor Control Regulations, Schedule, item "
_SALTS_DA = "its salts, derivatives and analogues and salts of derivatives and analogues"
# fmt: off
_US_4AP = Coverage("US", "List I",
                   "4-anilinopiperidine, its amides, its carbamates, its salts, and any combination thereof",
                   _CFR + "DEA 85 FR 20822 (15 Apr 2020)", "2020-05-15")
_US_4AP_HAL = Coverage("US", "List I",
                       "halides of 4-anilinopiperidine (the entry now reads: 4-anilinopiperidine, its "
                       "amides, its carbamates, its halides, its salts, and any combination thereof)",
                       _CFR + "DEA 88 FR 74358 (2023)", "2023-11-30")
_CA_4AP = Coverage("CA", _REVIEW, f"N-phenyl-4-piperidinamine (4-AP), {_SALTS_DA}",
                   _PCR + "31 (SOR/2023-102)", "2023-08-30")
_PIPERIDONE_COV = (
    Coverage("US", "List I", "4-piperidone, its acetals, its amides, its carbamates, its salts, and salts of "
             "its acetals, amides and carbamates, and any combination thereof",
             _CFR + "DEA 88 FR 21902 (12 Apr 2023)", "2023-05-12"),
    Coverage("CA", _REVIEW, f"4-piperidone, {_SALTS_DA}",
             "SOR/2024-98 and SOR/2024-100 (Canada Gazette II, 5 Jun 2024)", "2024"),
)
_INFERENCE = "the acid and other esters as derivatives/analogues is an inference"
_P2P_GLY_COV: tuple[tuple[Coverage, frozenset[str]], ...] = (
    (Coverage("UN", "Table I", "P-2-P methyl glycidic acid and its methyl, ethyl, propyl, isopropyl, butyl, "
              "isobutyl, sec-butyl and tert-butyl esters (closed list: other esters are not in Table I)",
              _UN24, "2024-12-03"), _UN_FORMS),
    (Coverage("US", "List I", "P2P methyl glycidic acid and its esters, optical and geometric isomers, and "
              "salts", _CFR + "DEA final rule FR Doc 2026-06523 (2026)", "2026-05-04"), _ANY),
    (Coverage("CN", _CN_CAT, "BMK glycidic acid and its esters", _CN24, "2024-09-01"), _ANY),
    (Coverage("CA", _REVIEW, f"1-phenyl-2-propanone, {_SALTS_DA} (BMK methyl glycidate named; {_INFERENCE})",
              _PCR + "13 (SOR/2019-120)", "2019"), _ANY),
)
_MDP2P_GLY_COV: tuple[tuple[Coverage, frozenset[str]], ...] = (
    (Coverage("UN", "Table I", "3,4-MDP-2-P methyl glycidic acid ('PMK glycidic acid') and 3,4-MDP-2-P "
              "methyl glycidate ('PMK glycidate')", "1988 Convention Table I; CND decisions of March 2019",
              "2019"), _ACID_ME),
    (Coverage("UN", "Table I", "the ethyl, propyl, isopropyl, butyl, isobutyl, sec-butyl and tert-butyl "
              "esters of 3,4-MDP-2-P methyl glycidic acid (closed list: other esters are not in Table I)",
              _UN24, "2024-12-03"), _UN_FORMS - _ACID_ME),
    (Coverage("US", "List I", "3,4-MDP-2-P methyl glycidic acid and 3,4-MDP-2-P methyl glycidate (PMK "
              "glycidate), their salts and optical and geometric isomers: individual listings, no ester "
              "class", _CFR + "DEA 86 FR 24703 (10 May 2021)", "2021"), _ACID_ME),
    (Coverage("CN", "Category II", "PMK glycidic acid and PMK glycidate (methyl ester), listed individually",
              "State Council letter 国办函〔2021〕58号 (28 May 2021)", "2021"), _ACID_ME),
    (Coverage("CN", _CN_CAT, "PMK glycidic acid esters", _CN24, "2024-09-01"), _ESTERS),
    (Coverage("CA", _REVIEW, f"3,4-methylenedioxyphenyl-2-propanone, {_SALTS_DA} (MMDMG named; "
              f"{_INFERENCE})", _PCR + "10 (SOR/2019-120)", "2019"), _ANY),
)
_OXO_COV: tuple[tuple[Coverage, frozenset[str]], ...] = (
    (Coverage("CN", _CN_CAT, "3-oxo-2-phenylbutanoic acid and its esters", _CN24, "2024-09-01"), _ANY),
)
_FRS_COV = (
    Coverage("US", "Schedule I", fentanyl_class.US_TEXT,
             "HALT Fentanyl Act, P.L. 119-26 (2025), 21 U.S.C. 812(c) Schedule I(e)(2); same text as DEA "
             "temporary scheduling order 83 FR 5188 (6 Feb 2018); applies to substances not otherwise listed "
             "(Schedule II fentanyls, 21 CFR 1308.12(c), are excluded); carbamates as acyl groups: DEA final "
             "rule effective 4 May 2024 placing fentanyl carbamate in Schedule I as a fentanyl-related substance",
             "2025-07-16"),
    Coverage("CN", "fentanyl-related substance (class)", fentanyl_class.CN_TEXT,
             "UNODC EWS, April 2019: China announcement; MPS/NHC/NMPA 2019", "2019-05-01"),
)
# fmt: on


# ---- matchers ----------------------------------------------------------------------------------------
def _n_text(mol: Chem.Mol, idx: int) -> str:
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
    query = _q(_AP_HAL_SMARTS if halide else _AP_SMARTS)
    cov = (_US_4AP_HAL if halide else _US_4AP, _CA_4AP)

    def run(mol: Chem.Mol) -> _Found | str:
        for m in mol.GetSubstructMatches(query, maxMatches=8):
            hal = [
                n
                for i in m[8:]
                for n in mol.GetAtomWithIdx(i).GetNeighbors()
                if n.GetAtomicNum() in _HALOGENS
            ]
            if halide and not hal:
                continue
            symbols = ", ".join(sorted({h.GetSymbol() for h in hal}))
            ev = (
                f"4-anilinopiperidine core (piperidine CH2 x4 unsubstituted); piperidine N is "
                f"{_n_text(mol, m[0])}; anilino N is {_n_text(mol, m[6])}; "
                + (f"aryl ring carries {symbols}" if hal else "aryl ring unsubstituted")
            )
            return _Found(cov, ev, tuple(sorted({*m, *(h.GetIdx() for h in hal)})))
        if halide:
            return "no 4-anilinopiperidine core (N-H/N-acyl) whose aryl ring carries only H and >=1 halogen"
        return "no 4-anilinopiperidine core with N-H/N-acyl on both N and an unsubstituted phenyl"

    return run


_PIPERIDONE = _q(_PIPERIDONE_SMARTS)


def _piperidone(mol: Chem.Mol) -> _Found | str:
    for m in mol.GetSubstructMatches(_PIPERIDONE, maxMatches=4):
        ketone = mol.GetAtomWithIdx(m[3]).GetHybridization() == Chem.HybridizationType.SP2
        ev = (
            f"4-piperidone ring (CH2 x4 unsubstituted); C4 is {'a ketone' if ketone else 'an acetal/ketal'}; "
            f"ring N is {_n_text(mol, m[0])}"
        )
        return _Found(_PIPERIDONE_COV, ev, tuple(m))
    return "no 4-piperidone or 4,4-dialkoxypiperidine ring with N-H/N-acyl and unsubstituted CH2 x4"


def _ester_kind(mol: Chem.Mol, carbonyl: int, oxygen: int) -> str:
    """'acid', one of the eight C1-C4 alkyl names, or 'other' for any other ester."""
    rest = [n.GetIdx() for n in mol.GetAtomWithIdx(oxygen).GetNeighbors() if n.GetAtomicNum() != 1]
    rest = [i for i in rest if i != carbonyl]
    if not rest:
        return "acid"
    atoms = [
        a
        for a in fentanyl_class.substituent_atoms(mol, rest[0], oxygen)
        if mol.GetAtomWithIdx(a).GetAtomicNum() != 1
    ]
    if len(atoms) > 4 or carbonyl in atoms:
        return "other"
    frag = Chem.MolFromSmiles(Chem.MolFragmentToSmiles(mol, [oxygen, *atoms], isomericSmiles=False))
    return "other" if frag is None else _ALKOXY.get(Chem.MolToSmiles(frag), "other")


def _ester_matcher(
    smarts: tuple[str, ...],
    carbonyl_o: tuple[int, int],
    cov: tuple[tuple[Coverage, frozenset[str]], ...],
    name: str,
) -> Matcher:
    queries = tuple(_q(s) for s in smarts)

    def run(mol: Chem.Mol) -> _Found | str:
        for query in queries:
            for m in mol.GetSubstructMatches(query, maxMatches=4):
                kind = _ester_kind(mol, m[carbonyl_o[0]], m[carbonyl_o[1]])
                label = {"acid": "free acid", "other": "ester of an alcohol other than C1-C4 alkyl"}
                applies = tuple(c for c, kinds in cov if kind in kinds)
                if applies:
                    return _Found(applies, f"{name} skeleton; {label.get(kind, kind + ' ester')}", tuple(m))
        return f"no {name} skeleton as free acid or ester (amides, nitriles, extra ring substituents are out)"

    return run


def _frs(mol: Chem.Mol) -> _Found | str:
    found = fentanyl_class.match_fentanyl_related(mol)
    if isinstance(found, str):
        return found
    applies = {"US": found.us, "CN": found.cn}
    return _Found(tuple(c for c in _FRS_COV if applies[c.jurisdiction]), found.evidence, found.atoms)


# ---- the table -------------------------------------------------------------------------------------
_BMK = "c1ccccc1"
_MDP = "c1ccc2c(c1)OCO2"

CLASS_RULES: tuple[ClassRule, ...] = (
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
    ClassRule(
        id="p2p-methyl-glycidic",
        title="P-2-P methyl glycidic acid (BMK glycidic acid) and its esters",
        coverage=tuple(c for c, _ in _P2P_GLY_COV),
        logic="Matches 2-methyl-3-phenyloxirane-2-carboxylic acid or any ester of it (O-C; not anhydrides), "
        "any stereoisomer, phenyl unsubstituted: CH3 and the carboxyl on one epoxide carbon, phenyl on the "
        "other. US ('its esters') and China ('and its esters') are open classes covering every ester; the "
        "UN Table I group is a closed list (acid and methyl, ethyl, propyl, isopropyl, butyl, isobutyl, "
        "sec-butyl, tert-butyl esters), so e.g. a pentyl or benzyl ester hits without UN. Not matched: "
        "strawberry aldehyde (ethyl 3-methyl-3-phenylglycidate: the methyl sits on the phenyl carbon), "
        "amides, ring-substituted phenyls, P-2-P itself.",
        smarts=_P2P_GLY_SMARTS,
        positives=(
            ("BMK glycidic acid", f"CC1(C(=O)O)OC1{_BMK}"),
            ("BMK methyl glycidate", f"COC(=O)C1(C)OC1{_BMK}"),
            ("BMK ethyl glycidate", f"CCOC(=O)C1(C)OC1{_BMK}"),
            ("BMK tert-butyl glycidate", f"CC(C)(C)OC(=O)C1(C)OC1{_BMK}"),
            ("BMK pentyl glycidate (not UN)", f"CCCCCOC(=O)C1(C)OC1{_BMK}"),
            ("BMK benzyl glycidate (not UN)", f"CC1(C(=O)OCc2ccccc2)OC1{_BMK}"),
        ),
        negatives=(
            ("strawberry aldehyde", f"CCOC(=O)C1OC1(C){_BMK}"),
            ("ethyl 3-phenylglycidate (no methyl)", f"CCOC(=O)C1OC1{_BMK}"),
            ("BMK glycidamide", f"CC1(C(N)=O)OC1{_BMK}"),
            ("PMK methyl glycidate", f"COC(=O)C1(C)OC1{_MDP}"),
            ("P-2-P", "CC(=O)Cc1ccccc1"),
        ),
        gate="methyl-aryl",
        _matcher=_ester_matcher((_P2P_GLY_SMARTS,), (2, 4), _P2P_GLY_COV, "P-2-P methyl glycidic acid"),
    ),
    ClassRule(
        id="mdp2p-methyl-glycidic",
        title="3,4-MDP-2-P methyl glycidic acid (PMK glycidic acid) and its esters",
        coverage=tuple(c for c, _ in _MDP2P_GLY_COV),
        logic="Matches 3-(1,3-benzodioxol-5-yl)-2-methyloxirane-2-carboxylic acid or any ester (O-C), any "
        "stereoisomer, no other ring substituent. Per molecule: UN Table I covers the acid and methyl ester "
        "(2019) and seven named esters, ethyl to tert-butyl (2024), nothing else; the US lists only the "
        "acid and the methyl ester (no ester class); China lists the acid and methyl ester individually "
        "(Category II, 2021) and all esters as 'PMK glycidic acid esters' (2024). The EU's individual "
        "Category 1 listing of the ethyl ester (2023/196) lives in the knowledge base. Not matched: BMK "
        "glycidates, 3,4-dimethoxy analogues, amides, PMK itself.",
        smarts=_MDP2P_GLY_SMARTS,
        positives=(
            ("PMK glycidic acid", f"CC1(C(=O)O)OC1{_MDP}"),
            ("PMK methyl glycidate", f"COC(=O)C1(C)OC1{_MDP}"),
            ("PMK ethyl glycidate", f"CCOC(=O)C1(C)OC1{_MDP}"),
            ("PMK isopropyl glycidate", f"CC(C)OC(=O)C1(C)OC1{_MDP}"),
            ("PMK tert-butyl glycidate", f"CC(C)(C)OC(=O)C1(C)OC1{_MDP}"),
            ("PMK pentyl glycidate (China; Canada review)", f"CCCCCOC(=O)C1(C)OC1{_MDP}"),
        ),
        negatives=(
            ("BMK methyl glycidate", f"COC(=O)C1(C)OC1{_BMK}"),
            ("3,4-dimethoxy analogue", "COC(=O)C1(C)OC1c1ccc(OC)c(OC)c1"),
            ("PMK glycidamide", f"CC1(C(N)=O)OC1{_MDP}"),
            ("PMK", "CC(=O)Cc1ccc2c(c1)OCO2"),
            ("piperonal", "O=Cc1ccc2c(c1)OCO2"),
        ),
        gate="methyl-aryl",
        _matcher=_ester_matcher(
            (_MDP2P_GLY_SMARTS,), (2, 4), _MDP2P_GLY_COV, "3,4-MDP-2-P methyl glycidic acid"
        ),
    ),
    ClassRule(
        id="3-oxo-2-phenylbutanoate",
        title="3-oxo-2-phenylbutanoic acid and its esters (MAPA, EAPA)",
        coverage=tuple(c for c, _ in _OXO_COV),
        logic="Matches CH3-C(=O)-CH(phenyl)-C(=O)-O-H/C (the acid or any ester), phenyl unsubstituted, and "
        "its enol tautomer. China's 2024 family listing only: MAPA's individual listings (UN Table I 2020, "
        "US List I 2021, China Category II 2021) and EAPA's (EU 2022/1518) live in the knowledge base. Not "
        "matched: APAA (an amide), APAAN (a nitrile), acetoacetanilide, MAMDPA (methylenedioxyphenyl), "
        "ethyl benzoylacetate, methyl phenylacetate.",
        smarts=_OXO_SMARTS,
        positives=(
            ("MAPA", "CC(=O)C(C(=O)OC)c1ccccc1"),
            ("EAPA", "CCOC(=O)C(C(C)=O)c1ccccc1"),
            ("3-oxo-2-phenylbutanoic acid", "CC(=O)C(C(=O)O)c1ccccc1"),
            ("isopropyl 3-oxo-2-phenylbutanoate", "CC(=O)C(C(=O)OC(C)C)c1ccccc1"),
            ("MAPA enol tautomer", "CC(O)=C(C(=O)OC)c1ccccc1"),
        ),
        negatives=(
            ("acetoacetanilide", "CC(=O)CC(=O)Nc1ccccc1"),
            ("APAA", "CC(=O)C(C(N)=O)c1ccccc1"),
            ("APAAN", "CC(=O)C(C#N)c1ccccc1"),
            ("MAMDPA", "COC(=O)C(C(C)=O)c1ccc2c(c1)OCO2"),
            ("ethyl benzoylacetate", "CCOC(=O)CC(=O)c1ccccc1"),
            ("methyl phenylacetate", "COC(=O)Cc1ccccc1"),
        ),
        gate="methyl-aryl",
        _matcher=_ester_matcher(
            (_OXO_SMARTS, _OXO_ENOL_SMARTS), (4, 6), _OXO_COV, "3-oxo-2-phenylbutanoic acid"
        ),
    ),
    ClassRule(
        id=fentanyl_class.RULE_ID,
        title="fentanyl-related substances (US HALT Fentanyl Act; China 2019 class listing)",
        coverage=_FRS_COV,
        logic=fentanyl_class.LOGIC,
        smarts=fentanyl_class.CORE_SMARTS,
        positives=fentanyl_class.POSITIVES,
        negatives=fentanyl_class.NEGATIVES,
        gate="piperidine",
        _matcher=_frs,
    ),
)
"""Every class rule, in the order `classify` tries them."""

_BY_ID = {r.id: r for r in CLASS_RULES}


def rule(rule_id: str) -> ClassRule:
    """The class rule with this id.

    Raises:
        KeyError: when no rule has that id (the message lists the known ids).
    """
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no class rule {rule_id!r}; known: {', '.join(_BY_ID)}") from None


def classify(mol: Chem.Mol, trace: list[str] | None = None) -> list[ClassHit]:
    """Every class rule the molecule meets, in CLASS_RULES order.

    Args:
        mol: A standardised molecule: one neutral component, counter-ions and water removed.
        trace: If given, one line per rule is appended: matched (jurisdictions, evidence) or not and why.

    Returns:
        One `ClassHit` per rule met; its `jurisdictions` name only the laws that reach this molecule.
    """
    gates = {name: mol.HasSubstructMatch(query) for name, (query, _) in _GATES.items()}
    if trace is None and not any(gates.values()):
        return []
    hits: list[ClassHit] = []
    for r in CLASS_RULES:
        verdict = r.match(mol) if gates[r.gate] else _GATES[r.gate][1]
        if isinstance(verdict, str):
            if trace is not None:
                trace.append(f"{r.id}: not matched: {verdict}")
            continue
        hits.append(verdict)
        if trace is not None:
            trace.append(f"{r.id}: matched ({', '.join(verdict.jurisdictions)}): {verdict.evidence}")
    return hits
