"""`precwatch screen`: score declarations or listings in bulk, with reasons, rejects and a report."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

from precwatch.cli.common import (
    EXIT_PROBLEMS,
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
)
from precwatch.cli.hub_screening import hub_screen_options, notification_book
from precwatch.core.kb.knowledge import KnowledgeBaseError
from precwatch.core.screening.policy import PolicyError
from precwatch.core.screening.records import Kind
from precwatch.core.screening.verdict import LEVELS, Verdict
from precwatch.io.formats import Source
from precwatch.io.mapping import load_mapping, parse_mapping
from precwatch.io.policy import load_policy, policy_hash, policy_text, rule_table
from precwatch.io.records import InputError, Reject
from precwatch.io.report import Provenance, ReportCollector, file_sha256
from precwatch.io.results import RejectWriter, open_results
from precwatch.io.run_summary import RunSummary, file_hashes
from precwatch.io.tables import SCREEN_FORMATS, RawRows, read_raw
from precwatch.io.watchlists import WatchlistError
from precwatch.pipelines.engine import ScreeningError, run_local
from precwatch.pipelines.screen import ScreenJob


def _mapping(spec: str | None, kind: Kind) -> dict[str, str | None]:
    """`--map` is either field=column pairs or the path of a mapping file."""
    if not spec:
        return {}
    if "=" not in spec and Path(spec).exists():
        return load_mapping(spec, kind)
    return parse_mapping(spec, kind)


@click.command()
@kb_option
@click.argument("path", default="-", metavar="[PATH|-]")
@click.option(
    "--kind", type=click.Choice(["declarations", "listings"]), default="declarations", show_default=True
)
@click.option("--input-format", type=click.Choice(SCREEN_FORMATS),
              help="Default: from the extension, else sniffed from the first bytes.")  # fmt: skip
@input_options
@click.option("--map", "map_spec", metavar="SPEC|FILE",
              help="Column names of your file: 'shipper_name=Exporter,hs_code=HS Code', or a YAML/JSON/CSV mapping file.")  # fmt: skip
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False),
              help="Screening policy YAML (weights, thresholds, word lists); default: the bundled one.")  # fmt: skip
@click.option("--show-policy", is_flag=True, help="Print the policy in force (YAML) and exit.")
@click.option(
    "--list-rules",
    is_flag=True,
    help="List every risk rule of both kinds, its weights and explanation, and exit.",
)
@click.option("--format", "rules_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="--list-rules output.")  # fmt: skip
@click.option("--watchlist", "watchlists", multiple=True, type=click.Path(dir_okay=False),
              help="Watchlist: CSV (name,aliases,country,program,source), FollowTheMoney JSON lines, or OFAC SDN CSV; repeatable.")  # fmt: skip
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Results: .jsonl, .csv or .parquet (default: JSONL on stdout).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    help="Write a self-contained HTML report here.",
)
@click.option("--rejects", "rejects_given", type=click.Path(dir_okay=False),
              help="Where malformed rows go (default: <input name>.rejects.jsonl, written only if needed).")  # fmt: skip
@click.option("--systematic/--no-systematic", default=None,
              help="Convert systematic names in descriptions to structures with OPSIN (default: when Java is found).")  # fmt: skip
@engine_options(jobs_default="every core")
@hub_screen_options
@click.option("--min-level", type=click.Choice(["high", "medium", "low", "none"]), default="none",
              show_default=True, help="Write only records at or above this level (the summary counts all).")  # fmt: skip
@nightly_options
@progress_option
def screen(
    kb_path: str | None,
    path: str,
    kind: Kind,
    input_format: str | None,
    map_spec: str | None,
    policy_path: str | None,
    show_policy: bool,
    list_rules: bool,
    rules_format: str,
    watchlists: tuple[str, ...],
    out: str | None,
    report_path: str | None,
    rejects_given: str | None,
    systematic: bool | None,
    engine: str,
    jobs: int | None,
    spark_master: str,
    hub_url: str | None,
    hub_token: str | None,
    notification_window: int,
    min_level: str,
    summary_json: str | None,
    fail_on_rejects: bool,
    progress: bool | None,
    encoding: str | None,
    delimiter: str | None,
    max_text_bytes: int,
) -> None:
    """Score every declaration (default) or listing in PATH for precursor-trafficking risk.

    PATH is CSV, TSV, JSON Lines or Parquet ('-' = stdin). Each record gets a score (0-100), a level
    (high, medium, low, none) and the reasons behind it; malformed rows go to the rejects file with
    file, line, field and reason. The summary on stderr says `read = scored + rejected`. Exit status
    0 when the input was usable, 2 when not.
    """
    if show_policy:
        click.echo(policy_text(policy_path), nl=False)
        return
    if list_rules:
        _list_rules(policy_path, rules_format)
        return
    name = input_name(path)
    job = ScreenJob(
        kind,
        kb_path,
        policy_path=policy_path,
        watchlist_paths=tuple(watchlists),
        file_name=name,
        systematic=systematic_wanted(systematic),
        notifications=notification_book(hub_url, hub_token, notification_window),
    )
    summary = RunSummary("screen", name)
    try:
        mapping = _mapping(map_spec, kind)
        screener = job.screener()
        items, total, counter, source = _results(
            path, input_format, job, mapping, engine, jobs, spark_master,
            read=dict(encoding=encoding, delimiter=delimiter, max_text_bytes=max_text_bytes or None),
        )  # fmt: skip
    except (InputError, PolicyError, KnowledgeBaseError, WatchlistError) as exc:
        fail(exc)
    version = screener.kb.version
    summary.versions = {
        "kb": version,
        "policy": screener.policy.version,
        "policy_sha256": policy_hash(policy_path),
        "watchlists": file_hashes(watchlists),
    }
    rejects_file = rejects_path(path, rejects_given)
    collector = None
    if report_path:
        provenance = Provenance(
            version,
            screener.policy.version,
            tuple((Path(w).name, file_sha256(w) or "") for w in watchlists),
            file_sha256(path),
        )
        collector = ReportCollector(
            kind, version, name, provenance=provenance, thresholds=screener.policy.levels
        )
    levels: Counter[str] = summary.levels
    keep = LEVELS[: LEVELS.index(min_level) + 1]
    bar = progress_bar(
        TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), show=progress
    )
    task = bar.add_task("screen", total=total)
    with ExitStack() as stack:
        stack.enter_context(stop_on_signals())
        stack.callback(getattr(items, "close", lambda: None))
        try:
            writer = stack.enter_context(open_results(out, version))
        except InputError as exc:
            fail(exc)
        rejects = stack.enter_context(RejectWriter(rejects_file))
        stack.enter_context(bar)
        try:
            for n, item in enumerate(items, start=1):
                if isinstance(item, Reject):
                    rejects.write(item)
                    summary.reject(item)
                    if collector:
                        collector.add_reject(item)
                else:
                    summary.read += 1
                    summary.seen(item.id)
                    quality = [r for r in item.reasons if r.code == "data-quality"]
                    if quality:
                        summary.data_quality["*"] += 1
                        for r in quality:
                            summary.data_quality[r.detail.split(" ", 1)[0]] += 1
                    if item.level in keep:
                        writer.write(item)
                    levels[item.level] += 1
                    if collector:
                        collector.add(item, item.record)
                if n % 2000 == 0:
                    bar.update(task, completed=counter())
        except (ScreeningError, InputError) as exc:
            fail(exc)
        bar.update(task, completed=counter())
        summary.written = writer.count
    if source is not None:
        summary.input_info = input_info(source)
    _summary(levels, rejects.count, rejects_file, version, screener.policy.version)
    if source is not None:
        note_input(source, summary)
    if summary_json:
        summary.write(summary_json)
    if collector and report_path:
        Path(report_path).write_text(collector.render(), encoding="utf-8")
        err.print(f"report written to {report_path}")
    if sum(levels.values()) == 0:
        fail("no usable record in the input")
    if fail_on_rejects and rejects.count:
        err.print(f"[red]failing:[/red] {rejects.count} records rejected (--fail-on-rejects)")
        sys.exit(EXIT_PROBLEMS)


def _results(
    path: str, fmt: str | None, job: ScreenJob, mapping: dict[str, str | None], engine: str,
    jobs: int | None, master: str, *, read: dict[str, Any],
) -> tuple[Iterator[Verdict | Reject], int | None, Callable[[], int], Source | None]:  # fmt: skip
    """The engine's results in input order, the progress total, and a callable giving progress so far."""
    if engine == "spark":
        from precwatch.spark.engine import run_spark

        items = run_spark(path, fmt, job=job, mapping=mapping, master=master)
        done = Counter[str]()

        def counted() -> Iterator[Verdict | Reject]:
            for item in items:
                done["n"] += 1
                yield item

        return counted(), None, lambda: done["n"], None
    rows: RawRows
    rows, total = read_raw(path, fmt, kind=job.kind, mapping=mapping, **read)
    if rows.absent and rows.source.format != "jsonl":
        err.print(
            f"[yellow]note:[/yellow] not in {rows.source.name}, read as empty: {', '.join(rows.absent)}"
        )
    return run_local(rows, job, jobs=jobs), total, lambda: rows.progress.done, rows.source


def _list_rules(policy_path: str | None, fmt: str) -> None:
    """Every rule of both kinds, with its codes, weights in force and explanation."""
    try:
        policy = load_policy(policy_path)
    except PolicyError as exc:
        fail(exc)
    rules = rule_table(policy)
    if fmt == "json":
        click.echo(json.dumps(rules, ensure_ascii=False, indent=2))
        return
    for rule in rules:
        weights = ", ".join(f"{code} {_weight_text(w)}" for code, w in rule["weights"].items())
        click.echo(f"{weights}  ({rule['kind']}; {', '.join(rule['applies_to'])})\n    {rule['explanation']}")


def _weight_text(weight: object) -> str:
    """A weight as text: a number, or per-case weights `listed 60/salt 60/masked 50`."""
    if isinstance(weight, dict):
        return "/".join(f"{case} {w}" for case, w in weight.items())
    return str(weight)


def _summary(levels: Counter[str], rejected: int, rejects_file: str, kb_version: str, policy: str) -> None:
    scored = sum(levels.values())
    by_level = ", ".join(f"{levels[lv]} {lv}" for lv in LEVELS)
    err.print(
        f"read {scored + rejected} records: {scored} scored ({by_level}), {rejected} rejected"
        f" | knowledge base {kb_version}, policy {policy}"
        + (f" | rejects in {rejects_file}" if rejected else "")
    )
