"""The knowledge base as files: every field and every source, as JSON or as one CSV row per substance."""

from __future__ import annotations

import csv
import dataclasses
import json
from typing import Any, TextIO

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.kb.substance import JURISDICTIONS, Substance

CSV_NAME_COLUMNS = ("names_en", "names_zh", "names_es", "abbreviations", "slang")
"""Name lists in the CSV export, each joined with '|'."""


def substance_brief(s: Substance) -> dict[str, Any]:
    """The short form used by `kb list --format json`: id, name, CAS, role and status per jurisdiction."""
    return {
        "id": s.id,
        "name": s.preferred_name,
        "cas": s.cas,
        "role": s.role,
        "controls": s.control_summary(),
    }


def substance_record(s: Substance) -> dict[str, Any]:
    """Every field of a substance; controls keyed by jurisdiction (status, effective date, detail, source)."""
    d = dataclasses.asdict(s)
    d["controls"] = {
        c["jurisdiction"]: {k: v for k, v in c.items() if k != "jurisdiction"} for c in d["controls"]
    }
    return d


def write_kb_json(kb: KnowledgeBase, out: TextIO) -> None:
    """The whole KB as one indented JSON document: `{"kb_version": ..., "substances": [...]}`."""
    json.dump(
        {"kb_version": kb.version, "substances": [substance_record(s) for s in kb.substances]},
        out,
        ensure_ascii=False,
        indent=2,
    )
    out.write("\n")


def write_kb_csv(kb: KnowledgeBase, out: TextIO) -> None:
    """The whole KB as CSV: identifiers, names ('|'-joined) and status, effective date, source per jurisdiction."""
    writer = csv.writer(out, lineterminator="\n")
    head = ["kb_version", "id", "name", "role", "parent", "cas", "smiles", "inchikey", "formula", "hs_code"]
    head += list(CSV_NAME_COLUMNS)
    for j in JURISDICTIONS:
        head += [f"{j}_status", f"{j}_effective", f"{j}_source"]
    writer.writerow(head)
    for s in kb.substances:
        row = [kb.version, s.id, s.preferred_name, s.role, s.parent or "", s.cas or "", s.smiles or ""]
        row += [s.inchikey or "", s.formula or "", s.hs_code or ""]
        row += [
            "|".join(x) for x in (s.names.en, s.names.zh, s.names.es, s.names.abbreviations, s.names.slang)
        ]
        for j in JURISDICTIONS:
            c = s.control(j)
            row += [c.status, c.effective or "", c.source or ""]
        writer.writerow(row)
