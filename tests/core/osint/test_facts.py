from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.osint.articles import Article
from precwatch.core.osint.entities import organisations_and_people, romanise
from precwatch.core.osint.events import EVENT_RULES, event_type
from precwatch.core.osint.facts import extract
from precwatch.core.osint.places import countries_in
from precwatch.core.osint.quantities import find_quantities, parse_number


def test_chemicals_are_knowledge_base_cas_numbers(kb: KnowledgeBase) -> None:
    text = "One vendor offered (2-bromoethyl)benzene; another said it may ship BMK and PMK. Fentanyl is the drug."
    facts = extract(Article(id="a.txt", text=text), kb)
    assert set(facts.chemicals) == {"103-63-9", "103-79-7", "4676-39-5", "437-38-7"}


def test_chemicals_in_spanish_and_chinese(kb: KnowledgeBase) -> None:
    es = extract(Article(id="es.txt", text="La Marina aseguró fentanilo y precursores.", language="es"), kb)
    zh = extract(Article(id="zh.txt", text="海关查获芬太尼。", language="zh"), kb)
    assert "437-38-7" in es.chemicals and "437-38-7" in zh.chemicals


def test_countries_by_name_demonym_abbreviation_and_script() -> None:
    assert countries_in("U.S. and Chinese officials met Mexican envoys") == ["US", "CN", "MX"]
    assert set(countries_in("EE.UU. y México; 中国海关在上海查获运往墨西哥的化学品")) == {"US", "MX", "CN"}
    assert countries_in("New Mexico police") == ["US"]
    assert "TW" not in countries_in("the People's Republic of China")


def test_organisations_and_people_across_languages() -> None:
    orgs, people, outlets = organisations_and_people(
        "Bloomberg said the DEA and China’s foreign ministry met; President Andres Manuel Lopez Obrador wrote to Xi."
    )
    assert orgs == ["Drug Enforcement Administration", "Ministry of Foreign Affairs of the PRC"]
    assert people == ["Andrés Manuel López Obrador", "Xi Jinping"]
    assert outlets == ["Bloomberg"]
    orgs, people, _ = organisations_and_people(
        "外交部发言人汪文斌表示，公安部部长王小洪会见了美方代表。la canciller Alicia Bárcena"
    )
    assert "Ministry of Public Security of the PRC" in orgs
    assert {"Wang Wenbin", "Wang Xiaohong", "Alicia Bárcena"} <= set(people)
    assert romanise("王小洪") == "Wang Xiaohong"


def test_quantities_in_three_languages() -> None:
    assert [str(q) for q in find_quantities("seized 1,500 kilograms, 300 sacks and 20 barrels")] == [
        "1500 kg", "300 sacks", "20 barrels"]  # fmt: skip
    assert [str(q) for q in find_quantities("aseguró 1,5 toneladas y 40 tambos", language="es")] == [
        "1.5 tonnes",
        "40 drums",
    ]
    assert [q.kg for q in find_quantities("查获2.5吨", language="zh")] == [2500.0]
    assert [round(q.kg or 0) for q in find_quantities("4,000 pounds")] == [1814]


@given(st.integers(1, 999_999_999))
def test_written_numbers_read_back(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", "."), decimal_comma=True) == n


def test_event_type_rules() -> None:
    assert (
        event_type("Navy seizes precursor haul in Manzanillo", "The navy seized 2 tonnes of chemicals.")
        == "seizure"
    )
    assert (
        event_type("US indicts Chinese firms", "Eight companies were indicted and OFAC sanctioned two.")
        == "indictment-sanction"
    )
    assert (
        event_type(
            "",
            "China will place all fentanyl-related substances under control; the class-wide listing takes effect in May. 列管",
        )
        == "scheduling"
    )
    assert (
        event_type("US, China hold talks", "Officials met in Beijing for a working group meeting.")
        == "talks-agreement"
    )
    assert event_type("Weather", "It rained.") == "other"
    for rule in EVENT_RULES.values():
        assert rule.__doc__


def test_event_date_from_the_lead_not_the_background(kb: KnowledgeBase) -> None:
    text = "The working group meets in Beijing on Tuesday. Back in 2019, China scheduled fentanyl; on May 1 it took effect."
    facts = extract(Article(id="a.txt", text=text, published=date(2024, 1, 29)), kb)
    assert facts.event_date.date == date(2024, 1, 30)


def test_spanish_comma_before_three_digits_groups_thousands() -> None:
    assert parse_number("1,500", decimal_comma=True) == 1500
    assert parse_number("1,5", decimal_comma=True) == 1.5
    assert parse_number("1.500,25", decimal_comma=True) == 1500.25
    assert [str(q) for q in find_quantities("aseguró 1,500 kilogramos de NPP", language="es")] == ["1500 kg"]
