"""`precwatch identify`: find controlled substances in every record of a file, in text and structures."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from precwatch.cli.common import (
    EXIT_PROBLEMS,
    JAVA_NOTE,
    engine_options,
    err,
    fail,
    input_info,
    input_name,
    input_options,
    kb_option,
    nightly_options,
    note_input,
    progress_bar,
    progress_option,
    rejects_path,
    stop_on_signals,
    systematic_wanted,
    write_rejects,
)
from precwatch.core.kb.knowledge import KnowledgeBase, KnowledgeBaseError
from precwatch.io.formats import FORMAT_NAMES, Source
from precwatch.io.opsin import java_available
from precwatch.io.records import InputError, InputRecord, Reject
from precwatch.io.run_summary import AtomicFile, RunSummary
from precwatch.pipelines.engine import EngineError, local_engine
from precwatch.pipelines.identify import Engine, run_identify
from precwatch.pipelines.identify_job import Identified, IdentifyJob
from precwatch.pipelines.resolver import close_resolvers


@click.command()
@kb_option
@click.argument("path", default="-", metavar="[PATH|-]")
@click.option("--input-format", "input_format", type=click.Choice(FORMAT_NAMES),
              help="Default: from the extension, else sniffed from the first bytes.")  # fmt: skip
@input_options
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
@engine_options(jobs_default="1, in this process")
@nightly_options
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
    engine: str,
    jobs: int | None,
    spark_master: str,
    summary_json: str | None,
    fail_on_rejects: bool,
    progress: bool | None,
    encoding: str | None,
    delimiter: str | None,
    max_text_bytes: int,
) -> None:
    """Identify controlled substances in each record of PATH ('-' = stdin).

    PATH is JSON Lines (`text` and/or `smiles`/`inchi`/`molblock`), CSV (`--column`, `--smiles-column`),
    plain text, a SMILES file (.smi) or an SDF/MOL file. Writes one JSON line per record, in input order,
    following the identification contract; malformed records go to the rejects file, and a summary of
    counts goes to stderr. Exit status 0 when the input was usable (even if nothing matched), 2 when not.
    With --jobs N the records are identified by N worker processes (or with --engine spark by Spark);
    the output is the same, in the same order.
    """
    name = input_name(path)
    rejects_file = rejects_path(path, rejects_given)
    if smiles:
        name = "--smiles"
    job = IdentifyJob(kb_path, min_confidence, name, _systematic(systematic))
    base = _kb(job)
    summary = RunSummary("identify", name)
    with ExitStack() as stack:
        stack.enter_context(stop_on_signals())
        stack.callback(close_resolvers)
        run_engine = _engine(job, engine, jobs or 1, spark_master, stack)
        try:
            source = (
                _structures_given(smiles) if smiles else Source(path, encoding=encoding, fmt=input_format)
            )
        except InputError as exc:
            fail(exc)
        stack.callback(source.close)
        sink = stack.enter_context(AtomicFile(out)) if out else sys.stdout
        buffer: Any = io.StringIO() if fmt == "table" else sink
        rejected: list[Reject] = []
        bar = progress_bar(
            TextColumn("identifying"),
            BarColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            show=progress,
        )
        task = bar.add_task("identify", total=source.size)
        with bar:
            try:
                counts = run_identify(
                    source,
                    name,
                    kb=base,
                    out=buffer,
                    rejects=rejected.append,
                    column=column,
                    id_column=id_column,
                    min_confidence=min_confidence,
                    smiles_column=smiles_column,
                    delimiter=delimiter,
                    max_text_bytes=max_text_bytes or None,
                    on_record=summary.seen,
                    progress=lambda _: bar.update(task, completed=source.bytes_read),
                    engine=run_engine,
                )
            except (InputError, EngineError) as exc:
                fail(exc)
            bar.update(task, completed=source.bytes_read)
        if fmt == "table":
            _print_table(buffer.getvalue(), base.version, sink)
    write_rejects(rejected, rejects_file)
    for r in rejected:
        summary.rejects_by_code[r.code] += 1
    summary.read, summary.rejected, summary.written = counts.read, counts.rejected, counts.identified
    summary.input_info = input_info(source)
    summary.versions = {"kb": base.version}
    err.print(
        f"{counts.line()} | knowledge base {base.version}"
        + (f" | rejects in {rejects_file}" if rejected else "")
    )
    note_input(source, summary)
    if summary_json:
        summary.write(summary_json)
    if counts.read > 0 and counts.identified == 0:
        fail("no usable record in the input")
    if fail_on_rejects and rejected:
        err.print(f"[red]failing:[/red] {len(rejected)} records rejected (--fail-on-rejects)")
        sys.exit(EXIT_PROBLEMS)


def _systematic(systematic: bool | None) -> bool:
    """--systematic/--no-systematic: as chosen, else when Java is found; never without Java (with a note)."""
    if systematic and not java_available():
        err.print(JAVA_NOTE)
        return False
    return systematic_wanted(systematic)


def _kb(job: IdentifyJob) -> KnowledgeBase:
    """The job's knowledge base, loaded in this process; a malformed one is a usage error."""
    try:
        return job.kb()
    except KnowledgeBaseError as exc:
        raise click.ClickException(str(exc)) from exc


def _engine(job: IdentifyJob, engine: str, jobs: int, master: str, stack: ExitStack) -> Engine:
    """What identifies the records: this process, worker processes (started now, before the progress
    bar's thread: see `local_engine`) or Spark. Whatever it starts is stopped when `stack` closes."""
    if engine == "spark":
        from precwatch.spark.identify import identify_spark

        def run(records: Iterable[InputRecord | Reject]) -> Iterator[Identified | Reject]:
            results = identify_spark(records, job, master=master)
            stack.callback(results.close)
            return results

        return run
    start = local_engine(job, jobs=jobs)

    def local(records: Iterable[InputRecord | Reject]) -> Iterator[Identified | Reject]:
        results = start(records)
        stack.callback(results.close)
        return results

    return local


def _structures_given(structures: tuple[str, ...]) -> Source:
    """The --smiles values as a JSON Lines input (ids 1, 2, ...)."""
    lines = []
    for n, s in enumerate(structures, start=1):
        field = "inchi" if s.strip().startswith("InChI=") else "smiles"
        lines.append(json.dumps({"id": str(n), field: s}))
    return Source.from_bytes(("\n".join(lines) + "\n").encode(), name="--smiles", fmt="jsonl")


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
