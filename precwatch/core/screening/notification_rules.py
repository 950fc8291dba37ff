"""Declarations against pre-export notifications: the two rules that need the hub's notifications.

A shipment of a scheduled precursor crossing a border should have been notified by the exporting country
(UN 1988 Convention art. 12 para. 10). Screening with a `NotificationBook` (the notifications the screening
user may see on the hub, fetched once per run) adds:

- `no-pre-export-notification`: the declaration names a scheduled substance, and no notification names the
  same importer (matched as the watchlist matches names: legal forms, spelling, word order, pinyin) for that
  substance with a dispatch date within the window of the declaration's date;
- `notification-objected`: such a notification exists and the importing country objected to it.

Withdrawn notifications cover nothing. Both rules are silent when screening runs without the hub.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from precwatch.core.match import Match
from precwatch.core.parties.entries import WatchlistEntry
from precwatch.core.parties.watchlist import Watchlist
from precwatch.core.screening.context import RiskContext
from precwatch.core.screening.records import Declaration, Listing
from precwatch.core.screening.rules import RiskRule
from precwatch.core.screening.verdict import Reason

DEFAULT_WINDOW_DAYS = 60
"""A declaration is covered by a notification whose dispatch date is at most this many days before or after
the declaration's date (sea freight from Asia to the Americas takes 3-6 weeks)."""
MISSING_WEIGHT = 30
OBJECTED_WEIGHT = 60
SCHEDULED_RELATIONS = frozenset({"listed", "salt"})
"""Relations that make a shipment notifiable: the substance itself or a salt of it."""


@dataclass(frozen=True, slots=True)
class KnownNotification:
    """What screening needs of one notification on the hub."""

    id: str
    state: str
    importer: str
    importing_country: str
    exporting_country: str
    substances: tuple[str, ...]
    dispatch_on: str
    state_reason: str | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> KnownNotification:
        """From the hub API's notification object (`GET /api/v1/notifications`)."""
        return cls(
            id=str(data["id"]),
            state=str(data["state"]),
            importer=str(data["importer"]["name"]),
            importing_country=str(data["importing_country"]),
            exporting_country=str(data["exporting_country"]),
            substances=tuple(sorted({str(s["substance"]) for s in data["substances"]})),
            dispatch_on=str(data["dispatch_on"]),
            state_reason=data.get("state_reason"),
        )


@dataclass(frozen=True, slots=True)
class NotificationBook:
    """The notifications a screening run checks declarations against (hashable and picklable, so a
    `ScreenJob` can carry it to worker processes), the window, the weights and where they came from."""

    notifications: tuple[KnownNotification, ...]
    window_days: int = DEFAULT_WINDOW_DAYS
    source: str = "hub"
    missing_weight: int = MISSING_WEIGHT
    objected_weight: int = OBJECTED_WEIGHT


class NotificationIndex:
    """A book indexed for screening: importer names in a `Watchlist`, one entry per distinct importer."""

    def __init__(self, book: NotificationBook) -> None:
        self.book = book
        groups: dict[tuple[str, str], list[KnownNotification]] = {}
        for n in book.notifications:
            if n.state != "withdrawn":
                groups.setdefault((n.importer, n.importing_country), []).append(n)
        self._by_entry = {str(i): items for i, items in enumerate(groups.values())}
        entries = [
            WatchlistEntry(id=str(i), name=name, country=country, source=book.source, schema="Company")
            for i, (name, country) in enumerate(groups)
        ]
        self.importers = Watchlist(entries)

    def covering(
        self, importer: str, country: str | None, substance: str, when: str | None
    ) -> list[KnownNotification]:
        """The notifications for this importer (a name variant counts) and substance whose dispatch date is
        within the window of `when` (any date when the declaration has none), the most recent first."""
        found: list[KnownNotification] = []
        for hit in self.importers.match(importer, country, limit=50):
            for n in self._by_entry[hit.entry.id]:
                if substance in n.substances and _within(n.dispatch_on, when, self.book.window_days):
                    found.append(n)
        return sorted(found, key=lambda n: n.dispatch_on, reverse=True)


def _within(dispatch_on: str, when: str | None, window: int) -> bool:
    if not when:
        return True
    try:
        return abs((date.fromisoformat(when[:10]) - date.fromisoformat(dispatch_on)).days) <= window
    except ValueError:
        return True  # an unreadable declaration date cannot rule a notification out


def _notifiable(ctx: RiskContext) -> Iterator[Match]:
    """The declaration's scheduled substances (listed or salts, controlled by the UN tables), one each."""
    seen: set[str] = set()
    for m in sorted(ctx.matches, key=lambda m: -m.confidence):
        scheduled = m.relation in SCHEDULED_RELATIONS and ctx.is_controlled(m.controls.get("UN", "unknown"))
        if scheduled and m.substance not in seen:
            seen.add(m.substance)
            yield m


def _crosses_border(rec: Declaration) -> bool:
    shipper, consignee = rec.shipper.country, rec.consignee.country
    return not (shipper and consignee and shipper == consignee)


def no_pre_export_notification(ctx: RiskContext) -> Iterator[Reason]:
    """The declaration imports a scheduled precursor (UN Table I or II, or a salt of one), but the hub holds
    no pre-export notification from the exporting country for this importer (names matched as the watchlist
    matches them) and this substance with a dispatch date near the declaration's date. Exports of scheduled
    precursors must be notified before they leave; a missing notification is how diversion looks."""
    index = ctx.notifications
    rec = ctx.record
    if index is None or not isinstance(rec, Declaration) or not _crosses_border(rec):
        return
    if not rec.consignee.name.strip():
        return
    for m in _notifiable(ctx):
        if not index.covering(rec.consignee.name, rec.consignee.country, m.substance, rec.date):
            yield Reason(
                "no-pre-export-notification",
                index.book.missing_weight,
                f"no pre-export notification on {index.book.source} for {m.name} to '{rec.consignee.name}' "
                f"within {index.book.window_days} days of {rec.date or 'the declaration'}",
            )


def notification_objected(ctx: RiskContext) -> Iterator[Reason]:
    """A pre-export notification for this importer and substance exists, and the importing country objected
    to it: the shipment was refused before it left, yet here it is being declared."""
    index = ctx.notifications
    rec = ctx.record
    if index is None or not isinstance(rec, Declaration) or not rec.consignee.name.strip():
        return
    for m in _notifiable(ctx):
        for n in index.covering(rec.consignee.name, rec.consignee.country, m.substance, rec.date):
            if n.state == "objected":
                yield Reason(
                    "notification-objected",
                    index.book.objected_weight,
                    f"notification {n.id} ({n.exporting_country} to {n.importing_country}, {m.name}, dispatch "
                    f"{n.dispatch_on}) was objected to: {n.state_reason or 'no reason given'}",
                )
                break


NOTIFICATION_RULES: tuple[RiskRule, ...] = (
    RiskRule(notification_objected, ("notification-objected",)),
    RiskRule(no_pre_export_notification, ("no-pre-export-notification",)),
)
"""Rules that run when screening has a `NotificationBook` (declarations only)."""


def notification_rules_for(
    record: Declaration | Listing, index: NotificationIndex | None
) -> tuple[RiskRule, ...]:
    """The notification rules for `record`: none without notifications or for listings."""
    return NOTIFICATION_RULES if index is not None and isinstance(record, Declaration) else ()


def book_from_api(
    items: Iterable[Mapping[str, Any]], *, window_days: int = DEFAULT_WINDOW_DAYS, source: str = "hub"
) -> NotificationBook:
    """A book from the hub API's notification objects."""
    return NotificationBook(tuple(KnownNotification.from_api(i) for i in items), window_days, source)
