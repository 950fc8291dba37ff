"""Re-screening: when the knowledge base changes, identify stored records again and alert on new hits.

For each registered kind of record (`precwatch.hub.records`), the text substances are identified in is read
again with the old and the new knowledge base; each substance found only under the new one raises a
`rescreen` alert ("would have matched X under KB vN") to every user who may see the record. The job is
`OLD -> NEW` (the two versions); it commits a checkpoint after each batch, so a run that stops is resumed
where it stopped, and running it again after it finished does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from precwatch.core.kb.changes import diff
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.alerts import rescreen_message
from precwatch.core.sharing.incidents import identify_substances, substance_ids
from precwatch.core.sharing.tlp import Viewer, can_view
from precwatch.hub.alerts import alert_row, raise_alert
from precwatch.hub.context import HubContext
from precwatch.hub.records import SOURCES
from precwatch.store import accounts
from precwatch.store import rescreen as checkpoints

BATCH = 200


@dataclass(frozen=True, slots=True)
class RescreenReport:
    """What a run did: the job, records read again (this run and in all), new hits and alerts raised."""

    job: str
    changed: bool
    processed: int
    total_processed: int
    new_hits: int
    alerts: int
    resumed: bool


def job_name(old: KnowledgeBase, new: KnowledgeBase) -> str:
    """The job id: `OLD -> NEW` versions."""
    return f"{old.version} -> {new.version}"


def pending(ctx: HubContext, old: KnowledgeBase, new: KnowledgeBase) -> int:
    """How many records are still to be read again (for a progress bar)."""
    job = job_name(old, new)
    left = 0
    with ctx.begin() as conn:
        for kind, src in SOURCES.items():
            point = checkpoints.get(conn, job, kind)
            if point is not None and point.finished_at is not None:
                continue
            left += len(src.texts(conn, point.last_id if point else None, 10**9))
    return left


def rescreen(
    ctx: HubContext,
    old: KnowledgeBase,
    new: KnowledgeBase,
    *,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
    stop_after: int | None = None,
) -> RescreenReport:
    """Read every stored record again under `old` and `new`; alert on substances only `new` finds.

    `progress(n)` is called after each batch with the records it read; `stop_after` stops after about that
    many records (the next run resumes). A KB pair with no difference does nothing.
    """
    job = job_name(old, new)
    if diff(old, new).empty:
        return RescreenReport(job, False, 0, 0, 0, 0, False)
    processed = new_hits = raised = total = 0
    resumed = False
    for kind, src in SOURCES.items():
        with ctx.begin() as conn:
            point = checkpoints.get(conn, job, kind) or checkpoints.Checkpoint(job, kind, None, 0, 0, None)
        resumed = resumed or point.processed > 0
        while point.finished_at is None:
            if stop_after is not None and processed >= stop_after:
                break
            now = datetime.now(UTC)
            with ctx.begin() as conn:
                page = src.texts(conn, point.last_id, batch)
                if not page:
                    point = checkpoints.Checkpoint(
                        job, kind, point.last_id, point.processed, point.alerts, now
                    )
                    checkpoints.save(conn, point, at=now)
                    break
                users = [Viewer(u.id, u.org_id, u.role, u.email) for u in accounts.list_users(conn)]
                page_alerts = 0
                for record_id, text in page:
                    before = set(substance_ids(identify_substances(text, old)))
                    gained = [s for s in substance_ids(identify_substances(text, new)) if s not in before]
                    if not gained:
                        continue
                    stored = src.load(conn, [record_id]).get(record_id)
                    if stored is None:
                        continue
                    new_hits += len(gained)
                    label = f"{src.label} {record_id}"
                    for user in (u for u in users if can_view(u, stored.acl)):
                        for substance in gained:
                            name = new.by_id[substance].preferred_name
                            row = alert_row(
                                user,
                                kind="rescreen",
                                record_kind=kind,
                                record_id=record_id,
                                message=rescreen_message(name, label, version=new.version),
                                dedupe=f"rescreen:{job}:{kind}:{record_id}:{substance}",
                                detail={"substance": substance, "kb_version": new.version},
                                now=now,
                            )
                            page_alerts += raise_alert(conn, row) is not None
                point = checkpoints.Checkpoint(
                    job, kind, page[-1][0], point.processed + len(page), point.alerts + page_alerts, None
                )
                checkpoints.save(conn, point, at=now)
            processed += len(page)
            raised += page_alerts
            if progress is not None:
                progress(len(page))
        total += point.processed
    return RescreenReport(job, True, processed, total, new_hits, raised, resumed)
