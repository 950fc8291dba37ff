"""File-to-file identification: read records, identify each, write JSON Lines, keep rejects and counts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from json.encoder import encode_basestring  # what json.dumps(str, ensure_ascii=False) is
from typing import TextIO

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.match import Match
from precwatch.core.structure.identify import identify_structure
from precwatch.core.structure.read import StructureError, StructureFormat
from precwatch.core.text.identify import NameResolver, identify_texts
from precwatch.io.formats import Source
from precwatch.io.records import InputRecord, Reject
from precwatch.io.texts import read_records

Engine = Callable[[Iterable[InputRecord | Reject]], Iterable[tuple[InputRecord, list[Match]] | Reject]]
"""Something that identifies the records read, in order (see `run_identify`)."""


@dataclass
class Summary:
    """What happened to every input record: `read == identified + rejected`."""

    read: int = 0
    identified: int = 0
    with_matches: int = 0
    matches: int = 0
    rejected: int = 0
    by_substance: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"read {self.read} records: {self.identified} identified "
            f"({self.with_matches} with matches, {self.matches} matches), {self.rejected} rejected"
        )


_encode = json.JSONEncoder(ensure_ascii=False).encode
"""`json.dumps(obj, ensure_ascii=False)` without building an encoder on every call (same output)."""


def result_line(record_id: str, matches: list[Match], kb_version: str) -> str:
    """One line of the identification contract (see docs/design: id, matches, kb_version)."""
    return _encode({"id": record_id, "matches": [m.to_dict() for m in matches], "kb_version": kb_version})


def _with_structure(record: InputRecord, matches: list[Match], kb: KnowledgeBase) -> list[Match]:
    """`matches` (the text's) followed by those of the record's structure, if it has one.

    Raises:
        StructureError: the record's structure cannot be read.
    """
    if record.structure is not None:
        fmt: StructureFormat = record.structure_format or "smiles"  # type: ignore[assignment]
        matches = matches + identify_structure(record.structure, kb, fmt=fmt)
    return matches


BATCH = 256
"""Records whose texts `identify_stream` hands to the engine together (`identify_texts`: one gate scan)."""


def identify_stream(
    items: Iterable[InputRecord | Reject],
    kb: KnowledgeBase,
    *,
    min_confidence: float = 0.0,
    name: str = "<input>",
    resolver: NameResolver | None = None,
) -> Iterator[tuple[InputRecord, list[Match]] | Reject]:
    """Identify every record, passing rejects through, in input order: its text, then its structure (the
    texts of `BATCH` records identified together).

    A record whose structure cannot be read becomes a reject naming the structure field.
    """
    pending = iter(items)
    while chunk := list(islice(pending, BATCH)):
        texts = [item.text for item in chunk if isinstance(item, InputRecord) and item.text]
        found = iter(identify_texts(texts, kb, resolver))
        for item in chunk:
            if isinstance(item, Reject):
                yield item
                continue
            matches = next(found) if item.text else []
            if item.structure is not None:
                try:
                    matches = _with_structure(item, matches, kb)
                except StructureError as exc:
                    field = item.structure_format or "smiles"
                    yield Reject(name, item.line, field, str(exc), item.structure[:2000], "structure")
                    continue
            if min_confidence:
                matches = [m for m in matches if m.confidence >= min_confidence]
            yield item, matches


def run_identify(
    source: Source,
    name: str,
    *,
    kb: KnowledgeBase,
    out: TextIO,
    rejects: Callable[[Reject], None],
    column: str | None = None,
    id_column: str = "id",
    min_confidence: float = 0.0,
    progress: Callable[[int], None] | None = None,
    smiles_column: str | None = None,
    resolver: NameResolver | None = None,
    delimiter: str | None = None,
    max_text_bytes: int | None = None,
    on_record: Callable[[str], None] | None = None,
    engine: Engine | None = None,
) -> Summary:
    """Identify a whole input, writing one JSON line per usable record and handing rejects on.

    `engine` identifies the records read (`precwatch.pipelines.engine.run_local` or the Spark engine
    with an `IdentifyJob`, which then carries the knowledge base's path, `min_confidence` and OPSIN);
    by default they are identified here, with `kb`, `min_confidence` and `resolver`.
    """
    summary = Summary()
    records: Iterable[InputRecord | Reject] = read_records(
        source, column=column, id_column=id_column, smiles_column=smiles_column, delimiter=delimiter
    )
    if max_text_bytes:
        records = _guard(records, max_text_bytes, name)
    write = out.write
    version = kb.version
    empty_tail = ', "matches": [], "kb_version": ' + json.dumps(version) + "}\n"
    identified = (
        engine(records)
        if engine is not None
        else identify_stream(records, kb, min_confidence=min_confidence, name=name, resolver=resolver)
    )
    by_substance = summary.by_substance
    read = rejected = with_matches = n_matches = 0
    for item in identified:
        read += 1
        if isinstance(item, Reject):
            rejected += 1
            rejects(item)
        else:
            record, matches = item
            if on_record is not None:
                on_record(record.id)
            if matches:
                with_matches += 1
                n_matches += len(matches)
                for m in matches:
                    by_substance[m.substance] = by_substance.get(m.substance, 0) + 1
                write(result_line(record.id, matches, version) + "\n")
            else:
                write('{"id": ' + encode_basestring(record.id) + empty_tail)
        if progress is not None and read % 500 == 0:
            progress(read)
    summary.read, summary.rejected, summary.identified = read, rejected, read - rejected
    summary.with_matches, summary.matches = with_matches, n_matches
    return summary


def _guard(records: Iterable[InputRecord | Reject], limit: int, name: str) -> Iterator[InputRecord | Reject]:
    """Reject a record whose text is longer than `limit` bytes (UTF-8)."""
    for item in records:
        if isinstance(item, InputRecord) and len(item.text) * 4 > limit and len(item.text.encode()) > limit:
            why = f"text is {len(item.text.encode())} bytes, more than --max-text-bytes {limit}"
            yield Reject(name, item.line, "text", why, item.text[:1000] + "…", "text-too-long")
        else:
            yield item
