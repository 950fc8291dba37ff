"""Contacts of a party, read from structured fields and free text, validated and normalised.

A vendor's names change; its phone, messenger handles and wallets change much less. This module turns the
ways sellers write them into one value each, so that two listings can be compared by equality:

- phones to E.164 with `phonenumbers`: spaced, dashed, `(+86)`, `0086` (the international prefix written
  out), full-width digits, and a bare country-code number (`8613812345678`) next to a phone or messenger
  label; invalid numbers (wrong length for their country) are dropped;
- e-mails, including `(at)`, `[at]`, `{dot}`, `[dot]` obfuscation, lower-cased;
- WhatsApp (a phone number after "WhatsApp", "whats app", "WA", or a `wa.me/` link), Telegram (`@handle`,
  `t.me/handle`, "Telegram: handle"), WeChat ("WeChat/微信/WX/VX: id"), Wickr ("Wickr me: id") and Signal
  (a number or `name.01` username after "Signal:") handles;
- crypto wallets with verified checksums (`precwatch.core.parties.wallets`);
- websites, as their host name without `www.`.

`Contact.key` is the identity used to link parties: every kind whose value is a phone number (phone,
WhatsApp, Signal, WeChat by number) shares the key `tel:+...`, so a WhatsApp number on one platform and the
same number as a phone on another are one contact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from precwatch.core.parties.wallets import find_wallets

KINDS = ("phone", "email", "whatsapp", "telegram", "wechat", "wickr", "signal", "btc", "eth", "tron", "url")
"""Contact kinds, as the market contract names them."""

PHONE_KINDS = frozenset({"phone", "whatsapp", "signal", "wechat", "telegram"})
"""Kinds whose value may be a phone number (then keyed as the number itself)."""


@dataclass(frozen=True, slots=True)
class Contact:
    """One normalised contact: `kind` (see `KINDS`), `value` (E.164, lower-case e-mail, handle, address,
    host) and `raw`, the text it was read from."""

    kind: str
    value: str
    raw: str = ""

    @property
    def key(self) -> str:
        """The identity used to link parties: `tel:+E164` for any number, else `kind:value`."""
        if self.value.startswith("+"):
            return "tel:" + self.value
        if self.kind in ("btc", "eth", "tron"):
            return f"{self.kind}:{self.value}"
        return f"{self.kind}:{self.value.lower()}"

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "value": self.value}


_LABELS: tuple[tuple[str, str], ...] = (
    ("whatsapp", r"whats?\s*-?\s*ap{1,2}|wh?atsapp|wa\.me/|(?<![a-z])w\.?a(?![a-z])|what'?s\s*up|瓦茨普"),
    ("wechat", r"we\s*-?\s*chat|weixin|微信号?|(?<![a-z])(?:wx|vx|v信)(?![a-z])"),
    ("telegram", r"telegram|(?<![a-z])tg(?![a-z])|电报|飞机"),
    ("wickr", r"wickr(?:\s*-?\s*me)?"),
    ("signal", r"(?<![a-z])signal(?![a-z])"),
    ("phone", r"tel(?:ephone)?|phone|mobile|(?<![a-z])mob(?![a-z])|cell|call|手机|电话|联系方式|fax|contact"),
)
LABEL = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _LABELS), re.IGNORECASE)
_LABEL_REACH = 40
"""A label applies to a value starting at most this many characters after it, on the same line."""

_AT = re.compile(
    r"\s*(?:[\(\[\{<]\s*(?:at|@)\s*[\)\]\}>]|\s+at\s+(?=[a-z0-9-]+\s*(?:\.|[\(\[\{<]\s*dot)))\s*", re.I
)
_DOT = re.compile(r"\s*[\(\[\{<]\s*(?:dot|\.)\s*[\)\]\}>]\s*", re.I)
EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])"
)
_IDD = re.compile(r"(?<![\d+])(?<!\d[\s\-.])00(?=[1-9]\d{0,2}[\s\-.]?\(?\d[\d\s\-.)]{5,})")
_DIGIT_RUN = re.compile(r"(?<![\w+])(?:\+\s?)?\d[\d\s().\-]{8,20}\d(?!\d)")
_HANDLE = r"[A-Za-z][A-Za-z0-9_]{3,31}"
TG_LINK = re.compile(rf"(?:https?://)?(?:t|telegram)\.me/(?:joinchat/)?@?({_HANDLE})(?![\w/])", re.I)
WA_LINK = re.compile(r"(?:https?://)?(?:wa\.me|api\.whatsapp\.com/send\?phone=)/?\+?(\d{8,15})", re.I)
_AT_HANDLE = re.compile(rf"(?<![\w.@/])@({_HANDLE})(?![\w@]|\.[A-Za-z])")
_AFTER_LABEL = re.compile(r"\s*(?:(?:id|number|no\.?|num|号|账号|me)\s*)?[:：=\-–]?\s*(?:is\s*)?@?")
_WECHAT_ID = re.compile(r"[A-Za-z][-_A-Za-z0-9]{5,19}(?![\w])")
_WICKR_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{2,31}(?![\w])")
_SIGNAL_USER = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,31}\.\d{2,}(?![\w])")
URL = re.compile(r"(?:https?://|(?<![\w.@/])www\.)[^\s<>\"'，。、）)\]]+", re.I)
_BARE_DOMAIN = re.compile(
    r"(?:website|web\s*site|site|url|homepage|网站|网址)\s*[:：]?\s*((?:[a-z0-9-]+\.)+[a-z]{2,12})(?![\w.])",
    re.I,
)
_HANDLE_WORDS = frozenset({"gmail", "yahoo", "hotmail", "outlook", "email", "mail", "here", "admin"})
MESSENGER_HOSTS = frozenset({"t.me", "telegram.me", "wa.me", "api.whatsapp.com", "web.whatsapp.com"})


def prepare(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), the `00` international prefix as `+` (same length)."""
    return _IDD.sub(" +", unicodedata.normalize("NFKC", text))


CN_MOBILE = re.compile(r"1[3-9]\d{9}")
"""A mainland China mobile number without its country code (11 digits, 13x-19x): the commonest way
Chinese sellers write WhatsApp and WeChat numbers; read as +86 unless grouped like a North American
number (1-581-111-2222)."""
_NANP_GROUPS = re.compile(r"1[\s.\-]\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]\d{4}")


@lru_cache(maxsize=65536)
def normalise_phone(text: str, region: str | None = None) -> str | None:
    """The E.164 form of a phone number as written, or None when it is not a valid number.

    A number starting with `+` or `00` is read as international; without `region`, an 11-digit number
    13x-19x is a China mobile (`CN_MOBILE`); a bare run of 10-15 digits is tried as international without
    its `+` (how SDN remarks and WhatsApp links write numbers), then, when `region` (ISO alpha-2) is given,
    as a national number of that country.
    """
    t = prepare(text).strip()
    digits = re.sub(r"\D", "", t)
    candidates: list[tuple[str, str | None]] = []
    if t.lstrip("( ").startswith("+"):
        candidates.append(("+" + digits, None))
    else:
        if region is None and CN_MOBILE.fullmatch(digits) and not _NANP_GROUPS.fullmatch(t):
            candidates.append((digits, "CN"))
        if 10 <= len(digits) <= 15 and not digits.startswith("0"):
            candidates.append(("+" + digits, None))
        if region:
            candidates.append((digits, region))
    for number, reg in candidates:
        try:
            parsed = phonenumbers.parse(number, reg)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return None


_SPELLED = re.compile(
    r"(?<![\w.@])([A-Za-z0-9][\w.+-]*)\s+at\s+([A-Za-z0-9-]+(?:(?:\.|\s+dot\s+)[A-Za-z0-9-]+)*)"
    r"(?:\.|\s+dot\s+)(com|net|org|cn|co|info|biz|in|ru|hk|uk|de|nl|io|us)\b",
    re.I,
)


def _spelled(m: re.Match[str]) -> str:
    host = re.sub(r"\s+dot\s+", ".", m.group(2), flags=re.I)
    return f"{m.group(1)}@{host}.{m.group(3)}"


def deobfuscate_emails(text: str) -> str:
    """`name (at) host [dot] com`, `name at host dot com` -> `name@host.com` (the obfuscations vendors
    use to dodge filters)."""
    return _SPELLED.sub(_spelled, _DOT.sub(".", _AT.sub("@", text)))


def normalise_email(text: str) -> str | None:
    """The lower-cased address in `text` (a `mailto:` link, an obfuscated address ...), or None."""
    m = EMAIL.search(deobfuscate_emails(prepare(text).strip().removeprefix("mailto:")))
    return m.group(0).lower().rstrip(".") if m else None


def url_host(text: str) -> str | None:
    """The host of a web address, lower-case, without `www.` and port (`https://WWW.Atun.com/x` -> `atun.com`)."""
    t = text.strip().lower()
    t = re.sub(r"^[a-z][a-z0-9+.-]*://", "", t)
    host = re.split(r"[/?#:]", t, maxsplit=1)[0].strip(".").removeprefix("www.")
    return host if "." in host and re.fullmatch(r"[a-z0-9.-]+", host) else None


def _label_before(text: str, start: int, labels: list[tuple[int, int, str]]) -> str | None:
    """The kind of the label(s) just before `start`: same line, within `_LABEL_REACH`, no digits between
    (so "WhatsApp/Tel: +86 ..." is a WhatsApp number, and a label never reaches past another value)."""
    near = [
        kind
        for ls, le, kind in labels
        if le <= start and start - le <= _LABEL_REACH and not re.search(r"[\n\d]", text[le:start])
    ]
    messengers = [k for k in near if k != "phone"]
    return messengers[-1] if messengers else (near[-1] if near else None)


def extract_contacts(text: str, *, region: str | None = None) -> list[Contact]:
    """Every contact written in free text, normalised, in text order, each (kind, value) once.

    `region` (ISO alpha-2) is the country national phone numbers are read in; without it only
    international numbers count.
    """
    if not text:
        return []
    t = prepare(text)
    out: list[tuple[int, Contact]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(pos: int, end: int, contact: Contact) -> None:
        out.append((pos, contact))
        taken.append((pos, end))

    labels = [(m.start(), m.end(), m.lastgroup or "phone") for m in LABEL.finditer(t)]
    for m in WA_LINK.finditer(t):
        if phone := normalise_phone("+" + m.group(1)):
            add(m.start(), m.end(), Contact("whatsapp", phone, m.group(0)))
    for m in TG_LINK.finditer(t):
        add(m.start(), m.end(), Contact("telegram", m.group(1).lower(), m.group(0)))
    for m in URL.finditer(t):
        host = url_host(m.group(0))
        if host and host not in MESSENGER_HOSTS and free(m.start(), m.end()):
            add(m.start(), m.end(), Contact("url", host, m.group(0)))
    for m in _BARE_DOMAIN.finditer(t):
        if free(m.start(1), m.end(1)) and (host := url_host(m.group(1))):
            add(m.start(1), m.end(1), Contact("url", host, m.group(1)))
    clear = deobfuscate_emails(t)
    for m in EMAIL.finditer(clear):
        out.append((m.start(), Contact("email", m.group(0).lower().rstrip("."), m.group(0))))
    email_spans = [(m.start(), m.end()) for m in EMAIL.finditer(t)]
    taken.extend(email_spans)
    for kind, value, raw in find_wallets(t):
        pos = t.find(raw)
        add(pos, pos + len(raw), Contact(kind, value, raw))
    for pm in phonenumbers.PhoneNumberMatcher(t, region, leniency=phonenumbers.Leniency.VALID):
        if not free(pm.start, pm.end):
            continue
        e164 = phonenumbers.format_number(pm.number, phonenumbers.PhoneNumberFormat.E164)
        label = _label_before(t, pm.start, labels) or "phone"
        add(pm.start, pm.end, Contact(label if label in PHONE_KINDS else "phone", e164, pm.raw_string))
    for m in _DIGIT_RUN.finditer(t):
        near = _label_before(t, m.start(), labels)
        if near is None or not free(m.start(), m.end()):
            continue
        if phone := normalise_phone(m.group(0), region):
            add(m.start(), m.end(), Contact(near if near in PHONE_KINDS else "phone", phone, m.group(0)))
    for _ls, le, kind in labels:
        if kind not in ("wechat", "wickr", "signal", "telegram"):
            continue
        lead = _AFTER_LABEL.match(t, le)
        at = lead.end() if lead else le
        if not free(at, at + 1):
            continue
        pattern = {
            "wechat": _WECHAT_ID,
            "wickr": _WICKR_ID,
            "signal": _SIGNAL_USER,
            "telegram": re.compile(_HANDLE),
        }[kind]
        hm = pattern.match(t, at)
        if (
            hm
            and (kind != "wickr" or (lead and lead.group(0).strip()))
            and hm.group(0).lower() not in _HANDLE_WORDS
        ):
            add(at, hm.end(), Contact(kind, hm.group(0).lower(), hm.group(0)))
    for m in _AT_HANDLE.finditer(t):
        near = _label_before(t, m.start(), labels)
        if (
            free(m.start(), m.end())
            and near in (None, "telegram", "phone")
            and m.group(1).lower() not in _HANDLE_WORDS
        ):
            add(m.start(), m.end(), Contact("telegram", m.group(1).lower(), m.group(0)))
    seen: set[tuple[str, str]] = set()
    result = []
    for _, c in sorted(out, key=lambda pc: pc[0]):
        if (c.kind, c.value) not in seen:
            seen.add((c.kind, c.value))
            result.append(c)
    return result


FIELD_KINDS = {
    "telephone": "phone", "tel": "phone", "phone": "phone", "mobile": "phone", "faxnumber": "phone",
    "email": "email", "e-mail": "email", "mail": "email",
    "whatsapp": "whatsapp", "telegram": "telegram", "wechat": "wechat", "weixin": "wechat",
    "wickr": "wickr", "signal": "signal", "url": "url", "website": "url", "sameas": "url",
    "btc": "btc", "bitcoin": "btc", "eth": "eth", "ethereum": "eth", "tron": "tron", "usdt": "tron", "trx": "tron",
}  # fmt: skip
"""Structured field names (schema.org properties, export keys) and the contact kind each holds."""


def contacts_from_field(field: str, value: str, *, region: str | None = None) -> list[Contact]:
    """The contacts in one structured field (`telephone`, `email`, `url`, `whatsapp` ...).

    The field says what to expect: a bare number under `whatsapp` is a WhatsApp number, a word under
    `telegram` a Telegram handle. A value that does not parse as its field's kind is read as free text.
    """
    kind = FIELD_KINDS.get(field.strip().lower().replace(" ", "").replace("_", ""))
    v = value.strip()
    if not v:
        return []
    if kind in PHONE_KINDS and (phone := normalise_phone(v, region)):
        return [Contact(kind, phone, v)]
    if kind == "email" and (email := normalise_email(v)):
        return [Contact("email", email, v)]
    if kind == "url":
        found = extract_contacts(v if "://" in v or v.startswith("www.") else "https://" + v, region=region)
        if found:
            return found
    if kind in ("telegram", "wechat", "wickr", "signal"):
        handle = v.removeprefix("@").strip()
        if kind == "telegram" and (m := TG_LINK.search(v)):
            handle = m.group(1)
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{2,31}", handle):
            return [Contact(kind, handle.lower(), v)]
    if kind in ("btc", "eth", "tron"):
        return [Contact(k, a, raw) for k, a, raw in find_wallets(v)]
    return extract_contacts(v if kind is None else f"{field}: {v}", region=region)
