"""A deterministic corpus of listing-like records for throughput benchmarks.

Records are JSON Lines, `{"id": "L0000001", "text": "..."}`, resembling B2B marketplace listings and
customs declaration descriptions of ordinary goods (textiles, electronics, machinery parts, cosmetics,
food additives, benign chemicals), with prices, minimum order quantities, weights, HS codes, packaging,
some Chinese and Spanish phrases, and in `CONTACT_RATE` of them a phone, order, tracking or invoice number. About `PLANT_RATE` of the records name a knowledge-base substance, by one of its names or
its CAS RN, sometimes disguised (O for 0, spaced or full-width digits, upper case, hyphens as spaces).

The same (records, seed, knowledge-base names, generator version) always gives the same bytes; the file is
cached in the work directory under a name made of those, with a small `.meta.json` beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import log
from precwatch.core.kb.knowledge import KnowledgeBase

GENERATOR_VERSION = 2
"""Bump when the generated text changes, so cached corpora are not reused (2: phone and order numbers)."""

CONTACT_RATE = 0.4
"""Share of records that end with a phone number, an order number or a tracking number (digit runs)."""

PLANT_RATE = 0.02
"""Share of records that name a knowledge-base substance."""

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# Ordinary goods, by category: (products, specifications, HS headings used in declarations).
_CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "textiles": (
        (
            "cotton T-shirt", "polyester fleece jacket", "denim fabric", "nylon webbing strap",
            "silk scarf", "wool blend knit sweater", "microfiber cleaning towel", "linen bed sheet set",
            "spandex yoga leggings", "canvas tote bag", "jacquard curtain fabric", "baby romper",
        ),
        ("180gsm", "100% cotton", "size S-XXL", "width 150cm", "custom colour", "OEKO-TEX", "320gsm"),
        ("6109.10", "5209.42", "6110.20", "6302.31", "6117.10", "4202.22"),
    ),
    "electronics": (
        (
            "USB-C charging cable", "LED strip light 5050", "TWS bluetooth earbuds", "18650 lithium battery",
            "power bank", "HDMI cable", "PCB assembly", "smart watch", "wireless mouse",
            "mechanical keyboard", "solar panel controller", "IP camera",
        ),
        ("3.7V 2600mAh", "1080P", "2m braided", "10000mAh", "12V 60 LEDs/m", "CE FCC RoHS", "type-C 3A"),
        ("8544.42", "9405.40", "8518.30", "8507.60", "8504.40", "8471.60", "8525.80"),
    ),
    "machinery": (
        (
            "deep groove ball bearing 6204-2RS", "hydraulic gear pump", "stainless steel hex bolt",
            "CNC machined aluminium bracket", "V-belt", "diesel fuel injector nozzle",
            "air compressor valve plate", "gearbox output shaft", "rubber O-ring kit", "excavator bucket tooth",
        ),
        ("M8x30", "SUS304", "OEM No. 4D56", "ISO 9001", "B-50", "heat treated", "tolerance 0.01mm"),
        ("8482.10", "8413.60", "7318.15", "8483.10", "4010.32", "8409.99", "4016.93"),
    ),
    "cosmetics": (
        (
            "hyaluronic acid serum", "matte lipstick", "vitamin C face cream", "argan oil shampoo",
            "UV gel nail polish", "sunscreen lotion", "eyelash extension glue", "collagen sheet mask",
            "rose water toner", "private label lip gloss",
        ),
        ("30ml", "SPF50 PA+++", "50g jar", "private label", "vegan cruelty free", "12 colours", "GMPC"),
        ("3304.99", "3304.10", "3305.10", "3304.30", "3506.91", "3307.90"),
    ),
    "food": (
        (
            "sodium benzoate E211", "xanthan gum", "potassium sorbate granular", "monosodium glutamate",
            "maltodextrin DE10-15", "soy lecithin", "ascorbic acid (vitamin C)", "sorbitol powder",
            "calcium propionate", "agar agar powder", "sucralose", "citric acid monohydrate",
        ),
        ("food grade", "200 mesh", "99%", "FCC/USP", "halal kosher", "E330", "BP/USP grade"),
        ("2916.31", "3913.90", "2916.19", "2922.42", "1702.90", "2923.20", "2936.27", "2918.14"),
    ),
    "chemicals": (
        (
            "sodium chloride", "citric acid CAS 77-92-9", "piperidine 99%", "acetone CAS 67-64-1",
            "glycerol 99.5%", "ethanol 95%", "titanium dioxide rutile", "calcium carbonate",
            "sodium bicarbonate", "aniline CAS 62-53-3", "pyridine", "benzyl alcohol", "isopropyl alcohol",
            "hydrogen peroxide 35%", "caustic soda flakes", "propionic acid", "氯化钠 sodium chloride",
            "柠檬酸 citric acid", "glacial acetic acid", "sodium sulfate anhydrous",
        ),
        ("industrial grade", "AR reagent", "99.9% purity", "technical grade", "CAS 7647-14-5", "USP"),
        ("2501.00", "2918.14", "2933.39", "2914.11", "2905.45", "2207.10", "2823.00", "2836.50"),
    ),
}  # fmt: skip

_LEADS = (
    "", "", "", "Factory direct ", "Wholesale ", "New arrival ", "High quality ", "OEM ", "Hot sale ",
    "Custom logo ", "2024 ", "Best price ",
)  # fmt: skip
_UNITS = ("pcs", "pieces", "sets", "kg", "meters", "pairs", "cartons", "units")
_PACKS = (
    "carton packing", "25kg bag", "1 pc/opp bag, 100 pcs/ctn", "wooden case", "PE bag inside carton",
    "200kg drum", "blister pack", "pallet", "bulk", "gift box", "IBC tank", "woven bag",
)  # fmt: skip
_PORTS = ("Shenzhen", "Shanghai", "Ningbo", "Qingdao", "Guangzhou", "Tianjin", "Xiamen")
_COUNTRIES = ("CN", "CHINA", "IN", "VN", "TR", "MX", "DE")
_CHINESE = ("厂家直销", "现货供应", "批发价格", "包邮", "高品质", "量大从优", "欢迎询价", "支持定制")
_SPANISH = (
    "precio de fábrica", "envío rápido", "venta al por mayor", "alta calidad", "entrega inmediata",
    "disponible en stock", "muestra gratis",
)  # fmt: skip
_ENGLISH_TAILS = (
    "Free sample", "OEM/ODM available", "Fast delivery", "Trade assurance", "Ready to ship",
    "Contact supplier", "Verified supplier", "",
)  # fmt: skip
_EXTRAS = (
    "Delivery 7-15 days", "Supply ability 500 tons/month", "Payment T/T, L/C, Western Union",
    "Lead time 20 days after deposit", "Sample time 3-5 days", "Shelf life 24 months",
    "Warranty 12 months", "Certificate: ISO9001, SGS", "Port of loading: Shanghai", "Model No. HX-2024",
)  # fmt: skip
_PURITY = ("99%", "99.5%", "98% min", "high purity", "99.9% HPLC", "pharma grade", "")
_FORMS = ("white powder", "crystal", "yellow oil", "liquid", "powder", "solid")


def vocabulary() -> list[str]:
    """Every product and specification phrase used for ordinary records (to check against the KB)."""
    out: list[str] = []
    for products, specs, _ in _CATEGORIES.values():
        out.extend(products)
        out.extend(specs)
    out.extend(_PACKS + _CHINESE + _SPANISH + _ENGLISH_TAILS)
    return [p for p in out if p]


class _Generator:
    """Record texts, drawn from one seeded `random.Random`."""

    def __init__(self, rng: random.Random, kb: KnowledgeBase) -> None:
        self.rng = rng
        self.categories = list(_CATEGORIES.values())
        self.names: list[tuple[str, str | None]] = []  # (name, CAS) of each knowledge-base name
        self.cas: list[str] = []
        for s in kb.substances:
            for _, name in (("preferred", s.preferred_name), *s.names.all()):
                self.names.append((name, s.cas))
            if s.cas:
                self.cas.append(s.cas)

    def _price(self) -> str:
        r = self.rng
        return f"{r.randint(1, 999) / 10 if r.random() < 0.8 else r.randint(100, 9999):g}"

    def _tail(self) -> str:
        return self._words_tail() + (self._digits() if self.rng.random() < CONTACT_RATE else "")

    def _words_tail(self) -> str:
        r = self.rng.random()
        if r < 0.12:
            return " " + self.rng.choice(_CHINESE)
        if r < 0.20:
            return " " + self.rng.choice(_SPANISH)
        tail = self.rng.choice(_ENGLISH_TAILS)
        if r < 0.7:
            tail = f"{tail}. {self.rng.choice(_EXTRAS)}" if tail else self.rng.choice(_EXTRAS)
        return f", {tail}" if tail else ""

    def _digits(self) -> str:
        """A phone number (as vendors write them: spaced, dashed, run together), an order or a tracking
        number: the digit runs every real listing and declaration carries."""
        r = self.rng
        kind = r.randrange(6)
        if kind == 0:
            return (
                f". Tel/WhatsApp: +86 1{r.randint(30, 99)} {r.randint(0, 9999):04d} {r.randint(0, 9999):04d}"
            )
        if kind == 1:
            return f", WeChat/WhatsApp +86-1{r.randint(3000000000, 9999999999)}"
        if kind == 2:
            return f", tel. +52 55 {r.randint(1000, 9999)} {r.randint(1000, 9999)}"
        if kind == 3:
            return f", order no. {r.randint(2023, 2026)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 999999):06d}"
        if kind == 4:
            return f", tracking {r.choice(('SF', 'YT', 'LP'))}{r.randint(10**11, 10**12 - 1)}"
        return f", invoice {r.randint(10, 99)}-{r.randint(10000, 99999)}-{r.randint(1, 9)} dated {r.randint(1, 28)}/{r.randint(1, 12)}/2024"

    def ordinary(self) -> str:
        r = self.rng
        products, specs, hs = r.choice(self.categories)
        product, spec = r.choice(products), r.choice(specs)
        return self._wrap(product, spec, r.choice(hs))

    def _wrap(self, product: str, spec: str, hs: str) -> str:
        r = self.rng
        unit = r.choice(_UNITS)
        form = r.randrange(5)
        if form == 0:
            return (
                f"{r.choice(_LEADS)}{product} {spec}, MOQ {r.randint(1, 500)} {unit}, "
                f"US${self._price()}/{unit}, {r.choice(_PACKS)}{self._tail()}"
            )
        if form == 1:
            lo = r.randint(5, 300) / 10
            return (
                f"{product} - {spec} | {r.choice(_PACKS)} | FOB {r.choice(_PORTS)} USD {lo:.2f}-{lo * 1.6:.2f}"
                f" | Min. order: {r.randint(1, 1000)} {unit}{self._tail()}"
            )
        if form == 2:
            nw = r.randint(10, 20000)
            return (
                f"{product.upper()} {spec.upper()} {r.randint(1, 900)} CTNS N.W. {nw} KGS "
                f"G.W. {nw + nw // 12} KGS HS {hs} ORIGIN {r.choice(_COUNTRIES)}"
            )
        if form == 3:
            return (
                f"{r.randint(1, 5000)} {unit} of {product} ({spec}), packed in {r.choice(_PACKS)}, "
                f"invoice value USD {r.randint(200, 90000)}{self._tail()}"
            )
        return (
            f"{r.choice(_LEADS)}{product} {spec} price ${self._price()} MOQ {r.randint(1, 100)}{self._tail()}"
        )

    def _disguised_cas(self, cas: str) -> str:
        r = self.rng.random()
        if r < 0.5:
            return cas
        if r < 0.65:
            return cas.replace("0", "O")
        if r < 0.8:
            return cas.replace("-", " - ")
        if r < 0.92:
            return cas.translate(_FULL_WIDTH)
        return cas.replace("-", "")

    def _disguised_name(self, name: str) -> str:
        r = self.rng.random()
        if r < 0.6:
            return name
        if r < 0.75:
            return name.upper() if name.isascii() else name
        if r < 0.9:
            return name.replace("-", " ")
        return name.translate(_FULL_WIDTH)

    def planted(self) -> str:
        """A record naming one knowledge-base substance (by name, CAS RN or both)."""
        r = self.rng
        name, cas = r.choice(self.names)
        how = r.random()
        if how < 0.55 or not cas:
            mention = self._disguised_name(name)
        elif how < 0.8:
            mention = f"CAS {self._disguised_cas(cas)}"
        else:
            mention = f"{self._disguised_name(name)} CAS {self._disguised_cas(cas)}"
        form = r.randrange(3)
        if form == 0:
            return (
                f"{r.choice(_LEADS)}{mention} {r.choice(_PURITY)} {r.choice(_FORMS)}, {r.choice(_PACKS)}, "
                f"MOQ {r.randint(1, 100)} kg, US${self._price()}/kg{self._tail()}"
            )
        if form == 1:
            nw = r.randint(1, 2000)
            shown = mention.upper() if mention.isascii() else mention
            return f"{shown} {nw} KGS N.W. {nw} KGS HS 2933.39 ORIGIN {r.choice(_COUNTRIES)}"
        return f"{self.ordinary()}; we also supply {mention} {r.choice(_PURITY)}"


@dataclass(frozen=True, slots=True)
class Corpus:
    """A generated corpus file and what is known about it."""

    path: Path
    records: int
    bytes: int
    planted: int
    seed: int
    generation_seconds: float
    cached: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "records": self.records,
            "bytes": self.bytes,
            "planted_records": self.planted,
            "plant_rate": PLANT_RATE,
            "seed": self.seed,
            "generator_version": GENERATOR_VERSION,
            "generation_seconds": round(self.generation_seconds, 2),
            "cached": self.cached,
        }


def kb_fingerprint(kb: KnowledgeBase) -> str:
    """A short digest of the names and CAS numbers the generator draws from (the KB version alone may not
    change while the data is being edited)."""
    digest = hashlib.sha256()
    for name, cas in _Generator(random.Random(0), kb).names:
        digest.update(f"{name}\t{cas or ''}\n".encode())
    return digest.hexdigest()[:10]


def corpus_path(work_dir: Path, records: int, seed: int, kb: KnowledgeBase) -> Path:
    return (
        work_dir / f"corpus-g{GENERATOR_VERSION}-kb{kb.version}-{kb_fingerprint(kb)}-n{records}-s{seed}.jsonl"
    )


def ensure_corpus(
    kb: KnowledgeBase, records: int, seed: int, work_dir: Path, progress: Callable[[int], None] | None = None
) -> Corpus:
    """The corpus for these parameters, generated unless a complete cached copy exists."""
    path = corpus_path(work_dir, records, seed, kb)
    meta_path = path.with_name(path.name + ".meta.json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("bytes") == path.stat().st_size and meta.get("records") == records:
            log(f"using cached corpus {path.name}")
            return Corpus(path, records, meta["bytes"], meta["planted"], seed, meta["seconds"], True)
    work_dir.mkdir(parents=True, exist_ok=True)
    log(f"generating {records:,} records (seed {seed}) into {path.name}")
    start = time.perf_counter()
    gen = _Generator(random.Random(seed), kb)
    planted = 0
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    rand = gen.rng.random
    dumps = json.dumps
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        batch: list[str] = []
        for i in range(1, records + 1):
            if rand() < PLANT_RATE:
                planted += 1
                text = gen.planted()
            else:
                text = gen.ordinary()
            batch.append(f'{{"id": "L{i:07d}", "text": {dumps(text, ensure_ascii=False)}}}\n')
            if len(batch) == 10_000:
                out.write("".join(batch))
                batch.clear()
                if progress is not None:
                    progress(i)
        out.write("".join(batch))
    os.replace(tmp, path)
    seconds = time.perf_counter() - start
    size = path.stat().st_size
    meta_path.write_text(
        json.dumps({"records": records, "bytes": size, "planted": planted, "seed": seed, "seconds": seconds}),
        encoding="utf-8",
    )
    log(f"generated {size / 1e6:.1f} MB in {seconds:.1f}s ({planted:,} records name a KB substance)")
    return Corpus(path, records, size, planted, seed, seconds, False)
