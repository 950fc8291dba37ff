"""Ship a `ScreenJob` to Spark executors together with the files it names.

A job names its knowledge base, policy and watchlists by path. An executor on another machine may not
have those paths, or may have different files there; so the driver broadcasts the content of each file
with the job, and each executor uses its own file only when the content is the same, else writes the
shipped copy to a private temporary directory and screens with that.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from precwatch.pipelines.screen import ScreenJob


@dataclass(frozen=True, slots=True)
class ShippedJob:
    """A job and the bytes of every file it names (by the path the driver used)."""

    job: ScreenJob
    files: tuple[tuple[str, bytes], ...]
    digest: str


def ship(job: ScreenJob) -> ShippedJob:
    """The job with the content of its knowledge-base, policy and watchlist files."""
    paths = [p for p in (job.kb_path, job.policy_path, *job.watchlist_paths) if p is not None]
    files = tuple((p, Path(p).read_bytes()) for p in dict.fromkeys(paths))
    digest = hashlib.sha256(repr(job).encode())
    for path, data in files:
        digest.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
    return ShippedJob(job, files, digest.hexdigest())


_LOCAL: dict[str, ScreenJob] = {}
"""The executor-side job of each shipped job seen in this process (by digest)."""


def executor_job(shipped: ShippedJob) -> ScreenJob:
    """The job to screen with in this process: the shipped one, its paths pointing at identical files."""
    found = _LOCAL.get(shipped.digest)
    if found is not None:
        return found
    moved: dict[str, str] = {}
    folder: Path | None = None
    for path, data in shipped.files:
        here = Path(path)
        if here.is_file() and here.read_bytes() == data:
            continue
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="precwatch-job-"))
        copy = folder / hashlib.sha256(data).hexdigest()[:16] / here.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(data)
        moved[path] = str(copy)
    job = shipped.job
    if moved:
        job = replace(
            job,
            kb_path=moved.get(job.kb_path, job.kb_path) if job.kb_path else None,
            policy_path=moved.get(job.policy_path, job.policy_path) if job.policy_path else None,
            watchlist_paths=tuple(moved.get(p, p) for p in job.watchlist_paths),
        )
    _LOCAL[shipped.digest] = job
    return job
