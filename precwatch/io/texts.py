"""Read input records for identification, never losing one: each record is identified or rejected.

Tabular inputs (CSV, TSV, JSON Lines, Parquet) go through the same reader as `screen`
(`precwatch.io.table_readers` over `precwatch.io.formats`), so encodings, dialects, BOMs, stray quotes and
binary data behave the same in both commands. The text is in ``--column`` (default: ``text``, else a common
name: ``description``, ``body``, ``content``, ``title``, ``name``), a structure in ``--smiles-column`` (JSONL:
``smiles``, ``inchi`` or ``molblock``), the id in ``--id-column`` (default ``id``; CSV without one: the data
row number). Line formats: ``text`` (one record per line, id = line number), ``smi`` (a SMILES and an
optional id), ``sdf`` (MOL blocks separated by ``$$$$``). A file with neither a text nor a structure column
is refused, naming the columns it has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from precwatch.io.formats import Source
from precwatch.io.records import STRUCTURE_FIELDS, InputError, InputRecord, Reject
from precwatch.io.table_readers import bounded_lines, jsonl_objects, not_decoded, read_table, too_long

TEXT_NAMES = ("text", "description", "body", "content", "title", "name")
"""Where the text is when --column is not given, in this order of preference."""


def read_records(
    source: Source,
    *,
    column: str | None = None,
    id_column: str = "id",
    smiles_column: str | None = None,
    delimiter: str | None = None,
) -> Iterator[InputRecord | Reject]:
    """Records and rejects of `source`, in input order; InputError at once when it cannot be used."""
    fmt = source.format
    if fmt == "text":
        return _text(source)
    if fmt == "smi":
        return _smi(source)
    if fmt == "sdf":
        return _sdf(source, id_column)
    jsonl = fmt == "jsonl"
    resolve = _resolver(source.name, column, id_column, smiles_column, jsonl=jsonl)
    if jsonl:
        wanted, objects = jsonl_objects(source, resolve)
        return _jsonl_records(objects, wanted, source.name, id_column)
    rows = read_table(source, resolve, delimiter=delimiter)
    return _records(rows, source.name, jsonl=jsonl, id_column=id_column)


def _resolver(
    name: str, column: str | None, id_column: str, smiles_column: str | None, *, jsonl: bool
) -> Callable[[list[str]], dict[str, str]]:
    """What `read_table` calls with the columns (or JSON keys) found: the record field each one fills."""
    chosen: dict[str, str] = {}

    def resolve(found: list[str]) -> dict[str, str]:
        lower = {c.casefold(): c for c in reversed(found)}
        if column is not None and column not in found:
            raise InputError(f"{name}: no column {column!r}; the columns found are: {', '.join(found)}")
        if smiles_column is not None and smiles_column not in found:
            raise InputError(
                f"{name}: no column {smiles_column!r}; the columns found are: {', '.join(found)}"
            )
        text = column or next((lower[n] for n in TEXT_NAMES if n in lower), None)
        if text is not None:
            chosen["text"] = text
        if smiles_column is not None:
            chosen["smiles"] = smiles_column
        if jsonl:
            chosen.update({f: f for f in STRUCTURE_FIELDS if f in found and f not in chosen})
        if id_column in found:
            chosen["id"] = id_column
        if not set(chosen) - {"id"}:
            raise InputError(
                f"{name}: no text or structure column (use --column or --smiles-column); "
                f"the columns found are: {', '.join(found) or '(none)'}"
            )
        if jsonl:
            # a later record may carry the contract's other key (text or a structure) than the first ones
            chosen.setdefault("text", "text")
            chosen.update({f: f for f in STRUCTURE_FIELDS if f not in chosen})
        return dict(chosen)

    return resolve


def _jsonl_records(objects: Iterator[tuple[int, dict[str, object]] | Reject], wanted: list[tuple[str, str]],
                   name: str, id_column: str) -> Iterator[InputRecord | Reject]:  # fmt: skip
    """`_records` of JSON objects: the common record read straight off the object, any other one from
    the wanted fields (`(field, key)` pairs) as `_record` reads a row."""
    where = dict(wanted)
    text_key, id_key = where["text"], where.get("id")
    structure_keys = [where[f] for f in STRUCTURE_FIELDS if f in where]
    for item in objects:
        if isinstance(item, Reject):
            yield item
            continue
        line, obj = item
        get = obj.get
        rid = get(id_key) if id_key is not None else None
        text = get(text_key)
        if type(rid) is str and type(text) is str and obj.keys().isdisjoint(structure_keys) and rid.strip():
            yield InputRecord(rid.strip(), text, line)  # `_plain`'s commonest record, checked inline
            continue
        yield _plain(rid, text, line, get, structure_keys) or _record(
            {f: get(c) for f, c in wanted}, line, 0, name, jsonl=True, id_column=id_column
        )


def _records(rows: Iterator[tuple[int, dict[str, object]] | Reject], name: str, *, jsonl: bool,
             id_column: str) -> Iterator[InputRecord | Reject]:  # fmt: skip
    data_row = 0
    for item in rows:
        if isinstance(item, Reject):
            yield item
            continue
        line, row = item
        data_row += 1
        get = row.get
        yield _plain(get("id"), get("text"), line, get, STRUCTURE_FIELDS) or _record(
            row, line, data_row, name, jsonl=jsonl, id_column=id_column
        )


_STRUCTURE_ORDER = ("smiles", *STRUCTURE_FIELDS)


def _plain(
    rid: object, text: object, line: int, get: Callable[[str], object], structure_keys: Sequence[str]
) -> InputRecord | None:
    """The common record: a string id, a string text and no value under any of `structure_keys` (read by
    `get`); None for any other, which `_record` checks in full."""
    if type(rid) is str and type(text) is str and rid.strip():
        for key in structure_keys:
            value = get(key)
            if value is not None and value != "":
                return None
        return InputRecord(rid.strip(), text, line)
    return None


def _record(
    row: dict[str, object], line: int, data_row: int, name: str, *, jsonl: bool, id_column: str
) -> InputRecord | Reject:
    """One row as a record, or the reject that says why it cannot be one."""
    rid: object = row.get("id")
    if rid is None and "id" not in row and not jsonl:
        rid = str(data_row)
    text = row.get("text")
    structure = next(((f, row[f]) for f in _STRUCTURE_ORDER if row.get(f) not in (None, "")), None)
    if isinstance(rid, float) and rid.is_integer():
        rid = int(rid)
    if rid is None or (isinstance(rid, str) and not rid.strip()):
        return Reject(name, line, id_column, "missing id", _raw(row), "missing-id")
    if not isinstance(rid, (str, int)) or isinstance(rid, bool):
        why = f"id must be a string or integer, got {type(rid).__name__}"
        return Reject(name, line, id_column, why, _raw(row), "unusable-field")
    if text is None and structure is None:
        why = "missing text (or a smiles, inchi or molblock structure)"
        return Reject(name, line, "text", why, _raw(row), "missing-text")
    if text is not None and not isinstance(text, str):
        why = f"text must be a string, got {type(text).__name__}"
        return Reject(name, line, "text", why, _raw(row), "unusable-field")
    if structure is not None and not isinstance(structure[1], str):
        field, value = structure
        why = f"{field} must be a string, got {type(value).__name__}"
        return Reject(name, line, field, why, _raw(row), "unusable-field")
    if structure is not None:
        return InputRecord(str(rid).strip(), text or "", line, str(structure[1]).strip(), structure[0])
    return InputRecord(str(rid).strip(), text or "", line)


def _raw(row: dict[str, object]) -> str:
    """A rejected row as shown to the user: its fields that have a value."""
    return str({k: v for k, v in row.items() if v is not None})[:2000]


def _lines(source: Source) -> Iterator[tuple[int, str | Reject]]:
    try:
        for n, (raw, size) in enumerate(bounded_lines(source), start=1):
            if size > len(raw):
                yield n, too_long(source, n, raw)
                continue
            try:
                yield n, source.decode(raw).rstrip("\r\n")
            except UnicodeDecodeError as exc:
                yield n, not_decoded(source, n, raw, exc)
    finally:
        source.close()


def _text(source: Source) -> Iterator[InputRecord | Reject]:
    for n, line in _lines(source):
        if isinstance(line, Reject):
            yield line
        elif line.strip():
            yield InputRecord(str(n), line, n)


def _smi(source: Source) -> Iterator[InputRecord | Reject]:
    for n, line in _lines(source):
        if isinstance(line, Reject):
            yield line
            continue
        parts = line.split(None, 1)
        if not parts or parts[0].startswith("#"):
            continue
        rid = parts[1].strip() if len(parts) > 1 and parts[1].strip() else str(n)
        yield InputRecord(rid, "", n, parts[0], "smiles")


def _sdf(source: Source, id_column: str) -> Iterator[InputRecord | Reject]:
    block: list[str] = []
    start, count = 1, 0
    broken: Reject | None = None
    for n, line in _lines(source):
        if isinstance(line, Reject):
            broken = broken or line
            block.append(line.raw)
            continue
        if line.strip() != "$$$$":
            block.append(line)
            continue
        count += 1
        yield _sdf_record(block, source.name, start, count, id_column=id_column, broken=broken)
        block, start, broken = [], n + 1, None
    if any(b.strip() for b in block):
        count += 1
        yield _sdf_record(block, source.name, start, count, id_column=id_column, broken=broken)


def _sdf_record(
    block: list[str], name: str, line: int, count: int, *, id_column: str, broken: Reject | None
) -> InputRecord | Reject:
    raw = "\n".join(block)
    if broken is not None:
        return Reject(name, broken.line, "molblock", broken.reason, raw, broken.code)
    end = next((i for i, b in enumerate(block) if b.strip() == "M  END"), None)
    if end is None:
        return Reject(name, line, "molblock", "MOL block has no 'M  END' line", raw, "structure")
    rid = ""
    for i, b in enumerate(block[end + 1 :], start=end + 1):
        if b.startswith(">") and f"<{id_column}>" in b and i + 1 < len(block):
            rid = block[i + 1].strip()
            break
    rid = rid or block[0].strip() or str(count)
    return InputRecord(rid, "", line, "\n".join(block[: end + 1]) + "\n", "molblock")
