"""Export use case: the incidents a caller may see, redacted for them, ready for `precwatch.io.exports`.

The hub selects (visibility in SQL and re-checked, owner-only fields redacted for partners, exactly as
`GET /api/v1/incidents` shows them) and audits one `incident.export` entry listing the exported ids; the
io layer only renders. An export never holds a record its caller could not read one by one.
"""

from __future__ import annotations

from typing import Any

from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import incidents
from precwatch.hub.context import HubContext
from precwatch.store import audit
from precwatch.store.models import IncidentFilter

MAX_EXPORT = 10_000
"""The most incidents one export holds (narrow the filters for more)."""


def visible_incidents(
    ctx: HubContext,
    viewer: Viewer,
    filters: IncidentFilter | None = None,
    *,
    incident_id: str | None = None,
    export_format: str,
    request_id: str | None = None,
) -> list[dict[str, Any]] | None:
    """The incidents `viewer` may see matching `filters` (or the one `incident_id`), redacted for them,
    newest first; None when `incident_id` is missing or invisible. Raises `ValueError` past `MAX_EXPORT`."""
    if incident_id is not None:
        one = incidents.get(ctx, viewer, incident_id, request_id=request_id)
        if one is None:
            return None
        found = [one]
    else:
        found = []
        offset = 0
        while True:
            page, total = incidents.list_page(
                ctx, viewer, filters, limit=incidents.MAX_PAGE, offset=offset, request_id=request_id
            )
            if total > MAX_EXPORT:
                raise ValueError(
                    f"{total} incidents match; an export holds at most {MAX_EXPORT}: narrow the filters"
                )
            found += page
            offset += len(page)
            if not page or offset >= total:
                break
    with ctx.begin() as conn:
        audit.append(
            conn,
            viewer,
            action="incident.export",
            resource="incident",
            resource_id=incident_id,
            request_id=request_id,
            detail={"format": export_format, "ids": [i["id"] for i in found]},
        )
    return found
