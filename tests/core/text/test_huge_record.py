"""One huge record (a 5 MB catalogue scraped as one text) is identified completely, and the linear span
look-ups give exactly what the pairwise ones gave (`quadratic_oracle`), matches and trace alike."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.match import Match
from precwatch.core.text.identify import identify_text, reference_identify_text
from tests.core.text.quadratic_oracle import oracle_identify_text
from tests.support.texts import TextGenerator

HUGE_BYTES = 5_000_000

_GOODS = (
    "cotton T-shirt 180gsm", "LED strip light 12V", "USB-C charging cable 2m braided", "hydraulic gear pump",
    "stainless steel hex bolt M8x30", "silk scarf", "rubber O-ring kit", "vitamin C face cream 30ml",
    "xanthan gum food grade", "wooden case", "PE bag inside carton", "solar panel controller",
    "deep groove ball bearing 6204-2RS", "denim fabric width 150cm", "argan oil shampoo", "wireless mouse",
)  # fmt: skip
_TAILS = (
    "Free sample", "OEM/ODM available", "Fast delivery", "Trade assurance", "Ready to ship", "厂家直销",
    "现货供应", "precio de fábrica", "envío rápido", "Payment T/T, L/C, Western Union", "Shelf life 24 months",
)  # fmt: skip


def _dicts(matches: list[Match]) -> list[dict[str, Any]]:
    return [m.to_dict() for m in matches]


def _filler(rng: random.Random) -> str:
    """A few sentences of ordinary listing prose with prices, quantities, phone and order numbers, dates."""
    parts = []
    for _ in range(rng.randint(1, 4)):
        goods = rng.choice(_GOODS)
        shape = rng.randrange(4)
        if shape == 0:
            parts.append(f"{goods}, MOQ {rng.randint(1, 500)} pcs, US${rng.randint(1, 999) / 10:g}/pc")
        elif shape == 1:
            parts.append(f"{goods.upper()} {rng.randint(1, 900)} CTNS N.W. {rng.randint(10, 20000)} KGS")
        elif shape == 2:
            parts.append(
                f"{goods} | tel +86 1{rng.randint(30, 99)} {rng.randint(0, 9999):04d} {rng.randint(0, 9999):04d}"
                f" | order {rng.randint(10**5, 10**11)} of 20{rng.randint(10, 30)}-{rng.randint(1, 12):02d}"
            )
        else:
            parts.append(f"{goods}. {rng.choice(_TAILS)}")
    return ". ".join(parts)


def _plants(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(mention, substance id) pairs that name one substance on their own in a plain listing sentence: its
    preferred name, its CAS RN, and its name misspelled by one letter."""
    out = []
    rng = random.Random(3)
    for s in kb.substances:
        if s.parent:
            continue
        name = s.preferred_name
        mentions = [name, f"CAS {s.cas}" if s.cas else ""]
        if name.isascii() and len(name) >= 10:
            i = len(name) // 2
            mentions.append(name[:i] + ("x" if name[i] != "x" else "z") + name[i + 1 :])
        for mention in filter(None, mentions):
            found = identify_text(f"Offer: {mention} 99% powder", kb)
            if [(m.substance, m.start) for m in found] == [(s.id, 7)]:
                out.append((mention, s.id))
        if len(out) > 120:
            break
    rng.shuffle(out)
    return out


def test_five_megabyte_record_is_identified_completely(kb: KnowledgeBase) -> None:
    rng = random.Random(20)
    plants = _plants(kb)
    assert len(plants) > 60
    assert {identify_text(_filler(random.Random(i)), kb) == [] for i in range(200)} == {True}
    chunks: list[str] = []
    planted: list[tuple[int, str, str]] = []  # (position of the mention, substance, mention)
    expected: list[dict[str, Any]] = []
    size = 0
    k = 0
    while size < HUGE_BYTES:
        if rng.random() < 0.004:
            mention, substance = plants[k % len(plants)]
            k += 1
            chunk = f"Offer: {mention} 99% powder"
            planted.append((size + 7, substance, mention))
            for m in identify_text(chunk, kb):  # the chunk's matches, moved to where it lies in the record
                d = m.to_dict()
                d["start"] += size
                d["end"] += size
                expected.append(d)
        else:
            chunk = _filler(rng)
        chunks.append(chunk)
        size += len(chunk) + 2
    text = "\n\n".join(chunks)
    assert len(text.encode("utf-8")) >= HUGE_BYTES
    assert len(planted) > 100

    found = identify_text(text, kb)

    at = {(m.start, m.substance) for m in found}
    missing = [p for p in planted if (p[0], p[1]) not in at]
    assert missing == []
    assert _dicts(found) == expected  # nothing else, and each match exactly as the chunk alone gives it


def _joined(kb: KnowledgeBase, seed: int, texts: int) -> str:
    """`texts` generated stress texts (names, CAS numbers in disguise, benign look-alikes, misspellings,
    class phrases...) run together into one."""
    generator = TextGenerator(kb, seed=seed)
    rng = random.Random(seed)
    return "".join(generator.text() + rng.choice(("\n", " ", "; ", "")) for _ in range(texts))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), texts=st.integers(1, 80))
def test_same_as_pairwise_lookups(kb: KnowledgeBase, seed: int, texts: int) -> None:
    text = _joined(kb, seed, texts)
    trace: list[str] = []
    oracle_trace: list[str] = []
    reference = _dicts(reference_identify_text(text, kb, trace))
    assert reference == _dicts(oracle_identify_text(text, kb, oracle_trace))
    assert trace == oracle_trace
    assert _dicts(identify_text(text, kb)) == reference


def test_same_as_pairwise_lookups_on_a_long_dense_text(kb: KnowledgeBase) -> None:
    text = _joined(kb, 11, 1_000)  # ~ 100 kB, thousands of matches, overlaps, shields and misspellings
    assert len(text) > 80_000
    found = _dicts(identify_text(text, kb))
    assert len(found) > 1_000
    assert found == _dicts(oracle_identify_text(text, kb))
