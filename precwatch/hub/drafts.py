"""Draft incidents: proposed by a feed (OSINT seizure events), approved by an analyst.

A draft is an incident with `state = "draft"`: its owner organisation sees, edits and retracts it like any
incident; every other organisation sees nothing of it (404, absent from lists and counts) whatever its TLP.
Publishing is the analyst's decision to share it: the state becomes "published" at the next version, and
the audit chain records who published it and when (`incident.publish`). Publishing correlates the incident
and raises watch-rule alerts for the partners who may now see it, as recording a new incident does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from precwatch.core.sharing.tlp import Viewer
from precwatch.hub.context import HubContext
from precwatch.hub.errors import HubError, NotFound
from precwatch.hub.incidents import (
    _check_writable,
    _correlate_and_alert,
    _raise_lost_race,
    _seen,
    _visible_row,
)
from precwatch.store import audit
from precwatch.store import incidents as rows


class AlreadyPublished(HubError):
    """The incident is not a draft (it was published already, or recorded directly). HTTP 409."""


def publish(
    ctx: HubContext,
    viewer: Viewer,
    incident_id: str,
    *,
    expected_version: int | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Publish a draft incident: from now on it is shared by its TLP like any other. Returns it at the
    next version. Raises `NotFound` (missing, invisible, or another organisation's draft), `Forbidden`
    (not a writer of the owner organisation), `Retracted`, `VersionConflict`, `AlreadyPublished`."""
    with ctx.begin() as conn:
        row = _visible_row(conn, viewer, incident_id)
        if row is None:
            raise NotFound(f"no incident {incident_id}")
        expected = int(row["version"]) if expected_version is None else expected_version
        _check_writable(viewer, row, expected)
        if row["state"] != rows.DRAFT:
            raise AlreadyPublished(f"incident {incident_id} is not a draft")
        values = {"state": rows.PUBLISHED, "updated_at": datetime.now(UTC)}
        published = rows.update_at_version(conn, incident_id, expected_version=expected, values=values)
        if published is None:
            _raise_lost_race(conn, incident_id, expected)
        # Partners see it from now on: correlate it and alert their watch rules as for a new record.
        _correlate_and_alert(ctx, conn, published, viewer, created=True)
        audit.append(
            conn,
            viewer,
            action="incident.publish",
            resource="incident",
            resource_id=incident_id,
            request_id=request_id,
            detail={"version": expected + 1, "tlp": row["tlp"]},
        )
        return _seen(published, viewer)
