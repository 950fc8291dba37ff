from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.normalise import compact, name_key, normalise


def test_folding() -> None:
    assert normalise("ＮＰＰ　７９").text == "npp 79"
    assert normalise("N\u200bP\u200dP").text == "npp"
    assert normalise("Рiperidone").text == "piperidone"  # Cyrillic Р
    assert normalise("79099—07–3").text == "79099-07-3"
    assert normalise("α-phenyl").text == "α-phenyl"


def test_name_keys_ignore_spacing_and_punctuation() -> None:
    assert name_key("1-Boc-4-Piperidone") == name_key("1 boc 4 piperidone") == "1boc4piperidone"
    assert name_key("1-(2-phenylethyl)piperidin-4-one") == "12phenylethylpiperidin4one"
    assert compact("a b-c") == "abc"


@given(st.text(max_size=200))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text).text
    assert normalise(once).text == once


@given(st.text(max_size=200))
def test_offsets_map_back_into_the_original(text: str) -> None:
    n = normalise(text)
    for i in range(len(n.text)):
        s, e = n.span(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert n.span(0, i + 1)[0] <= s
