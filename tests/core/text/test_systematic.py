"""Systematic-name candidates: the cheap pre-check never hides a candidate."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.text.systematic import (
    _ROOT,
    _STRONG_ROOT,
    _WORD,
    _has_root,
    _is_strong,
    _may_hold_a_strong_word,
    _strong_roots,
    find_name_candidates,
    may_hold_names,
)

PIECES = ["4-oxo", "piperidine", "1-carboxylate", "tert-butyl", "N-phenyl", "phenyl", "acetone", "(2S)-",
          "benzyl", "methyl", "ethyl", "amino", "acid", "ester", "cotton", "shirts", "phone", "25kg", "drum",
          "[1,3]dioxol", "oxiran", "-2-", "anilino", ",", " ", "\n", "CAS", "99%", "one"]  # fmt: skip


@settings(max_examples=500)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map(lambda parts: " ".join(parts)))
def test_the_pre_check_holds_whenever_a_word_is_strong(text: str) -> None:
    if any(_is_strong(word) for word in text.split()):
        assert _may_hold_a_strong_word(text)
    if find_name_candidates(text):
        assert _may_hold_a_strong_word(text)


@settings(max_examples=500)
@given(
    st.lists(st.sampled_from([*PIECES, "x" * 70, "methyl" * 12, ";", "“", "。", "(", ")"]), max_size=10).map(
        "".join
    )
)
def test_the_pre_check_holds_on_glued_pieces_and_long_words(text: str) -> None:
    """Pieces run together (long words, words longer than the pre-check's window, separators of every
    kind): the pre-check still never hides a candidate."""
    if any(_is_strong(m.group(0)) for m in _WORD.finditer(text)):
        assert _may_hold_a_strong_word(text)
    if find_name_candidates(text):
        assert _may_hold_a_strong_word(text)


def test_the_pre_check_skips_ordinary_words_with_a_strong_root() -> None:
    assert not _may_hold_a_strong_word(
        "phone cases, calcium propionate E282 (food grade), Tel/WhatsApp: +86 139"
    )
    assert _may_hold_a_strong_word("sodium benzoate; 4-oxopiperidine 25kg")


def test_ordinary_manifest_text_is_skipped_and_names_are_found() -> None:
    assert not _may_hold_a_strong_word("COTTON T-SHIRTS MEN 1200 PCS, PHONE CASES")
    (c,) = find_name_candidates("tert-butyl 4-oxopiperidine-1-carboxylate 25kg drum")
    assert c.name == "tert-butyl 4-oxopiperidine-1-carboxylate"


def _holding(text: str, spans: list[tuple[int, int]]) -> set[tuple[int, int]]:
    return {m.span() for m in _WORD.finditer(text) if any(m.start() <= s and e <= m.end() for s, e in spans)}


@settings(max_examples=500)
@given(
    st.lists(
        st.sampled_from([*PIECES, "PHONE", "Acetone", "ONE", "oneX", "one_", "bone1", "Ketone."]), max_size=10
    ).map("".join)
)
def test_the_root_scan_finds_the_words_the_pattern_finds(text: str) -> None:
    """The one-pass root scan (ASCII text) marks exactly the words `_STRONG_ROOT`'s matches fall in."""
    expected = _holding(text, [m.span() for m in _STRONG_ROOT.finditer(text)])
    assert _holding(text, list(_strong_roots(text))) == expected


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from("mMeEtThHpPyYlLoOnNiIsScC-1 éıİſKk苯xXzZbBaAdD"), max_size=14))
def test_has_root_is_the_root_pattern(word: str) -> None:
    assert _has_root(word) == (_ROOT.search(word) is not None)


@settings(max_examples=300)
@given(
    st.lists(
        st.lists(
            st.sampled_from([*PIECES, "PHONE", "Ketone.", "\x00", "ı", "İ", "é", "苯", "İmine"]), max_size=8
        ).map("".join),
        max_size=12,
    )
)
def test_the_batch_pre_check_answers_as_the_pre_check(texts: list[str]) -> None:
    """`may_hold_names` over a batch (texts scanned joined, ASCII and others apart, texts with NUL or a
    Turkish i alone) gives each text the answer of `_may_hold_a_strong_word`."""
    assert may_hold_names(texts) == [_may_hold_a_strong_word(t) for t in texts]


def test_the_batch_pre_check_on_listings() -> None:
    texts = [
        "COTTON T-SHIRTS MEN 1200 PCS, PHONE CASES",
        "tert-butyl 4-oxopiperidine-1-carboxylate 25kg drum",
        "sodium benzoate E211 (halal kosher)",
        "calcium propionate E282, Tel/WhatsApp: +86 139",
        "",
        "5-allyl-1,3-benzodioxole pharma grade",
    ]
    assert may_hold_names(texts) == [False, True, True, False, False, True]
