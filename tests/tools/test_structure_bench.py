"""The structure benchmark's search-floor figure: RDKit's fixed cost per substructure search."""

from __future__ import annotations

import pytest
from rdkit import Chem

from benchmarks.structure_bench import NEVER_MATCHES, search_floor


def test_the_floor_query_matches_no_ordinary_molecule() -> None:
    query = Chem.MolFromSmarts(NEVER_MATCHES)
    for smiles in ("CCO", "c1ccccc1N", "O=C(CC)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "[Na+].[Cl-]"):
        assert not Chem.MolFromSmiles(smiles).HasSubstructMatch(query)


def test_search_floor_counts_only_the_molecules_read() -> None:
    lines = ["CCO", "c1ccccc1", "C1CC", "not a smiles", "CCN(CC)CC"]
    floor = search_floor(lines)
    assert floor["molecules"] == 3  # an unclosed ring and a word are not molecules
    assert floor["query"] == NEVER_MATCHES
    assert floor["us_per_search"] > 0 and floor["us_per_raw_parse"] > 0
    ratio = floor["us_per_search"] / floor["us_per_raw_parse"]
    assert floor["per_raw_parse"] == pytest.approx(ratio, abs=0.005)  # (both rounded to 0.01 us)
