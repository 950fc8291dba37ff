"""One OPSIN converter (one JVM) per process, for the jobs every engine runs.

A job names whether it converts systematic names; the converter itself is not part of the job (a JVM and
its pipes cannot be pickled, and a forked worker must not share its parent's pipes), so each process
starts its own on first use and stops it when the run ends or a signal stops the process.
"""

from __future__ import annotations

import os

from precwatch.io.opsin import Opsin

_RESOLVERS: dict[int, Opsin] = {}


def process_resolver() -> Opsin:
    """This process's OPSIN converter, started on first use."""
    pid = os.getpid()
    found = _RESOLVERS.get(pid)
    if found is None:
        found = _RESOLVERS[pid] = Opsin()
    return found


def close_resolvers() -> None:
    """Stop this process's OPSIN JVM, if one was started."""
    found = _RESOLVERS.pop(os.getpid(), None)
    if found is not None:
        found.close()
