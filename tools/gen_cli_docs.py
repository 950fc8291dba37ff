"""Generate docs/cli.md from the `--help` of every precwatch command and subcommand.

Usage:
    python tools/gen_cli_docs.py            # (re)write docs/cli.md
    python tools/gen_cli_docs.py --check    # exit 1 when docs/cli.md is not what the CLI says today

The page is the CLI's own help text, rendered by click at a fixed width (100 columns) so the output does not
depend on the terminal; tests/test_docs.py regenerates it and fails when the committed page differs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cli.md"
WIDTH = 100
HEADER = """# Command-line reference

Generated from `precwatch --help` by `python tools/gen_cli_docs.py`; do not edit by hand (`tests/test_docs.py`
fails when this page and the CLI disagree). Task-oriented pages explain the commands with examples:
[identify](identify.md), [structures](structures.md), [screen](screen.md), [kb](kb.md),
[hub API](hub-api.md), [market](market.md), [osint](osint.md).
"""


def walk(
    command: click.Command, path: tuple[str, ...], parent: click.Context | None = None
) -> Iterator[tuple[tuple[str, ...], click.Context]]:
    """Every command under `command` (itself first), depth first in name order, with its click context."""
    settings = {**command.context_settings, "max_content_width": WIDTH, "terminal_width": WIDTH}
    ctx = click.Context(command, info_name=path[-1], parent=parent, **settings)
    yield path, ctx
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, (*path, name), ctx)


def commands() -> list[tuple[str, ...]]:
    """Every command path, e.g. ("precwatch", "kb", "show")."""
    from precwatch.cli import main

    return [path for path, _ in walk(main, ("precwatch",))]


def render() -> str:
    """The whole page: one section per command, its help text in a `text` block."""
    from precwatch.cli import main

    parts = [HEADER]
    for path, ctx in walk(main, ("precwatch",)):
        depth = min(len(path) + 1, 4)
        help_text = ctx.command.get_help(ctx).rstrip()
        parts.append(f"{'#' * depth} `{' '.join(path)}`\n\n```text\n{help_text}\n```\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Write docs/cli.md, or with --check compare it with the CLI."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/cli.md is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print("docs/cli.md is out of date: run python tools/gen_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)} ({len(commands())} commands)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
