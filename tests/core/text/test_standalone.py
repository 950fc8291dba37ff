"""`standalone` (is a name hit a whole word?) answers as its first formulation did, whatever the order of
its tests: the reference below is that formulation, kept here on purpose (a reference that called the
production code would compare it with itself)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.normalise import is_cjk
from precwatch.core.text.detectors import _PREFIX_WORD, standalone
from precwatch.core.text.lexicon import CJK_NAME_PREFIXES

_WORD = re.compile(r"[a-z0-9]")


def _reference(text: str, start: int, end: int) -> bool:
    if start > 0 and _PREFIX_WORD.search(text, max(0, start - 24), start):
        return False
    first, last = text[start], text[end - 1]
    if start > 0 and not is_cjk(first):
        before = text[start - 1]
        if _WORD.match(before):
            return False
        if (
            before in "-)]"
            and start > 1
            and (_WORD.match(text[start - 2]) or text[start - 2] in CJK_NAME_PREFIXES)
        ):
            return False
    if start > 0 and is_cjk(first) and text[start - 1] in CJK_NAME_PREFIXES:
        return False
    if end + 1 < len(text) and text[end] == "-" and text[end + 1].isdigit() and not is_cjk(last):
        return False
    return not (end < len(text) and not is_cjk(last) and _WORD.match(text[end]))


_PIECES = ["fentanyl", "4-anpp", "npp", "fluoro ", "n-pyrrolidino ", "-", ")", "]", "(", " ", "4", "a", "苯",
           "乙基", "芬太尼", "-4-", "x", "\t", "desmethyl "]  # fmt: skip


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8).map("".join), st.data())
def test_standalone_is_its_first_formulation(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert standalone(text, start, end) == _reference(text, start, end)
