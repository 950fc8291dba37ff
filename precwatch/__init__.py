"""precwatch: find and stop fentanyl-precursor trafficking.

The curated public API::

    import precwatch
    kb = precwatch.load_kb()
    for m in precwatch.identify_text("CAS 79O99-07-3, 99% purity"):
        print(m.substance, m.relation, m.confidence, m.evidence)
    for m in precwatch.identify_structure("O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1"):
        print(m.substance, m.relation, m.transformation, m.classes)   # 4-ap masked n-cbz-removal
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from precwatch.core.kb.knowledge import KnowledgeBase, KnowledgeBaseError
from precwatch.core.kb.substance import Control, Names, Substance
from precwatch.core.match import Match
from precwatch.core.structure.identify import identify_structure as _identify_structure
from precwatch.core.structure.read import StructureError
from precwatch.core.text.identify import NameResolver
from precwatch.core.text.identify import identify_text as _identify_text

if TYPE_CHECKING:
    from rdkit import Chem

__version__ = "0.1.0"
__all__ = [
    "Control",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Match",
    "Names",
    "StructureError",
    "Substance",
    "__version__",
    "identify_structure",
    "identify_text",
    "load_kb",
]


def load_kb(path: str | None = None) -> KnowledgeBase:
    """The bundled knowledge base (or one read from a YAML file of the same shape); cached."""
    from precwatch.data import load_kb as _load

    return _load(path)


def identify_text(
    text: str, kb: KnowledgeBase | None = None, resolver: NameResolver | None = None
) -> list[Match]:
    """Every mention of a controlled substance in `text` (see `precwatch.core.text.identify.identify_text`).

    Uses the bundled knowledge base unless `kb` is given. Pass `resolver=precwatch.io.opsin.Opsin()`
    to convert systematic names to structures.
    """
    return _identify_text(text, kb if kb is not None else load_kb(), resolver=resolver)


def identify_structure(structure: str | Chem.Mol, kb: KnowledgeBase | None = None) -> list[Match]:
    """Listed substances, salts, masked precursors, class members and analogues in one structure
    (SMILES, InChI, MOL block or RDKit molecule); see `precwatch.core.structure.identify`.

    Raises:
        StructureError: the structure cannot be read.
    """
    return _identify_structure(structure, kb if kb is not None else load_kb())
