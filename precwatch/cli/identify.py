"""`precwatch identify`: find controlled substances in every record of a file, in text and structures."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, BinaryIO

import click
from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from precwatch.cli.common import (
    err,
    fail,
    input_name,
    kb_option,
    load_kb_or_fail,
    opsin_resolver,
    progress_bar,
    progress_option,
    rejects_path,
    write_rejects,
)
from precwatch.io.records import FORMATS, InputError, Reject, detect_format, lines_of, open_input
from precwatch.pipelines.identify import run_identify


class _Counted:
    """Iterates the lines of a binary stream, counting the bytes read (for the progress bar)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.bytes = 0

    def __iter__(self) -> Iterator[bytes]:
        for line in self.fh:
            self.bytes += len(line)
            yield line


@click.command()
@kb_option
@click.argument("path", default="-", metavar="[PATH|-]")
@click.option(
    "--input-format", "input_format", type=click.Choice(FORMATS), help="Default: from the extension."
)
@click.option("--column", help="CSV column holding the text (default: 'text').")
@click.option("--smiles-column", help="CSV column holding a SMILES or InChI structure.")
@click.option("--id-column", default="id", show_default=True,
              help="CSV column (or SDF data item) holding the record id.")  # fmt: skip
@click.option("--smiles", "smiles", multiple=True, metavar="SMILES",
              help="Identify this structure (SMILES or InChI) instead of reading PATH; repeatable.")  # fmt: skip
@click.option("--systematic/--no-systematic", default=None,
              help="Convert systematic names in text to structures with OPSIN (default: when Java is found).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Output file (default: stdout).")
@click.option("--rejects", "rejects_given", type=click.Path(dir_okay=False, writable=True),
              help="Where malformed records go (default: <input name>.rejects.jsonl, written only if needed).")  # fmt: skip
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@progress_option
def identify(
    kb_path: str | None,
    path: str,
    input_format: str | None,
    column: str | None,
    smiles_column: str | None,
    id_column: str,
    smiles: tuple[str, ...],
    systematic: bool | None,
    fmt: str,
    out: str | None,
    rejects_given: str | None,
    min_confidence: float,
    progress: bool | None,
) -> None:
    """Identify controlled substances in each record of PATH ('-' = stdin).

    PATH is JSON Lines (`text` and/or `smiles`/`inchi`/`molblock`), CSV (`--column`, `--smiles-column`),
    plain text, a SMILES file (.smi) or an SDF/MOL file. Writes one JSON line per record, in input order,
    following the identification contract; malformed records go to the rejects file, and a summary of
    counts goes to stderr. Exit status 0 when the input was usable (even if nothing matched), 2 when not.
    """
    base = load_kb_or_fail(kb_path)
    fmt_in = input_format or ("text" if path == "-" else detect_format(path))
    name = input_name(path)
    if smiles:
        path, name, fmt_in = "--smiles", "--smiles", "jsonl"
    opsin = opsin_resolver(systematic)
    rejects_file = rejects_path(path, rejects_given)
    with ExitStack() as stack:
        if opsin is not None:
            stack.callback(opsin.close)
        try:
            fh, size = _structures_given(smiles) if smiles else open_input(path)
        except InputError as exc:
            fail(exc)
        stack.callback(fh.close)
        counted = _Counted(fh)
        sink = stack.enter_context(Path(out).open("w", encoding="utf-8")) if out else sys.stdout
        buffer: Any = io.StringIO() if fmt == "table" else sink
        rejected: list[Reject] = []
        bar = progress_bar(
            TextColumn("identifying"),
            BarColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            show=progress,
        )
        task = bar.add_task("identify", total=size)
        with bar:
            try:
                summary = run_identify(
                    counted,
                    name,
                    fmt=fmt_in,
                    kb=base,
                    out=buffer,
                    rejects=rejected.append,
                    column=column,
                    id_column=id_column,
                    min_confidence=min_confidence,
                    smiles_column=smiles_column,
                    resolver=opsin,
                    progress=lambda _: bar.update(task, completed=counted.bytes),
                )
            except InputError as exc:
                fail(exc)
            bar.update(task, completed=counted.bytes)
        if fmt == "table":
            _print_table(buffer.getvalue(), base.version, sink)
    write_rejects(rejected, rejects_file)
    err.print(
        f"{summary.line()} | knowledge base {base.version}"
        + (f" | rejects in {rejects_file}" if rejected else "")
    )
    if summary.read > 0 and summary.identified == 0:
        fail("no usable record in the input")


def _structures_given(structures: tuple[str, ...]) -> tuple[BinaryIO, int]:
    """The --smiles values as a JSON Lines input (ids 1, 2, ...)."""
    lines = []
    for n, s in enumerate(structures, start=1):
        field = "inchi" if s.strip().startswith("InChI=") else "smiles"
        lines.append(json.dumps({"id": str(n), field: s}))
    data = "\n".join(lines) + "\n"
    return lines_of(data), len(data.encode())


def _print_table(jsonl: str, version: str, sink: Any) -> None:
    table = Table(title=f"precwatch identify (knowledge base {version})", show_lines=False)
    for col in ("id", "substance", "CAS", "relation", "method", "text", "conf.", "US", "CN", "MX"):
        table.add_column(col, overflow="fold", no_wrap=col in ("id", "substance", "CAS"))
    for line in jsonl.splitlines():
        rec = json.loads(line)
        for m in rec["matches"]:
            c = m["controls"]
            table.add_row(
                rec["id"], m["substance"], m["cas"] or "-", m["relation"], m["method"], m["text"],
                f"{m['confidence']:.2f}", c.get("US", ""), c.get("CN", ""), c.get("MX", ""),
            )  # fmt: skip
    Console(file=sink, width=160, highlight=False).print(table)
