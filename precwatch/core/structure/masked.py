"""Masked precursors: derivatives that give a listed substance in one simple step.

Vendors sell a scheduled chemical as its Boc- or Cbz-protected twin, as an ester, a ketal or an imine,
and the buyer removes the mask in one step. `TRANSFORMATIONS` is a declarative table of those steps,
each an RDKit reaction with the chemistry that justifies it. `unmask(mol)` applies each one (at every
site it fits, as the one deprotection would) and returns the products; the caller looks them up in the
knowledge base.

Running reactions is the slow part, so `MaskedSearch` first asks a cheaper, exact question: does the
molecule contain the skeleton of a listed substance that this kind of step could produce? A masked
precursor always contains its product's skeleton (all of it for deprotections and esters; all but the
carbonyl or carboxyl oxygens for acetals, imines and nitriles). Molecules that contain none skip the step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from rdkit import Chem
from rdkit.Chem import rdChemReactions, rdMolDescriptors

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure.index import structure_index
from precwatch.core.structure.masked_queries import Sites, minimal, site_queries
from precwatch.core.structure.masked_screens import GATE_NEEDS, SHARP_GATES, CountScreen, any_of
from precwatch.core.structure.read import Composition, formula_composition
from precwatch.core.structure.standardise import has_charged_atom


@dataclass(frozen=True, slots=True)
class Transformation:
    """One unmasking step: its id, what it does, why a chemist would call it one step, and the reaction."""

    id: str
    name: str
    kind: str
    """What the product has that the masked form hides: a key of `PRODUCT_GROUPS`."""
    reaction: str
    gate: str
    justification: str
    example: tuple[str, str] = ("", "")
    """(masked SMILES, product SMILES) used by the tests."""
    _rxn: rdChemReactions.ChemicalReaction = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rxn = rdChemReactions.ReactionFromSmarts(self.reaction)
        rxn.Initialize()
        object.__setattr__(self, "_rxn", rxn)

    def apply(self, mol: Chem.Mol) -> dict[str, Chem.Mol]:
        """Each distinct product part of applying this step once, at one site, by canonical SMILES."""
        out: dict[str, Chem.Mol] = {}
        for products in self._rxn.RunReactants((mol,), maxProducts=20):
            for product in products:
                try:
                    Chem.SanitizeMol(product)
                except (ValueError, RuntimeError):
                    continue
                for frag in Chem.GetMolFrags(product, asMols=True):
                    out.setdefault(Chem.MolToSmiles(frag), frag)
        return out


_N_ACYL = "[NX3]-[CX3]=O"
TRANSFORMATIONS: tuple[Transformation, ...] = (
    Transformation(
        "n-boc-removal", "N-Boc removal", "amine",
        "[N:1]-C(=O)-O-C(-[CH3])(-[CH3])-[CH3]>>[N:1]", _N_ACYL,
        "tert-butyl carbamates fall off with acid (TFA or HCl) at room temperature: the textbook one-step "
        "deprotection, and how 1-boc-4-AP and 1-boc-4-piperidone become 4-AP and 4-piperidone.",
        ("CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1", "c1ccc(NC2CCNCC2)cc1"),
    ),
    Transformation(
        "n-cbz-removal", "N-Cbz removal", "amine",
        "[N:1]-C(=O)-O-[CH2]-c1ccccc1>>[N:1]", _N_ACYL,
        "benzyl carbamates are cleaved by catalytic hydrogenolysis (H2, Pd/C) in one step.",
        ("O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1", "c1ccc(NC2CCNCC2)cc1"),
    ),
    Transformation(
        "n-fmoc-removal", "N-Fmoc removal", "amine",
        "[N:1]-C(=O)-O-[CH2]-[CH1]1-c2ccccc2-c2ccccc21>>[N:1]", _N_ACYL,
        "fluorenylmethyl carbamates are cleaved by piperidine or another base in one step.",
        ("O=C(OCC1c2ccccc2-c2ccccc21)N1CCC(=O)CC1", "O=C1CCNCC1"),
    ),
    Transformation(
        "n-acetyl-removal", "N-acetyl removal", "amine",
        "[N:1]-C(=O)-[CH3]>>[N:1]", _N_ACYL,
        "acetamides are hydrolysed to the amine by refluxing acid or base: one step.",
        ("CC(=O)N1CCC(Nc2ccccc2)CC1", "c1ccc(NC2CCNCC2)cc1"),
    ),
    Transformation(
        "n-trifluoroacetyl-removal", "N-trifluoroacetyl removal", "amine",
        "[N:1]-C(=O)-C(F)(F)F>>[N:1]", _N_ACYL,
        "trifluoroacetamides come off with mild base (K2CO3 in methanol): one step.",
        ("O=C(N1CCC(=O)CC1)C(F)(F)F", "O=C1CCNCC1"),
    ),
    Transformation(
        "n-benzyl-removal", "N-benzyl removal", "amine",
        "[N;!$(N-C=O):1]-[CH2]-c1ccccc1>>[N:1]", "[NX3;!$(N-C=O)]-[CH2]-c",
        "N-benzyl amines are debenzylated by catalytic hydrogenolysis (H2, Pd/C) in one step; "
        "1-benzyl-4-piperidone is the classic masked 4-piperidone.",
        ("O=C1CCN(Cc2ccccc2)CC1", "O=C1CCNCC1"),
    ),
    Transformation(
        "ester-hydrolysis", "ester hydrolysis", "ester",
        "[#6:1]-[C:2](=[O:3])-!@[O:4]-[#6;!$(C=O):5]>>([#6:1]-[C:2](=[O:3])-O.[O:4]-[#6:5])",
        "[#6]-C(=O)-!@O-[#6]",
        "esters are saponified (NaOH, then acid) to the acid and the alcohol in one step; both parts "
        "are checked, so an ester of a listed acid and an ester of a listed alcohol are both found.",
        ("CCCCCOC(=O)C1(C)OC1c1ccccc1", "CC1(C(=O)O)OC1c1ccccc1"),
    ),
    Transformation(
        "acetal-hydrolysis", "acetal/ketal hydrolysis", "carbonyl",
        "[CX4:1](-[OX2:2]-[#6;!$(C=O);!a:4])(-[OX2:3]-[#6;!$(C=O);!a:5])-[#6:6]"
        ">>([C:1](=O)-[#6:6].[O:2]-[#6:4].[O:3]-[#6:5])",
        "[CX4;$(C-[#6])](-[OX2]-[#6;!a])-[OX2]-[#6;!a]",
        "acetals and ketals (dimethyl acetals, ethylene ketals) release the aldehyde or ketone with "
        "aqueous acid in one step.",
        ("C1CC2(CCN1)OCCO2", "O=C1CCNCC1"),
    ),
    Transformation(
        "imine-hydrolysis", "imine (Schiff base, oxime, hydrazone) hydrolysis", "carbonyl",
        "[CX3;!a:1]=!@[NX2;!a:2]>>([C:1]=O.[N:2])", "[CX3;!a]=!@[NX2;!a]",
        "imines, oximes and hydrazones give back the ketone or aldehyde with aqueous acid in one step.",
        ("c1ccc(N=C2CCN(CCc3ccccc3)CC2)cc1", "O=C1CCN(CCc2ccccc2)CC1"),
    ),
    Transformation(
        "nitrile-hydrolysis", "nitrile hydrolysis", "acid",
        "[#6:1]-[C:2]#[N]>>[#6:1]-[C:2](=O)-O", "[#6]-C#N",
        "nitriles are hydrolysed to the carboxylic acid by refluxing acid or base in one step (benzyl "
        "cyanide to phenylacetic acid).",
        ("N#CCc1ccccc1", "O=C(O)Cc1ccccc1"),
    ),
)  # fmt: skip
"""The masked-precursor steps tried, in order; a product that is a knowledge-base substance is a match."""

MAX_SITES = 3
"""A step is applied again to its own products up to this many times (di-Boc, diethyl ketal, ...)."""


@dataclass(frozen=True, slots=True)
class Unmasked:
    """A product of one unmasking step."""

    transformation: Transformation
    product: Chem.Mol
    sites: int


_GATES = {s: Chem.MolFromSmarts(s) for s in [t.gate for t in TRANSFORMATIONS] + list(SHARP_GATES.values())}

PRODUCT_GROUPS: dict[str, tuple[str, str]] = {
    # kind: (what a possible product has, SMARTS; the query drops the atoms after the first)
    "amine": ("a free N-H", "[NX3;H1,H2;!$(N-C=O)]"),
    "ester": ("a carboxylic acid or an alcohol", "[$([CX3](=O)[OX2H1]),$([CX4][OX2H1])]"),
    "carbonyl": ("a ketone or aldehyde (oxygen not in the query)", "[CX3;!$(C-[O,N,S])]=[OX1]"),
    "acid": ("a carboxylic acid (oxygens not in the query)", "[CX3](=[OX1])[OX2H1]"),
}
_DROP = {"carbonyl": (1,), "acid": (1, 2)}


class MaskedSearch:
    """Unmasking restricted to steps whose product could be one of `parents` (the listed structures).

    Screens, each a necessary condition for a step to give a listed substance, the cheaper first:

    - the step's sharp gate (`SHARP_GATES`) in place of its generic one;
    - for the steps whose product is known atom for atom (`EXACT_STEPS`), the product's heavy-atom
      composition is a listed parent's (`CountScreen`, read off the molecular formula);
    - per product kind: the molecule contains the skeleton of a listed parent of that kind
      (`PRODUCT_GROUPS`);
    - per step (every step but ester hydrolysis, see `masked_queries.site_queries`): the molecule contains a listed parent, minus
      the atoms the step would add, with the atoms the step cuts off still bonded at a site atom. A
      deprotection cuts the N-C bond of its protecting group, so N-acetylpiperidine contains
      piperidine with a carbon on its nitrogen; an imine hydrolysis cuts C=N, so the carbonyl side is
      the parent without its carbonyl oxygen and with a nitrogen on that carbon.

    Each query set is kept minimal: a query that contains another query of the same set is dropped,
    because a molecule containing the larger one contains the smaller one too (containment is
    transitive), so `any(mol contains q)` has the same answer. Query atoms match the element only and
    bonds any bond order, so aromaticity or bond orders changed by a step cannot hide a parent.
    """

    def __init__(self, parents: Iterable[Chem.Mol]) -> None:
        parents = list(parents)
        skeletons: dict[str, list[Chem.Mol]] = {kind: [] for kind in PRODUCT_GROUPS}
        for parent in parents:
            for kind, (_, smarts) in PRODUCT_GROUPS.items():
                matches = parent.GetSubstructMatches(Chem.MolFromSmarts(smarts))
                if not matches:
                    continue
                drop = sorted({m[i] for m in matches for i in _DROP.get(kind, ())}, reverse=True)
                rw = Chem.RWMol(parent)
                for idx in drop:
                    rw.RemoveAtom(idx)
                skeletons[kind].append(rw.GetMol())
        self.queries: dict[str, list[Chem.Mol]] = {k: minimal(v) for k, v in skeletons.items()}
        self.step_queries: dict[str, list[Chem.Mol]] = {}
        by_sites: dict[object, list[Chem.Mol]] = {}  # steps that cut and add the same atoms share queries
        for t in TRANSFORMATIONS:
            if t.kind == "ester":
                continue
            shape = _sites(t)
            if shape not in by_sites:
                by_sites[shape] = minimal(site_queries(shape, parents))
            self.step_queries[t.id] = by_sites[shape]
        self.counts = CountScreen(
            (formula_composition(rdMolDescriptors.CalcMolFormula(p)) for p in parents),
            {t.id: t._rxn for t in TRANSFORMATIONS},
            MAX_SITES,
        )
        sets = (*self.queries.values(), *self.step_queries.values())
        self.catalogs = {id(queries): any_of(queries) for queries in sets}  # `any` over a set, one call

    def unmask(
        self,
        mol: Chem.Mol,
        trace: list[str] | None = None,
        *,
        formula: str | None = None,
        atoms: Composition | None = None,
        neutral: bool = False,
    ) -> Iterator[Unmasked]:
        """Like `unmask`, skipping every step no listed substance could come out of.

        `formula` (the molecule's `CalcMolFormula`) or `atoms` (its heavy-atom composition), if already
        known, save writing them again; `neutral` True says the molecule is known to have no charged
        atom (`Standardised.neutral`), which saves asking. For each step the screens are asked in
        this order, each a necessary condition of a listed product, the cheaper first: the count screen
        (exact steps: one dictionary look-up, so the step's gate is not searched when it refuses), the
        atoms the step's sharp gate needs (`GATE_NEEDS`, from the same composition), the sharp gate,
        then the product-kind and step skeletons. Asking the same necessary
        conditions in another order skips the same steps.
        """
        possible: dict[int, bool] = {}
        allowed: list[frozenset[str]] = []  # the exact steps the count screen lets through, when asked
        charged: list[bool] = []

        known: list[Composition] = [atoms] if atoms else []

        def composition() -> Composition:
            if not known:
                known.append(formula_composition(formula or rdMolDescriptors.CalcMolFormula(mol)))
            return known[0]

        no: list[tuple[int, int]] = []  # (nitrogens, oxygens), when asked

        def nitrogens_oxygens() -> tuple[int, int]:
            if not no:
                counts = dict(composition())
                no.append((counts.get(7, 0), counts.get(8, 0)))
            return no[0]

        def counts_allow(t: Transformation) -> bool:
            if not self.counts.covers(t.id):
                return True
            if not allowed:
                allowed.append(self.counts.steps_for(composition()))
            if t.id in allowed[0]:
                return True
            if neutral:  # (the screen holds for a molecule without a charged atom)
                return False
            if not charged:
                charged.append(has_charged_atom(mol))
            return charged[0]

        def holds(queries: list[Chem.Mol]) -> bool:
            if id(queries) not in possible:
                possible[id(queries)] = self.catalogs[id(queries)].HasMatch(mol)
            return possible[id(queries)]

        def could(t: Transformation) -> bool:
            steps = self.step_queries.get(t.id)
            return holds(self.queries[t.kind]) and (not steps or holds(steps))

        gates: dict[str, bool] = {}

        def gate(t: Transformation) -> bool:
            if not counts_allow(t):
                return False
            smarts = SHARP_GATES.get(t.id, t.gate)
            if smarts not in gates:
                needs = GATE_NEEDS.get(smarts)
                have = nitrogens_oxygens()
                if needs is not None and (have[0] < needs[0] or have[1] < needs[1]):
                    gates[smarts] = False
                else:
                    gates[smarts] = mol.HasSubstructMatch(_GATES[smarts])
            return gates[smarts]

        yield from unmask(mol, trace, could=could, gate=gate)


def _sites(t: Transformation) -> Sites:
    """Step `t` read off its reaction: (sites, added atoms).

    A site is a mapped reactant atom that loses a bond in the step (to an atom the step removes, or to
    a mapped atom on another product part): (its element, the elements it is cut from, whether the
    step adds an atom to it). An added atom is an unmapped product atom bonded to a mapped one:
    (element of the mapped atom, bond SMARTS, element of the added atom).
    """
    rxn = t._rxn
    kept: set[frozenset[int]] = set()
    added: list[tuple[int, str, int]] = []
    receives: set[int] = set()
    bond_smarts = {Chem.BondType.SINGLE: "-", Chem.BondType.DOUBLE: "=", Chem.BondType.TRIPLE: "#"}
    for product in rxn.GetProducts():
        for bond in product.GetBonds():
            a, b = bond.GetBeginAtom(), bond.GetEndAtom()
            if a.GetAtomMapNum() and b.GetAtomMapNum():
                kept.add(frozenset((a.GetAtomMapNum(), b.GetAtomMapNum())))
            elif a.GetAtomMapNum() or b.GetAtomMapNum():
                site, new = (a, b) if a.GetAtomMapNum() else (b, a)
                added.append(
                    (site.GetAtomicNum(), bond_smarts.get(bond.GetBondType(), "~"), new.GetAtomicNum())
                )
                receives.add(site.GetAtomMapNum())
    sites: list[tuple[int, tuple[int, ...], bool]] = []
    for atom in rxn.GetReactantTemplate(0).GetAtoms():
        n = atom.GetAtomMapNum()
        if not n:
            continue
        cut = tuple(
            nb.GetAtomicNum()
            for nb in atom.GetNeighbors()
            if not nb.GetAtomMapNum() or frozenset((n, nb.GetAtomMapNum())) not in kept
        )
        if cut:
            sites.append((atom.GetAtomicNum(), cut, n in receives))
    return tuple(sites), tuple(added)


def unmask(
    mol: Chem.Mol,
    trace: list[str] | None = None,
    *,
    could: Callable[[Transformation], bool] | None = None,
    gate: Callable[[Transformation], bool] | None = None,
) -> Iterator[Unmasked]:
    """Every product of every step in `TRANSFORMATIONS` applied to `mol` (lazily, step by step).

    `gate(t)`, if given, replaces the check of step `t`'s own `gate` (False only where no product of the
    step can be what the caller looks for: the screened search asks its count screen there, then a
    sharp gate that holds wherever the step's reaction applies); `could(t)`, if given, is asked next;
    False from either skips the step.
    """
    gates: dict[str, bool] = {}

    def opens(t: Transformation) -> bool:
        if gate is not None:
            return gate(t)
        if t.gate not in gates:
            gates[t.gate] = mol.HasSubstructMatch(_GATES[t.gate])
        return gates[t.gate]

    n_atoms = mol.GetNumAtoms()
    start: list[str] = []  # the input's canonical SMILES, written only when a product could equal it

    def is_input(key: str, product: Chem.Mol) -> bool:
        # Equal canonical SMILES need equal atom counts, so most products skip writing the input's SMILES.
        if product.GetNumAtoms() != n_atoms:
            return False
        if not start:
            start.append(Chem.MolToSmiles(mol))
        return key == start[0]

    for t in TRANSFORMATIONS:
        if not opens(t) or (could is not None and not could(t)):
            continue
        frontier, seen = [mol], set()
        for sites in range(1, MAX_SITES + 1):
            produced = []
            for m in frontier:
                for key, p in t.apply(m).items():
                    if key not in seen and not is_input(key, p):
                        seen.add(key)
                        produced.append(p)
                        yield Unmasked(t, p, sites)
            if not produced:
                break
            frontier = produced
        if trace is not None:
            trace.append(f"masked: {t.name} applies ({len(seen)} product parts)")


def masked_search(kb: KnowledgeBase) -> MaskedSearch:
    """Unmasking steps restricted to those that can give one of the KB's listed parents (built on first use)."""
    return kb.derived("masked-search", lambda k: MaskedSearch(m for _, m in structure_index(k).parents))
