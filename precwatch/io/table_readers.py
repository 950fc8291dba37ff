"""Read the records of a tabular input (CSV, TSV, JSON Lines, Parquet), never losing one.

The one reader behind `screen` (`precwatch.io.tables`) and `identify` (`precwatch.io.records`). Each yields,
in input order, `(line, {name: value})` for every record, or a `Reject` (file, line, field, code, reason,
raw text). `resolve(found columns)` says which column (or JSON key) fills each name, or raises InputError
naming the columns found: it is called once, with the CSV header, the Parquet schema or the keys of the
first JSON lines.

Memory stays bounded whatever the file size: CSV and JSONL are read line by line (one CSV record may span
lines inside a quoted field), Parquet in record batches. A CSV record broken by a stray quote is rejected at
the line where it starts, and the lines it swallowed are read again as records.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson

from precwatch.io.formats import Source, sniff_delimiter
from precwatch.io.records import InputError, Reject

RawRow = tuple[int, dict[str, object]]
"""One input record: the line (CSV/JSONL) or row number (Parquet) where it starts, and its fields."""
Resolve = Callable[[list[str]], dict[str, str]]
"""From the columns found, {name: column} for each name a caller wants (InputError if it cannot)."""

PARQUET_BATCH = 8192
MAX_LINE_BYTES = 16 * 1024 * 1024
"""A longer line is rejected (its first bytes shown) and skipped, so one broken line cannot fill memory."""
JSON_PEEK = 200
"""JSON lines looked at to learn the keys a file uses."""
_SHOWN = 1000
_orjson_loads, _OrjsonError = orjson.loads, orjson.JSONDecodeError
_EXACT = frozenset((str, int, bool, type(None)))
"""Value types orjson reads exactly as `json` does (a float may be an integer beyond 64 bits it rounded)."""
_Line = tuple[int, str, str | None, str | None]
"""A CSV line as read: its number, the text fed to the csv module, what is wrong with it, the text shown."""


def bounded_lines(source: Source) -> Iterator[tuple[bytes, int]]:
    """Each line's bytes and its size; a line longer than `MAX_LINE_BYTES` comes clipped to that length
    (size > len(bytes)) and the rest of it is skipped."""
    readline, limit = source.readline, MAX_LINE_BYTES
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


def too_long(source: Source, n: int, raw: bytes) -> Reject:
    shown = raw[:_SHOWN].decode("utf-8", "replace") + "…"
    return Reject(source.name, n, None, f"line {n} is longer than {len(raw)} bytes", shown, "line-too-long")


def not_decoded(source: Source, n: int, raw: bytes, exc: UnicodeDecodeError) -> Reject:
    shown = raw.decode("utf-8", "replace").rstrip("\r\n")
    why = f"not valid {source.encoding} (byte {exc.start}); give the file's encoding with --encoding"
    return Reject(source.name, n, None, why, shown, "encoding")


def read_table(
    source: Source, resolve: Resolve, *, delimiter: str | None = None
) -> Iterator[RawRow | Reject]:
    """The records of a CSV, TSV, JSONL or Parquet source; InputError at once when it cannot be used."""
    fmt = source.format
    if fmt == "parquet":
        return _parquet(source, resolve)
    if fmt == "jsonl":
        return _jsonl(source, resolve)
    if fmt in ("csv", "tsv"):
        return _Csv(source, resolve, sniff_delimiter(source.head_text(), fmt, delimiter)).rows()
    raise InputError(f"{source.name}: {fmt} is not a table: expected CSV, TSV, JSON Lines or Parquet")


class _Csv:
    """CSV records with the line each starts at; a record broken by a stray quote is re-read line by line."""

    def __init__(self, source: Source, resolve: Resolve, delimiter: str) -> None:
        self.source, self.name, self.delimiter = source, source.name, delimiter
        self.lines = bounded_lines(source)
        self.back: list[_Line] = []
        self.buf: list[_Line] = []
        self.n = 0
        self.reader = self._reader()
        try:
            header = self._next()
        except StopIteration:
            raise InputError(f"{self.name}: empty file, expected a header row") from None
        except csv.Error as exc:
            raise InputError(f"{self.name}: line 1: unreadable header: {exc}") from exc
        problem = next((b[2] for b in self.buf if b[2] is not None), None)
        if problem is not None:
            raise InputError(f"{self.name}: unusable header: {problem}")
        self.header = [h.strip() for h in header]
        index = {c: i for i, c in reversed(list(enumerate(self.header)))}
        self.where = {f: index[c] for f, c in resolve(self.header).items()}
        self.by_index = {i: f for f, i in self.where.items()}

    def _feed(self) -> Iterator[str]:
        """Decoded lines for the csv module, each noted in `buf` as (line number, text, problem or None).

        A line the encoding cannot decode is fed with replacement characters, an over-long one as an
        empty line; either way the record holding it becomes a reject.
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
                if size > len(raw):
                    shown = raw[:_SHOWN].decode("utf-8", "replace") + "…"
                    item = (self.n, "\n", f"line {self.n} is longer than {len(raw)} bytes", shown)
                else:
                    try:
                        item = (self.n, self.source.decode(raw), None, None)
                    except UnicodeDecodeError as exc:
                        text = raw.decode("utf-8", "replace")
                        item = (self.n, text, f"not valid {self.source.encoding} (byte {exc.start})", None)
            self.buf.append(item)
            yield item[1]

    def _reader(self) -> Iterator[list[str]]:
        return csv.reader(self._feed(), delimiter=self.delimiter, strict=True)

    def _next(self) -> list[str]:
        self.buf.clear()
        return next(self.reader)

    def rows(self) -> Iterator[RawRow | Reject]:
        width, where, name = len(self.header), list(self.where.items()), self.name
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
                        code = "line-too-long" if "longer than" in bad else "encoding"
                        yield self._bad_line(row, start, bad, code)
                        continue
                if len(row) != width:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    why = f"expected {width} fields, found {len(row)}"
                    yield Reject(name, start, None, why, self._raw(), "field-count")
                    continue
                if not any(cell.strip() for cell in row):
                    continue  # a row of empty cells (spreadsheet padding) is no record
                yield start, {f: row[i] for f, i in where}
        finally:
            self.source.close()

    def _resync(self, error: str) -> Reject:
        """Reject the first line of a malformed record and read the lines it swallowed again."""
        first, *rest = self.buf
        self.back.extend(reversed(rest))
        self.reader = self._reader()
        span = f" (the record ran to line {rest[-1][0]}: an unbalanced quote?)" if rest else ""
        shown = first[3] if first[3] is not None else first[1].rstrip("\r\n")
        return Reject(self.name, first[0], None, f"malformed CSV: {error}{span}", shown, "malformed-csv")

    def _raw(self) -> str:
        """The text of the current record as read (over-long lines clipped)."""
        return "".join(b[3] if b[3] is not None else b[1] for b in self.buf).rstrip("\r\n")

    def _bad_line(self, row: list[str], start: int, problem: str, code: str) -> Reject:
        field = next((self.by_index.get(i) for i, cell in enumerate(row) if "\ufffd" in cell), None)
        return Reject(self.name, start, field, problem, self._raw(), code)


def _json_line(source: Source, n: int, raw: bytes, size: int) -> dict[str, object] | Reject | None:
    """One JSON line as an object, a Reject, or None for a blank line.

    A UTF-8 line goes to orjson first (several times faster than `json`); whatever orjson refuses (NaN,
    Infinity, lone surrogates, bad UTF-8, blank lines, broken JSON) is read again by the standard library
    below, and so is an object with a float, array or object value (orjson reads an integer beyond 64 bits
    as a float, `json` as the exact integer), so what is accepted, and the reason a line is rejected, are the `json` module's.
    Both give the same dict for every line orjson accepts: same keys in the same order (the last of
    duplicate keys wins), same strings, ints and correctly rounded floats.
    """
    if source.utf8 and size == len(raw):
        try:
            obj = _orjson_loads(raw)
        except _OrjsonError:
            pass
        else:
            if type(obj) is dict and _EXACT.issuperset(map(type, obj.values())):
                return obj
    name = source.name
    if size > len(raw):
        return too_long(source, n, raw)
    try:
        line = source.decode(raw)
    except UnicodeDecodeError as exc:
        return not_decoded(source, n, raw, exc)
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        # json's message for a raw control character ends in "at" already ("Invalid control character at")
        why = f"not valid JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}"
        return Reject(name, n, None, why, line.rstrip()[:_SHOWN], "invalid-json")
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, arrays nested 100,000 deep
        why = f"unreadable JSON: {str(exc)[:120]}"
        return Reject(name, n, None, why, line.rstrip()[:_SHOWN], "invalid-json")
    if not isinstance(obj, dict):
        why = f"expected a JSON object, got {type(obj).__name__}"
        return Reject(name, n, None, why, line.rstrip()[:_SHOWN], "not-an-object")
    return obj


def _jsonl(source: Source, resolve: Resolve) -> Iterator[RawRow | Reject]:
    wanted, objects = jsonl_objects(source, resolve)

    def rows() -> Iterator[RawRow | Reject]:
        for item in objects:
            yield item if isinstance(item, Reject) else (item[0], {f: item[1].get(c) for f, c in wanted})

    return rows()


def jsonl_objects(
    source: Source, resolve: Resolve
) -> tuple[list[tuple[str, str]], Iterator[tuple[int, dict[str, object]] | Reject]]:
    """The fields wanted (`(field, key)` pairs, from `resolve` on the keys of the first `JSON_PEEK`
    objects) and every line's object with its line number, or its reject; InputError at once when the
    source holds no JSON object. The source is closed when the objects are read."""
    lines = enumerate(bounded_lines(source), start=1)
    peeked: list[tuple[int, dict[str, object] | Reject]] = []
    keys: dict[str, None] = {}
    for n, (raw, size) in lines:
        item = _json_line(source, n, raw, size)
        if item is None:
            continue
        peeked.append((n, item))
        if isinstance(item, dict):
            keys.update(dict.fromkeys(item))
            if sum(1 for _, p in peeked if isinstance(p, dict)) >= JSON_PEEK:
                break
    if not peeked:
        source.close()
        raise InputError(f"{source.name}: empty input, expected JSON objects, one per line")
    if not keys:
        source.close()
        first = peeked[0][1]
        why = first.reason if isinstance(first, Reject) else "no JSON object"
        raise InputError(f"{source.name}: not JSON Lines: no JSON object in the first lines ({why})")
    try:
        wanted = list(resolve(list(keys)).items())
    except InputError:
        source.close()
        raise

    def objects() -> Iterator[tuple[int, dict[str, object]] | Reject]:
        try:
            for n, item in peeked:
                yield item if isinstance(item, Reject) else (n, item)
            utf8, loads, exact = source.utf8, _orjson_loads, _EXACT.issuperset
            for n, (raw, size) in lines:
                if utf8 and size == len(raw):  # the common line (`_json_line`'s first step, inline)
                    try:
                        obj = loads(raw)
                    except _OrjsonError:
                        pass
                    else:
                        if type(obj) is dict and exact(map(type, obj.values())):
                            yield n, obj
                            continue
                found = _json_line(source, n, raw, size)
                if found is not None:
                    yield found if isinstance(found, Reject) else (n, found)
        finally:
            source.close()

    return wanted, objects()


def _parquet(source: Source, resolve: Resolve) -> Iterator[RawRow | Reject]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = source.path
    source.close()
    if path == "-":
        raise InputError("Parquet cannot be read from standard input: give a file")
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from exc
    where = resolve(list(pf.schema_arrow.names))
    names = list(dict.fromkeys(where.values()))

    def rows() -> Iterator[RawRow | Reject]:
        n = 0
        try:
            for batch in pf.iter_batches(batch_size=PARQUET_BATCH, columns=names):
                values = {c: batch.column(c).to_pylist() for c in names}
                for i in range(batch.num_rows):
                    n += 1
                    yield n, {f: values[c][i] for f, c in where.items()}
                source.bytes_read = n
        except pa.ArrowException as exc:
            raise InputError(f"{path}: row group after row {n}: unreadable Parquet data: {exc}") from exc
        finally:
            pf.close()

    return rows()


def parquet_rows(path: str) -> int:
    """How many rows a Parquet file holds (a progress bar's total)."""
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)
