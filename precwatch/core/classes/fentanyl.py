"""Fentanyl-related substances: the US HALT Fentanyl Act class and China's 2019 class listing, as a rule.

The structural judgement (core, allowed modifications, the law's exclusions) is in `fentanyl_rule`;
this module states the coverage per jurisdiction and wraps the judgement as a `ClassRule`."""

from __future__ import annotations

from rdkit import Chem

from precwatch.core.classes import fentanyl_rule
from precwatch.core.classes.model import ClassRule, Coverage, Found

# fmt: off
_FRS_COV = (
    Coverage("US", "Schedule I", fentanyl_rule.US_TEXT,
             "HALT Fentanyl Act, P.L. 119-26 (2025), 21 U.S.C. 812(c) Schedule I(e)(2); same text as DEA "
             "temporary scheduling order 83 FR 5188 (6 Feb 2018); applies to substances not otherwise listed "
             "(Schedule II fentanyls, 21 CFR 1308.12(c), are excluded); carbamates as acyl groups: DEA final "
             "rule effective 4 May 2024 placing fentanyl carbamate in Schedule I as a fentanyl-related substance",
             "2025-07-16"),
    Coverage("CN", "fentanyl-related substance (class)", fentanyl_rule.CN_TEXT,
             "UNODC EWS, April 2019: China announcement; MPS/NHC/NMPA 2019", "2019-05-01"),
)
# fmt: on


def _frs(mol: Chem.Mol) -> Found | str:
    found = fentanyl_rule.match_fentanyl_related(mol)
    if isinstance(found, str):
        return found
    applies = {"US": found.us, "CN": found.cn}
    return Found(tuple(c for c in _FRS_COV if applies[c.jurisdiction]), found.evidence, found.atoms)


RULES: tuple[ClassRule, ...] = (
    ClassRule(
        id=fentanyl_rule.RULE_ID,
        title="fentanyl-related substances (US HALT Fentanyl Act; China 2019 class listing)",
        coverage=_FRS_COV,
        logic=fentanyl_rule.LOGIC,
        smarts=fentanyl_rule.CORE_SMARTS,
        positives=fentanyl_rule.POSITIVES,
        negatives=fentanyl_rule.NEGATIVES,
        gate="piperidine",
        _matcher=_frs,
    ),
)
"""The fentanyl-related-substances rule."""
