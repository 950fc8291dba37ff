"""A small hub population for store tests: three organisations and their users, as viewers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from precwatch.core.sharing import Role, Viewer
from precwatch.store import Org, Store

USERS: dict[str, tuple[str, Role]] = {
    "mx_analyst": ("MX", "analyst"),
    "mx_analyst2": ("MX", "analyst"),
    "mx_admin": ("MX", "admin"),
    "mx_viewer": ("MX", "viewer"),
    "us_analyst": ("US", "analyst"),
    "us_viewer": ("US", "viewer"),
    "cn_analyst": ("CN", "analyst"),
}


@dataclass
class World:
    store: Store
    orgs: dict[str, Org]
    v: dict[str, Viewer]


def make_world(store: Store) -> World:
    """Organisations MX, US, CN and the users in `USERS`, each as a `Viewer`."""
    orgs = {c: store.create_org(f"{c} agency", c) for c in ("MX", "US", "CN")}
    viewers = {}
    for name, (country, role) in USERS.items():
        user = store.create_user(f"{name}@{country.lower()}.example", orgs[country].id, role)
        viewers[name] = Viewer(user.id, user.org_id, user.role, user.email)
    return World(store, orgs, viewers)


def seizure(**changes: Any) -> dict[str, Any]:
    """A complete seizure body (MX, NPP, a company and a person with nominal data), with changes applied."""
    body: dict[str, Any] = {
        "type": "seizure",
        "occurred_on": "2025-03-14",
        "reported_on": "2025-03-16",
        "country": "MX",
        "place": "Manzanillo port",
        "substances_text": "25 drums of N-phenethyl-4-piperidone (CAS 39742-60-4)",
        "quantity": 500,
        "unit": "kg",
        "concealment": "false bottom in drums",
        "declared_cover": "declared as 'industrial cleaning agent'",
        "route": {
            "origin": {"country": "CN", "port": "Shanghai"},
            "transit": [{"country": "KR", "port": "Busan"}],
            "destination": {"country": "MX", "port": "Manzanillo"},
        },
        "parties": [
            {
                "kind": "company",
                "role": "consignor",
                "name": "Hubei Brightchem Trading Co",
                "addresses": ["12 Jiefang Road, Wuhan"],
                "emails": ["sales@brightchem.example"],
            },
            {
                "kind": "person",
                "role": "consignee",
                "name": "Rogelio Tamayo",
                "phones": ["+52 55 5555 0101"],
                "emails": ["rtamayo@mail.example"],
                "addresses": ["Calle Ficticia 9, Guadalajara"],
            },
        ],
        "narrative": "Drums found during a routine x-ray; the consignee could not be located.",
        "tlp": "green",
    }
    body.update(changes)
    return body
