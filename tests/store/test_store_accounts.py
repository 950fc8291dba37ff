"""The accounts repository: organisations, users and tokens as rows, over the caller's connection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from precwatch.store import TokenInfo, accounts

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def test_orgs_and_users_round_trip_and_unique_names_are_enforced(engine: Engine) -> None:
    with engine.begin() as conn:
        mx = accounts.insert_org(conn, "Aduana MX", "MX", created_at=NOW)
        us = accounts.insert_org(conn, "CBP", "US", created_at=NOW)
        ana = accounts.insert_user(conn, "ana@mx.example", mx.id, role="analyst", created_at=NOW)
        bob = accounts.insert_user(conn, "bob@us.example", us.id, role="viewer", created_at=NOW)
    with engine.connect() as conn:
        assert accounts.org_by_id(conn, mx.id) == mx and accounts.org_by_id(conn, 999) is None
        assert accounts.org_by_name(conn, "CBP") == us and accounts.org_by_name(conn, "cbp") is None
        assert accounts.list_orgs(conn) == [mx, us]
        assert (
            accounts.user_by_id(conn, ana.id) == ana and accounts.user_by_email(conn, "bob@us.example") == bob
        )
        assert accounts.list_users(conn) == [ana, bob] and accounts.list_users(conn, us.id) == [bob]
        assert accounts.existing_org_ids(conn, [mx.id, 999]) == {mx.id}
        assert accounts.existing_user_ids(conn, [ana.id, bob.id, 999]) == {ana.id, bob.id}
        assert accounts.existing_user_ids(conn, []) == set()
    with pytest.raises(IntegrityError), engine.begin() as conn:
        accounts.insert_org(conn, "CBP", "US", created_at=NOW)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        accounts.insert_user(conn, "ana@mx.example", us.id, role="admin", created_at=NOW)


def test_tokens_are_found_by_hash_and_revoked(engine: Engine) -> None:
    with engine.begin() as conn:
        org = accounts.insert_org(conn, "GAC", "CN", created_at=NOW)
        user = accounts.insert_user(conn, "li@gac.example", org.id, role="admin", created_at=NOW)
        info = TokenInfo("t" * 32, user.id, NOW, NOW + timedelta(days=1), None)
        accounts.insert_token(conn, info, "h" * 64)
    with engine.begin() as conn:
        owner = accounts.token_owner(conn, "h" * 64)
        assert owner is not None and (owner.user_id, owner.org_id, owner.role) == (user.id, org.id, "admin")
        assert owner.expires_at == info.expires_at and owner.revoked_at is None
        assert accounts.token_owner(conn, "x" * 64) is None
        assert accounts.live_token_org(conn, info.id) == org.id
        accounts.revoke_token(conn, info.id, at=NOW)
    with engine.connect() as conn:
        assert accounts.live_token_org(conn, info.id) is None
        owner = accounts.token_owner(conn, "h" * 64)
        assert owner is not None and owner.revoked_at == NOW
        assert [t.revoked_at for t in accounts.list_tokens(conn, user.id)] == [NOW]
