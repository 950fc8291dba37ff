"""Full-text search (`q=`) and the party filter (`party=`) on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.data.warninglists import load_warninglist
from precwatch.hub import Hub, IncidentFilter
from tests.support.backends import database_url
from tests.support.world import World, make_world, seizure

NARRATIVES = {
    "es": "Se incautaron 25 tambores de N-fenetil-4-Piperidona en el puerto; el químico venía declarado como "
    "agente de limpieza",
    "accent": "Pipéridone et éthyl café, lot n° 7",
    "zh": "湖北嘉运化工有限公司 出口 4-苯胺基哌啶 至墨西哥",
    "ja": "ピペリドン の 輸出",
    "symbols": '100% pure, tax_free *special* offer C:\\drums "quoted" it\'s',
    "plain": "routine inspection of drums, nothing declared",
}


def _party(name: str) -> list[dict[str, Any]]:
    return [{"kind": "company", "role": "consignor", "name": name}]


PARTIES = {
    "es": "Hubei Jiayun Chemical Co",
    "accent": "Química Fénix S.A. de C.V.",
    "zh": "湖北嘉运化工有限公司",
    "ja": "Trader 1",
    "symbols": "Trader 11",
    "plain": "Brightchem 100% Ltd",
}


def _load(hub: Hub) -> tuple[World, dict[str, str]]:
    """One green incident per narrative, owned by MX; the label -> id map."""
    w = make_world(hub)
    ids = {}
    for label, narrative in NARRATIVES.items():
        body = seizure(tlp="green", narrative=narrative, parties=_party(PARTIES[label]))
        body.update(substances_text="", concealment=None, declared_cover=None, place=None)
        ids[hub.create_incident(w.v["mx_analyst"], body)["id"]] = label
    return w, ids


def _found(hub: Hub, w: World, ids: dict[str, str], **filters: Any) -> set[str]:
    viewer = w.v["us_analyst"]
    items, total = hub.list_incidents(viewer, IncidentFilter(**filters), limit=100)
    assert total == len(items) == hub.count_incidents(viewer, IncidentFilter(**filters))
    return {ids[i["id"]] for i in items}


def test_words_match_by_prefix_ignoring_case_and_accents(hub: Hub) -> None:
    w, ids = _load(hub)
    assert _found(hub, w, ids, q="piperidona") == {"es"}
    assert _found(hub, w, ids, q="PIPER") == {"es", "accent"}  # "Pipéridona" too: accents are ignored
    assert _found(hub, w, ids, q="pipéridona") == {"es"}  # ... in the query as well
    assert _found(hub, w, ids, q="Piperidon") == {"es", "accent"}
    assert _found(hub, w, ids, q="peridona") == set()  # not the start of a word
    assert _found(hub, w, ids, q="piperidonas") == set()  # longer than the word
    assert _found(hub, w, ids, q="químico tambores") == {"es"}  # every word required, anywhere
    assert _found(hub, w, ids, q="quimico cafe") == set()
    assert _found(hub, w, ids, q="fenetil 4 piperidona") == {"es"}  # "N-fenetil-4-Piperidona" as words
    assert _found(hub, w, ids, q="drums") == {"symbols", "plain"}


def test_wildcards_and_query_syntax_are_plain_text(hub: Hub) -> None:
    w, ids = _load(hub)
    for q in ("%", "_", "*", "\\", "%%", "'", '"', "&", "|", "!", ":*", "()", "''", "\\%"):
        assert _found(hub, w, ids, q=q) == set(), q  # nothing to look for: nothing matches
    assert _found(hub, w, ids, q="100%") == {"symbols", "plain"}  # `%` separates words
    assert _found(hub, w, ids, q="tax_free") == {"symbols"}  # the words "tax free"
    assert _found(hub, w, ids, q="*special*") == {"symbols"}
    assert _found(hub, w, ids, q="special\\drums") == {"symbols"}
    assert _found(hub, w, ids, q='"quoted"') == {"symbols"}
    assert _found(hub, w, ids, q="it's") == {"symbols"}
    # tsquery and FTS5 operators are words like any other, never operators
    assert _found(hub, w, ids, q="drums | zzz") == set()
    assert _found(hub, w, ids, q="drums OR zzz") == set()
    assert _found(hub, w, ids, q="!drums") == {"symbols", "plain"}
    assert _found(hub, w, ids, q="drums NOT routine") == {"plain"}  # "not": the prefix of "nothing"
    assert _found(hub, w, ids, q="drums:* & routine") == {"plain"}
    assert _found(hub, w, ids, q="NEAR(drums routine)") == set()
    assert _found(hub, w, ids, q="search_public : drums") == set()
    assert _found(hub, w, ids, q="drums') OR ('a") == set()


def test_nul_and_empty_queries(hub: Hub) -> None:
    w, ids = _load(hub)
    assert _found(hub, w, ids, q="") == set()  # a query with no words matches nothing
    assert _found(hub, w, ids, q="   ") == set()
    assert _found(hub, w, ids, q="drums\x00routine") == {
        "plain"
    }  # the hub: NUL separates (the API refuses it)
    assert len(_found(hub, w, ids)) == len(NARRATIVES)  # no q: every record
    assert _found(hub, w, ids, q="drums " + "x" * 3000) == set()  # longer than any indexed word


def test_chinese_and_japanese_match_consecutive_characters(hub: Hub) -> None:
    w, ids = _load(hub)
    assert _found(hub, w, ids, q="嘉运") == {"zh"}
    assert _found(hub, w, ids, q="湖北嘉运化工有限公司") == {"zh"}
    assert _found(hub, w, ids, q="哌啶") == {"zh"}  # inside a run of characters
    assert _found(hub, w, ids, q="4-苯胺基哌啶") == {"zh"}
    assert _found(hub, w, ids, q="化工 墨西哥") == {"zh"}
    assert _found(hub, w, ids, q="运嘉") == set()  # characters out of order
    assert _found(hub, w, ids, q="嘉 运") == {"zh"}  # two words, both present
    assert _found(hub, w, ids, q="嘉运 drums") == set()
    assert _found(hub, w, ids, q="ピペリドン") == {"ja"}
    assert _found(hub, w, ids, q="リド") == {"ja"}


def test_party_names_match_by_normalised_substring(hub: Hub) -> None:
    w, ids = _load(hub)
    assert _found(hub, w, ids, party="Hubei Jiayun") == {"es"}
    assert _found(hub, w, ids, party="jiayun chem") == {"es"}
    assert _found(hub, w, ids, party="HUBEI JIAYUN CHEMICAL CO.") == {"es"}
    assert _found(hub, w, ids, party="Jiayun Hubei") == set()
    assert _found(hub, w, ids, party="quimica fenix s.a.") == {"accent"}
    assert _found(hub, w, ids, party="嘉运化工") == {"zh"}
    assert _found(hub, w, ids, party="trader 1") == {"ja", "symbols"}
    assert _found(hub, w, ids, party="trader 11") == {"symbols"}
    assert _found(hub, w, ids, party="100%") == {"plain"}
    for party in ("%", "_", "*", "\\", ""):
        assert _found(hub, w, ids, party=party) == set(), party


def test_postgresql_serves_party_and_q_from_the_indexes(hub: Hub) -> None:
    if hub.engine.dialect.name != "postgresql":
        pytest.skip("index plans are PostgreSQL's")
    _load(hub)
    with hub.engine.connect() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        party = conn.execute(
            text("EXPLAIN SELECT id FROM incidents WHERE party_names_public LIKE '%jiayun%'")
        )
        words = conn.execute(
            text("EXPLAIN SELECT id FROM incidents WHERE search_public_tsv @@ 'drum:*'::tsquery")
        )
        assert "ix_incidents_party_names_public_trgm" in "\n".join(r[0] for r in party)
        assert "ix_incidents_search_public_tsv" in "\n".join(r[0] for r in words)


def test_the_index_follows_updates_and_retractions(hub: Hub) -> None:
    w, ids = _load(hub)
    owner = w.v["mx_analyst"]
    (plain_id,) = [i for i, label in ids.items() if label == "plain"]
    version = hub.get_incident(owner, plain_id)["version"]  # type: ignore[index]
    hub.update_incident(
        owner, plain_id, changes={"narrative": "revised: carfentanil precursor"}, expected_version=version
    )
    assert _found(hub, w, ids, q="routine") == set()
    assert _found(hub, w, ids, q="carfent") == {"plain"}
    hub.retract_incident(owner, plain_id, reason="duplicate")
    assert _found(hub, w, ids, q="carfent", retracted=True) == {"plain"}
    assert _found(hub, w, ids, q="carfent", retracted=False) == set()


def test_a_word_only_in_records_you_may_not_see_reveals_nothing(hub: Hub) -> None:
    w = make_world(hub)
    mx = w.v["mx_analyst"]
    hub.create_incident(mx, seizure(tlp="amber", narrative="zanzibarword 秘密货物"))
    hub.create_incident(mx, seizure(tlp="red", narrative="zanzibarword"))
    hub.create_incident(mx, seizure(tlp="green", narrative="other", parties=_party("Pemba Chem")))
    for q in ("zanzibarword", "zanzib", "秘密", "秘密货物"):
        assert hub.count_incidents(w.v["us_analyst"], IncidentFilter(q=q)) == 0, q
        assert hub.list_incidents(w.v["us_analyst"], IncidentFilter(q=q)) == ([], 0), q
    assert (
        hub.count_incidents(w.v["mx_viewer"], IncidentFilter(q="zanzib")) == 1
    )  # amber: MX; red: creator only
    assert hub.count_incidents(mx, IncidentFilter(q="zanzib")) == 2
    assert hub.count_incidents(w.v["us_analyst"], IncidentFilter(party="pemba")) == 1
    person = {"kind": "person", "role": "consignee", "name": "Zanzibar Person", "owner_only": ["name"]}
    hub.create_incident(mx, seizure(tlp="green", narrative="other", parties=[person]))
    for party in ("zanzibar", "redacted", "[redacted]"):  # a hidden name is not searchable, nor is its marker
        assert hub.count_incidents(w.v["us_analyst"], IncidentFilter(party=party)) == 0, party
    assert hub.count_incidents(mx, IncidentFilter(party="zanzibar")) == 1


def test_pagination_over_search_results(hub: Hub) -> None:
    w = make_world(hub)
    made = [
        hub.create_incident(
            w.v["mx_analyst"], seizure(tlp="green", narrative=f"{'pallet' if i % 3 else 'crate'} {i}")
        )
        for i in range(20)
    ]
    expected = {m["id"] for i, m in enumerate(made) if i % 3}
    seen: list[str] = []
    for offset in range(0, 20, 4):
        items, total = hub.list_incidents(w.v["us_viewer"], IncidentFilter(q="pall"), limit=4, offset=offset)
        assert total == len(expected)
        seen += [i["id"] for i in items]
    assert len(seen) == len(set(seen)) and set(seen) == expected


QUERIES = [
    *(
        w[:n]
        for w in ("piperidona", "tambores", "drums", "quoted", "trader", "jiayun")
        for n in (1, 3, 5, 12)
    ),
    *("嘉运", "哌啶", "运嘉", "ピペ", "4 苯胺", "cafe 7", "n 7", "100", "pure tax", "c v", "it s", "e"),
]


@pytest.fixture
def both_hubs(tmp_path: Path, kb: KnowledgeBase) -> Iterator[dict[str, Hub]]:
    """The same empty hub on SQLite and on PostgreSQL."""
    with database_url("sqlite", tmp_path) as lite, database_url("postgresql", tmp_path) as pg:
        hubs = {
            name: Hub.from_url(url, kb, warninglist=load_warninglist())
            for name, url in (("s", lite), ("p", pg))
        }
        try:
            for h in hubs.values():
                h.init()
            yield hubs
        finally:
            for h in hubs.values():
                h.close()


def test_sqlite_and_postgresql_give_the_same_results(both_hubs: dict[str, Hub]) -> None:
    results: dict[str, list[set[str]]] = {}
    for name, hub in both_hubs.items():
        w, ids = _load(hub)
        results[name] = [_found(hub, w, ids, q=q) for q in QUERIES]
        results[name] += [_found(hub, w, ids, party=q) for q in QUERIES]
    assert results["s"] == results["p"]
    assert sum(map(bool, results["s"])) > len(QUERIES)  # most queries find something
