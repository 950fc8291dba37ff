"""Who-am-I and organisation bodies of the hub API."""

from __future__ import annotations

from pydantic import BaseModel

from precwatch.core.sharing.tlp import Role


class OrgOut(BaseModel):
    id: int
    name: str
    country: str


class MeOut(BaseModel):
    """Who the token belongs to."""

    user_id: int
    email: str
    role: Role
    org: OrgOut
