"""Measure watchlist matching: precision/recall per threshold and microseconds per match on the real SDN list.

Positives: labelled variants of the real names (and aliases) of every entry under OFAC's fentanyl program
ILLICIT-DRUGS-EO14059 (legal-form swaps, case and punctuation, word order, pinyin spacing, Chinese
characters, one typo, abbreviated business words, city dropped, a second surname dropped). Negatives:
made-up Chinese and Mexican company names that are not on the list, near misses (a listed name with its
distinctive word replaced), generic names, common person names and companies named after a listed surname.

    .venv/bin/python tools/measure_watchlist.py [--sdn PATH] [--seed 7]

(--sdn defaults to ../shared/reference/ofac-sdn-2024-05-03.csv beside the checkout.)

Prints JSON. Timing: "cold" = every query new (no memo cache, normaliser cache cleared); "stream" =
a declaration-like stream where names repeat (Zipf-like draws), with the memo cache.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PINYIN_DICT

from precwatch.core.parties import companies
from precwatch.core.parties.companies import normalise_name, token_class
from precwatch.core.parties.company_terms import HAN_TERMS
from precwatch.core.parties.entries import WatchlistEntry
from precwatch.core.parties.watchlist import Watchlist
from precwatch.io.watchlists import read_watchlist

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = "ILLICIT-DRUGS-EO14059"
THRESHOLDS = (0.70, 0.75, 0.80, 0.84, 0.86, 0.88, 0.90, 0.92, 0.94, 0.96)
LEGAL_SWAPS = (
    (r"\bCO\.?,? LTD\.?$", ["Company Limited", "Co Ltd", "Co., Limited", "Limited"]),
    (r"\bCO\.?,? LIMITED$", ["Co., Ltd.", "Company Limited", "Ltd"]),
    (r"\bS\.A\.? DE C\.V\.$", ["SA de CV", "S.A. de C.V", "Sociedad Anonima de Capital Variable"]),
    (r"\bS\. DE R\.L\. DE C\.V\.$", ["S de RL de CV", "Sociedad de Responsabilidad Limitada de C.V."]),
    (r"\bB\.V\.?$", ["BV"]),
    (r"\bINC\.$", ["Incorporated", "Inc"]),
)
ABBREVIATIONS = {
    "TECHNOLOGY": "Tech", "CHEMICAL": "Chem", "INTERNATIONAL": "Intl", "PHARMACEUTICAL": "Pharma",
    "BIOTECHNOLOGY": "Bio-Tech", "INDUSTRIAL": "Industry", "MATERIAL": "Materials", "TRADING": "Trade",
    "DEVELOPMENT": "Develop", "BIOLOGICAL TECHNOLOGY": "Biotech",
}  # fmt: skip
HAN_BY_WORD: dict[str, str] = {}
for _han, _words in sorted(HAN_TERMS.items(), key=lambda kv: len(kv[0])):
    HAN_BY_WORD.setdefault(" ".join(_words), _han)
CN_PLACES = ["Hubei", "Hebei", "Shanghai", "Jiangsu", "Zhejiang", "Shandong", "Henan", "Wuhan", "Guangzhou",
             "Shenzhen", "Tianjin", "Yantai", "Suzhou", "Xingtai", "Shijiazhuang", "Nanjing"]  # fmt: skip
CN_GENERIC = ["Chemical", "Biotechnology", "Pharmaceutical Technology", "Trading", "Import & Export",
              "New Material Technology", "Industrial", "Fine Chemical", "Biological Technology",
              "Technology Development", "International Trade"]  # fmt: skip
CN_LEGAL = ["Co., Ltd.", "Co Ltd", "Company Limited", "Co., Limited", "有限公司"]
MX_GENERIC = [
    "Comercializadora",
    "Distribuidora Quimica",
    "Servicios Administrativos",
    "Transportes",
    "Importadora",
    "Grupo Industrial",
    "Logistica",
    "Laboratorios",
    "Inmobiliaria",
    "Operadora",
]
MX_WORDS = [
    "Azteca",
    "Del Bajio",
    "Sol de Occidente",
    "Pacifico Norte",
    "Vallarta Express",
    "Rio Bravo",
    "Monte Alban",
    "Altamira",
    "Huasteca",
    "Tlaloc",
    "Cuauhtemoc",
    "Bugambilia",
    "Los Alamos",
    "Quetzal",
    "Mezquite",
    "San Isidro",
    "Real del Monte",
    "Zacatlan",
    "La Paloma",
    "Itzel",
]
MX_LEGAL = ["S.A. de C.V.", "SA de CV", "S. de R.L. de C.V.", "S.A.P.I. de C.V."]
GENERIC_NAMES = [
    "China Chemical Co Ltd", "Trading Company", "Hubei Chemical Co., Ltd.", "Global Trading LLC",
    "International Import & Export Co", "Shanghai Trading Co Ltd", "Grupo Industrial SA de CV",
    "Pharmaceutical Technology Co Ltd", "Biotech Company Limited", "New Material Technology Co., Ltd.",
    "Chemical Industry Co", "Comercializadora SA de CV", "Servicios Integrales SA de CV", "Logistics Inc",
    "Wuhan Biotechnology Co., Ltd.", "Hebei Trading Co., Ltd.", "Mexico Chemical Distribution SA de CV",
    "Fine Chemicals International", "Import Export Trading Co Limited", "Medical Supplies Ltd",
]  # fmt: skip
PERSON_NAMES = [
    "Jose Garcia Lopez", "Wang Wei", "Li Na", "Maria Hernandez", "Juan Martinez Perez", "Zhang Wei",
    "Liu Yang", "Luis Rodriguez", "Chen Jing", "Carlos Sanchez Ramirez",
]  # fmt: skip


def syllables() -> tuple[set[str], dict[str, str]]:
    """Toneless pinyin syllables and, for each, a common character read that way."""
    sylls: set[str] = set()
    char_for: dict[str, str] = {}
    for code in sorted(PINYIN_DICT):
        ch = chr(code)
        if "," in PINYIN_DICT[code]:
            continue
        (p,) = lazy_pinyin(ch, style=Style.NORMAL, v_to_u=True)
        p = p.replace("ü", "u")
        if p.isalpha() and p.isascii():
            sylls.add(p)
            if code >= 0x4E00:
                char_for.setdefault(p, ch)
    return sylls, char_for


SYLLABLES, CHAR_FOR = syllables()


def pinyin_split(word: str) -> list[str] | None:
    """Split a pinyin word into syllables (fewest syllables), or None when it is not pinyin."""
    word = word.lower()
    best: dict[int, list[str]] = {len(word): []}
    for i in range(len(word) - 1, -1, -1):
        opts = [[word[i:j], *best[j]] for j in range(i + 1, min(len(word), i + 6) + 1)
                if j in best and word[i:j] in SYLLABLES]  # fmt: skip
        if opts:
            best[i] = min(opts, key=len)
    return best.get(0)


def distinctive_words(name: str) -> list[str]:
    """Words of the name (as written) that name the firm: no legal form, business word or place."""
    return [t.source for t in normalise_name(name).tokens
            if token_class(t.text) == "word" and len(t.source) > 3 and t.source.isalpha()]  # fmt: skip


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["sub", "del", "swap"])
    if kind == "del":
        return word[:i] + word[i + 1 :]
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    letter = rng.choice([c for c in "aeioun" if c != word[i].lower()])
    return word[:i] + letter + word[i + 1 :]


def chinese_form(name: str) -> str | None:
    """Write a listed Chinese company name in Chinese characters (pinyin read back), or None."""
    norm = normalise_name(name)
    out: list[str] = []
    words = list(norm.words)
    i = 0
    while i < len(words):
        for n in (2, 1):
            key = " ".join(words[i : i + n])
            if key in HAN_BY_WORD:
                out.append(HAN_BY_WORD[key])
                i += n
                break
        else:
            parts = pinyin_split(words[i])
            if not parts or any(p not in CHAR_FOR for p in parts):
                return None
            out.append("".join(CHAR_FOR[p] for p in parts))
            i += 1
    return "".join(out) + "有限公司"


def person_variants(entry: WatchlistEntry) -> list[tuple[str, str]]:
    if "," not in entry.name:
        return []
    last, first = (p.strip() for p in entry.name.split(",", 1))
    out = [("word-order", f"{first} {last}".title())]
    surnames = last.split()
    if len(surnames) == 2:
        out.append(("drop-second-surname", f"{first} {surnames[0]}".title()))
    return out


def company_variants(entry: WatchlistEntry, rng: random.Random) -> list[tuple[str, str]]:
    name = entry.name
    out: list[tuple[str, str]] = [("exact", name), ("case-punct", re.sub(r"[.,]", "", name).lower())]
    for pattern, subs in LEGAL_SWAPS:
        if re.search(pattern, name):
            out.append(("legal-swap", re.sub(pattern, rng.choice(subs), name)))
            break
    for long, short in ABBREVIATIONS.items():
        if re.search(rf"\b{long}\b", name):
            out.append(("abbreviation", re.sub(rf"\b{long}\b", short, name)))
            break
    words = distinctive_words(name)
    if words:
        longest = max(words, key=len)
        if len(longest) >= 6:
            out.append(("typo", name.replace(longest, typo(longest, rng), 1)))
        parts = pinyin_split(longest)
        if parts and len(parts) >= 2 and entry.country in ("CN", "HK"):
            out.append(("pinyin-spacing", name.replace(longest, " ".join(p.title() for p in parts), 1)))
    toks = name.split()
    for i in range(len(toks) - 1):
        a, b = toks[i], toks[i + 1]
        if a.isalpha() and b.isalpha() and token_class(a.lower()) != "generic" and (a in words or b in words):
            out.append(("joined-words", " ".join([*toks[:i], a + b.lower(), *toks[i + 2 :]])))
            break
    core = normalise_name(name).words
    if len(core) >= 3 and token_class(core[0]) == "place" and entry.country in ("CN", "HK"):
        out.append(("city-dropped", " ".join(toks[1:])))
    if len(core) >= 2:
        out.append(("word-order", " ".join([*toks[1:2], *toks[:1], *toks[2:]])))
    if entry.country in ("CN", "HK") and (han := chinese_form(name)):
        out.append(("chinese-characters", han))
    return out


def positives(entries: list[WatchlistEntry], rng: random.Random) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for e in entries:
        variants = person_variants(e) if e.schema == "Person" else company_variants(e, rng)
        variants += [("alias", a) for a in e.aliases
                     if len(re.sub(r"\W", "", a)) >= 4 and not normalise_name(a).text.isdigit()]  # fmt: skip
        for kind, text in variants:
            out.append({"query": text, "country": e.country, "expect": e.id, "kind": kind})
    return out


def negatives(wl: Watchlist, listed: list[WatchlistEntry], rng: random.Random) -> list[dict[str, Any]]:
    vocab = {w for e in wl.entries for n in (e.name, *e.aliases) for w in normalise_name(n).words}
    common = sorted(s for s in SYLLABLES if len(s) >= 2)
    out: list[dict[str, Any]] = []
    made = 0
    while made < 400:
        word = (rng.choice(common) + rng.choice(common)).title()
        if word.lower() in vocab:
            continue
        legal = rng.choice(CN_LEGAL)
        name = f"{rng.choice(CN_PLACES)} {word} {rng.choice(CN_GENERIC)} {legal}"
        out.append({"query": name, "country": "CN", "kind": "made-up-chinese"})
        made += 1
    for e in listed:  # near misses: the listed name with its distinctive word replaced
        words = distinctive_words(e.name)
        if e.schema == "Person" or not words:
            continue
        for _ in range(2):
            if e.country in ("CN", "HK"):
                new = (rng.choice(common) + rng.choice(common)).title()
            else:
                new = rng.choice(MX_WORDS).split()[-1]
            if new.lower() in vocab:
                continue
            out.append({"query": e.name.replace(max(words, key=len), new.upper(), 1), "country": e.country,
                        "kind": "near-miss"})  # fmt: skip
    for _ in range(300):
        name = f"{rng.choice(MX_GENERIC)} {rng.choice(MX_WORDS)}, {rng.choice(MX_LEGAL)}"
        out.append({"query": name, "country": "MX", "kind": "made-up-mexican"})
    out += [{"query": n, "country": "CN", "kind": "generic"} for n in GENERIC_NAMES]
    out += [{"query": n, "country": None, "kind": "person"} for n in PERSON_NAMES]
    surnames = sorted({e.name.split(",")[0].split()[0].title() for e in listed if e.schema == "Person"})
    for s in rng.sample(surnames, min(40, len(surnames))):
        out.append({"query": f"{s} {rng.choice(['Trading', 'Import Export', 'Logistica'])} SA de CV",
                    "country": "MX", "kind": "company-named-like-person"})  # fmt: skip
    keys = {normalise_name(n).key for e in wl.entries for n in (e.name, *e.aliases)}
    return [q for q in out if normalise_name(q["query"]).key not in keys]


def evaluate(wl: Watchlist, pos: list[dict[str, Any]], neg: list[dict[str, Any]]) -> dict[str, Any]:
    results: list[tuple[dict[str, Any], list[tuple[str, float, str]]]] = []
    for q in [*pos, *neg]:
        found = wl.match(q["query"], q["country"], threshold=min(THRESHOLDS), limit=5)
        results.append((q, [(h.entry.id, h.score, h.explanation) for h in found]))
    table = []
    for t in THRESHOLDS:
        tp = fp_pos = fp_neg = 0
        for q, hits in results:
            ids = [i for i, s, _ in hits if s >= t]
            if "expect" in q:
                if q["expect"] in ids:
                    tp += 1
                elif ids:
                    fp_pos += 1
            elif ids:
                fp_neg += 1
        prec = tp / (tp + fp_pos + fp_neg) if tp + fp_pos + fp_neg else 1.0
        table.append({"threshold": t, "precision": round(prec, 4), "recall": round(tp / len(pos), 4),
                      "true_positives": tp, "wrong_entry_on_positive": fp_pos, "false_positive_negatives": fp_neg})  # fmt: skip
    by_kind: dict[str, list[int]] = {}
    for q, hits in results:
        hit = any(s >= 0.88 and (q.get("expect") in (i, None)) for i, s, _ in hits)
        by_kind.setdefault(("+" if "expect" in q else "-") + q["kind"], [0, 0])
        by_kind[("+" if "expect" in q else "-") + q["kind"]][0] += hit
        by_kind[("+" if "expect" in q else "-") + q["kind"]][1] += 1
    negs = sorted(((h[0][1], q, h[0][2]) for q, h in results if "expect" not in q and h), key=lambda x: -x[0])
    fps = [{"query": q["query"], "kind": q["kind"], "best": e} for _, q, e in negs[:10]]
    misses = [{"query": q["query"], "kind": q["kind"], "best": h[0][2] if h else None} for q, h in results
              if "expect" in q and not any(i == q["expect"] and s >= 0.88 for i, s, _ in h)]  # fmt: skip
    return {
        "per_threshold": table,
        "at_0.88_hit_rate_by_kind": {k: f"{a}/{b}" for k, (a, b) in sorted(by_kind.items())},
        "best_scoring_negatives": fps,
        "missed_positives_at_0.88": misses,
    }


def cold_timing(
    entries: tuple[WatchlistEntry, ...], queries: list[dict[str, Any]], repeats: int
) -> tuple[float, float]:
    """Best of `repeats` runs (wall, CPU) in µs per match, every query new: no memo, caches cleared."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeats):
        cold = Watchlist(entries, cache_size=0)  # fresh: no memo, no word cache
        companies.normalise_name.cache_clear()
        companies.pinyin_word.cache_clear()
        t0, c0 = time.perf_counter(), time.process_time()
        for q in queries:
            cold.match(q["query"], q["country"])
        wall.append((time.perf_counter() - t0) / len(queries) * 1e6)
        cpu.append((time.process_time() - c0) / len(queries) * 1e6)
    return round(min(wall), 1), round(min(cpu), 1)


def timing(
    entries: tuple[WatchlistEntry, ...], queries: list[dict[str, Any]], rng: random.Random, repeats: int = 3
) -> dict[str, Any]:
    """Best of `repeats` runs (the machine may be shared)."""
    n = len(queries)
    wall, cpu = cold_timing(entries, queries, repeats)
    neg = [q for q in queries if "expect" not in q]
    neg_wall, neg_cpu = cold_timing(entries, neg, repeats)
    out: dict[str, Any] = {
        "cold_queries": n, "cold_us_per_match_wall": wall, "cold_us_per_match_cpu": cpu,
        "cold_not_listed_queries": len(neg), "cold_not_listed_us_per_match_wall": neg_wall,
        "cold_not_listed_us_per_match_cpu": neg_cpu,
    }  # fmt: skip
    wall_s: list[float] = []
    cpu_s: list[float] = []
    distinct = [(q["query"], q["country"]) for q in queries]
    weights = [1 / (i + 1) for i in range(len(distinct))]
    stream = rng.choices(distinct, weights=weights, k=200_000)
    for _ in range(repeats):
        warm = Watchlist(entries)
        companies.normalise_name.cache_clear()
        t0, c0 = time.perf_counter(), time.process_time()
        for name, country in stream:
            warm.match(name, country)
        wall_s.append((time.perf_counter() - t0) / len(stream) * 1e6)
        cpu_s.append((time.process_time() - c0) / len(stream) * 1e6)
    out.update(
        stream_lookups=len(stream), stream_distinct_names=len(set(stream)),
        stream_us_per_match_wall=round(min(wall_s), 2), stream_us_per_match_cpu=round(min(cpu_s), 2),
        repeats=repeats,
    )  # fmt: skip
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sdn", default=str(ROOT.parent / "shared/reference/ofac-sdn-2024-05-03.csv"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    f = read_watchlist(args.sdn)
    t0 = time.perf_counter()
    wl = Watchlist(f.entries)
    build = time.perf_counter() - t0
    listed = [e for e in f.entries if PROGRAM in e.program.split(";")]
    pos = positives(listed, rng)
    neg = negatives(wl, listed, rng)
    report: dict[str, Any] = {
        "watchlist": f.summary(), "index_build_s": round(build, 2), "program": PROGRAM,
        "listed_entries": len(listed), "positives": len(pos), "negatives": len(neg),
        "positive_kinds": Counter(q["kind"] for q in pos), "negative_kinds": Counter(q["kind"] for q in neg),
    }  # fmt: skip
    report.update(evaluate(wl, pos, neg))
    report["timing"] = timing(f.entries, [*pos, *neg], rng)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
