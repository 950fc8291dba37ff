"""The accounts repository: organisations, users and API tokens (tokens kept only as HMAC hashes).

Functions take the caller's `Connection`; the hub decides who may call them and audits. A unique name or
e-mail already taken raises SQLAlchemy's `IntegrityError`, which the caller turns into its own error.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from precwatch.core.sharing.tlp import Role
from precwatch.store.models import Org, TokenInfo, TokenOwner, User
from precwatch.store.tables import orgs, tokens, users

ORG_BY_ID = select(orgs).where(orgs.c.id == bindparam("org_id"))
"""One organisation by `org_id` (built once: it is on the hot path of every `/me`)."""

TOKEN_OWNER = (
    select(users.c.id, users.c.org_id, users.c.role, users.c.email, tokens.c.expires_at, tokens.c.revoked_at)
    .join(users, users.c.id == tokens.c.user_id)
    .where(tokens.c.token_hash == bindparam("token_hash"))
)
"""The user and validity of the token whose hash is `token_hash` (built once: every request runs it)."""


USERS_OF_ORGS = (
    select(users).where(users.c.org_id.in_(bindparam("org_ids", expanding=True))).order_by(users.c.id)
)
EXISTING_IDS = {
    table.name: select(table.c.id).where(table.c.id.in_(bindparam("ids", expanding=True)))
    for table in (orgs, users)
}
"""Which of `ids` exist, by table name (built once: every write with shares runs them)."""


def insert_org(conn: Connection, name: str, country: str, *, created_at: datetime) -> Org:
    """Insert an organisation and return it."""
    org_id = conn.execute(
        insert(orgs).values(name=name, country=country, created_at=created_at).returning(orgs.c.id)
    ).scalar_one()
    return Org(id=org_id, name=name, country=country, created_at=created_at)


def org_by_id(conn: Connection, org_id: int) -> Org | None:
    """One organisation, or None."""
    row = conn.execute(ORG_BY_ID, {"org_id": org_id}).mappings().first()
    return None if row is None else Org(**row)


def org_by_name(conn: Connection, name: str) -> Org | None:
    """One organisation by its exact name, or None."""
    row = conn.execute(select(orgs).where(orgs.c.name == name)).mappings().first()
    return None if row is None else Org(**row)


def list_orgs(conn: Connection) -> list[Org]:
    """Every organisation, by id."""
    return [Org(**r) for r in conn.execute(select(orgs).order_by(orgs.c.id)).mappings()]


def insert_user(conn: Connection, email: str, org_id: int, *, role: Role, created_at: datetime) -> User:
    """Insert a user and return it."""
    user_id = conn.execute(
        insert(users)
        .values(email=email, org_id=org_id, role=role, created_at=created_at)
        .returning(users.c.id)
    ).scalar_one()
    return User(id=user_id, email=email, org_id=org_id, role=role, created_at=created_at)


def user_by_id(conn: Connection, user_id: int) -> User | None:
    """One user, or None."""
    row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return None if row is None else User(**row)


def user_by_email(conn: Connection, email: str) -> User | None:
    """One user by (normalised) e-mail, or None."""
    row = conn.execute(select(users).where(users.c.email == email)).mappings().first()
    return None if row is None else User(**row)


def list_users(conn: Connection, org_id: int | None = None) -> list[User]:
    """Users of one organisation (or all), by id."""
    query = select(users).order_by(users.c.id)
    if org_id is not None:
        query = query.where(users.c.org_id == org_id)
    return [User(**r) for r in conn.execute(query).mappings()]


def users_by_org(conn: Connection, org_ids: Iterable[int]) -> dict[int, list[User]]:
    """The users of each of `org_ids`, by id (an organisation without users maps to [])."""
    wanted = sorted(set(org_ids))
    out: dict[int, list[User]] = {org_id: [] for org_id in wanted}
    if wanted:
        for r in conn.execute(USERS_OF_ORGS, {"org_ids": wanted}).mappings():
            out[int(r["org_id"])].append(User(**r))
    return out


def _existing(conn: Connection, table: Table, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return set()
    return set(conn.execute(EXISTING_IDS[table.name], {"ids": sorted(wanted)}).scalars())


def existing_org_ids(conn: Connection, ids: Iterable[int]) -> set[int]:
    """Which of `ids` are organisations."""
    return _existing(conn, orgs, ids)


def existing_user_ids(conn: Connection, ids: Iterable[int]) -> set[int]:
    """Which of `ids` are users."""
    return _existing(conn, users, ids)


def insert_token(conn: Connection, info: TokenInfo, token_hash: str) -> None:
    """Store a new token's public facts and the HMAC of the token (never the token)."""
    conn.execute(
        insert(tokens).values(
            id=info.id,
            user_id=info.user_id,
            token_hash=token_hash,
            created_at=info.created_at,
            expires_at=info.expires_at,
        )
    )


def live_token_org(conn: Connection, token_id: str) -> int | None:
    """The organisation of the user holding the live (unrevoked) token `token_id`, or None."""
    row = conn.execute(
        select(users.c.org_id)
        .join(tokens, users.c.id == tokens.c.user_id)
        .where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
    ).first()
    return None if row is None else int(row.org_id)


def revoke_token(conn: Connection, token_id: str, *, at: datetime) -> None:
    """Mark the token revoked at `at`."""
    conn.execute(update(tokens).where(tokens.c.id == token_id).values(revoked_at=at))


def list_tokens(conn: Connection, user_id: int) -> list[TokenInfo]:
    """A user's tokens (public facts only), oldest first."""
    cols = (tokens.c.id, tokens.c.user_id, tokens.c.created_at, tokens.c.expires_at, tokens.c.revoked_at)
    query = select(*cols).where(tokens.c.user_id == user_id).order_by(tokens.c.created_at)
    return [TokenInfo(**r) for r in conn.execute(query).mappings()]


def token_owner(conn: Connection, token_hash: str) -> TokenOwner | None:
    """Who holds the token with this hash and until when, or None when no token has it."""
    row = conn.execute(TOKEN_OWNER, {"token_hash": token_hash}).first()
    if row is None:
        return None
    return TokenOwner(
        user_id=row.id,
        org_id=row.org_id,
        role=row.role,
        email=row.email,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )
