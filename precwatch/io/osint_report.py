"""The OSINT timeline as one self-contained HTML page (inline CSS and SVG; no scripts, fonts or CDN)."""

from __future__ import annotations

from datetime import date

from precwatch.core.osint.facts import ArticleFacts
from precwatch.core.osint.timeline import Event
from precwatch.io.rendering import render

AXIS_WIDTH = 900
"""Width in pixels of the SVG time axis."""
LABEL_ROWS = 4
"""Rows of date labels (above and below the axis), so that close events keep legible labels."""
LABEL_WIDTH = 90
"""Room one label needs, in pixels."""


def _axis(events: list[Event]) -> list[dict[str, object]]:
    dated = [e for e in events if e.date]
    if not dated:
        return []
    first = min(e.date for e in dated if e.date)
    last = max(e.date for e in dated if e.date)
    span = max((last - first).days, 1)
    marks = []
    row_end = [float("-inf")] * LABEL_ROWS
    for n, e in enumerate(dated, start=1):
        assert e.date is not None
        x = 60 + (AXIS_WIDTH - 120) * (e.date - first).days / span
        free = [r for r in range(LABEL_ROWS) if row_end[r] < x - LABEL_WIDTH]
        row = free[0] if free else min(range(LABEL_ROWS), key=lambda r: row_end[r])
        row_end[row] = x
        marks.append({"x": round(x, 1), "label": e.date.isoformat(), "n": n, "id": e.id, "row": row})
    return marks


def render_timeline(events: list[Event], facts: list[ArticleFacts], *, generated: date | None = None) -> str:
    """The HTML page: a time axis with one mark per dated event, then one card per event with its date,
    type, headline, facts and sources (file, outlet, language, publication date)."""
    by_id = {f.article.id: f for f in facts}
    return render(
        "osint_timeline.html",
        events=events,
        by_id=by_id,
        marks=_axis(events),
        width=AXIS_WIDTH,
        generated=(generated.isoformat() if generated else ""),
    )
