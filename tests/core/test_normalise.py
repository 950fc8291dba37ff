from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.normalise import compact, fold_char, name_key, normalise


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


_MIXED = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=127),
        st.sampled_from("ＮＰ７９　\u200b\u200dРаеοı—–’éñü芬太尼㎏ﬁ"),
        st.characters(),
    ),
    max_size=300,
)


@given(_MIXED)
def test_same_as_folding_one_character_at_a_time(text: str) -> None:
    """`normalise` folds ASCII runs in one go: the result is what folding every character gives."""
    n = normalise(text)
    if n.offsets is None:  # ASCII, or nothing to fold but case (`str.lower` of the whole text)
        return
    folded = [(fold_char(c), i) for i, c in enumerate(text)]
    assert n.text == "".join(f for f, _ in folded)
    assert n.offsets == tuple(i for f, i in folded for _ in f)
