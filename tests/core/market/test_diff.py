"""Snapshot diffs: appeared, vanished, persisted; displacement from a listed substance to its masked form."""

from __future__ import annotations

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.market.diff import SnapshotView, diff_snapshots, masked_parents


def test_the_kb_masked_precursors_unmask_to_their_parents(kb: KnowledgeBase) -> None:
    masked = masked_parents(kb)
    assert masked["1-boc-4-ap"] == {"4-ap"}
    assert masked["1-boc-4-piperidone"] == {"4-piperidone"}
    assert "4-ap" not in masked and "npp" not in masked


def test_appeared_vanished_persisted_and_displacement(kb: KnowledgeBase) -> None:
    a = SnapshotView("a", "2024-06-01", {
        "l1": ("V1", frozenset({("4-ap", "listed")})),
        "l2": ("V2", frozenset({("npp", "listed")})),
        "l3": ("V3", frozenset({("anpp", "listed")})),
    })  # fmt: skip
    b = SnapshotView("b", "2024-09-15", {
        "l4": ("V1", frozenset({("1-boc-4-ap", "listed")})),
        "l2": ("V2", frozenset({("npp", "listed")})),
        "l5": ("V4", frozenset({("1-boc-4-ap", "listed")})),
    })  # fmt: skip
    d = diff_snapshots(a, b, masked_parents(kb))
    assert d.vendors == {"appeared": ("V4",), "vanished": ("V3",), "persisted": ("V1", "V2")}
    assert d.offers == {"appeared": ("l4", "l5"), "vanished": ("l1", "l3"), "persisted": ("l2",)}
    assert [x.to_dict() for x in d.displacements] == [
        {"vendor_id": "V1", "from": "4-ap", "to": "1-boc-4-ap", "listings_before": ["l1"], "listings_after": ["l4"],
         "still_sells_parent": False}
    ]  # fmt: skip


def test_a_masked_match_from_the_engine_counts_as_displacement() -> None:
    a = SnapshotView("a", "1", {"l1": ("V1", frozenset({("4-ap", "listed")}))})
    b = SnapshotView("b", "2", {"l1": ("V1", frozenset({("4-ap", "listed"), ("4-ap", "masked")}))})
    (d,) = diff_snapshots(a, b, {}).displacements
    assert (d.parent, d.masked_as, d.still_sells_parent) == ("4-ap", "masked 4-ap", True)


def test_no_displacement_when_the_masked_form_was_already_sold(kb: KnowledgeBase) -> None:
    sold = frozenset({("4-ap", "listed"), ("1-boc-4-ap", "listed")})
    a = SnapshotView("a", "1", {"l1": ("V1", sold)})
    b = SnapshotView("b", "2", {"l1": ("V1", sold)})
    assert diff_snapshots(a, b, masked_parents(kb)).displacements == ()
