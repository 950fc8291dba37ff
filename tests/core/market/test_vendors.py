"""Vendor resolution: shared contacts and same normalised names link; similar names never; judgements rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.market.judgements import Judgement
from precwatch.core.market.vendors import ListingNode, name_key, resolve


def node(
    key: str, names: tuple[str, ...] = (), contacts: tuple[str, ...] = (), seen: str = "2024-01-01"
) -> ListingNode:
    return ListingNode(key, names, contacts, seen)


def groups(nodes: list[ListingNode], judgements: list[Judgement] | None = None) -> set[frozenset[str]]:
    return {frozenset(v.listings) for v in resolve(nodes, judgements or []).vendors}


def test_shared_contact_links_across_platforms_and_names() -> None:
    nodes = [
        node(
            "mic|a",
            ("Shijiazhuang Hengyu Trading Co., Ltd.",),
            ("telegram:hengyu_chem", "tel:+8615133004455"),
        ),
        node("th|1", ("HY Global Supply",), ("telegram:hengyu_chem",)),
        node("th|2", ("Other Vendor Ltd",), ("tel:+8613900000000",)),
    ]
    res = resolve(nodes)
    assert groups(nodes) == {frozenset({"mic|a", "th|1"}), frozenset({"th|2"})}
    (vendor,) = [v for v in res.vendors if len(v.listings) == 2]
    assert [link.to_dict() for link in vendor.links] == [
        {"listings": ["mic|a", "th|1"], "via": "telegram:hengyu_chem", "rule": "shared-contact"}
    ]


def test_same_normalised_name_links_but_similar_names_never() -> None:
    nodes = [
        node("a", ("Wuhan Shuokang Biological Technology Co., Ltd.",)),
        node("b", ("WUHAN SHUO KANG BIOTECH CO LTD",)),
        node("c", ("武汉硕康生物科技有限公司",)),
        node("d", ("Hubei Kangtai Biotech Co., Ltd.",)),
        node("e", ("Hubei Kangte Biotech Co., Ltd.",)),
        node("f", ("Chemical Trading Co., Ltd.",)),
        node("g", ("Chemical Trading Company Limited",)),
    ]
    assert groups(nodes) == {frozenset("abc"), frozenset("d"), frozenset("e"), frozenset("f"), frozenset("g")}


def test_generic_names_have_no_key() -> None:
    assert name_key("Chemical Trading Co., Ltd.") is None
    assert name_key("Hebei Atun Trading Co., Ltd.") == name_key("HEBEI ATUN TRADING CO LTD")


def test_judgements_split_and_join() -> None:
    nodes = [node("a", (), ("tel:+1",)), node("b", (), ("tel:+1",)), node("c", ("Zeta Alpha Co",))]
    assert groups(nodes) == {frozenset("ab"), frozenset("c")}
    different = [Judgement("a", "b", same=False)]
    res = resolve(nodes, different)
    assert {frozenset(v.listings) for v in res.vendors} == {frozenset("a"), frozenset("b"), frozenset("c")}
    assert [(r.a, r.b, r.rule) for r in res.refused] == [("a", "b", "shared-contact")]
    joined = groups(nodes, [Judgement("a", "c", same=True, note="same director")])
    assert joined == {frozenset("abc")}
    undone = groups(nodes, [Judgement("a", "b", same=False), Judgement("b", "a", same=True)])
    assert undone == {frozenset("ab"), frozenset("c")}


def test_a_different_judgement_blocks_chains_too() -> None:
    nodes = [
        node("a", (), ("tel:+1",)),
        node("m", (), ("tel:+1", "email:x@y.z")),
        node("b", (), ("email:x@y.z",)),
    ]
    res = resolve(nodes, [Judgement("a", "b", same=False)])
    assert not any({"a", "b"} <= set(v.listings) for v in res.vendors)


def test_vendor_ids_are_stable_and_anchored_on_the_earliest_listing() -> None:
    first = [node("z", (), ("tel:+1",), "2024-01-01"), node("a", (), ("tel:+1",), "2024-03-01")]
    later = [*first, node("0", (), ("tel:+1",), "2024-06-01")]
    (v1,) = resolve(first).vendors
    (v2,) = resolve(later).vendors
    assert v1.vendor_id == v2.vendor_id and v2.listings[0] == "z"


@settings(max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5)), min_size=1, max_size=40))
def test_resolution_is_the_connected_components_of_shared_keys(pairs: list[tuple[int, int]]) -> None:
    nodes = [node(f"l{i}", (), (f"tel:+{k}",)) for i, k in pairs]
    by_key: dict[int, set[str]] = {}
    for i, k in pairs:
        by_key.setdefault(k, set()).add(f"l{i}")
    assert groups(nodes) == {frozenset(v) for v in by_key.values()}
    res = resolve(list(reversed(nodes)))
    assert groups(nodes) == {frozenset(v.listings) for v in res.vendors}
