"""House rules: a pure core and a curated public API (the documentation is checked by tests/test_docs.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import precwatch

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
