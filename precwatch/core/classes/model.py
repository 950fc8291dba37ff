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


def query(smarts: str) -> Chem.Mol:
    query = Chem.MolFromSmarts(smarts)
    if query is None:  # pragma: no cover - a typo in this module
        raise ValueError(f"bad SMARTS: {smarts}")
    return query
