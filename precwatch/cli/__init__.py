"""The `precwatch` command line: thin commands over the library (each builds one object and calls it)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, BinaryIO

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from precwatch import __version__
from precwatch.core.kb.changes import changelog_between, diff
from precwatch.core.kb.knowledge import KnowledgeBase, KnowledgeBaseError
from precwatch.core.kb.names import check_names, unmarked_translations
from precwatch.core.kb.substance import JURISDICTIONS, ROLES, Substance
from precwatch.core.structure.read import mol_facts
from precwatch.data import load_kb, load_kb_version
from precwatch.io.opsin import Opsin, OpsinUnavailable, java_available
from precwatch.io.records import FORMATS, InputError, Reject, detect_format, lines_of, open_input
from precwatch.pipelines.identify import run_identify

err = Console(stderr=True, highlight=False)


def _kb(path: str | None) -> KnowledgeBase:
    try:
        return load_kb(path)
    except KnowledgeBaseError as exc:
        raise click.ClickException(str(exc)) from exc


kb_option: Callable[[Callable[..., Any]], Callable[..., Any]] = click.option(
    "--kb",
    "kb_path",
    metavar="FILE",
    default=None,
    help="Knowledge-base YAML to use instead of the bundled one.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="precwatch")
def main() -> None:
    """precwatch: find and stop fentanyl-precursor trafficking.

    Look chemicals up in a sourced knowledge base and identify them in listings, declarations and
    chats, however they are disguised.
    """


# ---------------------------------------------------------------- kb
@main.group()
def kb() -> None:
    """Browse, search, validate and export the knowledge base."""


@kb.command("list")
@kb_option
@click.option("--role", type=click.Choice(list(ROLES)))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def kb_list(kb_path: str | None, role: str | None, fmt: str) -> None:
    """List every substance (id, name, CAS, role, status per jurisdiction)."""
    base = _kb(kb_path)
    rows = [s for s in base.substances if role is None or s.role == role]
    if fmt == "json":
        click.echo(
            json.dumps(
                {"kb_version": base.version, "substances": [_brief(s) for s in rows]}, ensure_ascii=False
            )
        )
        return
    table = Table(title=f"precwatch knowledge base {base.version}: {len(rows)} substances")
    for col in ("id", "name", "CAS", "role", *JURISDICTIONS):
        table.add_column(col, overflow="fold")
    for s in rows:
        table.add_row(
            s.id, s.preferred_name, s.cas or "-", s.role, *(s.control(j).status for j in JURISDICTIONS)
        )
    Console(width=max(160, Console().width)).print(table)


@kb.command("show")
@kb_option
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def kb_show(kb_path: str | None, query: str, fmt: str) -> None:
    """Show one substance by id, CAS RN, InChIKey or name, with every status and its source."""
    base = _kb(kb_path)
    s = base.lookup(query)
    if s is None:
        raise click.ClickException(f"no substance matches {query!r} (try `precwatch kb search {query}`)")
    if fmt == "json":
        click.echo(json.dumps({"kb_version": base.version, **_full(s)}, ensure_ascii=False, indent=2))
        return
    out = Console(highlight=False)
    out.print(f"[bold]{s.preferred_name}[/bold]  ({s.id}, knowledge base {base.version})")
    if s.parent:
        out.print(f"salt or hydrate of: {s.parent}")
    for label, value in (
        ("role", f"{s.role} - {s.role_detail}"),
        ("CAS RN", s.cas or "not recorded (no source found)"),
        ("SMILES", s.smiles),
        ("InChIKey", s.inchikey),
        ("formula", s.formula),
        ("HS code", f"{s.hs_code or '-'} {s.hs_note}".strip()),
        ("names (EN)", "; ".join(s.names.en)),
        ("names (ZH)", "; ".join(s.names.zh)),
        ("names (ES)", "; ".join(s.names.es)),
        ("abbreviations", "; ".join(s.names.abbreviations)),
        ("seller names", "; ".join(s.names.slang)),
        ("confidence", s.confidence),
    ):
        if value:
            out.print(f"[bold]{label:>14}[/bold]  {value}")
    table = Table(title="control status")
    for col in ("", "status", "effective", "detail", "source"):
        table.add_column(col, overflow="fold")
    for j in JURISDICTIONS:
        c = s.control(j)
        table.add_row(j, c.status, c.effective or "-", c.detail, c.source or "-")
    out.print(table)
    if s.notes:
        out.print(f"[bold]notes[/bold]  {s.notes}")


@kb.command("search")
@kb_option
@click.argument("text")
@click.option("--limit", default=10, show_default=True)
def kb_search(kb_path: str | None, text: str, limit: int) -> None:
    """Find substances whose names resemble TEXT, or that TEXT identifies."""
    base = _kb(kb_path)
    hits = base.search(text, limit)
    if not hits:
        err.print(f"no substance resembles {text!r}")
        sys.exit(1)
    for s, score, why in hits:
        click.echo(f"{s.id:28} {s.cas or '-':13} {score:5.1f}  {s.preferred_name}  ({why})")


@kb.command("validate")
@kb_option
@click.option(
    "--names/--no-names",
    default=True,
    show_default=True,
    help="Run every English name through OPSIN (needs Java): a name must parse to its entry's structure.",
)
def kb_validate(kb_path: str | None, names: bool) -> None:
    """Check every fact that can be checked: CAS check digits, SMILES parse, InChIKey and formula
    recomputed by RDKit, parents, a source for every known control status, a source or confidence mark
    for every Chinese and Spanish name, and (OPSIN) that no English name names another structure."""
    base = _kb(kb_path)
    problems = base.problems()
    problems += [
        f"{s.id}: Chinese/Spanish name {n!r} has no source or confidence mark"
        for s in base.substances
        for n in unmarked_translations(s)
    ]
    checked = 0
    if names:
        try:
            with Opsin() as opsin:
                verdicts = check_names(base.substances, opsin)
        except OpsinUnavailable as exc:
            raise click.ClickException(f"name check: {exc} (use --no-names to skip it)") from exc
        checked = sum(1 for v in verdicts if v.same is not None)
        problems += [v.describe() for v in verdicts if v.is_problem]
    for s in base.substances:
        if not s.smiles:
            continue
        facts = mol_facts(s.smiles)
        if facts is None:
            problems.append(f"{s.id}: SMILES {s.smiles!r} does not parse in RDKit")
            continue
        if s.inchikey and facts.inchikey != s.inchikey:
            problems.append(f"{s.id}: InChIKey {s.inchikey} but RDKit computes {facts.inchikey}")
        if s.formula and facts.formula != s.formula:
            problems.append(f"{s.id}: formula {s.formula} but RDKit computes {facts.formula}")
    for p in problems:
        err.print(f"[red]problem[/red] {p}")
    with_cas = sum(1 for s in base.substances if s.cas)
    known = sum(1 for s in base.substances for j in JURISDICTIONS if s.control(j).is_known)
    err.print(
        f"knowledge base {base.version}: {len(base)} substances ({with_cas} with CAS RN), "
        f"{known} sourced control statuses, "
        + (f"{checked} systematic names checked with OPSIN, " if names else "name check skipped, ")
        + f"{len(problems)} problems"
    )
    if problems:
        sys.exit(1)


@kb.command("export")
@kb_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
def kb_export(kb_path: str | None, fmt: str, out: str | None) -> None:
    """Export the whole knowledge base (every field, every source)."""
    base = _kb(kb_path)
    buf = io.StringIO()
    if fmt == "json":
        json.dump(
            {"kb_version": base.version, "substances": [_full(s) for s in base.substances]},
            buf,
            ensure_ascii=False,
            indent=2,
        )
        buf.write("\n")
    else:
        writer = csv.writer(buf, lineterminator="\n")
        head = [
            "kb_version",
            "id",
            "name",
            "role",
            "parent",
            "cas",
            "smiles",
            "inchikey",
            "formula",
            "hs_code",
        ]
        head += ["names_en", "names_zh", "names_es", "abbreviations", "slang"]
        for j in JURISDICTIONS:
            head += [f"{j}_status", f"{j}_effective", f"{j}_source"]
        writer.writerow(head)
        for s in base.substances:
            row = [base.version, s.id, s.preferred_name, s.role, s.parent or "", s.cas or "", s.smiles or ""]
            row += [s.inchikey or "", s.formula or "", s.hs_code or ""]
            row += [
                "|".join(x)
                for x in (s.names.en, s.names.zh, s.names.es, s.names.abbreviations, s.names.slang)
            ]
            for j in JURISDICTIONS:
                c = s.control(j)
                row += [c.status, c.effective or "", c.source or ""]
            writer.writerow(row)
    if out:
        Path(out).write_text(buf.getvalue(), encoding="utf-8")
        err.print(f"wrote {len(base)} substances to {out}")
    else:
        click.echo(buf.getvalue(), nl=False)


@kb.command("diff")
@click.argument("old")
@click.argument("new", default="current")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def kb_diff(old: str, new: str, fmt: str) -> None:
    """What changed from knowledge base OLD to NEW (each a YAML file or a version: `2026.11.1`,
    `current`): substances added and removed, names added and removed, status changes per jurisdiction,
    identifier changes, and the substances to re-screen."""
    try:
        a, b = load_kb_version(old), load_kb_version(new)
    except KnowledgeBaseError as exc:
        raise click.ClickException(str(exc)) from exc
    d = diff(a, b)
    entries = changelog_between(a, b)
    if fmt == "json":
        out = d.to_dict() | {"changelog": [dict(e) for e in entries]}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return
    con = Console(width=max(160, Console().width), highlight=False)
    con.print(f"[bold]knowledge base {d.old_version} -> {d.new_version}[/bold]")
    for e in entries:
        con.print(f"  {e.get('version')} ({e.get('date')}): {e.get('summary', '')}")
    for title, rows in (("added", d.added), ("removed", d.removed)):
        table = Table(title=f"substances {title}: {len(rows)}")
        for col in ("id", "name", "role"):
            table.add_column(col)
        for row in rows:
            table.add_row(*row)
        con.print(table)
    table = Table(title=f"status changes: {len(d.statuses)}")
    for col in ("id", "", "old", "new", "effective", "source"):
        table.add_column(col, overflow="fold")
    for c in d.statuses:
        table.add_row(c.substance, c.jurisdiction, c.old, c.new, c.new_effective or "-", c.source or "-")
    con.print(table)
    table = Table(title=f"name changes: {len(d.names)} substances")
    for col in ("id", "names added", "names removed"):
        table.add_column(col, overflow="fold")
    for n in d.names:
        table.add_row(n.substance, "; ".join(n.added) or "-", "; ".join(n.removed) or "-")
    con.print(table)
    if d.fields:
        table = Table(title=f"identifier changes: {len(d.fields)}")
        for col in ("id", "field", "old", "new"):
            table.add_column(col)
        for f in d.fields:
            table.add_row(f.substance, f.field, f.old or "-", f.new or "-")
        con.print(table)
    con.print(f"{len(d.rescreen_ids())} substances to re-screen")


def _brief(s: Substance) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.preferred_name,
        "cas": s.cas,
        "role": s.role,
        "controls": s.control_summary(),
    }


def _full(s: Substance) -> dict[str, Any]:
    d = dataclasses.asdict(s)
    d["controls"] = {
        c["jurisdiction"]: {k: v for k, v in c.items() if k != "jurisdiction"} for c in d["controls"]
    }
    return d


# ---------------------------------------------------------------- identify
class _Counted:
    """Iterates the lines of a binary stream, counting the bytes read (for the progress bar)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.bytes = 0

    def __iter__(self) -> Iterator[bytes]:
        for line in self.fh:
            self.bytes += len(line)
            yield line


@main.command()
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
@click.option("--rejects", "rejects_path", type=click.Path(dir_okay=False, writable=True),
              help="Where malformed records go (default: <input name>.rejects.jsonl, written only if needed).")  # fmt: skip
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal)."
)
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
    rejects_path: str | None,
    min_confidence: float,
    progress: bool | None,
) -> None:
    """Identify controlled substances in each record of PATH ('-' = stdin).

    PATH is JSON Lines (`text` and/or `smiles`/`inchi`/`molblock`), CSV (`--column`, `--smiles-column`),
    plain text, a SMILES file (.smi) or an SDF/MOL file. Writes one JSON line per record, in input order,
    following the identification contract; malformed records go to the rejects file, and a summary of
    counts goes to stderr. Exit status 0 when the input was usable (even if nothing matched), 2 when not.
    """
    base = _kb(kb_path)
    fmt_in = input_format or ("text" if path == "-" else detect_format(path))
    name = "<stdin>" if path == "-" else path
    if smiles:
        path, name, fmt_in = "--smiles", "--smiles", "jsonl"
    resolver = _resolver(systematic)
    rejects_file = rejects_path or f"{'stdin' if path == '-' else Path(path).name}.rejects.jsonl"
    show_progress = err.is_terminal if progress is None else progress
    with ExitStack() as stack:
        if resolver is not None:
            stack.callback(resolver.close)
        try:
            fh, size = _structures_given(smiles) if smiles else open_input(path)
        except InputError as exc:
            err.print(f"[red]error:[/red] {exc}")
            sys.exit(2)
        stack.callback(fh.close)
        counted = _Counted(fh)
        sink = stack.enter_context(Path(out).open("w", encoding="utf-8")) if out else sys.stdout
        buffer: Any = io.StringIO() if fmt == "table" else sink
        rejected: list[Reject] = []
        bar = Progress(
            TextColumn("identifying"), BarColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
            console=err, disable=not show_progress,
        )  # fmt: skip
        task = bar.add_task("identify", total=size)
        with bar:
            try:
                summary = run_identify(
                    counted, name, fmt_in, base, buffer, rejected.append, column, id_column, min_confidence,
                    progress=lambda _: bar.update(task, completed=counted.bytes),
                    smiles_column=smiles_column, resolver=resolver,
                )  # fmt: skip
            except InputError as exc:
                err.print(f"[red]error:[/red] {exc}")
                sys.exit(2)
            bar.update(task, completed=counted.bytes)
        if fmt == "table":
            _print_table(buffer.getvalue(), base.version, sink)
    if rejected:
        with Path(rejects_file).open("w", encoding="utf-8") as rf:
            for r in rejected:
                rf.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        for r in rejected[:5]:
            err.print(
                f"[yellow]rejected[/yellow] {r.file}:{r.line}{' field ' + r.field if r.field else ''}: {r.reason}"
            )
        if len(rejected) > 5:
            err.print(f"... and {len(rejected) - 5} more")
    err.print(
        f"{summary.line()} | knowledge base {base.version}"
        + (f" | rejects in {rejects_file}" if rejected else "")
    )
    if summary.read > 0 and summary.identified == 0:
        err.print("[red]error:[/red] no usable record in the input")
        sys.exit(2)


def _structures_given(structures: tuple[str, ...]) -> tuple[BinaryIO, int]:
    """The --smiles values as a JSON Lines input (ids 1, 2, ...)."""
    lines = []
    for n, s in enumerate(structures, start=1):
        field = "inchi" if s.strip().startswith("InChI=") else "smiles"
        lines.append(json.dumps({"id": str(n), field: s}))
    data = "\n".join(lines) + "\n"
    return lines_of(data), len(data.encode())


def _resolver(systematic: bool | None) -> Opsin | None:
    """An OPSIN name-to-structure converter, or None (with one line on stderr saying why)."""
    if systematic is False:
        return None
    if not java_available():
        err.print(
            "[yellow]note:[/yellow] Java not found: systematic names are not converted (install Java 11+)"
        )
        return None
    try:
        return Opsin()
    except OpsinUnavailable as exc:
        err.print(f"[yellow]note:[/yellow] {exc}")
        return None


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


from precwatch.cli import explain as _explain  # noqa: E402,F401  (registers `explain` and `depict`)
from precwatch.cli import hub as _hub  # noqa: E402,F401  (attaches `serve` and the `hub` group)
from precwatch.cli import market as _market  # noqa: E402,F401  (registers the `market` group)
from precwatch.cli import screen as _screen  # noqa: E402,F401  (registers `screen`)
from precwatch.cli.osint import osint as _osint  # noqa: E402

main.add_command(_osint)

if __name__ == "__main__":
    main()
