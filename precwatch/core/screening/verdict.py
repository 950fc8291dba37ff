"""The result of screening one record: an explainable score, its level and the reasons behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from precwatch.core.match import Match
from precwatch.core.screening.records import ScreenRecord

LEVELS: tuple[str, ...] = ("high", "medium", "low", "none")


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence: a rule's `code`, the points it adds, and what it saw, in plain words."""

    code: str
    weight: int
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "weight": self.weight, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Verdict:
    """Screening output contract: `{"id", "score", "level", "reasons", "matches"}` (see the design)."""

    id: str
    score: int
    level: str
    reasons: tuple[Reason, ...] = ()
    matches: tuple[Match, ...] = field(default=())
    line: int = 0
    record: ScreenRecord | None = field(default=None, compare=False, repr=False)
    """The record screened, kept on flagged verdicts only (for reports; not part of the output contract)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": self.score,
            "level": self.level,
            "reasons": [r.to_dict() for r in self.reasons],
            "matches": [m.to_dict() for m in self.matches],
        }
