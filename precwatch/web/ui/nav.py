"""The navigation bar: one entry per page, in order. A page added later appends its entry here and its
template extends `base.html`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    """One link of the navigation bar: its path and its (translatable) label."""

    path: str
    label: str


def _(message: str) -> str:
    """Mark a label for extraction; it is translated when the bar is rendered."""
    return message


NAV: tuple[NavEntry, ...] = (
    NavEntry("/ui/", _("Dashboard")),
    NavEntry("/ui/incidents", _("Incidents")),
    NavEntry("/ui/kb", _("Knowledge base")),
    NavEntry("/ui/market", _("Marketplaces")),
    NavEntry("/ui/screening", _("Screening")),
    NavEntry("/ui/notifications", _("Notifications")),
    NavEntry("/ui/alerts", _("Alerts")),
)
