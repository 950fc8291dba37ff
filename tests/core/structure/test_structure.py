"""Structure identification: parsing, standardisation, unmasking, analogues and the relation order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure.analogues import ANALOG_THRESHOLD, BENIGN_LOOKALIKES, analogue_index
from precwatch.core.structure.depict import depict_svg, match_svg, substance_svg
from precwatch.core.structure.identify import identify_structure
from precwatch.core.structure.masked import TRANSFORMATIONS, unmask
from precwatch.core.structure.read import StructureError, parse_structure
from precwatch.core.structure.standardise import COMPONENTS, standardise


def smiles(mol: Chem.Mol) -> str:
    return Chem.MolToSmiles(mol)


def canon(s: str) -> str:
    return smiles(Chem.MolFromSmiles(s))


# ------------------------------------------------------------------ parsing
def test_parse_formats() -> None:
    mol = Chem.MolFromSmiles("O=C1CCNCC1")
    assert smiles(parse_structure("O=C1CCNCC1")) == canon("O=C1CCNCC1")
    assert smiles(parse_structure(Chem.MolToInchi(mol))) == canon("O=C1CCNCC1")
    assert smiles(parse_structure(Chem.MolToMolBlock(mol))) == canon("O=C1CCNCC1")
    assert smiles(parse_structure("O=C1CCNCC1 4-piperidone")) == canon("O=C1CCNCC1")


@pytest.mark.parametrize("bad", ["", "   ", "C1CC", "c1cccc1", "InChI=1S/garbage", "not a smiles"])
def test_parse_errors_are_clear(bad: str) -> None:
    with pytest.raises(StructureError) as err:
        parse_structure(bad)
    assert str(err.value).startswith(("empty", "not a valid"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_parse_never_crashes(text: str) -> None:
    try:
        mol = parse_structure(text)
    except StructureError:
        return
    assert mol.GetNumAtoms() > 0


# ------------------------------------------------------------------ standardisation
@pytest.mark.parametrize(
    ("given", "parent", "removed"),
    [
        ("Cl.Cl.c1ccc(NC2CCNCC2)cc1", "c1ccc(NC2CCNCC2)cc1", ("hydrochloride", "hydrochloride")),
        ("[Cl-].[NH2+]1CCC(=O)CC1", "O=C1CCNCC1", ("hydrochloride",)),
        ("Cl.OC1(O)CCNCC1", "O=C1CCNCC1", ("hydrochloride",)),
        ("OC1(O)CCNCC1", "O=C1CCNCC1", ()),
        ("[Na+].[O-]C(=O)Cc1ccccc1", "O=C(O)Cc1ccccc1", ("sodium",)),
        ("OC(=O)/C=C/C(=O)O.O=C1CCN(CCc2ccccc2)CC1", "O=C1CCN(CCc2ccccc2)CC1", ("fumarate",)),
        ("O.O=C1CCNCC1.CCO", "O=C1CCNCC1", ("water", "ethanol")),
    ],
)
def test_standardise_strips_declared_components(given: str, parent: str, removed: tuple[str, ...]) -> None:
    std = standardise(Chem.MolFromSmiles(given))
    assert [smiles(p) for p in std.parents] == [canon(parent)]
    assert sorted(std.removed) == sorted(removed)
    assert std.salt_form and std.steps


def test_standardise_keeps_mixtures_and_lone_table_entries() -> None:
    mixture = standardise(Chem.MolFromSmiles("O=C1CCN(CCc2ccccc2)CC1.c1ccc(NC2CCNCC2)cc1"))
    assert len(mixture.parents) == 2 and not mixture.salt_form  # never blind largest-fragment
    for alone in ("CC(=O)O", "O", "Cl", "CCO.CC(=O)O"):
        std = standardise(Chem.MolFromSmiles(alone))
        assert not std.removed and not std.salt_form


def test_component_table_parses() -> None:
    for name, _, smi in COMPONENTS:
        assert Chem.MolFromSmiles(smi) is not None, name


# ------------------------------------------------------------------ unmasking
@pytest.mark.parametrize("t", TRANSFORMATIONS, ids=lambda t: t.id)
def test_each_transformation_round_trips(t: object) -> None:
    masked, product = t.example  # type: ignore[attr-defined]
    got = {smiles(u.product) for u in unmask(Chem.MolFromSmiles(masked)) if u.transformation is t}
    assert canon(product) in got
    assert t.justification and t.name  # type: ignore[attr-defined]


def test_unmasking_every_site() -> None:
    di_boc = Chem.MolFromSmiles("CC(C)(C)OC(=O)N1CCC(N(C(=O)OC(C)(C)C)c2ccccc2)CC1")
    products = {smiles(u.product): u.sites for u in unmask(di_boc) if u.transformation.id == "n-boc-removal"}
    assert products[canon("c1ccc(NC2CCNCC2)cc1")] == 2


def test_methylenedioxy_is_not_an_acetal() -> None:
    pmk = Chem.MolFromSmiles("CC(=O)Cc1ccc2OCOc2c1")
    assert not [u for u in unmask(pmk) if u.transformation.id == "acetal-hydrolysis"]


# ------------------------------------------------------------------ identification
@pytest.mark.parametrize(
    ("given", "substance", "relation", "detail"),
    [
        ("O=C1CCN(CCc2ccccc2)CC1", "npp", "listed", None),
        ("InChI=1S/C11H16N2/c1-2-4-10(5-3-1)13-11-6-8-12-9-7-11/h1-5,11-13H,6-9H2", "4-ap", "listed", None),
        ("Cl.Cl.c1ccc(NC2CCNCC2)cc1", "4-ap", "salt", None),
        ("O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1", "4-ap", "masked", "n-cbz-removal"),
        ("CCCCCOC(=O)C1(C)OC1c1ccccc1", "bmk-glycidic-acid", "masked", "ester-hydrolysis"),
        ("CC1(Cc2ccccc2)OCCO1", "bmk", "masked", "acetal-hydrolysis"),
        ("O=C1CCN(Cc2ccccc2)CC1", "1-benzyl-4-piperidone", "listed", None),
        ("CC(C)(C)C(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "fentanyl-related", "class", None),
        ("O=C1CCN(CCc2ccc(F)cc2)CC1", "npp", "analog", None),
        ("CC1CNCCC1=O", "3-methyl-4-piperidone", "listed", None),
        ("CCC1CNCCC1=O", "3-methyl-4-piperidone", "analog", "CA"),
    ],
)
def test_relations(kb: KnowledgeBase, given: str, substance: str, relation: str, detail: str | None) -> None:
    (m,) = identify_structure(given, kb)
    assert (m.substance, m.relation) == (substance, relation)
    assert m.method == "structure" and m.text == given and (m.start, m.end) == (0, len(given))
    if relation == "masked":
        assert m.transformation == detail
    if relation == "class":
        assert m.cas is None and m.class_id == "fentanyl-related"
        assert m.controls["US"] == "Schedule I" and m.controls["UN"] == "unknown"
    if relation == "analog":
        assert m.similarity is not None and m.cas == kb.by_id[substance].cas
        assert m.controls["CA"].startswith("review") == (detail == "CA")


def test_listed_structure_also_reports_its_classes(kb: KnowledgeBase) -> None:
    (m,) = identify_structure("CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1", kb)
    assert (m.substance, m.relation, m.class_id) == ("1-boc-4-ap", "listed", None)
    assert "4-ap-derivative" in m.classes
    assert m.inchikey == kb.by_id["1-boc-4-ap"].inchikey


def test_registered_salt_row_is_named(kb: KnowledgeBase) -> None:
    (m,) = identify_structure(kb.by_id["4-ap-2hcl"].smiles or "", kb)
    assert (m.substance, m.relation, m.form) == ("4-ap", "salt", "4-ap-2hcl")


def test_stereo_free_input_matches_both_diastereomers(kb: KnowledgeBase) -> None:
    found = {m.substance for m in identify_structure("CNC(C)C(O)c1ccccc1", kb)}
    assert found == {"ephedrine", "pseudoephedrine"}
    (m,) = identify_structure("CN[C@@H](C)[C@H](O)c1ccccc1", kb)
    assert m.substance == "ephedrine" and m.confidence == 1.0


def test_mixture_reports_each_component(kb: KnowledgeBase) -> None:
    found = {m.substance for m in identify_structure("CCC(Cl)=O.BrCCc1ccccc1", kb)}
    assert found == {"propionyl-chloride", "phenethyl-bromide"}


@pytest.mark.parametrize(("name", "smi"), BENIGN_LOOKALIKES)
def test_lookalikes_stay_quiet(kb: KnowledgeBase, name: str, smi: str) -> None:
    assert identify_structure(smi, kb) == [], name


def test_analogue_threshold_sits_above_lookalikes(kb: KnowledgeBase) -> None:
    for name, smi in BENIGN_LOOKALIKES:
        near = analogue_index(kb).nearest(Chem.MolFromSmiles(smi), gate=False)
        assert near is not None and near.similarity < ANALOG_THRESHOLD, name


def test_trace_tells_the_story(kb: KnowledgeBase) -> None:
    trace: list[str] = []
    identify_structure("Cl.O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1", kb, trace=trace)
    text = "\n".join(trace)
    assert "stripped hydrochloride" in text and "N-Cbz removal" in text and "4-ap-derivative" in text


# ------------------------------------------------------------------ depictions
def test_depictions(kb: KnowledgeBase) -> None:
    svg = substance_svg(kb, "79099-07-3")
    assert svg.startswith("<?xml") and "</svg>" in svg
    (m,) = identify_structure("O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1", kb)
    highlighted = match_svg("O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1", m, kb=kb)
    assert "</svg>" in highlighted and highlighted != depict_svg("O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1")
    with pytest.raises(KeyError):
        substance_svg(kb, "no-such-substance")
