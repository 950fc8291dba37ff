"""OPSIN over a real JVM: conversions, the line protocol under garbage, the cache, and missing Java."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem

from precwatch.core.text.systematic import find_name_candidates
from precwatch.io.opsin import Opsin, OpsinUnavailable, find_jar

BOC_PIPERIDONE = Chem.MolToInchiKey(Chem.MolFromSmiles("CC(C)(C)OC(=O)N1CCC(=O)CC1"))


def key(smiles: str | None) -> str:
    assert smiles
    return str(Chem.MolToInchiKey(Chem.MolFromSmiles(smiles)))


def test_systematic_and_cas_index_names(opsin: Opsin) -> None:
    a, b = opsin(
        [
            "tert-butyl 4-oxopiperidine-1-carboxylate",
            "1-Piperidinecarboxylic acid, 4-oxo-, 1,1-dimethylethyl ester",
        ]
    )
    assert key(a) == key(b) == BOC_PIPERIDONE


def test_garbage_never_desyncs(opsin: Opsin) -> None:
    good = "tert-butyl 4-oxopiperidine-1-carboxylate"
    out = opsin(
        [good, "asdf qwerty", "methyl 2-methyl-3-phenyloxirane-2-carboxylate", "", "((((", "a\nb", good]
    )
    assert out[1] is None and out[3] is None and out[4] is None and out[5] is None
    assert key(out[0]) == key(out[6]) == BOC_PIPERIDONE
    assert key(out[2]) == key("COC(=O)C1(C)OC1c1ccccc1")


def test_cache_sends_each_name_once(opsin: Opsin) -> None:
    name = "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"
    opsin([name])
    sent = opsin.stats.sent
    assert opsin([name, name]) == opsin([name]) * 2 and opsin.stats.sent == sent


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=8))
def test_any_input_gets_one_answer_each(opsin: Opsin, names: list[str]) -> None:
    assert len(opsin(names)) == len(names)


def test_missing_java_is_one_clear_line() -> None:
    o = Opsin(java="/nonexistent/java")
    with pytest.raises(OpsinUnavailable) as err:
        o(["tert-butyl 4-oxopiperidine-1-carboxylate"])
    assert "\n" not in str(err.value) and "Java" in str(err.value)
    o.close()
    o.close()


def test_bundled_jar_is_found() -> None:
    assert find_jar().endswith(".jar")


# ------------------------------------------------------------------ candidate finder (pure)
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hot sale tert-butyl 4-oxopiperidine-1-carboxylate 99% purity", "tert-butyl 4-oxopiperidine-1-carboxylate"),
        ("Supply 1-Piperidinecarboxylic acid, 4-oxo-, 1,1-dimethylethyl ester in stock",
         "1-Piperidinecarboxylic acid, 4-oxo-, 1,1-dimethylethyl ester"),
        ("N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide, white powder",
         "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"),
        ("benzyl 4-anilinopiperidine-1-carboxylate. WhatsApp +86 138 0000 1111", "benzyl 4-anilinopiperidine-1-carboxylate"),
        ("Benzeneacetic acid, α-acetyl-, methyl ester 25kg drum", "Benzeneacetic acid, α-acetyl-, methyl ester"),
        ("N-phenylpiperidin-4-amine dihydrochloride 98%", "N-phenylpiperidin-4-amine dihydrochloride"),
    ],
)  # fmt: skip
def test_candidates_found(text: str, name: str) -> None:
    assert [c.name for c in find_name_candidates(text)] == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Hot sale high purity 99% pharmaceutical intermediate, fast delivery, contact WhatsApp +86 138",
        "Order no. 2023-45-AB shipped 12-11-2024 to Los Angeles, price 100 USD/kg",
        "Room 1203, Building 5, No. 88 Keyuan Road, Wuhan, Hubei",
    ],
)
def test_prose_has_no_candidates(text: str) -> None:
    assert find_name_candidates(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_candidate_spans_are_ordered_slices(text: str) -> None:
    last = 0
    for c in find_name_candidates(text):
        assert last <= c.start < c.end <= len(text)
        assert c.name.startswith(text[c.start : c.end][:1]) and c.name.strip()
        last = c.end
