"""`misspelling_found` (the gate's last test) says yes exactly when the misspelling detector yields a
candidate, with its memo of answers by neighbourhood warm or cold, on short and on long neighbourhoods."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.normalise import normalise
from precwatch.core.text.context import NAME, TextContext
from precwatch.core.text.detectors import misspelled_names, misspelling_found
from tests.support.texts import TextGenerator

_WORDS = [
    "propionyl chlorid", "propionic anhydrous", "phenethyl bromid", "4-piperidon", "1-boc-4-piperidon",
    "anhydrous", "sodium sulfate", "calcium propionate", "benzyl chloride", "benzylchlorid", "anilino",
    "pipe fittings", "piperidine", "N-phenethyl-4-piperidone", "norfentanil", "acetyl fentanil", "fentanly",
    "(", ")", ",", " ", "  ", "-", "x" * 230, "25kg", "CAS", "99%", "'", "\"",
]  # fmt: skip


def _detector(kb: KnowledgeBase, text: str) -> bool:
    return next(misspelled_names(TextContext(normalise(text), kb, None, NAME)), None) is not None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join))
def test_same_answer_as_the_detector(kb: KnowledgeBase, text: str) -> None:
    memo: dict[tuple[str, int], bool] = {}
    expected = _detector(kb, text)
    for _ in range(2):  # cold, then warm memo
        assert misspelling_found(TextContext(normalise(text), kb, None, NAME), memo) == expected, text


def test_same_answer_on_a_generated_corpus_with_one_memo(kb: KnowledgeBase) -> None:
    generator = TextGenerator(kb, seed=41)
    memo: dict[tuple[str, int], bool] = {}
    texts = [generator.text() for _ in range(3_000)]
    answers = [misspelling_found(TextContext(normalise(t), kb, None, NAME), memo) for t in texts]
    assert answers == [_detector(kb, t) for t in texts]
    assert any(answers) and not all(answers)
    assert memo  # the neighbourhoods were remembered
