"""Cheap screens for the masked-precursor search that run before its skeleton screens.

Two necessary conditions, each implied by a step giving a listed substance (`MaskedSearch` asks them;
the reference `unmask` does not):

- `SHARP_GATES`: a substructure every molecule the step's reaction applies to contains;
- `CountScreen`: for the steps whose product is known atom for atom, the product's heavy-atom
  composition, read off the molecular formula, must be a listed parent's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from rdkit import Chem
from rdkit.Chem import FilterCatalog, rdChemReactions

from precwatch.core.structure.read import Composition

_N_DEPROTECTION = "N-C(=O)-[CH3,O,$(C(F)(F)F)]"
_N_CARBAMATE_OCH2 = "O(-[CH2]-[#6])-C(=O)-N"
SHARP_GATES: dict[str, str] = {
    "n-boc-removal": _N_DEPROTECTION,
    "n-cbz-removal": _N_CARBAMATE_OCH2,
    "n-fmoc-removal": _N_CARBAMATE_OCH2,
    "n-acetyl-removal": _N_DEPROTECTION,
    "n-trifluoroacetyl-removal": _N_DEPROTECTION,
    "n-benzyl-removal": "N-[CH2]-c1ccccc1",
    "ester-hydrolysis": "O=C(-[#6])-!@O-[#6]",
    "acetal-hydrolysis": "[OX2](-[#6;!a])-[CX4]-[OX2]-[#6;!a]",
    "imine-hydrolysis": "[NX2;!a]=!@[CX3;!a]",
    "nitrile-hydrolysis": "N#C-[#6]",
}
"""Sharper gates the screened search asks instead of a step's own `gate` (by step id).

Each holds for every molecule the step's reaction applies to, because the step's reactant template
contains it atom for atom and bond for bond (with the same or looser atom and bond tests):

- the five N-acyl removals all start `N-C(=O)-` followed by the protecting group's next atom, an ester
  oxygen (Boc, Cbz, Fmoc), a methyl (acetyl) or a CF3 carbon (trifluoroacetyl). The generic N-acyl
  gate (`[NX3]-[CX3]=O`) admits every amide, about half of ordinary molecules; this one admits
  acetamides and carbamates only (about one in twenty), so the amine skeleton screens run far less often.
  The screened search asks it only for Boc, acetyl and trifluoroacetyl removal, after their count
  screen (`CountScreen.steps_for`), which refuses nearly every molecule, so it is seldom searched;
- Cbz and Fmoc removal: `N-C(=O)-O-CH2-` and the next carbon (the benzylic CH2 and its ring carbon, the
  fluorenylmethyl CH2 and its CH): both templates contain it atom for atom and bond for bond (their
  `c` and `[CH1]` are carbons), written from the ester oxygen. Non-recursive, so cheaper than the shared
  gate (about 4.9 us against 8.2 on a WEHI molecule), and sharper (one WEHI molecule in sixty passes it
  against one in twenty for the shared gate: ethyl, benzyl and Fmoc carbamates, not acetamides);
- N-benzyl removal: its template without the test that the nitrogen is not an amide's (a recursive
  test that costs a second search);
- ester, imine and nitrile hydrolysis: the step's own gate written from its rarest atom (an oxygen or
  nitrogen rather than any carbon): the same atoms and bonds, so the same answer, found in fewer tries;
- acetal hydrolysis: the step's gate from an oxygen, without the recursive test that the central carbon
  has a carbon neighbour.
"""

GATE_NEEDS: dict[str, tuple[int, int]] = {
    _N_DEPROTECTION: (1, 1),
    _N_CARBAMATE_OCH2: (1, 2),
    "N-[CH2]-c1ccccc1": (1, 0),
    "O=C(-[#6])-!@O-[#6]": (0, 2),
    "[OX2](-[#6;!a])-[CX4]-[OX2]-[#6;!a]": (0, 2),
    "[NX2;!a]=!@[CX3;!a]": (1, 0),
    "N#C-[#6]": (1, 0),
}
"""(nitrogens, oxygens) each sharp gate needs at least, counted from the atoms its SMARTS writes as that
element (`N`, `O`, `[NX2;!a]`, `[OX2]`; not `[CH3,O,...]`, which may be a carbon): each such pattern
atom maps to a distinct molecule atom of that element, so a molecule with fewer cannot contain the gate
and the search is skipped, answered from the composition the count screen already read. One WEHI
molecule in three has fewer than two oxygens (ester, acetal, Cbz/Fmoc gates); two NCI molecules in five
have no nitrogen."""

EXACT_STEPS: tuple[str, ...] = (
    "n-boc-removal",
    "n-acetyl-removal",
    "n-trifluoroacetyl-removal",
    "nitrile-hydrolysis",
)
"""Steps whose product is the input minus the template's unmapped atoms plus the atoms it creates, at
each site, whenever the molecule has no charged atom.

A reaction drops the template atoms it does not map, and with them anything bonded only through them.
In these four steps every dropped atom is saturated within the template when uncharged: the carbamate
or amide carbon (bonded to N, =O and its third group), the ester and carbonyl oxygens, the tert-butyl
carbon and its three methyls, the CF3 carbon and its fluorines, the nitrile nitrogen (triple-bonded to
its carbon). A further neighbour would need a formal charge (an oxonium oxygen, a nitrilium nitrogen),
so in a molecule with no charged atom nothing else is lost: after k sites the product's composition is
the input's minus k times the dropped atoms plus k times the created ones (O2 for a nitrile, none for
the removals). The exact look-up needs an equal molecular formula, hence an equal composition.
"""


def any_of(queries: Sequence[Chem.Mol]) -> FilterCatalog.FilterCatalog:
    """The queries in one FilterCatalog: `any_of(queries).HasMatch(mol)` answers
    `any(mol.HasSubstructMatch(q) for q in queries)` in one call.

    A SMARTS matcher with a minimum count of one asks exactly `HasSubstructMatch` (same matcher, same
    defaults: no chirality, recursion allowed), and the catalog stops at its first matching entry as `any`
    stops at its first true query. It saves the Python round trip per query: the skeleton and step
    query sets hold up to 48 queries, nearly all absent from a molecule that reaches them, and each
    absent one was a call (a quarter to a third less CPU on those sets, measured on the WEHI set).
    """
    catalog = FilterCatalog.FilterCatalog()
    for i, q in enumerate(queries):
        catalog.AddEntry(FilterCatalog.FilterCatalogEntry(str(i), FilterCatalog.SmartsMatcher(str(i), q, 1)))
    return catalog


def step_change(rxn: rdChemReactions.ChemicalReaction) -> tuple[Counter[int], Counter[int]]:
    """(heavy atoms a step drops: the unmapped reactant-template atoms, heavy atoms it creates: the
    unmapped product-template atoms), by atomic number."""
    dropped = Counter(
        a.GetAtomicNum()
        for r in rxn.GetReactants()
        for a in r.GetAtoms()
        if not a.GetAtomMapNum() and a.GetAtomicNum() > 1
    )
    created = Counter(
        a.GetAtomicNum()
        for p in rxn.GetProducts()
        for a in p.GetAtoms()
        if not a.GetAtomMapNum() and a.GetAtomicNum() > 1
    )
    return dropped, created


class CountScreen:
    """Whether an `EXACT_STEPS` step applied at 1..`max_sites` sites could give a listed composition."""

    def __init__(
        self,
        compositions: Iterable[Composition],
        reactions: Mapping[str, rdChemReactions.ChemicalReaction],
        max_sites: int,
    ) -> None:
        self.compositions = set(compositions)
        self.max_sites = max_sites
        self.changes = {step: step_change(reactions[step]) for step in EXACT_STEPS if step in reactions}
        self.inputs: dict[Composition, frozenset[str]] = _inputs(self.compositions, self.changes, max_sites)
        """Each input composition from which some exact step can give a listed one, to those steps."""

    def steps_for(self, composition: Composition) -> frozenset[str]:
        """The `EXACT_STEPS` steps for which `possible` answers True on an uncharged molecule of this
        heavy-atom composition, in one dictionary look-up (see `_inputs` for why it is the same answer)."""
        return self.inputs.get(composition, frozenset())

    def covers(self, step: str) -> bool:
        """True when `possible` can answer for this step."""
        return step in self.changes

    def possible(self, step: str, counts: Mapping[int, int]) -> bool:
        """Some number of sites gives a listed composition from an uncharged molecule of these counts."""
        dropped, created = self.changes[step]
        change = {z: created.get(z, 0) - dropped.get(z, 0) for z in {*dropped, *created}}
        for k in range(1, self.max_sites + 1):
            if any(counts.get(z, 0) < k * n for z, n in dropped.items()):
                return False  # (fewer than k sites: the reaction stops before)
            after = dict(counts)
            for z, n in change.items():
                after[z] = after.get(z, 0) + k * n
            if tuple(sorted((z, n) for z, n in after.items() if n > 0)) in self.compositions:
                return True
        return False


def _inputs(
    compositions: Iterable[Composition],
    changes: Mapping[str, tuple[Counter[int], Counter[int]]],
    max_sites: int,
) -> dict[Composition, frozenset[str]]:
    """`CountScreen.possible` turned around: the input compositions it accepts, step by step.

    `possible(step, counts)` is True exactly when for some k in 1..max_sites the input has at least k
    times the atoms the step drops (`counts >= k * dropped`) and `counts + k * (created - dropped)` is a
    listed composition P. When the first condition holds every count after the change is zero or more,
    so the composition after is P exactly when the counts after equal P's, that is when
    `counts = P - k * (created - dropped)`. So the accepted inputs are, for each listed P and each k,
    `P - k * change` whenever it has no negative count and holds at least k times the dropped atoms;
    a molecule's composition (positive counts only) is in that set exactly when `possible` accepts it.
    """
    found: dict[Composition, set[str]] = {}
    for step, (dropped, created) in changes.items():
        change = Counter(created)
        change.subtract(dropped)
        for listed in compositions:
            for k in range(1, max_sites + 1):
                counts = Counter(dict(listed))
                counts.subtract({z: k * n for z, n in change.items()})
                if any(n < 0 for n in counts.values()):
                    continue
                if any(counts[z] < k * n for z, n in dropped.items()):
                    continue
                key = tuple(sorted((z, n) for z, n in counts.items() if n > 0))
                found.setdefault(key, set()).add(step)
    return {key: frozenset(steps) for key, steps in found.items()}
