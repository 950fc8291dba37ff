"""`precwatch kb`: browse, search, validate, export and compare the knowledge base."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from precwatch.cli.common import err, kb_option, load_kb_or_fail
from precwatch.core.kb.changes import changelog_between, diff
from precwatch.core.kb.knowledge import KnowledgeBaseError
from precwatch.core.kb.substance import JURISDICTIONS, ROLES
from precwatch.core.structure.kb_check import structure_problems
from precwatch.core.structure.name_check import check_names, unmarked_translations
from precwatch.data import load_kb_version
from precwatch.io.kb_export import substance_brief, substance_record, write_kb_csv, write_kb_json
from precwatch.io.opsin import Opsin, OpsinUnavailable


@click.group()
def kb() -> None:
    """Browse, search, validate and export the knowledge base."""


@kb.command("list")
@kb_option
@click.option("--role", type=click.Choice(list(ROLES)))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def kb_list(kb_path: str | None, role: str | None, fmt: str) -> None:
    """List every substance (id, name, CAS, role, status per jurisdiction)."""
    base = load_kb_or_fail(kb_path)
    rows = [s for s in base.substances if role is None or s.role == role]
    if fmt == "json":
        click.echo(
            json.dumps(
                {"kb_version": base.version, "substances": [substance_brief(s) for s in rows]},
                ensure_ascii=False,
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
    base = load_kb_or_fail(kb_path)
    s = base.lookup(query)
    if s is None:
        raise click.ClickException(f"no substance matches {query!r} (try `precwatch kb search {query}`)")
    if fmt == "json":
        click.echo(
            json.dumps({"kb_version": base.version, **substance_record(s)}, ensure_ascii=False, indent=2)
        )
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
    base = load_kb_or_fail(kb_path)
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
    base = load_kb_or_fail(kb_path)
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
    problems += structure_problems(base.substances)
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
    base = load_kb_or_fail(kb_path)
    buf = io.StringIO()
    (write_kb_json if fmt == "json" else write_kb_csv)(base, buf)
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
