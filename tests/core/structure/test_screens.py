"""The structure engine's speed screens (class-rule gates, the unmasking skeleton screen and its minimal
query sets, the lazily written input SMILES) never change a verdict: the screened engine gives exactly the
matches of `reference_identify_structure`, which runs every class rule and every unmasking step in full.

The molecules: the structure dev set, every knowledge-base structure with its hydrochloride, each
transformation's masked example, and real molecule sets RDKit ships (the NCI 5K set, the WEHI screening
set, the ChEMBL series under RDContribDir).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdkit import RDConfig

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure.identify import (
    forget_verdicts,
    identify_structure,
    reference_identify_structure,
)
from precwatch.core.structure.masked import TRANSFORMATIONS
from precwatch.core.structure.read import StructureError

DEVSET = Path(__file__).parents[2] / "data" / "devset_structures.jsonl"


def _outcome(structure: str, kb: KnowledgeBase, *, reference: bool) -> object:
    try:
        found = (
            reference_identify_structure(structure, kb) if reference else identify_structure(structure, kb)
        )
    except StructureError as exc:
        return ("error", str(exc))
    return [m.to_dict() for m in found]


def _smi(path: str, column: int = 0, sep: str | None = None, skip: int = 0) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        rows = [line for line in fh if line.strip()][skip:]
    return [row.split(sep)[column].strip().strip('"') for row in rows]


def relevant_structures(kb: KnowledgeBase) -> list[str]:
    """The dev set's structures, the KB's structures with their hydrochlorides, the masked examples."""
    lines: list[str] = []
    for row in DEVSET.read_text(encoding="utf-8").splitlines():
        inp = json.loads(row)["input"]
        lines.extend(inp[k] for k in ("smiles", "inchi", "molblock") if k in inp)
    own = [s.smiles for s in kb.substances if s.smiles]
    lines += own + [s + ".Cl" for s in own] + [s + ".O" for s in own]
    lines += [t.example[0] for t in TRANSFORMATIONS] + ["not a smiles", "C1CC"]
    return lines


def real_molecules() -> dict[str, list[str]]:
    """Real molecule sets shipped with RDKit (no downloads)."""
    data, contrib = RDConfig.RDDataDir, RDConfig.RDContribDir
    sets = {
        "nci": _smi(os.path.join(data, "NCI", "first_5K.smi")),
        "wehi": _smi(os.path.join(data, "Pains", "test_data", "wehi_mols.csv"), sep=","),
    }
    chembl = os.path.join(contrib, "FreeWilson", "data", "CHEMBL2321810.smi")
    if os.path.exists(chembl):
        sets["chembl"] = _smi(chembl)
    return sets


def test_relevant_structures_same_as_reference(kb: KnowledgeBase) -> None:
    forget_verdicts()
    for structure in relevant_structures(kb):
        assert _outcome(structure, kb, reference=False) == _outcome(structure, kb, reference=True), structure


@pytest.mark.parametrize("name", ["nci", "wehi", "chembl"])
def test_real_molecules_same_as_reference(kb: KnowledgeBase, name: str) -> None:
    sets = real_molecules()
    if name not in sets:
        pytest.skip(f"{name} not shipped with this RDKit")
    forget_verdicts()
    differ = [s for s in sets[name] if _outcome(s, kb, reference=False) != _outcome(s, kb, reference=True)]
    assert not differ, differ[:10]
