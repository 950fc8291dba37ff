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
from rdkit.Chem import rdChemReactions

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure.index import structure_index


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


_GATES = {t.gate: Chem.MolFromSmarts(t.gate) for t in TRANSFORMATIONS}

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

    Per product kind the skeleton queries are kept minimal: a skeleton that contains another skeleton
    of the same kind is dropped, because any molecule containing the larger one contains the smaller
    one too (subgraph containment is transitive), so `any(mol contains q)` has the same answer over the
    minimal set. On the knowledge base this takes the amine skeletons from 15 to 3.
    """

    def __init__(self, parents: Iterable[Chem.Mol]) -> None:
        skeletons: dict[str, list[tuple[Chem.Mol, Chem.Mol]]] = {kind: [] for kind in PRODUCT_GROUPS}
        params = Chem.AdjustQueryParameters.NoAdjustments()
        params.makeBondsGeneric = True  # type: ignore[assignment]
        for parent in parents:
            for kind, (_, smarts) in PRODUCT_GROUPS.items():
                matches = parent.GetSubstructMatches(Chem.MolFromSmarts(smarts))
                if not matches:
                    continue
                drop = sorted({m[i] for m in matches for i in _DROP.get(kind, ())}, reverse=True)
                rw = Chem.RWMol(parent)
                for idx in drop:
                    rw.RemoveAtom(idx)
                skeleton = rw.GetMol()
                skeletons[kind].append((skeleton, Chem.AdjustQueryProperties(skeleton, params)))
        self.queries: dict[str, list[Chem.Mol]] = {k: _minimal(v) for k, v in skeletons.items()}

    def unmask(self, mol: Chem.Mol, trace: list[str] | None = None) -> Iterator[Unmasked]:
        """Like `unmask`, skipping every step no listed substance could come out of."""
        possible: dict[str, bool] = {}

        def could(kind: str) -> bool:
            if kind not in possible:
                possible[kind] = any(mol.HasSubstructMatch(q) for q in self.queries[kind])
            return possible[kind]

        yield from unmask(mol, trace, could=could)


def _minimal(skeletons: list[tuple[Chem.Mol, Chem.Mol]]) -> list[Chem.Mol]:
    """The queries of the skeletons that contain no other skeleton of the list (the first of equals kept)."""
    keep = []
    for i, (target, query) in enumerate(skeletons):
        contains_other = any(
            j != i and target.HasSubstructMatch(other) and (j < i or not skel.HasSubstructMatch(query))
            for j, (skel, other) in enumerate(skeletons)
        )
        if not contains_other:
            keep.append(query)
    return keep


def unmask(
    mol: Chem.Mol, trace: list[str] | None = None, *, could: Callable[[str], bool] | None = None
) -> Iterator[Unmasked]:
    """Every product of every step in `TRANSFORMATIONS` applied to `mol` (lazily, step by step).

    `could(kind)`, if given, is asked before a step of that kind is run; False skips it.
    """
    gates: dict[str, bool] = {}
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
        if t.gate not in gates:
            gates[t.gate] = mol.HasSubstructMatch(_GATES[t.gate])
        if not gates[t.gate] or (could is not None and not could(t.kind)):
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
