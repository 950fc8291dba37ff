"""One screening job: what to screen against, as a small picklable value every engine can rebuild.

A `ScreenJob` names the knowledge base, policy and watchlists by path; `screener()` builds the
`Screener` once per process (workers and Spark executors included) and caches it. `screen_rows` is the
unit of work every engine calls: raw rows in, verdicts and rejects out, in order.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass

from precwatch.core.screening.notification_rules import NotificationBook
from precwatch.core.screening.records import Kind
from precwatch.core.screening.screener import Screener
from precwatch.core.screening.verdict import Verdict
from precwatch.data import load_kb
from precwatch.io.opsin import Opsin
from precwatch.io.policy import load_policy
from precwatch.io.records import Reject
from precwatch.io.tables import RawRow, parse_rows

_SCREENERS: dict[ScreenJob, Screener] = {}
_RESOLVERS: dict[int, Opsin] = {}
"""One OPSIN JVM per process (a forked worker must not share its parent's pipes)."""


@dataclass(frozen=True, slots=True)
class ScreenJob:
    """What a screening run uses. Paths, not objects, so it pickles and broadcasts cheaply."""

    kind: Kind = "declarations"
    kb_path: str | None = None
    _: KW_ONLY
    policy_path: str | None = None
    watchlist_paths: tuple[str, ...] = ()
    file_name: str = "<input>"
    systematic: bool = False
    """Convert systematic names in descriptions to structures with OPSIN (needs Java)."""
    notifications: NotificationBook | None = None
    """The hub's pre-export notifications (fetched once, before the run) declarations are checked against."""

    def screener(self) -> Screener:
        """The screener for this job, built on first use in this process and then reused."""
        found = _SCREENERS.get(self)
        if found is None:
            from precwatch.io.watchlists import load_watchlists

            watchlist = load_watchlists(list(self.watchlist_paths)) if self.watchlist_paths else None
            found = Screener(
                load_kb(self.kb_path),
                load_policy(self.policy_path),
                watchlist,
                notifications=self.notifications,
            )
            _SCREENERS[self] = found
        return found

    def screen_rows(self, rows: Sequence[RawRow]) -> list[Verdict | Reject]:
        """Parse and screen raw rows, in order; a row that does not parse becomes a reject naming the
        file, line and field."""
        screener = self.screener()
        if self.systematic:
            screener.resolver = _resolver()
        return [
            item if isinstance(item, Reject) else screener.screen(item)
            for item in parse_rows(rows, self.kind, self.file_name)
        ]


def _resolver() -> Opsin:
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
