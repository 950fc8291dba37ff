"""The word-list scanner: folding, whole words only, longest phrase wins."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.text.phrases import PhraseScanner, fold

SCANNER = PhraseScanner({"vague": ["pharmaceutical intermediate", "intermediate", "sample"],
                         "seller": ["safe delivery", "双清"]})  # fmt: skip
separators = st.sampled_from([" ", "  ", "-", "_", "/", " - ", "\t"])
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 ,.;", max_size=30)


@given(st.text(max_size=60))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(words, separators, words, st.booleans())
def test_a_phrase_is_found_whatever_its_case_and_separators(
    before: str, sep: str, after: str, upper: bool
) -> None:
    phrase = f"safe{sep}delivery"
    text = f"{before} {phrase.upper() if upper else phrase} {after}"
    assert "safe delivery" in {h.phrase for h in SCANNER.scan(fold(text))}


@given(st.sampled_from(["samples", "resample", "sampler", "intermediates2", "xsafe delivery"]))
def test_a_phrase_inside_a_longer_word_is_not_a_hit(word: str) -> None:
    assert [
        h
        for h in SCANNER.scan(fold(word))
        if h.phrase in word and h.phrase in ("sample", "intermediate", "safe delivery")
    ] == []


def test_the_longest_phrase_of_a_list_wins_and_cjk_needs_no_boundary() -> None:
    hits = SCANNER.scan(fold("PHARMACEUTICAL INTERMEDIATE, 双清包税"))
    assert [(h.list_name, h.phrase) for h in hits] == [
        ("vague", "pharmaceutical intermediate"),
        ("seller", "双清"),
    ]


def test_an_empty_scanner_finds_nothing() -> None:
    assert PhraseScanner({}).scan("anything") == []
