"""What a screening or identification run did, as data: the `--summary-json` file of a nightly run.

Counts (read = scored + rejected), rejects by reason code, data-quality issues by field, levels, the
input's encoding and SHA-256, timings, the knowledge-base / policy / watchlist versions, and the ids seen
more than once.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from precwatch.io.records import Reject

DUPLICATES_SHOWN = 20


@dataclass
class RunSummary:
    """Filled in while a run streams its results; `to_dict()` is the summary JSON."""

    command: str
    input: str
    read: int = 0
    written: int = 0
    rejected: int = 0
    levels: Counter[str] = field(default_factory=Counter)
    rejects_by_code: Counter[str] = field(default_factory=Counter)
    data_quality: Counter[str] = field(default_factory=Counter)
    versions: dict[str, Any] = field(default_factory=dict)
    input_info: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    _ids: set[str] = field(default_factory=set)
    duplicate_ids: Counter[str] = field(default_factory=Counter)

    def seen(self, record_id: str) -> None:
        """Note a record's id (a second sighting is a duplicate)."""
        if record_id in self._ids:
            self.duplicate_ids[record_id] += 1
        else:
            self._ids.add(record_id)

    def reject(self, reject: Reject) -> None:
        self.read += 1
        self.rejected += 1
        self.rejects_by_code[reject.code] += 1

    def to_dict(self) -> dict[str, Any]:
        seconds = time.perf_counter() - self.started
        return {
            "command": self.command,
            "input": {"path": self.input, **self.input_info},
            "counts": {
                "read": self.read,
                "scored" if self.command == "screen" else "identified": self.read - self.rejected,
                "rejected": self.rejected,
                "written": self.written,
            },
            "levels": dict(self.levels),
            "rejects_by_reason": dict(self.rejects_by_code),
            "data_quality": {
                "records": self.data_quality.get("*", 0),
                "by_field": {k: v for k, v in self.data_quality.items() if k != "*"},
            },
            "duplicate_ids": {
                "count": sum(self.duplicate_ids.values()),
                "ids": [i for i, _ in self.duplicate_ids.most_common(DUPLICATES_SHOWN)],
            },
            "timings": {
                "seconds": round(seconds, 3),
                "records_per_second": round(self.read / seconds, 1) if seconds > 0 else None,
            },
            "versions": self.versions,
        }

    def write(self, path: str) -> None:
        """Write the summary JSON to `path` (atomically: a temporary file renamed)."""
        with AtomicFile(path) as fh:
            json.dump(self.to_dict(), fh, ensure_ascii=False, indent=2)
            fh.write("\n")


class AtomicFile:
    """A text file written under a temporary name in the same folder, renamed to `path` only on success:
    a killed run never leaves a truncated file that looks complete."""

    def __init__(self, path: str, *, newline: str | None = None) -> None:
        self.path = path
        target = Path(path)
        fd, self.temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline=newline)

    def __enter__(self) -> Any:
        return self.fh

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self.fh.close()
        if kind is None:
            os.replace(self.temp, self.path)
        else:
            Path(self.temp).unlink(missing_ok=True)


def temporary_path(path: str) -> str:
    """A temporary file beside `path` (same folder, so the final rename is atomic)."""
    target = Path(path)
    fd, temp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=target.suffix + ".part", dir=target.parent or "."
    )
    os.close(fd)
    return temp


def file_hashes(paths: tuple[str, ...] | list[str]) -> dict[str, str]:
    """{path: SHA-256} of each file (a watchlist's version is its content)."""
    out: dict[str, str] = {}
    for p in paths:
        digest = hashlib.sha256()
        with Path(p).open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        out[p] = digest.hexdigest()
    return out
