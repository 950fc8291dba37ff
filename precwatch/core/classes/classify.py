"""Structural class controls: laws that control a family of chemicals rather than a list of names.

`CLASS_RULES` is the registry; one module per rule family holds its rules. Each `ClassRule` states the law
per jurisdiction (`Coverage`), the plain-language logic it implements, its SMARTS, and positives/negatives
as data. `classify(mol)` returns a `ClassHit` for every rule a standardised molecule meets (one neutral
component; counter-ions, water and gem-diols already handled upstream). A hit names only the jurisdictions whose wording reaches that molecule: the UN lists are
closed, the US and Chinese ester classes open. Pure: stdlib and RDKit only.
"""

from __future__ import annotations

from rdkit import Chem

from precwatch.core.classes import anilinopiperidines, fentanyl, glycidates, phenylacetoacetates, piperidones
from precwatch.core.classes.model import ClassHit, ClassRule, query

_GATES: dict[str, tuple[Chem.Mol, str]] = {
    "piperidine": (
        query("[NX3;R]1-[CX4]-[CX4]-[#6;X3,X4]-[CX4]-[CX4]-1"),
        "no piperidine or 4-piperidone ring",
    ),
    "methyl-aryl": (query("[CH3]-[#6](~[#8])~[#6]-c"), "no CH3-C(~O)~C-aryl fragment"),
}
"""Cheap shared pre-tests (one substructure search each per molecule); a rule runs only if its gate passes."""


CLASS_RULES: tuple[ClassRule, ...] = (
    *anilinopiperidines.RULES,
    *piperidones.RULES,
    *glycidates.RULES,
    *phenylacetoacetates.RULES,
    *fentanyl.RULES,
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


def classify(mol: Chem.Mol, trace: list[str] | None = None, *, gated: bool = True) -> list[ClassHit]:
    """Every class rule the molecule meets, in CLASS_RULES order.

    Args:
        mol: A standardised molecule: one neutral component, counter-ions and water removed.
        trace: If given, one line per rule is appended: matched (jurisdictions, evidence) or not and why.
        gated: False runs every rule in full, ignoring the shared pre-tests (the reference the gated
            path must equal, verdict for verdict). Without a trace the gated path also skips a rule
            whose plain skeleton (`_RULE_SCREENS`) is absent.

    Returns:
        One `ClassHit` per rule met; its `jurisdictions` name only the laws that reach this molecule.
    """
    if trace is None and gated:
        return _screened(mol)
    if not gated:
        gates = dict.fromkeys(_GATES, True)
    else:
        gates = {name: mol.HasSubstructMatch(query) for name, (query, _) in _GATES.items()}
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


_PIPERIDINE_GATE = _GATES["piperidine"][0]
_METHYL_ARYL_GATE = _GATES["methyl-aryl"][0]
_RULES_BY_GATES: dict[tuple[bool, bool], tuple[ClassRule, ...]] = {
    (piperidine, methyl_aryl): tuple(
        r for r in CLASS_RULES if {"piperidine": piperidine, "methyl-aryl": methyl_aryl}[r.gate]
    )
    for piperidine in (False, True)
    for methyl_aryl in (False, True)
}
"""The rules to run, in CLASS_RULES order, for each pair of gate answers (piperidine, methyl-aryl)."""


_RULE_SCREENS: dict[str, Chem.Mol] = {
    "4-ap-derivative": query("[NX3;R1]1-[CX4;R1]-[CX4;R1]-[CX4;R1](-[CX4;R1]-[CX4;R1]-1)-[NX3;!R]-a"),
    "4-piperidone-derivative": query("[NX3;R1]1-[CH2;R1]-[CH2;R1]-[#6]-[CH2;R1]-[CH2;R1]-1"),
}
"""Plain (non-recursive) skeletons the piperidine rules' patterns contain: when the skeleton is absent the
rule cannot match, so the screened path skips the rule's own pattern (its recursive N-H/N-acyl tests cost a
search each). Each is the rule's pattern with atoms and tests dropped, never added:

- the 4-AP skeleton (ring N, four sp3 ring carbons around a ring C4 carrying an acyclic N on an aromatic
  atom) is in both 4-AP patterns (their ring CH2 and C4-H carbons are sp3: two ring bonds and their
  hydrogens fill four connections; their anilino N is bonded to a benzene carbon) and in the
  fentanyl-related core (written with the same atoms); one search answers the three rules;
- the 4-piperidone skeleton (ring N, CH2 x4, any carbon at C4: the ketone or the acetal carbon) is the
  4-piperidone pattern without its recursive tests.
"""
_SCREENED_BY = {
    "4-ap-derivative": "4-ap-derivative",
    "4-ap-halide": "4-ap-derivative",
    "fentanyl-related": "4-ap-derivative",
    "4-piperidone-derivative": "4-piperidone-derivative",
}
"""Rule id -> the `_RULE_SCREENS` entry it needs."""


def _screened(mol: Chem.Mol) -> list[ClassHit]:
    """`classify` without a trace: the two gates asked directly, then only the rules whose gate passed
    and whose skeleton (`_RULE_SCREENS`) is present. A rule whose gate or skeleton is absent cannot
    match, so the hits and their order are those of the full loop."""
    rules = _RULES_BY_GATES[mol.HasSubstructMatch(_PIPERIDINE_GATE), mol.HasSubstructMatch(_METHYL_ARYL_GATE)]
    if not rules:
        return []
    screens: dict[str, bool] = {}
    hits: list[ClassHit] = []
    for r in rules:
        screen = _SCREENED_BY.get(r.id)
        if screen is not None:
            if screen not in screens:
                screens[screen] = mol.HasSubstructMatch(_RULE_SCREENS[screen])
            if not screens[screen]:
                continue
        verdict = r.match(mol)
        if not isinstance(verdict, str):
            hits.append(verdict)
    return hits
