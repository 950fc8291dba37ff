"""Server CPU per request of the hub, by request type, measured in process (no HTTP, no client noise).

    python -m benchmarks.hub_profile [--incidents 3000] [--requests 300] [--profile get,list] [--top 30]

The wall-clock latency of `benchmarks.hub_bench` is noisy on a shared machine; CPU time is not. This drives
the ASGI app (`create_app`) directly with hand-built ASGI messages over a PostgreSQL-backed hub seeded
with `--incidents` incidents, playing each request type of the bench's mixed phase (`hub_bench.Mix`)
`--requests` times in a row, and reports the process CPU (user + system, every thread: the route runs in
the thread pool) per request in ms. The ASGI driver itself costs a few microseconds per request.
`--profile` names request types to run again under cProfile (top functions by cumulative time to stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks import DEFAULT_SEED, WORK_DIR, log
from benchmarks.hub_bench import PG_URL, SECRET, Mix, Population, fresh_schema, populate, shared_extensions
from precwatch.settings import load_settings
from precwatch.web.app import create_app, open_hub

OPERATIONS = ("healthz", "me", "get", "list", "search", "batch_get", "create", "patch")


class AsgiClient:
    """`HttpClient.request` over an ASGI app called directly (same signature, same answers)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def request(
        self, method: str, target: str, headers: dict[str, str] | None = None, json_body: Any = None
    ) -> tuple[int, bytes]:
        parts = urlsplit(target)
        body = b"" if json_body is None else json.dumps(json_body, separators=(",", ":")).encode()
        raw_headers = [(b"host", b"hub")]
        if json_body is not None:
            raw_headers.append((b"content-type", b"application/json"))
        if body or method in ("POST", "PUT", "PATCH"):
            raw_headers.append((b"content-length", str(len(body)).encode()))
        raw_headers += [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()
        ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": parts.path,
            "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(),
            "root_path": "",
            "headers": raw_headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status, chunks = 0, []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)


@contextmanager
def _inline_threads() -> Iterator[None]:
    """Run what would go to the thread pool in the event loop's thread, so cProfile (one thread) sees it."""

    async def inline(func: Any, *args: Any, **_: Any) -> Any:
        return func(*args)

    original = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original


def _call(mix: Mix, op: str, token: str) -> Any:
    if op == "healthz":

        async def healthz(c: AsgiClient) -> tuple[str, int]:
            return "healthz", (await c.request("GET", "/healthz"))[0]

        return healthz
    return getattr(mix, f"_{op}")()


async def _play(client: AsgiClient, mix: Mix, op: str, n: int, token: str) -> tuple[float, dict[str, int]]:
    statuses: dict[str, int] = {}
    cpu0 = time.process_time()
    for _ in range(n):
        _, status = await _call(mix, op, token)(client)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return (time.process_time() - cpu0) * 1000 / n, statuses


@contextmanager
def _schema(keep: str | None) -> Iterator[str]:
    if keep is None:
        with fresh_schema(PG_URL) as url:
            yield url
        return
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        shared_extensions(conn)
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{keep}"'))
    admin.dispose()
    options = {"options": f"-csearch_path={keep},public"}  # public: where pg_trgm lives
    yield make_url(PG_URL).update_query_dict(options).render_as_string(False)


def _population(url: str, rng: random.Random, incidents: int, keep: str | None) -> Population:
    saved = WORK_DIR / f"hub_profile_{keep}.json"
    if keep is not None and saved.exists():
        data = json.loads(saved.read_text())
        data["owned"] = {int(k): v for k, v in data["owned"].items()}
        data["writers"] = [tuple(w) for w in data["writers"]]
        return Population(**data)
    log(f"hub_profile: seeding {incidents} incidents")
    pop = populate(url, rng, incidents)
    if keep is not None:
        WORK_DIR.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(asdict(pop)))
    return pop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", default="", help="comma-separated request types to profile")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--keep",
        metavar="SCHEMA",
        help="seed into this PostgreSQL schema once and reuse it (drop it yourself)",
    )
    args = parser.parse_args()
    rng = random.Random(DEFAULT_SEED)
    with _schema(args.keep) as url:
        pop = _population(url, rng, args.incidents, args.keep)
        settings = load_settings(secret=SECRET, database_url=url, durable_read_audit=True)
        hub = open_hub(settings)
        try:
            app = create_app(settings, hub)
            client, mix = AsgiClient(app), Mix(pop, rng)
            token = pop.readers[0]

            async def run() -> dict[str, Any]:
                for op in OPERATIONS:  # warm-up: compiled SQL, pool, imports
                    await _play(client, mix, op, 20, token)
                out: dict[str, Any] = {}
                for op in OPERATIONS:
                    ms, statuses = await _play(client, mix, op, args.requests, token)
                    out[op] = {"cpu_ms_per_request": round(ms, 3), "statuses": statuses}
                    log(f"hub_profile: {op}: {ms:.3f} ms CPU per request {statuses}")
                for op in filter(None, args.profile.split(",")):
                    prof = cProfile.Profile(
                        time.process_time
                    )  # CPU, not wall: waits on PostgreSQL do not count
                    with _inline_threads():
                        prof.enable()
                        await _play(client, mix, op, args.requests, token)
                        prof.disable()
                    buf = io.StringIO()
                    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(args.top)
                    print(f"===== {op}\n{buf.getvalue()}", file=sys.stderr)
                return out

            results = asyncio.run(run())
        finally:
            hub.close()
    doc = {
        "benchmark": "hub_profile",
        "incidents": args.incidents,
        "requests_per_type": args.requests,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "results": results,
    }
    json.dump(doc, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
