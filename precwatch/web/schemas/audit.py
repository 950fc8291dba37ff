"""Audit-log bodies of the hub API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class AuditEntryOut(BaseModel):
    seq: int
    at: str
    actor_user_id: int | None
    actor_org_id: int | None
    action: str
    resource: str
    resource_id: str | None
    request_id: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    next_after: int | None = Field(description="Pass as `after` for the next page, or null at the end.")
