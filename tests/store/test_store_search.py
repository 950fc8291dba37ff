"""Word search (`precwatch.store.search`): query building, and SQLite FTS5 and PostgreSQL agreeing on any text."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from precwatch.core.sharing.incidents import validate_incident
from precwatch.core.sharing.tlp import Viewer
from precwatch.store import IncidentFilter, accounts
from precwatch.store import incidents as repo
from precwatch.store.db import make_engine, upgrade
from precwatch.store.search import fts5_query, index_text, query_words, tsquery
from tests.support.backends import database_url
from tests.support.samples import seizure

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def test_index_text_puts_han_and_kana_characters_in_words_of_their_own() -> None:
    assert index_text(" abc嘉运def ピペ 12 ") == " abc 嘉 运 def ピ ペ 12 "
    assert index_text(" " + "x" * 201 + " kept ") == " kept "
    assert index_text("  ") == "  "  # like normalise_search("")


def test_queries_quote_every_word_as_a_term() -> None:
    words = query_words("Pipé%ridona 嘉运 abc嘉 it's")
    assert words == [["pipe"], ["ridona"], ["嘉", "运"], ["abc", "嘉"], ["it"], ["s"]]
    assert (
        tsquery(words)
        == "('pipe':*) & ('ridona':*) & ('嘉' <-> '运') & ('abc' <-> '嘉') & ('it':*) & ('s':*)"
    )
    assert fts5_query(words[:3], "search_public") == 'search_public : ("pipe"* AND "ridona"* AND "嘉 运")'
    # what normalisation leaves can never hold a quote, but the quoting does not rely on it
    assert tsquery([["a'b\\"]]) == "('a''b\\\\':*)"
    assert fts5_query([['a"b']], "c") == 'c : ("a""b"*)'
    assert query_words("% _ * \\ ' \" & | ! : ( )") == []


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Engine, Viewer, Viewer]]]:
    """A migrated SQLite and PostgreSQL store, each with an owner and a partner organisation's analyst."""
    tmp: Path = tmp_path_factory.mktemp("twins")
    with database_url("sqlite", tmp) as lite, database_url("postgresql", tmp) as pg:
        out = {}
        for name, url in (("sqlite", lite), ("postgresql", pg)):
            engine = make_engine(url)
            upgrade(engine)
            viewers = []
            with engine.begin() as conn:
                for code in ("MX", "US"):
                    org = accounts.insert_org(conn, f"{code} agency", code, created_at=NOW)
                    user = accounts.insert_user(
                        conn, f"a@{code.lower()}.example", org.id, role="analyst", created_at=NOW
                    )
                    viewers.append(Viewer(user.id, org.id, "analyst", user.email))
            out[name] = (engine, viewers[0], viewers[1])
        try:
            yield out
        finally:
            for engine, _, _ in out.values():
                engine.dispose()


ALPHABET = list("abcdeklmnoxyz019 ÁéíøłßΣςİ嘉运化工哌啶ピペ-_%*\\'\":&|!()<>@.,\t")
texts = st.text(alphabet=ALPHABET, max_size=40)
counter = itertools.count()


def _insert(engine: Engine, owner: Viewer, narrative: str, party: str, n: int) -> None:
    body = seizure(narrative=narrative or "-", tlp="green", owner_only=["name"])
    body["parties"] = [{"kind": "person", "role": "consignee", "name": party or "-"}]
    body = validate_incident(body)
    body["substances"] = []
    row = {
        "id": f"r{n}-{uuid.uuid4().hex[:8]}",
        "owner_org_id": owner.org_id,
        "owner_user_id": owner.user_id,
        "version": 1,
        "created_at": NOW,
        "updated_at": NOW,
        **repo.derived_columns(body),
    }
    with engine.begin() as conn:
        repo.insert_incident(conn, row, org_shares=[], user_shares=[])


def _results(engine: Engine, viewer: Viewer, f: IncidentFilter) -> list[str]:
    with engine.connect() as conn:
        rows, total = repo.list_visible(conn, viewer, f, limit=500, offset=0)
    assert total == len(rows)
    return sorted(str(r["id"]).split("-")[0] for r in rows)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(records=st.lists(st.tuples(texts, texts), min_size=1, max_size=3), queries=st.lists(texts, max_size=4))
def test_sqlite_and_postgresql_find_the_same_records(
    twins: dict[str, tuple[Engine, Viewer, Viewer]], records: list[tuple[str, str]], queries: list[str]
) -> None:
    """Any text, any query: both back ends give the same records, as the owner (full text) and as a partner
    (green, person names owner-only: never found by name). Queries include prefixes of the stored words."""
    for narrative, party in records:
        n = next(counter)
        for engine, owner, _ in twins.values():
            _insert(engine, owner, narrative, party, n)
    words = [w for narrative, _ in records for w in narrative.split()]
    for q in [*queries, *(w[: max(1, len(w) // 2)] for w in words[:4]), *words[:3]]:
        for f in (IncidentFilter(q=q), IncidentFilter(party=q)):
            if f.q is not None and len(query_words(q)) > repo.MAX_QUERY_WORDS:
                continue
            lite_engine, lite_owner, lite_partner = twins["sqlite"]
            pg_engine, pg_owner, pg_partner = twins["postgresql"]
            assert _results(lite_engine, lite_owner, f) == _results(pg_engine, pg_owner, f), f
            assert _results(lite_engine, lite_partner, f) == _results(pg_engine, pg_partner, f), f
            if f.party is not None:
                assert _results(pg_engine, pg_partner, f) == [], f
