"""The vocabulary of class rules: what a law covers (`Coverage`), a rule (`ClassRule`) and a hit (`ClassHit`).

A rule is data plus one per-molecule test (`Matcher`) that returns the coverage that applies with its
evidence (`Found`), or a one-line reason why the molecule is not a member."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdkit import Chem


@dataclass(frozen=True, slots=True)
class Coverage:
    """What one jurisdiction's law says about members of a class."""

    jurisdiction: str
    status: str
    legal_text: str
    source: str
    effective: str | None


@dataclass(frozen=True, slots=True)
class Found:
    """The coverage that applies to one molecule, with the evidence and the matched atoms."""

    coverage: tuple[Coverage, ...]
    evidence: str
    atoms: tuple[int, ...]


Matcher = Callable[[Chem.Mol], "Found | str"]
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


def query(smarts: str, start: int = 0) -> Chem.Mol:
    """The SMARTS as a query molecule, its atoms renumbered breadth-first from atom `start`.

    RDKit's substructure search maps the query's atoms in their order, trying every molecule atom for
    the first one. Starting from a rare atom (an oxygen rather than an aromatic carbon) leaves fewer
    partial matches to extend, so the same answer comes sooner: the renumbered query is the same atoms
    and bonds with the same tests (copied, not rewritten), so it matches exactly the same molecules
    (`tests/core/structure/test_query_order.py` checks it on the real sets). With `start` 0 the query
    is the SMARTS as written.
    """
    parsed = Chem.MolFromSmarts(smarts)
    if parsed is None:  # pragma: no cover - a typo in this module
        raise ValueError(f"bad SMARTS: {smarts}")
    return parsed if start == 0 else started_from(parsed, start)


def started_from(pattern: Chem.Mol, start: int) -> Chem.Mol:
    """`pattern` (a connected query molecule) with its atoms renumbered breadth-first from atom
    `start`: the same atoms and bonds, copied, so it matches the same molecules (see `query`)."""
    order, seen = [start], {start}
    for idx in order:  # (the list grows while it is walked: breadth-first)
        for nb in pattern.GetAtomWithIdx(idx).GetNeighbors():
            if nb.GetIdx() not in seen:
                seen.add(nb.GetIdx())
                order.append(nb.GetIdx())
    if len(order) != pattern.GetNumAtoms():  # pragma: no cover - a disconnected pattern
        raise ValueError(f"not one connected pattern: {Chem.MolToSmarts(pattern)}")
    return Chem.RenumberAtoms(pattern, order)
