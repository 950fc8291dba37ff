"""Organisations, users and API tokens: tokens are stored only as HMACs, expire and can be revoked."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import AlreadyExists, Forbidden, Hub, NotFound
from precwatch.store.tables import tokens

SECRET = "test-secret-0123456789"
LATER = datetime.now(UTC) + timedelta(days=30)


def test_orgs_and_users(hub: Hub) -> None:
    org = hub.create_org("  Mexico ANAM ", "mx")
    assert (org.name, org.country) == ("Mexico ANAM", "MX")
    user = hub.create_user("Ana@ANAM.example", org.id, role="analyst")
    assert user.email == "ana@anam.example" and user.org_id == org.id
    assert hub.get_user_by_email("ANA@anam.example") == user
    assert hub.list_users(org.id) == [user] and hub.list_orgs() == [org]
    assert hub.get_org_by_name("Mexico ANAM") == org
    with pytest.raises(AlreadyExists):
        hub.create_org("Mexico ANAM", "MX")
    with pytest.raises(AlreadyExists):
        hub.create_user("ana@anam.example", org.id, role="viewer")
    with pytest.raises(ValueError, match="role"):
        hub.create_user("b@anam.example", org.id, role="root")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alpha-2"):
        hub.create_org("Somewhere", "MEX")
    with pytest.raises(NotFound):
        hub.create_user("c@x.example", 999, role="viewer")


def test_the_database_holds_the_hmac_of_the_token_never_the_token(hub: Hub) -> None:
    org = hub.create_org("US CBP", "US")
    user = hub.create_user("a@cbp.example", org.id, role="viewer")
    info, raw = hub.issue_token(user.id, LATER, secret=SECRET)
    with hub.engine.connect() as conn:
        row = conn.execute(select(tokens)).mappings().one()
    assert raw not in {str(v) for v in row.values()}
    assert row["token_hash"] == hmac.new(SECRET.encode(), raw.encode(), hashlib.sha256).hexdigest()
    assert row["id"] == info.id and raw.startswith("pwt_") and len(raw) > 40
    assert hub.authenticate(raw, SECRET) == Viewer(user.id, org.id, "viewer", "a@cbp.example")
    assert hub.authenticate(raw, "another-secret") is None  # the hash is keyed by the hub secret
    assert hub.authenticate(raw + "x", SECRET) is None
    assert hub.authenticate("", SECRET) is None


def test_expired_and_revoked_tokens_do_not_authenticate(hub: Hub) -> None:
    org = hub.create_org("CN GAC", "CN")
    user = hub.create_user("a@gac.example", org.id, role="admin")
    info, raw = hub.issue_token(user.id, LATER, secret=SECRET)
    assert hub.authenticate(raw, SECRET, now=LATER - timedelta(seconds=1)) is not None
    assert hub.authenticate(raw, SECRET, now=LATER) is None
    _, other = hub.issue_token(user.id, LATER, secret=SECRET)
    assert hub.revoke_token(info.id) is True
    assert hub.revoke_token(info.id) is False  # already revoked
    assert hub.revoke_token("no-such-token") is False
    assert hub.authenticate(raw, SECRET) is None
    assert hub.authenticate(other, SECRET) is not None  # revoking one token leaves the others
    listed = hub.list_tokens(user.id)
    assert [t.revoked_at is not None for t in listed] == [True, False]


def test_only_an_admin_of_the_same_org_manages_its_users_and_tokens(hub: Hub) -> None:
    mx, us = hub.create_org("MX", "MX"), hub.create_org("US", "US")
    admin_user = hub.create_user("adm@mx.example", mx.id, role="admin")
    analyst_user = hub.create_user("an@mx.example", mx.id, role="analyst")
    admin = Viewer(admin_user.id, mx.id, "admin", admin_user.email)
    analyst = Viewer(analyst_user.id, mx.id, "analyst", analyst_user.email)
    with pytest.raises(Forbidden):
        hub.create_org("Another", "GT", actor=admin)
    with pytest.raises(Forbidden):
        hub.create_user("x@us.example", us.id, role="viewer", actor=admin)
    with pytest.raises(Forbidden):
        hub.create_user("x@mx.example", mx.id, role="viewer", actor=analyst)
    new = hub.create_user("x@mx.example", mx.id, role="viewer", actor=admin, request_id="req-1")
    info, _ = hub.issue_token(new.id, LATER, secret=SECRET, actor=admin)
    with pytest.raises(Forbidden):
        hub.revoke_token(info.id, actor=analyst)
    assert hub.revoke_token(info.id, actor=admin)
    with pytest.raises(ValueError, match="timezone"):
        hub.issue_token(new.id, datetime(2030, 1, 1), secret=SECRET)
    actions = [(e.action, e.actor_user_id) for e in hub.audit_entries()]
    assert ("user.create", admin_user.id) in actions and ("token.revoke", admin_user.id) in actions
    assert next(e for e in hub.audit_entries() if e.resource_id == str(new.id)).request_id == "req-1"
