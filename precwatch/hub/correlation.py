"""Correlation use cases: index a record's keys when it is written, show its correlations, notify owners.

- `index_record` runs in the transaction that creates or changes a record: it stores the record's keys
  (`core.sharing.correlation.record_keys`, warninglist applied) and, for every other record sharing a key
  that is not capped, tells that record's owner when the author may not see it (an `owner-notice` alert
  to the owner organisation's users who may see their record). The author learns nothing.
- `correlations` answers "what else shares a key with this record?" for a viewer: only records the viewer
  may see, only on keys whose field the viewer may see in both records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import Connection

from precwatch.core.sharing.correlation import (
    FAN_OUT_CAP,
    Warninglist,
    explain,
    link_visible,
    needs_owner_notice,
    owner_notice_message,
)
from precwatch.core.sharing.tlp import RecordAcl, Viewer, can_view
from precwatch.hub.alerts import alert_row, raise_alerts
from precwatch.hub.context import HubContext
from precwatch.hub.records import SOURCES, Stored, source
from precwatch.store import accounts
from precwatch.store import correlations as keys_store
from precwatch.store.correlations import KeyHolder

AUDITED_TLPS = frozenset({"amber", "amber+strict", "red"})


def _live_keys(conn: Connection, keys: list[str], *, cap: int) -> tuple[list[str], list[str]]:
    """(live, capped): a key also held by more than `cap` other records is capped."""
    counts = keys_store.key_counts(conn, keys)
    capped = [k for k in keys if counts.get(k, 0) - 1 > cap]
    return [k for k in keys if k not in set(capped)], capped


def _by_record(hits: list[KeyHolder]) -> dict[tuple[str, str], list[KeyHolder]]:
    """`hits` grouped by the (kind, id) of the record holding them."""
    grouped: dict[tuple[str, str], list[KeyHolder]] = defaultdict(list)
    for h in hits:
        grouped[(h.record_kind, h.record_id)].append(h)
    return grouped


_Read = TypeVar("_Read")
"""What a `_per_record` reader gives per record (a stored record, or its access facts)."""


def _others(conn: Connection, hits: list[KeyHolder]) -> list[tuple[str, str, Stored, list[KeyHolder]]]:
    """The other records behind `hits`, loaded, each with its hits (missing ones left out)."""
    return _per_record(conn, hits, lambda kind, ids: SOURCES[kind].load(conn, ids))


def _other_acls(conn: Connection, hits: list[KeyHolder]) -> list[tuple[str, str, RecordAcl, list[KeyHolder]]]:
    """`_others` with only each record's access facts (`RecordSource.acls`): what owner notices use."""
    return _per_record(conn, hits, lambda kind, ids: SOURCES[kind].acls(conn, ids))


def _per_record(
    conn: Connection, hits: list[KeyHolder], read: Callable[[str, list[str]], Mapping[str, _Read]]
) -> list[tuple[str, str, _Read, list[KeyHolder]]]:
    """What `read(kind, ids)` gives for each record behind `hits` (in kind, then id order), with its hits;
    records of a kind the hub does not hold, or that `read` does not find, are left out."""
    grouped = _by_record(hits)
    out = []
    for kind in sorted({k for k, _ in grouped}):
        if kind not in SOURCES:
            continue
        found = read(kind, sorted(i for k, i in grouped if k == kind))
        for record_id in sorted(found):
            out.append((kind, record_id, found[record_id], grouped[(kind, record_id)]))
    return out


def index_record(
    conn: Connection,
    record_kind: str,
    record: Mapping[str, Any],
    acl: RecordAcl,
    *,
    author: Viewer,
    warninglist: Warninglist,
    cap: int = FAN_OUT_CAP,
    new_id: bool = False,
) -> int:
    """Store the record's keys and notify the owners of matching records the author may not see; the
    number of owner notices raised. `new_id`: the record was inserted in this transaction under a new id,
    so it has no keys stored yet (one DELETE fewer)."""
    src = source(record_kind)
    record_id = str(record["id"])
    keys = src.keys(record, warninglist)
    keys_store.replace_keys(conn, record_kind, record_id, keys, new=new_id)
    live, _ = _live_keys(conn, [k.key for k in keys], cap=cap)
    hits = keys_store.holders(conn, live, exclude=(record_kind, record_id))
    unseen = [o for o in _other_acls(conn, hits) if needs_owner_notice(author, o[2])]
    users_of = accounts.users_by_org(conn, {acl.owner_org_id for _, _, acl, _ in unseen})
    notices = []
    for other_kind, other_id, other_acl, other_hits in unseen:
        kinds = sorted({h.key.partition(":")[0] for h in other_hits})
        label = f"{SOURCES[other_kind].label} {other_id}"
        message = owner_notice_message(kinds, label)
        detail = {"kinds": kinds}
        dedupe = f"notice:{other_kind}:{other_id}:{record_kind}:{record_id}:{','.join(kinds)}"
        for user in users_of[other_acl.owner_org_id]:
            recipient = Viewer(user.id, user.org_id, user.role, user.email)
            if not can_view(recipient, other_acl):
                continue
            notices.append(
                alert_row(
                    recipient,
                    kind="owner-notice",
                    record_kind=other_kind,
                    record_id=other_id,
                    message=message,
                    dedupe=dedupe,
                    detail=detail,
                )
            )
    return raise_alerts(conn, notices)


def unindex_record(conn: Connection, record_kind: str, record_id: str) -> None:
    """Forget a record's keys (a retracted record correlates with nothing)."""
    keys_store.replace_keys(conn, record_kind, record_id, [])


def correlations(
    ctx: HubContext,
    viewer: Viewer,
    record_kind: str,
    record_id: str,
    *,
    cap: int = FAN_OUT_CAP,
    request_id: str | None = None,
) -> dict[str, Any] | None:
    """The records sharing a key with this one that `viewer` may see, with the keys shown (only those
    whose field the viewer may see in both records), and the record's keys left out as capped; None when
    the record is missing or not visible to the viewer."""
    src = source(record_kind)
    with ctx.begin() as conn:
        this = src.load(conn, [record_id]).get(record_id)
        if this is None or not can_view(viewer, this.acl):
            return None
        mine = {h.key: h.public for h in keys_store.keys_of(conn, record_kind, record_id)}
        live, capped = _live_keys(conn, sorted(mine), cap=cap)
        hits = keys_store.holders(conn, live, exclude=(record_kind, record_id))
        items: list[dict[str, Any]] = []
        for other_kind, _other_id, other, other_hits in _others(conn, hits):
            shown = [
                h
                for h in other_hits
                if link_visible(
                    viewer, this=this.acl, this_public=mine[h.key], other=other.acl, other_public=h.public
                )
            ]
            if shown:
                items.append(
                    {
                        "record_kind": other_kind,
                        "record": SOURCES[other_kind].summary(other.record),
                        "keys": [_key_out(h.key) for h in shown],
                    }
                )
        if this.acl.tlp in AUDITED_TLPS:
            ctx.audit_read(
                conn,
                viewer,
                f"{record_kind}.correlations",
                resource_id=record_id,
                request_id=request_id,
                detail={"tlp": this.acl.tlp, "linked": [i["record"]["id"] for i in items]},
            )
    own_capped = [k for k in capped if mine[k] or viewer.org_id == this.acl.owner_org_id]
    return {
        "record_kind": record_kind,
        "record_id": record_id,
        "items": items,
        "capped": [_key_out(k) for k in own_capped],
        "fan_out_cap": cap,
    }


def _key_out(key: str) -> dict[str, str]:
    kind, _, value = key.partition(":")
    return {"kind": kind, "value": value, "explanation": explain(kind)}
