"""The re-screening checkpoints repository: how far each job got through each kind of record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from precwatch.store.tables import rescreen_checkpoints

c = rescreen_checkpoints.c


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Progress of one job over one kind of record: the last id done, counts, and when it finished."""

    job: str
    record_kind: str
    last_id: str | None
    processed: int
    alerts: int
    finished_at: datetime | None


def get(conn: Connection, job: str, record_kind: str) -> Checkpoint | None:
    """The checkpoint, or None when the job never started on this kind."""
    row = (
        conn.execute(select(rescreen_checkpoints).where(c.job == job, c.record_kind == record_kind))
        .mappings()
        .first()
    )
    if row is None:
        return None
    return Checkpoint(
        row["job"], row["record_kind"], row["last_id"], row["processed"], row["alerts"], row["finished_at"]
    )


def save(conn: Connection, point: Checkpoint, *, at: datetime) -> None:
    """Create or move the checkpoint."""
    values = {
        "last_id": point.last_id,
        "processed": point.processed,
        "alerts": point.alerts,
        "finished_at": point.finished_at,
        "updated_at": at,
    }
    done = conn.execute(
        update(rescreen_checkpoints)
        .where(c.job == point.job, c.record_kind == point.record_kind)
        .values(**values)
    )
    if not done.rowcount:
        conn.execute(
            insert(rescreen_checkpoints), {"job": point.job, "record_kind": point.record_kind, **values}
        )
