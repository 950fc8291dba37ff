"""A short-lived memory of tokens verified against the database, so a busy client is not looked up on
every request.

Why: authenticating a bearer token is the one database trip every API request makes before it does any
work (a pool checkout, the query, and a hop to the thread pool). A client sending
many requests with the same token pays it each time for the same answer.

What is remembered, and why it is safe:
- Only successful checks, keyed by the token's HMAC-SHA256 under the hub secret (the value the database
  holds, never the token itself). An unknown, expired or revoked token is never remembered, so a wrong
  guess always goes to the database and nothing about failures is kept.
- The token's own expiry is kept with the viewer and checked on every hit: a cached token stops working
  at its expiry to the microsecond, exactly as it does uncached.
- Each entry is trusted for `ttl` seconds (`TOKEN_CACHE_SECONDS`) after the database confirmed it, then
  checked again. A revocation through this `Hub` (the API or a CLI command in the same process) empties the
  cache at once. A revocation made by another process (the `precwatch hub revoke-token` CLI, another
  `precwatch serve` worker) reaches this process within `ttl` seconds: that is the price, bounded and
  stated. So the cache is off by default (`TOKEN_CACHE_SECONDS = 0`: every request is checked, a revoked
  token is refused at once); an operator turns it on with `PRECWATCH_HUB_TOKEN_CACHE_SECONDS`.
- Users never change organisation or role on this hub (no such use case exists), so the `Viewer` a token
  maps to cannot go stale other than by revocation or expiry. If such a use case is added, it must call
  `TokenCache.clear()` as revocation does.
- At most `max_entries` tokens are remembered (the oldest check is forgotten first), so memory is bounded
  whatever the number of clients.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from precwatch.core.sharing.tlp import Viewer

TOKEN_CACHE_SECONDS = 0.0
"""How long a token the database confirmed is trusted without asking again (see the module docstring)."""
MAX_ENTRIES = 10_000


class TokenCache:
    """Verified tokens by HMAC: (viewer, token expiry, when the database confirmed it). Thread-safe."""

    def __init__(
        self,
        ttl: float = TOKEN_CACHE_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl < 0:
            raise ValueError(f"ttl must be >= 0 seconds, got {ttl}")
        self.ttl, self.max_entries, self.clock = ttl, max_entries, clock
        self._entries: OrderedDict[str, tuple[Viewer, datetime, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token_hash: str, now: datetime) -> Viewer | None:
        """The viewer of a token confirmed less than `ttl` seconds ago and not expired at `now`, else None."""
        if self.ttl == 0:
            return None
        with self._lock:
            entry = self._entries.get(token_hash)
            if entry is None:
                return None
            viewer, expires_at, confirmed = entry
            if expires_at <= now or self.clock() - confirmed >= self.ttl:
                del self._entries[token_hash]
                return None
            return viewer

    def put(self, token_hash: str, viewer: Viewer, expires_at: datetime) -> None:
        """Remember a token the database has just confirmed as live."""
        if self.ttl == 0:
            return
        with self._lock:
            self._entries[token_hash] = (viewer, expires_at, self.clock())
            self._entries.move_to_end(token_hash)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every token (after a revocation: the next request of each is checked in the database)."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
