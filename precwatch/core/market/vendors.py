"""Vendor resolution: which listings, across names, snapshots and platforms, are one seller.

The resolver is key grouping plus union-find, so it runs in one pass over any number of listings and maps
directly onto Spark (group by key, then connected components; see docs/market.md):

1. every listing gets link keys from the rules in `LINK_RULES` (a shared phone, handle, e-mail, wallet or
   web site; the same normalised company name);
2. listings sharing a key are linked (each to the first listing with that key: a star, not a clique);
3. analyst judgements (`precwatch.core.market.judgements`) come first: `same` pairs are linked, and no link
   may join two listings judged `different` (it is refused and reported);
4. the connected components are the vendors. Each vendor keeps the links that built it, each with its
   evidence `{"listings": [a, b], "via": ..., "rule": ...}`.

Similar names alone never link: "Hubei Amarvel Biotech" and "Hubei Amarvell Biotech" may be two companies,
so names link only when they normalise to the same key. A vendor's id is derived from its anchor listing
(the earliest seen, then the smallest key), so ids stay stable from run to run while the vendor persists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from precwatch.core.market.judgements import Judgement, effective
from precwatch.core.parties.companies import normalise_name, token_class


@dataclass(frozen=True, slots=True)
class ListingNode:
    """What the resolver needs of a listing: its key, seller names, contact keys (`Contact.key`) and the
    date it was first seen."""

    key: str
    names: tuple[str, ...] = ()
    contact_keys: tuple[str, ...] = ()
    first_seen: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """One piece of evidence that two listings are one vendor."""

    a: str
    b: str
    via: str
    rule: str

    def to_dict(self) -> dict[str, object]:
        return {"listings": [self.a, self.b], "via": self.via, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Vendor:
    """A resolved vendor: its stable id, member listing keys (anchor first) and the links between them."""

    vendor_id: str
    listings: tuple[str, ...]
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Resolution:
    """The vendors, the vendor of every listing key, and links refused because of a `different` judgement."""

    vendors: tuple[Vendor, ...]
    vendor_of: dict[str, str]
    refused: tuple[Link, ...] = ()


def shared_contact(node: ListingNode) -> Iterator[tuple[str, str]]:
    """Two listings give the same phone number (also as WhatsApp, Signal or WeChat number), messenger
    handle, e-mail address, crypto wallet or web site: whoever answers it sells both."""
    for key in node.contact_keys:
        yield key, key


@lru_cache(maxsize=1 << 18)
def name_keys(name: str) -> tuple[str, ...]:
    """The keys of a company name for linking (none when the name cannot identify a company).

    Legal forms are stripped, business words brought to one spelling, Chinese read as pinyin, case,
    accents and spacing ignored ("Wuhan Shuokang Biological Technology Co., Ltd." = "WUHAN SHUO KANG
    BIOTECH CO LTD" = "武汉硕康生物科技有限公司"); a second key ignores word order ("Jiuzhou Chemical
    (Hebei) Co." = "Hebei Jiuzhou Chemical Co."). Only a company's name gets keys: it needs a distinctive
    word and either a legal form or a business word, so a sales contact's name ("Lily", "Amy Wang") or an
    all-generic name ("Chemical Trading Co.") links nothing.
    """
    norm = normalise_name(name)
    words = norm.words
    classes = [token_class(w) for w in words]
    distinctive = any(c == "word" and not w.isdigit() for w, c in zip(words, classes, strict=True))
    if not distinctive or not (norm.legal_forms or "generic" in classes):
        return ()
    spaced, unordered = "".join(words), "".join(sorted(words))
    return (spaced,) if spaced == unordered else (spaced, "~" + unordered)


def name_key(name: str) -> str | None:
    """The main key of a company name (`name_keys`), or None."""
    keys = name_keys(name)
    return keys[0] if keys else None


def same_company_name(node: ListingNode) -> Iterator[tuple[str, str]]:
    """Two listings are sold under the same company name once normalised (`name_keys`): legal forms,
    business-word spellings, pinyin, spacing and word order aside. Names that are merely similar never link."""
    for name in node.names:
        for key in name_keys(name):
            yield "name:" + key, name


KeyRule = Callable[[ListingNode], Iterable[tuple[str, str]]]
LINK_RULES: dict[str, KeyRule] = {
    "shared-contact": shared_contact,
    "same-company-name": same_company_name,
}
"""Every link rule by name: each gives a listing's link keys, as (key, what to show as `via`)."""


class _Components:
    """Union-find (path halving, union by size) with cannot-link constraints for judged pairs."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n
        self.forbid: dict[int, set[int]] = {}
        self.marked: dict[int, set[int]] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def forbid_pair(self, a: int, b: int) -> None:
        for x, y in ((a, b), (b, a)):
            self.forbid.setdefault(x, set()).add(y)
            self.marked.setdefault(x, {x})

    def union(self, a: int, b: int) -> bool | None:
        """Join the components of a and b: True if joined, False if already one, None if forbidden."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.forbid and self._conflict(ra, rb):
            return None
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        if rb in self.forbid:
            self.forbid.setdefault(ra, set()).update(self.forbid.pop(rb))
        if rb in self.marked:
            self.marked.setdefault(ra, set()).update(self.marked.pop(rb))
        return True

    def _conflict(self, ra: int, rb: int) -> bool:
        fa, fb = self.forbid.get(ra, set()), self.forbid.get(rb, set())
        ma, mb = self.marked.get(ra, set()), self.marked.get(rb, set())
        return bool(fa & mb or fb & ma)


def vendor_id(anchor: str) -> str:
    """The stable id of the vendor anchored at listing key `anchor`."""
    return "V" + hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:12]


def resolve(nodes: Sequence[ListingNode], judgements: Iterable[Judgement] = ()) -> Resolution:
    """Resolve listings into vendors (see the module docstring). Listings named in judgements but absent
    from `nodes` are ignored."""
    index = {n.key: i for i, n in enumerate(nodes)}
    comps = _Components(len(nodes))
    accepted: list[tuple[int, int, str, str]] = []
    refused: list[Link] = []
    judged = effective(judgements)
    for (a, b), j in judged.items():
        if a in index and b in index and not j.same:
            comps.forbid_pair(index[a], index[b])
    for (a, b), j in judged.items():
        if a in index and b in index and j.same:
            if comps.union(index[a], index[b]) is None:
                refused.append(Link(a, b, j.note or "analyst", "analyst-same"))
            else:
                accepted.append((index[a], index[b], j.note or "analyst", "analyst-same"))
    for rule, keys_of in LINK_RULES.items():
        first: dict[str, int] = {}
        for i, node in enumerate(nodes):
            for key, via in keys_of(node):
                j0 = first.setdefault(key, i)
                if j0 == i:
                    continue
                joined = comps.union(j0, i)
                if joined:
                    accepted.append((j0, i, via, rule))
                elif joined is None:
                    refused.append(Link(nodes[j0].key, node.key, via, rule))
    return _vendors(nodes, comps, accepted, refused)


def _vendors(
    nodes: Sequence[ListingNode],
    comps: _Components,
    accepted: list[tuple[int, int, str, str]],
    refused: list[Link],
) -> Resolution:
    members: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        members.setdefault(comps.find(i), []).append(i)
    links: dict[int, list[Link]] = {}
    for a, b, via, rule in accepted:
        links.setdefault(comps.find(a), []).append(Link(nodes[a].key, nodes[b].key, via, rule))
    vendors = []
    vendor_of: dict[str, str] = {}
    for root, idx in members.items():
        keys = sorted((nodes[i].first_seen or "9999", nodes[i].key) for i in idx)
        vid = vendor_id(keys[0][1])
        ordered = tuple(k for _, k in keys)
        vendors.append(Vendor(vid, ordered, tuple(links.get(root, ()))))
        for k in ordered:
            vendor_of[k] = vid
    vendors.sort(key=lambda v: v.vendor_id)
    return Resolution(tuple(vendors), vendor_of, tuple(refused))
