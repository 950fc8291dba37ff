"""A small hub population for store tests: three organisations and their users, as viewers."""

from __future__ import annotations

from dataclasses import dataclass

from precwatch.core.sharing.tlp import Role, Viewer
from precwatch.store import Org, Store
from tests.incident_samples import seizure as seizure  # re-exported for the store tests

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
