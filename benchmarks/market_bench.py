"""Marketplace monitoring: ingest throughput on saved pages, and vendor resolution at 1M listings.

- `ingest`: `precwatch.pipelines.market.ingest` end to end (read pages with extruct and lxml, contacts,
  boilerplate, offer identification, SQLite store) over generated saved pages of three kinds (JSON-LD
  `@graph`, microdata, plain HTML), in one process; pages/s per core = pages / CPU seconds of the process.
  Baseline in the same run: parsing the same pages with lxml alone (the floor any page reader pays).
- `resolve`: `precwatch.core.market.vendors.resolve` over generated listing nodes (`--records`, default 1M)
  from vendors that share contacts across listings, rename themselves and write names many ways; in a fresh
  interpreter, so peak memory (max RSS) is the resolver's. Timed from the nodes to the vendors with their
  evidence (name normalisation included, caches cold). Baseline in the same run: grouping the same keys,
  already computed, in a dict (no normalisation, no union-find, no evidence): the floor of any resolver.

Nothing here asserts a threshold: goals are reported, not enforced.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import BenchOptions, log

GOAL_PAGES_PER_S_PER_CORE = 300
GOAL_RESOLVE_SECONDS = 60.0
PAGES = 1500
SUBSTANCES = ("4-AP CAS 23056-29-3", "NPP 39742-60-4", "1-Boc-4-piperidone", "propionyl chloride", "benzyl chloride",
              "copper sulfate pentahydrate", "sodium chloride", "titanium dioxide")  # fmt: skip
CITIES = ("Wuhan", "Hubei", "Hebei", "Shanghai", "Jinan", "Hangzhou", "Shijiazhuang", "Tianjin")
WORDS = (
    "Lianfeng",
    "Kangtai",
    "Ruixin",
    "Hengyu",
    "Mingde",
    "Brightpath",
    "Amarvel",
    "Shuokang",
    "Yuanhe",
    "Jiuzhou",
)
KINDS = ("Biotech", "Chemical", "Trading", "Pharmtech", "Materials", "New Material Technology")


def _vendor(rng: random.Random, i: int) -> tuple[str, str]:
    name = f"{rng.choice(CITIES)} {rng.choice(WORDS)}{i} {rng.choice(KINDS)} Co., Ltd."
    return name, f"+86 139 {i % 10000:04d} {(i * 7) % 10000:04d}"


def _page(rng: random.Random, i: int) -> str:
    name, phone = _vendor(rng, i // 3)
    product = rng.choice(SUBSTANCES)
    desc = (f"{product}, purity 99%min, MOQ: 1 kg. Price US $ {rng.randint(5, 90)}-{rng.randint(100, 200)} / kg. "
            f"Ship to USA, Mexico. WhatsApp: {phone}. " + "Quality first, customer foremost. " * 8)  # fmt: skip
    footer = "<footer>Report a listing: report@platform.example. Copyright 2024 Platform Co., Ltd.</footer>"
    nav = "<nav>" + " | ".join(f"<a href='/c/{k}'>Category {k}</a>" for k in range(30)) + "</nav>"
    url = f"https://www.platform.example/p/{i}.html"
    kind = i % 3
    if kind == 0:
        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "Product", "name": product, "description": desc, "url": url,
             "offers": {"@type": "Offer", "price": "42", "priceCurrency": "USD",
                        "seller": {"@type": "Organization", "name": name, "telephone": phone}}}]}  # fmt: skip
        head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
        body = f"<h1>{product}</h1><div>{desc}</div>"
    elif kind == 1:
        head = ""
        body = (f'<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">{product}</h1>'
                f'<div itemprop="description">{desc}</div><div itemprop="offers" itemscope '
                f'itemtype="https://schema.org/Offer"><span itemprop="price">42</span><div itemprop="seller" itemscope '
                f'itemtype="https://schema.org/Organization"><span itemprop="name">{name}</span></div></div></div>')  # fmt: skip
    else:
        head = ""
        body = f"<h1>{product}</h1><p>Supplier: {name}</p><p>{desc}</p>"
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{product}</title>'
            f'<link rel="canonical" href="{url}">{head}</head><body>{nav}{body}{footer}</body></html>')  # fmt: skip


def ensure_pages(work: Path, n: int, seed: int) -> Path:
    folder = work / f"market-pages-{n}-{seed}"
    if not (folder / ".done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        rng = random.Random(seed)
        for i in range(n):
            (folder / f"p{i:06d}.html").write_text(_page(rng, i), encoding="utf-8")
        (folder / ".done").write_text("ok")
    return folder


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def bench_ingest(folder: Path) -> dict[str, Any]:
    import lxml.html

    from precwatch.data import load_kb
    from precwatch.pipelines.market import ingest
    from precwatch.store.market import MarketStore

    files = sorted(folder.glob("*.html"))
    kb = load_kb()
    t0, c0 = time.perf_counter(), _cpu()
    for f in files:
        lxml.html.fromstring(f.read_bytes())
    parse_wall, parse_cpu = time.perf_counter() - t0, _cpu() - c0
    with tempfile.TemporaryDirectory() as tmp:
        store = MarketStore.from_url(f"sqlite:///{tmp}/bench.db")
        store.init()
        t0, c0 = time.perf_counter(), _cpu()
        summary = ingest(store, str(folder), platform="bench", captured_at="2024-01-01", kb=kb)
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        store.close()
    n = len(files)
    per_core = n / cpu
    return {
        "pages": n, "stored": summary.stored, "with_matches": summary.with_matches,
        "wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
        "pages_per_s": round(n / wall, 1), "pages_per_s_per_core": round(per_core, 1),
        "baseline_lxml_parse_pages_per_s_per_core": round(n / parse_cpu, 1),
        "ratio_vs_lxml_parse": round(per_core / (n / parse_cpu), 4),
        "goal_pages_per_s_per_core": GOAL_PAGES_PER_S_PER_CORE,
        "met": per_core >= GOAL_PAGES_PER_S_PER_CORE,
        "parse_wall_seconds": round(parse_wall, 2),
    }  # fmt: skip


def generate_nodes(n: int, seed: int) -> list[Any]:
    """`n` listing nodes from n/10 vendors: each vendor has 1-3 names (renamed, written other ways), 1-2
    phones, sometimes a Telegram handle; listings carry a random subset."""
    from precwatch.core.market.vendors import ListingNode

    rng = random.Random(seed)
    vendors = max(1, n // 10)
    spellings = ("{c} {w} {k} Co., Ltd.", "{C} {W} {K} CO LTD", "{w} {k} ({c})", "{c}{w} {k} Company Limited")
    nodes = []
    for i in range(n):
        v = rng.randrange(vendors)
        c, w, k = CITIES[v % len(CITIES)], f"{WORDS[v % len(WORDS)]}{v}", KINDS[v % len(KINDS)]
        names = (rng.choice(spellings).format(c=c, w=w, k=k, C=c.upper(), W=w.upper(), K=k.upper()),)
        contacts = [f"tel:+86139{v:08d}"] if rng.random() < 0.7 else []
        if rng.random() < 0.2:
            contacts.append(f"telegram:v{v}_chem")
        if rng.random() < 0.1:
            contacts.append(f"tel:+86158{v:08d}")
        nodes.append(ListingNode(f"p{i % 3}|{i}", names, tuple(contacts), f"2024-{1 + i % 12:02d}-01"))
    return nodes


def _resolve_child(n: int, seed: int) -> None:
    """Run in a fresh interpreter: print the resolution figures as JSON."""
    from precwatch.core.market.vendors import LINK_RULES, resolve

    nodes = generate_nodes(n, seed)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    res = resolve(nodes)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    keys = [[key for rule in LINK_RULES.values() for key, _ in rule(node)] for node in nodes]
    t0 = time.perf_counter()
    first: dict[str, int] = {}
    for i, ks in enumerate(keys):
        for key in ks:
            first.setdefault(key, i)
    grouping = time.perf_counter() - t0
    json.dump({
        "listings": n, "vendors": len(res.vendors), "links": sum(len(v.links) for v in res.vendors),
        "seconds": round(seconds, 2), "listings_per_s": round(n / seconds),
        "baseline_key_grouping_seconds": round(grouping, 2), "ratio_vs_key_grouping": round(seconds / grouping, 2),
        "peak_rss_mb": round(peak / 1024, 1), "rss_before_resolve_mb": round(base_rss / 1024, 1),
    }, sys.stdout)  # fmt: skip


def bench_resolve(n: int, seed: int) -> dict[str, Any]:
    code = f"from benchmarks.market_bench import _resolve_child; _resolve_child({n}, {seed})"
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    got: dict[str, Any] = json.loads(out.stdout)
    got["goal_seconds"] = GOAL_RESOLVE_SECONDS
    got["met"] = got["seconds"] <= GOAL_RESOLVE_SECONDS
    return got


def run(options: BenchOptions) -> dict[str, Any]:
    pages = min(PAGES, max(300, options.records // 100))
    folder = ensure_pages(options.work_dir, pages, options.seed)
    log(f"market: ingest {pages} generated pages")
    ingest = bench_ingest(folder)
    log(f"market: resolve {options.records:,} generated listings")
    resolved = bench_resolve(options.records, options.seed)
    return {
        "benchmark": "market",
        "machine": {"cpus": os.cpu_count()},
        "results": {"ingest": ingest, "resolve": resolved},
        "units": "ingest: one process, per core = pages / process CPU seconds; resolve: one process, fresh "
        "interpreter, peak = max RSS including the generated input",
    }
