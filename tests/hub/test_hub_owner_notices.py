"""Owner notices raised by a write are stored in one statement: the same alerts, in the same order, as one
`raise_alert` per recipient (the reference loop below), on SQLite and PostgreSQL; and the idempotency
look-up that now shares the create's transaction still replays, refuses and audits as before."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pytest
from sqlalchemy import Connection, delete, select

from precwatch.core.sharing.correlation import FAN_OUT_CAP, needs_owner_notice, owner_notice_message
from precwatch.core.sharing.tlp import RecordAcl, Viewer, can_view
from precwatch.hub import Hub, IdempotencyConflict, correlation
from precwatch.hub.alerts import alert_row, raise_alert
from precwatch.hub.records import SOURCES, source
from precwatch.store import accounts
from precwatch.store import correlations as keys_store
from precwatch.store.tables import alerts, audit_log, incidents
from tests.support.world import make_world, seizure


def reference_index(
    conn: Connection, record: Mapping[str, Any], acl: RecordAcl, *, author: Viewer, hub: Hub
) -> int:
    """`correlation.index_record` as it was before batching: one look-up of users per matching record and
    one `raise_alert` (one INSERT) per recipient."""
    record_id = str(record["id"])
    keys = source("incident").keys(record, hub.ctx.warninglist)
    keys_store.replace_keys(conn, "incident", record_id, keys)
    counts = keys_store.key_counts(conn, [k.key for k in keys])
    live = [k.key for k in keys if counts.get(k.key, 0) - 1 <= FAN_OUT_CAP]
    hits = keys_store.holders(conn, live, exclude=("incident", record_id))
    grouped: dict[str, list[Any]] = defaultdict(list)
    for h in hits:
        grouped[h.record_id].append(h)
    raised = 0
    for other_id, other in sorted(SOURCES["incident"].load(conn, sorted(grouped)).items()):
        if not needs_owner_notice(author, other.acl):
            continue
        kinds = sorted({h.key.partition(":")[0] for h in grouped[other_id]})
        dedupe = f"notice:incident:{other_id}:incident:{record_id}:{','.join(kinds)}"
        for user in accounts.list_users(conn, other.acl.owner_org_id):
            recipient = Viewer(user.id, user.org_id, user.role, user.email)
            if can_view(recipient, other.acl):
                row = alert_row(
                    recipient,
                    kind="owner-notice",
                    record_kind="incident",
                    record_id=other_id,
                    message=owner_notice_message(kinds, f"incident {other_id}"),
                    dedupe=dedupe,
                    detail={"kinds": kinds},
                )
                found = raise_alert(conn, row)
                raised += found is not None
    return raised


def stored_alerts(conn: Connection) -> list[tuple[Any, ...]]:
    """Every alert, in id order, without its id and time."""
    a = alerts.c
    columns = (
        a.user_id,
        a.kind,
        a.rule_id,
        a.record_kind,
        a.record_id,
        a.message,
        a.detail,
        a.dedupe,
        a.read_at,
    )
    return [tuple(r) for r in conn.execute(select(*columns).order_by(a.id))]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batched_owner_notices_equal_one_insert_per_alert(hub: Hub, seed: int) -> None:
    w = make_world(hub)
    rng = random.Random(seed)
    writers = [v for v in w.v.values() if v.can_write]
    user_ids = [v.user_id for v in w.v.values()]
    phone = {"kind": "person", "role": "consignee", "name": "Rogelio Tamayo", "phones": ["+52 55 5555 0101"]}
    made = []
    for _ in range(14):
        author = rng.choice(writers)
        tlp = rng.choice(["clear", "green", "amber", "amber+strict", "red"])
        body = seizure(
            tlp=tlp, parties=[phone] if rng.random() < 0.8 else [], owner_only=["phones"] * rng.randint(0, 1)
        )
        if tlp.startswith("amber"):
            body["shared_with_orgs"] = [
                o.id for o in w.orgs.values() if o.id != author.org_id and rng.random() < 0.4
            ]
        if tlp == "red":
            body["shared_with_users"] = rng.sample(user_ids, 2)
        made.append(hub.create_incident(author, body)["id"])
    compared = 0
    with hub.engine.connect() as conn, conn.begin():
        for incident_id in made:
            stored = SOURCES["incident"].load(conn, [incident_id])[incident_id]
            author = rng.choice(list(w.v.values()))
            conn.execute(delete(alerts))
            savepoint = conn.begin_nested()
            expected_count = reference_index(conn, stored.record, stored.acl, author=author, hub=hub)
            expected = stored_alerts(conn)
            savepoint.rollback()
            assert stored_alerts(conn) == []
            count = correlation.index_record(
                conn, "incident", stored.record, stored.acl, author=author, warninglist=hub.ctx.warninglist
            )
            assert (count, stored_alerts(conn)) == (expected_count, expected)
            again = correlation.index_record(
                conn, "incident", stored.record, stored.acl, author=author, warninglist=hub.ctx.warninglist
            )
            assert again == 0 and stored_alerts(conn) == expected  # raised once per dedupe
            compared += expected_count
        conn.rollback()
    assert compared > 0  # the scenarios did raise notices


def test_an_idempotent_create_replays_refuses_and_audits_in_one_transaction(hub: Hub) -> None:
    w = make_world(hub)
    first = hub.create_incident(w.v["mx_analyst"], seizure(), idempotency_key="k1", request_id="r1")
    again = hub.create_incident(w.v["mx_analyst2"], seizure(), idempotency_key="k1", request_id="r2")
    assert again == first
    with pytest.raises(IdempotencyConflict):
        hub.create_incident(w.v["mx_analyst"], seizure(quantity=1), idempotency_key="k1", request_id="r3")
    other_org = hub.create_incident(w.v["us_analyst"], seizure(), idempotency_key="k1", request_id="r4")
    assert other_org["id"] != first["id"]
    with hub.engine.connect() as conn:
        actions = [
            (r.action, r.request_id) for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))
        ]
        count = len(conn.execute(select(incidents.c.id)).all())
    assert [a for a in actions if a[0].startswith("incident.")] == [
        ("incident.create", "r1"),
        ("incident.create-replay", "r2"),
        ("incident.create", "r4"),
    ]
    assert count == 2


def test_acl_only_loading_gives_the_access_facts_of_whole_records(hub: Hub) -> None:
    """Owner notices read only each matching record's access facts (`RecordSource.acls`, the share lists
    taken out of the JSON body in SQL): exactly the `acl` of the record loaded whole, for every TLP, share,
    draft and missing id."""
    w = make_world(hub)
    ids = []
    for n, tlp in enumerate(("clear", "green", "amber", "amber+strict", "red") * 2):
        body = seizure(tlp=tlp, narrative=f"acl {n}")
        if tlp.startswith("amber") and n % 2:
            body["shared_with_orgs"] = [w.orgs["US"].id, w.orgs["CN"].id]
        if tlp == "red" and n % 2:
            body["shared_with_users"] = [w.v["us_viewer"].user_id]
        ids.append(hub.create_incident(w.v["mx_analyst"], body, draft=n == 7)["id"])
    src = source("incident")
    with hub.engine.connect() as conn:
        asked = [*ids, "0" * 32]
        whole = {i: stored.acl for i, stored in src.load(conn, asked).items()}
        assert src.acls(conn, asked) == whole
        assert len(whole) == len(ids)
