"""What changed between two snapshots: vendors and offers that appeared, vanished or persisted, and
displacement from a newly controlled substance to its masked (protected) form.

Displacement is the pattern the scheduling of 4-AP and 1-boc-4-piperidone produced: the vendor who sold
4-AP before sells 1-boc-4-AP (tert-butyl 4-anilinopiperidine-1-carboxylate) after, one deprotection away.
A masked form is known two ways: the identification engine reports a match with relation `masked`
(a structure or systematic name that unmasks to the listed substance), or the knowledge base lists the
substance itself as a masked precursor whose structure unmasks to another listed one (`masked_parents`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdkit import Chem

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure.masked import unmask

SOLD_AS_ITSELF = frozenset({"listed", "salt"})
"""Relations that mean the substance itself is offered (not a derivative)."""


def masked_parents(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """For every knowledge-base substance whose structure unmasks in one step (`precwatch.core.structure.masked`)
    to another listed substance: the ids of those substances (1-boc-4-ap -> {4-ap})."""
    canonical: dict[str, str] = {}
    for s in kb.substances:
        mol = Chem.MolFromSmiles(s.smiles) if s.smiles else None
        if mol is not None:
            canonical.setdefault(Chem.MolToSmiles(mol), kb.parent(s).id)
    out: dict[str, frozenset[str]] = {}
    for s in kb.substances:
        mol = Chem.MolFromSmiles(s.smiles) if s.smiles and not s.parent else None
        if mol is None:
            continue
        found = set()
        for u in unmask(mol):
            try:
                product = Chem.Mol(u.product)
                Chem.SanitizeMol(product)
                smi = Chem.MolToSmiles(product)
            except (ValueError, RuntimeError):
                continue
            for part in smi.split("."):
                parent = canonical.get(part)
                if parent and parent != s.id:
                    found.add(parent)
        if found:
            out[s.id] = frozenset(found)
    return out


Sold = frozenset[tuple[str, str]]
"""What one listing offers: (substance id, relation) pairs from its matches."""


@dataclass(frozen=True, slots=True)
class SnapshotView:
    """One snapshot as the diff sees it: listing key -> (vendor id, what it offers)."""

    snapshot: str
    captured_at: str
    offers: Mapping[str, tuple[str, Sold]]

    def vendors(self) -> set[str]:
        return {v for v, _ in self.offers.values()}


@dataclass(frozen=True, slots=True)
class Displacement:
    """A vendor that sold `parent` in the earlier snapshot and offers its masked form `masked_as` in the later."""

    vendor_id: str
    parent: str
    masked_as: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    still_sells_parent: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "vendor_id": self.vendor_id, "from": self.parent, "to": self.masked_as,
            "listings_before": list(self.before), "listings_after": list(self.after),
            "still_sells_parent": self.still_sells_parent,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    """Vendors and offers (listing keys) that appeared, vanished or persisted from `a` to `b`."""

    a: str
    b: str
    vendors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    offers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    displacements: tuple[Displacement, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "a": self.a, "b": self.b,
            "vendors": {k: list(v) for k, v in self.vendors.items()},
            "offers": {k: list(v) for k, v in self.offers.items()},
            "displacements": [d.to_dict() for d in self.displacements],
        }  # fmt: skip


def _split(before: set[str], after: set[str]) -> dict[str, tuple[str, ...]]:
    return {
        "appeared": tuple(sorted(after - before)),
        "vanished": tuple(sorted(before - after)),
        "persisted": tuple(sorted(before & after)),
    }


def masked_forms(sold: Sold, masked_of: Mapping[str, frozenset[str]]) -> dict[str, str]:
    """Listed substances this offer sells in masked form: parent id -> what it is sold as."""
    out: dict[str, str] = {}
    for substance, relation in sold:
        if relation == "masked":
            out.setdefault(substance, f"masked {substance}")
        elif relation in SOLD_AS_ITSELF:
            for parent in masked_of.get(substance, ()):
                out.setdefault(parent, substance)
    return out


def diff_snapshots(a: SnapshotView, b: SnapshotView, masked_of: Mapping[str, frozenset[str]]) -> SnapshotDiff:
    """Compare snapshot `a` (earlier) with `b` (later)."""
    by_vendor: dict[str, tuple[dict[str, list[str]], dict[str, dict[str, list[str]]]]] = {}
    for key, (vendor, sold) in a.offers.items():
        plain, _ = by_vendor.setdefault(vendor, ({}, {}))
        for substance, relation in sold:
            if relation in SOLD_AS_ITSELF and substance not in masked_of:
                plain.setdefault(substance, []).append(key)
    after_plain: dict[str, set[str]] = {}
    for key, (vendor, sold) in b.offers.items():
        if vendor not in by_vendor:
            continue
        _, masked = by_vendor[vendor]
        for parent, form in masked_forms(sold, masked_of).items():
            masked.setdefault(parent, {}).setdefault(form, []).append(key)
        after_plain.setdefault(vendor, set()).update(s for s, r in sold if r in SOLD_AS_ITSELF)
    before_masked: dict[str, set[str]] = {}
    for vendor, sold in a.offers.values():
        before_masked.setdefault(vendor, set()).update(masked_forms(sold, masked_of))
    out = []
    for vendor, (plain, masked) in sorted(by_vendor.items()):
        for parent, forms in sorted(masked.items()):
            if parent not in plain or parent in before_masked.get(vendor, set()):
                continue
            for form, keys in sorted(forms.items()):
                out.append(
                    Displacement(
                        vendor, parent, form, tuple(sorted(plain[parent])), tuple(sorted(set(keys))),
                        parent in after_plain.get(vendor, set()),
                    )
                )  # fmt: skip
    return SnapshotDiff(
        a.snapshot,
        b.snapshot,
        vendors=_split(a.vendors(), b.vendors()),
        offers=_split(set(a.offers), set(b.offers)),
        displacements=tuple(out),
    )
