"""`precwatch explain` (the full decision trail for one text or structure) and `precwatch depict` (SVG)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from precwatch.cli.common import err, kb_option, load_kb_or_fail, opsin_resolver
from precwatch.core.classes.classify import rule
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.kb.substance import JURISDICTIONS
from precwatch.core.match import Match
from precwatch.core.normalise import normalise
from precwatch.core.structure.depict import depict_svg, match_svg, substance_svg
from precwatch.core.structure.identify import identify_structure
from precwatch.core.structure.masked import TRANSFORMATIONS
from precwatch.core.structure.read import StructureError, guess_format, parse_structure
from precwatch.core.text.identify import TEXT_DETECTORS, identify_text

_SMILES_MARKS = set("()=#[]@/\\123456789")


def looks_like_structure(value: str) -> bool:
    """True for an InChI, a MOL block, or a one-word string that RDKit reads and that has SMILES syntax
    (brackets, bonds, ring digits or aromatic atoms): 'NPP' and 'CCO' stay text unless forced."""
    if guess_format(value) != "smiles":
        return True
    word = value.strip()
    if not word or any(c.isspace() for c in word):
        return False
    if not (_SMILES_MARKS & set(word) or any(c in "cnos" for c in word)):
        return False
    try:
        parse_structure(word, "smiles")
    except StructureError:
        return False
    return True


@click.command()
@kb_option
@click.argument("value", metavar="INPUT")
@click.option("--as", "kind", type=click.Choice(["auto", "text", "structure"]), default="auto", show_default=True,
              help="Read INPUT as free text or as a structure (SMILES, InChI, or a .mol/.sdf file path).")  # fmt: skip
@click.option("--systematic/--no-systematic", default=None, help="Convert systematic names with OPSIN.")
def explain(kb_path: str | None, value: str, kind: str, systematic: bool | None) -> None:
    """Show the full trail for one text or structure: normalisation, candidates, every rule and
    transformation tried, the decision and its sources."""
    base = load_kb_or_fail(kb_path)
    out = Console(highlight=False)
    path = Path(value)
    if kind != "text" and path.suffix.lower() in (".mol", ".sdf") and path.is_file():
        value, kind = path.read_text(encoding="utf-8").split("$$$$")[0], "structure"
    if kind == "structure" or (kind == "auto" and looks_like_structure(value)):
        _explain_structure(base, value, out)
    else:
        _explain_text(base, value, out, systematic)


def _explain_text(base: KnowledgeBase, text: str, out: Console, systematic: bool | None) -> None:
    trace: list[str] = []
    resolver = opsin_resolver(systematic)
    try:
        matches = identify_text(text, base, trace=trace, resolver=resolver)
    finally:
        if resolver is not None:
            resolver.close()
    out.print(f"[bold]input[/bold]       text {text!r}")
    out.print(f"[bold]normalised[/bold]  {normalise(text).text!r}")
    out.print("[bold]detectors[/bold]")
    for d in TEXT_DETECTORS:
        out.print(f"  - {d.__name__}: {' '.join((d.__doc__ or '').split())}")
    _trail_and_decision(base, trace, matches, out)


def _explain_structure(base: KnowledgeBase, value: str, out: Console) -> None:
    trace: list[str] = []
    try:
        matches = identify_structure(value, base, trace=trace)
    except StructureError as exc:
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(2)
    shown = value.strip().splitlines()[0] if guess_format(value) != "molblock" else "(MOL block)"
    out.print(f"[bold]input[/bold]       structure ({guess_format(value)}) {shown}")
    out.print("[bold]steps[/bold]       standardise -> exact lookup -> class rules -> unmasking -> analogues")
    out.print(f"  unmasking steps: {', '.join(t.id for t in TRANSFORMATIONS)}")
    _trail_and_decision(base, trace, matches, out)


def _trail_and_decision(base: KnowledgeBase, trace: list[str], matches: list[Match], out: Console) -> None:
    out.print("[bold]trail[/bold]")
    for line in trace or ["(no candidate)"]:
        out.print(f"  {line}")
    out.print(f"[bold]decision[/bold]    {len(matches)} match(es), knowledge base {base.version}")
    for m in matches:
        out.print(f"  {m.text[:80]!r} -> {m.substance} ({m.cas or 'no CAS'}), {m.relation}, {m.method}, "
                  f"confidence {m.confidence:.2f}")  # fmt: skip
        out.print(f"    evidence: {m.evidence}")
        if m.transformation:
            t = next(t for t in TRANSFORMATIONS if t.id == m.transformation)
            out.print(f"    transformation {t.id}: {t.justification}")
        for cid in m.classes:
            r = rule(cid)
            out.print(f"    class {r.id}: {' '.join(r.logic.split())}")
            for cov in r.coverage:
                out.print(f"      {cov.jurisdiction}: {cov.status} - {cov.legal_text} - source: {cov.source}")
        s = base.by_id.get(m.substance)
        if s is not None and m.relation != "analog":
            for j in JURISDICTIONS:
                c = s.control(j)
                out.print(f"    {j}: {c.status}" + (f" - source: {c.source}" if c.source else ""))


@click.command()
@kb_option
@click.argument("query")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="SVG file (default: stdout).")
@click.option("--size", default="360x260", show_default=True, help="Width x height in pixels.")
def depict(kb_path: str | None, query: str, out: str | None, size: str) -> None:
    """Draw a knowledge-base substance (id, CAS or name) or a structure as SVG; for a structure, the
    atoms its best match rests on are highlighted."""
    base = load_kb_or_fail(kb_path)
    try:
        w, h = (int(x) for x in size.lower().split("x"))
    except ValueError as exc:
        raise click.BadParameter(f"expected WIDTHxHEIGHT, got {size!r}", param_hint="--size") from exc
    if base.lookup(query) is not None:
        svg = substance_svg(base, query, size=(w, h))
    else:
        try:
            matches = identify_structure(query, base)
            svg = (
                match_svg(query, matches[0], kb=base, size=(w, h))
                if matches
                else depict_svg(query, size=(w, h))
            )
        except StructureError as exc:
            err.print(
                f"[red]error:[/red] {query!r} is neither a knowledge-base substance nor a structure: {exc}"
            )
            sys.exit(2)
    if out:
        Path(out).write_text(svg, encoding="utf-8")
        err.print(f"wrote {out}")
    else:
        sys.stdout.write(svg)
