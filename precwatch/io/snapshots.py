"""Read a marketplace snapshot: a folder of saved product pages, or a JSON Lines export.

Saved pages (`*.html`, `*.htm`, `*.xhtml`, searched recursively, in path order):
- schema.org `Product` / `Offer` / `AggregateOffer` / `Organization` / `Person` / `ContactPoint` in JSON-LD
  (`@graph` included) and microdata, read with extruct;
- the page's visible text (scripts, styles, navigation and footers set apart) for identification, contacts
  and, when the page has no markup, the seller ("Company: ...", "Supplier: ...", a name with a legal form);
- listing id: `<link rel="canonical">`, else the schema.org `url`, else `og:url`, else the file's path.

The platform's own organisation (a `WebSite`/`WebPage` publisher, an `Organization` on the page's own host
that sells nothing) is not the seller. A page is salvaged when its text allows (truncated HTML, invalid
JSON-LD: the page is read from what parses, and the item says so in `notes`); one with no text is rejected.

JSON Lines exports (`*.jsonl`, `*.ndjson`): one object a line with `id, title, description, seller,
contacts, price, url, captured_at`; `seller` a name or an object with a `name` and contact fields;
`contacts` a list of strings or `{kind, value}` objects, or an object of kind -> value(s). A truncated or
broken line is salvaged when its complete `"key": "value"` pairs include the `id`, else rejected.

Every input item ends up in `items` or `rejects` (with file, line and reason).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import charset_normalizer
import lxml.html
from extruct.jsonld import JsonLdExtractor
from extruct.w3cmicrodata import MicrodataExtractor
from lxml import etree

from precwatch.core.market.boilerplate import shop_host, site_domain
from precwatch.io.records import Reject

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
EXPORT_SUFFIXES = (".jsonl", ".ndjson")
ORG_TYPES = frozenset(
    {"Organization", "Corporation", "LocalBusiness", "Store", "OnlineStore", "Person", "Brand"}
)
SELLER_ROLES = ("seller", "offeredBy", "vendor", "manufacturer", "provider")
PLATFORM_ROLES = ("publisher", "creator", "sourceOrganization", "copyrightHolder")
CONTACT_PROPS = ("telephone", "email", "url", "sameAs", "faxNumber")
_FOOTER_XPATH = (
    "//footer | //*[@role='contentinfo']"
    " | //*[contains(translate(@class,'FOTER','foter'),'footer') or contains(translate(@id,'FOTER','foter'),'footer')"
    " or contains(translate(@class,'COPYRIGHT','copyright'),'copyright')]"
)
"""The site's footer: its contacts are the platform's, on every page of the snapshot."""
_CHROME_XPATH = (
    "//nav | //header | //*[@role='navigation' or @role='banner']"
    " | //*[contains(translate(@class,'RELATED','related'),'related')"
    " or contains(translate(@class,'RECOMEND','recomend'),'recommend')]"
)
"""Navigation, site header and "related products" blocks: not the listing (other sellers' goods)."""
_SELLER_LABEL = re.compile(
    r"^\s*(?:company(?:\s*name)?|supplier|seller|vendor|manufacturer|sold\s+by|shop|store|"
    r"供应商|公司名称|公司|卖家|商家|empresa|proveedor)\s*[:：]?\s+(?P<name>\S.{1,120}?)\s*$",
    re.I | re.M,
)
_NOT_SELLER = re.compile(r"©|\(c\)|copyright|rights reserved|powered by|operated by|版权", re.I)
"""A line naming the site's operator (a copyright notice), not the seller."""
_LEGAL_LINE = re.compile(
    r"^[^\n:：]{2,80}?(?:co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|llc|gmbh|pvt\.?\s*ltd\.?|"
    r"s\.a\.(?:\s*de\s*c\.v\.)?|有限公司|有限责任公司)\s*$",
    re.I | re.M,
)
SALVAGE_NOTES = ("truncated HTML", "JSON-LD block", "microdata unreadable", "broken JSON")
"""How the notes of a salvaged item begin."""
EXPORT_SELLER_KEYS = ("seller", "seller_name", "vendor", "supplier", "company", "shop", "store")
EXPORT_CONTACT_KEYS = (
    "phone",
    "telephone",
    "mobile",
    "email",
    "whatsapp",
    "telegram",
    "wechat",
    "wickr",
    "signal",
    "website",
)
_PAIR = re.compile(r'"(@?\w+)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_NUMBER_PAIR = re.compile(r'"(\w+)"\s*:\s*(-?\d+(?:\.\d+)?)\s*[,}]')


@dataclass(frozen=True, slots=True)
class SnapshotItem:
    """One listing read from a page or an export line, before any analysis.

    `seller_fields` are (field, value) pairs from structured data (`telephone`, `email`, `url`, ...);
    `text` is what free-text contacts are read from (the description and seller block, not the site's
    chrome); `boilerplate` is the footer text set apart (its contacts are the platform's); `platform_hosts` are the page's own
    hosts (its URL, the platform organisation's URL)."""

    listing_id: str
    source: str
    line: int = 0
    url: str | None = None
    title: str = ""
    description: str = ""
    seller_names: tuple[str, ...] = ()
    seller_fields: tuple[tuple[str, str], ...] = ()
    price: str | None = None
    currency: str | None = None
    captured_at: str | None = None
    text: str = ""
    boilerplate: str = ""
    platform_hosts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def salvaged(self) -> bool:
        """True when the item was read from a broken page or line (its notes say how)."""
        return any(n.startswith(SALVAGE_NOTES) for n in self.notes)


@dataclass
class Snapshot:
    """What a snapshot gave: items and rejects (`read == len(items) + len(rejects)`)."""

    path: str
    kind: str
    items: list[SnapshotItem] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    @property
    def read(self) -> int:
        return len(self.items) + len(self.rejects)

    def add(self, got: SnapshotItem | Reject) -> None:
        if isinstance(got, SnapshotItem):
            self.items.append(got)
        else:
            self.rejects.append(got)


class SnapshotError(Exception):
    """The snapshot path itself cannot be read (not a folder of pages nor an export)."""


def read_snapshot(path: str | Path) -> Snapshot:
    """Read a snapshot folder (pages and/or exports inside) or a single export or page file."""
    p = Path(path)
    if p.is_dir():
        files = sorted(
            f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in PAGE_SUFFIXES + EXPORT_SUFFIXES
        )
        kind = "pages" if all(f.suffix.lower() in PAGE_SUFFIXES for f in files) else "mixed"
        if files and all(f.suffix.lower() in EXPORT_SUFFIXES for f in files):
            kind = "export"
    elif p.is_file():
        files, kind = [p], ("export" if p.suffix.lower() in EXPORT_SUFFIXES else "pages")
    else:
        raise SnapshotError(f"{path}: no such file or folder")
    if not files:
        raise SnapshotError(f"{path}: no saved pages ({', '.join(PAGE_SUFFIXES)}) or exports (.jsonl)")
    snap = Snapshot(str(p), kind)
    for f in files:
        name = str(f.relative_to(p)) if p.is_dir() else f.name
        if f.suffix.lower() in EXPORT_SUFFIXES:
            for got in read_export(f, name):
                snap.add(got)
        else:
            snap.add(read_page(f.read_bytes(), name))
    return snap


# ------------------------------------------------------------------ pages
def decode(data: bytes) -> str:
    """Page bytes as text: UTF-8 (with or without BOM), else the encoding charset-normalizer detects."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        return str(best) if best is not None else data.decode("latin-1")


def read_page(data: bytes, name: str) -> SnapshotItem | Reject:
    """One saved product page as an item, or a reject saying why it cannot be read."""
    html = decode(data)
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html.strip() or "\x00" in html[:2048]:
        return Reject(name, 1, None, "empty or binary file: not a saved page", html[:200])
    try:
        doc = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        return Reject(name, 1, None, f"HTML cannot be parsed: {exc}", html[:200])
    notes: list[str] = []
    if not re.search(r"</html\s*>", html[-4096:], re.I):
        notes.append("truncated HTML: read from what was saved")
    nodes = _structured(doc, notes)
    meta = {
        (m.get("property") or m.get("name") or "").lower(): (m.get("content") or "").strip()
        for m in doc.xpath("//meta[@content]")
    }
    canonical = next((h.strip() for h in doc.xpath("//link[@rel='canonical']/@href") if h.strip()), None)
    products = [n for n in nodes if _types(n) & {"Product", "IndividualProduct", "ProductModel"}]
    product = products[0] if products else {}
    offer = _first_dict(product.get("offers")) or next(
        (n for n in nodes if _types(n) & {"Offer", "AggregateOffer"}), {}
    )
    page_host = _host(canonical or _str(product.get("url")) or meta.get("og:url") or "")
    sellers, platform_hosts = _sellers(nodes, product, offer, page_host, meta.get("og:site_name", ""))
    boiler_text = "\n".join(" ".join(e.itertext()) for e in doc.xpath(_FOOTER_XPATH))
    for e in doc.xpath(f"{_FOOTER_XPATH} | {_CHROME_XPATH} | //script | //style | //noscript | //template"):
        if e.getparent() is not None:
            e.drop_tree()
    body = _visible_text(doc)
    title = (
        _str(product.get("name")) or meta.get("og:title") or _text_of(doc, "//h1") or _text_of(doc, "//title")
    )
    description = (
        _str(product.get("description")) or meta.get("og:description") or meta.get("description") or ""
    )
    listing_id = canonical or _str(product.get("url")) or _str(offer.get("url")) or meta.get("og:url") or ""
    if not listing_id:
        listing_id = "file:" + name
        notes.append("no canonical or schema.org url: the file path is the listing id")
    if not (title or body.strip()):
        return Reject(name, 1, None, "no listing content (no title, no text)", html[:200])
    named = [  # a seller given as a plain name in the offer or product comes first
        " ".join(holder[role].split())
        for holder in (offer, product)
        for role in SELLER_ROLES
        if isinstance(holder.get(role), str) and holder[role].strip()
    ]
    names = list(dict.fromkeys([*named, *(n for s in sellers for n in _names(s))]))
    fields = [fv for s in sellers for fv in _contact_fields(s)]
    if not names:
        names = _seller_from_text(body)
        if names:
            notes.append("seller read from the page text")
    shops = _shop_links(doc, page_host)
    if len(shops) == 1:  # one link to a shop on the platform: the seller's (several: a supplier list)
        ((shop, anchor),) = shops.items()
        fields.append(("url", f"https://{shop}"))
        if not names and _LEGAL_LINE.match(anchor):
            names = [anchor]
            notes.append("seller read from the link to its shop")
    for a in doc.xpath("//a[@href]"):
        href = a.get("href", "").strip()
        if href.startswith(("tel:", "mailto:")) or re.search(r"wa\.me/|whatsapp\.com/send|t\.me/", href):
            fields.append(
                (
                    "url" if "://" in href else href.split(":", 1)[0].replace("mailto", "email"),
                    href.split(":", 1)[1] if href.startswith(("tel:", "mailto:")) else href,
                )
            )
    price, currency = _price(offer)
    text = "\n".join(t for t in (description, body) if t)
    return SnapshotItem(
        listing_id=listing_id, source=name, url=canonical or _str(product.get("url")) or meta.get("og:url"),
        title=title, description=_merge(title, description, body),
        seller_names=tuple(dict.fromkeys(names)), seller_fields=tuple(dict.fromkeys(fields)),
        price=price, currency=currency, text=text, boilerplate=boiler_text,
        platform_hosts=tuple(h for h in dict.fromkeys([page_host, *platform_hosts]) if h), notes=tuple(notes),
    )  # fmt: skip


def _shop_links(doc: Any, page_host: str) -> dict[str, str]:
    """Links from the listing to sellers' shops on the same platform: shop host -> link text."""
    domain = site_domain(page_host) if page_host else None
    out: dict[str, str] = {}
    for a in doc.xpath("//a[@href]"):
        host = _host(a.get("href", ""))
        if domain and host and host != page_host and site_domain(host) == domain and shop_host(host):
            out.setdefault(host, " ".join(" ".join(a.itertext()).split()))
    return out


def _merge(title: str, description: str, body: str) -> str:
    """The structured description and the page text, each said once (the text repeats the title and,
    usually, the description)."""
    flat = " ".join(body.split())
    if body.startswith(title):
        body = body[len(title) :].lstrip()
    if " ".join(description.split()) in flat:
        return body
    return f"{description}\n{body}".strip()


def _structured(doc: Any, notes: list[str]) -> list[dict[str, Any]]:
    """Every schema.org node in the page's JSON-LD (per script; a broken one is salvaged) and microdata."""
    out: list[dict[str, Any]] = []
    extractor = JsonLdExtractor()
    for i, script in enumerate(doc.xpath("//script[@type='application/ld+json']"), start=1):
        try:
            items = list(extractor._extract_items(script))
        except ValueError as exc:
            salvaged = _salvage_pairs(script.text_content() or "")
            notes.append(f"JSON-LD block {i} invalid ({str(exc)[:80]}): salvaged {len(salvaged)} fields")
            items = [{"@type": "Organization", "salvaged": True, **salvaged}] if salvaged else []
        for item in items:
            out.extend(_walk(item))
    try:
        for item in MicrodataExtractor().extract_items(doc, None):
            out.extend(_walk(_from_microdata(item)))
    except Exception as exc:  # extruct raises assorted errors on odd markup
        notes.append(f"microdata unreadable: {exc}")
    return out


def _salvage_pairs(text: str) -> dict[str, Any]:
    """The complete `"key": "value"` pairs of broken JSON (contact fields and the seller's name only)."""
    pairs: dict[str, Any] = {}
    for k, v in _PAIR.findall(text):
        if k in (*CONTACT_PROPS, "legalName") and k not in pairs:
            pairs[k] = v
    return pairs


def _from_microdata(item: dict[str, Any]) -> dict[str, Any]:
    types = item.get("type") or []
    out: dict[str, Any] = {
        "@type": [str(t).rsplit("/", 1)[-1] for t in (types if isinstance(types, list) else [types])]
    }
    for k, v in (item.get("properties") or {}).items():
        vals = v if isinstance(v, list) else [v]
        conv = [_from_microdata(x) if isinstance(x, dict) and "properties" in x else x for x in vals]
        out[k] = conv if len(conv) > 1 else conv[0]
    return out


def _walk(node: Any, role: str = "") -> Iterator[dict[str, Any]]:
    """A node and every node nested in it, each tagged with the property it hangs from (`_role`)."""
    if isinstance(node, list):
        for x in node:
            yield from _walk(x, role)
        return
    if not isinstance(node, dict):
        return
    if "@graph" in node:
        yield from _walk(node["@graph"], role)
    if role:
        node = {**node, "_role": role}
    yield node
    for k, v in node.items():
        if isinstance(v, dict | list) and k not in ("@graph", "@context"):
            yield from _walk(v, k)


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type") or node.get("type") or []
    return {str(x).rsplit("/", 1)[-1] for x in (t if isinstance(t, list) else [t])}


def _sellers(
    nodes: list[dict[str, Any]],
    product: dict[str, Any],
    offer: dict[str, Any],
    page_host: str,
    site_name: str,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The seller organisations (linked from the product or its offer, else free-standing ones that are not
    the platform's) and the platform's own hosts."""
    orgs = [n for n in nodes if _types(n) & ORG_TYPES or n.get("salvaged")]
    platform = [
        n for n in orgs
        if n.get("_role") in PLATFORM_ROLES or (site_name and _str(n.get("name")).lower() == site_name.lower())
    ]  # fmt: skip
    platform += [n for n in nodes if _types(n) & {"WebSite", "WebPage"}]
    hosts = [h for n in platform if (h := _host(_str(n.get("url"))))]
    sellers = [n for n in orgs if n.get("_role") in SELLER_ROLES and n not in platform]
    if not sellers:
        sellers = [
            n for n in orgs
            if n not in platform and n.get("_role") not in ("brand", "author", "review", "reviewedBy")
            and not (page_host and _host(_str(n.get("url"))) == page_host and not n.get("telephone"))
        ]  # fmt: skip
    return sellers, hosts


def _names(org: dict[str, Any]) -> list[str]:
    out = []
    for k in ("name", "legalName", "alternateName"):
        v = org.get(k)
        for x in v if isinstance(v, list) else [v]:
            if isinstance(x, str) and x.strip():
                out.append(" ".join(x.split()))
    return out


def _contact_fields(org: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for k in CONTACT_PROPS:
        v = org.get(k)
        for x in v if isinstance(v, list) else [v]:
            if isinstance(x, str) and x.strip():
                yield k, x.strip()
    points = org.get("contactPoint") or []
    for point in points if isinstance(points, list) else [points]:
        if isinstance(point, dict):
            kind = str(point.get("contactType") or "").lower()
            for k in CONTACT_PROPS:
                x = point.get(k)
                if isinstance(x, str) and x.strip():
                    messenger = next(
                        (m for m in ("whatsapp", "telegram", "wechat", "wickr", "signal") if m in kind), None
                    )
                    yield (messenger if messenger and k != "email" else k), x.strip()


def _price(offer: dict[str, Any]) -> tuple[str | None, str | None]:
    if not offer:
        return None, None
    currency = _str(offer.get("priceCurrency")) or None
    if offer.get("price") not in (None, ""):
        return str(offer["price"]), currency
    low, high = offer.get("lowPrice"), offer.get("highPrice")
    if low not in (None, ""):
        return (f"{low}-{high}" if high not in (None, "") else str(low)), currency
    return None, currency


def _first_dict(v: Any) -> dict[str, Any]:
    if isinstance(v, list):
        v = next((x for x in v if isinstance(x, dict)), None)
    return v if isinstance(v, dict) else {}


def _str(v: Any) -> str:
    if isinstance(v, list):
        v = next((x for x in v if isinstance(x, str)), "")
    return " ".join(v.split()) if isinstance(v, str) else ""


def _host(url: str) -> str:
    m = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/?#:]+)", url.strip(), re.I)
    return m.group(1).lower().removeprefix("www.") if m else ""


def _text_of(doc: Any, xpath: str) -> str:
    found = doc.xpath(xpath)
    return " ".join(" ".join(found[0].itertext()).split()) if found else ""


_BLOCK = re.compile(r"^(?:p|div|li|tr|h[1-6]|br|dt|dd|table|section|article|td|th)$")


def _visible_text(doc: Any) -> str:
    """The page's text with a line break at every block element (labels and values stay on one line)."""
    parts: list[str] = []
    for el in doc.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if _BLOCK.match(tag):
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        if el.tail:
            parts.append(el.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _seller_from_text(text: str) -> list[str]:
    """Seller names a plain page writes: after a label ("Supplier: ..."), else a line ending in a legal form."""
    found = [m.group("name").strip(" ,;|") for m in _SELLER_LABEL.finditer(text)]
    if not found:
        found = [
            m.group(0).strip() for m in _LEGAL_LINE.finditer(text) if not _NOT_SELLER.search(m.group(0))
        ][:2]
    return [f for f in found if 2 < len(f) <= 120 and not _NOT_SELLER.search(f)][:3]


# ------------------------------------------------------------------ exports
def read_export(path: Path, name: str) -> Iterator[SnapshotItem | Reject]:
    """The lines of a JSON Lines export as items or rejects (blank lines are skipped, not counted)."""
    data = decode(path.read_bytes())
    for n, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        notes: list[str] = []
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            obj = {k: json.loads(f'"{v}"') for k, v in _PAIR.findall(raw)}
            obj |= {k: v for k, v in _NUMBER_PAIR.findall(raw) if k not in obj}
            if not obj.get("id"):
                yield Reject(name, n, None, f"not JSON ({exc}) and no id could be salvaged", raw[:200])
                continue
            notes.append(f"broken JSON ({exc}): salvaged fields {', '.join(sorted(obj))}")
        if not isinstance(obj, dict):
            yield Reject(name, n, None, "not a JSON object", raw[:200])
            continue
        lid = obj.get("id")
        if lid in (None, "") or isinstance(lid, dict | list):
            yield Reject(name, n, "id", "missing or not a string/number", raw[:200])
            continue
        yield _export_item(obj, str(lid), name, n, notes)


def _export_item(obj: dict[str, Any], lid: str, name: str, line: int, notes: list[str]) -> SnapshotItem:
    seller = next((obj[k] for k in EXPORT_SELLER_KEYS if obj.get(k)), None)
    names: list[str] = []
    fields: list[tuple[str, str]] = []
    if isinstance(seller, dict):
        names = _names(seller) or ([str(seller["company"])] if seller.get("company") else [])
        for k, v in seller.items():
            if k not in ("name", "legalName", "alternateName", "company") and isinstance(v, str | int):
                fields.append((k, str(v)))
    elif isinstance(seller, str) and seller.strip():
        names = [" ".join(seller.split())]
    for k in EXPORT_CONTACT_KEYS:  # contact fields written at the top level of a line
        for x in obj[k] if isinstance(obj.get(k), list) else [obj.get(k)]:
            if isinstance(x, str | int) and str(x).strip():
                fields.append((k, str(x)))
    contacts = obj.get("contacts")
    if isinstance(contacts, str):
        fields.append(("text", contacts))
    elif isinstance(contacts, dict):
        for k, v in contacts.items():
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, str | int):
                    fields.append((k, str(x)))
    elif isinstance(contacts, list):
        for c in contacts:
            if isinstance(c, dict):
                kind = str(c.get("kind") or c.get("type") or "text")
                val = c.get("value")
                if isinstance(val, str | int):
                    fields.append((kind, str(val)))
            elif isinstance(c, str | int):
                fields.append(("text", str(c)))
    price = obj.get("price")
    currency = None
    if isinstance(price, dict):
        currency = _str(price.get("currency")) or None
        price = price.get("amount", price.get("value"))
    title = _str(obj.get("title"))
    description = obj.get("description") if isinstance(obj.get("description"), str) else ""
    return SnapshotItem(
        listing_id=lid, source=name, line=line, url=_str(obj.get("url")) or None, title=title,
        description=description or "", seller_names=tuple(names), seller_fields=tuple(fields),
        price=None if price in (None, "") else str(price), currency=currency,
        captured_at=_str(obj.get("captured_at")) or None, text=f"{title}\n{description or ''}",
        platform_hosts=tuple(h for h in [_host(_str(obj.get("url")))] if h), notes=tuple(notes),
    )  # fmt: skip
