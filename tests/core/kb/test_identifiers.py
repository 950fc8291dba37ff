from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.kb.identifiers import (
    cas_check_digit,
    find_cas,
    find_partial_cas,
    format_cas,
    is_valid_cas,
    normalise_hs,
)
from precwatch.core.normalise import normalise


@pytest.mark.parametrize("cas", ["79099-07-3", "39742-60-4", "1609-66-1", "437-38-7", "7732-18-5"])
def test_valid_cas(cas: str) -> None:
    assert is_valid_cas(cas)


@pytest.mark.parametrize("cas", ["1609-66-5", "79099-07-4", "79099073", "0437-38-7", "79099-7-3", ""])
def test_invalid_cas(cas: str) -> None:
    assert not is_valid_cas(cas)


def cas_in(text: str) -> list[str]:
    return [c.cas for c in find_cas(normalise(text).text)]


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("CAS 79099-07-3 powder", "standard"),
        ("79O99-O7-3", "repaired"),
        ("79099 07 3", "repaired"),
        ("79099—07—3", "standard"),
        ("79099_07_3", "repaired"),
        ("79099.07.3", "repaired"),
        ("7909907-3", "repaired"),
        ("７９０９９－０７－３", "standard"),
        ("79099\u200b-07-3", "standard"),
        ("CAS79099-07-3powder", "standard"),
        ("7 9 0 9 9 - 0 7 - 3", "repaired"),
        ("CAS No. 79099073", "digits"),
        ("l25541-22-2", "repaired"),
    ],
)
def test_cas_forms(text: str, form: str) -> None:
    found = list(find_cas(normalise(text).text))
    assert [c.cas for c in found] in (["79099-07-3"], ["125541-22-2"])
    assert found[0].form == form


@pytest.mark.parametrize(
    "text",
    [
        "79099-07-4",
        "order 79099073 shipped",
        "2024-05-03",
        "tel 138-0013-8000",
        "ref 1279099-07-3",
        "oil lol ill",
    ],
)
def test_not_cas(text: str) -> None:
    assert cas_in(text) == []


def test_partial_cas_needs_cue() -> None:
    assert [c.cas for c in find_partial_cas("cas79099 powder is best")] == ["79099"]
    assert [c.cas for c in find_partial_cas("cas-no 125541-22 in stock")] == ["125541-22"]
    assert list(find_partial_cas("price 79099 usd")) == []
    assert list(find_partial_cas("cas 79099-07-3")) == []


def test_hs_codes() -> None:
    assert normalise_hs("293339") == "2933.39"
    assert normalise_hs("2933.39.90") == "2933.39.90"
    assert normalise_hs("29") is None


cas_numbers = st.builds(
    lambda body: format_cas(body + str(cas_check_digit(body))),
    st.from_regex(r"[1-9][0-9]{3,8}", fullmatch=True),
)


@given(cas_numbers, st.sampled_from(["-", " ", "_", ".", "—", " - "]), st.text(max_size=20))
def test_any_valid_cas_is_found_in_any_separator(cas: str, sep: str, noise: str) -> None:
    text = f"{noise} CAS {cas.replace('-', sep)} powder"
    assert cas in cas_in(text)


@given(st.text(max_size=300))
def test_find_cas_never_crashes_and_spans_are_in_bounds(text: str) -> None:
    norm = normalise(text).text
    for c in find_cas(norm):
        assert 0 <= c.start < c.end <= len(norm)
        assert is_valid_cas(c.cas)
    for c in find_partial_cas(norm):
        assert 0 <= c.start < c.end <= len(norm)
