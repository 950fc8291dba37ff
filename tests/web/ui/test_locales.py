"""The pages' message catalogues: complete in every language, extracted from today's sources, compiled."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from precwatch.web.ui.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[3]
LOCALES = ROOT / "precwatch" / "web" / "locales"
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def ids(catalog: object) -> set[str]:
    return {str(m.id) for m in catalog if m.id}  # type: ignore[attr-defined]


def extracted(tmp_path: Path) -> set[str]:
    out = tmp_path / "messages.pot"
    cmd = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(LOCALES / "babel.cfg"),
           "-k", "_", "--no-location", "-o", str(out), "."]  # fmt: skip
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    with out.open("rb") as f:
        return ids(read_po(f))


def test_the_template_holds_every_string_of_the_pages(tmp_path: Path) -> None:
    with (LOCALES / "messages.pot").open("rb") as f:
        committed = ids(read_po(f))
    assert extracted(tmp_path) == committed, "run `make locales`"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated(lang: str) -> None:
    with (LOCALES / "messages.pot").open("rb") as f:
        wanted = ids(read_po(f))
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    missing = sorted(m.id for m in catalog if m.id and (not m.string or m.fuzzy))
    missing += sorted(wanted - ids(catalog))
    assert not missing, f"{lang}: untranslated {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogue_is_up_to_date(lang: str) -> None:
    folder = LOCALES / lang / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as f:
        po = {str(m.id): m.string for m in read_po(f) if m.id}
    mo = {str(m.id): m.string for m in read_mo(io.BytesIO((folder / "messages.mo").read_bytes())) if m.id}
    assert mo == po, "run `make locales`"
