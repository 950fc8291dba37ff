"""Visibility in SQL (lists, counts, search), redaction, filters, pagination and full-text search."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from precwatch.core.sharing.tlp import REDACTED, can_view
from precwatch.hub import Hub, IncidentError, IncidentFilter
from precwatch.store.incidents import acl_of
from precwatch.store.tables import incidents
from tests.support.world import World, make_world, seizure


def _shares(w: World) -> list[dict[str, Any]]:
    us, cn = w.orgs["US"].id, w.orgs["CN"].id
    return [
        {"tlp": "clear"},
        {"tlp": "green"},
        {"tlp": "amber"},
        {"tlp": "amber", "shared_with_orgs": [us]},
        {"tlp": "amber+strict", "shared_with_orgs": [us, cn]},
        {"tlp": "red"},
        {"tlp": "red", "shared_with_users": [w.v["us_viewer"].user_id]},
        {"tlp": "red", "shared_with_users": [w.v["mx_analyst2"].user_id, w.v["cn_analyst"].user_id]},
    ]


def test_visibility_matrix_in_sql_matches_the_policy_for_reads_lists_counts_and_search(hub: Hub) -> None:
    w = make_world(hub)
    made = []
    for owner in ("mx_analyst", "us_analyst"):
        for share in _shares(w):
            if owner == "us_analyst":
                share = {k: v for k, v in share.items() if k == "tlp"}
            made.append(hub.create_incident(w.v[owner], seizure(**share, narrative="matrixword")))
    with hub.engine.connect() as conn:
        rows = {r["id"]: r for r in conn.execute(select(incidents)).mappings()}
    for name, viewer in w.v.items():
        expected = {i["id"] for i in made if can_view(viewer, acl_of(rows[i["id"]]))}
        got = {i["id"] for i in made if hub.get_incident(viewer, i["id"]) is not None}
        assert got == expected, name
        listed, total = hub.list_incidents(viewer, limit=500)
        assert {i["id"] for i in listed} == expected and total == len(expected), name
        assert hub.count_incidents(viewer, IncidentFilter(q="matrixword")) == len(expected), name
    # spot checks of the rule itself
    assert hub.count_incidents(w.v["mx_viewer"]) == 2 + 3 + 2  # mx: clear, green, 3 amber; us: clear, green
    assert hub.count_incidents(w.v["cn_analyst"]) == 2 + 1 + 1 + 2  # clear, green, amber+strict, red named


def test_partners_see_owner_only_values_redacted_everywhere(hub: Hub) -> None:
    w = make_world(hub)
    body = seizure(tlp="amber", shared_with_orgs=[w.orgs["US"].id], owner_only=["phones", "emails"])
    body["parties"][1]["owner_only"] = ["name", "addresses"]
    inc = hub.create_incident(w.v["mx_analyst"], body)
    partner, owner = w.v["us_analyst"], w.v["mx_viewer"]
    seen = hub.get_incident(partner, inc["id"])
    assert seen is not None
    company, person = seen["parties"]
    assert company["name"] == "Hubei Brightchem Trading Co" and company["emails"] == [REDACTED]
    assert company["addresses"] == ["12 Jiefang Road, Wuhan"]
    assert person["name"] == REDACTED and person["phones"] == [REDACTED]
    assert person["emails"] == [REDACTED] and person["addresses"] == [REDACTED]
    listed, _ = hub.list_incidents(partner)
    assert listed == [seen]
    text = repr(listed)
    for secret in ("Rogelio", "Tamayo", "5555 0101", "rtamayo", "Ficticia", "brightchem.example"):
        assert secret not in text
    # redacted values cannot be found by search or by the party filter either
    for q in ("Tamayo", "5555 0101", "rtamayo@mail.example", "Ficticia"):
        assert hub.count_incidents(partner, IncidentFilter(q=q)) == 0, q
        assert hub.count_incidents(owner, IncidentFilter(q=q)) == 1, q
    assert hub.count_incidents(partner, IncidentFilter(party="rogelio")) == 0
    assert hub.count_incidents(owner, IncidentFilter(party="rogelio")) == 1
    assert hub.count_incidents(partner, IncidentFilter(party="brightchem")) == 1
    assert hub.get_incident(owner, inc["id"])["parties"][1]["name"] == "Rogelio Tamayo"  # type: ignore[index]


@pytest.fixture
def catalogue(hub: Hub) -> tuple[World, list[dict[str, Any]]]:
    """Twelve green incidents from MX and US that differ in type, date, countries, substances and parties."""
    w = make_world(hub)
    made = []
    substances = ["NPP (CAS 39742-60-4)", "4-anilinopiperidine", "1-boc-4-piperidone", "no chemical named"]
    types = ["seizure", "stopped-shipment", "online-offer"]
    for i in range(12):
        party = {"kind": "company", "role": "consignor", "name": f"Trader Número {i} Ltd"}
        body = seizure(
            type=types[i % 3],
            occurred_on=date(2025, 1 + i, 1).isoformat(),
            reported_on=date(2025, 1 + i, 2).isoformat(),
            country=["MX", "US"][i % 2],
            route={"origin": {"country": ["CN", "IN", "DE"][i % 3], "port": None}},
            substances_text=substances[i % 4],
            parties=[party],
            narrative=f"batch {i} {'éthyl café' if i == 5 else ''}",
        )
        made.append(hub.create_incident(w.v["mx_analyst" if i % 2 == 0 else "us_analyst"], body))
    return w, made


def _ids(hub: Hub, w: World, **kw: Any) -> set[str]:
    listed, total = hub.list_incidents(w.v["cn_analyst"], IncidentFilter(**kw), limit=500)
    assert total == len(listed)
    return {i["id"] for i in listed}


def test_filters(hub: Hub, catalogue: tuple[World, list[dict[str, Any]]]) -> None:
    w, made = catalogue

    def where(pred: Any) -> set[str]:
        return {m["id"] for i, m in enumerate(made) if pred(i)}

    assert _ids(hub, w, substance="npp") == where(lambda i: i % 4 == 0)
    assert _ids(hub, w, substance="39742-60-4") == where(lambda i: i % 4 == 0)
    assert _ids(hub, w, substance="4-anilinopiperidine") == where(lambda i: i % 4 == 1)
    assert _ids(hub, w, substance="not a substance") == set()
    assert _ids(hub, w, country="us") == where(lambda i: i % 2 == 1)
    assert _ids(hub, w, country="IN") == where(lambda i: i % 3 == 1)  # a route country
    assert _ids(hub, w, type="online-offer") == where(lambda i: i % 3 == 2)
    assert _ids(hub, w, occurred_from=date(2025, 3, 1), occurred_to=date(2025, 5, 1)) == where(
        lambda i: 2 <= i <= 4
    )
    assert _ids(hub, w, party="trader numero 11") == where(lambda i: i == 11)
    assert _ids(hub, w, party="TRADER") == where(lambda i: True)
    assert _ids(hub, w, owner_org_id=w.orgs["US"].id, type="seizure") == where(
        lambda i: i % 2 == 1 and i % 3 == 0
    )
    assert _ids(hub, w, country="MX", substance="npp", type="seizure") == where(lambda i: i in (0,))


def test_full_text_search(hub: Hub, catalogue: tuple[World, list[dict[str, Any]]]) -> None:
    w, made = catalogue
    assert _ids(hub, w, q="CAFÉ ethyl") == {made[5]["id"]}  # case and accents ignored, every word required
    assert _ids(hub, w, q="cafe batch 7") == set()
    assert _ids(hub, w, q="phenethyl") == {m["id"] for i, m in enumerate(made) if i % 4 == 0}  # the KB name
    assert _ids(hub, w, q="shanghai") == set()  # the route was replaced in this catalogue
    assert _ids(hub, w, q="'%_") == set()  # punctuation only: nothing to look for, so nothing matches
    with pytest.raises(IncidentError) as err:
        _ids(hub, w, q=" ".join(["word"] * 21))
    assert err.value.field == "q"


def test_pagination_is_stable_and_complete(hub: Hub, catalogue: tuple[World, list[dict[str, Any]]]) -> None:
    w, _ = catalogue
    pages = [hub.list_incidents(w.v["mx_viewer"], limit=5, offset=o) for o in (0, 5, 10, 15)]
    assert [len(p) for p, _ in pages] == [5, 5, 2, 0] and {t for _, t in pages} == {12}
    ids = [i["id"] for p, _ in pages for i in p]
    assert len(set(ids)) == 12
    dates = [i["occurred_on"] for p, _ in pages for i in p]
    assert dates == sorted(dates, reverse=True)
    with pytest.raises(ValueError, match="limit"):
        hub.list_incidents(w.v["mx_viewer"], limit=0)
    with pytest.raises(ValueError, match="offset"):
        hub.list_incidents(w.v["mx_viewer"], offset=-1)


def test_retracted_filter(hub: Hub, catalogue: tuple[World, list[dict[str, Any]]]) -> None:
    w, made = catalogue
    hub.retract_incident(w.v["mx_analyst"], made[0]["id"], reason="entered twice")
    assert _ids(hub, w, retracted=True) == {made[0]["id"]}
    assert len(_ids(hub, w, retracted=False)) == 11 and len(_ids(hub, w)) == 12
