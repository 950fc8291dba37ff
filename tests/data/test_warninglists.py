"""The bundled warninglist loads, every entry is explained and sourced, and a bad file names its entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from precwatch.data.warninglists import WarninglistError, load_warninglist


def test_bundled_entries_are_normalised_explained_and_sourced() -> None:
    wl = load_warninglist()
    assert len(wl.entries) >= 30
    assert all(e.reason and e.source for e in wl.entries)
    assert {e.kind for e in wl.entries} >= {"substance", "company", "tel", "email", "address"}
    assert wl.match("company", "express federal")  # "Federal Express Corporation", legal form stripped
    assert wl.match("tel", "+447700900123") and not wl.match("tel", "+447700123456")
    assert wl.match("email", "noreply@shop.cn") and not wl.match("email", "sales@shop.cn")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "entries: [{kind: tel, value: '+1 2', reason: r, source: s}]",
            "entries[0]: '+1 2' does not read as a tel",
        ),
        ("entries: [{kind: tel, reason: r, source: s}]", "entries[0]: give exactly one of value and pattern"),
        ("entries: [{kind: tel, pattern: '(', reason: r, source: s}]", "entries[0]: bad pattern"),
        ("entries: [{kind: tel, value: x}]", "entries[0]: missing reason, source"),
        ("nothing: here", "expected a mapping with a list of entries"),
    ],
)
def test_a_bad_file_names_the_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "wl.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WarninglistError, match=re.escape(message)):
        load_warninglist(str(path))
