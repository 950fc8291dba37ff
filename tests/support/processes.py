"""Processes below a test's subprocess, and the check that a signalled run stopped cleanly."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (workers, and the JVMs they started)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def is_java(pid: int) -> bool:
    try:
        return b"java" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def assert_sigterm_stops_cleanly(proc: subprocess.Popen[bytes], started: set[int], out: Path) -> None:
    """SIGTERM to `proc`: it exits 143 saying so, leaves neither `out` nor its temporary file, and every
    process it had started (`started`) is gone."""
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert b"SIGTERM" in err
    assert not out.exists()
    assert not list(out.parent.glob(f".{out.name}.*"))
    for _ in range(100):
        if not any(Path(f"/proc/{pid}").exists() for pid in started):
            break
        time.sleep(0.1)
    assert not [pid for pid in started if Path(f"/proc/{pid}").exists()]
