"""Calibrate the analogue threshold: nearest-listed similarity of benign molecules vs known analogues.

Background: RDKit's bundled NCI set (5,000 ordinary molecules; those that are listed, masked or class
members are set aside). Look-alikes: `BENIGN_LOOKALIKES`. Analogues: close relatives an analyst wants
to review. Prints JSON; the chosen threshold must exceed every look-alike and the 99.9th percentile of
the background while keeping the analogues.

    .venv/bin/python tools/calibrate_analogues.py
"""

from __future__ import annotations

import json
import os

from rdkit import Chem, RDConfig

from precwatch.core.structure.analogues import ANALOG_THRESHOLD, BENIGN_LOOKALIKES, analogue_index
from precwatch.core.structure.identify import identify_structure
from precwatch.core.structure.standardise import standardise
from precwatch.data import load_kb

ANALOGUES = (
    ("4-fluoro-NPP", "O=C1CCN(CCc2ccc(F)cc2)CC1"),
    ("3-methyl-NPP", "CC1CN(CCc2ccccc2)CCC1=O"),
    ("N-phenethyl-4-piperidinol", "OC1CCN(CCc2ccccc2)CC1"),
    ("4-fluoro-ANPP", "Fc1ccc(NC2CCN(CCc3ccccc3)CC2)cc1"),
    ("phenethyl chloride", "ClCCc1ccccc1"),
    ("phenethyl iodide", "ICCc1ccccc1"),
    ("4-methyl-BMK", "CC(=O)Cc1ccc(C)cc1"),
    ("1-phenyl-2-butanone", "CCC(=O)Cc1ccccc1"),
    ("N-methyl-norfentanyl", "CCC(=O)N(c1ccccc1)C1CCN(C)CC1"),
)


def main() -> None:
    kb = load_kb()
    index = analogue_index(kb)
    path = os.path.join(RDConfig.RDDataDir, "NCI", "first_5K.smi")
    background: list[float] = []
    skipped = 0
    with open(path) as fh:
        for line in fh:
            mol = Chem.MolFromSmiles(line.split()[0])
            if mol is None:
                continue
            parent = standardise(mol).parents[0]
            if [m for m in identify_structure(parent, kb) if m.relation != "analog"]:
                skipped += 1
                continue
            near = index.nearest(parent)
            if near is not None:
                background.append(near.similarity)
    background.sort()

    def pct(p: float) -> float:
        return round(background[min(len(background) - 1, int(p * len(background)))], 3) if background else 0.0

    def nearest(smiles: str) -> dict[str, object]:
        near = index.nearest(standardise(Chem.MolFromSmiles(smiles)).parents[0])
        if near is None:
            return {"family": None}
        return {"nearest": near.substance.id, "similarity": round(near.similarity, 3), "family": near.family}

    print(
        json.dumps(
            {
                "threshold": ANALOG_THRESHOLD,
                "background": {
                    "compared": len(background),
                    "set_aside_as_matches": skipped,
                    "p50": pct(0.5),
                    "p99": pct(0.99),
                    "p999": pct(0.999),
                    "max": round(background[-1], 3) if background else 0.0,
                    "above_threshold": sum(1 for s in background if s >= ANALOG_THRESHOLD),
                },
                "lookalikes": {name: nearest(smi) for name, smi in BENIGN_LOOKALIKES},
                "analogues": {name: nearest(smi) for name, smi in ANALOGUES},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
