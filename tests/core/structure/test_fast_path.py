"""The structure engine's fast paths (verdicts remembered by input string, no SMILES written unless
explaining) give exactly the matches of a fresh, traced run on real molecule sets RDKit ships."""

from __future__ import annotations

import os

from rdkit import RDConfig

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure.identify import identify_structure
from precwatch.core.structure.read import StructureError


def _lines() -> list[str]:
    nci = os.path.join(RDConfig.RDDataDir, "NCI", "first_5K.smi")
    with open(nci, encoding="utf-8") as fh:
        lines = [line.split()[0] for line in fh if line.strip()][:400]
    wehi = os.path.join(RDConfig.RDDataDir, "Pains", "test_data", "wehi_mols.csv")
    with open(wehi, encoding="utf-8") as fh:
        lines += [line.split(",")[0].strip('"') for line in fh if line.strip()][:400]
    return lines


def _outcome(smiles: str, kb: KnowledgeBase, *, traced: bool) -> object:
    try:
        found = identify_structure(smiles, kb, trace=[] if traced else None)
    except StructureError as exc:
        return ("error", str(exc))
    return [m.to_dict() for m in found]


def test_same_verdicts_as_a_traced_run(kb: KnowledgeBase) -> None:
    relevant = [s.smiles for s in kb.substances if s.smiles]
    lines = _lines() + relevant + [s + ".Cl" for s in relevant] + ["not a smiles", "C1CC"]
    for smiles in lines + lines:  # the second round is answered from the verdict cache
        assert _outcome(smiles, kb, traced=False) == _outcome(smiles, kb, traced=True), smiles


def test_cached_matches_are_copies(kb: KnowledgeBase) -> None:
    first = identify_structure("O=C1CCN(CCc2ccccc2)CC1", kb)
    first.clear()
    assert identify_structure("O=C1CCN(CCc2ccccc2)CC1", kb)
