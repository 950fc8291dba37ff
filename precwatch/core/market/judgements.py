"""Analyst judgements: "these two listings are the same vendor" / "they are different".

An analyst who knows better overrides the resolver: a `same` judgement links two listings whatever their
contacts say; a `different` judgement forbids any chain of links from putting them in one vendor (the link
that would do it is refused and reported). The latest judgement on a pair wins, so a mistake is undone by
judging again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Judgement:
    """One analyst decision on a pair of listings (keys `platform|listing_id`), in the order made."""

    a: str
    b: str
    same: bool
    author: str = ""
    note: str = ""
    at: str = ""

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b) if self.a <= self.b else (self.b, self.a)


def effective(judgements: Iterable[Judgement]) -> dict[tuple[str, str], Judgement]:
    """The judgement in force for each pair: the latest one given (input order is decision order)."""
    out: dict[tuple[str, str], Judgement] = {}
    for j in judgements:
        if j.a != j.b:
            out[j.pair] = j
    return out
