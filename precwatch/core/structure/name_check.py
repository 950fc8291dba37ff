"""The systematic-name check: every English name of every entry, read by a name-to-structure parser.

A name that a parser (OPSIN) reads as a structure must be the entry's structure. Names the parser
cannot read (trivial names, trade names, abbreviations) pass: they are not claims about a structure.
A name read as ANOTHER structure is an error unless the entry declares it a trade or slang name with
a source (`name_sources`: "trade name: ..." or "slang: ..."), because a wrong systematic name makes
the engine call one chemical another (a fragrance flagged as PMK).
Structures are compared by the connectivity block of the standardised parent's InChIKey, so salts,
hydrates and stereo descriptors do not count as differences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from precwatch.core.kb.substance import Substance
from precwatch.core.structure.read import inchikey, to_mol
from precwatch.core.structure.standardise import standardise

NameResolver = Callable[[Sequence[str]], list[str | None]]
"""Converts names to SMILES (None when a name cannot be parsed): OPSIN, in `precwatch.io.opsin`."""

EXEMPT_PREFIXES = ("trade name:", "slang:", "legal text:")
"""A `name_sources` entry starting with one of these (and naming a source after it) exempts the name: a trade
name or slang, or the name a legal text gives the substance (kept because the law uses it)."""


@dataclass(frozen=True, slots=True)
class NameVerdict:
    """One English name and what the parser made of it."""

    substance: str
    name: str
    smiles: str | None
    same: bool | None
    """True: the name's structure is the entry's; False: another structure; None: not parsed."""
    exempt: str | None = None
    """The declared trade/slang source that excuses a different structure."""

    @property
    def is_problem(self) -> bool:
        return self.same is False and self.exempt is None

    def describe(self) -> str:
        if self.same is None:
            return f"{self.substance}: {self.name!r} is not a systematic name (not parsed)"
        if self.same:
            return f"{self.substance}: {self.name!r} parses to the entry's structure"
        why = f" (declared {self.exempt})" if self.exempt else ""
        return f"{self.substance}: {self.name!r} parses to {self.smiles}, another structure{why}"


def connectivity(smiles: str) -> str | None:
    """The first InChIKey block of the standardised parent of `smiles`, or None if unreadable."""
    mol = to_mol(smiles)
    if mol is None:
        return None
    key = inchikey(standardise(mol).parents[0])
    return key.split("-")[0] if key else None


def english_names(s: Substance) -> list[str]:
    """The preferred name and every English name of an entry, without repeats."""
    return list(dict.fromkeys([s.preferred_name, *s.names.en]))


def _exemption(s: Substance, name: str) -> str | None:
    src = s.name_source(name) or ""
    low = src.lower()
    for prefix in EXEMPT_PREFIXES:
        if low.startswith(prefix) and len(src) > len(prefix) + 3:
            return src
    return None


def check_names(substances: Sequence[Substance], resolver: NameResolver) -> list[NameVerdict]:
    """Run every English name of every entry through `resolver` in one batch and judge each.

    Args:
        substances: the knowledge-base entries (salt rows are compared through their own structure).
        resolver: names to SMILES in one call (one persistent parser process for the whole batch).

    Returns:
        One verdict per (entry, name), in knowledge-base order.
    """
    pairs = [(s, n) for s in substances if s.smiles for n in english_names(s)]
    answers = resolver([n for _, n in pairs])
    own: dict[str, str | None] = {}
    out: list[NameVerdict] = []
    for (s, name), smiles in zip(pairs, answers, strict=True):
        if s.id not in own:
            own[s.id] = connectivity(s.smiles or "")
        if not smiles:
            out.append(NameVerdict(s.id, name, None, None))
            continue
        same = connectivity(smiles) == own[s.id]
        out.append(NameVerdict(s.id, name, smiles, same, None if same else _exemption(s, name)))
    return out


def unmarked_translations(s: Substance) -> list[str]:
    """Chinese and Spanish names that carry neither a source nor a confidence mark."""
    return [n for n in (*s.names.zh, *s.names.es) if not s.name_source(n)]
