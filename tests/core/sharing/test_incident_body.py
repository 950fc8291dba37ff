"""Incident bodies (pure): validation never fails with anything but a field error; search text normalisation."""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.sharing.incidents import (
    EDITABLE_FIELDS,
    IncidentError,
    normalise_search,
    search_text,
    validate_incident,
)
from tests.support.samples import seizure

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
mutations = st.dictionaries(st.sampled_from([*EDITABLE_FIELDS, "extra"]), json_values, max_size=4)


@given(mutations)
def test_any_body_is_either_valid_or_refused_with_a_field(changes: dict[str, Any]) -> None:
    try:
        body = validate_incident(seizure(**changes))
    except IncidentError as err:
        assert err.field and str(err).startswith(err.field)
        return
    assert set(body) == set(EDITABLE_FIELDS)
    assert validate_incident(body) == body  # normalising twice changes nothing


@given(st.text())
def test_normalised_search_text_is_safe_in_like_and_stable(text: str) -> None:
    out = normalise_search(text)
    assert "%" not in out and "_" not in out
    assert out.startswith(" ") and out.endswith(" ") and "  " not in out.strip()
    assert normalise_search(out) == out


def _reference_normalise_search(text: str) -> str:
    """`normalise_search` as it was written before its translation table (a generator over characters)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " " + " ".join(kept.split()) + " "


@given(st.text(alphabet=st.characters(codec=None)) | st.text())
def test_normalised_search_equals_the_character_by_character_reference(text: str) -> None:
    assert normalise_search(text) == _reference_normalise_search(text)


def test_normalised_search_equals_the_reference_on_every_character() -> None:
    """Every code point (surrogates aside), as filled into the table and past its memory limit."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for start in range(0, len(every), 4096):
        chunk = every[start : start + 4096]
        assert normalise_search(chunk) == _reference_normalise_search(chunk)


def test_normalisation_ignores_case_accents_and_punctuation() -> None:
    assert normalise_search("N-Phenéthyl-4-PIPÉRIDONE, (NPP)") == " n phenethyl 4 piperidone npp "
    assert " 4 苯胺基哌啶 " in normalise_search("4-苯胺基哌啶")


def test_search_text_leaves_out_what_partners_may_not_see() -> None:
    body = validate_incident(seizure(owner_only=["phones", "name"]))
    public, owner = search_text(body, owner=False), search_text(body, owner=True)
    assert " tamayo " in owner and " tamayo " not in public
    assert " 0101 " in owner and " 0101 " not in public
    assert " brightchem " in public  # a company name stays visible
    assert " redacted " not in public
