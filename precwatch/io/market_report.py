"""The market report: one self-contained HTML page (no script, font or stylesheet fetched from anywhere).

It shows the snapshots ingested with their counts, a timeline chart (inline SVG) of listings offering each
substance per capture date with the knowledge base's scheduling dates marked, the changes between
consecutive snapshots (vendors and offers appeared, vanished; displacement to masked forms), the vendors
with their names, platforms, contacts, evidence and watchlist hits, and the seller signals seen.
Listing text is hostile input: Jinja2 autoescapes every value, and the page's Content-Security-Policy
forbids loading anything.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from precwatch.io.rendering import render

CHART_W, CHART_H, MARGIN = 760, 260, 40
PALETTE = ("#1d4ed8", "#b91c1c", "#047857", "#a16207", "#7c3aed", "#0e7490", "#be185d", "#4d7c0f")
MAX_SERIES = 8


def _x(d: str, first: date, last: date) -> float:
    span = max((last - first).days, 1)
    return float(MARGIN + (date.fromisoformat(d) - first).days / span * (CHART_W - 2 * MARGIN))


def timeline_chart(timeline: dict[str, Any]) -> dict[str, Any]:
    """Coordinates for the inline SVG: one polyline per substance, a dashed line per scheduling date."""
    dates = timeline["dates"]
    series = timeline["series"][:MAX_SERIES]
    if not dates:
        return {"width": CHART_W, "height": CHART_H, "lines": [], "marks": [], "ticks": [], "ymax": 0}
    first, last = date.fromisoformat(dates[0][:10]), date.fromisoformat(dates[-1][:10])
    ymax: int = max([max(s["counts"]) for s in series] + [1])

    def y(v: int) -> float:
        return CHART_H - MARGIN - v / ymax * (CHART_H - 2 * MARGIN)

    lines = []
    for i, s in enumerate(series):
        pts = " ".join(
            f"{_x(d[:10], first, last):.1f},{y(c):.1f}" for d, c in zip(dates, s["counts"], strict=True)
        )
        lines.append(
            {
                "name": s["name"],
                "substance": s["substance"],
                "points": pts,
                "colour": PALETTE[i % len(PALETTE)],
            }
        )
    marks = []
    for i, s in enumerate(series):
        for c in s["controls"]:
            eff = c["effective"]
            if dates[0][:10] <= eff <= dates[-1][:10]:
                marks.append({"x": round(_x(eff, first, last), 1), "label": f"{s['substance']} {c['jurisdiction']} {c['status']} {eff}",
                              "colour": PALETTE[i % len(PALETTE)]})  # fmt: skip
    ticks = [{"x": round(_x(d[:10], first, last), 1), "label": d[:10]} for d in dates]
    return {"width": CHART_W, "height": CHART_H, "lines": lines, "marks": marks, "ticks": ticks, "ymax": ymax,
            "y0": CHART_H - MARGIN, "ytop": MARGIN, "margin": MARGIN}  # fmt: skip


def render_market_report(data: dict[str, Any]) -> str:
    """The report page for `data` (keys: generated, snapshots, timeline, diffs, vendors, signals)."""
    return render("market_report.html", chart=timeline_chart(data["timeline"]), **data)
