"""Screening runs started from the screening page: an uploaded file screened in a background thread, with
its progress, verdicts (JSON Lines), rejects and the static HTML report kept in a private temporary folder.

A run belongs to the user who started it: nobody else can see it (another user gets 404). Runs live in the
server process's memory and their folder; a restart forgets them.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from precwatch.core.screening.records import Kind
from precwatch.io.records import InputError, Reject
from precwatch.io.report import FlaggedRecord, Provenance, ReportCollector, file_sha256
from precwatch.io.results import RejectWriter, open_results
from precwatch.io.tables import read_raw
from precwatch.pipelines.engine import ScreeningError, run_local
from precwatch.pipelines.screen import ScreenJob

MAX_TABLE = 2000
"""The result table shows at most this many flagged records (the downloads hold every record)."""


@dataclass
class Run:
    """One screening run: who started it, its file, progress and outcome."""

    id: str
    user_id: int
    file_name: str
    kind: Kind
    folder: Path
    state: str = "running"
    done: int = 0
    total: int | None = None
    unit: str = "bytes"
    error: str | None = None
    levels: dict[str, int] = field(default_factory=dict)
    rejected: int = 0
    flagged: list[FlaggedRecord] = field(default_factory=list)

    @property
    def results(self) -> Path:
        return self.folder / "results.jsonl"

    @property
    def report(self) -> Path:
        return self.folder / "report.html"

    @property
    def rejects(self) -> Path:
        return self.folder / "rejects.jsonl"

    def percent(self) -> int:
        if self.state != "running":
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0


class ScreeningRuns:
    """The runs of one server process."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root or tempfile.mkdtemp(prefix="precwatch-screening-"))
        self._runs: dict[str, Run] = {}
        self._lock = threading.Lock()

    def start(self, user_id: int, file_name: str, data: bytes, *, kind: Kind) -> Run:
        """Save the upload and screen it in a background thread; returns the run at once."""
        run_id = uuid.uuid4().hex
        folder = self.root / run_id
        folder.mkdir(parents=True)
        safe = Path(file_name).name or "upload.csv"
        (folder / safe).write_bytes(data)
        run = Run(run_id, user_id, safe, kind, folder)
        with self._lock:
            self._runs[run_id] = run
        threading.Thread(target=_screen, args=(run,), daemon=True, name=f"screen-{run_id[:8]}").start()
        return run

    def get(self, user_id: int, run_id: str) -> Run | None:
        """The run if `user_id` started it, else None (exactly as a missing one)."""
        run = self._runs.get(run_id)
        return run if run is not None and run.user_id == user_id else None

    def of_user(self, user_id: int) -> list[Run]:
        """The user's runs, newest first."""
        return [r for r in reversed(self._runs.values()) if r.user_id == user_id]

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _screen(run: Run) -> None:
    path = str(run.folder / run.file_name)
    job = ScreenJob(run.kind, None, file_name=run.file_name)
    try:
        screener = job.screener()
        rows, run.total = read_raw(path, None, kind=run.kind)
        run.unit = rows.progress.unit
        provenance = Provenance(screener.kb.version, screener.policy.version, (), file_sha256(path))
        collector = ReportCollector(run.kind, screener.kb.version, run.file_name, max_flagged=MAX_TABLE,
                                    provenance=provenance, thresholds=screener.policy.levels)  # fmt: skip
        with (
            open_results(str(run.results), screener.kb.version) as out,
            RejectWriter(str(run.rejects)) as rej,
        ):
            for item in run_local(rows, job, jobs=1):
                if isinstance(item, Reject):
                    rej.write(item)
                    collector.add_reject(item)
                    run.rejected += 1
                else:
                    out.write(item)
                    collector.add(item, item.record)
                    run.levels[item.level] = run.levels.get(item.level, 0) + 1
                run.done = rows.progress.done
        run.report.write_text(collector.render(), encoding="utf-8")
        run.flagged = collector.flagged()
        run.state = "done"
    except (InputError, ScreeningError, ValueError, OSError) as exc:
        run.error = str(exc)
        run.state = "failed"
