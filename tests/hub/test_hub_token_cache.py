"""The token cache: a token the database confirmed is trusted for a few seconds, never past its expiry,
never after a revocation through the same hub; failures are never remembered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import Hub
from precwatch.hub.token_cache import TokenCache
from precwatch.store.tables import tokens

SECRET = "test-secret-0123456789"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
VIEWER = Viewer(1, 2, "analyst", "a@x.example")


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_an_entry_is_trusted_for_ttl_seconds_then_forgotten() -> None:
    clock = Clock()
    cache = TokenCache(ttl=5.0, clock=clock)
    cache.put("h", VIEWER, NOW + timedelta(days=1))
    assert cache.get("h", NOW) == VIEWER
    clock.t += 4.9
    assert cache.get("h", NOW) == VIEWER
    clock.t += 0.1
    assert cache.get("h", NOW) is None and len(cache) == 0
    assert cache.get("other", NOW) is None


def test_an_entry_never_outlives_the_tokens_expiry() -> None:
    cache = TokenCache(ttl=60.0, clock=Clock())
    cache.put("h", VIEWER, NOW + timedelta(seconds=1))
    assert cache.get("h", NOW) == VIEWER
    assert cache.get("h", NOW + timedelta(seconds=1)) is None


def test_size_is_bounded_and_ttl_zero_turns_it_off() -> None:
    cache = TokenCache(ttl=5.0, max_entries=3, clock=Clock())
    for n in range(5):
        cache.put(f"h{n}", VIEWER, NOW + timedelta(days=1))
    assert len(cache) == 3 and cache.get("h0", NOW) is None and cache.get("h4", NOW) == VIEWER
    off = TokenCache(ttl=0)
    off.put("h", VIEWER, NOW + timedelta(days=1))
    assert off.get("h", NOW) is None
    with pytest.raises(ValueError):
        TokenCache(ttl=-1)


@pytest.fixture
def hub(hub: Hub) -> Hub:
    """The hub with the cache turned on, as an operator does with PRECWATCH_HUB_TOKEN_CACHE_SECONDS=5."""
    hub.ctx.tokens.ttl = 5.0
    return hub


def test_the_cache_is_off_unless_the_operator_turns_it_on() -> None:
    assert TokenCache().ttl == 0


def _token(hub: Hub) -> tuple[str, str]:
    org = hub.create_org("MX", "MX")
    user = hub.create_user("a@mx.example", org.id, role="analyst")
    info, raw = hub.issue_token(user.id, datetime.now(UTC) + timedelta(days=1), secret=SECRET)
    return info.id, raw


def test_the_hub_answers_a_confirmed_token_without_the_database_until_revoked(hub: Hub) -> None:
    token_id, raw = _token(hub)
    assert hub.cached_viewer(raw, SECRET) is None  # not confirmed yet
    viewer = hub.authenticate(raw, SECRET)
    assert viewer is not None and hub.cached_viewer(raw, SECRET) == viewer
    assert hub.cached_viewer(raw, "another-secret") is None
    assert hub.revoke_token(token_id)
    assert hub.cached_viewer(raw, SECRET) is None
    assert hub.authenticate(raw, SECRET) is None


def test_a_revocation_by_another_process_is_seen_within_the_ttl(hub: Hub) -> None:
    token_id, raw = _token(hub)
    assert hub.authenticate(raw, SECRET) is not None
    with hub.engine.begin() as conn:  # as the CLI in another process would: this hub's cache is not told
        conn.execute(update(tokens).where(tokens.c.id == token_id).values(revoked_at=datetime.now(UTC)))
    assert hub.authenticate(raw, SECRET) is not None  # still trusted: the documented window
    hub.ctx.tokens.clock = lambda: float("inf")  # the window has passed
    assert hub.authenticate(raw, SECRET) is None


def test_failures_are_never_remembered(hub: Hub) -> None:
    _, raw = _token(hub)
    assert hub.authenticate(raw + "x", SECRET) is None
    assert len(hub.ctx.tokens) == 0
