"""What readers yield: input records for identification, rejects, and the error for unusable input.

The readers themselves are `precwatch.io.texts` (identify) and `precwatch.io.tables` (screen), both over
`precwatch.io.formats` and `precwatch.io.table_readers`. Formats for identify:
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

import io
from dataclasses import dataclass
from typing import NamedTuple

STRUCTURE_FIELDS = ("smiles", "inchi", "molblock")
"""JSONL fields that carry a structure, and the structure format each holds."""


class InputError(Exception):
    """The input cannot be used at all (missing file, unknown column, ...)."""


class InputRecord(NamedTuple):
    """One usable input record: free text, a structure, or both.

    `structure_format` names the field the structure came from (smiles, inchi, molblock), which is
    also the field a reject names when the structure turns out unreadable. A named tuple: readers build
    one per record (millions per run), about three times faster than a frozen dataclass, and it pickles as
    its fields (how records travel to `--jobs` workers).
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


def lines_of(text: str) -> io.BytesIO:
    """A binary stream over `text` (for tests and library callers holding strings)."""
    return io.BytesIO(text.encode("utf-8"))
