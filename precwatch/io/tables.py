"""Stream declarations and listings to screen from CSV, JSON Lines or Parquet, never losing a record.

`read_raw` yields each input record as a `RawRow` (its line and its fields under their canonical names)
or as a `Reject` (file, line, field, reason, raw text); `parse_rows` validates the rows into
Declarations or Listings (`precwatch.core.screening.fields`), turning each unusable field into a Reject.
So every record read is either screened or rejected: read = scored + rejected.

Memory stays bounded whatever the file size: CSV and JSONL are read line by line (one CSV record may span
lines inside a quoted field; one quoted field is capped at `csv.field_size_limit()` characters), Parquet
in record batches. A CSV record broken by a stray quote is rejected at the line where it starts, and the
lines it swallowed are read again as records.

Column names: the input must use the canonical names (`DECLARATION_FIELDS`, `LISTING_FIELDS`), or a
mapping {canonical name: column in the file} says where each one is (`--map "hs_code=HS Code"` or a
mapping file); mapping a name to nothing (``port_of_loading=``, or null in YAML/JSON) says the file has
no such column.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from precwatch.core.screening.fields import FieldError, declaration_from_row, listing_from_row
from precwatch.core.screening.records import Kind, ScreenRecord
from precwatch.io.mapping import check_mapping, fields_of
from precwatch.io.records import InputError, Reject, open_input

RawRow = tuple[int, dict[str, object]]
"""One input record: the line (CSV/JSONL) or row number (Parquet) where it starts, and its fields."""

SCREEN_FORMATS = ("csv", "tsv", "jsonl", "parquet")
_EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".parquet": "parquet", ".pq": "parquet",
}  # fmt: skip
_PARQUET_BATCH = 8192
MAX_LINE_BYTES = 16 * 1024 * 1024
"""A longer line is rejected (its first bytes shown) and skipped, so one broken line cannot fill memory."""
_SHOWN = 1000
_Line = tuple[int, str, str | None, str | None]
"""A CSV line as read: its number, the text fed to the csv module, what is wrong with it, the text shown."""


@dataclass(slots=True)
class Progress:
    """How far a reader got: `done` of `total` (None when unknown, e.g. standard input) in `unit`."""

    unit: str
    total: int | None
    done: int = 0


class RawRows(Iterator[RawRow | Reject]):
    """The rows of one input in order, with a `progress` a progress bar can follow."""

    def __init__(self, rows: Iterator[RawRow | Reject], progress: Progress) -> None:
        self._rows = rows
        self.progress = progress

    def __next__(self) -> RawRow | Reject:
        return next(self._rows)


def detect_screen_format(path: str, fmt: str | None = None) -> str:
    """The input format: `fmt` if given, else from the extension, else sniffed from the first bytes."""
    if fmt is not None:
        if fmt not in SCREEN_FORMATS:
            raise InputError(f"unknown format {fmt!r}: expected one of {', '.join(SCREEN_FORMATS)}")
        return fmt
    found = _EXTENSIONS.get(Path(path).suffix.lower()) if path != "-" else None
    if found is not None:
        return found
    if path == "-":
        head = sys.stdin.buffer.peek(64)[:64] if hasattr(sys.stdin.buffer, "peek") else b""
    else:
        with open_input(path)[0] as stream:
            head = stream.read(64)
    if head.startswith(b"PAR1"):
        return "parquet"
    return "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"


def input_size(path: str, fmt: str | None = None) -> tuple[int | None, str]:
    """The size a progress bar counts up to: (bytes, "bytes") for CSV/JSONL, (rows, "rows") for Parquet."""
    if detect_screen_format(path, fmt) == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows), "rows"
    if path == "-":
        return None, "bytes"
    try:
        return Path(path).stat().st_size, "bytes"
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from exc


def read_raw(
    path: str, fmt: str | None, *, kind: Kind, mapping: Mapping[str, str | None] | None = None
) -> tuple[RawRows, int | None]:
    """The records of `path` ('-' = standard input) as RawRows and Rejects, and the input's size.

    The size (None when unknown) is in `rows.progress.unit`: bytes for CSV/JSONL, rows for Parquet.
    Raises InputError at once when the input cannot be used: a missing file, a CSV header or Parquet
    schema without the needed columns, an unknown mapping field.
    """
    fields = fields_of(kind)
    columns = {f: f for f in fields} | check_mapping(mapping or {}, kind)
    if columns["id"] is None:
        raise InputError("mapping: id cannot be mapped to nothing: every record needs one")
    fmt = detect_screen_format(path, fmt)
    name = "<stdin>" if path == "-" else path
    if fmt == "parquet":
        if path == "-":
            raise InputError("Parquet cannot be read from standard input: give a file")
        progress, rows = _parquet(path, fields, columns)
    else:
        stream, size = open_input(path)
        progress = Progress("bytes", size)
        try:
            if fmt == "jsonl":
                rows = _jsonl(stream, name, fields, columns, progress)
            else:
                rows = _Csv(stream, name, fields, columns, progress, "\t" if fmt == "tsv" else ",").rows()
        except InputError:
            _close(stream)
            raise
    return RawRows(rows, progress), progress.total


def _bounded_lines(stream: BinaryIO) -> Iterator[tuple[bytes, int]]:
    """Each line's bytes and its size; a line longer than `MAX_LINE_BYTES` comes clipped to that length
    (size > len(bytes)) and the rest of it is skipped."""
    readline, limit = stream.readline, MAX_LINE_BYTES
    while raw := readline(limit):
        if len(raw) < limit or raw.endswith(b"\n"):
            yield raw, len(raw)
            continue
        size = len(raw)
        while more := readline(limit):
            size += len(more)
            if more.endswith(b"\n"):
                break
        yield raw, size


def _close(stream: BinaryIO) -> None:
    """Close an input file, never standard input."""
    if stream is not sys.stdin.buffer:
        stream.close()


def _locate_columns(
    name: str, found: list[str], fields: tuple[str, ...], columns: Mapping[str, str | None]
) -> dict[str, int]:
    """Where each canonical field is among `found` (exact name first, then ignoring case and spaces);
    InputError naming every missing one and the columns found."""
    exact = {c: i for i, c in reversed(list(enumerate(found)))}
    loose = {" ".join(c.casefold().split()): i for i, c in reversed(list(enumerate(found)))}
    where: dict[str, int] = {}
    missing: list[str] = []
    for f in fields:
        col = columns.get(f)
        if col is None:
            continue
        i = exact.get(col, loose.get(" ".join(col.casefold().split())))
        if i is None:
            missing.append(f if col == f else f"{f} (as {col!r})")
        else:
            where[f] = i
    if missing:
        raise InputError(
            f"{name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"the columns found are: {', '.join(found) or '(none)'}. Rename them with --map "
            f'"field=column" (or a mapping file), or map a field to nothing ("field=") if the file has none.'
        )
    return where


class _Csv:
    """CSV records with the line each starts at; a record broken by a stray quote is re-read line by line."""

    def __init__(
        self,
        stream: BinaryIO,
        name: str,
        fields: tuple[str, ...],
        columns: Mapping[str, str | None],
        progress: Progress,
        delimiter: str,
    ) -> None:
        self.stream, self.name, self.progress, self.delimiter = stream, name, progress, delimiter
        self.lines = _bounded_lines(stream)
        self.back: list[_Line] = []
        self.buf: list[_Line] = []
        self.n = 0
        self.reader = self._reader()
        try:
            header = self._next()
        except StopIteration:
            raise InputError(f"{name}: empty file, expected a header row") from None
        except csv.Error as exc:
            raise InputError(f"{name}: line 1: unreadable header: {exc}") from exc
        problem = next((b[2] for b in self.buf if b[2] is not None), None)
        if problem is not None:
            raise InputError(f"{name}: unusable header: {problem}")
        self.header = [h.strip() for h in header]
        self.where = _locate_columns(name, self.header, fields, columns)
        self.by_index = {i: f for f, i in self.where.items()}

    def _feed(self) -> Iterator[str]:
        """Decoded lines for the csv module, each noted in `buf` as (line number, text, problem or None).

        A line that is not UTF-8 is fed with replacement characters, an over-long one as an empty line;
        either way the record holding it becomes a reject.
        """
        while True:
            if self.back:
                item = self.back.pop()
            else:
                got = next(self.lines, None)
                if got is None:
                    return
                raw, size = got
                self.n += 1
                self.progress.done += size
                if size > len(raw):
                    shown = raw[:_SHOWN].decode("utf-8", "replace") + "…"
                    item = (self.n, "\n", f"line {self.n} is longer than {len(raw)} bytes", shown)
                else:
                    try:
                        item = (self.n, raw.decode("utf-8"), None, None)
                    except UnicodeDecodeError as exc:
                        text = raw.decode("utf-8", "replace")
                        item = (self.n, text, f"not valid UTF-8 (line {self.n}, byte {exc.start})", None)
                if self.n == 1:
                    item = (1, item[1].removeprefix("\ufeff"), item[2], item[3])
            self.buf.append(item)
            yield item[1]

    def _reader(self) -> Iterator[list[str]]:
        return csv.reader(self._feed(), delimiter=self.delimiter, strict=True)

    def _next(self) -> list[str]:
        self.buf.clear()
        return next(self.reader)

    def rows(self) -> Iterator[RawRow | Reject]:
        width, where, name = len(self.header), list(self.where.items()), self.name
        id_at = self.where.get("id", 0)
        try:
            while True:
                try:
                    row = self._next()
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield self._resync(str(exc))
                    continue
                buf = self.buf
                start = buf[0][0]
                if len(buf) > 1 or buf[0][2] is not None:
                    bad = next((b[2] for b in buf if b[2] is not None), None)
                    if bad is not None:
                        yield self._bad_line(row, start, bad)
                        continue
                if len(row) != width:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    yield Reject(name, start, None, f"expected {width} fields, found {len(row)}", self._raw())
                    continue
                if not row[id_at].strip() and not any(cell.strip() for cell in row):
                    continue  # a row of empty cells (spreadsheet padding) is no record
                yield start, {f: row[i] for f, i in where}
        finally:
            _close(self.stream)

    def _resync(self, error: str) -> Reject:
        """Reject the first line of a malformed record and read the lines it swallowed again."""
        first, *rest = self.buf
        self.back.extend(reversed(rest))
        self.reader = self._reader()
        span = f" (the record ran to line {rest[-1][0]}: an unbalanced quote?)" if rest else ""
        shown = first[3] if first[3] is not None else first[1].rstrip("\r\n")
        return Reject(self.name, first[0], None, f"malformed CSV: {error}{span}", shown)

    def _raw(self) -> str:
        """The text of the current record as read (over-long lines clipped)."""
        return "".join(b[3] if b[3] is not None else b[1] for b in self.buf).rstrip("\r\n")

    def _bad_line(self, row: list[str], start: int, problem: str) -> Reject:
        field = next((self.by_index.get(i) for i, cell in enumerate(row) if "\ufffd" in cell), None)
        return Reject(self.name, start, field, problem, self._raw())


def _jsonl(
    stream: BinaryIO,
    name: str,
    fields: tuple[str, ...],
    columns: Mapping[str, str | None],
    progress: Progress,
) -> Iterator[RawRow | Reject]:
    keys = [(f, c) for f in fields if (c := columns.get(f)) is not None]
    try:
        for n, (raw, size) in enumerate(_bounded_lines(stream), start=1):
            progress.done += size
            if size > len(raw):
                shown = raw[:_SHOWN].decode("utf-8", "replace") + "…"
                yield Reject(name, n, None, f"line {n} is longer than {len(raw)} bytes", shown)
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                shown = raw.decode("utf-8", "replace").rstrip("\r\n")
                yield Reject(name, n, None, f"not valid UTF-8 (byte {exc.start})", shown)
                continue
            if n == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Reject(name, n, None, f"not valid JSON: {exc.msg} at column {exc.colno}", line.rstrip())
                continue
            except (ValueError, RecursionError) as exc:  # a 5,000-digit number, arrays nested 100,000 deep
                yield Reject(name, n, None, f"unreadable JSON: {str(exc)[:120]}", line.rstrip()[:_SHOWN])
                continue
            if not isinstance(obj, dict):
                kind = type(obj).__name__
                yield Reject(name, n, None, f"expected a JSON object, got {kind}", line.rstrip())
                continue
            yield n, {f: obj.get(c) for f, c in keys}
    finally:
        _close(stream)


def _parquet(
    path: str, fields: tuple[str, ...], columns: Mapping[str, str | None]
) -> tuple[Progress, Iterator[RawRow | Reject]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from exc
    found = list(pf.schema_arrow.names)
    where = _locate_columns(path, found, fields, columns)
    names = [found[i] for i in where.values()]
    progress = Progress("rows", int(pf.metadata.num_rows))

    def rows() -> Iterator[RawRow | Reject]:
        n = 0
        try:
            for batch in pf.iter_batches(batch_size=_PARQUET_BATCH, columns=names):
                values = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
                for cells in zip(*values, strict=True):
                    n += 1
                    yield n, dict(zip(where, cells, strict=True))
                progress.done = n
        except pa.ArrowException as exc:
            raise InputError(f"{path}: row group after row {n}: unreadable Parquet data: {exc}") from exc
        finally:
            pf.close()

    return progress, rows()


def parse_rows(
    rows: Iterable[RawRow | Reject], kind: Kind, file_name: str
) -> Iterator[ScreenRecord | Reject]:
    """Validated records, in input order; a row with an unusable field becomes a Reject naming it."""
    build = declaration_from_row if kind == "declarations" else listing_from_row
    for item in rows:
        if isinstance(item, Reject):
            yield item
            continue
        line, row = item
        try:
            yield build(row, line)
        except FieldError as exc:
            raw = json.dumps(row, ensure_ascii=False, default=str)
            yield Reject(file_name, line, exc.field, exc.reason, raw)
