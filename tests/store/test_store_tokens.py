"""Organisations, users and API tokens: tokens are stored only as HMACs, expire and can be revoked."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from precwatch.core.sharing.tlp import Viewer
from precwatch.store import AlreadyExists, Forbidden, NotFound, Store
from precwatch.store.tables import tokens

SECRET = "test-secret-0123456789"
LATER = datetime.now(UTC) + timedelta(days=30)


def test_orgs_and_users(store: Store) -> None:
    org = store.create_org("  Mexico ANAM ", "mx")
    assert (org.name, org.country) == ("Mexico ANAM", "MX")
    user = store.create_user("Ana@ANAM.example", org.id, "analyst")
    assert user.email == "ana@anam.example" and user.org_id == org.id
    assert store.get_user_by_email("ANA@anam.example") == user
    assert store.list_users(org.id) == [user] and store.list_orgs() == [org]
    assert store.get_org_by_name("Mexico ANAM") == org
    with pytest.raises(AlreadyExists):
        store.create_org("Mexico ANAM", "MX")
    with pytest.raises(AlreadyExists):
        store.create_user("ana@anam.example", org.id, "viewer")
    with pytest.raises(ValueError, match="role"):
        store.create_user("b@anam.example", org.id, "root")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alpha-2"):
        store.create_org("Somewhere", "MEX")
    with pytest.raises(NotFound):
        store.create_user("c@x.example", 999, "viewer")


def test_the_database_holds_the_hmac_of_the_token_never_the_token(store: Store) -> None:
    org = store.create_org("US CBP", "US")
    user = store.create_user("a@cbp.example", org.id, "viewer")
    info, raw = store.issue_token(user.id, LATER, SECRET)
    with store.engine.connect() as conn:
        row = conn.execute(select(tokens)).mappings().one()
    assert raw not in {str(v) for v in row.values()}
    assert row["token_hash"] == hmac.new(SECRET.encode(), raw.encode(), hashlib.sha256).hexdigest()
    assert row["id"] == info.id and raw.startswith("pwt_") and len(raw) > 40
    assert store.authenticate(raw, SECRET) == Viewer(user.id, org.id, "viewer", "a@cbp.example")
    assert store.authenticate(raw, "another-secret") is None  # the hash is keyed by the hub secret
    assert store.authenticate(raw + "x", SECRET) is None
    assert store.authenticate("", SECRET) is None


def test_expired_and_revoked_tokens_do_not_authenticate(store: Store) -> None:
    org = store.create_org("CN GAC", "CN")
    user = store.create_user("a@gac.example", org.id, "admin")
    info, raw = store.issue_token(user.id, LATER, SECRET)
    assert store.authenticate(raw, SECRET, now=LATER - timedelta(seconds=1)) is not None
    assert store.authenticate(raw, SECRET, now=LATER) is None
    _, other = store.issue_token(user.id, LATER, SECRET)
    assert store.revoke_token(info.id) is True
    assert store.revoke_token(info.id) is False  # already revoked
    assert store.revoke_token("no-such-token") is False
    assert store.authenticate(raw, SECRET) is None
    assert store.authenticate(other, SECRET) is not None  # revoking one token leaves the others
    listed = store.list_tokens(user.id)
    assert [t.revoked_at is not None for t in listed] == [True, False]


def test_only_an_admin_of_the_same_org_manages_its_users_and_tokens(store: Store) -> None:
    mx, us = store.create_org("MX", "MX"), store.create_org("US", "US")
    admin_user = store.create_user("adm@mx.example", mx.id, "admin")
    analyst_user = store.create_user("an@mx.example", mx.id, "analyst")
    admin = Viewer(admin_user.id, mx.id, "admin", admin_user.email)
    analyst = Viewer(analyst_user.id, mx.id, "analyst", analyst_user.email)
    with pytest.raises(Forbidden):
        store.create_org("Another", "GT", actor=admin)
    with pytest.raises(Forbidden):
        store.create_user("x@us.example", us.id, "viewer", actor=admin)
    with pytest.raises(Forbidden):
        store.create_user("x@mx.example", mx.id, "viewer", actor=analyst)
    new = store.create_user("x@mx.example", mx.id, "viewer", actor=admin, request_id="req-1")
    info, _ = store.issue_token(new.id, LATER, SECRET, actor=admin)
    with pytest.raises(Forbidden):
        store.revoke_token(info.id, actor=analyst)
    assert store.revoke_token(info.id, actor=admin)
    with pytest.raises(ValueError, match="timezone"):
        store.issue_token(new.id, datetime(2030, 1, 1), SECRET)
    actions = [(e.action, e.actor_user_id) for e in store.audit_entries()]
    assert ("user.create", admin_user.id) in actions and ("token.revoke", admin_user.id) in actions
    assert next(e for e in store.audit_entries() if e.resource_id == str(new.id)).request_id == "req-1"
