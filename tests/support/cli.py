"""Run the `precwatch` command line as a user does: a fresh interpreter, real files, captured output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository root (examples/, tests/data/)."""


def run(
    *args: str, cwd: Path, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`precwatch ARGS` in `cwd` with a wide terminal, as a completed process (stdout, stderr, returncode)."""
    return subprocess.run(
        [sys.executable, "-m", "precwatch.cli", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
        timeout=timeout, env={**os.environ, "COLUMNS": "250"},
    )  # fmt: skip


def lines(path: Path) -> list[dict[str, object]]:
    """The JSON Lines file at `path` as a list of objects."""
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
