"""The market store on SQLite and PostgreSQL: snapshots replace themselves, judgements accumulate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.market.judgements import Judgement
from precwatch.pipelines import market as jobs
from precwatch.store.market import MarketStore, SnapshotInfo, market_contacts, market_listings

SAMPLES = Path(__file__).resolve().parents[2] / "examples/market"


@pytest.fixture
def mstore(db_url: str) -> Iterator[MarketStore]:
    s = MarketStore.from_url(db_url)
    s.init()
    try:
        yield s
    finally:
        s.close()


def _rows(n: int) -> list[dict[str, object]]:
    return [
        {"listing_key": f"p|{i}", "listing_id": str(i), "title": f"t{i}", "captured_at": "2024-01-01",
         "contacts": [{"kind": "phone", "value": f"+8613900000{i:03d}"}], "matches": []}
        for i in range(n)
    ]  # fmt: skip


def _count(store: MarketStore, table: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_replacing_a_snapshot_is_idempotent(mstore: MarketStore) -> None:
    info = SnapshotInfo("p@2024-01-01", "p", "2024-01-01", "src", 4, 3, 1)
    reject = {"file": "x.jsonl", "line": 4, "reason": "not JSON", "raw": "<"}
    for _ in range(2):
        mstore.replace_snapshot(info, _rows(3), [reject])
    assert _count(mstore, market_listings) == 3 and _count(mstore, market_contacts) == 3
    assert mstore.snapshots() == [info]
    assert mstore.rejects(info.id) == [reject]
    mstore.replace_snapshot(SnapshotInfo("p@2024-01-01", "p", "2024-01-01", "src", 1, 1, 0), _rows(1), [])
    assert [r["listing_key"] for r in mstore.listings()] == ["p|0"] and mstore.rejects(info.id) == []


def test_listing_keys_and_judgements(mstore: MarketStore) -> None:
    mstore.replace_snapshot(SnapshotInfo("p@1", "p", "2024-01-01", "s", 2, 2, 0), _rows(2), [])
    assert mstore.listing_keys("1") == ["p|1"] and mstore.listing_keys("p|0") == ["p|0"]
    assert mstore.listing_keys("nope") == []
    mstore.add_judgement(Judgement("p|0", "p|1", same=False, author="ana", note="different directors"))
    mstore.add_judgement(Judgement("p|0", "p|1", same=True))
    got = mstore.judgements()
    assert [(j.a, j.b, j.same, j.author) for j in got] == [
        ("p|0", "p|1", False, "ana"),
        ("p|0", "p|1", True, ""),
    ]


def test_ingest_samples_twice_changes_nothing(mstore: MarketStore, kb: KnowledgeBase) -> None:
    path = str(SAMPLES / "made-in-china/2024-06-01")
    first = jobs.ingest(mstore, path, platform="made-in-china", captured_at="2024-06-01", kb=kb)
    before = list(mstore.listings())
    second = jobs.ingest(mstore, path, platform="made-in-china", captured_at="2024-06-01", kb=kb)
    assert (
        (first.read, first.stored, first.rejected)
        == (second.read, second.stored, second.rejected)
        == (8, 7, 1)
    )
    assert list(mstore.listings()) == before
