"""Platform boilerplate: contacts that belong to the marketplace, never to a vendor.

Every page of a platform carries the platform's own addresses (service desk, "report this listing", the
copyright footer). Taken as vendor contacts they would merge every vendor on the platform into one, so a
contact is dropped when any rule in `BOILERPLATE_RULES` says so. Each rule's docstring is the reason shown.
Footer and navigation elements of saved pages are already set apart by the page reader
(`precwatch.io.snapshots`); these rules catch what is left.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from precwatch.core.parties.contacts import Contact, url_host

_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "edu", "ac"})
_REPORT = re.compile(
    r"report(?:\s+(?:a|this|the))?\s+(?:listing|product|item|seller|abuse|violation|infringement)|abuse|complain"
    r"|copyright|infringement|privacy|customer\s+(?:service|care|support)|help\s*(?:center|centre|desk)"
    r"|feedback|all rights reserved|©|terms of (?:use|service)|投诉|举报|客服|版权",
    re.I,
)
_CONTEXT_BEFORE = 100
"""Characters before a contact searched for words of the platform's own service ("report a listing")."""


def site_domain(host_or_url: str) -> str | None:
    """The registrable domain of a host or URL (`www.made-in-china.com` -> `made-in-china.com`,
    `x.alibaba.com.cn` -> `alibaba.com.cn`): the last two labels, three under a generic second level."""
    host = url_host(host_or_url) if ("/" in host_or_url or ":" in host_or_url) else host_or_url.lower()
    if not host or "." not in host:
        return None
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _contact_domain(contact: Contact) -> str | None:
    if contact.kind == "email":
        return site_domain(contact.value.rpartition("@")[2])
    if contact.kind == "url":
        return site_domain(contact.value)
    return None


def platform_address(contact: Contact, platform_domains: frozenset[str], context: str) -> bool:
    """An e-mail address or web site on the platform's own domain (service@made-in-china.com) is the
    platform's, not the seller's."""
    domain = _contact_domain(contact)
    return domain is not None and domain in platform_domains


def service_context(contact: Contact, platform_domains: frozenset[str], context: str) -> bool:
    """A contact written right after words of the platform's own service ("report a listing",
    "customer service", "© 2024 ... all rights reserved", 投诉/举报) is the platform's help desk."""
    raw = contact.raw or contact.value
    at = context.find(raw)
    if at < 0:
        return False
    return _REPORT.search(context, max(0, at - _CONTEXT_BEFORE), at) is not None


SERVICE_SUBDOMAINS = frozenset({
    "www", "m", "en", "es", "fr", "help", "service", "support", "report", "login", "my", "i", "buyer", "seller",
    "dir", "detail", "details", "item", "items", "offer", "product", "products", "search", "s", "b2b", "trade",
    "list", "www2", "mobile", "img", "static", "cdn", "blog", "news", "sale", "sell", "buy", "shop", "store",
})  # fmt: skip
"""Sub-domains platforms keep for themselves (product, directory and service hosts); any other
sub-domain of the platform is a seller's shop (`lianfeng.en.made-in-china.com`, `x.en.alibaba.com`)."""


def shop_host(host: str) -> bool:
    """True when `host` looks like a seller's shop on a platform: a sub-domain of the registrable domain
    whose first label is not one of `SERVICE_SUBDOMAINS`."""
    domain = site_domain(host)
    if not domain or host == domain:
        return False
    return host.split(".", 1)[0] not in SERVICE_SUBDOMAINS


def is_shop_host(contact: Contact, platform_domains: frozenset[str], platform_hosts: Sequence[str]) -> bool:
    """A seller's shop on the platform (`lianfeng.en.made-in-china.com`, given as the seller's `url` in the
    page's structured data) is the seller's own address, though on the platform's domain: one shop, one
    seller. The platform's own sub-domains (`SERVICE_SUBDOMAINS`, the page's host) are not shops."""
    if contact.kind != "url" or site_domain(contact.value) not in platform_domains:
        return False
    return shop_host(contact.value)


BoilerplateRule = Callable[[Contact, frozenset[str], str], bool]
BOILERPLATE_RULES: dict[str, BoilerplateRule] = {
    "platform-address": platform_address,
    "service-context": service_context,
}
"""Rules that mark a contact as the platform's own, by name."""


def boilerplate_reason(contact: Contact, platform_domains: frozenset[str], context: str) -> str | None:
    """The name of the first rule that marks `contact` as platform boilerplate, else None."""
    for name, rule in BOILERPLATE_RULES.items():
        if rule(contact, platform_domains, context):
            return name
    return None


def vendor_contacts(
    contacts: Iterable[Contact], platform_domains: frozenset[str], context: str
) -> tuple[list[Contact], list[tuple[Contact, str]]]:
    """Split contacts into the vendor's own and the platform's (each with the rule that set it apart)."""
    own: list[Contact] = []
    dropped: list[tuple[Contact, str]] = []
    for c in contacts:
        reason = boilerplate_reason(c, platform_domains, context)
        if reason:
            dropped.append((c, reason))
        elif c not in own:
            own.append(c)
    return own, dropped


def common_contacts(
    pages: Sequence[tuple[Sequence[str], Sequence[str]]], *, min_sellers: int = 4, min_share: float = 0.5
) -> frozenset[str]:
    """Contact keys that a snapshot's pages share across many sellers: a footer the page reader could not
    tell apart. `pages` are (seller name keys, contact keys) per page; a key on at least `min_share` of
    the pages, under at least `min_sellers` different seller names, is the site's, not a vendor's."""
    pages_with: dict[str, int] = defaultdict(int)
    sellers: dict[str, set[str]] = defaultdict(set)
    for names, keys in pages:
        for k in set(keys):
            pages_with[k] += 1
            sellers[k].update(names)
    n = len(pages)
    return frozenset(
        k for k, c in pages_with.items() if c >= min_share * n and len(sellers[k]) >= min_sellers
    )
