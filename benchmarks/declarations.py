"""A deterministic file of shipment declarations for the screening benchmark.

CSV with the documented declaration columns (`precwatch.core.screening.records.DECLARATION_FIELDS`). Most rows
are ordinary trade (`_GOODS`: goods under their own HS code at a usual price, between ordinary companies,
on which no screening rule should fire). About `RISKY_RATE` of them carry what screening looks for, one or
two signals at once:

- a knowledge-base precursor named in the description, by a name or its CAS RN (sometimes disguised);
- a vague description ("pharmaceutical intermediate", "organic chemical") under an HS heading of concern
  (29.33, 29.24, 29.14, 29.32, 29.39);
- a shipper from a small set of invented, watchlist-like names (see `WATCHLIST_NAMES`), spelt with the
  variations real declarations show;
- a few kg of a chemical by express or post, at a token value;
- a consignee that uses no chemicals (a person at a PO box, a grocery).

About `MALFORMED_RATE` of the rows are broken (a missing id, too few fields, a quantity or value that is
not a number, an impossible date) so that the rejects path is exercised too.

The same (records, seed, knowledge-base names, generator version) always gives the same bytes; the file is
cached in the work directory under a name made of those, with a small `.meta.json` beside it.
"""

from __future__ import annotations

import csv
import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import log
from benchmarks.corpus import kb_fingerprint
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.screening.records import DECLARATION_FIELDS

GENERATOR_VERSION = 2
"""Bump when the generated rows change, so cached files are not reused."""

RISKY_RATE = 0.03
MALFORMED_RATE = 0.0005

WATCHLIST_NAMES: tuple[str, ...] = (
    "Wuhan Yuanjing Biotech Co., Ltd.",
    "Hebei Shuntian Pharm-Tech Trading Co., Ltd.",
    "Guangzhou Kailan New Material Co., Ltd.",
    "Hubei Zhenglong Chemical Technology Co., Ltd.",
    "Shijiazhuang Xinhong Biological Technology Co., Ltd.",
    "Nanjing Ruiqi Pharmaceutical Chemicals Co., Ltd.",
)
"""Invented shipper names used as a watchlist by the benchmark (no real company is meant)."""

_GOODS: tuple[tuple[str, str, str, float, float], ...] = (
    # (description, HS code, unit, lowest and highest USD per unit): ordinary trade, priced as traded
    ("cotton T-shirts 180gsm", "6109.10", "pcs", 1.5, 6), ("wool blend knit sweaters", "6110.20", "pcs", 4, 12),
    ("polyester fleece jackets", "6101.30", "pcs", 5, 15), ("denim fabric width 150cm", "5209.42", "m", 1.5, 4),
    ("microfiber cleaning towels", "6307.10", "pcs", 0.2, 1), ("linen bed sheet sets", "6302.31", "set", 8, 25),
    ("canvas tote bags", "4202.22", "pcs", 0.8, 3), ("cotton baby rompers", "6111.20", "pcs", 1, 4),
    ("USB-C charging cables 2m braided", "8544.42", "pcs", 0.3, 2), ("HDMI cables 2m", "8544.42", "pcs", 0.5, 2),
    ("LED strip lights 5050 12V", "9405.42", "pcs", 1, 5), ("TWS bluetooth earbuds", "8518.30", "pcs", 3, 15),
    ("power banks 10000mAh", "8507.60", "pcs", 4, 12), ("smart watches", "8517.62", "pcs", 8, 40),
    ("wireless mice", "8471.60", "pcs", 2, 8), ("IP cameras 1080P", "8525.89", "pcs", 10, 40),
    ("deep groove ball bearings 6204-2RS", "8482.10", "pcs", 0.3, 2), ("hydraulic gear pumps", "8413.60", "pcs", 40, 300),
    ("stainless steel hex bolts M8x30", "7318.15", "kg", 2, 6), ("V-belts B-50", "4010.32", "pcs", 1, 4),
    ("rubber O-ring kits", "4016.93", "set", 2, 10), ("air compressor valve plates", "8414.90", "pcs", 1, 8),
    ("hyaluronic acid serum 30ml", "3304.99", "pcs", 0.8, 4), ("matte lipsticks", "3304.10", "pcs", 0.3, 2),
    ("argan oil shampoo 500ml", "3305.10", "pcs", 1, 4), ("sunscreen lotion SPF50", "3304.99", "pcs", 1, 5),
    ("sodium benzoate E211 food grade", "2916.31", "kg", 1.2, 4), ("xanthan gum 200 mesh", "3913.90", "kg", 2, 6),
    ("potassium sorbate granular", "2916.19", "kg", 3, 7), ("monosodium glutamate 99%", "2922.42", "kg", 1, 2),
    ("maltodextrin DE10-15", "1702.90", "kg", 0.5, 1.2), ("soy lecithin", "2923.20", "kg", 1.5, 4),
    ("ascorbic acid (vitamin C) BP", "2936.27", "kg", 3, 8), ("sorbitol powder", "2905.44", "kg", 0.7, 1.5),
    ("citric acid monohydrate", "2918.14", "kg", 0.7, 1.5), ("柠檬酸 citric acid anhydrous", "2918.14", "kg", 0.7, 1.5),
    ("sodium chloride industrial grade", "2501.00", "kg", 0.05, 0.3), ("氯化钠 sodium chloride", "2501.00", "kg", 0.05, 0.3),
    ("acetone 99.5%", "2914.11", "kg", 0.8, 1.5), ("glycerol 99.5%", "2905.45", "kg", 0.6, 1.5),
    ("titanium dioxide rutile", "2823.00", "kg", 2, 4), ("calcium carbonate 800 mesh", "2836.50", "kg", 0.1, 0.4),
    ("sodium bicarbonate food grade", "2836.30", "kg", 0.3, 0.6), ("caustic soda flakes 99%", "2815.11", "kg", 0.3, 0.8),
    ("isopropyl alcohol 99.9%", "2905.12", "kg", 0.9, 1.6), ("glacial acetic acid", "2915.21", "kg", 0.4, 0.9),
    ("sodium sulfate anhydrous", "2833.11", "kg", 0.1, 0.3), ("hydrogen peroxide 35%", "2847.00", "kg", 0.3, 0.7),
)  # fmt: skip
"""Ordinary goods with their HS code and a unit price in the usual range (no rule should fire on them)."""

_CONCERN_HS = ("2933.39", "2933.99", "2924.29", "2914.39", "2932.99", "2939.99", "2922.39")
_VAGUE = (
    "pharmaceutical intermediate", "organic chemical", "chemical raw material", "research chemical",
    "fine chemical", "API intermediate", "white powder sample", "industrial chemical", "医药中间体",
    "化工原料", "producto químico", "intermediario farmacéutico",
)  # fmt: skip
_SHIPPER_WORDS = (
    "Ningbo Haitian", "Yiwu Hongda", "Shenzhen Everbright", "Qingdao Oceanic", "Xiamen Greenleaf",
    "Tianjin Goldsea", "Hangzhou Sunrise", "Foshan Meiya", "Dongguan Topwin", "Suzhou Kingtech",
    "Mumbai Sai", "Ho Chi Minh Viet An", "Istanbul Anadolu", "Guadalajara Norte", "Hamburg Nordkai",
)  # fmt: skip
_SHIPPER_TRADES = (
    "Textile", "Electronics", "Machinery", "Trading", "Import & Export", "Industrial", "Cosmetics",
    "Food Ingredients", "Chemical", "Hardware",
)  # fmt: skip
_FORMS = ("Co., Ltd.", "Co. Ltd", "Limited", "Corp.", "Inc.", "S.A. de C.V.", "GmbH", "Pvt. Ltd.")
_CONSIGNEES = (
    ("Acme Distribution LLC", "1200 Commerce Dr, Dallas TX", "US"),
    ("Pacific Retail Group Inc.", "88 Harbor Blvd, Long Beach CA", "US"),
    ("Comercializadora del Bajío SA de CV", "Av. Juárez 455, León, Gto.", "MX"),
    ("Distribuidora Monterrey SA de CV", "Calle Hidalgo 12, Monterrey, NL", "MX"),
    ("Great Lakes Supply Co.", "45 Industrial Pkwy, Toledo OH", "US"),
    ("Maple Leaf Importers Ltd.", "300 Bay St, Toronto ON", "CA"),
    ("Rheinland Handel GmbH", "Hafenstr. 7, Duisburg", "DE"),
    ("Gulf Coast Chemical Distributors Inc.", "9 Refinery Rd, Pasadena TX", "US"),
    ("Química Industrial del Norte SA de CV", "Parque Industrial 3, Apodaca, NL", "MX"),
)  # fmt: skip
_RISKY_CONSIGNEES = (
    ("John Smith", "PO Box 4411, Phoenix AZ", "US"),
    ("Abarrotes La Esperanza", "Calle 5 de Mayo 120, Culiacán, Sin.", "MX"),
    ("Laboratorios Pacífico SA de CV", "Blvd. Pedro Infante 2200, Culiacán, Sin.", "MX"),
)  # fmt: skip
_SHIPPER_COUNTRIES = ("CN", "CN", "CN", "CN", "IN", "VN", "TR", "MX", "DE", "HK")
_LOADING = {
    "CN": ("CNSHA", "CNNGB", "CNSZX", "CNTAO", "CNCAN"), "HK": ("HKHKG",), "IN": ("INNSA",), "VN": ("VNSGN",),
    "TR": ("TRIST",), "MX": ("MXMTY",), "DE": ("DEHAM",),
}  # fmt: skip
_DISCHARGE = {
    "US": ("USLAX", "USLGB", "USNYC", "USHOU"), "MX": ("MXZLO", "MXLZC", "MXVER"), "CA": ("CAVAN",),
    "DE": ("DEHAM",),
}  # fmt: skip
_MODES = ("sea", "sea", "sea", "sea", "air", "road")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class _Generator:
    """Declaration rows, drawn from one seeded `random.Random`."""

    def __init__(self, rng: random.Random, kb: KnowledgeBase) -> None:
        self.rng = rng
        self.names: list[tuple[str, str | None]] = []
        for s in kb.substances:
            if s.role == "drug":
                continue
            for _, name in (("preferred", s.preferred_name), *s.names.all()):
                self.names.append((name, s.cas))

    def _party(self) -> tuple[str, str, str]:
        r = self.rng
        country = r.choice(_SHIPPER_COUNTRIES)
        name = f"{r.choice(_SHIPPER_WORDS)} {r.choice(_SHIPPER_TRADES)} {r.choice(_FORMS)}"
        address = f"No. {r.randint(1, 999)} {r.choice(('Industrial Rd', 'Jianshe Rd', 'Zone B', 'Main St'))}"
        return name, address, country

    def _watchlisted(self) -> str:
        r = self.rng
        name = r.choice(WATCHLIST_NAMES)
        how = r.random()
        if how < 0.4:
            return name
        if how < 0.6:
            return name.upper()
        if how < 0.8:
            return name.replace(", Ltd.", " Limited").replace("Co.", "Company")
        return name.replace("Co., Ltd.", "").strip()

    def _mention(self) -> str:
        r = self.rng
        name, cas = r.choice(self.names)
        how = r.random()
        if how < 0.5 or not cas:
            return name if r.random() < 0.7 else name.upper()
        if how < 0.8:
            return f"CAS {cas}" if r.random() < 0.7 else f"CAS {cas.replace('0', 'O')}"
        return f"{name} CAS {cas.translate(_FULL_WIDTH) if r.random() < 0.2 else cas}"

    def row(self, n: int) -> list[str]:
        r = self.rng
        shipper, s_address, s_country = self._party()
        consignee, c_address, c_country = r.choice(_CONSIGNEES)
        description, hs, unit, low, high = r.choice(_GOODS)
        mode = r.choice(_MODES)
        quantity = r.randint(100, 20_000)
        value = round(quantity * r.uniform(low, high), 2)
        if r.random() < RISKY_RATE:
            signals = r.sample(
                ("precursor", "vague", "watchlist", "parcel", "consignee"), r.choice((1, 1, 2))
            )
            if "precursor" in signals:
                description = (
                    f"{self._mention()} {r.choice(('99%', 'white powder', '25kg drum', ''))}".strip()
                )
                hs, unit = r.choice(_CONCERN_HS), "kg"
                value = round(quantity * r.uniform(5, 60), 2)
            if "vague" in signals:
                description, hs = r.choice(_VAGUE), r.choice(_CONCERN_HS)
            if "watchlist" in signals:
                shipper, s_country = self._watchlisted(), "CN"
            if "parcel" in signals:
                mode, unit, quantity = r.choice(("express", "post")), "kg", r.randint(1, 25)
                value = round(r.uniform(5, 60), 2)
                if "precursor" not in signals and "vague" not in signals:
                    description, hs = r.choice(_VAGUE), r.choice(_CONCERN_HS)
            if "consignee" in signals:
                consignee, c_address, c_country = r.choice(_RISKY_CONSIGNEES)
        row = [
            f"D{n:08d}",
            f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
            shipper,
            s_address,
            s_country,
            consignee,
            c_address,
            c_country,
            hs,
            description,
            str(quantity),
            unit,
            f"{value:.2f}",
            mode,
            r.choice(_LOADING.get(s_country, ("CNSHA",))),
            r.choice(_DISCHARGE.get(c_country, ("USLAX",))),
        ]
        if r.random() < MALFORMED_RATE:
            self._break(row)
        return row

    def _break(self, row: list[str]) -> None:
        how = self.rng.randrange(5)
        if how == 0:
            row[0] = ""
        elif how == 1:
            del row[-3:]
        elif how == 2:
            row[10] = "about twelve"
        elif how == 3:
            row[12] = "USD 4,5O0"
        else:
            row[1] = "2025-13-45"


@dataclass(frozen=True, slots=True)
class DeclarationsFile:
    """A generated declarations file and what is known about it."""

    path: Path
    records: int
    bytes: int
    seed: int
    generation_seconds: float
    cached: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "records": self.records,
            "bytes": self.bytes,
            "risky_rate": RISKY_RATE,
            "malformed_rate": MALFORMED_RATE,
            "seed": self.seed,
            "generator_version": GENERATOR_VERSION,
            "generation_seconds": round(self.generation_seconds, 2),
            "cached": self.cached,
        }


def declarations_path(work_dir: Path, records: int, seed: int, kb: KnowledgeBase) -> Path:
    return work_dir / (
        f"declarations-g{GENERATOR_VERSION}-kb{kb.version}-{kb_fingerprint(kb)}-n{records}-s{seed}.csv"
    )


def write_declarations(kb: KnowledgeBase, records: int, seed: int, path: Path) -> None:
    """Write `records` declarations (plus the header line) to `path`."""
    gen = _Generator(random.Random(seed), kb)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(DECLARATION_FIELDS)
        batch: list[list[str]] = []
        for n in range(1, records + 1):
            batch.append(gen.row(n))
            if len(batch) == 10_000:
                writer.writerows(batch)
                batch.clear()
        writer.writerows(batch)


def ensure_declarations(
    kb: KnowledgeBase, records: int, seed: int, work_dir: Path, progress: Callable[[str], None] = log
) -> DeclarationsFile:
    """The declarations file for these parameters, generated unless a complete cached copy exists."""
    path = declarations_path(work_dir, records, seed, kb)
    meta_path = path.with_name(path.name + ".meta.json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("bytes") == path.stat().st_size and meta.get("records") == records:
            progress(f"using cached declarations {path.name}")
            return DeclarationsFile(path, records, meta["bytes"], seed, meta["seconds"], True)
    work_dir.mkdir(parents=True, exist_ok=True)
    progress(f"generating {records:,} declarations (seed {seed}) into {path.name}")
    start = time.perf_counter()
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    write_declarations(kb, records, seed, tmp)
    os.replace(tmp, path)
    seconds = time.perf_counter() - start
    size = path.stat().st_size
    meta_path.write_text(
        json.dumps({"records": records, "bytes": size, "seed": seed, "seconds": seconds}), encoding="utf-8"
    )
    progress(f"generated {size / 1e6:.1f} MB in {seconds:.1f}s")
    return DeclarationsFile(path, records, size, seed, seconds, False)
