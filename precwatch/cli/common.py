"""What every `precwatch` command shares: the error console, the --kb option, the KB loader, the OPSIN
resolver and its Java notice, the rejects-file rule, progress bars and the exit codes.

Exit codes: 0 the input was usable (even if nothing matched), 1 a check found problems, 2 unusable input
or options (`fail`).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.progress import Progress, ProgressColumn

from precwatch.core.kb.knowledge import KnowledgeBase, KnowledgeBaseError
from precwatch.data import load_kb
from precwatch.io.formats import Source
from precwatch.io.opsin import Opsin, OpsinUnavailable, java_available
from precwatch.io.records import Reject
from precwatch.io.run_summary import RunSummary
from precwatch.io.tables import DEFAULT_MAX_TEXT_BYTES

err = Console(stderr=True, highlight=False)
"""Messages, notes, summaries and progress go to stderr; results go to stdout or --out."""

EXIT_UNUSABLE = 2
"""Exit status for input or options that cannot be used (nothing usable was produced)."""

JAVA_NOTE = "[yellow]note:[/yellow] Java not found: systematic names are not converted (install Java 11+)"

kb_option: Callable[[Callable[..., Any]], Callable[..., Any]] = click.option(
    "--kb",
    "kb_path",
    metavar="FILE",
    default=None,
    help="Knowledge-base YAML to use instead of the bundled one.",
)


def load_kb_or_fail(path: str | None) -> KnowledgeBase:
    """The bundled KB, or the one at `path`; a malformed KB is a usage error naming the entry and field."""
    try:
        return load_kb(path)
    except KnowledgeBaseError as exc:
        raise click.ClickException(str(exc)) from exc


def fail(message: object) -> NoReturn:
    """Print `error: message` on stderr and exit with status 2 (unusable input or options)."""
    err.print(f"[red]error:[/red] {message}")
    sys.exit(EXIT_UNUSABLE)


def systematic_wanted(systematic: bool | None) -> bool:
    """--systematic/--no-systematic: explicit choice, else on when Java is found (with a note when not)."""
    if systematic is not None:
        return systematic
    if java_available():
        return True
    err.print(JAVA_NOTE)
    return False


def opsin_resolver(systematic: bool | None) -> Opsin | None:
    """An OPSIN name-to-structure converter, or None (with one line on stderr saying why)."""
    if systematic is False:
        return None
    if not java_available():
        err.print(JAVA_NOTE)
        return None
    try:
        return Opsin()
    except OpsinUnavailable as exc:
        err.print(f"[yellow]note:[/yellow] {exc}")
        return None


def rejects_path(path: str, given: str | None) -> str:
    """The rejects file: --rejects, else `<input name>.rejects.jsonl` in the working directory."""
    return given or f"{'stdin' if path == '-' else Path(path).name}.rejects.jsonl"


def input_name(path: str) -> str:
    """How an input is named in messages and rejects: its path, or `<stdin>` for '-'."""
    return "<stdin>" if path == "-" else path


def write_rejects(rejected: Sequence[Reject], path: str, *, shown: int = 5) -> None:
    """Write the rejects file (only when there are rejects) and show the first few on stderr."""
    if not rejected:
        return
    with Path(path).open("w", encoding="utf-8") as fh:
        for r in rejected:
            fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    for r in rejected[:shown]:
        where = f"{r.file}:{r.line}{' field ' + r.field if r.field else ''}"
        err.print(f"[yellow]rejected[/yellow] {where}: {r.reason}")
    if len(rejected) > shown:
        err.print(f"... and {len(rejected) - shown} more")


def progress_bar(*columns: ProgressColumn | str, show: bool | None) -> Progress:
    """A rich progress bar on stderr; `show` None means: when stderr is a terminal."""
    return Progress(*columns, console=err, disable=not (err.is_terminal if show is None else show))


progress_option: Callable[[Callable[..., Any]], Callable[..., Any]] = click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal)."
)


HUB_TOKEN_ENV = "PRECWATCH_HUB_TOKEN"
"""Where `--token` is read from when not given (keeps the token out of shell history)."""

token_option: Callable[[Callable[..., Any]], Callable[..., Any]] = click.option(
    "--token",
    envvar=HUB_TOKEN_ENV,
    default=None,
    metavar="TOKEN",
    help=f"Your hub API token (default: ${HUB_TOKEN_ENV}).",
)


def report_push(summary: Any, *, what: str) -> None:
    """The summary of a push to the hub (`pipelines.push.PushSummary`): pushed, skipped and why."""
    for name, reason in summary.skipped:
        err.print(f"[yellow]not pushed[/] {name}: {reason}")
    err.print(
        f"{summary.read} {what} read = {len(summary.pushed)} pushed + {len(summary.skipped)} not pushed"
    )


EXIT_PROBLEMS = 1
"""Exit status when the run finished but found problems the caller asked to fail on (--fail-on-rejects)."""


def input_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--encoding, --delimiter and --max-text-bytes: how an input file is read (`precwatch.io.formats`)."""
    fn = click.option("--max-text-bytes", type=click.IntRange(0), default=DEFAULT_MAX_TEXT_BYTES,
                      show_default=True,
                      help="Reject (text-too-long) a record whose text is longer (identification time grows in "
                           "proportion to the text); 0 = no limit.")(fn)  # fmt: skip
    fn = click.option("--delimiter", metavar="CHAR",
                      help="CSV delimiter (default: sniffed among , ; tab |; tab for .tsv).")(fn)  # fmt: skip
    return click.option("--encoding", metavar="NAME",
                        help="Input encoding (default: UTF-8, a BOM's, else detected).")(fn)  # fmt: skip


def nightly_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--summary-json and --fail-on-rejects: what a scheduled run needs."""
    fn = click.option("--fail-on-rejects", is_flag=True,
                      help="Exit with status 1 when any record was rejected.")(fn)  # fmt: skip
    return click.option("--summary-json", metavar="FILE", type=click.Path(dir_okay=False),
                        help="Write the run's counts, rejects by reason, versions and input hash as JSON.")(fn)  # fmt: skip


def engine_options(*, jobs_default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--engine, --jobs and --spark-master: where the work runs (`precwatch.pipelines.engine`,
    `precwatch.spark`). `jobs_default` says, in the help, what no --jobs means for the command."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option("--spark-master", default="local[*]", show_default=True,
                          help="Spark engine: master URL.")(fn)  # fmt: skip
        fn = click.option("--jobs", type=click.IntRange(1),
                          help=f"Local engine: worker processes (default: {jobs_default}).")(fn)  # fmt: skip
        return click.option("--engine", type=click.Choice(["local", "spark"]), default="local",
                            show_default=True,
                            help="local: this machine (--jobs); spark: Spark (pip install 'precwatch[spark]').")(fn)  # fmt: skip

    return decorate


class Interrupted(BaseException):
    """SIGTERM or SIGINT arrived: stop reading, stop the workers and JVMs, keep no partial output."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into `Interrupted`, and exit 128 + the signal's number after cleanup."""

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    except Interrupted as exc:
        for s, handler in previous.items():
            signal.signal(s, handler)
        err.print(f"[red]stopped:[/red] {exc} received; no output kept")
        sys.stdout.flush()
        sys.stderr.flush()
        # everything is cleaned up by now (workers, JVMs, temporary files): exit at once, without waiting
        # for the process pool's management thread at interpreter exit
        os._exit(128 + exc.signum)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def input_info(source: Source) -> dict[str, object]:
    """The input as the summary JSON describes it."""
    return {"format": source.format, "encoding": source.encoding, "encoding_detected": source.detected,
            "bytes": source.raw_bytes if source.format != "parquet" else source.size,
            "sha256": source.sha256}  # fmt: skip


def note_input(source: Source, summary: RunSummary) -> None:
    """One stderr line when the input's encoding was detected, and one about duplicate ids."""
    if source.detected:
        err.print(f"[yellow]note:[/yellow] {source.name}: encoding {source.shown_encoding}")
    dups = sum(summary.duplicate_ids.values())
    if dups:
        shown = ", ".join(list(summary.duplicate_ids)[:5])
        err.print(
            f"[yellow]note:[/yellow] {dups} duplicate ids ({shown}{', ...' if len(summary.duplicate_ids) > 5 else ''})"
        )
