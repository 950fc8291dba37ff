"""Marketplace pages: the vendors resolved over the stored snapshots (names, platforms, contacts, listings,
first and last seen) and the offers per substance over the capture dates (a chart, with scheduling dates).

The market store lives in the hub's database (migration 0002); it holds what public marketplaces showed, not
shared intelligence, so every signed-in user sees the same pages. Fill it with `precwatch market ingest --db`
on the hub's database.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from precwatch.hub import Hub
from precwatch.pipelines.market import resolve_store, timeline, vendor_records
from precwatch.store.market import MarketStore
from precwatch.web.ui import render
from precwatch.web.ui.deps import SessionDep

router = APIRouter()


@router.get("/market")
def market(request: Request, session: SessionDep) -> Response:
    """Vendors (most listings first) and offers per substance over time."""
    hub: Hub = request.app.state.hub
    store = MarketStore(hub.engine)
    resolved = resolve_store(store)
    vendors = sorted(vendor_records(resolved), key=lambda v: (-len(v["listings"]), v["vendor_id"]))
    over_time = timeline(resolved, hub.kb)
    chart = {
        "months": over_time["dates"],
        "series": {s["name"]: s["counts"] for s in over_time["series"][:6]},
    }
    context = {"viewer": session.viewer, "csrf": session.csrf, "vendors": vendors, "timeline": over_time,
               "chart": chart, "snapshots": store.snapshots()}  # fmt: skip
    return render.page(request, "market.html", context)
