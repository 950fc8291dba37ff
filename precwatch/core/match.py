"""The identification contract: a `Match` says which substance an input mentions, how, where and why.

`Relation` and `Method` are the contract's closed vocabularies (see docs/contracts.md). Frozen, slotted
dataclasses: cheap to create, safe to share between threads and processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Relation = Literal["listed", "salt", "masked", "class", "analog"]
"""How the input relates to the listed substance: itself, a salt, a masked form, a class member, an analogue."""
Method = Literal["cas", "name", "fuzzy", "systematic-name", "structure"]
"""Which detector found the mention."""


@dataclass(frozen=True, slots=True)
class Match:
    """One mention of a knowledge-base substance found in an input, with why we believe it.

    `substance` and `cas` name the listed parent; for a salt row, `form` and `form_cas` name the salt.
    `text` is exactly `input[start:end]` of the original (not normalised) input.
    Structure matches also carry `classes` (every class rule the structure meets), `transformation`
    (the unmasking step, for `masked`), `similarity` (for `analog`) and the input parent's `inchikey`.
    """

    substance: str
    name: str
    cas: str | None
    relation: Relation
    method: Method
    text: str
    start: int
    end: int
    confidence: float
    evidence: str
    controls: dict[str, str] = field(default_factory=dict)
    class_id: str | None = None
    form: str | None = None
    form_cas: str | None = None
    classes: tuple[str, ...] = ()
    transformation: str | None = None
    similarity: float | None = None
    inchikey: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The identification contract's match object; structure-only keys appear when they are set."""
        out: dict[str, object] = {
            "substance": self.substance,
            "name": self.name,
            "cas": self.cas,
            "relation": self.relation,
            "class_id": self.class_id,
            "method": self.method,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "controls": self.controls,
            "evidence": self.evidence,
            "form": self.form,
            "form_cas": self.form_cas,
        }
        if self.classes:
            out["classes"] = list(self.classes)
        if self.transformation:
            out["transformation"] = self.transformation
        if self.similarity is not None:
            out["similarity"] = round(self.similarity, 3)
        if self.inchikey:
            out["inchikey"] = self.inchikey
        return out
