"""`Hub`: the sharing hub's use cases behind one object (what the CLI and the web app call).

Each method is one use case (`precwatch.hub.accounts`, `.incidents`, `.audit`, `.notifications`, `.exports`;
correlation, alerts and re-screening in `precwatch.hub.watching`) and runs in its own
transaction. The knowledge base is given by the caller (loaded with `precwatch.data.load_kb`); nothing here
reads settings or the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.audit_chain import Problem
from precwatch.core.sharing.correlation import Warninglist
from precwatch.core.sharing.notifications import DEFAULT_RESPONSE_DAYS
from precwatch.core.sharing.tlp import Role, Viewer
from precwatch.hub import accounts, audit, drafts, exports, incidents, notifications
from precwatch.hub.context import HubContext
from precwatch.hub.token_cache import TOKEN_CACHE_SECONDS, TokenCache
from precwatch.hub.watching import WatchUseCases
from precwatch.store import db
from precwatch.store.models import AuditEntry, IncidentFilter, Org, TokenInfo, User
from precwatch.store.notifications import NotificationFilter


class Hub(WatchUseCases):
    """The hub on one database (SQLite file or PostgreSQL) with one knowledge base."""

    def __init__(
        self,
        engine: Engine,
        kb: KnowledgeBase,
        *,
        durable_read_audit: bool = True,
        warninglist: Warninglist | None = None,
        token_cache_seconds: float = TOKEN_CACHE_SECONDS,
    ) -> None:
        """Wrap an engine made by `precwatch.store.db.make_engine`; `kb` identifies substances; `warninglist`
        lists values never correlated on (`precwatch.data.warninglists.load_warninglist()`; default none).

        `durable_read_audit=False` (PostgreSQL only): see `HubContext` (audited reads commit without waiting
        for the disk flush; writes always commit durably).
        `token_cache_seconds`: how long a token the database confirmed is trusted without a query (0: never;
        see `precwatch.hub.token_cache`).
        """
        self.ctx = HubContext(
            engine, kb, durable_read_audit, warninglist or Warninglist(), TokenCache(token_cache_seconds)
        )
        self.notification_response_days = DEFAULT_RESPONSE_DAYS
        """Days an importing country has to answer a notification (when the notification does not say)."""
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        """The time notifications are created, answered and found overdue at (tests replace it)."""

    @classmethod
    def from_url(
        cls,
        url: str,
        kb: KnowledgeBase,
        *,
        durable_read_audit: bool = True,
        warninglist: Warninglist | None = None,
        **engine_options: Any,
    ) -> Hub:
        """A hub on `url` (`sqlite:///path.db`, `postgresql+psycopg://user@host/db`). Call `init()` once."""
        engine = db.make_engine(url, **engine_options)
        return cls(engine, kb, durable_read_audit=durable_read_audit, warninglist=warninglist)

    @property
    def engine(self) -> Engine:
        """The database engine."""
        return self.ctx.engine

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base substances are identified against."""
        return self.ctx.kb

    def init(self) -> None:
        """Create the schema, or upgrade it to the latest migration (safe to run again)."""
        db.upgrade(self.engine)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    # -- accounts ----------------------------------------------------------------------------------------

    def create_org(
        self, name: str, country: str, *, actor: Viewer | None = None, request_id: str | None = None
    ) -> Org:
        """See `precwatch.hub.accounts.create_org`."""
        return accounts.create_org(self.ctx, name, country=country, actor=actor, request_id=request_id)

    def get_org(self, org_id: int) -> Org:
        """See `precwatch.hub.accounts.get_org`."""
        return accounts.get_org(self.ctx, org_id)

    def get_org_by_name(self, name: str) -> Org:
        """See `precwatch.hub.accounts.get_org_by_name`."""
        return accounts.get_org_by_name(self.ctx, name)

    def list_orgs(self) -> list[Org]:
        """See `precwatch.hub.accounts.list_orgs`."""
        return accounts.list_orgs(self.ctx)

    def create_user(
        self,
        email: str,
        org_id: int,
        *,
        role: Role,
        actor: Viewer | None = None,
        request_id: str | None = None,
    ) -> User:
        """See `precwatch.hub.accounts.create_user`."""
        return accounts.create_user(
            self.ctx, email, org_id=org_id, role=role, actor=actor, request_id=request_id
        )

    def get_user(self, user_id: int) -> User:
        """See `precwatch.hub.accounts.get_user`."""
        return accounts.get_user(self.ctx, user_id)

    def get_user_by_email(self, email: str) -> User:
        """See `precwatch.hub.accounts.get_user_by_email`."""
        return accounts.get_user_by_email(self.ctx, email)

    def list_users(self, org_id: int | None = None) -> list[User]:
        """See `precwatch.hub.accounts.list_users`."""
        return accounts.list_users(self.ctx, org_id)

    def issue_token(
        self,
        user_id: int,
        expires_at: datetime,
        *,
        secret: str,
        actor: Viewer | None = None,
        request_id: str | None = None,
    ) -> tuple[TokenInfo, str]:
        """See `precwatch.hub.accounts.issue_token`."""
        return accounts.issue_token(
            self.ctx, user_id, expires_at=expires_at, secret=secret, actor=actor, request_id=request_id
        )

    def revoke_token(
        self, token_id: str, *, actor: Viewer | None = None, request_id: str | None = None
    ) -> bool:
        """See `precwatch.hub.accounts.revoke_token`."""
        return accounts.revoke_token(self.ctx, token_id, actor=actor, request_id=request_id)

    def list_tokens(self, user_id: int) -> list[TokenInfo]:
        """See `precwatch.hub.accounts.list_tokens`."""
        return accounts.list_tokens(self.ctx, user_id)

    def authenticate(self, raw_token: str, secret: str, *, now: datetime | None = None) -> Viewer | None:
        """See `precwatch.hub.accounts.authenticate`."""
        return accounts.authenticate(self.ctx, raw_token, secret=secret, now=now)

    def cached_viewer(self, raw_token: str, secret: str) -> Viewer | None:
        """See `precwatch.hub.accounts.cached_viewer` (no database: None means "ask `authenticate`")."""
        return accounts.cached_viewer(self.ctx, raw_token, secret=secret)

    # -- incidents ---------------------------------------------------------------------------------------

    def create_incident(
        self,
        viewer: Viewer,
        data: Mapping[str, Any],
        *,
        idempotency_key: str | None = None,
        request_id: str | None = None,
        draft: bool = False,
    ) -> dict[str, Any]:
        """See `precwatch.hub.incidents.create`."""
        return incidents.create(
            self.ctx, viewer, data, idempotency_key=idempotency_key, request_id=request_id, draft=draft
        )

    def publish_incident(
        self,
        viewer: Viewer,
        incident_id: str,
        *,
        expected_version: int | None = None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        """See `precwatch.hub.drafts.publish`."""
        return drafts.publish(
            self.ctx, viewer, incident_id, expected_version=expected_version, request_id=request_id
        )

    def get_incident(
        self, viewer: Viewer, incident_id: str, *, request_id: str | None = None
    ) -> dict[str, Any] | None:
        """See `precwatch.hub.incidents.get`."""
        return incidents.get(self.ctx, viewer, incident_id, request_id=request_id)

    def get_incidents(
        self, viewer: Viewer, incident_ids: Sequence[str], *, request_id: str | None = None
    ) -> list[dict[str, Any] | None]:
        """See `precwatch.hub.incidents.get_many`."""
        return incidents.get_many(self.ctx, viewer, incident_ids, request_id=request_id)

    def update_incident(
        self,
        viewer: Viewer,
        incident_id: str,
        *,
        changes: Mapping[str, Any],
        expected_version: int | None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        """See `precwatch.hub.incidents.update`."""
        return incidents.update(
            self.ctx,
            viewer,
            incident_id,
            changes=changes,
            expected_version=expected_version,
            request_id=request_id,
        )

    def retract_incident(
        self,
        viewer: Viewer,
        incident_id: str,
        *,
        reason: str,
        expected_version: int | None = None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        """See `precwatch.hub.incidents.retract`."""
        return incidents.retract(
            self.ctx,
            viewer,
            incident_id,
            reason=reason,
            expected_version=expected_version,
            request_id=request_id,
        )

    def list_incidents(
        self,
        viewer: Viewer,
        filters: IncidentFilter | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        request_id: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """See `precwatch.hub.incidents.list_page`."""
        return incidents.list_page(
            self.ctx, viewer, filters, limit=limit, offset=offset, request_id=request_id
        )

    def count_incidents(self, viewer: Viewer, filters: IncidentFilter | None = None) -> int:
        """See `precwatch.hub.incidents.count`."""
        return incidents.count(self.ctx, viewer, filters)

    # -- audit -------------------------------------------------------------------------------------------

    def audit_entries(
        self, after_seq: int = 0, limit: int = 1000, *, org_id: int | None = None
    ) -> list[AuditEntry]:
        """See `precwatch.hub.audit.entries`."""
        return audit.entries(self.ctx, after_seq, limit, org_id=org_id)

    def audit_head(self) -> tuple[int, str]:
        """See `precwatch.hub.audit.head`."""
        return audit.head(self.ctx)

    def audit_entry_count(self) -> int:
        """See `precwatch.hub.audit.entry_count`."""
        return audit.entry_count(self.ctx)

    def verify_audit(self, anchors: Sequence[tuple[int, str]] = ()) -> list[Problem]:
        """See `precwatch.hub.audit.verify_log`."""
        return audit.verify_log(self.ctx, anchors)

    # -- pre-export notifications ------------------------------------------------------------------------

    def create_notification(
        self, viewer: Viewer, data: Mapping[str, Any], *, request_id: str | None = None
    ) -> dict[str, Any]:
        """See `precwatch.hub.notifications.create`."""
        return notifications.create(
            self.ctx,
            viewer,
            data,
            now=self.clock(),
            response_days=self.notification_response_days,
            request_id=request_id,
        )

    def get_notification(
        self, viewer: Viewer, notification_id: str, *, request_id: str | None = None
    ) -> dict[str, Any] | None:
        """See `precwatch.hub.notifications.get`."""
        return notifications.get(self.ctx, viewer, notification_id, now=self.clock(), request_id=request_id)

    def act_on_notification(
        self,
        viewer: Viewer,
        notification_id: str,
        *,
        action: str,
        reason: str | None = None,
        expected_version: int | None = None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        """See `precwatch.hub.notifications.act`."""
        return notifications.act(
            self.ctx,
            viewer,
            notification_id,
            action=action,
            reason=reason,
            expected_version=expected_version,
            now=self.clock(),
            request_id=request_id,
        )

    def notification_history(self, viewer: Viewer, notification_id: str) -> list[dict[str, Any]] | None:
        """See `precwatch.hub.notifications.history`."""
        return notifications.history(self.ctx, viewer, notification_id)

    def list_notifications(
        self,
        viewer: Viewer,
        filters: NotificationFilter | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        request_id: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """See `precwatch.hub.notifications.list_page`."""
        return notifications.list_page(
            self.ctx, viewer, filters, now=self.clock(), limit=limit, offset=offset, request_id=request_id
        )

    # -- exports -----------------------------------------------------------------------------------------

    def export_incidents(
        self,
        viewer: Viewer,
        filters: IncidentFilter | None = None,
        *,
        incident_id: str | None = None,
        export_format: str,
        request_id: str | None = None,
    ) -> list[dict[str, Any]] | None:
        """See `precwatch.hub.exports.visible_incidents`."""
        return exports.visible_incidents(
            self.ctx,
            viewer,
            filters,
            incident_id=incident_id,
            export_format=export_format,
            request_id=request_id,
        )
