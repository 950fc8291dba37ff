"""Audit use cases: read the hash-chained log, keep its head, and verify it.

The hub does not decide here who may read the log: the web layer restricts it (admins, own organisation);
the operator reads and verifies all of it from the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence

from precwatch.core.sharing.audit_chain import Problem, verify
from precwatch.hub.context import HubContext
from precwatch.store import audit
from precwatch.store.models import AuditEntry


def entries(
    ctx: HubContext, after_seq: int = 0, limit: int = 1000, *, org_id: int | None = None
) -> list[AuditEntry]:
    """Audit entries with seq > `after_seq`, oldest first; `org_id` keeps only entries by that org's users."""
    with ctx.begin() as conn:
        return audit.entries(conn, after_seq, limit, org_id=org_id)


def head(ctx: HubContext) -> tuple[int, str]:
    """The last audit seq and its hash: print and keep it somewhere else, then pass it to `verify_log`."""
    with ctx.begin() as conn:
        return audit.head(conn)


def entry_count(ctx: HubContext) -> int:
    """How many entries the log holds."""
    with ctx.begin() as conn:
        return audit.count(conn)


def verify_log(ctx: HubContext, anchors: Sequence[tuple[int, str]] = ()) -> list[Problem]:
    """Every sign of tampering in the audit log: edited, deleted, reordered entries (by seq). [] = intact.
    Each `Problem` has `kind`, `seqs` and a human `message` (also its `str()`). `anchors` are earlier
    `head()` values kept outside the database; they catch a rewrite that recomputed every hash."""
    with ctx.begin() as conn:
        rows = audit.rows_for_verify(conn)
        seq, digest = audit.head(conn)
    return verify(rows, seq, digest, anchors)
