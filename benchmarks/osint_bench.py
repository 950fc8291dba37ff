"""OSINT intake throughput and scaling on generated news.

- Corpus: `articles` generated articles (default 10,000; `--records` caps it at 10,000 and `--quick` uses
  2,000), three per event, in English and Spanish, written to text files with page furniture (date bars,
  share bars, comment forms). Each event has its own date, type, country, agency, people, chemicals and
  quantity; outlets word it differently.
- `ingest`: reading the folder (boilerplate rules, lingua language detection), articles/s.
- `facts`: extraction per article (identification engine, countries, entities, quantities, dates), articles/s.
- `cluster`: blocking + scoring + linking on a quarter, half and all of the corpus. `scaling` is the
  time ratio full/quarter: a linear method gives about 4, a quadratic one about 16. `pairs_scored` vs
  `all_pairs` shows what blocking avoided; `all_pairs_estimate_s` is the cost of scoring every pair at the
  measured per-pair rate (the baseline). `adjusted_rand_index` checks the clusters against the generator's
  events.
- `peak_rss_mb`: the process's peak resident memory after the run.
Nothing here asserts a threshold.
"""

from __future__ import annotations

import random
import resource
import time
from collections import Counter
from datetime import date, timedelta
from itertools import combinations
from math import comb
from pathlib import Path
from typing import Any

from benchmarks import BenchOptions, log
from precwatch.core.osint.cluster import candidate_pairs, cluster_indexes
from precwatch.core.osint.dedupe import signature, similar_pairs
from precwatch.core.osint.facts import extract
from precwatch.core.osint.similarity import idf_table, pair_score, tfidf
from precwatch.data import load_kb
from precwatch.pipelines.osint import ingest

MAX_ARTICLES = 10_000
QUICK_ARTICLES = 2_000

_CHEMS = ("4-AP", "1-boc-4-AP", "NPP", "ANPP", "norfentanyl", "4-piperidone", "1-boc-4-piperidone", "BMK", "PMK",
          "phenethyl bromide", "propionyl chloride", "aniline")  # fmt: skip
_PORTS = (("Manzanillo", "MX"), ("Lázaro Cárdenas", "MX"), ("Long Beach", "US"), ("Vancouver", "CA"),
          ("Shanghai", "CN"), ("Rotterdam", "NL"), ("Veracruz", "MX"), ("Tijuana", "MX"))  # fmt: skip
_AGENCIES = ("the DEA", "CBP", "the Secretaría de Marina", "the FGR", "the General Administration of Customs", "ANAM",
             "Homeland Security Investigations", "the Guardia Nacional")  # fmt: skip
_GIVEN = (
    "Luis",
    "Ana",
    "Wei",
    "Mark",
    "Sofía",
    "Jorge",
    "Li",
    "Karen",
    "Omar",
    "Elena",
    "Chen",
    "David",
    "Rosa",
)
_FAMILY = ("Hernández", "Zhang", "Miller", "Ortega", "Wang", "Ramírez", "Liu", "Johnson", "Castillo", "Zhou",
           "Navarro", "Smith", "Guzmán", "Huang", "Vega", "Torres", "Lin", "Brooks", "Mendoza", "Xu")  # fmt: skip
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")  # fmt: skip
_MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre")  # fmt: skip


def _event(rng: random.Random, n: int) -> dict[str, Any]:
    when = date(2015, 1, 1) + timedelta(days=rng.randrange(10 * 365))
    port, country = rng.choice(_PORTS)
    return {
        "n": n, "date": when, "port": port, "country": country, "agency": rng.choice(_AGENCIES),
        "person": f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)} {rng.choice(_FAMILY)}",
        "chems": rng.sample(_CHEMS, 2), "kg": rng.randrange(20, 25_000), "drums": rng.randrange(5, 900),
    }  # fmt: skip


def _article(ev: dict[str, Any], outlet: int, rng: random.Random) -> str:
    d: date = ev["date"]
    a, b = ev["chems"]
    if outlet == 2:
        return (
            f"{d.day} de {_MONTHS_ES[d.month - 1]} de {d.year}\nCompartir: Facebook Twitter WhatsApp\n"
            f"Aseguran {ev['kg']:,} kilos de precursores en {ev['port']}\n"
            f"{ev['port']}.- Autoridades aseguraron el {d.day} de {_MONTHS_ES[d.month - 1]} {ev['kg']:,} kilogramos de "
            f"{a} y {b} en {ev['drums']} tambos, informó el vocero {ev['person']}.\n"
            f"El cargamento fue detectado por {ev['agency']} durante una revisión de rutina.\n"
            "Deja un comentario\nNombre\n"
        ).replace(",", "")
    verb = rng.choice(("seized", "intercepted", "confiscated"))
    lead = (
        f"Officials {verb} {ev['kg']:,} kilograms of {a} and {b} in {ev['drums']} drums at {ev['port']} on "
        f"{_MONTHS_EN[d.month - 1]} {d.day}, {d.year}, spokesman {ev['person']} said."
    )
    body = f"The shipment was found by {ev['agency']} after a tip."
    if outlet == 0:
        return f"Precursor haul at {ev['port']}\n{lead}\n{body}\nShare this:\nSource link\n"
    return f"Skip to main content\n{body} {lead}\nAlready a subscriber? Log in to continue.\nLEAVE A REPLY\n"


def _write_corpus(folder: Path, articles: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    truth: list[int] = []
    n = 0
    while len(truth) < articles:
        ev = _event(rng, n)
        for outlet in range(3):
            if len(truth) == articles:
                break
            (folder / f"{len(truth):06d}.txt").write_text(_article(ev, outlet, rng), encoding="utf-8")
            truth.append(n)
        n += 1
    return truth


def adjusted_rand_index(truth: list[int], found: list[int]) -> float:
    """Hubert-Arabie adjusted Rand index of two labelings of the same items."""
    pairs = Counter(zip(truth, found, strict=True))
    a, b = Counter(truth), Counter(found)
    index = sum(comb(c, 2) for c in pairs.values())
    sa, sb = sum(comb(c, 2) for c in a.values()), sum(comb(c, 2) for c in b.values())
    expected = sa * sb / comb(len(truth), 2)
    top = (sa + sb) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def run(options: BenchOptions) -> dict[str, Any]:
    articles = QUICK_ARTICLES if options.records <= 50_000 else MAX_ARTICLES
    folder = options.work_dir / "osint_corpus"
    log(f"osint: writing {articles:,} generated articles to {folder}")
    truth = _write_corpus(folder, articles, options.seed)
    kb = load_kb()
    t0 = time.perf_counter()
    ingested = ingest(folder)
    t_ingest = time.perf_counter() - t0
    log(f"osint: ingested {len(ingested.articles):,} in {t_ingest:.1f}s; extracting facts")
    t0 = time.perf_counter()
    facts = [extract(a, kb) for a in ingested.articles]
    t_facts = time.perf_counter() - t0
    scaling: dict[str, Any] = {}
    for share in (4, 2, 1):
        part = facts[: len(facts) // share]
        log(f"osint: clustering {len(part):,} articles")
        t0 = time.perf_counter()
        groups, _links = cluster_indexes(part)
        scaling[str(len(part))] = {"seconds": round(time.perf_counter() - t0, 3), "clusters": len(groups)}
    found = [0] * len(facts)
    for g, members in enumerate(groups):
        for i in members:
            found[i] = g
    labels = [truth[int(f.article.id[:6])] for f in facts]
    pairs = candidate_pairs(facts) | similar_pairs([signature(f.tokens) for f in facts])
    sample = list(combinations(range(min(len(facts), 300)), 2))
    token_idf = idf_table([set(f.tokens) for f in facts])
    key_idf = idf_table([f.keys for f in facts])
    vectors = [tfidf(f.tokens, token_idf) for f in facts[:300]]
    t0 = time.perf_counter()
    for i, j in sample:
        pair_score(facts[i], facts[j], vectors[i], vectors[j], key_idf)
    per_pair = (time.perf_counter() - t0) / len(sample)
    full = scaling[str(len(facts))]["seconds"]
    quarter = scaling[str(len(facts) // 4)]["seconds"]
    all_pairs = comb(len(facts), 2)
    return {
        "name": "osint",
        "articles": len(facts),
        "rejected": len(ingested.rejects),
        "ingest": {"seconds": round(t_ingest, 3), "articles_per_s": round(len(facts) / t_ingest)},
        "facts": {"seconds": round(t_facts, 3), "articles_per_s": round(len(facts) / t_facts)},
        "cluster": {
            "by_size": scaling,
            "articles_per_s": round(len(facts) / full),
            "scaling_full_over_quarter": round(full / quarter, 2),
            "pairs_scored": len(pairs),
            "all_pairs": all_pairs,
            "all_pairs_estimate_s": round(all_pairs * per_pair, 1),
            "ratio_to_all_pairs": round(full / (all_pairs * per_pair), 4),
            "adjusted_rand_index": round(adjusted_rand_index(labels, found), 4),
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "goals": {"scaling_full_over_quarter_below": 8, "met": full / quarter < 8},
    }
