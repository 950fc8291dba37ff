"""Accounts use cases: create organisations and users, issue and revoke API tokens, authenticate a token.

`actor` None is the hub operator (the CLI); otherwise only an admin of the organisation concerned may act.
Every write appends an audit entry in its own transaction; `request_id` ties it to the HTTP request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from precwatch.core.sharing.tlp import ROLES, Role, Viewer
from precwatch.hub.context import HubContext
from precwatch.hub.errors import AlreadyExists, Forbidden, NotFound
from precwatch.store import accounts, audit
from precwatch.store.models import Org, TokenInfo, User

TOKEN_PREFIX = "pwt_"


def hash_token(raw_token: str, secret: str) -> str:
    """HMAC-SHA256 of the token keyed with the hub secret (hex): what the database keeps instead of the token."""
    if not secret:
        raise ValueError("the hub secret is empty: set PRECWATCH_HUB_SECRET")
    return hmac.new(secret.encode("utf-8"), raw_token.encode("utf-8"), hashlib.sha256).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def create_org(
    ctx: HubContext,
    name: str,
    *,
    country: str,
    actor: Viewer | None = None,
    request_id: str | None = None,
) -> Org:
    """Register an organisation. Only the operator (actor None: the CLI) may; `AlreadyExists` on a taken name."""
    if actor is not None:
        raise Forbidden("organisations are created by the hub operator (precwatch hub create-org)")
    name, country = name.strip(), country.strip().upper()
    if not name:
        raise ValueError("organisation name is empty")
    if len(country) != 2 or not country.isalpha():
        raise ValueError(f"country must be an ISO 3166 alpha-2 code, got {country!r}")
    try:
        with ctx.begin() as conn:
            org = accounts.insert_org(conn, name, country, created_at=_now())
            detail = {"name": name, "country": country}
            audit.append(
                conn,
                actor,
                action="org.create",
                resource="org",
                resource_id=str(org.id),
                request_id=request_id,
                detail=detail,
            )
    except IntegrityError:
        raise AlreadyExists(f"an organisation named {name!r} exists") from None
    return org


def get_org(ctx: HubContext, org_id: int) -> Org:
    """One organisation, or `NotFound`."""
    with ctx.single_read() as conn:
        org = accounts.org_by_id(conn, org_id)
    if org is None:
        raise NotFound(f"no organisation {org_id}")
    return org


def get_org_by_name(ctx: HubContext, name: str) -> Org:
    """One organisation by its exact name, or `NotFound`."""
    with ctx.begin() as conn:
        org = accounts.org_by_name(conn, name.strip())
    if org is None:
        raise NotFound(f"no organisation named {name!r}")
    return org


def list_orgs(ctx: HubContext) -> list[Org]:
    """Every organisation, by id."""
    with ctx.begin() as conn:
        return accounts.list_orgs(conn)


def create_user(
    ctx: HubContext,
    email: str,
    *,
    org_id: int,
    role: Role,
    actor: Viewer | None = None,
    request_id: str | None = None,
) -> User:
    """Add a user to an organisation. Actor None (the CLI) or an admin of that organisation; e-mail unique."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if actor is not None and (actor.role != "admin" or actor.org_id != org_id):
        raise Forbidden("only an admin of the organisation may add its users")
    email = email.strip().lower()
    if "@" not in email:
        raise ValueError(f"not an e-mail address: {email!r}")
    get_org(ctx, org_id)
    try:
        with ctx.begin() as conn:
            user = accounts.insert_user(conn, email, org_id, role=role, created_at=_now())
            detail = {"email": email, "org_id": org_id, "role": role}
            audit.append(
                conn,
                actor,
                action="user.create",
                resource="user",
                resource_id=str(user.id),
                request_id=request_id,
                detail=detail,
            )
    except IntegrityError:
        raise AlreadyExists(f"a user with e-mail {email!r} exists") from None
    return user


def get_user(ctx: HubContext, user_id: int) -> User:
    """One user, or `NotFound`."""
    with ctx.begin() as conn:
        user = accounts.user_by_id(conn, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def get_user_by_email(ctx: HubContext, email: str) -> User:
    """One user by e-mail (case-insensitive), or `NotFound`."""
    with ctx.begin() as conn:
        user = accounts.user_by_email(conn, email.strip().lower())
    if user is None:
        raise NotFound(f"no user {email!r}")
    return user


def list_users(ctx: HubContext, org_id: int | None = None) -> list[User]:
    """Users of one organisation (or all), by id."""
    with ctx.begin() as conn:
        return accounts.list_users(conn, org_id)


def issue_token(
    ctx: HubContext,
    user_id: int,
    *,
    expires_at: datetime,
    secret: str,
    actor: Viewer | None = None,
    request_id: str | None = None,
) -> tuple[TokenInfo, str]:
    """A new API token for the user: (its public facts, the token). The token is returned only here; the
    database keeps HMAC-SHA256(secret, token). Actor None (the CLI) or an admin of the user's organisation."""
    user = get_user(ctx, user_id)
    if actor is not None and (actor.role != "admin" or actor.org_id != user.org_id):
        raise Forbidden("only an admin of the user's organisation may issue tokens")
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    info = TokenInfo(
        id=uuid.uuid4().hex, user_id=user_id, created_at=_now(), expires_at=expires_at, revoked_at=None
    )
    with ctx.begin() as conn:
        accounts.insert_token(conn, info, hash_token(raw, secret))
        detail = {"user_id": user_id, "expires_at": expires_at.isoformat()}
        audit.append(
            conn,
            actor,
            action="token.issue",
            resource="token",
            resource_id=info.id,
            request_id=request_id,
            detail=detail,
        )
    return info, raw


def revoke_token(
    ctx: HubContext, token_id: str, *, actor: Viewer | None = None, request_id: str | None = None
) -> bool:
    """Revoke a token by id; False when there is no such live token. Actor None (CLI) or an admin of its org."""
    with ctx.begin() as conn:
        org_id = accounts.live_token_org(conn, token_id)
        if org_id is None:
            return False
        if actor is not None and (actor.role != "admin" or actor.org_id != org_id):
            raise Forbidden("only an admin of the token owner's organisation may revoke it")
        accounts.revoke_token(conn, token_id, at=_now())
        audit.append(
            conn, actor, action="token.revoke", resource="token", resource_id=token_id, request_id=request_id
        )
    ctx.tokens.clear()  # after the commit: a request racing it re-reads the revoked row, never re-caches it
    return True


def list_tokens(ctx: HubContext, user_id: int) -> list[TokenInfo]:
    """A user's tokens (public facts only), oldest first."""
    with ctx.begin() as conn:
        return accounts.list_tokens(conn, user_id)


def authenticate(
    ctx: HubContext, raw_token: str, *, secret: str, now: datetime | None = None
) -> Viewer | None:
    """The viewer a token belongs to, or None when it is unknown, expired or revoked (one answer for all).

    A token the database confirmed within the last few seconds is answered from `ctx.tokens` without a
    query (see `precwatch.hub.token_cache` for what that means for revocation)."""
    if not raw_token:
        return None
    now = now or _now()
    token_hash = hash_token(raw_token, secret)
    cached = ctx.tokens.get(token_hash, now)
    if cached is not None:
        return cached
    with ctx.single_read() as conn:
        owner = accounts.token_owner(conn, token_hash)
    if owner is None or owner.revoked_at is not None or owner.expires_at <= now:
        return None
    viewer = Viewer(user_id=owner.user_id, org_id=owner.org_id, role=owner.role, email=owner.email)
    ctx.tokens.put(token_hash, viewer, owner.expires_at)
    return viewer


def cached_viewer(ctx: HubContext, raw_token: str, *, secret: str) -> Viewer | None:
    """The viewer of a token confirmed recently (`ctx.tokens`), without touching the database; None means
    "not known here", not "invalid": then call `authenticate`. Cheap enough for an event loop."""
    if not raw_token:
        return None
    return ctx.tokens.get(hash_token(raw_token, secret), _now())
