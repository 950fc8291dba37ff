"""Write screening verdicts as JSON Lines, CSV or Parquet, and rejects as JSON Lines or CSV.

The format follows the extension of `--out`:
The file is written under a temporary name beside it and renamed into place when the run succeeds.
  - ``.jsonl`` / ``.ndjson`` / ``.json``: one JSON object per verdict, the screening contract
    (``id, score, level, reasons, matches``) plus ``kb_version``; no `--out` writes this to standard output.
  - ``.csv``: one row per verdict: ``id, line, score, level, reasons`` (codes, ";"-joined), ``details``
    (each reason's detail, " | "-joined), ``substances`` and ``cas`` (";"-joined, first seen first),
    ``kb_version``. Text cells that a spreadsheet would run as a formula (starting with = + - @ or a tab)
    get a leading apostrophe: the records come from untrusted senders.
  - ``.parquet``: columns ``id`` (string), ``line`` (int64), ``score`` (int32), ``level`` (string),
    ``reasons`` (list of struct code/weight/detail, queryable as is), ``matches`` (string: the JSON array
    of match objects exactly as in JSON Lines; their keys vary by relation), ``substances`` and ``cas``
    (list of string), ``kb_version`` (string); written in row groups of `PARQUET_BATCH` verdicts.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from precwatch.core.screening.verdict import Verdict
from precwatch.io.records import InputError, Reject
from precwatch.io.run_summary import temporary_path

RESULT_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
}
CSV_COLUMNS = ("id", "line", "score", "level", "reasons", "details", "substances", "cas", "kb_version")
PARQUET_BATCH = 10_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading apostrophe before = + - @ tab or CR."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def substances_of(verdict: Verdict) -> tuple[list[str], list[str]]:
    """The matched substances and their CAS RNs, each once, in the order first matched."""
    names = list(dict.fromkeys(m.substance for m in verdict.matches))
    cas = list(dict.fromkeys(m.cas for m in verdict.matches if m.cas))
    return names, cas


def _open_text(path: str, what: str, newline: str | None = None) -> IO[str]:
    try:
        return Path(path).open("w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the {what}: {exc.strerror}") from exc


class ResultWriter(ABC):
    """Writes verdicts one by one; use as a context manager, or call `close()`. `count` is how many."""

    def __init__(self, kb_version: str) -> None:
        self.kb_version = kb_version
        self.count = 0
        self.renames: tuple[str, str] | None = None
        """(temporary file, final path): the output is renamed into place only when the run succeeds."""

    def write(self, verdict: Verdict) -> None:
        self._write(verdict)
        self.count += 1

    @abstractmethod
    def _write(self, verdict: Verdict) -> None: ...

    @abstractmethod
    def close(self) -> None:
        """Flush and close the output (standard output is flushed, never closed)."""

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
        if self.renames is not None:
            temp, final = self.renames
            if kind is None:
                os.replace(temp, final)
            else:
                Path(temp).unlink(missing_ok=True)


class JsonlWriter(ResultWriter):
    """One JSON object per line: `Verdict.to_dict()` plus `kb_version`."""

    def __init__(self, stream: IO[str], kb_version: str, owned: bool) -> None:
        super().__init__(kb_version)
        self.stream, self.owned = stream, owned

    def _write(self, verdict: Verdict) -> None:
        out = verdict.to_dict()
        out["kb_version"] = self.kb_version
        self.stream.write(json.dumps(out, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self.owned:
            self.stream.close()
        else:
            self.stream.flush()


class CsvWriter(ResultWriter):
    """One row per verdict (see `CSV_COLUMNS`), reasons and substances joined in one cell each."""

    def __init__(self, stream: IO[str], kb_version: str) -> None:
        super().__init__(kb_version)
        self.stream = stream
        self.writer = csv.writer(stream)
        self.writer.writerow(CSV_COLUMNS)

    def _write(self, verdict: Verdict) -> None:
        names, cas = substances_of(verdict)
        self.writer.writerow(
            (
                safe_cell(verdict.id),
                verdict.line,
                verdict.score,
                verdict.level,
                ";".join(r.code for r in verdict.reasons),
                safe_cell(" | ".join(r.detail for r in verdict.reasons)),
                safe_cell(";".join(names)),
                ";".join(cas),
                self.kb_version,
            )
        )

    def close(self) -> None:
        self.stream.close()


class ParquetWriter(ResultWriter):
    """Verdicts in row groups of `PARQUET_BATCH`; reasons nested, matches as a JSON string."""

    def __init__(self, path: str, kb_version: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        super().__init__(kb_version)
        self.pa = pa
        reason = pa.struct([("code", pa.string()), ("weight", pa.int32()), ("detail", pa.string())])
        self.schema = pa.schema(
            [
                ("id", pa.string()),
                ("line", pa.int64()),
                ("score", pa.int32()),
                ("level", pa.string()),
                ("reasons", pa.list_(reason)),
                ("matches", pa.string()),
                ("substances", pa.list_(pa.string())),
                ("cas", pa.list_(pa.string())),
                ("kb_version", pa.string()),
            ]
        )
        try:
            self.writer = pq.ParquetWriter(path, self.schema)
        except OSError as exc:
            raise InputError(f"{path}: cannot write the results: {exc}") from exc
        self.rows: dict[str, list[Any]] = {name: [] for name in self.schema.names}

    def _write(self, verdict: Verdict) -> None:
        names, cas = substances_of(verdict)
        out = verdict.to_dict()
        rows = self.rows
        rows["id"].append(verdict.id)
        rows["line"].append(verdict.line)
        rows["score"].append(verdict.score)
        rows["level"].append(verdict.level)
        rows["reasons"].append(out["reasons"])
        rows["matches"].append(json.dumps(out["matches"], ensure_ascii=False))
        rows["substances"].append(names)
        rows["cas"].append(cas)
        rows["kb_version"].append(self.kb_version)
        if len(rows["id"]) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.rows["id"]:
            self.writer.write_table(self.pa.Table.from_pydict(self.rows, schema=self.schema))
            for column in self.rows.values():
                column.clear()

    def close(self) -> None:
        self._flush()
        self.writer.close()


def open_results(path: str | None, kb_version: str) -> ResultWriter:
    """A writer for `path`, its format from the extension; None or '-' writes JSON Lines to stdout."""
    if path is None or path == "-":
        return JsonlWriter(sys.stdout, kb_version, owned=False)
    fmt = RESULT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown output format: use one of {', '.join(RESULT_FORMATS)}")
    try:
        temp = temporary_path(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the results: {exc.strerror}") from exc
    writer: ResultWriter
    if fmt == "parquet":
        writer = ParquetWriter(temp, kb_version)
    elif fmt == "csv":
        writer = CsvWriter(_open_text(temp, "results", newline=""), kb_version)
    else:
        writer = JsonlWriter(_open_text(temp, "results"), kb_version, owned=True)
    writer.renames = (temp, path)
    return writer


class RejectWriter:
    """Rejects as JSON Lines (or CSV for a .csv path), the file created at the first reject only."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0
        self._stream: IO[str] | None = None
        self._csv = Path(path).suffix.lower() == ".csv"
        self._writer: Any = None

    def write(self, reject: Reject) -> None:
        if self._stream is None:
            self._stream = _open_text(self.path, "rejects", newline="" if self._csv else None)
            if self._csv:
                self._writer = csv.writer(self._stream)
                self._writer.writerow(("file", "line", "field", "reason", "raw"))
        if self._csv:
            r = reject
            self._writer.writerow(
                (safe_cell(r.file), r.line, r.field or "", safe_cell(r.reason), safe_cell(r.raw))
            )
        else:
            self._stream.write(json.dumps(reject.to_dict(), ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()

    def __enter__(self) -> RejectWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def write_rejects(path: str, rejects: Iterable[Reject]) -> int:
    """Write `rejects` to `path` (nothing is created when there are none); how many were written."""
    with RejectWriter(path) as writer:
        for reject in rejects:
            writer.write(reject)
    return writer.count
