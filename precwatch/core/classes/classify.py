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
            path must equal, verdict for verdict).

    Returns:
        One `ClassHit` per rule met; its `jurisdictions` name only the laws that reach this molecule.
    """
    if not gated:
        gates = dict.fromkeys(_GATES, True)
    else:
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
