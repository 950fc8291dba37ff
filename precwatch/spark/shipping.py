"""Ship a job (`ScreenJob`, `IdentifyJob`) to Spark executors together with the files it names.

A job names its knowledge base (and policy and watchlists, for screening) by path. An executor on another machine may not
have those paths, or may have different files there; so the driver broadcasts the content of each file
with the job, and each executor uses its own file only when the content is the same, else writes the
shipped copy to a private temporary directory and screens with that.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, Self, TypeVar


class Shippable(Protocol):
    """A job that names its files by path and can name them elsewhere."""

    def paths(self) -> tuple[str, ...]: ...

    def moved(self, to: dict[str, str], /) -> Self: ...


J = TypeVar("J", bound=Shippable)


@dataclass(frozen=True, slots=True)
class ShippedJob(Generic[J]):
    """A job and the bytes of every file it names (by the path the driver used)."""

    job: J
    files: tuple[tuple[str, bytes], ...]
    digest: str


def ship(job: J) -> ShippedJob[J]:
    """The job with the content of the files it names."""
    files = tuple((p, Path(p).read_bytes()) for p in dict.fromkeys(job.paths()))
    digest = hashlib.sha256(repr(job).encode())
    for path, data in files:
        digest.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
    return ShippedJob(job, files, digest.hexdigest())


_LOCAL: dict[str, Any] = {}
"""The executor-side job of each shipped job seen in this process (by digest)."""


def executor_job(shipped: ShippedJob[J]) -> J:
    """The job to run in this process: the shipped one, its paths pointing at identical files."""
    found = _LOCAL.get(shipped.digest)
    if found is not None:
        return found  # type: ignore[no-any-return]
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
    job = shipped.job.moved(moved) if moved else shipped.job
    _LOCAL[shipped.digest] = job
    return job
