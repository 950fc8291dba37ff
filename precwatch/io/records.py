"""Read input records for identification, never losing one: each line is a record or a reject.

Formats (chosen from the file extension, or forced):
  - ``jsonl``: one JSON object per line with ``id`` and ``text``;
  - ``csv``: a header row; the text is in ``--column`` and the id in ``id`` (or the data row number);
  - ``text``: one record per line, ``id`` = line number starting at 1.
Blank lines are not records. Everything else that cannot be used becomes a `Reject` naming the file,
line, field and reason.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

FORMATS = ("jsonl", "csv", "text")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv"}


class InputError(Exception):
    """The input cannot be used at all (missing file, unknown column, ...)."""


@dataclass(frozen=True, slots=True)
class InputRecord:
    id: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Reject:
    file: str
    line: int
    field: str | None
    reason: str
    raw: str

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "reason": self.reason,
            "raw": self.raw,
        }


def detect_format(path: str) -> str:
    return _EXTENSIONS.get(Path(path).suffix.lower(), "text")


def open_input(path: str) -> tuple[BinaryIO, int | None]:
    """The input as a binary stream and its size in bytes (None for standard input)."""
    if path == "-":
        return sys.stdin.buffer, None
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        return p.open("rb"), p.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc


def read_records(
    stream: Iterable[bytes], name: str, fmt: str, column: str | None = None, id_column: str = "id"
) -> Iterator[InputRecord | Reject]:
    """Records and rejects, in input order."""
    if fmt == "jsonl":
        return _jsonl(stream, name)
    if fmt == "csv":
        return _csv(stream, name, column, id_column)
    if fmt == "text":
        return _text(stream, name)
    raise InputError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


def _decoded(stream: Iterable[bytes], name: str) -> Iterator[tuple[int, str | Reject]]:
    for n, raw in enumerate(stream, start=1):
        try:
            yield n, raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            shown = raw.decode("utf-8", "replace").rstrip("\r\n")
            yield n, Reject(name, n, None, f"not valid UTF-8 (byte {exc.start})", shown)


def _text(stream: Iterable[bytes], name: str) -> Iterator[InputRecord | Reject]:
    for n, line in _decoded(stream, name):
        if isinstance(line, Reject):
            yield line
        elif line.strip():
            yield InputRecord(str(n), line.lstrip("\ufeff") if n == 1 else line, n)


def _jsonl(stream: Iterable[bytes], name: str) -> Iterator[InputRecord | Reject]:
    for n, line in _decoded(stream, name):
        if isinstance(line, Reject):
            yield line
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line.lstrip("\ufeff") if n == 1 else line)
        except json.JSONDecodeError as exc:
            yield Reject(name, n, None, f"not valid JSON: {exc.msg} at column {exc.colno}", line)
            continue
        if not isinstance(obj, dict):
            yield Reject(name, n, None, f"expected a JSON object, got {type(obj).__name__}", line)
            continue
        rid, text = obj.get("id"), obj.get("text")
        if rid is None or (isinstance(rid, str) and not rid.strip()):
            yield Reject(name, n, "id", "missing id", line)
        elif not isinstance(rid, (str, int)) or isinstance(rid, bool):
            yield Reject(name, n, "id", f"id must be a string or integer, got {type(rid).__name__}", line)
        elif text is None:
            yield Reject(name, n, "text", "missing text", line)
        elif not isinstance(text, str):
            yield Reject(name, n, "text", f"text must be a string, got {type(text).__name__}", line)
        else:
            yield InputRecord(str(rid), text, n)


def _csv(
    stream: Iterable[bytes], name: str, column: str | None, id_column: str
) -> Iterator[InputRecord | Reject]:
    bad: dict[int, Reject] = {}

    def lines() -> Iterator[str]:
        for n, line in _decoded(stream, name):
            if isinstance(line, Reject):
                bad[n] = line
                yield line.raw + "\n"
            else:
                yield line + "\n"

    reader = csv.reader(lines())
    try:
        header = next(reader)
    except StopIteration:
        return
    header = [h.lstrip("\ufeff").strip() for h in header]
    col = column or ("text" if "text" in header else None)
    if col is None or col not in header:
        wanted = f"column {col!r}" if col else "a text column (use --column)"
        raise InputError(f"{name}: line 1: no {wanted}; columns are: {', '.join(header)}")
    ti = header.index(col)
    ii = header.index(id_column) if id_column in header else None
    first = 2
    for row in reader:
        last = reader.line_num
        line_no = first
        first = last + 1
        raw = ",".join(row)
        broken = next((bad[k] for k in range(line_no, last + 1) if k in bad), None)
        if broken:
            yield Reject(name, line_no, col, broken.reason, raw)
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Reject(name, line_no, None, f"expected {len(header)} fields, found {len(row)}", raw)
            continue
        rid = row[ii].strip() if ii is not None else str(line_no - 1)
        if not rid:
            yield Reject(name, line_no, id_column, "missing id", raw)
            continue
        yield InputRecord(rid, row[ti], line_no)


def lines_of(text: str) -> io.BytesIO:
    """A binary stream over `text` (for tests and library callers holding strings)."""
    return io.BytesIO(text.encode("utf-8"))
