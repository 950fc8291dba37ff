"""Column mappings: which column of a user's file holds each canonical field of a declaration or listing.

`--map "shipper_name=Exporter,hs_code=HS Code"` or a mapping file (a YAML or JSON object, or a two-column
CSV) gives {canonical field: column}; a field mapped to nothing (`port_of_loading=`) is declared absent.
Every key is checked against the canonical names, so a typo is an error, never a silently empty field.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from precwatch.core.screening.records import DECLARATION_FIELDS, LISTING_FIELDS, Kind
from precwatch.io.records import InputError


def fields_of(kind: Kind) -> tuple[str, ...]:
    """The canonical field names of a kind of record."""
    if kind == "declarations":
        return DECLARATION_FIELDS
    if kind == "listings":
        return LISTING_FIELDS
    raise InputError(f"unknown kind {kind!r}: expected declarations or listings")


def check_mapping(mapping: Mapping[str, str | None], kind: Kind | None = None) -> dict[str, str | None]:
    """The mapping, checked: every key must be a canonical field name (of `kind`, if given)."""
    valid = fields_of(kind) if kind is not None else tuple(dict.fromkeys(DECLARATION_FIELDS + LISTING_FIELDS))
    out: dict[str, str | None] = {}
    for canonical, column in mapping.items():
        if canonical not in valid:
            hint = f" (did you mean {column}={canonical}?)" if column in valid else ""
            raise InputError(
                f"mapping: unknown field {canonical!r}{hint}; the fields are: {', '.join(valid)}"
            )
        if column is not None and not isinstance(column, str):
            raise InputError(f"mapping: the column for {canonical!r} must be a name, got {column!r}")
        out[canonical] = (column.strip() or None) if column is not None else None
    return out


def parse_mapping(spec: str, kind: Kind | None = None) -> dict[str, str | None]:
    """`--map "shipper_name=Exporter,hs_code=HS Code"` as {canonical name: column in the file}."""
    mapping: dict[str, str | None] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        canonical, eq, column = item.partition("=")
        if not eq:
            raise InputError(f"--map: {item.strip()!r} is not field=column")
        mapping[canonical.strip()] = column.strip()
    return check_mapping(mapping, kind)


def load_mapping(path: str, kind: Kind | None = None) -> dict[str, str | None]:
    """A mapping file: a YAML or JSON object {field: column}, or a two-column CSV (field,column)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the mapping: {exc}") from exc
    data: Any
    if p.suffix.lower() == ".csv":
        rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
        if rows and rows[0][0].strip().lower() in ("field", "canonical", "name"):
            rows = rows[1:]
        bad = next((n for n, r in enumerate(rows, 1) if len(r) != 2), None)
        if bad is not None:
            raise InputError(f"{path}: row {bad}: expected two columns, field and column")
        data = {r[0].strip(): r[1] for r in rows}
    else:
        import yaml

        try:
            data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            raise InputError(f"{path}: not a valid mapping file: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected an object of field: column pairs")
    return check_mapping(data, kind)
