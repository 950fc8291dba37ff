"""The knowledge-base browser: every substance with its names in all languages, its structure drawing, its
controls per jurisdiction (status, source, date), and an autocomplete for the incident form.

The knowledge base is public reference data: every signed-in user sees all of it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.structure.depict import substance_svg
from precwatch.web.ui import render
from precwatch.web.ui.deps import SessionDep

router = APIRouter()


def _kb(request: Request) -> KnowledgeBase:
    kb: KnowledgeBase = request.app.state.hub.kb
    return kb


@router.get("/kb")
def kb_index(request: Request, session: SessionDep, q: str = "") -> Response:
    """Every substance (or those matching `q`), with CAS and role."""
    kb = _kb(request)
    found = [s for s, _, _ in kb.search(q, limit=50)] if q.strip() else list(kb.substances)
    context = {"viewer": session.viewer, "csrf": session.csrf, "substances": found, "q": q, "kb": kb}
    return render.page(request, "kb_index.html", context)


@router.get("/kb/suggest")
def suggest(request: Request, session: SessionDep, q: str = "") -> JSONResponse:
    """Autocomplete for substance fields: up to 10 `{id, name, cas}` for what was typed."""
    out: list[dict[str, Any]] = []
    if len(q.strip()) >= 2:
        for s, _, _ in _kb(request).search(q, limit=10):
            out.append({"id": s.id, "name": s.preferred_name, "cas": s.cas})
    return JSONResponse(out, headers=render.SECURITY_HEADERS)


@router.get("/kb/{substance_id}.svg")
def structure(request: Request, session: SessionDep, substance_id: str) -> Response:
    """The substance's structure drawing (SVG)."""
    s = _kb(request).lookup(substance_id)
    if s is None or not s.smiles:
        raise HTTPException(404, "Not Found")
    svg = substance_svg(_kb(request), s.id)
    return Response(svg, media_type="image/svg+xml", headers=render.SECURITY_HEADERS)


@router.get("/kb/{substance_id}")
def substance(request: Request, session: SessionDep, substance_id: str) -> Response:
    """One substance: names by language, identifiers, controls with sources and dates."""
    kb = _kb(request)
    s = kb.lookup(substance_id)
    if s is None:
        raise HTTPException(404, "Not Found")
    context = {
        "viewer": session.viewer,
        "csrf": session.csrf,
        "s": s,
        "parent": kb.parent(s) if s.parent else None,
    }
    return render.page(request, "kb_substance.html", context)
