"""3-oxo-2-phenylbutanoic acid and its esters (MAPA, EAPA): China's 2024 family listing."""

from __future__ import annotations

from precwatch.core.classes.esters import ACID_OR_ESTER, ANY, PHENYL, ester_matcher
from precwatch.core.classes.law import CN24, CN_CAT
from precwatch.core.classes.model import ClassRule, Coverage

_OXO_SMARTS = f"[CH3]-[CX3](=O)-[CH1]({ACID_OR_ESTER})-{PHENYL}"
_OXO_ENOL_SMARTS = f"[CH3]-[CX3](-[OX2H1])=[CX3]({ACID_OR_ESTER})-{PHENYL}"
# fmt: off
_OXO_COV: tuple[tuple[Coverage, frozenset[str]], ...] = (
    (Coverage("CN", CN_CAT, "3-oxo-2-phenylbutanoic acid and its esters", CN24, "2024-09-01"), ANY),
)
# fmt: on


RULES: tuple[ClassRule, ...] = (
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
        _matcher=ester_matcher(
            (_OXO_SMARTS, _OXO_ENOL_SMARTS), (4, 6), _OXO_COV, "3-oxo-2-phenylbutanoic acid"
        ),
    ),
)
"""The 3-oxo-2-phenylbutanoate rule."""
