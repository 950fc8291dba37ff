"""Glycidic acids: P-2-P (BMK) and 3,4-MDP-2-P (PMK) methyl glycidic acid and their esters.

The UN Table I (2019, 2024: closed lists of esters), US List I, China (2021 individual listings and the
2024 ester family) and Canada (review) each cover a different set of acids and esters; see each Coverage."""

from __future__ import annotations

from precwatch.core.classes.esters import ACID_ME, ACID_OR_ESTER, ANY, ESTERS, PHENYL, UN_FORMS, ester_matcher
from precwatch.core.classes.law import CFR, CN24, CN_CAT, INFERENCE, PCR, REVIEW, SALTS_DA, UN24
from precwatch.core.classes.model import ClassRule, Coverage

_P2P_GLY_SMARTS = f"[CH3]-[CX4;R1]1({ACID_OR_ESTER})-[OX2;R1]-[CH1;R1]1-{PHENYL}"
_MDP2P_GLY_SMARTS = f"[CH3]-[CX4;R1]1({ACID_OR_ESTER})-[OX2;R1]-[CH1;R1]1-c1[cH][cH]c2O[CH2]Oc2[cH]1"
# fmt: off
_P2P_GLY_COV: tuple[tuple[Coverage, frozenset[str]], ...] = (
    (Coverage("UN", "Table I", "P-2-P methyl glycidic acid and its methyl, ethyl, propyl, isopropyl, butyl, "
              "isobutyl, sec-butyl and tert-butyl esters (closed list: other esters are not in Table I)",
              UN24, "2024-12-03"), UN_FORMS),
    (Coverage("US", "List I", "P2P methyl glycidic acid and its esters, optical and geometric isomers, and "
              "salts", CFR + "DEA final rule FR Doc 2026-06523 (2026)", "2026-05-04"), ANY),
    (Coverage("CN", CN_CAT, "BMK glycidic acid and its esters", CN24, "2024-09-01"), ANY),
    (Coverage("CA", REVIEW, f"1-phenyl-2-propanone, {SALTS_DA} (BMK methyl glycidate named; {INFERENCE})",
              PCR + "13 (SOR/2019-120)", "2019"), ANY),
)
_MDP2P_GLY_COV: tuple[tuple[Coverage, frozenset[str]], ...] = (
    (Coverage("UN", "Table I", "3,4-MDP-2-P methyl glycidic acid ('PMK glycidic acid') and 3,4-MDP-2-P "
              "methyl glycidate ('PMK glycidate')", "1988 Convention Table I; CND decisions of March 2019",
              "2019"), ACID_ME),
    (Coverage("UN", "Table I", "the ethyl, propyl, isopropyl, butyl, isobutyl, sec-butyl and tert-butyl "
              "esters of 3,4-MDP-2-P methyl glycidic acid (closed list: other esters are not in Table I)",
              UN24, "2024-12-03"), UN_FORMS - ACID_ME),
    (Coverage("US", "List I", "3,4-MDP-2-P methyl glycidic acid and 3,4-MDP-2-P methyl glycidate (PMK "
              "glycidate), their salts and optical and geometric isomers: individual listings, no ester "
              "class", CFR + "DEA 86 FR 24703 (10 May 2021)", "2021"), ACID_ME),
    (Coverage("CN", "Category II", "PMK glycidic acid and PMK glycidate (methyl ester), listed individually",
              "State Council letter 国办函〔2021〕58号 (28 May 2021)", "2021"), ACID_ME),
    (Coverage("CN", CN_CAT, "PMK glycidic acid esters", CN24, "2024-09-01"), ESTERS),
    (Coverage("CA", REVIEW, f"3,4-methylenedioxyphenyl-2-propanone, {SALTS_DA} (MMDMG named; "
              f"{INFERENCE})", PCR + "10 (SOR/2019-120)", "2019"), ANY),
)
# fmt: on
_BMK = "c1ccccc1"
_MDP = "c1ccc2c(c1)OCO2"


RULES: tuple[ClassRule, ...] = (
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
        _matcher=ester_matcher((_P2P_GLY_SMARTS,), (2, 4), _P2P_GLY_COV, "P-2-P methyl glycidic acid"),
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
        _matcher=ester_matcher(
            (_MDP2P_GLY_SMARTS,), (2, 4), _MDP2P_GLY_COV, "3,4-MDP-2-P methyl glycidic acid"
        ),
    ),
)
"""The BMK and PMK glycidate rules."""
