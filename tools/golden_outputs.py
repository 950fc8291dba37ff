"""Golden outputs: record what every demo step prints and writes, and prove later that nothing changed.

Usage:
    python tools/golden_outputs.py record DIR [--repo PATH]
    python tools/golden_outputs.py compare DIR [--repo PATH] [--only STEP ...]

`record` runs every step of STEPS (below) with PATH/.venv/bin/precwatch (PATH defaults to the repository this
script lives in), sequentially, in a fresh temporary working directory; inputs are referenced by absolute path
(`{repo}` in the table), outputs are written to relative names inside that directory. For each step it saves
stdout, stderr, the exit code and every file the step created or changed (found by hashing the working
directory before and after the step), all normalised as below, into DIR/<step>/ plus DIR/manifest.json.
`compare` re-runs the same steps and compares byte for byte with DIR: it prints one line per step (same /
differs / missing / extra) and a unified-diff excerpt for each difference; exit status 1 on any difference.

How files are recorded: text files (jsonl, csv, html, txt, json, yaml) as their text; Parquet as its schema
and rows (pyarrow via PATH/.venv/bin/python -> canonical JSON, one row per line, keys sorted); SQLite
databases as the schema and every table's rows in primary-key order (canonical JSON); anything else as its
SHA-256.

Normalisations (applied to stdout, stderr and every recorded file; each only touches volatile content):
1. Paths: the temporary working directory becomes `<TMP>` and PATH becomes `<REPO>` (both as given and
   resolved, longest first), so two checkouts at different places and two runs compare equal.
2. Run timestamps: an ISO-8601 date-time (date + hh:mm, optional seconds, fraction and zone) that falls within
   the run's own wall-clock window (start - 1 h .. end + 1 h, UTC or naive local) becomes `<RUN-TIME>`; dates in
   the data (capture dates, declaration dates) are not "now" and stay untouched. A bare date (YYYY-MM-DD) is
   replaced only right after the word "generated" (e.g. the OSINT timeline's "generated 2026-12-05") and
   only when it is a date of the run window.
3. Durations and throughput (stderr only: stdout and files carry data, which may legitimately say "5 s"):
   figures such as `in 1.23 s`, `1.2 s`, `350 ms`, `4,210 records/s`,
   `12.3 rec/s` become `<DUR>` / `<RATE>` (only numbers directly followed by a time unit or a `/s` rate).
4. Progress bars and terminal control: ANSI escape sequences are removed and a line rewritten with carriage
   returns keeps only its last state (progress bars are off anyway: stderr is not a terminal).
Also fixed for determinism (not normalisation): COLUMNS=160, TZ=UTC, NO_COLOR=1, PRECWATCH_* variables removed
from the environment, stdin empty.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WATCHLIST = "{repo}/tests/data/watchlists/ofac-sdn-2024-05-03-excerpt.csv"
MARKET_DATES = ("2024-03-01", "2024-06-01", "2024-09-15")


@dataclass(frozen=True)
class Step:
    """One command line: `name` (also its folder in DIR) and the precwatch arguments (shell words, placeholders)."""

    name: str
    command: str

    @property
    def args(self) -> list[str]:
        """The command split into words (placeholders still unresolved)."""
        return shlex.split(self.command)


# Placeholders in args: {repo} = absolute repository path; {inputs} = derived inputs made by PREPARE in the
# temporary directory; {text:FILE:N} = the `text` of record N (0-based) of a JSON Lines file under the repo;
# {line:FILE:N} = the first word of line N of a file under the repo.
STEPS: tuple[Step, ...] = (
    # --- make demo, in order ---
    Step("demo-01-kb-validate", "kb validate"),
    Step("demo-02-identify-listings", "identify {repo}/examples/listings.jsonl --format table"),
    Step("demo-03-identify-structures", "identify {repo}/examples/structures.smi --format table"),
    Step(
        "demo-04-identify-declarations",
        "identify {repo}/examples/declarations.csv --column description --out demo-matches.jsonl"
        " --rejects demo-rejects.jsonl",
    ),
    Step(
        "demo-05-screen-declarations",
        f"screen {{repo}}/examples/declarations_screen.csv --watchlist {WATCHLIST} --out demo-screen.jsonl"
        " --report demo-report.html --rejects demo-screen-rejects.jsonl",
    ),
    Step(
        "demo-06-screen-other-schema",
        "screen {repo}/examples/declarations_other_schema.csv --map {repo}/examples/mapping_example.yaml"
        " --out demo-other.csv",
    ),
    Step(
        "demo-07-screen-listings",
        "screen {repo}/examples/listings_screen.jsonl --kind listings --out demo-listings.parquet",
    ),
    *(
        Step(
            f"demo-08-market-ingest-{d}-{platform}",
            f"market ingest {{repo}}/examples/market/{platform}/{d}{suffix} --platform {platform}"
            f" --captured-at {d} --db demo-market.db",
        )
        for d in MARKET_DATES
        for platform, suffix in (("made-in-china", ""), ("tradehub", ".jsonl"))
    ),
    Step(
        "demo-09-market-vendors", f"market vendors --format table --watchlist {WATCHLIST} --db demo-market.db"
    ),
    Step("demo-10-market-diff", "market diff 2024-06-01 2024-09-15 --format table --db demo-market.db"),
    Step(
        "demo-11-market-report",
        f"market report --out demo-market-report.html --watchlist {WATCHLIST} --db demo-market.db",
    ),
    Step("demo-12-osint-timeline", "osint timeline {repo}/examples/osint --report demo-osint-timeline.html"),
    # --- dev sets ---
    Step("devset-identify-text", "identify {repo}/tests/data/devset.jsonl --out devset-matches.jsonl"),
    Step(
        "devset-identify-structures",
        "identify {inputs}/devset_structures_flat.jsonl --out devset-structures-matches.jsonl"
        " --rejects devset-structures-rejects.jsonl",
    ),
    Step(
        "devset-screen-declarations",
        "screen {repo}/tests/data/devset_declarations.csv --out devset-screen.jsonl"
        " --report devset-screen.html --rejects devset-screen-rejects.jsonl",
    ),
    Step(
        "devset-screen-declarations-watchlist",
        f"screen {{repo}}/tests/data/devset_declarations.csv --watchlist {WATCHLIST} --out devset-screen-wl.jsonl"
        " --report devset-screen-wl.html --rejects devset-screen-wl-rejects.jsonl",
    ),
    # --- knowledge base, rules, explanations ---
    Step("kb-list", "kb list"),
    Step("kb-show-npp", "kb show npp"),
    Step("kb-show-npp-json", "kb show npp --format json"),
    Step("kb-export-json", "kb export --format json --out kb-export.json"),
    Step("kb-export-csv", "kb export --format csv --out kb-export.csv"),
    Step("screen-list-rules", "screen --list-rules"),
    Step("screen-show-policy", "screen --show-policy"),
    Step("explain-listing-L001", "explain {text:examples/listings.jsonl:0}"),
    Step("explain-structure-A001", "explain --as structure {line:examples/structures.smi:0}"),
)


def _flatten_structures(repo: Path, dest: Path) -> None:
    """tests/data/devset_structures.jsonl nests the input under `input`; identify reads it at top level."""
    out = []
    for line in (repo / "tests/data/devset_structures.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(json.dumps({"id": r["id"], **r["input"]}, ensure_ascii=False))
    dest.write_text("\n".join(out) + "\n", encoding="utf-8")


PREPARE: dict[str, Callable[[Path, Path], None]] = {"devset_structures_flat.jsonl": _flatten_structures}
TEXT_SUFFIXES = {".jsonl", ".json", ".csv", ".tsv", ".html", ".txt", ".yaml", ".yml", ".md", ".smi"}

# --- normalisation (pure functions) ---

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")
_ISO_DT = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?(?![\d:])"
)
_NUM = r"\d[\d,]*(?:\.\d+)?"
_RATE = re.compile(rf"{_NUM}\s*(?:[A-Za-z]+)?/s\b")
_DUR = re.compile(rf"{_NUM}\s*(?:ms|µs|us|s|sec|secs|seconds|min)\b(?!/)")


def normalise_paths(text: str, replacements: Mapping[str, str]) -> str:
    """Replace each path (key) by its token (value), longest path first so nested paths win."""
    for path in sorted(replacements, key=len, reverse=True):
        if path:
            text = text.replace(path, replacements[path])
    return text


def strip_terminal(text: str) -> str:
    """Remove ANSI escapes; of a line rewritten with carriage returns keep the last non-empty state."""
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    lines = []
    for line in text.split("\n"):
        if "\r" in line:
            parts = [p for p in line.split("\r") if p.strip()]
            line = parts[-1] if parts else ""
        lines.append(line)
    return "\n".join(lines)


def normalise_run_times(
    text: str, start: datetime, end: datetime, *, slack: timedelta = timedelta(hours=1)
) -> str:
    """Replace ISO date-times within [start - slack, end + slack] (aware UTC bounds) by `<RUN-TIME>`.

    A naive date-time is read both as UTC and as local time (either inside the window counts).
    """
    lo, hi = start - slack, end + slack

    def repl(m: re.Match[str]) -> str:
        y, mo, d, h, mi = (int(m.group(i)) for i in range(1, 6))
        s = int(m.group(6) or 0)
        try:
            naive = datetime(y, mo, d, h, mi, min(s, 59))
        except ValueError:
            return m.group(0)
        zone = m.group(8)
        if zone:
            z = "+00:00" if zone == "Z" else zone if ":" in zone else zone[:3] + ":" + zone[3:]
            candidates = [datetime.fromisoformat(naive.isoformat() + z)]
        else:
            candidates = [naive.replace(tzinfo=UTC), naive.astimezone()]
        return "<RUN-TIME>" if any(lo <= c <= hi for c in candidates) else m.group(0)

    return _ISO_DT.sub(repl, text)


_GENERATED_DATE = re.compile(r"(?i)(\bgenerated(?:\s+on|\s+at)?:?\s+)(\d{4}-\d{2}-\d{2})(?![\d:]|[T ]\d)")


def normalise_run_dates(
    text: str, start: datetime, end: datetime, *, slack: timedelta = timedelta(hours=1)
) -> str:
    """Replace a bare date right after "generated" by `<RUN-DATE>` when it is a day of the run window.

    The window's days are taken both in UTC and in local time.
    """
    days = set()
    for t in (start - slack, end + slack):
        days |= {t.astimezone(UTC).date().isoformat(), t.astimezone().date().isoformat()}
    for t in (start, end):
        days |= {t.astimezone(UTC).date().isoformat(), t.astimezone().date().isoformat()}
    lo, hi = min(days), max(days)
    return _GENERATED_DATE.sub(
        lambda m: m.group(1) + ("<RUN-DATE>" if lo <= m.group(2) <= hi else m.group(2)), text
    )


def normalise_figures(text: str) -> str:
    """Replace throughput (`N unit/s`) by `<RATE>` and durations (`N s`, `N ms`...) by `<DUR>`."""
    return _DUR.sub("<DUR>", _RATE.sub("<RATE>", text))


@dataclass(frozen=True)
class RunContext:
    """What the normalisation of one run needs to know: its paths and wall-clock window."""

    paths: Mapping[str, str]
    start: datetime
    end: datetime


def normalise(text: str, ctx: RunContext, *, figures: bool = True) -> str:
    """All normalisations in order: terminal control, paths, run timestamps and dates, then (stderr) figures."""
    text = normalise_paths(strip_terminal(text), ctx.paths)
    text = normalise_run_dates(normalise_run_times(text, ctx.start, ctx.end), ctx.start, ctx.end)
    return normalise_figures(text) if figures else text


# --- running ---


def _resolve_arg(arg: str, repo: Path, inputs: Path) -> str:
    m = re.fullmatch(r"\{(text|line):([^:}]+):(\d+)\}", arg)
    if m:
        kind, rel, n = m.group(1), m.group(2), int(m.group(3))
        lines = [x for x in (repo / rel).read_text(encoding="utf-8").splitlines() if x.strip()]
        return str(json.loads(lines[n])["text"]) if kind == "text" else lines[n].split()[0]
    return arg.replace("{repo}", str(repo)).replace("{inputs}", str(inputs))


def _snapshot(work: Path) -> dict[str, str]:
    out = {}
    for p in sorted(work.rglob("*")):
        if p.is_file() and p.relative_to(work).parts[0] != "inputs":
            out[p.relative_to(work).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


_PARQUET_DUMP = (
    "import json,sys,pyarrow.parquet as pq\n"
    "t=pq.read_table(sys.argv[1])\n"
    "print(json.dumps({'schema':[f'{f.name}: {f.type}' for f in t.schema]}))\n"
    "for r in t.to_pylist(): print(json.dumps(r,sort_keys=True,ensure_ascii=False,default=str))\n"
)


def _dump_sqlite(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        lines = []
        tables = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='table' ORDER BY name"
        ).fetchall()
        for name, sql in tables:
            lines.append(f"## {name}\n{sql}")
            cols = [c[1] for c in con.execute(f'PRAGMA table_info("{name}")')]
            rows = con.execute(
                f'SELECT * FROM "{name}" ORDER BY {", ".join(str(i + 1) for i in range(len(cols)))}'
            )
            for row in rows:
                lines.append(
                    json.dumps(
                        dict(zip(cols, row, strict=True)), sort_keys=True, ensure_ascii=False, default=str
                    )
                )
        return "\n".join(lines) + "\n"
    finally:
        con.close()


def _file_text(path: Path, python: Path) -> tuple[str, bool]:
    """The comparable text of an output file and whether it is normalisable text (vs. a digest)."""
    data = path.read_bytes()
    if path.suffix == ".parquet":
        res = subprocess.run(
            [str(python), "-c", _PARQUET_DUMP, str(path)], capture_output=True, text=True, check=True
        )
        return res.stdout, True
    if data.startswith(b"SQLite format 3\x00"):
        return _dump_sqlite(path), True
    if path.suffix in TEXT_SUFFIXES:
        try:
            return data.decode("utf-8"), True
        except UnicodeDecodeError:
            pass
    return f"sha256 {hashlib.sha256(data).hexdigest()} ({len(data)} bytes)\n", False


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRECWATCH_")}
    env.update(COLUMNS="160", LINES="50", TZ="UTC", NO_COLOR="1", PYTHONHASHSEED="0")
    env.pop("FORCE_COLOR", None)
    return env


def run_steps(repo: Path, steps: Sequence[Step], *, log: Callable[[str], None]) -> dict[str, dict[str, str]]:
    """Run `steps` in a fresh temporary directory; return {step: {artifact name: normalised text}}."""
    repo = repo.resolve()
    exe, python = repo / ".venv/bin/precwatch", repo / ".venv/bin/python"
    if not exe.exists():
        raise SystemExit(f"{exe} not found: run `make .venv/.installed` in {repo}")
    results: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        work = Path(tmp)
        inputs = work / "inputs"
        inputs.mkdir()
        for name, make in PREPARE.items():
            make(repo, inputs / name)
        paths = {str(work): "<TMP>", str(work.resolve()): "<TMP>", str(repo): "<REPO>"}
        paths[os.path.realpath(repo)] = "<REPO>"
        for step in steps:
            before = _snapshot(work)
            argv = [str(exe), *(_resolve_arg(a, repo, inputs) for a in step.args)]
            start = datetime.now(UTC)
            t0 = time.monotonic()
            res = subprocess.run(argv, cwd=work, env=_env(), capture_output=True, stdin=subprocess.DEVNULL)
            end = datetime.now(UTC)
            ctx = RunContext(paths, start, end)
            out: dict[str, str] = {
                "exit_code": f"{res.returncode}\n",
                "stdout": normalise(res.stdout.decode("utf-8", "replace"), ctx, figures=False),
                "stderr": normalise(res.stderr.decode("utf-8", "replace"), ctx),
            }
            after = _snapshot(work)
            for rel in sorted(k for k, h in after.items() if before.get(k) != h):
                text, is_text = _file_text(work / rel, python)
                out[f"files/{rel}"] = normalise(text, ctx, figures=False) if is_text else text
            results[step.name] = out
            log(
                f"{step.name:<48} exit {res.returncode}  {time.monotonic() - t0:6.1f} s  {len(out) - 3} file(s)"
            )
    return results


# --- storage and comparison ---


def _artifact_file(name: str) -> str:
    return name if name.startswith("files/") else name + ".txt"


def save(results: Mapping[str, Mapping[str, str]], dest: Path) -> None:
    """Write results under dest/<step>/ (stdout.txt, stderr.txt, exit_code.txt, files/...) plus manifest.json."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    manifest = {}
    for step, arts in results.items():
        manifest[step] = sorted(arts)
        for name, text in arts.items():
            p = dest / step / _artifact_file(name)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(text.encode("utf-8"))
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def load(src: Path) -> dict[str, dict[str, str]]:
    """Read results written by `save`."""
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    return {
        step: {n: (src / step / _artifact_file(n)).read_bytes().decode("utf-8") for n in names}
        for step, names in manifest.items()
    }


def diff_step(old: Mapping[str, str], new: Mapping[str, str], *, max_lines: int = 40) -> list[str]:
    """Unified-diff excerpt (at most max_lines per artifact) of every artifact that differs."""
    lines: list[str] = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        if a is None or b is None:
            lines.append(f"  {name}: {'only in new run' if a is None else 'missing from new run'}")
            continue
        d = list(
            difflib.unified_diff(
                a.splitlines(), b.splitlines(), f"recorded/{name}", f"new/{name}", lineterm=""
            )
        )
        lines += ["  " + x for x in d[:max_lines]]
        if len(d) > max_lines:
            lines.append(f"  ... {len(d) - max_lines} more diff lines in {name}")
    return lines


def compare(
    recorded: Mapping[str, Mapping[str, str]], new: Mapping[str, Mapping[str, str]]
) -> tuple[bool, str]:
    """Table of steps (same / differs / missing / extra) followed by diffs; True when everything is the same."""
    table, details, ok = [], [], True
    for step in list(recorded) + [s for s in new if s not in recorded]:
        if step not in new:
            status, ok = "missing", False
        elif step not in recorded:
            status, ok = "extra", False
        elif recorded[step] == new[step]:
            status = "same"
        else:
            status, ok = "differs", False
            details += [f"--- {step}", *diff_step(recorded[step], new[step])]
        table.append(f"{step:<48} {status}")
    return ok, "\n".join(["step" + " " * 45 + "status", *table, *(["", *details] if details else [])])


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: record DIR | compare DIR, with --repo PATH."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("action", choices=("record", "compare"))
    ap.add_argument("dir", type=Path)
    ap.add_argument("--repo", type=Path, default=ROOT)
    ap.add_argument("--only", nargs="+", metavar="STEP", help="run only these steps (compare: only these)")
    args = ap.parse_args(argv)
    steps = [s for s in STEPS if not args.only or s.name in args.only]

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    t0 = time.monotonic()
    results = run_steps(args.repo, steps, log=log)
    log(f"ran {len(steps)} steps in {time.monotonic() - t0:.1f} s")
    if args.action == "record":
        save(results, args.dir)
        print(f"recorded {len(results)} steps into {args.dir}")
        return 0
    recorded = load(args.dir)
    if args.only:
        recorded = {k: v for k, v in recorded.items() if k in args.only}
    ok, report = compare(recorded, results)
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
