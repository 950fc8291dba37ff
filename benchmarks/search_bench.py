"""Hub search on PostgreSQL: `q=` by full-text search (tsvector + GIN) against the `LIKE '%word%'` scan it
replaced, and `party=` with its trigram index against the same `LIKE` without it, on one database in one run.

1. A fresh PostgreSQL schema (dropped afterwards) is migrated; `SEARCH_INCIDENTS` incidents (three
   organisations, every TLP level, shares) are inserted in bulk through the store's row mapping
   (`store.incidents.derived_columns`, so the search text is exactly what the hub writes), then `ANALYZE`.
   Narratives draw words from a Zipf-distributed vocabulary, so queries range from common to rare words.
2. For each query, as a partner organisation's analyst (the visibility rule in every statement), the count
   and the first page of 50 (what `GET /api/v1/incidents?q=` runs) are timed `REPEATS` times:
   - `fts`: the repository's statements (`store.incidents.list_visible`);
   - `like`: the statements as they were before migration 0006 (one `LIKE '%word%'` per word on the
     per-audience search text, the same visibility rule), over the same rows;
   - `party` is timed with its trigram index and with index scans disabled in the same transaction.
Reported: median milliseconds of each, match counts (prefix and substring semantics differ, so counts may
too), and the ratio baseline / new. Nothing is asserted.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Integer, and_, bindparam, func, insert, or_, select, text

from benchmarks import QUICK_RECORDS, BenchOptions, log
from benchmarks.hub_bench import PG_URL, fresh_schema
from precwatch.core.sharing.incidents import normalise_search, validate_incident
from precwatch.core.sharing.tlp import Viewer
from precwatch.store import IncidentFilter, accounts
from precwatch.store import incidents as repo
from precwatch.store.db import make_engine, upgrade
from precwatch.store.search import index_text
from precwatch.store.tables import incident_org_shares, incidents

SEARCH_INCIDENTS = 100_000
QUICK_INCIDENTS = 10_000
REPEATS = 7
PAGE = 50
VOCABULARY = 20_000
BATCH = 2_000
NOW = datetime(2025, 6, 1, tzinfo=UTC)
HAN = "湖北嘉运化工有限公司出口苯胺基哌啶至墨西哥港口查获"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randrange(2, 6)))


def _bodies(n: int, rng: random.Random, org_ids: list[int]) -> list[tuple[int, dict[str, Any]]]:
    vocabulary = sorted({_word(rng) for _ in range(VOCABULARY)})
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    out = []
    for i in range(n):
        owner = rng.choice(org_ids)
        tlp = rng.choices(("clear", "green", "amber", "amber+strict", "red"), (1, 5, 3, 1, 1))[0]
        words = rng.choices(vocabulary, weights, k=12)
        if i % 100 == 0:
            start = rng.randrange(len(HAN) - 6)
            words.append(HAN[start : start + rng.randrange(3, 7)])
        body = validate_incident(
            {
                "type": rng.choice(("seizure", "stopped-shipment", "suspicious-order", "online-offer")),
                "occurred_on": (day := (date(2024, 1, 1) + timedelta(days=rng.randrange(700))).isoformat()),
                "reported_on": day,
                "country": rng.choice(("MX", "US", "CN", "IN", "CA")),
                "substances_text": rng.choice(("NPP 39742-60-4", "4-AP", "1-boc-4-piperidone", "ANPP")),
                "parties": [
                    {
                        "kind": "company",
                        "role": "consignor",
                        "name": f"{rng.choice(vocabulary).title()} Trading Co",
                    }
                ],
                "narrative": " ".join(words),
                "tlp": tlp if tlp != "red" else "amber",
                "shared_with_orgs": [o for o in org_ids if o != owner and rng.random() < 0.3]
                if tlp.startswith("amber")
                else [],
            }
        )
        body["substances"] = []
        out.append((owner, body))
    return out


def populate(conn: Connection, n: int, rng: random.Random) -> tuple[Viewer, list[str], str]:
    """Organisations, one analyst each, `n` incidents in bulk; the partner analyst who searches, the
    vocabulary ranked by frequency (for picking common and rare query words) and a party name to look for."""
    orgs = [accounts.insert_org(conn, f"{c} agency", c, created_at=NOW) for c in ("MX", "US", "CN")]
    users = {
        o.id: accounts.insert_user(
            conn, f"a@{o.country.lower()}.example", o.id, role="analyst", created_at=NOW
        )
        for o in orgs
    }
    bodies = _bodies(n, rng, [o.id for o in orgs])
    counts: dict[str, int] = {}
    for start in range(0, n, BATCH):
        rows, shares = [], []
        for owner, body in bodies[start : start + BATCH]:
            incident_id = uuid.uuid4().hex
            for w in normalise_search(body["narrative"]).split():
                counts[w] = counts.get(w, 0) + 1
            rows.append(
                {
                    "id": incident_id,
                    "owner_org_id": owner,
                    "owner_user_id": users[owner].id,
                    "version": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                    **repo.derived_columns(body),
                }
            )
            shares += [{"incident_id": incident_id, "org_id": o} for o in body["shared_with_orgs"]]
        conn.execute(insert(incidents), rows)
        if shares:
            conn.execute(insert(incident_org_shares), shares)
    us = users[orgs[1].id]
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    party = bodies[n // 2][1]["parties"][0]["name"].split()[0][:5]
    return Viewer(us.id, us.org_id, "analyst", us.email), ranked, party


def like_statements(words: list[str]) -> tuple[Any, Any]:
    """Count and page as the store ran them before migration 0006: one `LIKE '%word%'` per word."""
    t, org_id = incidents.c, bindparam("viewer_org_id", type_=Integer)
    where = [repo.visible_clause()]
    for i, _ in enumerate(words):
        pat = bindparam(f"q{i}_pat")
        where.append(
            or_(
                and_(t.owner_org_id == org_id, t.search_owner.like(pat)),
                and_(t.owner_org_id != org_id, t.search_public.like(pat)),
            )
        )
    count = select(func.count()).select_from(incidents).where(*where)
    page = (
        select(*repo.OUTPUT_COLUMNS)
        .where(*where)
        .order_by(t.occurred_on.desc(), t.created_at.desc(), t.id)
        .limit(PAGE)
    )
    return count, page


def _like_runner(conn: Connection, q: str, params: dict[str, Any]) -> Callable[[], int]:
    """The old `LIKE` count and first page for query `q` (words as the index stores them)."""
    words = [index_text(w).strip() for w in normalise_search(q).split()]
    count, page = like_statements(words)
    values = {**params, **{f"q{i}_pat": f"%{w}%" for i, w in enumerate(words)}}

    def like() -> int:
        total = int(conn.execute(count, values).scalar_one())
        conn.execute(page, values).all()
        return total

    return like


def _median_ms(fn: Callable[[], int]) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 3), result


def _figure(new: tuple[float, int], old: tuple[float, int]) -> dict[str, Any]:
    return {
        "new_ms": new[0],
        "baseline_ms": old[0],
        "new_matches": new[1],
        "baseline_matches": old[1],
        "ratio_baseline_over_new": round(old[0] / new[0], 2) if new[0] else None,
    }


def measure(conn: Connection, viewer: Viewer, ranked: list[str], party: str) -> dict[str, Any]:
    params = repo.viewer_params(viewer)
    common, medium, rare = ranked[0], ranked[len(ranked) // 20], ranked[len(ranked) // 2]
    queries = {
        "common word": common,
        "medium word": medium,
        "rare word": rare,
        "prefix of a rare word": rare[:4],
        "two words": f"{medium} {common}",
        "Han phrase": "嘉运",
        "no match": "zzzqqq",
    }
    out: dict[str, Any] = {"words": queries}
    for label, q in queries.items():

        def fts(q: str = q) -> int:
            return repo.list_visible(conn, viewer, IncidentFilter(q=q), limit=PAGE, offset=0)[1]

        like = _like_runner(conn, q, params)
        fts()
        like()  # warm caches for both
        out[label] = _figure(_median_ms(fts), _median_ms(like))
        log(f"search: q={label}: {out[label]}")

    def party_indexed() -> int:
        return repo.count_visible(conn, viewer, IncidentFilter(party=party))

    def party_scan() -> int:
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))
        conn.execute(text("SET LOCAL enable_indexscan = off"))
        try:
            return party_indexed()
        finally:
            conn.execute(text("SET LOCAL enable_bitmapscan = on"))
            conn.execute(text("SET LOCAL enable_indexscan = on"))

    party_indexed()
    out["party (trigram index vs scan)"] = {
        "party": party,
        **_figure(_median_ms(party_indexed), _median_ms(party_scan)),
    }
    log(f"search: party: {out['party (trigram index vs scan)']}")
    return out


def run(opts: BenchOptions) -> dict[str, Any]:
    n = QUICK_INCIDENTS if opts.records <= QUICK_RECORDS else SEARCH_INCIDENTS
    rng = random.Random(opts.seed)
    with fresh_schema(PG_URL) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            start = time.perf_counter()
            with engine.begin() as conn:
                viewer, ranked, party = populate(conn, n, rng)
            with engine.connect() as conn:
                conn.execute(text("ANALYZE incidents"))
                conn.execute(text("ANALYZE incident_org_shares"))
                conn.commit()
            load_seconds = time.perf_counter() - start
            log(f"search: {n} incidents loaded in {load_seconds:.1f} s")
            with engine.connect() as conn:
                results = measure(conn, viewer, ranked, party)
        finally:
            engine.dispose()
    return {
        "benchmark": "search",
        "database": "postgresql",
        "incidents": n,
        "load_seconds": round(load_seconds, 1),
        "repeats": REPEATS,
        "page_size": PAGE,
        "units": "median ms of count + first page, as a partner organisation's analyst",
        "baseline": "LIKE '%word%' per word (the store before migration 0006); party: the same LIKE, index off",
        "results": results,
    }


def main() -> int:
    """Run alone: `python -m benchmarks.search_bench [--quick]` prints the JSON."""
    records = QUICK_RECORDS if "--quick" in sys.argv[1:] else SEARCH_INCIDENTS
    json.dump(run(BenchOptions(records=records)), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
