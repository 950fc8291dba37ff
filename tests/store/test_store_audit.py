"""The audit repository: appends link into one chain, reads filter by organisation, the head follows."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from precwatch.core.sharing.audit_chain import GENESIS, verify
from precwatch.core.sharing.tlp import Viewer
from precwatch.store import audit

MX = Viewer(user_id=1, org_id=1, role="admin", email="a@mx.example")
US = Viewer(user_id=2, org_id=2, role="analyst", email="b@us.example")


def test_appends_chain_and_read_back(engine: Engine) -> None:
    with engine.connect() as conn:
        assert audit.head(conn) == (0, GENESIS) and audit.count(conn) == 0
    with engine.begin() as conn:
        assert audit.append(conn, None, action="org.create", resource="org", resource_id="1") == 1
        assert audit.append(conn, MX, action="incident.read", resource="incident", detail={"tlp": "red"}) == 2
        audit.append(conn, US, action="incident.list", resource="incident", request_id="r-3")
    with engine.connect() as conn:
        entries = audit.entries(conn)
        assert [e.seq for e in entries] == [1, 2, 3] and audit.count(conn) == 3
        assert entries[0].prev_hash == GENESIS
        assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
        assert audit.head(conn) == (3, entries[-1].hash)
        assert entries[1].detail == {"tlp": "red"} and entries[2].request_id == "r-3"
        assert (entries[0].actor_user_id, entries[1].actor_org_id) == (None, 1)
        assert audit.entries(conn, 1, 1) == entries[1:2]
        assert audit.entries(conn, org_id=2) == entries[2:]
        seq, digest = audit.head(conn)
        assert verify(audit.rows_for_verify(conn), seq, digest, ()) == []


def test_a_rolled_back_append_leaves_no_trace(engine: Engine) -> None:
    with pytest.raises(RuntimeError), engine.begin() as conn:
        audit.append(conn, MX, action="incident.create", resource="incident")
        raise RuntimeError("the write failed")
    with engine.connect() as conn:
        assert audit.count(conn) == 0 and audit.head(conn)[0] == 0
