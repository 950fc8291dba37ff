"""The hash chain: intact logs verify; edits, deletions, reorderings and forks are found, by seq."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.sharing.audit_chain import GENESIS, canonical_json, entry_hash, verify


def chain(n: int) -> list[dict[str, Any]]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        e: dict[str, Any] = {
            "seq": seq,
            "at": f"2026-01-01T00:00:{seq:02d}+00:00",
            "actor_user_id": seq % 3,
            "actor_org_id": 1,
            "action": "incident.read",
            "resource": "incident",
            "resource_id": f"i{seq}",
            "request_id": f"r{seq}",
            "detail": {"tlp": "amber", "n": seq, "note": "ñ"},
        }
        e["prev_hash"], e["hash"] = prev, entry_hash(prev, e)
        prev = e["hash"]
        entries.append(e)
    return entries


def kinds(problems: list[Any]) -> dict[str, tuple[int, ...]]:
    return {p.kind: p.seqs for p in problems}


def test_canonical_json_is_stable() -> None:
    assert canonical_json({"b": 1, "a": [1, "é"]}) == '{"a":[1,"é"],"b":1}'


def test_an_intact_chain_verifies() -> None:
    entries = chain(8)
    assert verify(entries, 8, entries[-1]["hash"]) == []
    assert verify([], 0, GENESIS) == []


def test_an_edited_entry_is_named() -> None:
    entries = chain(6)
    entries[3]["detail"] = {"tlp": "green", "n": 4, "note": "ñ"}
    assert kinds(verify(entries, 6, entries[-1]["hash"])) == {"edited": (4,)}


def test_an_edited_and_rehashed_entry_breaks_the_next_link() -> None:
    entries = chain(6)
    entries[3]["actor_user_id"] = 99
    entries[3]["hash"] = entry_hash(entries[3]["prev_hash"], entries[3])
    assert kinds(verify(entries, 6, entries[-1]["hash"])) == {"broken": (5,)}


def test_a_deleted_entry_is_named() -> None:
    entries = chain(6)
    del entries[2]
    assert kinds(verify(entries, 6, entries[-1]["hash"])) == {"deleted": (3,)}


def test_entries_cut_from_the_end_are_named_through_the_head() -> None:
    entries = chain(6)
    assert kinds(verify(entries[:4], 6, entries[-1]["hash"])) == {"deleted": (5, 6)}


def test_swapped_entries_are_named() -> None:
    entries = chain(7)
    entries[4]["seq"], entries[5]["seq"] = 6, 5
    assert kinds(verify(entries, 7, entries[-1]["hash"])) == {"reordered": (5, 6)}


def test_a_fork_is_named() -> None:
    entries = chain(4)
    twin = dict(entries[3], seq=5, request_id="other")
    twin["hash"] = entry_hash(twin["prev_hash"], twin)
    found = kinds(verify([*entries, twin], 5, twin["hash"]))
    assert found["forked"] == (4, 5)


@given(st.integers(min_value=2, max_value=12), st.data())
def test_any_single_tampering_is_detected_at_the_right_seq(n: int, data: st.DataObject) -> None:
    entries = chain(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    how = data.draw(st.sampled_from(["edit", "delete", "swap"]))
    head = (n, entries[-1]["hash"])
    if how == "edit":
        field = data.draw(
            st.sampled_from(["at", "actor_user_id", "action", "resource_id", "request_id", "detail"])
        )
        entries[i][field] = "tampered"
        assert kinds(verify(entries, *head)) == {"edited": (i + 1,)}
    elif how == "delete":
        del entries[i]
        assert kinds(verify(entries, *head)) == {"deleted": (i + 1,)}
    else:
        j = (i + 1) % n
        entries[i]["seq"], entries[j]["seq"] = entries[j]["seq"], entries[i]["seq"]
        assert kinds(verify(entries, *head)) == {"reordered": tuple(sorted({i + 1, j + 1}))}


def test_a_full_rewrite_after_an_anchor_is_caught_by_the_anchor() -> None:
    entries = chain(6)
    anchor = (4, entries[3]["hash"])
    rewritten = chain(6)  # same shape, different content from seq 3 on, every hash recomputed
    prev = rewritten[1]["hash"]
    for e in rewritten[2:]:
        e["request_id"] = "forged"
        e["prev_hash"], e["hash"] = prev, entry_hash(prev, e)
        prev = e["hash"]
    assert verify(rewritten, 6, prev) == []  # self-consistent: only an outside record can tell
    assert kinds(verify(rewritten, 6, prev, [anchor])) == {"anchor": (4,)}
    assert verify(entries, 6, entries[-1]["hash"], [anchor]) == []
