"""`precwatch market`: ingest marketplace snapshots, resolve vendors, list offers, judge, diff, report, export.

Every command works on one market database: `--db URL` (or a file path), else `PRECWATCH_MARKET_DB`, else
`precwatch-market.db` in the current directory (SQLite; PostgreSQL by `postgresql://` URL).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from precwatch import __version__
from precwatch.cli.common import (
    HUB_TOKEN_ENV,
    err,
    fail,
    kb_option,
    load_kb_or_fail,
    opsin_resolver,
    report_push,
    token_option,
)
from precwatch.core.market.judgements import Judgement
from precwatch.core.market.watch import ContactWatch
from precwatch.io.exports.ftm import write_ftm
from precwatch.io.market_report import render_market_report
from precwatch.io.snapshot_items import SnapshotError
from precwatch.io.watchlist_contacts import read_watchlist_contacts
from precwatch.io.watchlists import WatchlistError, load_watchlists
from precwatch.pipelines import market as jobs
from precwatch.store.market import MarketStore

DEFAULT_DB = "precwatch-market.db"
ENV_DB = "PRECWATCH_MARKET_DB"
F = TypeVar("F", bound=Callable[..., Any])


def db_url(value: str | None) -> str:
    """A database URL from `--db`: a URL as given, a file path as a SQLite URL."""
    value = value or DEFAULT_DB
    return value if "://" in value else f"sqlite:///{Path(value).resolve()}"


def _db_option(func: F) -> F:
    return click.option(
        "--db", "db", envvar=ENV_DB, default=None, metavar="URL",
        help=f"Market database: SQLAlchemy URL or SQLite file (default {DEFAULT_DB}; env {ENV_DB}).",
    )(func)  # fmt: skip


@contextmanager
def _store(db: str | None) -> Iterator[MarketStore]:
    store = MarketStore.from_url(db_url(db))
    try:
        store.init()
        yield store
    finally:
        store.close()


def _watch(paths: tuple[str, ...]) -> ContactWatch | None:
    if not paths:
        return None
    try:
        watchlist = load_watchlists(list(paths))
    except WatchlistError as exc:
        raise click.ClickException(str(exc)) from exc
    return ContactWatch(watchlist, read_watchlist_contacts(list(paths)))


def _sink(out: str | None) -> IO[str]:
    if out:
        return open(out, "w", encoding="utf-8")
    return sys.stdout


@click.group()
def market() -> None:
    """Watch B2B marketplaces: snapshots, offers, vendors across names and platforms, changes over time."""


@market.command("ingest")
@click.argument("snapshot", type=click.Path(exists=True))
@click.option("--platform", required=True, help="Platform the snapshot was taken from (e.g. made-in-china).")
@click.option("--captured-at", "captured_at", required=True, help="Capture date, YYYY-MM-DD.")
@click.option(
    "--region", default=None, metavar="CC", help="Country whose national phone numbers the pages write."
)
@click.option(
    "--rejects", "rejects_out", default=None, metavar="FILE", help="Write rejected items as JSON lines."
)
@click.option(
    "--systematic/--no-systematic",
    default=None,
    help="Convert systematic names with OPSIN (default: if Java is found).",
)
@_db_option
@kb_option
def market_ingest(
    snapshot: str, platform: str, captured_at: str, region: str | None, rejects_out: str | None,
    systematic: bool | None, db: str | None, kb_path: str | None,
) -> None:  # fmt: skip
    """Ingest SNAPSHOT (a folder of saved pages, or a JSON Lines export) captured on PLATFORM.

    Re-ingesting the same platform and date replaces the earlier ingest.
    """
    try:
        day = date.fromisoformat(captured_at[:10]).isoformat()
    except ValueError:
        raise click.BadParameter(
            f"{captured_at!r} is not a date (YYYY-MM-DD)", param_hint="--captured-at"
        ) from None
    kb = load_kb_or_fail(kb_path)
    resolver = opsin_resolver(systematic)
    try:
        with _store(db) as store:
            summary = jobs.ingest(
                store, snapshot, platform=platform, captured_at=day, kb=kb, resolver=resolver,
                region=region.upper() if region else None,
            )  # fmt: skip
    except SnapshotError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if resolver is not None:
            resolver.close()
    for r in summary.rejects:
        err.print(f"rejected {r['file']}:{r['line']}: {r['reason']}")
    if rejects_out:
        with open(rejects_out, "w", encoding="utf-8") as fh:
            for r in summary.rejects:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    err.print(summary.line())


@market.command("vendors")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--watchlist", "watchlists", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="OFAC sdn.csv, OpenSanctions FtM JSON lines or a simple CSV (repeatable).")  # fmt: skip
@click.option("--out", default=None, metavar="FILE", help="Write here instead of standard output.")
@_db_option
def market_vendors(fmt: str, watchlists: tuple[str, ...], out: str | None, db: str | None) -> None:
    """Vendors resolved over every stored listing, with the evidence for each link."""
    watch = _watch(watchlists)
    with _store(db) as store:
        records = jobs.vendor_records(jobs.resolve_store(store), watch)
    sink = _sink(out)
    if fmt == "jsonl":
        for r in records:
            sink.write(
                json.dumps({k: v for k, v in r.items() if k != "listing_keys"}, ensure_ascii=False) + "\n"
            )
    else:
        table = Table("vendor", "names", "platforms", "contacts", "listings", "seen", "watchlist")
        for r in records:
            table.add_row(
                r["vendor_id"], "\n".join(r["names"]), ", ".join(r["platforms"]),
                "\n".join(f"{c['kind']} {c['value']}" for c in r["contacts"]), str(len(r["listings"])),
                f"{r['first_seen']}..{r['last_seen']}",
                "\n".join(f"{h['name']} via {h['via']}" for h in r["watchlist_hits"]),
            )  # fmt: skip
        Console(file=sink, width=180, highlight=False).print(table)
    if out:
        sink.close()


@market.command("offers")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--snapshot", default=None, help="Only this snapshot (id platform@date, or a date).")
@click.option("--out", default=None, metavar="FILE", help="Write here instead of standard output.")
@_db_option
def market_offers(fmt: str, snapshot: str | None, out: str | None, db: str | None) -> None:
    """One line per listing per snapshot: vendor, substances identified, price, signals."""
    with _store(db) as store:
        records = jobs.offer_records(jobs.resolve_store(store))
    if snapshot:
        records = [r for r in records if snapshot in (r["snapshot"], r["captured_at"])]
    sink = _sink(out)
    if fmt == "jsonl":
        for r in records:
            sink.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        table = Table("snapshot", "listing", "vendor", "title", "substances", "price", "signals")
        for r in records:
            subs = ", ".join(dict.fromkeys(f"{m['substance']} ({m['relation']})" for m in r["matches"]))
            price = r["price"]["text"] if r["price"] else ""
            table.add_row(r["snapshot"], r["listing_id"], r["vendor_id"], r["title"][:60], subs, price,
                          ", ".join(s["signal"] for s in r["signals"]))  # fmt: skip
        Console(file=sink, width=200, highlight=False).print(table)
    if out:
        sink.close()


def _listing_key(store: MarketStore, given: str) -> str:
    keys = store.listing_keys(given)
    if not keys:
        market_ = jobs.resolve_store(store)
        vendor = next((v for v in market_.resolution.vendors if v.vendor_id == given), None)
        if vendor is not None:
            return vendor.listings[0]
        raise click.ClickException(f"{given}: no such listing id, listing key (platform|id) or vendor id")
    if len(keys) > 1:
        raise click.ClickException(f"{given}: on several platforms ({', '.join(keys)}): give the listing key")
    return keys[0]


@market.command("judge")
@click.argument("a")
@click.argument("b")
@click.option("--same/--different", "same", required=True, help="Same vendor, or different vendors.")
@click.option("--note", default="", help="Why (kept with the judgement, shown as evidence).")
@click.option("--author", default="", help="Who judged.")
@_db_option
def market_judge(a: str, b: str, same: bool, note: str, author: str, db: str | None) -> None:
    """Record that listings (or vendors) A and B are the same vendor, or different ones.

    A and B are listing ids, listing keys (platform|id) or vendor ids. The next resolution respects it.
    """
    with _store(db) as store:
        ka, kb_ = _listing_key(store, a), _listing_key(store, b)
        if ka == kb_:
            raise click.ClickException("A and B are the same listing")
        store.add_judgement(Judgement(ka, kb_, same, author, note))
    err.print(f"recorded: {ka} and {kb_} are {'the same vendor' if same else 'different vendors'}")


@market.command("diff")
@click.argument("a")
@click.argument("b")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@_db_option
@kb_option
def market_diff(a: str, b: str, fmt: str, db: str | None, kb_path: str | None) -> None:
    """Vendors and offers that appeared, vanished or persisted from snapshot A to B (ids or dates), and
    vendors displaced from a listed substance to its masked form."""
    kb = load_kb_or_fail(kb_path)
    with _store(db) as store:
        market_ = jobs.resolve_store(store)
        try:
            result = jobs.diff(store, a, b, kb, market_)
        except LookupError as exc:
            raise click.ClickException(str(exc.args[0])) from exc
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return
    out = Console(width=160, highlight=False)
    label = _diff_labels(market_)
    for what, parts in (("vendors", result.vendors), ("offers", result.offers)):
        out.print(f"{what}: " + ", ".join(f"{len(v)} {k}" for k, v in parts.items()))
        for k in ("appeared", "vanished"):
            for x in parts[k]:
                out.print(f"  {k:9} {x}  {label.get(x, '')}".rstrip(), markup=False)
    for d in result.displacements:
        who = f"{d.vendor_id} ({label[d.vendor_id]})" if d.vendor_id in label else d.vendor_id
        out.print(f"displacement: {who} sold {d.parent}, now offers {d.masked_as}", markup=False)


def _diff_labels(market_: jobs.Market) -> dict[str, str]:
    """What an analyst reads beside an id in the diff: a vendor's names, a listing's title and substances."""
    names: dict[str, dict[str, None]] = {}
    label: dict[str, str] = {}
    for row in market_.rows:
        key = row["listing_key"]
        vendor = market_.resolution.vendor_of.get(key, "")
        names.setdefault(vendor, {}).update(dict.fromkeys(row.get("seller_names") or ()))
        substances = dict.fromkeys(m["substance"] for m in row.get("matches") or () if m.get("substance"))
        label[key] = f"{row['title'][:60]!r}" + (f" [{', '.join(substances)}]" if substances else "")
    label.update({v: " / ".join(n) for v, n in names.items() if n})
    return label


@market.command("report")
@click.option("--out", required=True, metavar="FILE", help="The HTML report to write.")
@click.option("--watchlist", "watchlists", multiple=True, type=click.Path(exists=True, dir_okay=False))
@_db_option
@kb_option
def market_report(out: str, watchlists: tuple[str, ...], db: str | None, kb_path: str | None) -> None:
    """A self-contained HTML report: timeline chart, changes, displacement, vendors, signals."""
    kb = load_kb_or_fail(kb_path)
    watch = _watch(watchlists)
    with _store(db) as store:
        market_ = jobs.resolve_store(store)
        snaps = store.snapshots()
        dates = sorted({s.captured_at for s in snaps})
        diffs = [jobs.diff(store, x, y, kb, market_).to_dict() for x, y in itertools.pairwise(dates)]
        data = {
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "version": __version__,
            "kb_version": kb.version, "snapshots": snaps, "timeline": jobs.timeline(market_, kb), "diffs": diffs,
            "vendors": jobs.vendor_records(market_, watch), "signals": jobs.summary_counts(market_.rows),
        }  # fmt: skip
    Path(out).write_text(render_market_report(data), encoding="utf-8")
    err.print(f"report: {out} ({len(data['vendors'])} vendors, {len(snaps)} snapshots)")


@market.command("export")
@click.option(
    "--ftm", "ftm", required=True, metavar="FILE", help="Write vendors as FollowTheMoney JSON lines."
)
@_db_option
def market_export(ftm: str, db: str | None) -> None:
    """Export vendors as FollowTheMoney entities (Company with phone, email, website; CryptoWallet)."""
    with _store(db) as store:
        records = jobs.vendor_records(jobs.resolve_store(store))
    if ftm == "-":
        n = write_ftm(records, sys.stdout)
    else:
        with open(ftm, "w", encoding="utf-8") as sink:
            n = write_ftm(records, sink)
    err.print(f"exported {n} entities for {len(records)} vendors to {ftm}")


@market.command("push")
@click.option(
    "--hub", "hub_url", required=True, metavar="URL", help="The hub's base URL (https://hub.example)."
)
@token_option
@click.option(
    "--country",
    default=None,
    metavar="XX",
    help="Country of the incidents (ISO alpha-2); default: the country of the vendor's phone numbers.",
)
@click.option("--tlp", type=click.Choice(["clear", "green", "amber", "amber+strict"]), default="amber",
              show_default=True, help="TLP of the incidents.")  # fmt: skip
@click.option("--snapshot", default=None, help="Only this snapshot (id platform@date, or a date).")
@_db_option
def market_push(
    hub_url: str, token: str | None, country: str | None, tlp: str, snapshot: str | None, db: str | None
) -> None:
    """Push every offer that names a controlled substance to the hub as an `online-offer` incident (vendor
    with its phones and e-mails, price, signals). Re-pushing records nothing twice: the Idempotency-Key is
    derived from the listing id and its snapshot."""
    from precwatch.io.hub_client import HubClient, HubRefused, HubUnavailable
    from precwatch.pipelines.push import push_offers

    if not token:
        fail(f"--token (or ${HUB_TOKEN_ENV}) is required to push to the hub")
    with _store(db) as store:
        market_ = jobs.resolve_store(store)
    offers = jobs.offer_records(market_)
    if snapshot:
        offers = [r for r in offers if snapshot in (r["snapshot"], r["captured_at"])]
    try:
        with HubClient(hub_url, token) as client:
            summary = push_offers(
                client,
                offers,
                jobs.vendor_records(market_),
                country=country.upper() if country else None,
                tlp=tlp,
            )
    except (HubUnavailable, HubRefused) as exc:
        fail(exc)
    report_push(summary, what="offers")
