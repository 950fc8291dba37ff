"""The screening page: upload a declarations or listings file, watch the progress, sort and filter the flagged
records, download the results (JSON Lines), the rejects and the static report.

Runs are private to the user who started them (see `screening_runs`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from fastapi.responses import FileResponse

from precwatch.io.rendering import environment
from precwatch.io.report import QUALIFIER_CODES, TABLE_SCRIPT
from precwatch.web.ui import render
from precwatch.web.ui.deps import SessionDep
from precwatch.web.ui.screening_runs import Run, ScreeningRuns
from precwatch.web.ui.session import csrf_ok

router = APIRouter()
MAX_UPLOAD = 50 * 1024 * 1024
"""The largest file the page accepts (screen bigger files with `precwatch screen`)."""
DOWNLOADS = {"results.jsonl": "application/x-ndjson", "rejects.jsonl": "application/x-ndjson",
             "report.html": "text/html"}  # fmt: skip


def runs_of(request: Request) -> ScreeningRuns:
    """The app's screening runs (created on first use)."""
    runs: ScreeningRuns | None = getattr(request.app.state, "screening_runs", None)
    if runs is None:
        runs = request.app.state.screening_runs = ScreeningRuns()
    return runs


def _run(request: Request, session: SessionDep, run_id: str) -> Run:
    run = runs_of(request).get(session.viewer.user_id, run_id)
    if run is None:
        raise HTTPException(404, "Not Found")
    return run


@router.get("/static/table.js")
def table_script() -> Response:
    """The table script the screening report inlines (one source for the report and the pages)."""
    source = environment().loader.get_source(environment(), TABLE_SCRIPT)[0]  # type: ignore[union-attr]
    return Response(source, media_type="text/javascript", headers=render.SECURITY_HEADERS)


@router.get("/screening")
def screening_form(request: Request, session: SessionDep) -> Response:
    """The upload form and the user's earlier runs."""
    context = {"viewer": session.viewer, "csrf": session.csrf,
               "runs": runs_of(request).of_user(session.viewer.user_id)}  # fmt: skip
    return render.page(request, "screening.html", context)


@router.post("/screening")
async def upload(
    request: Request,
    session: SessionDep,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()] = "declarations",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Start screening the uploaded file; go to its page."""
    if not csrf_ok(session.csrf, csrf):
        raise HTTPException(403, "the form's CSRF token is missing or wrong: reload the page and try again")
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise HTTPException(413, f"the file is larger than {MAX_UPLOAD // 1024 // 1024} MB")
    run = runs_of(request).start(
        session.viewer.user_id,
        file.filename or "upload.csv",
        data,
        kind="listings" if kind == "listings" else "declarations",
    )
    return render.redirect(f"/ui/screening/{run.id}")


@router.get("/screening/{run_id}")
def run_page(request: Request, session: SessionDep, run_id: str) -> Response:
    """The run's progress (the page refreshes itself while it runs), then its flagged records."""
    run = _run(request, session, run_id)
    context = {"viewer": session.viewer, "csrf": session.csrf, "run": run, "qualifier_codes": QUALIFIER_CODES}
    return render.page(request, "screening_run.html", context)


@router.get("/screening/{run_id}/{name}")
def download(request: Request, session: SessionDep, run_id: str, name: str) -> Response:
    """Download the run's results, rejects or report."""
    run = _run(request, session, run_id)
    if name not in DOWNLOADS or run.state != "done" or not (run.folder / name).exists():
        raise HTTPException(404, "Not Found")
    stem = run.file_name.rsplit(".", 1)[0]
    response = FileResponse(run.folder / name, media_type=DOWNLOADS[name], filename=f"{stem}-{name}")
    render.secure(response)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
