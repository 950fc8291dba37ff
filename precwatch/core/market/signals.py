"""Seller signals: what a listing says about how the goods will travel and be paid for.

Each signal is a small documented detector in `SIGNALS`, a plain registry. A detector reads the listing's
text (NFKC, case-folded) and its contacts and returns the words that triggered it, or None. The docstring is
the explanation the analyst sees. Signals are facts about the wording; they do not score anything on their
own (a customs-clearance promise on a benign chemical is still only a promise).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from precwatch.core.parties.contacts import Contact

_MEXICO = r"(?:mexico|méxico|mexican|墨西哥|guadalajara|culiac[aá]n|sinaloa|manzanillo|l[aá]zaro c[aá]rdenas)"
_TO_MEXICO = re.compile(
    rf"(?:ship|deliver|delivery|send|express|door[- ]to[- ]door|shipping|transport|envío|envio|entrega|发货|运输)"
    rf"[^.\n]{{0,60}}?{_MEXICO}|{_MEXICO}[^.\n]{{0,30}}?(?:door[- ]to[- ]door|delivery|shipping|safe|guarantee)"
)
_SAFE = re.compile(
    r"(?:100\s*%|safe(?:ly)?|secure|guaranteed?|sure|fast and safe|discreet)\s*(?:and\s*\w+\s*)?"
    r"(?:delivery|deliver|shipping|shipment|transport|arrival|pass(?:ing)? (?:the )?customs)"
    r"|(?:delivery|customs clearance|clearance) guarantee|re-?ship(?:ment)? (?:if|policy|free)"
    r"|double[- ]clearance|包清关|安全到达|安全送达|100%\s*(?:pass|clear)"
)
_RENAME = re.compile(
    r"(?:change|changing|rename|renaming|relabel|modify|replace)\s*(?:the\s*)?(?:product\s*)?(?:name|label|declaration)"
    r"|declared?\s*(?:it\s*)?as\s*(?:other|another|a different|general|common)|label(?:l?ed)?\s*as\s*(?:other|another)"
    r"|(?:fake|false|other|different)\s*(?:product\s*)?(?:name|label|invoice|declaration)s?\b"
    r"|mislabel|改名|换标|假报|更换标签"
)
_STEALTH = re.compile(
    r"stealth|discreet\s*(?:packag|packing|package|shipping)|discrete\s*packag|hidden\s*(?:in|inside)|conceal"
    r"|camouflag|disguis|special\s*(?:line|channel|packag|packing)|double[- ]layer|vacuum[- ]seal|mylar"
    r"|(?:not|never)\s*(?:be\s*)?(?:detected|seized|checked)|隐蔽|伪装|特殊包装"
)
_CRYPTO = re.compile(
    r"bitcoin|\bbtc\b|\busdt\b|tether|ethereum|\beth\b|crypto|monero|\bxmr\b|trc-?20|erc-?20|比特币|数字货币"
)
_PAY = re.compile(r"pay|payment|accept|wallet|transfer|付款|支付")
_MESSENGERS = re.compile(
    r"wickr|threema|\bsignal\b(?:\s*app|\s*[:：])|session app|wire app|telegram|\bt\.me/|element\.io"
)

Detector = Callable[[str, Sequence[Contact]], str | None]


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group(0).strip() if m else None


def delivery_to_mexico(text: str, contacts: Sequence[Contact]) -> str | None:
    """The seller offers to ship to Mexico: the route by which precursors reach the cartels' labs."""
    return _first(_TO_MEXICO, text)


def safe_delivery(text: str, contacts: Sequence[Contact]) -> str | None:
    """The seller guarantees delivery or customs clearance ("100% safe delivery", "reship if seized"):
    a promise that only makes sense when the goods are expected to be stopped."""
    return _first(_SAFE, text)


def customs_renaming(text: str, contacts: Sequence[Contact]) -> str | None:
    """The seller offers to rename, relabel or mis-declare the goods to pass customs."""
    return _first(_RENAME, text)


def stealth_packing(text: str, contacts: Sequence[Contact]) -> str | None:
    """The seller offers stealth, discreet, disguised or concealed packing ("special line", "double layer")."""
    return _first(_STEALTH, text)


def crypto_payment(text: str, contacts: Sequence[Contact]) -> str | None:
    """The seller takes crypto-currency: a wallet address is given, or a coin is named near a payment word."""
    wallet = next((c for c in contacts if c.kind in ("btc", "eth", "tron")), None)
    if wallet is not None:
        return f"{wallet.kind} wallet {wallet.value}"
    for m in _CRYPTO.finditer(text):
        if _PAY.search(text, max(0, m.start() - 60), m.end() + 60):
            return m.group(0)
    return None


def encrypted_messenger(text: str, contacts: Sequence[Contact]) -> str | None:
    """The seller moves the conversation to an end-to-end encrypted, off-platform messenger (Wickr, Signal,
    Telegram, Threema ...), away from the platform's records; WhatsApp and WeChat, the trade's ordinary
    channels, do not count."""
    handle = next((c for c in contacts if c.kind in ("wickr", "signal", "telegram")), None)
    if handle is not None:
        return f"{handle.kind} {handle.value}"
    return _first(_MESSENGERS, text)


SIGNALS: dict[str, Detector] = {
    "delivery-to-mexico": delivery_to_mexico,
    "safe-delivery": safe_delivery,
    "customs-renaming": customs_renaming,
    "stealth-packing": stealth_packing,
    "crypto-payment": crypto_payment,
    "encrypted-messenger": encrypted_messenger,
}
"""Every seller signal by code, in report order."""


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal found in a listing: its code, the words that triggered it, and what it means."""

    code: str
    text: str
    explanation: str

    def to_dict(self) -> dict[str, str]:
        return {"signal": self.code, "text": self.text}


def find_signals(text: str, contacts: Sequence[Contact] = ()) -> list[Signal]:
    """Every signal in `SIGNALS` that a listing's text and contacts show, in registry order."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    out = []
    for code, detector in SIGNALS.items():
        found = detector(folded, contacts)
        if found:
            out.append(Signal(code, found, " ".join((detector.__doc__ or "").split())))
    return out
