"""Correlation cost per new record with 100,000 stored records, and alert latency, on a SQLite hub.

Stored records' keys are bulk-inserted (5 keys each: phone, company, e-mail, substance, route; substances
and routes shared widely, so they hit the fan-out cap as real ones do); a few real incidents share keys
with the new records. Figures:
- `correlate_ms` p50/p99: `index_record` (store the keys, count them, find holders, owner notices) for one
  new record, in its own transaction; baseline: the same transaction doing only an exact-string lookup of
  the record's keys (MISP's correlation), ratio = ours / baseline. Goal: p99 < 50 ms.
- `alert_ms` p50/p99: create an incident that matches a watch rule and read the subscriber's alerts; the
  baseline creates the same incident with no watch rule on the hub.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from benchmarks import BenchOptions, log
from precwatch.core.sharing.tlp import RecordAcl, Viewer
from precwatch.data import load_kb
from precwatch.data.warninglists import load_warninglist
from precwatch.hub import Hub
from precwatch.hub.correlation import index_record
from precwatch.store.tables import correlation_keys

STORED = 100_000
NEW = 300


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def _record(i: int) -> dict[str, Any]:
    return {
        "id": f"new{i:08d}",
        "country": "MX",
        "substances": [{"substance": "npp"}],
        "route": {"origin": {"country": "CN", "port": "Shanghai"}, "destination": {"country": "MX", "port": "Manzanillo"}},
        "parties": [
            {"kind": "company", "name": f"Zhongxin Trading {i} Co., Ltd.", "phones": [f"+86 155 {i % 10000:04d} {i % 7919:04d}"],
             "emails": [f"sales{i}@firm{i}.cn"], "addresses": []},
        ],
        "narrative": "",
        "owner_only": [],
    }  # fmt: skip


def _bulk_keys(hub: Hub, n: int) -> None:
    rows = []
    for i in range(n):
        rid = f"old{i:08d}"
        rows += [
            {"record_kind": "incident", "record_id": rid, "key": f"tel:+8617{i:09d}", "public": True},
            {"record_kind": "incident", "record_id": rid, "key": f"company:firm{i} trading", "public": True},
            {"record_kind": "incident", "record_id": rid, "key": f"email:x{i}@firm{i}.cn", "public": True},
            {"record_kind": "incident", "record_id": rid, "key": f"substance:s{i % 20}", "public": True},
            {
                "record_kind": "incident",
                "record_id": rid,
                "key": f"route:CN p{i % 50} > MX q",
                "public": True,
            },
        ]
    with hub.engine.begin() as conn:
        for start in range(0, len(rows), 50_000):
            conn.execute(insert(correlation_keys), rows[start : start + 50_000])


def run(options: BenchOptions) -> dict[str, Any]:
    stored = STORED if options.records >= 10_000 else max(1_000, options.records)
    with tempfile.TemporaryDirectory(
        dir=options.work_dir if Path(options.work_dir).exists() else None
    ) as tmp:
        hub = Hub.from_url(f"sqlite:///{tmp}/hub.db", load_kb(), warninglist=load_warninglist())
        hub.init()
        mx_org, us_org = hub.create_org("MX agency", "MX"), hub.create_org("US agency", "US")
        mx_u = hub.create_user("a@mx.example", mx_org.id, role="analyst")
        us_u = hub.create_user("b@us.example", us_org.id, role="analyst")
        mx = Viewer(mx_u.id, mx_u.org_id, mx_u.role, mx_u.email)
        us = Viewer(us_u.id, us_u.org_id, us_u.role, us_u.email)
        log(f"corr: bulk-insert keys of {stored:,} stored records")
        started = time.perf_counter()
        _bulk_keys(hub, stored)
        load_s = time.perf_counter() - started
        for i in range(0, NEW, 10):  # some real records the new ones match (amber: owner notices)
            body = {
                **_record(i),
                "type": "seizure",
                "occurred_on": "2025-01-01",
                "tlp": "amber",
                "route": None,
            }
            for k in ("id", "substances", "owner_only"):
                body.pop(k)
            hub.create_incident(us, body)
        acl = hub.ctx
        ours, base = [], []
        record_acl = RecordAcl(mx.org_id, mx.user_id, "amber")
        for i in range(NEW):
            rec = _record(i)
            t0 = time.perf_counter()
            with acl.begin() as conn:
                index_record(conn, "incident", rec, record_acl, author=mx, warninglist=hub.ctx.warninglist)
            ours.append((time.perf_counter() - t0) * 1000)
            keys = [
                f"tel:+8615500{i:06d}",
                f"company:trading zhongxin {i}",
                f"email:sales{i}@firm{i}.cn",
            ]
            t0 = time.perf_counter()
            with acl.begin() as conn:
                conn.execute(
                    select(correlation_keys.c.record_id).where(correlation_keys.c.key.in_(keys))
                ).all()
            base.append((time.perf_counter() - t0) * 1000)
        log("corr: alert latency")
        alert, plain = [], []
        body = {
            "type": "seizure",
            "occurred_on": "2025-01-01",
            "country": "MX",
            "substances_text": "N-phenethyl-4-piperidone (CAS 39742-60-4)",
            "tlp": "green",
        }
        for _ in range(30):
            t0 = time.perf_counter()
            hub.create_incident(mx, body)
            plain.append((time.perf_counter() - t0) * 1000)
        hub.create_watch_rule(us, kind="substance", value="NPP")
        for _ in range(30):
            before = hub.alerts(us)[1]
            t0 = time.perf_counter()
            hub.create_incident(mx, body)
            after = hub.alerts(us, limit=1)[1]
            alert.append((time.perf_counter() - t0) * 1000)
            assert after == before + 1
        hub.close()
    p99, base99 = _pct(ours, 0.99), _pct(base, 0.99)
    return {
        "benchmark": "corr",
        "results": {
            "stored_records": stored,
            "bulk_insert_keys_s": round(load_s, 2),
            "correlate_ms": {"p50": _pct(ours, 0.5), "p99": p99, "goal_p99": 50, "met": p99 < 50},
            "baseline_exact_lookup_ms": {"p50": _pct(base, 0.5), "p99": base99},
            "ratio_p99_vs_exact_lookup": round(p99 / base99, 2) if base99 else None,
            "alert_ms": {"p50": _pct(alert, 0.5), "p99": _pct(alert, 0.99)},
            "baseline_create_without_rules_ms": {"p50": _pct(plain, 0.5), "p99": _pct(plain, 0.99)},
            "ratio_alert_p50_vs_create": round(_pct(alert, 0.5) / _pct(plain, 0.5), 2),
        },
        "units": "milliseconds per record, one process, SQLite file; alert = create + read of the alert list",
    }
