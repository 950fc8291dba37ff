"""Systematic-name candidates: the cheap pre-check never hides a candidate."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.text.systematic import _is_strong, _may_hold_a_strong_word, find_name_candidates

PIECES = ["4-oxo", "piperidine", "1-carboxylate", "tert-butyl", "N-phenyl", "phenyl", "acetone", "(2S)-",
          "benzyl", "methyl", "ethyl", "amino", "acid", "ester", "cotton", "shirts", "phone", "25kg", "drum",
          "[1,3]dioxol", "oxiran", "-2-", "anilino", ",", " ", "\n", "CAS", "99%", "one"]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES), max_size=12).map(lambda parts: " ".join(parts)))
def test_the_pre_check_holds_whenever_a_word_is_strong(text: str) -> None:
    if any(_is_strong(word) for word in text.split()):
        assert _may_hold_a_strong_word(text)
    if find_name_candidates(text):
        assert _may_hold_a_strong_word(text)


def test_ordinary_manifest_text_is_skipped_and_names_are_found() -> None:
    assert not _may_hold_a_strong_word("COTTON T-SHIRTS MEN 1200 PCS, PHONE CASES")
    (c,) = find_name_candidates("tert-butyl 4-oxopiperidine-1-carboxylate 25kg drum")
    assert c.name == "tert-butyl 4-oxopiperidine-1-carboxylate"
