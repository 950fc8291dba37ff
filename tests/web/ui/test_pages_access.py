"""The access matrix, extended to the pages: for every user and every TLP level, an incident appears in a page
(list, detail, edit form, dashboard count and chart, partner activity) exactly when TLP lets the user see it,
and an owner-only value never appears in any page of a partner.

The oracle is TLP as the design states it, written out here independently of precwatch.core.sharing.tlp.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from tests.support.api import USERS, Api
from tests.support.pages import Browser

TLPS = ("clear", "green", "amber", "amber+strict", "red")


@dataclass
class Rec:
    id: str
    tlp: str
    place: str
    secret: str


def visible(api: Api, user: str, rec: Rec) -> bool:
    org = USERS[user][0]
    if rec.tlp in ("clear", "green"):
        return True
    if rec.tlp in ("amber", "amber+strict"):
        return org in ("MX", "US")  # owner MX, shared with US
    return user in ("mx_analyst", "us_analyst")  # creator, shared with one US user


def records(api: Api) -> list[Rec]:
    out = []
    for tlp in TLPS:
        marker = tlp.replace("+", "-")
        secret = f"Secretname {marker} Zyxq"
        party = {"kind": "person", "role": "consignee", "name": secret, "phones": ["+52 55 5555 0199"],
                 "owner_only": ["name", "phones"]}  # fmt: skip
        inc = api.create(
            "mx_analyst",
            tlp=tlp,
            place=f"Place-{marker}-Qwv",
            occurred_on="2025-05-0" + str(TLPS.index(tlp) + 1),
            reported_on="2025-06-01",
            substances_text="4-anilinopiperidine" if tlp != "clear" else "N-phenethyl-4-piperidone",
            shared_with_orgs=[api.orgs["US"].id] if tlp.startswith("amber") else [],
            shared_with_users=[api.users["us_analyst"].id] if tlp == "red" else [],
            parties=[party],
        )
        out.append(Rec(inc["id"], tlp, f"Place-{marker}-Qwv", secret))
    return out


def test_pages_show_exactly_what_tlp_allows_and_never_a_redacted_value(api: Api) -> None:
    recs = records(api)
    for user in USERS:
        browser = Browser(api, user)
        partner = USERS[user][0] != "MX"
        seen = [r for r in recs if visible(api, user, r)]
        pages = {
            "dashboard": browser.get("/ui/").text,
            "list": browser.get("/ui/incidents").text,
            "search": browser.get("/ui/incidents?q=Secretname").text,
            "suggest": browser.get("/ui/kb/suggest?q=Secretname").text,
        }
        total = re.search(r'<strong id="total">(\d+)</strong>', pages["dashboard"])
        assert total and int(total.group(1)) == len(seen), (user, total)
        chart = json.loads(re.search(r'id="substances-data">(.*?)</script>', pages["dashboard"]).group(1))  # type: ignore[union-attr]
        assert sum(sum(v) for v in chart["series"].values()) == len(seen), (user, chart)
        for r in recs:
            detail = browser.get(f"/ui/incidents/{r.id}")
            edit = browser.get(f"/ui/incidents/{r.id}/edit")
            if visible(api, user, r):
                assert detail.status_code == 200 and r.place in detail.text, (user, r.tlp)
                assert r.id in pages["list"], (user, r.tlp)
                if partner:
                    assert "redacted" in detail.text and r.secret not in detail.text, (user, r.tlp)
                else:
                    assert r.secret in detail.text, (user, r.tlp)
            else:
                assert detail.status_code == 404 and edit.status_code == 404, (user, r.tlp)
                assert r.id not in pages["list"], (user, r.tlp)
                assert r.id not in pages["dashboard"], (user, r.tlp)
            if partner:
                for name, html in pages.items():
                    assert r.secret not in html, (user, name, r.tlp)
                    assert "5555 0199" not in html, (user, name, r.tlp)
                assert r.secret not in detail.text and r.secret not in edit.text
        if partner:  # redacted values are not searchable by partners
            assert not any(r.id in pages["search"] for r in recs), user
