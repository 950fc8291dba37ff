"""Issue 10's module move as a repeatable script: `git mv` every module to its new home and rewrite imports.

Usage: ``python tools/relayout.py [--no-move] [PATH ...]``

- ``MOVES`` maps each old dotted module to its new one; ``SPLITS`` maps a module whose names went to several
  new modules (symbol -> module, ``"*"`` for the rest).
- Without ``--no-move`` the files are moved with ``git mv`` (new packages get an ``__init__.py``).
- Every ``.py`` file under the given paths (default: precwatch, tests, benchmarks, tools) has its
  ``from old import ...`` / ``import old`` / ``from parent import leaf`` statements and dotted strings
  (``"precwatch.io.screen_engine"``) rewritten. Run ``ruff check --fix --select I`` and ``ruff format`` after.
Re-running it on a branch written against the old layout ports that branch to the new one.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
C = "precwatch.core."
MOVES: dict[str, str] = {
    C + "names": C + "normalise",
    C + "knowledge": C + "kb.knowledge",
    C + "identifiers": C + "kb.identifiers",
    C + "kb_names": C + "structure.name_check",
    C + "kb_changes": C + "kb.changes",
    C + "class_rules": C + "classes.classify",
    C + "fentanyl_class": C + "classes.fentanyl_rule",
    C + "structure": C + "structure.read",
    C + "standardise": C + "structure.standardise",
    C + "structure_index": C + "structure.index",
    C + "masked": C + "structure.masked",
    C + "analogues": C + "structure.analogues",
    C + "identify_structure": C + "structure.identify",
    C + "depict": C + "structure.depict",
    C + "lexicon": C + "text.lexicon",
    C + "mentions": C + "text.detectors",
    C + "systematic": C + "text.systematic",
    C + "phrases": C + "text.phrases",
    C + "identify": C + "text.identify",
    C + "company_names": C + "parties.companies",
    C + "company_terms": C + "parties.company_terms",
    C + "watchlist": C + "parties.watchlist",
    C + "watchlist_rules": C + "parties.watchlist_rules",
    C + "records": C + "screening.records",
    C + "record_fields": C + "screening.fields",
    C + "policy": C + "screening.policy",
    C + "risk_context": C + "screening.context",
    C + "risk_rules": C + "screening.rules",
    C + "screening": C + "screening.screener",
    C + "verdict": C + "screening.verdict",
    C + "sharing": C + "sharing.tlp",
    C + "incidents": C + "sharing.incidents",
    C + "audit_chain": C + "sharing.audit_chain",
    "precwatch.io.pipeline": "precwatch.pipelines.identify",
    "precwatch.io.screen_job": "precwatch.pipelines.screen",
    "precwatch.io.screen_engine": "precwatch.pipelines.engine",
    "precwatch.io.screen_readers": "precwatch.io.tables",
    "precwatch.io.screen_mapping": "precwatch.io.mapping",
    "precwatch.io.screen_writers": "precwatch.io.results",
}
SPLITS: dict[str, dict[str, str]] = {
    C + "types": {
        "Match": C + "match",
        "Relation": C + "match",
        "Method": C + "match",
        "*": C + "kb.substance",
    },
    C + "watchlist": {
        "WatchlistEntry": C + "parties.entries",
        "PARTY_SCHEMATA": C + "parties.entries",
        "*": C + "parties.watchlist",
    },
    C + "class_rules": {
        "Coverage": C + "classes.model",
        "ClassRule": C + "classes.model",
        "ClassHit": C + "classes.model",
        "*": C + "classes.classify",
    },
}
PACKAGE_DOCS = {
    C + "kb": "The knowledge base: substances, their identifiers, names and sourced control statuses.",
    C + "classes": "Structural class rules: laws that control a family of chemicals, one module per family.",
    C + "structure": "Identification of structures: read, standardise, look up, unmask, compare, depict.",
    C + "text": "Identification of substances named in free text, however disguised.",
    C
    + "screening": "Screening of declarations and listings: records, fields, rules, the explainable verdict.",
    C + "sharing": "The sharing hub's domain rules: TLP access, incident validation, the audit chain.",
}
_FROM = re.compile(r"^([ \t]*)from[ \t]+(precwatch(?:\.\w+)+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)
_DOTTED = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(k) for k in sorted(MOVES, key=len, reverse=True)) + r")(?![\w.])"
)
_IMPORT = re.compile(r"^([ \t]*)import[ \t]+(precwatch(?:\.\w+)+)([ \t]+as[ \t]+\w+)?[ \t]*$", re.M)


def _path(module: str) -> Path:
    return ROOT / (module.replace(".", "/") + ".py")


def _target(old: str, symbol: str) -> str:
    if old in SPLITS:
        return SPLITS[old].get(symbol, SPLITS[old]["*"])
    return MOVES.get(old, old)


def _names(spec: str) -> list[str]:
    body = re.sub(r"#[^\n]*", "", spec.strip().strip("()"))
    return [n.strip() for n in body.replace("\n", " ").split(",") if n.strip()]


def rewrite(source: str) -> str:
    """Rewrite one file's imports and dotted module strings from the old layout to the new."""
    renames: dict[str, str] = {}

    def from_(m: re.Match[str]) -> str:
        indent, module, spec = m.group(1), m.group(2), m.group(3)
        names = _names(spec)
        groups: dict[str, list[str]] = {}
        for name in names:
            symbol = name.split(" as ")[0].strip()
            child = f"{module}.{symbol}"
            if child in MOVES or child in SPLITS:
                new = MOVES.get(child) or SPLITS[child]["*"]
                parent, leaf = new.rsplit(".", 1)
                alias = name.split(" as ")[1].strip() if " as " in name else None
                if alias is None and leaf != symbol:
                    renames[symbol] = leaf
                groups.setdefault(parent, []).append(f"{leaf} as {alias}" if alias else leaf)
            else:
                groups.setdefault(_target(module, symbol), []).append(name)
        if list(groups) == [module] and groups[module] == names:
            return m.group(0)
        return "\n".join(f"{indent}from {mod} import {', '.join(ns)}" for mod, ns in groups.items())

    def import_(m: re.Match[str]) -> str:
        module = m.group(2)
        new = MOVES.get(module, module)
        return f"{m.group(1)}import {new}{m.group(3) or ''}"

    out = _FROM.sub(lambda m: from_(m) if m.group(2) in SPLITS else m.group(0), source)
    out = _DOTTED.sub(lambda m: MOVES[m.group(0)], out)  # one pass: a new name is never re-mapped
    out = _FROM.sub(from_, out)
    out = _IMPORT.sub(import_, out)
    for old_leaf, new_leaf in renames.items():
        out = re.sub(rf"(?<![\w.\"']){old_leaf}(?=\.|,)", new_leaf, out)
    return out


def move() -> None:
    """`git mv` every module in MOVES (and the split modules' first home) into its new package."""
    wanted = dict(MOVES)
    wanted[C + "types"] = C + "kb.substance"
    for old, new in wanted.items():
        src, dst = _path(old), _path(new)
        if not src.exists():
            continue
        for pkg in reversed(dst.relative_to(ROOT).parents):
            init = ROOT / pkg / "__init__.py"
            if pkg != Path(".") and not init.exists():
                init.parent.mkdir(parents=True, exist_ok=True)
                doc = PACKAGE_DOCS.get(str(pkg).replace("/", "."), "")
                init.write_text(f'"""{doc}"""\n' if doc else "")
                subprocess.run(["git", "add", str(init)], cwd=ROOT, check=True)
        subprocess.run(["git", "mv", str(src), str(dst)], cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    """Move the modules (unless --no-move) and rewrite every Python file under the paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-move", action="store_true")
    parser.add_argument("paths", nargs="*", default=["precwatch", "tests", "benchmarks", "tools"])
    args = parser.parse_args(argv)
    if not args.no_move:
        move()
    me = Path(__file__).resolve()
    changed = 0
    for base in args.paths:
        for py in sorted((ROOT / base).rglob("*.py")) if (ROOT / base).is_dir() else [ROOT / base]:
            if py.resolve() == me:
                continue
            old = py.read_text()
            new = rewrite(old)
            if new != old:
                py.write_text(new)
                changed += 1
    print(f"relayout: rewrote {changed} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
