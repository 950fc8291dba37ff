"""The phrase scan is linear in the text: a text with a hundred thousand hits is scanned in one pass."""

from __future__ import annotations

from precwatch.core.text.phrases import PhraseScanner, fold


def test_a_longer_phrase_hides_the_shorter_one_inside_it() -> None:
    scanner = PhraseScanner(
        {"vague": ["intermediate", "pharmaceutical intermediate"], "seller": ["safe delivery"]}
    )
    hits = scanner.scan(fold("Pharmaceutical-Intermediate, SAFE   delivery; intermediate"))
    assert [(h.list_name, h.phrase) for h in hits] == [
        ("vague", "pharmaceutical intermediate"), ("seller", "safe delivery"), ("vague", "intermediate"),
    ]  # fmt: skip


def test_a_huge_text_with_many_hits_finishes_and_keeps_every_maximal_hit() -> None:
    scanner = PhraseScanner({"vague": ["intermediate", "pharmaceutical intermediate"]})
    unit = "pharmaceutical intermediate and intermediate "
    hits = scanner.scan(fold(unit * 50_000))  # 2.2 MB, 100,000 hits: quadratic code never finishes
    assert len(hits) == 100_000
    assert {h.phrase for h in hits[:2]} == {"pharmaceutical intermediate", "intermediate"}
