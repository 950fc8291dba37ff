"""House rules: a pure core, a curated public API, documented commands."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import precwatch
from precwatch.cli import main

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = (
    "fastapi", "starlette", "sqlalchemy", "alembic", "psycopg", "pyspark", "typer", "click", "rich", "yaml",
    "uvicorn", "pydantic", "jinja2", "httpx", "pyarrow", "polars", "trafilatura",
)  # fmt: skip


def test_core_loads_no_framework_and_does_no_io() -> None:
    """Every module under precwatch.core, imported in a fresh interpreter, loads no framework and no adapter."""
    code = (
        "import sys, json, pkgutil, importlib, precwatch.core as c\n"
        "mods = [m.name for m in pkgutil.walk_packages(c.__path__, 'precwatch.core.')]\n"
        "[importlib.import_module(m) for m in mods]\n"
        "print(json.dumps({'core': mods, 'loaded': sorted(sys.modules)}))"
    )
    out = json.loads(subprocess.check_output([sys.executable, "-c", code], text=True))
    assert len(out["core"]) > 60  # the walk really reached every sub-package
    loaded = out["loaded"]
    bad = [m for m in loaded if m.split(".")[0] in FRAMEWORKS]
    assert bad == []
    adapters = ("precwatch.io", "precwatch.data", "precwatch.cli", "precwatch.store", "precwatch.hub")
    assert not [m for m in loaded if m.startswith(adapters)]


def test_core_sources_do_not_touch_files_or_environment() -> None:
    paths = sorted((ROOT / "precwatch/core").rglob("*.py"))
    assert len(paths) > 60
    for path in paths:
        src = path.read_text(encoding="utf-8")
        assert not re.search(r"\bopen\(|os\.environ|getenv|Path\(", src), path


def test_public_api_is_pinned() -> None:
    assert sorted(precwatch.__all__) == [
        "Control", "KnowledgeBase", "KnowledgeBaseError", "Match", "Names", "StructureError", "Substance", "__version__",
        "identify_structure", "identify_text", "load_kb",
    ]  # fmt: skip
    (m,) = precwatch.identify_text("CAS 39742-60-4")
    assert m.substance == "npp"


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands: list[str] = []

    def walk(group: object, prefix: str) -> None:
        for name, cmd in getattr(group, "commands", {}).items():
            full = f"{prefix} {name}".strip()
            if hasattr(cmd, "commands"):
                walk(cmd, full)
            else:
                commands.append(full)

    walk(main, "")
    missing = [c for c in commands if f"precwatch {c}" not in readme]
    assert missing == [], f"undocumented commands: {missing}"


def test_readme_has_exactly_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^make \w+$", setup, re.M) == ["make demo", "make test"]


def test_every_class_rule_and_transformation_is_documented() -> None:
    from precwatch.core.classes.classify import CLASS_RULES
    from precwatch.core.structure.masked import TRANSFORMATIONS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [r.id for r in CLASS_RULES if f"`{r.id}`" not in readme] == []
    assert [t.name for t in TRANSFORMATIONS if t.name.split(" (")[0].split(" removal")[0] not in readme] == []


def test_every_risk_rule_code_is_documented() -> None:
    from precwatch.core.screening.rules import DECLARATION_RULES, LISTING_RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    codes = {c for r in DECLARATION_RULES + LISTING_RULES for c in r.codes}
    assert sorted(c for c in codes if f"`{c}`" not in readme) == []
