"""Load watchlists (OFAC SDN CSV, OpenSanctions FollowTheMoney JSON lines, a simple CSV) into a Watchlist.

Nothing is lost silently: every record of a file becomes an entry, or is skipped for a stated reason that
is counted (`WatchlistFile.skipped`: FtM entities that are not parties, such as Sanction or Address), or
stops the load with a `WatchlistError` naming file, line and field. A watchlist that loads half is worse
than one that does not load.

Formats (`detect_watchlist_format`):
- ``ofac-sdn``: OFAC's ``sdn.csv`` as published: no header, 12 columns (ent_num, SDN_Name, SDN_Type,
  Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks), ``-0-`` for empty,
  programs joined by ``] [``, aliases in Remarks as ``a.k.a. '...'`` (also f.k.a./n.k.a.), a final
  Ctrl-Z (0x1A) end-of-file line. The country is read from Remarks: nationality, then citizenship, then the
  countries of identifiers ("USCC ... (China)"); for vessels, the flag.
- ``csv``: header ``name,aliases,country,program,source`` (optional ``id`` and ``schema``); aliases
  separated by ``;`` or ``|``; country as an ISO alpha-2 code or a name.
- ``ftm``: FollowTheMoney entities, one JSON object a line (OpenSanctions exports); only Company,
  Organization, LegalEntity and Person are loaded.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from precwatch.core.countries import country_code
from precwatch.core.parties.entries import PARTY_SCHEMATA, WatchlistEntry
from precwatch.core.parties.watchlist import Watchlist

SDN_COLUMNS = (
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage", "GRT",
    "Vess_flag", "Vess_owner", "Remarks",
)  # fmt: skip
SDN_TYPES = {"": "LegalEntity", "individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_EMPTY = "-0-"
_ALIAS = re.compile(r"\b[afn]\.k\.a\. '(.+?)'(?=[;.]?\s|[;.]?$)")
_NATIONALITY = re.compile(r"(?:^|; )(?:alt\. )?(nationality|citizen) ([^;]+?)(?=;|\.?$)")
_IN_BRACKETS = re.compile(r"\(([^()]+)\)")
_OFAC_NAMES = {"Palestinian": "PS", "North Macedonia, The Republic of": "MK", "Man, Isle of": "IM"}
"""Country names OFAC writes that the ISO table does not read (Kosovo has no ISO code: left out)."""
FTM_ALIAS_PROPS = ("alias", "previousName", "weakAlias", "abbreviation")
FTM_COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry", "nationality", "citizenship")
SIMPLE_COLUMNS = ("name", "aliases", "country", "program", "source")


class WatchlistError(Exception):
    """A watchlist file that cannot be loaded: the message names file, line and field."""


@dataclass(frozen=True, slots=True)
class WatchlistFile:
    """What one file gave: its entries, how many records it had, and what was skipped and why."""

    path: str
    format: str
    entries: tuple[WatchlistEntry, ...]
    records: int
    skipped: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for a log: records read = entries + skipped."""
        kinds = Counter(e.schema for e in self.entries)
        text = f"{self.path} ({self.format}): {self.records} records, {len(self.entries)} entries"
        text += " (" + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")"
        if self.skipped:
            text += "; skipped " + ", ".join(f"{n} {k}" for k, n in sorted(self.skipped.items()))
        return text


def _fail(path: str, line: int, fld: str, reason: str) -> WatchlistError:
    return WatchlistError(f"{path}:{line}: {fld}: {reason}")


def detect_watchlist_format(path: str) -> str:
    """'ftm' for .jsonl/.ndjson/.json, else 'csv' when the first line is a header naming `name`, else
    'ofac-sdn' when the first record has 12 fields and a numeric ent_num."""
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "ftm"
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            first = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchlistError(f"{path}: cannot read: {exc}") from exc
    if "name" in (c.strip().lower() for c in first):
        return "csv"
    if len(first) == len(SDN_COLUMNS) and first[0].strip().isdigit():
        return "ofac-sdn"
    raise WatchlistError(
        f"{path}:1: unrecognised watchlist: expected OFAC sdn.csv (12 columns, no header), a CSV with a "
        "'name' column, or FollowTheMoney JSON lines (.jsonl)"
    )


def _csv_records(path: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (a quoted field may span lines)."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            start = 1
            for row in reader:
                yield start, row
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise WatchlistError(f"{path}: not UTF-8 text: {exc}") from exc
    except csv.Error as exc:
        raise WatchlistError(f"{path}: CSV error: {exc}") from exc
    except OSError as exc:
        raise WatchlistError(f"{path}: cannot read: {exc}") from exc


def sdn_remarks(remarks: str) -> tuple[tuple[str, ...], str | None]:
    """Aliases (a.k.a./f.k.a./n.k.a.) and the best country hint in an OFAC Remarks field."""
    aliases = tuple(dict.fromkeys(a.strip() for a in _ALIAS.findall(remarks) if a.strip()))
    for kind in ("nationality", "citizen"):
        for found, value in _NATIONALITY.findall(remarks):
            if found == kind and (code := _ofac_country(value)):
                return aliases, code
    hints = Counter(c for v in _IN_BRACKETS.findall(remarks) if (c := _ofac_country(v)))
    return aliases, (hints.most_common(1)[0][0] if hints else None)


def _ofac_country(name: str) -> str | None:
    name = name.strip()
    return _OFAC_NAMES.get(name) or (country_code(name) if len(name) > 2 else None)


def read_ofac_sdn(path: str) -> WatchlistFile:
    """Read OFAC's sdn.csv (see the module docstring); every row becomes an entry or an error."""
    date = re.search(r"\d{4}-\d{2}-\d{2}", Path(path).name)
    source = f"OFAC SDN {date.group()}" if date else f"OFAC SDN {Path(path).name}"
    entries: list[WatchlistEntry] = []
    records = 0
    for line, row in _csv_records(path):
        if row == ["\x1a"]:
            continue  # DOS end-of-file marker OFAC appends
        records += 1
        if len(row) != len(SDN_COLUMNS):
            raise _fail(path, line, "row", f"expected {len(SDN_COLUMNS)} fields, found {len(row)}")
        cells = [("" if c.strip() == _EMPTY else c.strip()) for c in row]
        ent_num, name, kind, program, remarks, flag = (
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[11],
            cells[9],
        )
        if not ent_num.isdigit():
            raise _fail(path, line, "ent_num", f"not a number: {row[0]!r}")
        if not name:
            raise _fail(path, line, "SDN_Name", "empty")
        if kind not in SDN_TYPES:
            raise _fail(path, line, "SDN_Type", f"unknown type {kind!r}")
        aliases, country = sdn_remarks(remarks)
        if kind == "vessel" and flag:
            country = _ofac_country(flag) or country
        programs = ";".join(p.strip(" []") for p in program.split("] [") if p.strip(" []"))
        entries.append(
            WatchlistEntry(f"ofac-sdn-{ent_num}", name, aliases, country, programs, source, SDN_TYPES[kind])
        )
    return WatchlistFile(path, "ofac-sdn", tuple(entries), records)


def read_simple_csv(path: str) -> WatchlistFile:
    """Read a CSV with a header naming at least `name` (and `aliases,country,program,source,id,schema`)."""
    rows = _csv_records(path)
    try:
        _, header = next(rows)
    except StopIteration:
        raise _fail(path, 1, "header", "empty file") from None
    cols = [h.strip().lower() for h in header]
    if "name" not in cols:
        raise _fail(path, 1, "header", f"no 'name' column (expected {','.join(SIMPLE_COLUMNS)})")
    entries: list[WatchlistEntry] = []
    for line, row in rows:
        if not any(c.strip() for c in row):
            raise _fail(path, line, "row", "empty row")
        if len(row) != len(cols):
            raise _fail(path, line, "row", f"expected {len(cols)} fields, found {len(row)}")
        rec = {c: v.strip() for c, v in zip(cols, row, strict=True)}
        if not rec["name"]:
            raise _fail(path, line, "name", "empty")
        country = None
        if rec.get("country"):
            country = country_code(rec["country"])
            if country is None:
                raise _fail(path, line, "country", f"unknown country {rec['country']!r}")
        schema = rec.get("schema") or "LegalEntity"
        aliases = tuple(a.strip() for a in re.split(r"[;|]", rec.get("aliases", "")) if a.strip())
        entries.append(
            WatchlistEntry(
                rec.get("id") or f"{Path(path).stem}-{line}", rec["name"], aliases, country,
                rec.get("program", ""), rec.get("source") or Path(path).name, schema,
            )
        )  # fmt: skip
    return WatchlistFile(path, "csv", tuple(entries), len(entries))


def _strings(props: dict[str, Any], key: str, path: str, line: int) -> list[str]:
    value = props.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, line, f"properties.{key}", "expected a list of strings")
    return [v.strip() for v in value if v.strip()]


def read_ftm(path: str) -> WatchlistFile:
    """Read FollowTheMoney entities (one JSON object a line); parties become entries, others are counted."""
    entries: list[WatchlistEntry] = []
    skipped: Counter[str] = Counter()
    records = 0
    try:
        with open(path, encoding="utf-8") as fh:
            for line, text in enumerate(fh, 1):
                if not text.strip():
                    continue
                records += 1
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise _fail(path, line, "json", str(exc)) from None
                if not isinstance(obj, dict):
                    raise _fail(path, line, "json", "expected an object")
                entry = _ftm_entry(obj, path, line)
                if entry is None:
                    skipped[f"{obj.get('schema')} (not a party)"] += 1
                else:
                    entries.append(entry)
    except UnicodeDecodeError as exc:
        raise WatchlistError(f"{path}: not UTF-8 text: {exc}") from exc
    except OSError as exc:
        raise WatchlistError(f"{path}: cannot read: {exc}") from exc
    return WatchlistFile(path, "ftm", tuple(entries), records, dict(skipped))


def _ftm_entry(obj: dict[str, Any], path: str, line: int) -> WatchlistEntry | None:
    schema, ent_id, props = obj.get("schema"), obj.get("id"), obj.get("properties", {})
    if not isinstance(schema, str) or not schema:
        raise _fail(path, line, "schema", "missing")
    if schema not in PARTY_SCHEMATA:
        return None
    if not isinstance(ent_id, str) or not ent_id:
        raise _fail(path, line, "id", "missing")
    if not isinstance(props, dict):
        raise _fail(path, line, "properties", "expected an object")
    names = _strings(props, "name", path, line)
    if not names:
        raise _fail(path, line, "properties.name", "a party without a name")
    aliases = [*names[1:], *(a for p in FTM_ALIAS_PROPS for a in _strings(props, p, path, line))]
    country = next(
        (c for p in FTM_COUNTRY_PROPS for v in _strings(props, p, path, line) if (c := country_code(v))), None
    )
    programs = _strings(props, "program", path, line) or _strings(props, "programId", path, line)
    program = ";".join(programs or _strings(props, "topics", path, line))
    datasets = obj.get("datasets", [])
    source = ";".join(d for d in datasets if isinstance(d, str)) if isinstance(datasets, list) else ""
    aliases = [a for a in dict.fromkeys(aliases) if a != names[0]]
    return WatchlistEntry(
        ent_id, names[0], tuple(aliases), country, program, source or Path(path).name, schema
    )


READERS = {"ofac-sdn": read_ofac_sdn, "csv": read_simple_csv, "ftm": read_ftm}


def read_watchlist(path: str) -> WatchlistFile:
    """Read one watchlist file in whichever supported format it is."""
    return READERS[detect_watchlist_format(path)](path)


def read_watchlists(paths: Sequence[str]) -> list[WatchlistFile]:
    """Read several watchlist files; entry ids must be unique across them."""
    files = [read_watchlist(p) for p in paths]
    seen: dict[str, str] = {}
    for f in files:
        for e in f.entries:
            if e.id in seen:
                raise WatchlistError(f"{f.path}: id: {e.id!r} already loaded from {seen[e.id]}")
            seen[e.id] = f.path
    return files


def load_watchlists(paths: Sequence[str]) -> Watchlist:
    """Load watchlist files (format chosen by extension and content) into one Watchlist."""
    return Watchlist(e for f in read_watchlists(paths) for e in f.entries)
