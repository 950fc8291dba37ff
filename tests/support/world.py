"""A small hub population for use-case and repository tests: three organisations and their users, as viewers."""

from __future__ import annotations

from dataclasses import dataclass

from precwatch.core.sharing.tlp import Role, Viewer
from precwatch.hub import Hub, Org
from tests.support.samples import seizure as seizure  # re-exported for the tests

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
    hub: Hub
    orgs: dict[str, Org]
    v: dict[str, Viewer]


def make_world(hub: Hub) -> World:
    """Organisations MX, US, CN and the users in `USERS`, each as a `Viewer`."""
    orgs = {c: hub.create_org(f"{c} agency", c) for c in ("MX", "US", "CN")}
    viewers = {}
    for name, (country, role) in USERS.items():
        user = hub.create_user(f"{name}@{country.lower()}.example", orgs[country].id, role=role)
        viewers[name] = Viewer(user.id, user.org_id, user.role, user.email)
    return World(hub, orgs, viewers)
