"""The documentation is executed: every example runs, every JSON example matches real output, nothing is
undocumented and no link leaves the repository.

- Every ```console block of docs/*.md and README.md is run, line by line (`$ ` lines), in a temporary
  directory per page where `examples/` and `tests/` of the repository are reachable (symlinks). `precwatch ...`
  runs in-process with click's CliRunner (`cat FILE |` feeds standard input, `> FILE` saves standard output);
  `export NAME=VALUE` sets a variable for the page's later commands. A line must exit 0, or the code written
  as a trailing comment (`# exit 2`).
- A ```json block right after a console block is checked against the last command's output (standard output,
  the file it was redirected to, or its `--out` JSON file): every key must be present and every value equal, except `"..."` (any
  value). A JSON Lines example is matched record by record on `id`.
- docs/cli.md is what `tools/gen_cli_docs.py` generates today; every setting, screening rule code, class id,
  masked-precursor transformation and hub route is named in docs/.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from precwatch.cli import main
from tools import gen_cli_docs, gen_layout_docs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]
PLANNED_PAGES: tuple[str, ...] = ()
"""Pages other branches write in parallel: links to them are accepted until they are merged (then emptied)."""
WILDCARD = "..."
ID_KEYS = ("id", "listing_id", "vendor_id")
"""A documented record is compared with the real record of the same id (the first of these keys it has)."""
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.M | re.S)
_EXIT = re.compile(r"\s+#\s*exit\s+(\d+)\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced block: its page, first line number, language tag and text."""

    page: Path
    line: int
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """Every fenced block of `page`, in order."""
    src = page.read_text(encoding="utf-8")
    return [
        Block(page, src.count("\n", 0, m.start()) + 2, m.group(1), m.group(2)) for m in _FENCE.finditer(src)
    ]


def all_docs_text() -> str:
    """Every page of docs/ (and the README) as one text, for the is-it-named checks."""
    return "\n".join(p.read_text(encoding="utf-8") for p in PAGES)


@dataclass
class Shell:
    """A tiny shell for the documented command lines: precwatch in-process, cat pipes, > redirection."""

    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    last_output: str = ""

    def run(self, line: str, where: str) -> None:
        expected = 0
        m = _EXIT.search(line)
        if m:
            expected, line = int(m.group(1)), line[: m.start()]
        line = re.sub(r"\s+#[^'\"]*$", "", line)  # a trailing comment
        if line.startswith("export "):
            name, _, value = line[len("export ") :].partition("=")
            self.env[name.strip()] = shlex.split(value)[0] if value else ""
            return
        stdin: str | None = None
        if line.startswith("cat ") and "|" in line:
            source, _, line = line.partition("|")
            stdin = (self.cwd / shlex.split(source)[1]).read_text(encoding="utf-8")
        words = shlex.split(line)
        if words[:1] == ["cat"] and len(words) == 2:  # show a file a command wrote
            self.last_output = (self.cwd / words[1]).read_text(encoding="utf-8")
            return
        target: str | None = None
        if ">" in words:
            at = words.index(">")
            words, target = words[:at], words[at + 1]
        assert words and words[0] == "precwatch", f"{where}: only precwatch commands can run: {line!r}"
        result = CliRunner(env=self.env).invoke(main, words[1:], input=stdin, catch_exceptions=True)
        output = result.stdout
        detail = f"{where}: `{line}` exited {result.exit_code}, documented {expected}\n{result.stderr}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            detail += f"\n{result.exception!r}"
        assert result.exit_code == expected, detail
        if target is not None:
            (self.cwd / target).write_text(output, encoding="utf-8")
        elif not output.strip() and "--out" in words[:-1]:  # the command's output went to its --out file
            out_file = self.cwd / words[words.index("--out") + 1]
            output = out_file.read_text(encoding="utf-8") if out_file.suffix in (".json", ".jsonl") else ""
        self.last_output = output


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary working directory with the repository's examples/ and tests/ reachable."""
    for name in ("examples", "tests"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "160")
    for var in [v for v in os.environ if v.startswith("PRECWATCH_")]:
        monkeypatch.delenv(var)
    yield tmp_path


def subset(doc: Any, real: Any, path: str = "$") -> list[str]:
    """Where the documented value `doc` disagrees with the real one (keys missing, values different)."""
    if doc == WILDCARD:
        return []
    if isinstance(doc, dict):
        if not isinstance(real, dict):
            return [f"{path}: documented an object, got {real!r}"]
        problems = []
        for key, value in doc.items():
            if key not in real:
                problems.append(f"{path}.{key}: documented key missing from the real output")
            else:
                problems += subset(value, real[key], f"{path}.{key}")
        return problems
    if isinstance(doc, list):
        if not isinstance(real, list) or len(doc) > len(real):
            return [f"{path}: documented {len(doc)} items, got {real!r}"]
        return [p for i, d in enumerate(doc) for p in subset(d, real[i], f"{path}[{i}]")]
    if doc != real and not (isinstance(doc, float) and isinstance(real, float) and abs(doc - real) < 1e-9):
        return [f"{path}: documented {doc!r}, got {real!r}"]
    return []


def parse_json_example(text: str) -> list[Any]:
    """A JSON block as a list of documents: one JSON value, or JSON Lines."""
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def check_json(block: Block, output: str) -> None:
    docs = parse_json_example(block.text)
    try:
        reals = parse_json_example(output)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"{block.where}: the command before this JSON example printed no JSON") from exc
    problems: list[str] = []
    for i, doc in enumerate(docs):
        key = next((k for k in ID_KEYS if isinstance(doc, dict) and k in doc), None)
        same = [r for r in reals if key and isinstance(r, dict) and r.get(key) == doc[key]]
        if same:
            real = same[0]
        elif i < len(reals):
            real = reals[i]
        else:
            problems.append(f"record {i}: no real output record to compare with")
            continue
        problems += subset(doc, real)
    assert problems == [], f"{block.where}: JSON example differs from the real output:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_run_and_json_matches(page: Path, workdir: Path) -> None:
    """Every console line of the page exits as documented; every JSON example matches the output before it."""
    shell = Shell(workdir)
    examples_before = sorted((ROOT / "examples").rglob("*"))
    previous: Block | None = None
    for block in blocks(page):
        if block.lang == "console":
            for offset, line in enumerate(block.text.splitlines()):
                if line.startswith("$ "):
                    shell.run(line[2:].strip(), f"{block.page.relative_to(ROOT)}:{block.line + offset}")
        elif block.lang == "json" and previous is not None and previous.lang == "console":
            check_json(block, shell.last_output)
        previous = block
    added = sorted(set((ROOT / "examples").rglob("*")) - set(examples_before))
    assert added == [], (
        f"{page.name}: an example wrote into the repository's examples/ (pass --rejects): {added}"
    )


def test_cli_reference_is_current() -> None:
    """docs/cli.md covers every command and option, exactly as `--help` prints them today."""
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == gen_cli_docs.render(), "docs/cli.md is out of date: run python tools/gen_cli_docs.py"
    for path in gen_cli_docs.commands():
        assert f"`{' '.join(path)}`" in current, f"{' '.join(path)} missing: run python tools/gen_cli_docs.py"


def test_layout_table_is_current() -> None:
    """docs/architecture.md maps every old file to its new home exactly as tools/relayout.py moves it."""
    current = gen_layout_docs.PAGE.read_text(encoding="utf-8")
    assert current == gen_layout_docs.render(current), "run python -m tools.gen_layout_docs"


def test_every_setting_is_documented() -> None:
    from precwatch.settings import ENV_PREFIX, SECTIONS

    text = all_docs_text()
    names = [f"{ENV_PREFIX}{f.upper()}" for cls in SECTIONS.values() for f in cls.model_fields]
    assert len(names) >= 8
    assert [n for n in names if n not in text] == []


def test_every_rule_code_is_documented() -> None:
    from precwatch.core.screening.rules import DECLARATION_RULES, LISTING_RULES

    text = all_docs_text()
    codes = {c for r in DECLARATION_RULES + LISTING_RULES for c in r.codes}
    assert sorted(c for c in codes if f"`{c}`" not in text) == []


def test_every_class_rule_and_transformation_is_documented() -> None:
    from precwatch.core.classes.classify import CLASS_RULES
    from precwatch.core.structure.masked import TRANSFORMATIONS

    text = all_docs_text()
    assert [r.id for r in CLASS_RULES if f"`{r.id}`" not in text] == []
    assert [t.name for t in TRANSFORMATIONS if t.name.split(" (")[0].split(" removal")[0] not in text] == []


def test_every_hub_route_is_documented(tmp_path: Path) -> None:
    """Every operation of the hub's OpenAPI is named in docs/ as `METHOD /path`."""
    from precwatch.settings import load_settings
    from precwatch.web.app import create_app

    settings = load_settings(secret="s" * 32, database_url=f"sqlite:///{tmp_path / 'hub.db'}")
    spec = create_app(settings).openapi()
    text = all_docs_text()
    routes = [f"`{m.upper()} {p}`" for p, ops in spec["paths"].items() for m in ops if m != "parameters"]
    assert routes
    missing = [r for r in routes if r not in text]
    assert missing == [], f"hub routes not named in docs/ as `METHOD /path`: {missing}"


def test_readme_has_exactly_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^(?:\$ )?make \w+$", setup, re.M) in (["make demo", "make test"], ["$ make demo"])
    assert "make demo" in setup and "make test" in setup


_LINK = re.compile(r"\]\(([^)\s]+)\)|<(https?://[^>]+)>|(https?://\S+)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_link_leaves_the_repository(page: Path) -> None:
    """No http(s) address anywhere in the docs; every relative link reaches a file (or a planned page)."""
    src = page.read_text(encoding="utf-8")
    prose = re.sub(r"`[^`\n]*`", "", _FENCE.sub("", src))  # addresses inside code are data, not links
    outside = [u for m in _LINK.finditer(prose) for u in m.groups() if u and re.match(r"https?://", u)]
    outside += [m.group(1) for m in _LINK.finditer(src) if m.group(1) and re.match(r"https?://", m.group(1))]
    assert outside == [], f"{page.name}: links leave the repository (cite sources as text): {outside}"
    broken = []
    for m in _LINK.finditer(prose):
        target = m.group(1)
        if not target or target.startswith(("#", "mailto:")):
            continue
        file = (page.parent / target.split("#", 1)[0]).resolve()
        rel = file.relative_to(ROOT).as_posix() if file.is_relative_to(ROOT) else str(file)
        if not file.exists() and rel not in PLANNED_PAGES:
            broken.append(target)
    assert broken == [], f"{page.name}: broken links {broken}"


def test_readme_is_short() -> None:
    assert len((ROOT / "README.md").read_bytes()) < 7000
