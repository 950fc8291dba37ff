"""The dashboard's figures, computed only from the incidents the viewer may see (through the hub's list)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from precwatch.core.sharing.incidents import substance_ids
from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import Hub
from precwatch.hub.incidents import MAX_PAGE
from precwatch.store.models import IncidentFilter

MAX_INCIDENTS = 5000
"""The dashboard summarises at most this many of the most recent visible incidents."""


@dataclass(frozen=True)
class Dashboard:
    """Counts, substances per month, origin → destination flows and recent partner activity."""

    total: int
    by_type: list[tuple[str, int]]
    by_tlp: list[tuple[str, int]]
    months: list[str]
    substances: dict[str, list[int]]
    flows: list[tuple[str, str, int]]
    partner_activity: list[dict[str, Any]]

    def chart(self) -> dict[str, Any]:
        """The substances-per-month series as the dashboard script reads it."""
        return {"months": self.months, "series": self.substances}


def visible_incidents(
    hub: Hub, viewer: Viewer, *, limit: int = MAX_INCIDENTS
) -> tuple[list[dict[str, Any]], int]:
    """The viewer's visible live incidents (most recent first, at most `limit`) and how many there are."""
    found: list[dict[str, Any]] = []
    total = 0
    flt = IncidentFilter(retracted=False)
    while len(found) < limit:
        page, total = hub.list_incidents(viewer, flt, limit=MAX_PAGE, offset=len(found))
        found += page
        if len(page) < MAX_PAGE:
            break
    return found[:limit], total


def summarise(hub: Hub, viewer: Viewer, *, top: int = 6) -> Dashboard:
    """The dashboard of `viewer`: nothing in it comes from an incident they may not see."""
    incidents, total = visible_incidents(hub, viewer)
    names = {s.id: s.preferred_name for s in hub.kb.substances}
    per_month: Counter[tuple[str, str]] = Counter()
    overall: Counter[str] = Counter()
    flows: Counter[tuple[str, str]] = Counter()
    for inc in incidents:
        month = str(inc.get("occurred_on") or "")[:7]
        for sid in substance_ids(inc.get("substances") or []):
            per_month[(month, sid)] += 1
            overall[sid] += 1
        route = inc.get("route") or {}
        origin = (route.get("origin") or {}).get("country")
        dest = (route.get("destination") or {}).get("country") or inc.get("country")
        if origin and dest:
            flows[(str(origin), str(dest))] += 1
    months = sorted({m for m, _ in per_month if m})
    series = {
        names.get(sid, sid): [per_month[(m, sid)] for m in months] for sid, _ in overall.most_common(top)
    }
    partners = [i for i in incidents if i.get("owner_org_id") != viewer.org_id]
    partners.sort(key=lambda i: str(i.get("updated_at") or ""), reverse=True)
    return Dashboard(
        total=total,
        by_type=Counter(str(i.get("type")) for i in incidents).most_common(),
        by_tlp=Counter(str(i.get("tlp")) for i in incidents).most_common(),
        months=months,
        substances=series,
        flows=[(o, d, n) for (o, d), n in flows.most_common(10)],
        partner_activity=partners[:10],
    )
