"""The hub's correlation, watch-rule, alert, webhook and re-screening use cases, as methods of `Hub`.

`WatchUseCases` is mixed into `precwatch.hub.service.Hub`; each method delegates to one use-case module
(`precwatch.hub.correlation`, `.alerts`, `.webhooks`, `.rescreen`) and runs in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.sharing.tlp import Viewer
from precwatch.hub import alerts, correlation, rescreen, webhooks
from precwatch.hub.context import HubContext

if TYPE_CHECKING:
    import httpx


class WatchUseCases:
    """Correlation, alerts and re-screening over the hub's context (`ctx`, set by `Hub.__init__`)."""

    ctx: HubContext

    def correlations(
        self, viewer: Viewer, record_kind: str, record_id: str, *, request_id: str | None = None
    ) -> dict[str, Any] | None:
        """See `precwatch.hub.correlation.correlations`."""
        return correlation.correlations(self.ctx, viewer, record_kind, record_id, request_id=request_id)

    def create_watch_rule(
        self, viewer: Viewer, *, kind: str, value: str, webhook_url: str | None = None
    ) -> dict[str, Any]:
        """See `precwatch.hub.alerts.create_rule`."""
        return alerts.create_rule(self.ctx, viewer, kind=kind, value=value, webhook_url=webhook_url)

    def watch_rules(self, viewer: Viewer) -> list[dict[str, Any]]:
        """See `precwatch.hub.alerts.list_rules`."""
        return alerts.list_rules(self.ctx, viewer)

    def delete_watch_rule(self, viewer: Viewer, rule_id: int) -> None:
        """See `precwatch.hub.alerts.delete_rule`."""
        alerts.delete_rule(self.ctx, viewer, rule_id)

    def alerts(
        self, viewer: Viewer, *, unread: bool | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int, int]:
        """See `precwatch.hub.alerts.list_alerts`."""
        return alerts.list_alerts(self.ctx, viewer, unread=unread, limit=limit, offset=offset)

    def mark_alert_read(self, viewer: Viewer, alert_id: int) -> dict[str, Any]:
        """See `precwatch.hub.alerts.mark_read`."""
        return alerts.mark_read(self.ctx, viewer, alert_id)

    def deliver_webhooks(
        self,
        client: httpx.Client,
        *,
        limit: int = 100,
        max_attempts: int = webhooks.MAX_ATTEMPTS,
        allowed_networks: tuple[str, ...] = (),
    ) -> dict[str, int]:
        """See `precwatch.hub.webhooks.deliver_due`."""
        return webhooks.deliver_due(
            self.ctx, client, limit=limit, max_attempts=max_attempts, allowed_networks=allowed_networks
        )

    def webhook_counts(self) -> dict[str, int]:
        """See `precwatch.hub.webhooks.delivery_counts`."""
        return webhooks.delivery_counts(self.ctx)

    def rescreen(
        self,
        old: KnowledgeBase,
        new: KnowledgeBase,
        *,
        progress: Callable[[int], None] | None = None,
        stop_after: int | None = None,
    ) -> rescreen.RescreenReport:
        """See `precwatch.hub.rescreen.rescreen`."""
        return rescreen.rescreen(self.ctx, old, new, progress=progress, stop_after=stop_after)

    def rescreen_pending(self, old: KnowledgeBase, new: KnowledgeBase) -> int:
        """See `precwatch.hub.rescreen.pending`."""
        return rescreen.pending(self.ctx, old, new)
