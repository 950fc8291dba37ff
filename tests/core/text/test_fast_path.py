"""The fast path (`identify_text`: the gate, then detectors that skip what the gate rules out) gives exactly
the reference engine's matches (`reference_identify_text`: every detector on every text)."""

from __future__ import annotations

import csv
import json
from bisect import bisect_left
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.normalise import compact_positions, normalise
from precwatch.core.text.context import TextContext
from precwatch.core.text.gate import folded, text_gate
from precwatch.core.text.identify import identify_text, identify_texts, reference_identify_text
from tests.support.texts import TextGenerator

DATA = Path(__file__).resolve().parents[2] / "data"


def _same(kb: KnowledgeBase, text: str) -> None:
    fast = [m.to_dict() for m in identify_text(text, kb)]
    reference = [m.to_dict() for m in reference_identify_text(text, kb)]
    assert fast == reference, text


def _dicts(matches: list[Any]) -> list[dict[str, Any]]:
    return [m.to_dict() for m in matches]


def test_devset(kb: KnowledgeBase) -> None:
    texts = [json.loads(line)["text"] for line in (DATA / "devset.jsonl").read_text("utf-8").splitlines()]
    assert len(texts) > 100
    for text in texts:
        _same(kb, text)


def test_declarations_devset(kb: KnowledgeBase) -> None:
    with (DATA / "devset_declarations.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 400
    for row in rows:
        for value in row.values():
            _same(kb, value)


def test_generated_corpus(kb: KnowledgeBase) -> None:
    generator = TextGenerator(kb, seed=17)
    texts = [generator.text() for _ in range(20_000)]
    matched = 0
    for text in texts:
        fast = _dicts(identify_text(text, kb))
        assert fast == _dicts(reference_identify_text(text, kb)), text
        matched += bool(fast)
    # the corpus exercises both paths: many texts match, many are skipped by the gate
    assert 0.2 * len(texts) < matched < 0.9 * len(texts)
    skipped = sum(not text_gate(kb).scan(normalise(t).text) for t in texts)
    assert skipped > 0.05 * len(texts)


def test_systematic_names_with_a_resolver(kb: KnowledgeBase, opsin: Any) -> None:
    texts = [json.loads(line)["text"] for line in (DATA / "devset.jsonl").read_text("utf-8").splitlines()]
    for text in texts:
        fast = _dicts(identify_text(text, kb, resolver=opsin))
        assert fast == _dicts(reference_identify_text(text, kb, resolver=opsin)), text


def test_systematic_names_in_batches(kb: KnowledgeBase, opsin: Any) -> None:
    """`identify_texts` with a resolver (the batch gate and the batch systematic-name pre-check) gives each
    text `identify_text`'s matches, on the development set and generated listings."""
    texts = [json.loads(line)["text"] for line in (DATA / "devset.jsonl").read_text("utf-8").splitlines()]
    generator = TextGenerator(kb, seed=37)
    texts += [generator.text() for _ in range(2_000)] + [
        "",
        "\x00 4-oxopiperidine \x00",
        "İmine 4-oxo-1-piperidine",
    ]
    expected = [_dicts(identify_text(t, kb, resolver=opsin)) for t in texts]
    got = [
        _dicts(found)
        for i in range(0, len(texts), 256)
        for found in identify_texts(texts[i : i + 256], kb, opsin)
    ]
    assert got == expected
    assert sum(1 for e in expected if any(m["method"] == "systematic-name" for m in e)) > 5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789oOilI|-_./\\~=·: \tcasCAS,()xyzO８"), max_size=40))
def test_digit_runs_and_separators(kb: KnowledgeBase, text: str) -> None:
    for cas in ("79099-07-3", "39742-60-4"):
        _same(kb, text + cas.replace("0", "o"))
        _same(kb, text)


@pytest.mark.parametrize(
    ("text", "bar", "expected"),
    [
        ("79O99 - 07 - 3", "", "79099073"),
        ("l-boc | 4", "", "1b0c4"),
        ("7|2", "1", "712"),
        ("N-苯乙基-4-哌啶酮", "", "n苯乙基4哌啶酮"),
    ],
)
def test_folded(text: str, bar: str, expected: str) -> None:
    assert folded(normalise(text).text, bar=bar) == expected


def test_gate_reads_nothing_in_ordinary_goods(kb: KnowledgeBase) -> None:
    gate = text_gate(kb)
    assert gate.scan("led strip light 5050 1080p 479 ctns n.w. 14391 kgs hs 8525.80 origin vn") == 0
    assert gate.scan("cas 79099-07-3") != 0


@pytest.mark.parametrize(
    "text",
    [
        "PE bag inside carton | FOB Ningbo",
        "P.E.B. 99% powder | CAS 79O99-O7-|",
        "propionic acid | fentanyl citrate",
        "calcium propionate 25kg | propionyl chloride",
        "benzyl alcohol, benzylfentanyl, pyridine | aniline",
        "aniline CAS 62-53-3 | 4-anilinopiperidine",
        "fentanylverwandte Stoffe | Lieferung",
        "sustancias relacionadas con el fentanilo",
        "item 79099-07 in stock, purity 99%, shipping kg",
        "anhydrous | phenethyl bromid 25kg drum",
        "1-methyl-4-piperidone | 4-piperidone",
        "N-苯乙基-4-哌啶酮 | 现货",
    ],
)
def test_hard_cases(kb: KnowledgeBase, text: str) -> None:
    _same(kb, text)
    _same(kb, text.upper())
    _same(kb, text.replace(" | ", " "))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("ab1 -_.,()[]{}'\"/:;·•*~+|\u3000、，。（）【】：；\t\n苯é"), max_size=30
    )
)
def test_kept_runs(kb: KnowledgeBase, text: str) -> None:
    """`TextContext.kept` places each character of `compact` where `compact_positions` does, and counts the
    kept characters before every position as a list of them would."""
    norm = normalise(text)
    kept = TextContext(norm, kb).kept
    positions = compact_positions(norm.text)
    assert [kept.at(k) for k in range(len(positions))] == positions
    assert [kept.count(p) for p in range(len(norm.text) + 1)] == [
        bisect_left(positions, p) for p in range(len(norm.text) + 1)
    ]
