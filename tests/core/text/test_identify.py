from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.text.identify import TEXT_DETECTORS, identify_text


def found(kb: KnowledgeBase, text: str) -> set[tuple[str, str, str]]:
    return {(m.substance, m.relation, m.method) for m in identify_text(text, kb)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CAS 79O99-07-3, 99% purity", {("1-boc-4-piperidone", "listed", "cas")}),
        ("CAS79099 powder is best", {("1-boc-4-piperidone", "listed", "cas")}),
        ("N-苯乙基-4-哌啶酮 现货", {("npp", "listed", "name")}),
        ("clorhidrato de 4-anilinopiperidina", {("4-ap", "salt", "name")}),
        ("4-AP dihydrochloride", {("4-ap", "salt", "name")}),
        ("99918-43-1", {("4-ap", "salt", "cas")}),
        ("NPP HCl 1kg", {("npp", "salt", "name")}),
        ("phenethyl bromid 25kg drum", {("phenethyl-bromide", "listed", "fuzzy")}),
        ("fentanyl citrate injection", {("fentanyl", "salt", "name")}),
        ("Supply NPP CAS 39742-60-4", {("npp", "listed", "name"), ("npp", "listed", "cas")}),
    ],
)
def test_positives(kb: KnowledgeBase, text: str, expected: set[tuple[str, str, str]]) -> None:
    assert found(kb, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "NPP nuclear power plant unit 2 shutdown",
        "4-AP (4-aminopyridine) 99% CAS 504-24-5",
        "P2P lending platform for factories",
        "Chinese Academy of Sciences (CAS) 2019 report",
        "1-methyl-4-piperidone 98%",
        "piperazine 99% 110-85-0",
        "ethyl methylphenylglycidate (strawberry aldehyde) 77-83-8",
        "benzoyl chloride 99%",
        "Piperonyl butoxide 51-03-6 insecticide synergist",
        "CAS 79099-07-4",
        "order 79099073 shipped",
    ],
)
def test_look_alikes_and_collisions_stay_quiet(kb: KnowledgeBase, text: str) -> None:
    assert identify_text(text, kb) == []


def test_match_carries_contract_fields(kb: KnowledgeBase) -> None:
    (m,) = identify_text("Offer 1-Boc-4-Piperidone now", kb)
    d = m.to_dict()
    assert d["cas"] == "79099-07-3" and d["relation"] == "listed" and d["class_id"] is None
    assert set(d["controls"]) == {"UN", "US", "CN", "MX", "EU", "CA"}
    assert d["controls"]["US"] == "List I"
    assert "1-boc-4-piperidone" in d["evidence"].lower()


def test_salt_row_reports_parent_cas_and_form(kb: KnowledgeBase) -> None:
    (m,) = identify_text("CAS 40064-34-4", kb)
    assert (m.substance, m.cas, m.relation, m.form, m.form_cas) == (
        "4-piperidone", "41661-47-6", "salt", "4-piperidone-hcl-h2o", "40064-34-4",
    )  # fmt: skip


def test_every_detector_explains_itself() -> None:
    for d in TEXT_DETECTORS:
        assert d.__doc__ and len(d.__doc__.split()) > 8, d.__name__


def test_trace_records_decisions(kb: KnowledgeBase) -> None:
    trace: list[str] = []
    assert identify_text("NPP nuclear power plant", kb, trace=trace) == []
    assert any("everyday sense" in line for line in trace)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789-Oo lI|NPCASnpcas哌啶酮４－\u200b")), max_size=80)
    | st.text(max_size=120)
)
def test_reported_text_is_exactly_the_input_slice(kb: KnowledgeBase, text: str) -> None:
    for m in identify_text(text, kb):
        assert text[m.start : m.end] == m.text
        assert 0 <= m.start < m.end <= len(text)
        assert 0 < m.confidence <= 1
