"""A deterministic file of shipment declarations for the screening benchmark.

CSV with the documented declaration columns (`precwatch.core.records.DECLARATION_FIELDS`). Most rows
are ordinary trade (the goods of `benchmarks.corpus`, under their own HS headings, between ordinary
companies). About `RISKY_RATE` of them carry what screening looks for, one or several at once:

- a knowledge-base precursor named in the description, by a name or its CAS RN (sometimes disguised);
- a vague description ("pharmaceutical intermediate", "organic chemical") under an HS heading of concern
  (29.33, 29.24, 29.14, 29.32, 29.39);
- a shipper from a small set of invented, watchlist-like names (see `WATCHLIST_NAMES`), spelt with the
  variations real declarations show;
- express or post transport of a chemical with a low declared value.

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
from benchmarks.corpus import _CATEGORIES, kb_fingerprint
from precwatch.core.knowledge import KnowledgeBase
from precwatch.core.records import DECLARATION_FIELDS

GENERATOR_VERSION = 1
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
    ("Distribuidora Monterrey SA", "Calle Hidalgo 12, Monterrey, NL", "MX"),
    ("Great Lakes Supply Co.", "45 Industrial Pkwy, Toledo OH", "US"),
    ("Maple Leaf Importers Ltd.", "300 Bay St, Toronto ON", "CA"),
    ("Rheinland Handel GmbH", "Hafenstr. 7, Duisburg", "DE"),
    ("John Smith", "PO Box 4411, Phoenix AZ", "US"),
    ("Laboratorios Sinaloa SA", "Blvd. Pedro Infante 2200, Culiacán, Sin.", "MX"),
)  # fmt: skip
_SHIPPER_COUNTRIES = ("CN", "CN", "CN", "CN", "IN", "VN", "TR", "MX", "DE", "HK")
_LOADING = {"CN": ("CNSHA", "CNNGB", "CNSZX", "CNTAO", "CNCAN"), "HK": ("HKHKG",), "IN": ("INNSA",)}
_DISCHARGE = {"US": ("USLAX", "USLGB", "USNYC", "USHOU"), "MX": ("MXZLO", "MXLZC", "MXMEX"), "CA": ("CAVAN",)}
_MODES = ("sea", "sea", "sea", "air", "express", "post", "road")
_UNITS = ("kg", "kg", "pcs", "ctn", "l", "set")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class _Generator:
    """Declaration rows, drawn from one seeded `random.Random`."""

    def __init__(self, rng: random.Random, kb: KnowledgeBase) -> None:
        self.rng = rng
        self.categories = list(_CATEGORIES.values())
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
        products, specs, hs_codes = r.choice(self.categories)
        description = f"{r.choice(products)} {r.choice(specs)}"
        hs = r.choice(hs_codes)
        mode = r.choice(_MODES)
        quantity = r.randint(1, 20_000)
        value = round(quantity * r.uniform(0.5, 40), 2)
        unit = r.choice(_UNITS)
        if r.random() < RISKY_RATE:
            signals = r.sample(("precursor", "vague", "watchlist", "express"), r.choice((1, 1, 2)))
            if "precursor" in signals:
                description = (
                    f"{self._mention()} {r.choice(('99%', 'white powder', '25kg drum', ''))}".strip()
                )
                hs = r.choice(_CONCERN_HS)
            if "vague" in signals:
                description = r.choice(_VAGUE)
                hs = r.choice(_CONCERN_HS)
            if "watchlist" in signals:
                shipper, s_country = self._watchlisted(), "CN"
            if "express" in signals:
                mode, unit = r.choice(("express", "post")), "kg"
                quantity = r.randint(1, 25)
                value = round(r.uniform(5, 60), 2)
                if "precursor" not in signals and "vague" not in signals:
                    description = r.choice(_VAGUE)
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
