"""`precwatch osint`: news articles to events with their dates, chemicals and actors, and a timeline.

The OSINT libraries (trafilatura, lingua, datasketch ...) are imported when a command runs, so the rest of
the CLI starts without them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from precwatch.cli.common import (
    HUB_TOKEN_ENV,
    err,
    fail,
    kb_option,
    load_kb_or_fail,
    report_push,
    token_option,
)

if TYPE_CHECKING:
    from precwatch.pipelines.osint import OsintResult

folder_argument = click.argument(
    "folder", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path), metavar="DIR"
)


def _run(folder: Path, kb_path: str | None) -> OsintResult:
    from precwatch.io.articles import ArticleError
    from precwatch.pipelines.osint import run_osint

    try:
        result = run_osint(folder, load_kb_or_fail(kb_path))
    except ArticleError as exc:
        raise click.ClickException(str(exc)) from exc
    for reject in result.rejects:
        err.print(f"[yellow]skipped[/] {reject.reason}")
    err.print(
        f"{len(result.facts)} articles read, {len(result.rejects)} skipped; {len(result.events)} events",
    )
    return result


push_hub_option = click.option(
    "--push-hub",
    "push_hub",
    default=None,
    metavar="URL",
    help="Also push seizure events to this hub as draft incidents (an analyst publishes them).",
)


def _push(result: OsintResult, url: str | None, token: str | None) -> None:
    """Seizure events to the hub at `url` as drafts (nothing without --push-hub)."""
    if url is None:
        return
    from precwatch.io.hub_client import HubClient, HubRefused, HubUnavailable
    from precwatch.pipelines.push import push_seizures

    if not token:
        fail(f"--token (or ${HUB_TOKEN_ENV}) is required with --push-hub")
    try:
        with HubClient(url, token) as client:
            summary = push_seizures(client, result.events)
    except (HubUnavailable, HubRefused) as exc:
        fail(exc)
    report_push(summary, what="events")


@click.group()
def osint() -> None:
    """Follow precursor trafficking in the news: clean articles, events across outlets and languages,
    their dates, chemicals, countries, agencies and people, on a timeline."""


@osint.command("ingest")
@folder_argument
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="JSON Lines file (default: standard output).",
)
def ingest_command(folder: Path, out: Path | None) -> None:
    """Read every .txt, .html and .eml article in DIR: text without boilerplate, headline, language,
    publication date; one JSON line per article. Files that cannot be read are reported and skipped."""
    from precwatch.io.articles import ArticleError
    from precwatch.pipelines.osint import ingest

    try:
        result = ingest(folder)
    except ArticleError as exc:
        raise click.ClickException(str(exc)) from exc
    lines = [json.dumps(a.to_dict(), ensure_ascii=False) for a in result.articles]
    text = "\n".join(lines) + ("\n" if lines else "")
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
    for reject in result.rejects:
        err.print(f"[yellow]skipped[/] {reject.reason}")
    err.print(f"{len(result.articles)} articles read, {len(result.rejects)} skipped")


@osint.command("cluster")
@folder_argument
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="clusters.json to write."
)
@click.option(
    "--explain", is_flag=True, help="Also write the links between articles (scores and their parts)."
)
@kb_option
@push_hub_option
@token_option
def cluster_command(
    folder: Path, out: Path, explain: bool, kb_path: str | None, push_hub: str | None, token: str | None
) -> None:
    """Group DIR's articles into events (one cluster per real-world event, across outlets, languages and
    translations) and write {"clusters": [...]} with each event's date, type and facts. With
    --push-hub, seizure events also go to the hub as draft incidents."""
    result = _run(folder, kb_path)
    _push(result, push_hub, token)
    doc: dict[str, object] = {"clusters": [e.to_dict() for e in result.events]}
    if explain:
        ids = [f.article.id for f in result.facts]
        doc["links"] = [
            {"articles": [ids[link.a], ids[link.b]], "duplicate": link.duplicate,
             **({"score": round(link.score.score, 3), "text": round(link.score.text, 3),
                 "entities": round(link.score.entities, 3), "date": link.score.date, "type": link.score.type,
                 "quantity": link.score.quantity}
                if link.score else {})}
            for link in result.links
        ]  # fmt: skip
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@osint.command("timeline")
@folder_argument
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), default=None, help="HTML file to write."
)
@kb_option
@push_hub_option
@token_option
def timeline_command(
    folder: Path, report: Path | None, kb_path: str | None, push_hub: str | None, token: str | None
) -> None:
    """Print DIR's events in date order (date and the rule that gave it, type, headline, chemicals,
    countries, sources) and, with --report, write a self-contained HTML timeline: a time axis, then each
    event with its facts and sources. With --push-hub, seizure events also go to the hub as drafts."""
    from precwatch.io.osint_report import render_timeline

    result = _run(folder, kb_path)
    _push(result, push_hub, token)
    for e in result.events:
        chemicals = ", ".join(f"{n} ({c})" for n, c in zip(e.chemical_names, e.chemicals, strict=True))
        click.echo(
            f"{e.date.isoformat() if e.date else 'date unknown'} ({e.date_source})  {e.event_type}  {e.title}"
        )
        click.echo(
            f"    chemicals: {chemicals or 'none named'}; countries: {', '.join(e.countries) or 'none'}"
        )
        click.echo(f"    sources: {', '.join(e.articles)}")
    if report is not None:
        report.write_text(
            render_timeline(result.events, result.facts, generated=date.today()), encoding="utf-8"
        )
