"""One screening job: what to screen against, as a small picklable value every engine can rebuild.

A `ScreenJob` names the knowledge base, policy and watchlists by path; `screener()` builds the
`Screener` once per process (workers and Spark executors included) and caches it. `screen_rows` is the
unit of work every engine calls: raw rows in, verdicts and rejects out, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, replace

from precwatch.core.screening.notification_rules import NotificationBook
from precwatch.core.screening.records import Kind
from precwatch.core.screening.screener import Screener
from precwatch.core.screening.verdict import Verdict
from precwatch.data import load_kb
from precwatch.io.policy import load_policy
from precwatch.io.records import Reject
from precwatch.io.tables import RawRow, parse_rows
from precwatch.pipelines.resolver import close_resolvers, process_resolver

__all__ = ["ScreenJob", "close_resolvers"]

_SCREENERS: dict[ScreenJob, Screener] = {}

WARM_UP_ROW: RawRow = (0, {"id": "warm-up", "description": "NPP (CAS 39742-60-4), 4-piperidone"})
"""A row screened (and thrown away) before forking, so that lazily built indexes exist in the parent."""

_Plain = tuple[str, int, str, int]
"""A verdict with no reasons, matches or record, as (id, score, level, line): most verdicts, and much
cheaper to send between processes than the object."""


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

    verb = "screening"

    def warm_up(self) -> None:
        """Build the screener and the indexes it builds on first use, in this process.

        Forked workers then share them instead of each building its own; and a broken knowledge base,
        policy or watchlist fails here, in the caller, before any row is read.
        """
        self.screener()
        # the knowledge base's indexes are shared by every screener of this process; OPSIN (systematic
        # names) is not warmed: each process starts its own JVM, and the parent of a pool needs none
        (replace(self, systematic=False) if self.systematic else self).screen_rows([WARM_UP_ROW])

    def process(self, rows: Sequence[RawRow]) -> list[Verdict | Reject]:
        """The unit of work of every engine (`precwatch.pipelines.engine.Job`): `screen_rows`."""
        return self.screen_rows(rows)

    @staticmethod
    def pack(results: list[Verdict | Reject]) -> list[Verdict | Reject | _Plain]:
        """Results as a worker sends them back: a plain verdict as a tuple."""
        return [
            (r.id, r.score, r.level, r.line)
            if type(r) is Verdict and not r.reasons and not r.matches and r.record is None
            else r
            for r in results
        ]

    @staticmethod
    def unpack(packed: list[Verdict | Reject | _Plain]) -> list[Verdict | Reject]:
        """`pack` undone."""
        return [Verdict(r[0], r[1], r[2], (), (), r[3]) if type(r) is tuple else r for r in packed]  # type: ignore[misc]

    def paths(self) -> tuple[str, ...]:
        """The files the job names (knowledge base, policy, watchlists): shipped to Spark executors."""
        return tuple(p for p in (self.kb_path, self.policy_path, *self.watchlist_paths) if p is not None)

    def moved(self, to: dict[str, str]) -> ScreenJob:
        """The same job with the files in `to` read from their new paths."""
        return replace(
            self,
            kb_path=to.get(self.kb_path, self.kb_path) if self.kb_path else None,
            policy_path=to.get(self.policy_path, self.policy_path) if self.policy_path else None,
            watchlist_paths=tuple(to.get(p, p) for p in self.watchlist_paths),
        )

    def screen_rows(self, rows: Sequence[RawRow]) -> list[Verdict | Reject]:
        """Parse and screen raw rows, in order; a row that does not parse becomes a reject naming the
        file, line and field."""
        screener = self.screener()
        if self.systematic:
            screener.resolver = process_resolver()
        return [
            item if isinstance(item, Reject) else screener.screen(item)
            for item in parse_rows(rows, self.kind, self.file_name)
        ]
