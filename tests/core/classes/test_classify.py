from __future__ import annotations

import pytest
from rdkit import Chem

from precwatch.core.classes.classify import CLASS_RULES, classify, rule
from precwatch.core.classes.fentanyl_rule import group_kinds
from precwatch.core.classes.model import ClassHit, ClassRule
from precwatch.core.kb.substance import JURISDICTIONS

POSITIVES = [(r.id, name, smi) for r in CLASS_RULES for name, smi in r.positives]
NEGATIVES = [(r.id, name, smi) for r in CLASS_RULES for name, smi in r.negatives]


def mol(smiles: str) -> Chem.Mol:
    m = Chem.MolFromSmiles(smiles)
    assert m is not None, smiles
    return m


def hit(smiles: str, rule_id: str) -> ClassHit | None:
    return next((h for h in classify(mol(smiles)) if h.rule.id == rule_id), None)


@pytest.mark.parametrize(("rule_id", "name", "smiles"), POSITIVES, ids=[f"{r}:{n}" for r, n, _ in POSITIVES])
def test_positive_examples_hit_their_rule(rule_id: str, name: str, smiles: str) -> None:
    h = hit(smiles, rule_id)
    assert h is not None, name
    assert h.jurisdictions and h.evidence
    assert set(h.controls()) == set(h.jurisdictions)
    assert all(0 <= i < mol(smiles).GetNumAtoms() for i in h.atoms) and h.atoms


@pytest.mark.parametrize(("rule_id", "name", "smiles"), NEGATIVES, ids=[f"{r}:{n}" for r, n, _ in NEGATIVES])
def test_negative_examples_miss_their_rule(rule_id: str, name: str, smiles: str) -> None:
    assert hit(smiles, rule_id) is None, name


@pytest.mark.parametrize("r", CLASS_RULES, ids=[r.id for r in CLASS_RULES])
def test_every_rule_is_documented_and_sourced(r: ClassRule) -> None:
    cr = rule(r.id)
    assert cr is r
    assert cr.title and cr.logic.strip() and len(cr.logic) > 80
    assert len(cr.positives) >= 3 and len(cr.negatives) >= 3
    assert cr.coverage
    for c in cr.coverage:
        assert c.jurisdiction in JURISDICTIONS
        assert c.status and c.legal_text and c.source and c.effective
    for _, smi in (*cr.positives, *cr.negatives):
        assert Chem.MolFromSmiles(smi) is not None, smi
    if cr.smarts is not None:
        assert Chem.MolFromSmarts(cr.smarts) is not None


def test_rule_ids_are_the_contract() -> None:
    assert [r.id for r in CLASS_RULES] == [
        "4-ap-derivative", "4-ap-halide", "4-piperidone-derivative", "p2p-methyl-glycidic",
        "mdp2p-methyl-glycidic", "3-oxo-2-phenylbutanoate", "fentanyl-related",
    ]  # fmt: skip


def test_unknown_rule_raises_key_error() -> None:
    with pytest.raises(KeyError, match="nope"):
        rule("nope")
    assert rule("4-ap-halide").id == "4-ap-halide"


BMK = "C1(C)OC1c1ccccc1"
PMK = "C1(C)OC1c1ccc2c(c1)OCO2"


@pytest.mark.parametrize(
    ("smiles", "rule_id", "expected"),
    [
        (f"CCCCCOC(=O){BMK}", "p2p-methyl-glycidic", {"US", "CN", "CA"}),  # pentyl: not in the UN list
        (f"CC(C)(C)OC(=O){BMK}", "p2p-methyl-glycidic", {"UN", "US", "CN", "CA"}),
        (f"OC(=O){BMK}", "p2p-methyl-glycidic", {"UN", "US", "CN", "CA"}),
        (f"c1ccccc1COC(=O){BMK}", "p2p-methyl-glycidic", {"US", "CN", "CA"}),
        (f"OC(=O){PMK}", "mdp2p-methyl-glycidic", {"UN", "US", "CN", "CA"}),
        (f"COC(=O){PMK}", "mdp2p-methyl-glycidic", {"UN", "US", "CN", "CA"}),
        (f"CCOC(=O){PMK}", "mdp2p-methyl-glycidic", {"UN", "CN", "CA"}),  # US lists only acid + methyl
        (f"CCCCCOC(=O){PMK}", "mdp2p-methyl-glycidic", {"CN", "CA"}),
        ("CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1", "fentanyl-related", {"CN"}),  # benzylfentanyl
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(Cl)cc2)CC1", "fentanyl-related", {"US", "CN"}),
        ("CCOC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "fentanyl-related", {"US"}),  # fentanyl carbamate
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc3ccccc3c2)CC1", "fentanyl-related", {"CN"}),  # (A) needs a monocycle
        ("CCC(=O)N(c1ccccc1)C1CCN(CC(COC)c2ccccc2)CC1", "fentanyl-related", {"CN"}),  # (B) lists no ether
        ("CCC(=O)N(c1ccccc1)C1CCN(CCCc2ccccc2)CC1", "fentanyl-related", {"CN"}),  # phenylpropyl
        ("CCC(=O)N(c1ccccc1)C1CCN(C(F)Cc2ccccc2)CC1", "fentanyl-related", {"US", "CN"}),  # (B) halo
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1[N+](=O)[O-]", "fentanyl-related", {"US", "CN"}),  # (C) nitro
        ("O=CN(c1ccsc1)C1CCN(CCC2CC2)CC1", "fentanyl-related", {"US", "CN"}),  # formyl, thienyl, cyclopropyl
    ],
)
def test_jurisdictions_follow_each_laws_wording(smiles: str, rule_id: str, expected: set[str]) -> None:
    h = hit(smiles, rule_id)
    assert h is not None
    assert set(h.jurisdictions) == expected


@pytest.mark.parametrize(
    "smiles",
    [
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C#N",  # nitrile on the ring: not a listed kind
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C(=O)C",  # ring acetyl: a ketone
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C(N)=O",  # ring amide
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)C2CCC12",  # fused piperidine
        "CCC(=S)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",  # thioamide
        "CCC(=O)N(C1CCCCC1)C1CCN(CCc2ccccc2)CC1",  # N-cyclohexyl: not aromatic
        "CCC(=O)NC1CCN(CCc2ccccc2)CC1",  # no N-aryl
    ],
)
def test_fentanyl_related_rejects_unlisted_changes(smiles: str) -> None:
    assert hit(smiles, "fentanyl-related") is None


def test_status_labels_per_molecule() -> None:
    acid = hit(f"OC(=O){PMK}", "mdp2p-methyl-glycidic")
    ethyl = hit(f"CCOC(=O){PMK}", "mdp2p-methyl-glycidic")
    assert acid is not None and ethyl is not None
    assert acid.controls()["CN"] == "Category II"  # 2021 individual listing wins over the 2024 family
    assert ethyl.controls()["CN"] == "controlled precursor (category not verified)"
    assert {c.effective for c in acid.coverage if c.jurisdiction == "UN"} == {"2019"}
    frs = hit("CCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1", "fentanyl-related")
    assert frs is not None and frs.controls() == {
        "US": "Schedule I",
        "CN": "fentanyl-related substance (class)",
    }


def test_halide_and_derivative_are_exclusive() -> None:
    ids = [h.rule.id for h in classify(mol("CC(C)(C)OC(=O)N1CCC(Nc2ccc(F)cc2)CC1"))]
    assert ids == ["4-ap-halide"]
    ids = [h.rule.id for h in classify(mol("CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1"))]
    assert ids == ["4-ap-derivative"]


def test_evidence_names_the_parts() -> None:
    h = hit("CC(C)(C)OC(=O)N1CCC(Nc2ccc(F)cc2)CC1", "4-ap-halide")
    assert h is not None and "carbamate" in h.evidence and "F" in h.evidence
    h = hit("CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2cccs2)CC1", "fentanyl-related")
    assert h is not None and "US modifications A,C" in h.evidence and "China conditions 3,4" in h.evidence


def test_trace_has_one_line_per_rule() -> None:
    trace: list[str] = []
    hits = classify(mol("CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1"), trace)
    assert [h.rule.id for h in hits] == ["fentanyl-related"]
    assert len(trace) == len(CLASS_RULES)
    assert trace[-1].startswith("fentanyl-related: matched (CN)")
    assert trace[0].startswith("4-ap-derivative: not matched: ")
    trace = []
    assert classify(mol("CCO"), trace) == []
    assert len(trace) == len(CLASS_RULES) and all("not matched" in line for line in trace)


def test_common_molecules_do_not_hit() -> None:
    for smi in ("CCO", "c1ccccc1", "CC(=O)Oc1ccccc1C(=O)O", "CN1CCC[C@H]1c1cccnc1", "O=C1CCCCC1", "C1CCNCC1"):
        assert classify(mol(smi)) == [], smi


@pytest.mark.parametrize(
    ("smiles", "kinds"),
    [
        ("CCOC", {"alkyl", "ether"}),
        ("CC(=O)OC", {"alkyl", "ester"}),
        ("COC(C)=O", {"alkyl", "ester"}),
        ("CC(F)(F)F", {"alkyl", "haloalkyl"}),
        ("CCO", {"alkyl", "hydroxyl"}),
        ("CC=C", {"alkenyl"}),
        ("CC(C)[N+](=O)[O-]", {"alkyl", "nitro"}),
        ("CN(C)C", {"alkyl", "amino"}),
        ("CC#C", None),
        ("CC(C)=O", None),
        ("CC(=O)O", None),
        ("CC(N)=O", None),
        ("CSC", None),
        ("CC1CC1", None),
    ],
)
def test_substituent_classifier(smiles: str, kinds: set[str] | None) -> None:
    # atom 0 plays the scaffold atom; the substituent hangs from it at atom 1
    got = group_kinds(mol(smiles), 1, 0)
    assert got == (frozenset(kinds) if kinds is not None else None)


def test_fentanyl_itself_is_not_a_fentanyl_related_substance() -> None:
    trace: list[str] = []
    mol = Chem.MolFromSmiles("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")
    assert all(h.rule.id != "fentanyl-related" for h in classify(mol, trace))
    assert any("fentanyl itself" in line for line in trace)


def test_carbamates_are_acyl_groups_for_the_us_rule_only() -> None:
    """DEA placed fentanyl carbamate in Schedule I as a fentanyl-related substance (effective 4 May 2024)."""
    h = hit("CCOC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "fentanyl-related")
    assert h is not None and h.jurisdictions == ("US",)
    assert "carbamate" in h.evidence and "4 May 2024" in h.evidence
    assert hit("CCOC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1", "fentanyl-related") is None  # benzyl: no US, no CN


def test_china_open_substituent_list_reading() -> None:
    """China (3) ends '等取代基' (an open list): named kinds are covered; other kinds are not matched, and
    the reason tells the analyst to review them rather than asserting control."""
    assert hit("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1OC", "fentanyl-related") is not None  # alkoxy: named
    assert hit("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C#N", "fentanyl-related") is None  # nitrile: not named
    trace: list[str] = []
    classify(Chem.MolFromSmiles("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C#N"), trace)
    assert any("等" in line and "review" in line for line in trace)
