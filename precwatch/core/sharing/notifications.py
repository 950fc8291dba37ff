"""Pre-export notifications: the state machine, the deadline and who may answer.

Before a shipment of a scheduled precursor leaves, the exporting country's authority notifies the importing
country (UN 1988 Convention, art. 12 para. 10; INCB's PEN Online). On the hub:

```
            acknowledge            clear
submitted ─────────────▶ acknowledged ─────────▶ cleared
    │  └──────── clear / object ─────┐ └───────▶ objected (with a reason)
    └──────── withdraw (exporter) ───┴──────────▶ withdrawn (with a reason)
```

- The **exporting** authority (the organisation that created the notification) may only withdraw it.
- The **importing** country's organisations (an organisation whose country is the importer's) acknowledge,
  clear or object. An objection must say why.
- `cleared`, `objected` and `withdrawn` are final: nothing moves a notification out of them.
- A notification still `submitted` or `acknowledged` after its response deadline is **overdue**. Overdue is
  computed from the clock, never stored, so it can never be stale.

Each transition is a function that returns the new state or raises `IllegalTransition` saying what the
notification's state allows instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

from precwatch.core.sharing.notification_body import NotificationError
from precwatch.core.sharing.tlp import RecordAcl, Viewer, can_view

State = Literal["submitted", "acknowledged", "cleared", "objected", "withdrawn"]
STATES: tuple[State, ...] = get_args(State)
OPEN_STATES: frozenset[State] = frozenset({"submitted", "acknowledged"})
"""States that still wait for the importing country's answer (and so can be overdue)."""
FINAL_STATES: frozenset[State] = frozenset({"cleared", "objected", "withdrawn"})

Action = Literal["acknowledge", "clear", "object", "withdraw"]
ACTIONS: tuple[Action, ...] = get_args(Action)
Side = Literal["importer", "exporter"]

DEFAULT_RESPONSE_DAYS = 15
"""Days the importing country has to answer before a notification is overdue (configurable per hub and per
notification)."""
MAX_REASON = 2_000


class IllegalTransition(ValueError):
    """The notification's state does not allow this action (e.g. clearing a withdrawn notification)."""

    def __init__(self, action: str, state: str, allowed: tuple[str, ...]) -> None:
        can = ", ".join(allowed) or "nothing (it is final)"
        super().__init__(f"cannot {action} a notification that is {state}; from {state} one can: {can}")
        self.action = action
        self.state = state


def _require(action: Action, state: str, sources: frozenset[State]) -> None:
    if state not in sources:
        raise IllegalTransition(action, state, allowed_actions(state))


def _reason(reason: str | None, *, required: bool) -> str | None:
    text = (reason or "").strip()
    if "\x00" in text:
        raise NotificationError("reason", "contains a NUL character")
    if len(text) > MAX_REASON:
        raise NotificationError("reason", f"is longer than {MAX_REASON} characters")
    if required and not text:
        raise NotificationError("reason", "is required for this action")
    return text or None


def acknowledge(state: str, reason: str | None = None) -> tuple[State, str | None]:
    """The importing authority confirms it received the notification and is examining it. Only from
    `submitted`; it does not stop the deadline: an acknowledged notification can still become overdue."""
    _require("acknowledge", state, frozenset({"submitted"}))
    return "acknowledged", _reason(reason, required=False)


def clear(state: str, reason: str | None = None) -> tuple[State, str | None]:
    """The importing authority has no objection: the shipment may proceed. From `submitted` or
    `acknowledged`; final."""
    _require("clear", state, OPEN_STATES)
    return "cleared", _reason(reason, required=False)


def object_to(state: str, reason: str | None = None) -> tuple[State, str | None]:
    """The importing authority objects to the shipment (unknown importer, no licence, quantity beyond
    legitimate need...). The reason is required and shown to the exporter. From `submitted` or
    `acknowledged`; final. Declarations screened against the hub that match an objected notification get
    the reason `notification-objected`."""
    _require("object", state, OPEN_STATES)
    return "objected", _reason(reason, required=True)


def withdraw(state: str, reason: str | None = None) -> tuple[State, str | None]:
    """The exporting authority withdraws its notification (the export will not take place, or was notified
    wrongly). The reason is required. Only while the importing country has not answered (`submitted` or
    `acknowledged`); final."""
    _require("withdraw", state, OPEN_STATES)
    return "withdrawn", _reason(reason, required=True)


@dataclass(frozen=True, slots=True)
class Transition:
    """A registered transition: its function and which side may perform it."""

    fn: Callable[[str, str | None], tuple[State, str | None]]
    side: Side
    sources: frozenset[State]

    @property
    def explanation(self) -> str:
        return " ".join((self.fn.__doc__ or "").split())


TRANSITIONS: Mapping[Action, Transition] = {
    "acknowledge": Transition(acknowledge, "importer", frozenset({"submitted"})),
    "clear": Transition(clear, "importer", OPEN_STATES),
    "object": Transition(object_to, "importer", OPEN_STATES),
    "withdraw": Transition(withdraw, "exporter", OPEN_STATES),
}
"""Every action, its function and the side allowed to take it."""


def allowed_actions(state: str) -> tuple[Action, ...]:
    """The actions the state allows (to either side), in the order of `ACTIONS`."""
    return tuple(a for a in ACTIONS if state in TRANSITIONS[a].sources)


def apply(action: str, state: str, reason: str | None = None) -> tuple[State, str | None]:
    """The state after `action` and the cleaned reason; `IllegalTransition` or `NotificationError` otherwise."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
    return TRANSITIONS[action].fn(state, reason)  # type: ignore[index]


def deadline_of(created_at: datetime, response_days: int) -> datetime:
    """When the importing country's answer is due."""
    return created_at + timedelta(days=response_days)


def is_overdue(state: str, deadline: datetime, now: datetime) -> bool:
    """True when the notification still waits for an answer (`submitted` or `acknowledged`) after its
    deadline. Answered or withdrawn notifications are never overdue."""
    return state in OPEN_STATES and now > deadline


@dataclass(frozen=True, slots=True)
class Parties:
    """The two sides of a notification for access decisions: the exporter's organisation and the
    importing country."""

    acl: RecordAcl
    importing_country: str


def sees(viewer: Viewer, viewer_country: str, parties: Parties) -> bool:
    """Who may see a notification: everyone `core.sharing.tlp.can_view` allows, plus every organisation of
    the importing country (the addressee of the notification) unless it is red (red: named users only)."""
    if can_view(viewer, parties.acl):
        return True
    return parties.acl.tlp != "red" and viewer_country == parties.importing_country


def side_of(viewer: Viewer, viewer_country: str, parties: Parties) -> Side | None:
    """The side `viewer` acts for: `exporter` (the owner organisation), `importer` (an organisation of the
    importing country), or None. An organisation that is both (a domestic shipment) counts as exporter."""
    if viewer.org_id == parties.acl.owner_org_id:
        return "exporter"
    if viewer_country == parties.importing_country:
        return "importer"
    return None


def may_act(viewer: Viewer, viewer_country: str, parties: Parties, action: str) -> str | None:
    """None when `viewer` may take `action`, else why not (for a 403): viewers only read, exporters only
    withdraw, importers only acknowledge, clear or object, everyone else neither."""
    if not viewer.can_write:
        return f"role {viewer.role!r} cannot answer notifications; analysts and admins can"
    wanted = TRANSITIONS[action].side if action in TRANSITIONS else None  # type: ignore[index]
    side = side_of(viewer, viewer_country, parties)
    if side is None:
        return (
            "only the exporting organisation and the importing country's organisations act on a notification"
        )
    if side != wanted:
        if side == "exporter":
            return "the exporting organisation may only withdraw its notification"
        return "the importing country acknowledges, clears or objects; only the exporter withdraws"
    return None
