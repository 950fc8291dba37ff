"""One identification job: what to identify with, as a small picklable value every engine can rebuild.

An `IdentifyJob` names the knowledge base by path; `kb()` loads it once per process (workers and Spark
executors included) and caches it. `process` is the unit of work every engine calls: records in,
`(record, matches)` or a reject (an unreadable structure) out, in order, exactly as `identify_stream`
gives them in one process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.match import Match
from precwatch.data import load_kb
from precwatch.io.records import InputRecord, Reject
from precwatch.pipelines.identify import identify_stream
from precwatch.pipelines.resolver import process_resolver

Identified = tuple[InputRecord, list[Match]]
"""A record and its matches (after `min_confidence`)."""

_Packed = tuple[str, int, list[Match]]
"""An identified record as a worker sends it back: (id, line, matches); the text stays behind."""

_KBS: dict[str | None, KnowledgeBase] = {}

WARM_UP: tuple[InputRecord, ...] = (
    InputRecord("warm-up", "NPP (CAS 39742-60-4), 4-piperidone, 1-boc-4-piperidone 25kg", 0),
    InputRecord("warm-up-structure", "", 0, "O=C1CCN(CCc2ccccc2)CC1", "smiles"),
)
"""Records identified (and thrown away) before forking, so that lazily built indexes exist in the parent."""


@dataclass(frozen=True, slots=True)
class IdentifyJob:
    """What an identification run uses. A path, not the knowledge base, so it pickles cheaply."""

    kb_path: str | None = None
    min_confidence: float = 0.0
    file_name: str = "<input>"
    """How the input is named in rejects."""
    systematic: bool = False
    """Convert systematic names in text to structures with OPSIN (needs Java; one JVM per process)."""

    verb = "identifying"

    def kb(self) -> KnowledgeBase:
        """The knowledge base, loaded on first use in this process and then reused.

        Raises:
            KnowledgeBaseError: the file is missing or malformed.
        """
        found = _KBS.get(self.kb_path)
        if found is None:
            found = _KBS[self.kb_path] = load_kb(self.kb_path)
        return found

    def warm_up(self) -> None:
        """Load the knowledge base and build the indexes it builds on first use, in this process.

        Forked workers then share them; a broken knowledge base fails here, before any record is read.
        OPSIN is not warmed: each process starts its own JVM, and the parent of a pool needs none.
        """
        list(identify_stream(WARM_UP, self.kb()))

    def process(self, records: Sequence[InputRecord]) -> list[Identified | Reject]:
        """Identify records, in order; a record whose structure cannot be read becomes a reject."""
        resolver = process_resolver() if self.systematic else None
        return list(
            identify_stream(
                records, self.kb(), min_confidence=self.min_confidence, name=self.file_name, resolver=resolver
            )
        )

    @staticmethod
    def pack(results: list[Identified | Reject]) -> list[_Packed | Reject]:
        """Results as a worker sends them back: without the record's text and structure."""
        return [r if isinstance(r, Reject) else (r[0].id, r[0].line, r[1]) for r in results]

    @staticmethod
    def unpack(packed: list[_Packed | Reject]) -> list[Identified | Reject]:
        """`pack` undone: each record comes back with its id and line (its text is not needed any more)."""
        return [r if isinstance(r, Reject) else (InputRecord(r[0], "", r[1]), r[2]) for r in packed]

    def paths(self) -> tuple[str, ...]:
        """The files the job names (the knowledge base): shipped to Spark executors."""
        return (self.kb_path,) if self.kb_path else ()

    def moved(self, to: dict[str, str]) -> IdentifyJob:
        """The same job with the files in `to` read from their new paths."""
        return replace(self, kb_path=to.get(self.kb_path, self.kb_path) if self.kb_path else None)
