"""Read input records for identification, never losing one: each line is a record or a reject.

Formats (chosen from the file extension, or forced):
  - ``jsonl``: one JSON object per line with ``id`` and ``text`` and/or a structure (``smiles``,
    ``inchi`` or ``molblock``);
  - ``csv``: a header row; the text is in ``--column``, a structure in ``--smiles-column``, the id in
    ``id`` (or the data row number);
  - ``text``: one record per line, ``id`` = line number starting at 1;
  - ``smi``: one SMILES per line, optionally followed by whitespace and an id (else the line number);
  - ``sdf``: MOL blocks separated by ``$$$$``; the id is the ``--id-column`` data item, else the title
    line, else the record number (a ``.mol`` file is one such block).
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

FORMATS = ("jsonl", "csv", "text", "smi", "sdf")
_EXTENSIONS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv",
    ".smi": "smi", ".smiles": "smi", ".sdf": "sdf", ".mol": "sdf", ".sd": "sdf",
}  # fmt: skip
STRUCTURE_FIELDS = ("smiles", "inchi", "molblock")
"""JSONL fields that carry a structure, and the structure format each holds."""


class InputError(Exception):
    """The input cannot be used at all (missing file, unknown column, ...)."""


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One usable input record: free text, a structure, or both.

    `structure_format` names the field the structure came from (smiles, inchi, molblock), which is
    also the field a reject names when the structure turns out unreadable.
    """

    id: str
    text: str
    line: int
    structure: str | None = None
    structure_format: str | None = None


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that could not be used: where it is, which field, why (in words), its raw text, and
    `code`, the kind of reason the summary counts (`REJECT_CODES`)."""

    file: str
    line: int
    field: str | None
    reason: str
    raw: str
    code: str = "unusable-field"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "code": self.code,
            "reason": self.reason,
            "raw": self.raw,
        }


REJECT_CODES: dict[str, str] = {
    "encoding": "the line is not in the input's encoding",
    "line-too-long": "a line longer than the reader's limit",
    "text-too-long": "the record's text is longer than --max-text-bytes",
    "malformed-csv": "a CSV record broken by a stray quote",
    "field-count": "a CSV row with more or fewer cells than the header",
    "invalid-json": "a line that is not JSON",
    "not-an-object": "a JSON line that is not an object",
    "no-id-or-text": "a record with neither an id nor any text",
    "missing-id": "a record without an id (identify)",
    "missing-text": "a record without text or a structure (identify)",
    "unusable-field": "the id or text has an unusable type",
    "structure": "a structure that cannot be read (identify)",
}
"""Every reject code, as the summary JSON counts them, with what it means."""


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
    stream: Iterable[bytes],
    name: str,
    *,
    fmt: str,
    column: str | None = None,
    id_column: str = "id",
    smiles_column: str | None = None,
) -> Iterator[InputRecord | Reject]:
    """Records and rejects, in input order."""
    if fmt == "jsonl":
        return _jsonl(stream, name)
    if fmt == "csv":
        return _csv(stream, name, column, id_column, smiles_column)
    if fmt == "text":
        return _text(stream, name)
    if fmt == "smi":
        return _smi(stream, name)
    if fmt == "sdf":
        return _sdf(stream, name, id_column)
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
        structure = next(((f, obj[f]) for f in STRUCTURE_FIELDS if obj.get(f) is not None), None)
        if rid is None or (isinstance(rid, str) and not rid.strip()):
            yield Reject(name, n, "id", "missing id", line)
        elif not isinstance(rid, (str, int)) or isinstance(rid, bool):
            yield Reject(name, n, "id", f"id must be a string or integer, got {type(rid).__name__}", line)
        elif text is None and structure is None:
            yield Reject(name, n, "text", "missing text (or a smiles, inchi or molblock structure)", line)
        elif text is not None and not isinstance(text, str):
            yield Reject(name, n, "text", f"text must be a string, got {type(text).__name__}", line)
        elif structure is not None and not isinstance(structure[1], str):
            field, value = structure
            yield Reject(name, n, field, f"{field} must be a string, got {type(value).__name__}", line)
        elif structure is not None and not structure[1].strip():
            yield Reject(name, n, structure[0], f"empty {structure[0]}", line)
        elif structure is not None:
            yield InputRecord(str(rid), text or "", n, structure[1], structure[0])
        else:
            yield InputRecord(str(rid), text or "", n)


def _smi(stream: Iterable[bytes], name: str) -> Iterator[InputRecord | Reject]:
    for n, line in _decoded(stream, name):
        if isinstance(line, Reject):
            yield line
            continue
        parts = line.lstrip("\ufeff").split(None, 1)
        if not parts or parts[0].startswith("#"):
            continue
        rid = parts[1].strip() if len(parts) > 1 and parts[1].strip() else str(n)
        yield InputRecord(rid, "", n, parts[0], "smiles")


def _sdf(stream: Iterable[bytes], name: str, id_column: str) -> Iterator[InputRecord | Reject]:
    block: list[str] = []
    start, count = 1, 0
    broken: Reject | None = None
    for n, line in _decoded(stream, name):
        if isinstance(line, Reject):
            broken = broken or line
            block.append(line.raw)
            continue
        if line.strip() != "$$$$":
            block.append(line)
            continue
        count += 1
        yield _sdf_record(block, name, start, count, id_column, broken)
        block, start, broken = [], n + 1, None
    if any(b.strip() for b in block):
        count += 1
        yield _sdf_record(block, name, start, count, id_column, broken)


def _sdf_record(
    block: list[str], name: str, line: int, count: int, id_column: str, broken: Reject | None
) -> InputRecord | Reject:
    raw = "\n".join(block)
    if broken is not None:
        return Reject(name, broken.line, "molblock", broken.reason, raw)
    end = next((i for i, b in enumerate(block) if b.strip() == "M  END"), None)
    if end is None:
        return Reject(name, line, "molblock", "MOL block has no 'M  END' line", raw)
    rid = ""
    for i, b in enumerate(block[end + 1 :], start=end + 1):
        if b.startswith(">") and f"<{id_column}>" in b and i + 1 < len(block):
            rid = block[i + 1].strip()
            break
    rid = rid or block[0].strip() or str(count)
    return InputRecord(rid, "", line, "\n".join(block[: end + 1]) + "\n", "molblock")


def _csv(
    stream: Iterable[bytes], name: str, column: str | None, id_column: str, smiles_column: str | None = None
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
    if smiles_column is not None and smiles_column not in header:
        raise InputError(f"{name}: line 1: no column {smiles_column!r}; columns are: {', '.join(header)}")
    if (col is None and smiles_column is None) or (col is not None and col not in header):
        wanted = f"column {col!r}" if col else "a text column (use --column or --smiles-column)"
        raise InputError(f"{name}: line 1: no {wanted}; columns are: {', '.join(header)}")
    ti = header.index(col) if col is not None else None
    si = header.index(smiles_column) if smiles_column is not None else None
    ii = header.index(id_column) if id_column in header else None
    first = 2
    for row in reader:
        last = reader.line_num
        line_no = first
        first = last + 1
        raw = ",".join(row)
        broken = next((bad[k] for k in range(line_no, last + 1) if k in bad), None)
        if broken:
            yield Reject(name, line_no, col or smiles_column, broken.reason, raw)
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
        text = row[ti] if ti is not None else ""
        smiles = row[si].strip() if si is not None else ""
        if si is not None and not smiles and not text.strip():
            yield Reject(name, line_no, smiles_column, "empty SMILES", raw)
            continue
        yield InputRecord(rid, text, line_no, smiles or None, "smiles" if smiles else None)


def lines_of(text: str) -> io.BytesIO:
    """A binary stream over `text` (for tests and library callers holding strings)."""
    return io.BytesIO(text.encode("utf-8"))
