"""The audit log, for admins: every write and every read of amber and red records by their organisation."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Query

from precwatch.web.deps import AdminDep, HubDep
from precwatch.web.params import Sequence
from precwatch.web.schemas import AuditPage

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditPage, summary="Audit entries of your organisation")
def audit_entries(
    hub: HubDep,
    viewer: AdminDep,
    after: Annotated[Sequence, Query(description="Only entries with a larger sequence number.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Entries made by users of your organisation, oldest first (admins only).

    The log is one hash chain for the whole hub; entries of other organisations are left out, so the
    `prev_hash` of an entry may name one you do not see. The operator checks the whole chain with
    `precwatch hub audit verify`.
    """
    entries = hub.audit_entries(after, limit, org_id=viewer.org_id)
    return {
        "entries": [dataclasses.asdict(e) for e in entries],
        "next_after": entries[-1].seq if len(entries) == limit else None,
    }
