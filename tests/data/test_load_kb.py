"""The knowledge base's facts, re-derived: CAS check digits, RDKit structures, sourced statuses."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from precwatch.core.kb.identifiers import is_valid_cas
from precwatch.core.kb.knowledge import KnowledgeBase, KnowledgeBaseError
from precwatch.core.kb.substance import JURISDICTIONS, ROLES
from precwatch.core.structure.read import mol_facts

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference" / "precursors.csv"


def test_kb_has_a_version_and_no_problems(kb: KnowledgeBase) -> None:
    assert kb.version
    assert kb.problems() == []


def test_every_cas_passes_its_check_digit(kb: KnowledgeBase) -> None:
    for s in kb.substances:
        if s.cas:
            assert is_valid_cas(s.cas), s.id


@pytest.mark.parametrize("sid", [s.id for s in KnowledgeBase.from_data(yaml.safe_load(
    (ROOT / "precwatch/data/substances.yaml").read_text(encoding="utf-8"))).substances])  # fmt: skip
def test_rdkit_recomputes_inchikey_and_formula(kb: KnowledgeBase, sid: str) -> None:
    s = kb.by_id[sid]
    assert s.smiles, sid
    facts = mol_facts(s.smiles)
    assert facts is not None, f"{sid}: SMILES does not parse"
    assert facts.inchikey == s.inchikey
    assert facts.formula == s.formula


def test_every_known_status_is_sourced(kb: KnowledgeBase) -> None:
    for s in kb.substances:
        assert s.role in ROLES
        for j in JURISDICTIONS:
            c = s.control(j)
            if c.status != "unknown":
                assert c.source, f"{s.id} {j}"


def test_contents(kb: KnowledgeBase) -> None:
    ids = {s.id for s in kb.substances}
    assert len(kb) >= 100
    assert {"sufentanil", "alfentanil", "remifentanil", "thiafentanil", "xylazine", "piperidine"} <= ids
    assert {"fentanyl", "carfentanil", "acetylfentanyl", "furanylfentanyl", "acrylfentanyl",
            "para-fluorofentanyl", "ocfentanil"} <= ids  # fmt: skip
    assert {s.id for s in kb.substances if s.parent} == {
        "4-ap-2hcl",
        "4-piperidone-hcl-h2o",
        "4-piperidone-hcl",
    }
    assert kb.lookup("79099-07-3") is kb.by_id["1-boc-4-piperidone"]
    assert kb.lookup("N-苯乙基-4-哌啶酮") is kb.by_id["npp"]
    assert kb.lookup("fentanilo") is kb.by_id["fentanyl"]


def test_known_wrong_cas_is_not_in_the_kb(kb: KnowledgeBase) -> None:
    assert "1609-66-5" not in kb.by_cas  # circulating typo for norfentanyl
    assert kb.by_cas["1609-66-1"].id == "norfentanyl"


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared/reference is not beside this checkout")
def test_bundled_kb_is_up_to_date_with_its_sources(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_kb", ROOT / "tools/build_kb.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "kb.yaml"
    mod.main(["--csv", str(REFERENCE), "--out", str(out)])
    assert out.read_text(encoding="utf-8") == (ROOT / "precwatch/data/substances.yaml").read_text(
        encoding="utf-8"
    )


def test_malformed_kb_names_the_entry() -> None:
    with pytest.raises(KnowledgeBaseError, match="substance #1: missing field 'role'"):
        KnowledgeBase.from_data({"version": "x", "substances": [{"id": "a", "name": "A"}]}, "kb.yaml")
    with pytest.raises(KnowledgeBaseError, match="missing top-level field"):
        KnowledgeBase.from_data({"substances": []}, "kb.yaml")


def test_individual_listings_take_precedence_over_the_class(kb: KnowledgeBase) -> None:
    """US: the fentanyl-related-substances class covers what is 'not otherwise listed' (21 CFR 1308.12(c)
    keeps these in Schedule II); China: fentanyls already listed keep their listing and date."""
    for sid in ("fentanyl", "sufentanil", "alfentanil", "remifentanil", "thiafentanil", "carfentanil"):
        us = kb.by_id[sid].control("US")
        assert us.status == "Schedule II" and "1308.12" in (us.source or ""), sid
    for sid in ("carfentanil", "tetrahydrofuranylfentanyl", "para-fluoroisobutyrfentanyl"):
        cn = kb.by_id[sid].control("CN")
        assert cn.status == "controlled narcotic (listed before 2019)" and cn.effective != "2019-05-01", sid
    assert kb.by_id["fentanyl"].control("CN").status == "controlled narcotic"
    assert kb.by_id["valerylfentanyl"].control("UN").status == "Schedule I (1961)"
    assert kb.by_id["benzylfentanyl"].control("CN").status == "fentanyl-related substance (class)"
    assert kb.by_id["fentanyl-carbamate"].control("US").effective == "2024-05-04"
    assert kb.by_id["xylazine"].role == "adulterant"
    assert kb.by_id["xylazine"].control("US").status == "not controlled (federal)"
    assert kb.by_id["piperidine"].control("US").status == "List I"


def test_identification_reports_the_listing_and_the_classes(kb: KnowledgeBase) -> None:
    from precwatch.core.text.identify import identify_text

    (m,) = identify_text("sufentanil citrate 50 mcg", kb)
    assert m.controls["US"] == "Schedule II" and m.classes == ("fentanyl-related",)
    (m,) = identify_text("fentanyl 1 kg", kb)
    assert m.classes == ()  # fentanyl itself is not a fentanyl-related substance
    (m,) = identify_text("CAS 79099-07-3", kb)
    assert m.classes == ("4-piperidone-derivative",)  # classes on a CAS match too
    (m,) = identify_text("中国自2019年5月1日起对芬太尼类物质实施整类列管", kb)
    assert (m.substance, m.relation, m.controls["US"]) == ("fentanyl-related", "class", "Schedule I")
