"""Structure checks of knowledge-base entries: what RDKit recomputes must equal what the entry states.

Each entry's SMILES must parse, and its recorded InChIKey and molecular formula must be the ones RDKit
computes from that SMILES: a KB whose identifiers disagree with its structures would match the wrong
chemical. (CAS check digits, parents, roles and sources are checked by `KnowledgeBase.problems`; names
by `precwatch.core.structure.name_check`.)
"""

from __future__ import annotations

from collections.abc import Iterable

from precwatch.core.kb.substance import Substance
from precwatch.core.structure.read import mol_facts


def structure_problems(substances: Iterable[Substance]) -> list[str]:
    """One line per entry whose SMILES does not parse or whose InChIKey or formula RDKit disagrees with."""
    problems: list[str] = []
    for s in substances:
        if not s.smiles:
            continue
        facts = mol_facts(s.smiles)
        if facts is None:
            problems.append(f"{s.id}: SMILES {s.smiles!r} does not parse in RDKit")
            continue
        if s.inchikey and facts.inchikey != s.inchikey:
            problems.append(f"{s.id}: InChIKey {s.inchikey} but RDKit computes {facts.inchikey}")
        if s.formula and facts.formula != s.formula:
            problems.append(f"{s.id}: formula {s.formula} but RDKit computes {facts.formula}")
    return problems
