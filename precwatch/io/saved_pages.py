"""Saved product pages: schema.org offers and sellers (extruct), visible text, footers and chrome set apart.

See `precwatch.io.snapshots` for what a page gives and how a broken page is salvaged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

from precwatch.core.market.boilerplate import shop_host, site_domain
from precwatch.io.records import Reject
from precwatch.io.snapshot_items import (
    PAIR,
    SnapshotItem,
    as_text,
    decode,
    host_of,
    org_names,
)

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
    page_host = host_of(canonical or as_text(product.get("url")) or meta.get("og:url") or "")
    sellers, platform_hosts = _sellers(nodes, product, offer, page_host, meta.get("og:site_name", ""))
    boiler_text = "\n".join(" ".join(e.itertext()) for e in doc.xpath(_FOOTER_XPATH))
    for e in doc.xpath(f"{_FOOTER_XPATH} | {_CHROME_XPATH} | //script | //style | //noscript | //template"):
        if e.getparent() is not None:
            e.drop_tree()
    body = _visible_text(doc)
    title = (
        as_text(product.get("name"))
        or meta.get("og:title")
        or _text_of(doc, "//h1")
        or _text_of(doc, "//title")
    )
    description = (
        as_text(product.get("description")) or meta.get("og:description") or meta.get("description") or ""
    )
    listing_id = (
        canonical or as_text(product.get("url")) or as_text(offer.get("url")) or meta.get("og:url") or ""
    )
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
    names = list(dict.fromkeys([*named, *(n for s in sellers for n in org_names(s))]))
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
        listing_id=listing_id, source=name, url=canonical or as_text(product.get("url")) or meta.get("og:url"),
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
        host = host_of(a.get("href", ""))
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
    from extruct.jsonld import JsonLdExtractor  # imported here: extruct costs ~0.3 s, only pages need it
    from extruct.w3cmicrodata import MicrodataExtractor

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
    for k, v in PAIR.findall(text):
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
        if n.get("_role") in PLATFORM_ROLES or (site_name and as_text(n.get("name")).lower() == site_name.lower())
    ]  # fmt: skip
    platform += [n for n in nodes if _types(n) & {"WebSite", "WebPage"}]
    hosts = [h for n in platform if (h := host_of(as_text(n.get("url"))))]
    sellers = [n for n in orgs if n.get("_role") in SELLER_ROLES and n not in platform]
    if not sellers:
        sellers = [
            n for n in orgs
            if n not in platform and n.get("_role") not in ("brand", "author", "review", "reviewedBy")
            and not (page_host and host_of(as_text(n.get("url"))) == page_host and not n.get("telephone"))
        ]  # fmt: skip
    return sellers, hosts


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
    currency = as_text(offer.get("priceCurrency")) or None
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
