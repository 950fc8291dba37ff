"""A tamper-evident, hash-chained audit log: canonical entries, SHA-256 links and verification.

Each entry's hash is SHA-256 over the previous entry's hash and the canonical JSON of the entry's
content (who, when, what, request id, detail). The sequence number is not hashed: the chain itself
fixes the order, and verification compares the order the links give with the stored sequence numbers.
So an edited entry no longer matches its own hash, a deleted one leaves a link to a hash nobody has,
and a moved one sits where its link does not point. The chain head (last seq and hash, kept apart)
catches entries cut from the end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

GENESIS = "0" * 64
"""The `prev_hash` of the first entry."""

CONTENT_FIELDS = (
    "at",
    "actor_user_id",
    "actor_org_id",
    "action",
    "resource",
    "resource_id",
    "request_id",
    "detail",
)
"""The hashed fields of an entry."""

ProblemKind = Literal["edited", "deleted", "broken", "reordered", "forked", "head", "anchor"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One verification finding: what happened at which sequence number(s)."""

    kind: ProblemKind
    seqs: tuple[int, ...]
    message: str

    def __str__(self) -> str:
        return self.message


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant whitespace, non-ASCII kept: the same bytes on every machine."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the previous hash and the canonical JSON of the entry's hashed fields."""
    body = canonical_json({k: content.get(k) for k in CONTENT_FIELDS})
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


def _seqs(values: Sequence[int]) -> str:
    return ", ".join(str(v) for v in values)


def verify(
    entries: Sequence[Mapping[str, Any]],
    head_seq: int | None = None,
    head_hash: str | None = None,
    anchors: Sequence[tuple[int, str]] = (),
) -> list[Problem]:
    """Every problem in `entries` (mappings with `seq`, `prev_hash`, `hash` and the hashed fields).

    `head_seq`/`head_hash` are the chain head as stored apart (None: not checked). `anchors` are
    (seq, hash) pairs recorded outside the database earlier (e.g. printed by `audit verify` and kept):
    someone able to rewrite the log and recompute every hash after an anchor is still caught there.
    An empty list means the log is intact: each entry matches its hash, links to the one before it,
    and sequence numbers run 1, 2, 3... up to the head.
    """
    rows = sorted(entries, key=lambda e: int(e["seq"]))
    problems: list[Problem] = []
    edited = [int(e["seq"]) for e in rows if entry_hash(str(e["prev_hash"]), e) != e["hash"]]
    if edited:
        problems.append(
            Problem("edited", tuple(edited), f"entry seq {_seqs(edited)}: content does not match its hash")
        )
    problems += _link_problems(rows)
    problems += _head_problems(rows, head_seq, head_hash)
    hashes = {int(e["seq"]): str(e["hash"]) for e in rows}
    for seq, digest in anchors:
        if hashes.get(seq) != digest:
            problems.append(
                Problem("anchor", (seq,), f"entry seq {seq} no longer has the hash recorded for it")
            )
    return problems


def _link_problems(rows: Sequence[Mapping[str, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    by_hash = {str(e["hash"]): e for e in rows}
    children: dict[str, list[int]] = {}
    for e in rows:
        children.setdefault(str(e["prev_hash"]), []).append(int(e["seq"]))
    for prev, seqs in children.items():
        if len(seqs) > 1:
            problems.append(
                Problem("forked", tuple(seqs), f"entries seq {_seqs(seqs)} all follow {prev[:12]}")
            )
    # Deletions: a link to a hash no entry has (or a first entry that is not the genesis), and seq gaps.
    expected_seq = 1
    for e in rows:
        seq = int(e["seq"])
        prev = str(e["prev_hash"])
        if seq > expected_seq:
            gone = tuple(range(expected_seq, seq))
            problems.append(
                Problem("deleted", gone, f"entry seq {_seqs(gone)} deleted (missing before seq {seq})")
            )
        elif prev != GENESIS and prev not in by_hash and seq == expected_seq:
            msg = (
                f"entry seq {seq} does not link to seq {seq - 1}: seq {seq - 1} was rewritten, or entries "
                f"before seq {seq} were deleted and the rest renumbered"
            )
            problems.append(Problem("broken", (seq,), msg))
        expected_seq = seq + 1
    # Reordering: the order the links give, against the stored order.
    order = _chain_order(rows, by_hash)
    stored = [int(e["seq"]) for e in rows]
    moved = sorted(s for s, t in zip(stored, order, strict=True) if s != t)
    if moved:
        problems.append(Problem("reordered", tuple(moved), f"entry seq {_seqs(moved)} out of chain order"))
    return problems


def _chain_order(rows: Sequence[Mapping[str, Any]], by_hash: Mapping[str, Mapping[str, Any]]) -> list[int]:
    """Sequence numbers in the order the hash links give (segments broken by deletions start in seq order)."""
    next_of: dict[str, Mapping[str, Any]] = {}
    for e in rows:
        next_of.setdefault(str(e["prev_hash"]), e)
    starts = [e for e in rows if str(e["prev_hash"]) == GENESIS or str(e["prev_hash"]) not in by_hash]
    order: list[int] = []
    seen: set[int] = set()
    for start in [*starts, *rows]:
        cur: Mapping[str, Any] | None = start
        while cur is not None and int(cur["seq"]) not in seen:
            seen.add(int(cur["seq"]))
            order.append(int(cur["seq"]))
            cur = next_of.get(str(cur["hash"]))
    return order


def _head_problems(
    rows: Sequence[Mapping[str, Any]], head_seq: int | None, head_hash: str | None
) -> list[Problem]:
    if head_seq is None:
        return []
    last_seq = int(rows[-1]["seq"]) if rows else 0
    last_hash = str(rows[-1]["hash"]) if rows else GENESIS
    if head_seq > last_seq:
        gone = tuple(range(last_seq + 1, head_seq + 1))
        return [
            Problem("deleted", gone, f"entry seq {_seqs(gone)} deleted from the end (head is seq {head_seq})")
        ]
    known = {str(e["hash"]) for e in rows}
    if head_seq < last_seq or (head_hash != last_hash and head_hash not in known):  # moved last: "reordered"
        return [
            Problem("head", (last_seq,), f"the chain head (seq {head_seq}) does not match the last entry")
        ]
    return []
