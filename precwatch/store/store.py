"""The hub's persistence port: organisations, users, tokens, incidents under TLP, and the audit log.

API changes since the first version (old names keep working):
- `get_incident` lost its internal keyword `audit_read` (creates no longer read back; nothing else changed).
- `Store(...)` / `Store.from_url(...)` accept the keyword `durable_read_audit` (default True: unchanged).
- New `audit_head() -> (seq, hash)`; `verify_audit(anchors=())` optionally checks earlier kept heads.

Conventions:
- Every method runs in one transaction; every write, and every read of an amber, amber+strict or red
  incident, appends an audit entry in that same transaction (so the change and its audit line commit or
  fail together). `actor` / `viewer` say who; `request_id` ties the entry to the HTTP request.
- A record the viewer may not see is reported exactly like a missing one (`None` from `get_incident`,
  `NotFound` from writes) and never appears in lists or counts (the visibility rule is in the SQL).
- Incidents are JSON-ready dicts: the editable fields (`core.incidents.EDITABLE_FIELDS`) plus `id`,
  `owner_org_id`, `owner_user_id`, `version`, `substances` (identified KB ids with evidence),
  `created_at`, `updated_at`, `retracted`, `retracted_at`, `retraction_reason`. Partners get owner-only
  nominal fields as `"[redacted]"`.
- Datetimes in and out are timezone-aware UTC.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NoReturn

from sqlalchemy import Connection, Engine, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.audit_chain import Problem, canonical_json, verify
from precwatch.core.sharing.incidents import (
    EDITABLE_FIELDS,
    IncidentError,
    identify_substances,
    validate_incident,
)
from precwatch.core.sharing.tlp import ROLES, Role, Viewer, can_edit, can_view, redact
from precwatch.store import audit, db, queries
from precwatch.store.errors import (
    AlreadyExists,
    Forbidden,
    IdempotencyConflict,
    NotFound,
    Retracted,
    VersionConflict,
)
from precwatch.store.incident_rows import (
    AUDITED_READ_TLPS,
    OUTPUT_COLUMNS,
    acl_of,
    derived_columns,
    editable_body,
    to_incident,
)
from precwatch.store.models import AuditEntry, IncidentFilter, Org, TokenInfo, User
from precwatch.store.tables import (
    audit_head,
    audit_log,
    incident_org_shares,
    incident_user_shares,
    incidents,
    orgs,
    tokens,
    users,
)

MAX_PAGE = 500
"""The largest `limit` a list accepts."""

TOKEN_PREFIX = "pwt_"


def hash_token(raw_token: str, secret: str) -> str:
    """HMAC-SHA256 of the token keyed with the hub secret (hex): what the database keeps instead of the token."""
    if not secret:
        raise ValueError("the hub secret is empty: set PRECWATCH_HUB_SECRET")
    return hmac.new(secret.encode("utf-8"), raw_token.encode("utf-8"), hashlib.sha256).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """Persistence for the hub on SQLite (a file) or PostgreSQL, through SQLAlchemy Core."""

    def __init__(
        self, engine: Engine, kb: KnowledgeBase | None = None, *, durable_read_audit: bool = True
    ) -> None:
        """Wrap an engine made by `precwatch.store.db.make_engine`. `kb` identifies substances (default: bundled).

        `durable_read_audit=False` (PostgreSQL only) commits transactions that only record a read without
        waiting for the WAL flush (`SET LOCAL synchronous_commit = off`). Audit appends are serialised on the
        chain head until commit, so this raises the rate of audited reads several-fold on slow disks; the
        price is that a database crash can lose the read entries of the last moments (the chain stays intact:
        entries vanish from the end together with the head). Writes always commit durably.
        """
        self.engine = engine
        # Single-statement reads need no BEGIN/COMMIT round trips on PostgreSQL (one statement is atomic).
        # SQLite keeps the plain engine: its transactions are opened by our own `BEGIN IMMEDIATE`.
        self._single_reads = (
            engine
            if engine.dialect.name == "sqlite"
            else engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._kb = kb
        self._durable_read_audit = durable_read_audit

    @classmethod
    def from_url(cls, url: str, kb: KnowledgeBase | None = None, *, durable_read_audit: bool = True) -> Store:
        """A store on `url` (`sqlite:///path.db`, `postgresql+psycopg://user@host/db`). Call `init()` once."""
        return cls(db.make_engine(url), kb, durable_read_audit=durable_read_audit)

    def _append_read(
        self,
        conn: Connection,
        viewer: Viewer,
        action: str,
        resource_id: str | None,
        request_id: str | None,
        detail: dict[str, Any],
    ) -> None:
        if not self._durable_read_audit and conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL synchronous_commit = off"))
        audit.append(conn, viewer, action, "incident", resource_id, request_id, detail)

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base substances are identified against (the bundled one unless given)."""
        if self._kb is None:
            from precwatch.data import load_kb

            self._kb = load_kb()
        return self._kb

    def init(self) -> None:
        """Create the schema, or upgrade it to the latest migration (safe to run again)."""
        db.upgrade(self.engine)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    # -- organisations and users -------------------------------------------------------------------------

    def create_org(
        self, name: str, country: str, *, actor: Viewer | None = None, request_id: str | None = None
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
            with self.engine.begin() as conn:
                now = _now()
                org_id = conn.execute(
                    insert(orgs).values(name=name, country=country, created_at=now).returning(orgs.c.id)
                ).scalar_one()
                audit.append(
                    conn,
                    actor,
                    "org.create",
                    "org",
                    str(org_id),
                    request_id,
                    {"name": name, "country": country},
                )
        except IntegrityError:
            raise AlreadyExists(f"an organisation named {name!r} exists") from None
        return Org(id=org_id, name=name, country=country, created_at=now)

    def get_org(self, org_id: int) -> Org:
        """One organisation, or `NotFound`."""
        with self._single_reads.connect() as conn:
            row = conn.execute(queries.ORG_BY_ID, {"org_id": org_id}).mappings().first()
        if row is None:
            raise NotFound(f"no organisation {org_id}")
        return Org(**row)

    def get_org_by_name(self, name: str) -> Org:
        """One organisation by its exact name, or `NotFound`."""
        with self.engine.begin() as conn:
            row = conn.execute(select(orgs).where(orgs.c.name == name.strip())).mappings().first()
        if row is None:
            raise NotFound(f"no organisation named {name!r}")
        return Org(**row)

    def list_orgs(self) -> list[Org]:
        """Every organisation, by id."""
        with self.engine.begin() as conn:
            return [Org(**r) for r in conn.execute(select(orgs).order_by(orgs.c.id)).mappings()]

    def create_user(
        self,
        email: str,
        org_id: int,
        role: Role,
        *,
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
        self.get_org(org_id)
        try:
            with self.engine.begin() as conn:
                now = _now()
                user_id = conn.execute(
                    insert(users)
                    .values(email=email, org_id=org_id, role=role, created_at=now)
                    .returning(users.c.id)
                ).scalar_one()
                detail = {"email": email, "org_id": org_id, "role": role}
                audit.append(conn, actor, "user.create", "user", str(user_id), request_id, detail)
        except IntegrityError:
            raise AlreadyExists(f"a user with e-mail {email!r} exists") from None
        return User(id=user_id, email=email, org_id=org_id, role=role, created_at=now)

    def get_user(self, user_id: int) -> User:
        """One user, or `NotFound`."""
        with self.engine.begin() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
        if row is None:
            raise NotFound(f"no user {user_id}")
        return User(**row)

    def get_user_by_email(self, email: str) -> User:
        """One user by e-mail (case-insensitive), or `NotFound`."""
        with self.engine.begin() as conn:
            row = conn.execute(select(users).where(users.c.email == email.strip().lower())).mappings().first()
        if row is None:
            raise NotFound(f"no user {email!r}")
        return User(**row)

    def list_users(self, org_id: int | None = None) -> list[User]:
        """Users of one organisation (or all), by id."""
        query = select(users).order_by(users.c.id)
        if org_id is not None:
            query = query.where(users.c.org_id == org_id)
        with self.engine.begin() as conn:
            return [User(**r) for r in conn.execute(query).mappings()]

    # -- tokens ------------------------------------------------------------------------------------------

    def issue_token(
        self,
        user_id: int,
        expires_at: datetime,
        secret: str,
        *,
        actor: Viewer | None = None,
        request_id: str | None = None,
    ) -> tuple[TokenInfo, str]:
        """A new API token for the user: (its public facts, the token). The token is returned only here; the
        database keeps HMAC-SHA256(secret, token). Actor None (the CLI) or an admin of the user's organisation."""
        user = self.get_user(user_id)
        if actor is not None and (actor.role != "admin" or actor.org_id != user.org_id):
            raise Forbidden("only an admin of the user's organisation may issue tokens")
        if expires_at.tzinfo is None:
            raise ValueError("expires_at must be timezone-aware")
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        info = TokenInfo(
            id=uuid.uuid4().hex, user_id=user_id, created_at=_now(), expires_at=expires_at, revoked_at=None
        )
        with self.engine.begin() as conn:
            conn.execute(
                insert(tokens).values(
                    id=info.id,
                    user_id=user_id,
                    token_hash=hash_token(raw, secret),
                    created_at=info.created_at,
                    expires_at=expires_at,
                )
            )
            detail = {"user_id": user_id, "expires_at": expires_at.isoformat()}
            audit.append(conn, actor, "token.issue", "token", info.id, request_id, detail)
        return info, raw

    def revoke_token(
        self, token_id: str, *, actor: Viewer | None = None, request_id: str | None = None
    ) -> bool:
        """Revoke a token by id; False when there is no such live token. Actor None (CLI) or an admin of its org."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(tokens.c.id, users.c.org_id)
                .join(users, users.c.id == tokens.c.user_id)
                .where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
            ).first()
            if row is None:
                return False
            if actor is not None and (actor.role != "admin" or actor.org_id != row.org_id):
                raise Forbidden("only an admin of the token owner's organisation may revoke it")
            conn.execute(update(tokens).where(tokens.c.id == token_id).values(revoked_at=_now()))
            audit.append(conn, actor, "token.revoke", "token", token_id, request_id)
        return True

    def list_tokens(self, user_id: int) -> list[TokenInfo]:
        """A user's tokens (public facts only), oldest first."""
        cols = (tokens.c.id, tokens.c.user_id, tokens.c.created_at, tokens.c.expires_at, tokens.c.revoked_at)
        query = select(*cols).where(tokens.c.user_id == user_id).order_by(tokens.c.created_at)
        with self.engine.begin() as conn:
            return [TokenInfo(**r) for r in conn.execute(query).mappings()]

    def authenticate(self, raw_token: str, secret: str, now: datetime | None = None) -> Viewer | None:
        """The viewer a token belongs to, or None when it is unknown, expired or revoked (one answer for all)."""
        if not raw_token:
            return None
        now = now or _now()
        with self._single_reads.connect() as conn:
            row = conn.execute(queries.AUTHENTICATE, {"token_hash": hash_token(raw_token, secret)}).first()
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            return None
        return Viewer(user_id=row.id, org_id=row.org_id, role=row.role, email=row.email)

    # -- incidents ---------------------------------------------------------------------------------------

    def create_incident(
        self,
        viewer: Viewer,
        data: Mapping[str, Any],
        idempotency_key: str | None = None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        """Record an incident owned by the viewer's organisation (version 1) and return it.

        Raises `Forbidden` for viewers, `IncidentError` for bad data. With an idempotency key, a repeat of
        the same body by the same organisation returns the incident first created (no second record); the
        same key with a different body raises `IdempotencyConflict`.
        """
        if not viewer.can_write:
            raise Forbidden("viewers cannot create incidents")
        body = validate_incident(data)
        fingerprint = hashlib.sha256(canonical_json(body).encode()).hexdigest()
        if idempotency_key is not None:
            replay = self._idempotent_replay(viewer, idempotency_key, fingerprint, request_id)
            if replay is not None:
                return replay
        now = _now()
        body["reported_on"] = body["reported_on"] or now.date().isoformat()
        body["substances"] = identify_substances(body["substances_text"], self.kb)
        incident_id = uuid.uuid4().hex
        row = {
            "id": incident_id,
            "owner_org_id": viewer.org_id,
            "owner_user_id": viewer.user_id,
            "version": 1,
            "idempotency_key": idempotency_key,
            "idempotency_hash": fingerprint if idempotency_key else None,
            "created_at": now,
            "updated_at": now,
            "retracted_at": None,
            "retraction_reason": None,
            **derived_columns(body),
        }
        try:
            with self.engine.begin() as conn:
                self._check_shares(conn, body)
                conn.execute(queries.INCIDENT_INSERT, row)
                self._write_shares(conn, incident_id, body)
                detail = {"version": 1, "tlp": body["tlp"], "idempotency_key": idempotency_key}
                audit.append(conn, viewer, "incident.create", "incident", incident_id, request_id, detail)
        except IntegrityError:
            if idempotency_key is None:
                raise
            replay = self._idempotent_replay(viewer, idempotency_key, fingerprint, request_id)
            if replay is None:
                raise
            return replay
        return redact(to_incident(row), viewer, acl_of(row))

    def _idempotent_replay(
        self, viewer: Viewer, key: str, fingerprint: str, request_id: str | None
    ) -> dict[str, Any] | None:
        with self.engine.begin() as conn:
            row = (
                conn.execute(
                    select(incidents).where(
                        incidents.c.owner_org_id == viewer.org_id, incidents.c.idempotency_key == key
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                return None
            if row["idempotency_hash"] != fingerprint or not can_view(viewer, acl_of(row)):
                raise IdempotencyConflict(f"idempotency key {key!r} was already used for a different request")
            detail = {"idempotency_key": key, "tlp": row["tlp"]}
            audit.append(conn, viewer, "incident.create-replay", "incident", row["id"], request_id, detail)
            return redact(to_incident(row), viewer, acl_of(row))

    def get_incident(
        self, viewer: Viewer, incident_id: str, request_id: str | None = None
    ) -> dict[str, Any] | None:
        """The incident as `viewer` may see it (owner-only fields redacted for partners), or None when it does
        not exist or is not visible to the viewer. Reads of amber, amber+strict and red records are audited."""
        with self.engine.begin() as conn:
            row = self._visible_row(conn, viewer, incident_id)
            if row is None:
                return None
            if row["tlp"] in AUDITED_READ_TLPS:
                detail = {"tlp": row["tlp"], "version": row["version"]}
                self._append_read(conn, viewer, "incident.read", incident_id, request_id, detail)
            return redact(to_incident(row), viewer, acl_of(row))

    def _visible_row(self, conn: Connection, viewer: Viewer, incident_id: str) -> Mapping[Any, Any] | None:
        params = {"incident_id": incident_id, **queries.viewer_params(viewer)}
        row = conn.execute(queries.VISIBLE_ROW, params).mappings().first()
        if row is None or not can_view(viewer, acl_of(row)):  # the SQL rule, re-checked by the policy
            return None
        return row

    def update_incident(
        self,
        viewer: Viewer,
        incident_id: str,
        data: Mapping[str, Any],
        expected_version: int,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        """Change an incident if it is still at `expected_version`; returns it at the next version.

        `data` holds the fields to change (the others keep their values; give them all to replace). Raises
        `NotFound` (missing or invisible), `Forbidden` (not a writer of the owner organisation),
        `Retracted`, `VersionConflict` (someone else changed it first: nothing is written), `IncidentError`.
        The check is a conditional `UPDATE ... WHERE version = :expected`, so of two concurrent updates at the
        same version exactly one wins.
        """
        with self.engine.begin() as conn:
            row = self._visible_row(conn, viewer, incident_id)
            if row is None:
                raise NotFound(f"no incident {incident_id}")
            self._check_writable(viewer, row, expected_version)
            current = to_incident(row)
            unknown = set(data) - set(EDITABLE_FIELDS)
            if unknown:
                raise IncidentError(sorted(unknown)[0], "cannot be changed")
            body = validate_incident({**editable_body(current), **data})
            body["reported_on"] = body["reported_on"] or current["reported_on"]
            if body["substances_text"] == current["substances_text"]:
                body["substances"] = current["substances"]
            else:
                body["substances"] = identify_substances(body["substances_text"], self.kb)
            self._check_shares(conn, body)
            changed = sorted(k for k in EDITABLE_FIELDS if body.get(k) != current.get(k))
            result = conn.execute(
                update(incidents)
                .where(
                    incidents.c.id == incident_id,
                    incidents.c.version == expected_version,
                    incidents.c.retracted_at.is_(None),
                )
                .values(version=incidents.c.version + 1, updated_at=_now(), **derived_columns(body))
                .returning(*OUTPUT_COLUMNS)
            )
            updated = result.mappings().first()
            if updated is None:
                self._raise_lost_race(conn, incident_id, expected_version)
            self._write_shares(conn, incident_id, body, replace=True)
            detail = {"version": expected_version + 1, "changed": changed, "tlp": body["tlp"]}
            audit.append(conn, viewer, "incident.update", "incident", incident_id, request_id, detail)
            return redact(to_incident(updated), viewer, acl_of(updated))

    def retract_incident(
        self,
        viewer: Viewer,
        incident_id: str,
        reason: str,
        request_id: str | None = None,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Retract an incident with a reason (the record stays readable, marked retracted, for everyone it was
        shared with). Raises `NotFound`, `Forbidden`, `Retracted` (already), `VersionConflict`, `ValueError`."""
        reason = reason.strip()
        if not reason:
            raise ValueError("a retraction needs a reason")
        with self.engine.begin() as conn:
            row = self._visible_row(conn, viewer, incident_id)
            if row is None:
                raise NotFound(f"no incident {incident_id}")
            expected = int(row["version"]) if expected_version is None else expected_version
            self._check_writable(viewer, row, expected)
            now = _now()
            result = conn.execute(
                update(incidents)
                .where(
                    incidents.c.id == incident_id,
                    incidents.c.version == expected,
                    incidents.c.retracted_at.is_(None),
                )
                .values(
                    version=incidents.c.version + 1,
                    updated_at=now,
                    retracted_at=now,
                    retraction_reason=reason,
                )
                .returning(*OUTPUT_COLUMNS)
            )
            retracted = result.mappings().first()
            if retracted is None:
                self._raise_lost_race(conn, incident_id, expected)
            detail = {"version": expected + 1, "reason": reason, "tlp": row["tlp"]}
            audit.append(conn, viewer, "incident.retract", "incident", incident_id, request_id, detail)
            return redact(to_incident(retracted), viewer, acl_of(retracted))

    def _check_writable(self, viewer: Viewer, row: Mapping[Any, Any], expected_version: int) -> None:
        if not can_edit(viewer, acl_of(row)):
            raise Forbidden("only analysts and admins of the owner organisation may change this incident")
        if row["retracted_at"] is not None:
            raise Retracted(f"incident {row['id']} is retracted")
        if int(row["version"]) != expected_version:
            raise VersionConflict(str(row["id"]), expected_version, int(row["version"]))

    def _raise_lost_race(self, conn: Connection, incident_id: str, expected_version: int) -> NoReturn:
        row = conn.execute(
            select(incidents.c.version, incidents.c.retracted_at).where(incidents.c.id == incident_id)
        ).one()
        if row.retracted_at is not None:
            raise Retracted(f"incident {incident_id} is retracted")
        raise VersionConflict(incident_id, expected_version, int(row.version))

    def _check_shares(self, conn: Connection, body: Mapping[str, Any]) -> None:
        for key, table in (("shared_with_orgs", orgs), ("shared_with_users", users)):
            wanted = set(body[key])
            if wanted:
                found = set(conn.execute(select(table.c.id).where(table.c.id.in_(wanted))).scalars())
                missing = sorted(wanted - found)
                if missing:
                    raise IncidentError(key, f"unknown ids {missing}")

    def _write_shares(
        self, conn: Connection, incident_id: str, body: Mapping[str, Any], replace: bool = False
    ) -> None:
        if replace:
            conn.execute(delete(incident_org_shares).where(incident_org_shares.c.incident_id == incident_id))
            conn.execute(
                delete(incident_user_shares).where(incident_user_shares.c.incident_id == incident_id)
            )
        if body["shared_with_orgs"]:
            rows = [{"incident_id": incident_id, "org_id": o} for o in body["shared_with_orgs"]]
            conn.execute(insert(incident_org_shares), rows)
        if body["shared_with_users"]:
            rows = [{"incident_id": incident_id, "user_id": u} for u in body["shared_with_users"]]
            conn.execute(insert(incident_user_shares), rows)

    def list_incidents(
        self,
        viewer: Viewer,
        filters: IncidentFilter | None = None,
        limit: int = 50,
        offset: int = 0,
        request_id: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the incidents `viewer` may see that match `filters`, newest occurrence first, and the
        total matching count. Visibility and every filter run in SQL, on the text as the viewer may see it.
        A page holding amber, amber+strict or red records is audited (one entry listing their ids)."""
        if not 1 <= limit <= MAX_PAGE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
        if offset < 0:
            raise ValueError(f"offset must be >= 0, got {offset}")
        shape, values = queries.filter_values(filters or IncidentFilter(), self.kb)
        count, page = queries.list_statements(shape)
        params = {**values, **queries.viewer_params(viewer)}
        with self.engine.begin() as conn:
            total = conn.execute(count, params).scalar_one()
            page_params = {**params, "page_limit": limit, "page_offset": offset}
            rows = [r for r in conn.execute(page, page_params).mappings() if can_view(viewer, acl_of(r))]
            audited = [r["id"] for r in rows if r["tlp"] in AUDITED_READ_TLPS]
            if audited:
                self._append_read(conn, viewer, "incident.list", None, request_id, {"ids": audited})
        return [redact(to_incident(r), viewer, acl_of(r)) for r in rows], int(total)

    def count_incidents(self, viewer: Viewer, filters: IncidentFilter | None = None) -> int:
        """How many incidents `viewer` may see match `filters` (the same SQL as `list_incidents`)."""
        shape, values = queries.filter_values(filters or IncidentFilter(), self.kb)
        count, _ = queries.list_statements(shape)
        with self.engine.begin() as conn:
            return int(conn.execute(count, {**values, **queries.viewer_params(viewer)}).scalar_one())

    # -- audit -------------------------------------------------------------------------------------------

    def audit_entries(
        self, after_seq: int = 0, limit: int = 1000, *, org_id: int | None = None
    ) -> list[AuditEntry]:
        """Audit entries with seq > `after_seq`, oldest first; `org_id` keeps only entries by that org's users.

        The store does not decide who may read the log: the web layer should restrict it (e.g. admins, own org).
        """
        query = select(audit_log).where(audit_log.c.seq > after_seq).order_by(audit_log.c.seq).limit(limit)
        if org_id is not None:
            query = query.where(audit_log.c.actor_org_id == org_id)
        with self.engine.begin() as conn:
            return [audit.to_entry(r) for r in conn.execute(query).mappings()]

    def audit_head(self) -> tuple[int, str]:
        """The last audit seq and its hash: print and keep it somewhere else, then pass it to `verify_audit`."""
        with self.engine.begin() as conn:
            head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).one()
        return int(head.seq), str(head.hash)

    def verify_audit(self, anchors: Sequence[tuple[int, str]] = ()) -> list[Problem]:
        """Every sign of tampering in the audit log: edited, deleted, reordered entries (by seq). [] = intact.
        Each `Problem` has `kind`, `seqs` and a human `message` (also its `str()`). `anchors` are earlier
        `audit_head()` values kept outside the database; they catch a rewrite that recomputed every hash."""
        with self.engine.begin() as conn:
            rows = [
                audit.for_verify(r)
                for r in conn.execute(select(audit_log).order_by(audit_log.c.seq)).mappings()
            ]
            head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).one()
        return verify(rows, int(head.seq), str(head.hash), anchors)
