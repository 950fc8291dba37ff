"""Structure depictions (SVG) for knowledge-base entries and for matches, for reports and the web UI.

Pure functions returning SVG text; highlighting shows the atoms a match rests on (the listed
substance inside a salt or masked form, or the core a class rule matched).
"""

from __future__ import annotations

from collections.abc import Sequence

from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.match import Match
from precwatch.core.structure.read import StructureFormat, parse_structure

HIGHLIGHT = (1.0, 0.78, 0.35)
"""Amber: the colour of the atoms and bonds a match rests on."""


def depict_svg(
    structure: str | Chem.Mol,
    highlight: Sequence[int] = (),
    *,
    legend: str = "",
    size: tuple[int, int] = (360, 260),
    fmt: StructureFormat | None = None,
) -> str:
    """An SVG drawing of `structure` with `highlight` atoms (and the bonds between them) coloured.

    Raises:
        StructureError: `structure` is a string that cannot be read.
    """
    mol = parse_structure(structure, fmt) if isinstance(structure, str) else Chem.Mol(structure)
    atoms = sorted(set(highlight))
    chosen = set(atoms)
    bonds = [
        b.GetIdx() for b in mol.GetBonds() if b.GetBeginAtomIdx() in chosen and b.GetEndAtomIdx() in chosen
    ]
    drawer = rdMolDraw2D.MolDraw2DSVG(*size)
    drawer.drawOptions().addStereoAnnotation = True  # type: ignore[assignment]
    rdMolDraw2D.PrepareAndDrawMolecule(
        drawer,
        mol,
        legend=legend,
        highlightAtoms=atoms,
        highlightBonds=bonds,
        highlightAtomColors=dict.fromkeys(atoms, HIGHLIGHT),
        highlightBondColors=dict.fromkeys(bonds, HIGHLIGHT),
    )
    drawer.FinishDrawing()
    svg: str = drawer.GetDrawingText()
    return svg


def substance_svg(kb: KnowledgeBase, query: str, *, size: tuple[int, int] = (360, 260)) -> str:
    """The structure of a knowledge-base substance (by id, CAS, InChIKey or name), legend = its name.

    Raises:
        KeyError: no such substance, or it has no structure.
    """
    s = kb.lookup(query)
    if s is None or not s.smiles:
        raise KeyError(f"{query!r} is not a knowledge-base substance with a structure")
    return depict_svg(s.smiles, legend=f"{s.preferred_name} ({s.cas or 'no CAS'})", size=size)


def match_svg(
    structure: str | Chem.Mol, match: Match, *, kb: KnowledgeBase, size: tuple[int, int] = (360, 260)
) -> str:
    """The input structure of a structure match, with the listed substance (or class core) highlighted."""
    mol = parse_structure(structure) if isinstance(structure, str) else structure
    atoms: tuple[int, ...] = ()
    row = kb.by_id.get(match.substance)
    if row is not None and row.smiles:
        query = Chem.MolFromSmiles(row.smiles)
        if query is not None:
            atoms = mol.GetSubstructMatch(query)
    if not atoms and match.class_id:
        from precwatch.core.classes.classify import rule

        smarts = rule(match.class_id).smarts
        pattern = Chem.MolFromSmarts(smarts) if smarts else None
        if pattern is not None:
            atoms = mol.GetSubstructMatch(pattern)
    legend = f"{match.relation}: {match.name}" + (f" ({match.cas})" if match.cas else "")
    return depict_svg(mol, atoms, legend=legend, size=size)
