"""The batch gate (`TextGate.scan_many`, `identify_texts`) answers exactly as the per-text gate and engine:
same kinds for every text of a batch, whatever the mix of ASCII, other scripts, "|" and the separator the
batch is joined with; and the literal scanner finds the same occurrences with Hyperscan as with the automaton."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.normalise import SEPARATORS, compact, normalise
from precwatch.core.text import gate
from precwatch.core.text.detectors import standalone
from precwatch.core.text.gate import folded, text_gate
from precwatch.core.text.identify import identify_text, identify_texts
from precwatch.core.text.kept import KeptRuns, ascii_at
from precwatch.core.text.literals import Literals
from precwatch.core.text.spans import Coverage
from tests.support.texts import TextGenerator

DATA = Path(__file__).resolve().parents[2] / "data"

_CAS_SEPARATORS = "-_./\\~=·: \t"


def _one(kb: KnowledgeBase, text: str) -> int:
    """The gate's answer for one text, as `identify_text` asks it."""
    return text_gate(kb).scan(text.lower() if text.isascii() else normalise(text).text)


def _devset() -> list[str]:
    return [json.loads(line)["text"] for line in (DATA / "devset.jsonl").read_text("utf-8").splitlines()]


def test_scan_many_on_the_devset_and_a_generated_corpus(kb: KnowledgeBase) -> None:
    generator = TextGenerator(kb, seed=29)
    texts = _devset() + [generator.text() for _ in range(5_000)]
    gate = text_gate(kb)
    for size in (1, 7, 256, len(texts)):
        got = [k for i in range(0, len(texts), size) for k in gate.scan_many(texts[i : i + size])]
        assert got == [_one(kb, t) for t in texts]
    assert len({k for k in got}) > 3  # the corpus exercises several kinds of evidence, and none


_PIECES = [
    "fentanyl", "4-ANPP", "cas 79099-07-3", "79o99-o7-3", "7|9099-07-3", "CAS: 79099", "79099-07 in stock",
    "propionyl chlorid", "calcium propionate", "PE bag", "P.E.B.", "芬太尼", "N-苯乙基-4-哌啶酮", "anhydrous",
    "benzyl alcohol", "benzylfentanyl", "\x00", "|", " ", "-", "é", "ｃａｓ", "piperidone", "1-boc-4-piperidone",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), min_size=1, max_size=12))
def test_scan_many_equals_scan(kb: KnowledgeBase, texts: list[str]) -> None:
    assert text_gate(kb).scan_many(texts) == [_one(kb, t) for t in texts]


def test_identify_texts_equals_identify_text(kb: KnowledgeBase) -> None:
    generator = TextGenerator(kb, seed=31)
    texts = _devset() + [generator.text() for _ in range(3_000)] + ["", "\x00 fentanyl \x00", "x|y"]
    expected = [[m.to_dict() for m in identify_text(t, kb)] for t in texts]
    got = [[m.to_dict() for m in found] for found in identify_texts(texts, kb)]
    assert got == expected


def _folded_reference(text: str, bar: str) -> str:
    deleted = set(SEPARATORS) | set(_CAS_SEPARATORS)
    out = []
    for c in text:
        if c == "|":
            out.append(bar)
        elif c not in deleted:
            out.append({"o": "0", "i": "1", "l": "1"}.get(c, c))
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("oilOIL|01 -_./\\~=·:\t,()（）【】、。：；\u3000é苯x"), max_size=40))
def test_folded_is_a_character_by_character_fold(text: str) -> None:
    for bar in ("", "1"):
        assert folded(text, bar=bar) == _folded_reference(text, bar)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcé苯\x00"), max_size=60))
def test_literals_hyperscan_and_automaton_agree(text: str) -> None:
    words = ["a", "ab", "abc", "bca", "cc", "é", "苯a", "b"]
    fast, plain = Literals(words), Literals(words, use_hyperscan=False)
    expected = sorted(
        (i + len(w), k) for k, w in enumerate(words) for i in range(len(text)) if text.startswith(w, i)
    )
    assert sorted(fast.find(text)) == expected
    assert sorted(plain.find(text)) == expected
    ends = [end for end, _ in fast.find(text)]
    assert ends == sorted(ends)


def test_literals_refuse_an_empty_word_and_nul() -> None:
    with pytest.raises(ValueError, match="empty word"):
        Literals(["a", ""])
    with pytest.raises(ValueError, match="NUL"):
        Literals(["a", "b\x00a"])


def test_the_gate_uses_hyperscan_where_it_is_installed(kb: KnowledgeBase) -> None:
    pytest.importorskip("hyperscan")
    assert text_gate(kb).literals.vectorised


def _names_possible_reference(text: str, hits: list[Any]) -> int:
    """`_names_possible` as it was before its shortcuts: every position mapped by runs."""
    at = KeptRuns(text, gate._FOLD_DELETED).at
    spans = [(at(end - length + 1), at(end) + 1, kind, keys) for end, length, kind, keys in hits]
    if any(kind & gate._WHOLE and standalone(text, s, e) for s, e, kind, _ in spans):
        return gate._WHOLE
    stems = [s for s, _, kind, _ in spans if kind & gate._STEM]
    shields = [
        (s, e)
        for s, e, kind, keys in spans
        if kind & gate._SHIELD and compact(text[s:e]) in keys and standalone(text, s, e)
    ]
    covered = Coverage(len(text), shields)
    return gate._STEM if any(not covered.covers(p) for p in stems) else 0


_NEAR_NAMES = [
    "pyridine", "2-aminopyridine", "aniline", "anilino", "4-anilinopiperidine", "PE bag", "P.E.B.", "peb",
    "propionic acid", "propionyl", "propionylchloride", "sodium chloride", "benzyl alcohol", "benzyl",
    "piperidine", "pipe", "anhydrous", "pyridin", "an1l1ne", "|", " ", "-", "(", ")", "x", "4", "芬", "é",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NEAR_NAMES), min_size=1, max_size=8).map("".join))
def test_names_possible_shortcuts(kb: KnowledgeBase, text: str) -> None:
    g = text_gate(kb)
    norm = text.lower() if text.isascii() else normalise(text).text
    hits = []
    for end, word in g.literals.find(folded(norm, bar="")):
        kind, length, keys = g.values[word]
        if kind & (gate._WHOLE | gate._STEM | gate._SHIELD):
            hits.append((end - 1, length, kind, keys))
    assert gate._names_possible(norm, hits) == _names_possible_reference(norm, hits), norm


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1 -_.,()|'\"/:;*~+\t\n=\\"), max_size=40))
def test_ascii_at_is_the_runs_position(text: str) -> None:
    runs = KeptRuns(text, gate._FOLD_DELETED)
    kept = len(folded(text, bar=""))
    raw = text.encode("ascii")
    assert [ascii_at(raw, k, gate._ASCII_DELETE_BAR) for k in range(kept)] == [
        runs.at(k) for k in range(kept)
    ]


def test_literals_scan_in_many_threads_at_once() -> None:
    """Each thread scans with its own scratch memory (Hyperscan refuses a scratch already in use)."""
    words = ["fentanyl", "anpp", "79099073", "peb"]
    scanner = Literals(words)
    text = "anpp 79099073 fentanyl peb " * 200
    expected = sorted(scanner.find(text))

    def work(_: int) -> bool:
        return all(sorted(scanner.find(text)) == expected for _ in range(50))

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(work, range(32)))
