"""Build precwatch's bundled knowledge base (precwatch/data/substances.yaml).

Inputs:
  - the verified reference table ``precursors.csv`` (see ``precursors.md`` beside it for how each fact was
    verified): every row, parents and salt rows;
  - ``kbsrc/drugs.yaml``: fentanyl and its analogues seen in seizures, researched with their sources;
  - ``kbsrc/curation.yaml``: extra names (spelling variants, CAS-index names, seller slang), names dropped
    with the reason, and where names come from;
  - ``kbsrc/additions.yaml``: substances added in v2 (drugs, precursors, an adulterant), each status sourced;
  - ``kbsrc/corrections.yaml``: corrected statuses of earlier entries, each with its source;
  - ``kbsrc/changelog.yaml``: the dated changelog, one entry per version.

Facts that could not be sourced are left out; the build lists them (``omitted`` in the output and on stderr).

RDKit recomputes the canonical SMILES, InChIKey and formula of every entry; a disagreement with the
reference table stops the build. Run with ``make kb`` (defaults to ../shared/reference/precursors.csv).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from rdkit import Chem, RDLogger
from rdkit.Chem import rdMolDescriptors

from precwatch.core.kb.substance import ROLES

ROOT = Path(__file__).resolve().parent.parent
KB_VERSION = "2026.12.1"
JURIS = {"un_1988": "UN", "us_dea": "US", "china": "CN", "mexico": "MX", "eu": "EU", "canada": "CA"}
SOURCE_KEYS = {
    "UN": r"UNIS|CND|INCB|EuChemS|factually|State Dept|iLibrary|recital|UN ",
    "US": r"DEA|\bFR\b|CFR|HALT|Federal Register",
    "CN": r"Xinhua|HKTDC|ChemRadar|Chemistry World|国办函|MPS|State Council|Trivium|cjpi|udumbara|Enviliance|China|NMPA",
    "MX": r"DOF|El Financiero|Opportimes|El Universal|Mexic|scribd|La Opini",
    "EU": r"EU Del|FAMHP|Scitegrity|EUR-Lex|Del\.Reg|2022/1518|2020/1737|2023/196|2025/1475",
    "CA": r"CDSA|SOR/|Canada|Health Canada|PCR",
}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
ABBREV_RE = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z0-9][A-Z0-9-]{1,7}$")


def short_status(jur: str, cell: str) -> str:
    """A short label for a status cell of the reference table; the full cell is kept as `detail`."""
    c = cell.strip()
    low = c.lower()
    if not c or low.startswith("unknown"):
        return "unknown"
    if low.startswith(("none", "not specifically listed")):
        return "not controlled"
    if "inference" in low and not low.startswith(("list", "table", "category", "class a precursor")):
        return "possibly controlled (inference)"
    rules: list[tuple[str, str]] = [
        (r"^table i\b(?!i)", "Table I"),
        (r"^table ii\b", "Table II"),
        (r"^schedule ii immediate precursor", "Schedule II (immediate precursor)"),
        (r"^list i\b(?!i)", "List I"),
        (r"^list ii\b", "List II"),
        (r"^category ii\b", "Category II"),
        (r"^category 1\b", "Category 1"),
        (r"^controlled precursor chemical", "controlled precursor (category not verified)"),
        (r"^listed ", "listed (category not verified)"),
        (r"^precursor químico", "precursor químico"),
        (r"^import/use prohibited", "prohibited"),
        (r"^class a", "Class A precursor"),
        (r"^temporary sch\. v.*class a", "Class A precursor"),
        (r"^temporary sch\. v.*permanent", "controlled (permanent, class not verified)"),
        (r"^controlled substance", "controlled substance"),
    ]
    for pattern, label in rules:
        if re.search(pattern, low):
            return label
    raise SystemExit(f"build_kb: no short status for {jur}: {cell!r}")


LABELS = frozenset(
    {
        "Schedule I", "Schedule II", "Schedule I (temporary)", "Schedule I (inference)", "Schedule I (1961)",
        "Schedules I and IV (1961)", "controlled narcotic", "fentanyl-related substance (class)",
        "controlled narcotic (listed before 2019)", "Table I", "Table II", "List I", "Class A precursor",
        "controlled precursor (category not verified)", "review: derivative or analogue",
        "not controlled (federal)", "unknown",
    }
)  # fmt: skip
"""Short status labels that kbsrc/additions.yaml and kbsrc/corrections.yaml may give directly."""
TRANSLATION = (
    "standard nomenclature translation, not checked against an official catalogue (confidence: medium)"
)
ES_VERIFIED = {"npp", "anpp", "4-ap", "4-ap-2hcl", "propionyl-chloride", "propionic-anhydride"}
ES_SOURCE = (
    "Mexican DOF reports (El Financiero 13 May 2021; Opportimes 2017), per shared/reference/precursors.md s.1"
)
ES_UNIVERSAL = {"norfentanilo", "1-boc-4-anilinopiperidina"}

DRUG_STATUS_RULES: list[tuple[str, str]] = [
    (r"^schedules i and iv", "Schedule I and IV (1961)"),
    (r"^schedule i \(1961", "Schedule I (1961)"),
    (r"^(scheduled under|under international control)", "controlled (1961, schedule not verified)"),
    (r"^schedule ii\b", "Schedule II"),
    (r"^schedule i\b.*inference", "Schedule I (inference)"),
    (r"^schedule i\b", "Schedule I"),
    (r"^controlled: fentanyl-related substance", "fentanyl-related substance (class)"),
    (r"^estupefaciente", "estupefaciente (LGS art. 234)"),
    (r"^controlled: council implementing decision", "controlled (EU Council decision)"),
]


def short_drug_status(jur: str, status: str) -> str:
    """A short label for a researched drug status; the researched wording is kept as `detail`."""
    if status == "unknown":
        return status
    for pattern, label in DRUG_STATUS_RULES:
        if re.search(pattern, status.lower()):
            return label
    raise SystemExit(f"build_kb: no short status for drug status {jur}: {status!r}")


def effective_date(cell: str) -> str | None:
    m = re.search(
        r"(?:eff\.|effective|in force|from|since)\s+(?:~\s*)?(\d{1,2}) ([A-Z][a-z]{2,8}) (\d{4})", cell
    )
    if m and m.group(2)[:3].lower() in MONTHS:
        return date(int(m.group(3)), MONTHS[m.group(2)[:3].lower()], int(m.group(1))).isoformat()
    m = re.search(r"\b(19[89]\d|20[0-2]\d)\b", cell)
    return m.group(1) if m else None


def split_sources(text: str) -> list[str]:
    return [s.strip() for s in re.split(r";\s+", text) if s.strip()]


def jurisdiction_source(jur: str, cell: str, sources: list[str]) -> str:
    picked = [s for s in sources if re.search(SOURCE_KEYS[jur], s)]
    return "; ".join(picked or sources)


def display_name(preferred: str) -> str:
    base, _, rest = preferred.partition(" (")
    if len(base) <= 32 or not rest:
        return base
    return rest.rstrip(")").split(", ")[0].split("; ")[0]


def name_parts(preferred: str) -> list[str]:
    base, _, rest = preferred.partition(" (")
    parts = [base]
    if rest:
        for item in re.split(r", |; ", rest[:-1] if rest.endswith(")") else rest):
            if "/" not in item and "·" not in item:
                parts.append(item)
    return parts


def classify(names: list[str]) -> tuple[list[str], list[str]]:
    """Split a synonym list into (names, abbreviations)."""
    full, abbr = [], []
    for n in names:
        (abbr if ABBREV_RE.match(n) else full).append(n)
    return full, abbr


def role_of(text: str, parent: str) -> str:
    low = text.lower()
    if parent or low.startswith("salt"):
        return "salt"
    for prefix, role in (
        ("masked", "masked-precursor"),
        ("pre-precursor", "pre-precursor"),
        ("reagent", "reagent"),
        ("immediate precursor", "precursor"),
        ("precursor", "precursor"),
    ):
        if low.startswith(prefix):
            return role
    raise SystemExit(f"build_kb: unknown role {text!r}")


def uniq(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for i in items:
        i = i.strip()
        if i and i.lower() not in seen:
            seen.add(i.lower())
            out.append(i)
    return out


def rdkit_facts(smiles: str, where: str) -> tuple[str, str, str]:
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        raise SystemExit(f"build_kb: {where}: SMILES does not parse: {smiles}")
    return Chem.MolToSmiles(mol), Chem.MolToInchiKey(mol), rdMolDescriptors.CalcMolFormula(mol)


def from_csv_row(row: dict[str, str], extra: dict[str, Any]) -> dict[str, Any]:
    where = f"precursors.csv id={row['id']}"
    _, inchikey, formula = rdkit_facts(row["smiles"], where)
    if inchikey != row["inchikey"] or formula != row["formula"]:
        raise SystemExit(f"build_kb: {where}: InChIKey/formula disagree with RDKit ({inchikey} {formula})")
    sources = split_sources(row["sources"])
    en_all = name_parts(row["preferred_name"]) + row["synonyms"].split("|") + extra.get("en", [])
    en_all = [n for n in en_all if "(main constituent)" not in n]
    en, abbr = classify(uniq(en_all))
    zh, zh_abbr = classify(uniq(row["synonyms_zh"].split("|") + extra.get("zh", [])))
    es, es_abbr = classify(uniq(row["synonyms_es"].split("|") + extra.get("es", [])))
    slang = [n for n in en if re.search(r"\b(oil|new)\b", n, re.I)] + extra.get("slang", [])
    en = [n for n in en if n not in slang]
    controls = {}
    for col, jur in JURIS.items():
        cell = row[col].strip()
        status = short_status(jur, cell)
        controls[jur] = {
            "status": status,
            "detail": cell,
            "source": None if status == "unknown" else jurisdiction_source(jur, cell, sources),
            "effective": None if status in ("unknown", "not controlled") else effective_date(cell),
        }
    hs = row["hs_code"].strip()
    hs_code = re.match(r"\d{2,4}\.?\d{0,2}", hs)
    return {
        "id": row["id"],
        "name": display_name(row["preferred_name"]),
        "preferred_name": row["preferred_name"],
        "role": role_of(row["role"], row["parent_id"]),
        "role_detail": row["role"],
        "parent": row["parent_id"] or None,
        "cas": row["cas"] or None,
        "smiles": row["smiles"],
        "inchikey": row["inchikey"],
        "formula": row["formula"],
        "hs_code": hs_code.group(0) if hs_code else None,
        "hs_note": hs if hs_code and hs != hs_code.group(0) else "",
        "names": {
            "en": en,
            "zh": zh,
            "es": es,
            "abbreviations": uniq(abbr + zh_abbr + es_abbr),
            "slang": uniq(slang),
        },
        "controls": controls,
        "sources": sources,
        "confidence": row["confidence"],
        "notes": row["notes"],
    }


def from_drug(entry: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    where = f"kbsrc/drugs.yaml id={entry['id']}"
    _, inchikey, formula = rdkit_facts(entry["smiles"], where)
    names = entry.get("names") or {}
    controls = {}
    for jur in JURIS.values():
        c = (entry.get("controls") or {}).get(jur) or {"status": "unknown"}
        researched = str(c.get("status") or "unknown")
        status = short_drug_status(jur, researched)
        if status != "unknown" and not c.get("source"):
            raise SystemExit(f"build_kb: {where}: {jur} status {status!r} has no source")
        detail = str(c.get("detail") or "")
        controls[jur] = {
            "status": status,
            "detail": researched if not detail else f"{researched}. {detail}",
            "source": c.get("source") if status != "unknown" else None,
            "effective": str(c["effective"]) if c.get("effective") else None,
        }
    en = uniq([entry["preferred_name"], *names.get("en", []), *extra.get("en", [])])
    return {
        "id": entry["id"],
        "name": entry["preferred_name"],
        "preferred_name": entry["preferred_name"],
        "role": entry.get("role", "drug"),
        "role_detail": entry.get("role_detail", ""),
        "parent": None,
        "cas": entry.get("cas") or None,
        "smiles": entry["smiles"],
        "inchikey": inchikey,
        "formula": formula,
        "hs_code": str(entry["hs_code"]) if entry.get("hs_code") else None,
        "hs_note": entry.get("hs_note") or "",
        "names": {
            "en": en,
            "zh": uniq(names.get("zh", []) + extra.get("zh", [])),
            "es": uniq(names.get("es", []) + extra.get("es", [])),
            "abbreviations": uniq(names.get("abbreviations", []) + extra.get("abbreviations", [])),
            "slang": uniq(names.get("slang", []) + extra.get("slang", [])),
        },
        "controls": controls,
        "sources": list(entry.get("sources") or []),
        "confidence": entry.get("confidence", "medium"),
        "notes": entry.get("notes") or "",
    }


def resolve_sources(text: str, sources: dict[str, str]) -> str:
    """A source field: keys of the additions' `sources` table (separated by '; ') expand to citations."""
    return "; ".join(sources.get(part.strip(), part.strip()) for part in text.split("; ") if part.strip())


def control_from(c: dict[str, Any], sources: dict[str, str], where: str) -> dict[str, Any]:
    """One control from kbsrc/additions.yaml or kbsrc/corrections.yaml (a short label given directly)."""
    label = str(c.get("label") or "unknown")
    if label not in LABELS:
        raise SystemExit(f"build_kb: {where}: status label {label!r} is not one of the known labels")
    source = resolve_sources(str(c.get("source") or ""), sources) or None
    if label != "unknown" and not source:
        raise SystemExit(f"build_kb: {where}: status {label!r} has no source")
    return {
        "status": label,
        "detail": str(c.get("detail") or ""),
        "source": source if label != "unknown" else None,
        "effective": str(c["effective"]) if c.get("effective") and label != "unknown" else None,
    }


def from_addition(entry: dict[str, Any], sources: dict[str, str], omitted: list[str]) -> dict[str, Any]:
    """A v2 substance from kbsrc/additions.yaml."""
    sid = entry["id"]
    where = f"kbsrc/additions.yaml id={sid}"
    if entry["role"] not in ROLES:
        raise SystemExit(f"build_kb: {where}: role {entry['role']!r} is not one of {ROLES}")
    _, inchikey, formula = rdkit_facts(entry["smiles"], where)
    names = entry.get("names") or {}
    controls = {}
    for jur in JURIS.values():
        c = (entry.get("controls") or {}).get(jur)
        controls[jur] = control_from(c, sources, f"{where} {jur}") if c else {
            "status": "unknown", "detail": "", "source": None, "effective": None,
        }  # fmt: skip
    cas = entry.get("cas") or None
    if cas and not entry.get("cas_source"):
        raise SystemExit(f"build_kb: {where}: CAS {cas} has no cas_source")
    if not cas:
        omitted.append(f"{sid}: CAS RN left out (no retrieved source gives it)")
    used = sorted(
        {k for c in (entry.get("controls") or {}).values() for k in str(c.get("source") or "").split("; ")}
    )
    return {
        "id": sid,
        "name": entry["name"],
        "preferred_name": entry["name"],
        "role": entry["role"],
        "role_detail": entry.get("role_detail", ""),
        "parent": None,
        "cas": cas,
        "smiles": entry["smiles"],
        "inchikey": inchikey,
        "formula": formula,
        "hs_code": None,
        "hs_note": "No HS subheading sourced for this substance.",
        "names": {
            "en": uniq([entry["name"], *names.get("en", [])]),
            "zh": uniq(names.get("zh", [])),
            "es": uniq(names.get("es", [])),
            "abbreviations": uniq(names.get("abbreviations", [])),
            "slang": uniq(names.get("slang", [])),
        },
        "controls": controls,
        "sources": [sources.get(k, k) for k in used if k] + ([f"CAS: {entry['cas_source']}"] if cas else []),
        "confidence": entry.get("confidence", "medium"),
        "notes": "v2 addition (issue 12); SMILES written from the systematic name in the cited texts and checked by "
        "RDKit and OPSIN.",
        "name_sources": dict(entry.get("name_sources") or {}),
    }


def finish(
    sub: dict[str, Any], extra: dict[str, Any], corr: dict[str, Any], origin: str, csv_es: set[str]
) -> dict[str, Any]:
    """Apply the curation's dropped names and name sources and the corrections; mark every Chinese and
    Spanish name with its source or a confidence mark."""
    drops = extra.get("drop") or {}
    for kind in sub["names"]:
        sub["names"][kind] = [n for n in sub["names"][kind] if n not in drops]
    marks: dict[str, str] = {}
    for n in sub["names"]["zh"] + sub["names"]["es"]:
        if n in ES_UNIVERSAL:
            marks[n] = "El Universal (Mexico), per shared/reference/precursors.md s.1"
        elif n in csv_es and sub["id"] in ES_VERIFIED:
            marks[n] = ES_SOURCE
        else:
            marks[n] = f"{origin}: {TRANSLATION}"
    marks.update(sub.get("name_sources") or {})
    marks.update(extra.get("name_sources") or {})
    marks.update(corr.get("name_sources") or {})
    every = {n for names in sub["names"].values() for n in names} | {sub["preferred_name"]}
    sub["name_sources"] = {n: src for n, src in marks.items() if n in every}
    for jur, c in (corr.get("controls") or {}).items():
        sub["controls"][jur] = control_from(c, {}, f"kbsrc/corrections.yaml id={sub['id']} {jur}")
    return sub


def _yaml(name: str) -> Any:
    path = ROOT / "kbsrc" / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def build(csv_path: Path) -> dict[str, Any]:
    RDLogger.DisableLog("rdApp.*")
    curation = _yaml("curation.yaml") or {}
    corrections = _yaml("corrections.yaml") or {}
    additions = _yaml("additions.yaml") or {"sources": {}, "entries": []}
    changelog = _yaml("changelog.yaml") or []
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    omitted: list[str] = []
    substances = []
    for r in rows:
        csv_es = set(r["synonyms_es"].split("|"))
        sub = from_csv_row(r, curation.get(r["id"], {}))
        substances.append(
            finish(sub, curation.get(r["id"], {}), corrections.get(r["id"], {}), "reference table", csv_es)
        )
    drugs = _yaml("drugs.yaml") or []
    for d in drugs:
        sub = from_drug(d, curation.get(d["id"], {}))
        substances.append(
            finish(sub, curation.get(d["id"], {}), corrections.get(d["id"], {}), "kbsrc/drugs.yaml", set())
        )
    srcs = additions.get("sources") or {}
    for e in additions.get("entries") or []:
        sub = from_addition(e, srcs, omitted)
        substances.append(
            finish(
                sub, curation.get(e["id"], {}), corrections.get(e["id"], {}), "kbsrc/additions.yaml", set()
            )
        )
    ids = [s["id"] for s in substances]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise SystemExit(f"build_kb: duplicate ids: {dup}")
    unknown = (set(curation) | set(corrections)) - set(ids)
    if unknown:
        raise SystemExit(f"build_kb: curation.yaml/corrections.yaml name unknown ids: {sorted(unknown)}")
    for jur in JURIS.values():
        missing = [s["id"] for s in substances if s["controls"][jur]["status"] == "unknown"]
        omitted.append(f"{jur}: {len(missing)} of {len(substances)} statuses unknown (no source retrieved)")
    if not changelog or changelog[-1].get("version") != KB_VERSION:
        raise SystemExit(f"build_kb: kbsrc/changelog.yaml has no entry for version {KB_VERSION}")
    return {
        "version": KB_VERSION,
        "released": str(changelog[-1]["date"]),
        "built_from": [
            "shared/reference/precursors.csv (41 rows; verification in precursors.md)",
            "kbsrc/drugs.yaml",
            "kbsrc/additions.yaml (v2 substances)",
            "kbsrc/corrections.yaml (corrected statuses)",
            "kbsrc/curation.yaml (names: added, dropped, sourced)",
        ],
        "changelog": changelog,
        "omitted": omitted,
        "substances": substances,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=ROOT.parent / "shared/reference/precursors.csv")
    ap.add_argument("--out", type=Path, default=ROOT / "precwatch/data/substances.yaml")
    args = ap.parse_args(argv)
    kb = build(args.csv)
    header = "# GENERATED by tools/build_kb.py from the sources listed in built_from: edit those, then `make kb`.\n"
    args.out.write_text(
        header + yaml.safe_dump(kb, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8"
    )
    for line in kb["omitted"]:
        print(f"omitted: {line}", file=sys.stderr)
    print(f"wrote {args.out} ({len(kb['substances'])} substances, version {kb['version']})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
