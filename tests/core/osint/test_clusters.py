"""The five seed articles and our own examples, clustered end to end through the core."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.osint.cluster import candidate_pairs
from precwatch.core.osint.facts import ArticleFacts
from precwatch.core.osint.timeline import Event
from precwatch.pipelines.osint import run_osint

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "osint"
SAMPLES = sorted(p.name for p in EXAMPLES.glob("00?_*.txt"))


def _groups(events: Sequence[Event]) -> set[frozenset[str]]:
    return {frozenset(e.articles) for e in events}


@pytest.fixture(scope="module")
def bare_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five samples as delivered: no manifest, no publication dates."""
    folder = tmp_path_factory.mktemp("samples")
    for name in SAMPLES:
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def test_the_five_samples_are_two_events_even_without_dates(bare_samples: Path, kb: KnowledgeBase) -> None:
    result = run_osint(bare_samples, kb)
    assert _groups(result.events) == {frozenset(SAMPLES[:2]), frozenset(SAMPLES[2:])}
    talks, working_group = result.events
    # "Bloomberg reported on Friday (October 20)" + "©2023 Bloomberg": 20 October 2023 was a Friday.
    assert talks.date == date(2023, 10, 20) and talks.date_source == "lead+weekday"
    # "on Tuesday" with no publication date anywhere (the page's date bar is a capture date): not placed.
    assert working_group.date is None
    assert set(working_group.chemicals) == {"437-38-7", "103-63-9", "103-79-7", "4676-39-5"}
    assert talks.chemicals == ("437-38-7",)


def test_examples_folder_gives_five_events_with_dates(kb: KnowledgeBase) -> None:
    result = run_osint(EXAMPLES, kb)
    by_first = {e.articles[0][:3]: e for e in result.events}
    assert _groups(result.events) == {
        frozenset(SAMPLES[:2]),
        frozenset(SAMPLES[2:]),
        frozenset(p.name for p in EXAMPLES.glob("10?_*.txt")),
        frozenset(p.name for p in EXAMPLES.glob("20?_*.txt")),
        frozenset(p.name for p in EXAMPLES.glob("30?_*.txt")),
    }
    expected = {
        "000": (date(2023, 10, 20), "talks-agreement"),
        "002": (date(2024, 1, 30), "talks-agreement"),
        "101": (date(2019, 4, 1), "scheduling"),
        "201": (date(2023, 10, 3), "indictment-sanction"),
        "301": (date(2023, 11, 15), "talks-agreement"),
    }
    for first, (when, kind) in expected.items():
        assert (by_first[first].date, by_first[first].event_type) == (when, kind), first
    assert set(by_first["301"].countries) == {"US", "CN"}
    assert "Xi Jinping" in by_first["301"].people and "Joe Biden" in by_first["301"].people
    assert [e.date for e in result.events] == sorted(e.date for e in result.events if e.date)


def test_the_blog_copy_is_a_near_duplicate(kb: KnowledgeBase) -> None:
    result = run_osint(EXAMPLES, kb)
    ids = [f.article.id for f in result.facts]
    dupes = {frozenset((ids[link.a], ids[link.b])) for link in result.links if link.duplicate}
    assert frozenset({"201_doj_indictments_en.txt", "202_doj_indictments_blog.txt"}) in dupes


def test_ubiquitous_keys_make_no_candidate_pairs(kb: KnowledgeBase) -> None:
    result = run_osint(EXAMPLES, kb)
    facts: list[ArticleFacts] = result.facts
    assert len(candidate_pairs(facts, cap=1)) == 0
    everything = len(facts) * (len(facts) - 1) // 2
    assert len(candidate_pairs(facts, cap=3)) < everything


def test_wire_dateline_without_year_and_spanish_follow_up(kb: KnowledgeBase) -> None:
    from precwatch.core.osint.facts import extract
    from precwatch.core.osint.intake import build_article
    from precwatch.core.osint.timeline import build_timeline

    wire = build_article(
        "wire.txt",
        "Mexican navy seizes precursor chemicals in Manzanillo\nMEXICO CITY, Dec 4 (Reuters) - Mexico's navy said it "
        "seized 3 tonnes of chemicals used to make fentanyl at the port of Manzanillo, the largest haul since 2023.",
    )
    local = build_article(
        "local.txt",
        "Marina asegura precursores en Manzanillo\nLa Secretaría de Marina aseguró 3 toneladas de precursores "
        "químicos para fentanilo en el puerto de Manzanillo, Colima.",
        language="es",
    )
    other = build_article(
        "other.txt",
        "Navy seizes 40 drums in Lázaro Cárdenas\nMexico's navy seized 12 tonnes of precursor chemicals for "
        "fentanyl in Lázaro Cárdenas, Michoacán, on Dec 20.",
    )
    events, _links = build_timeline([extract(a, kb) for a in (wire, local, other)])
    groups = {e.articles: e for e in events}
    assert set(groups) == {("wire.txt", "local.txt"), ("other.txt",)}
    seizure = groups[("wire.txt", "local.txt")]
    assert (seizure.date, seizure.date_source) == (date(2023, 12, 4), "lead+year")
    assert seizure.event_type == "seizure" and "3 tonnes" in seizure.quantities
    assert seizure.chemicals == ("437-38-7",) and seizure.countries[0] == "MX"


def test_without_any_publication_date_the_five_events_stay_apart(tmp_path: Path, kb: KnowledgeBase) -> None:
    """No manifest: undated stories about the working group must not join the Woodside summit they
    mention (their "Tuesday" is not its Wednesday), nor the Bloomberg story the DOJ indictments of the
    same month ("October 20" is not 3 October)."""
    for p in EXAMPLES.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    result = run_osint(tmp_path, kb)
    assert _groups(result.events) == {
        frozenset(SAMPLES[:2]),
        frozenset(SAMPLES[2:]),
        frozenset(p.name for p in EXAMPLES.glob("10?_*.txt")),
        frozenset(p.name for p in EXAMPLES.glob("20?_*.txt")),
        frozenset(p.name for p in EXAMPLES.glob("30?_*.txt")),
    }
    scheduling = next(e for e in result.events if e.articles[0].startswith("101"))
    assert scheduling.date == date(2019, 4, 1)  # not "from May 1", the day the rule took effect


SEIZURE = Path(__file__).resolve().parents[2] / "data" / "osint_seizure"


def test_without_a_date_in_the_text_the_publication_date_stands_in_marked(kb: KnowledgeBase) -> None:
    (event,) = run_osint(SEIZURE, kb).events
    assert event.event_type == "seizure" and event.countries[0] == "MX"
    assert event.date == date(2024, 3, 12) and event.date_source == "published"  # the earliest of the two
    assert {"39742-60-4", "23056-29-3"} <= set(event.chemicals)  # NPP and 4-AP, beside fentanyl itself
    assert event.quantities[0] == "1500 kg"


def test_the_page_date_is_the_last_resort_and_says_so() -> None:
    from precwatch.core.osint.events import article_event_date

    text = "Police seized precursor chemicals at a warehouse, officials said."
    assert article_event_date("Seizure", text, None, date(2024, 11, 18)).source == "page date"
    assert article_event_date("Seizure", text, date(2024, 3, 1), date(2024, 11, 18)).date == date(2024, 3, 1)
    assert article_event_date("Seizure", text, None, None).date is None
