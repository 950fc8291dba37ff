"""Labels shown for values that come from data (incident types, roles, run states, risk levels,
notification states and actions, alert and watch-rule kinds), marked here for the catalogues.

Templates translate them with `_(value)`; listing them here puts them in the message catalogues, so the
catalogue test catches a type or role added later without its translation.
"""

from __future__ import annotations


def _(message: str) -> str:
    """Mark a label for extraction (translated when rendered)."""
    return message


LABELS: tuple[str, ...] = (
    _("seizure"),
    _("stopped-shipment"),
    _("suspicious-order"),
    _("diversion-attempt"),
    _("illicit-lab"),
    _("online-offer"),
    _("admin"),
    _("analyst"),
    _("viewer"),
    _("running"),
    _("done"),
    _("failed"),
    _("high"),
    _("medium"),
    _("low"),
    _("none"),
    _("submitted"),
    _("acknowledged"),
    _("cleared"),
    _("objected"),
    _("withdrawn"),
    _("create"),
    _("acknowledge"),
    _("clear"),
    _("object"),
    _("withdraw"),
    _("watch"),
    _("owner-notice"),
    _("rescreen"),
    _("substance"),
    _("country"),
    _("party"),
    _("text"),
)
