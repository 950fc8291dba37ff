"""Line rules that strip web-page boilerplate from article text (pages already reduced to text).

HTML goes through trafilatura first (`precwatch.io.articles`); these rules handle what is left in text
files saved by scrapers, copy-pasted articles and e-mail alerts. Each rule is a function whose docstring
is the explanation shown to the analyst (`precwatch osint ingest` lists the removed lines with the rule
name). Two kinds: LINE_RULES drop one line; TAIL_RULES drop the line and everything after it (comment
forms and "related" blocks at the foot of a page carry no article text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

LineRule = Callable[[str], bool]


def _phrases(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(patterns), re.IGNORECASE)


_SKIP = _phrases(
    r"^\s*(skip|jump) to (main )?(content|navigation)\s*$",
    r"^\s*saltar al contenido",
    r"^\s*跳[至到]主要?内容",
)


def skip_links(line: str) -> bool:
    """Accessibility links a page prints before the article: "Skip to main content", "Saltar al contenido"."""
    return bool(_SKIP.search(line))


_SUBSCRIBE = _phrases(
    r"already a subscriber",
    r"subscribe (now|today|to (continue|read))",
    r"log ?in(to)? (to|your account)",
    r"make sure your card on file",
    r"stay informed with free updates",
    r"sign up for (our|the) .{0,30}newsletter",
    r"keep up to date with our latest",
    r"get (our|the) .{0,20}newsletter",
    r"suscr[ií]bete",
    r"inicia sesi[oó]n para",
    r"订阅|登录后(阅读|查看)",
)


def subscription_prompts(line: str) -> bool:
    """Paywall and newsletter prompts ("Already a subscriber? ...", "Stay informed with free updates",
    "Suscríbete", "订阅"): site furniture, not reporting."""
    return bool(_SUBSCRIBE.search(line)) and len(line) < 400


_SHARE = _phrases(
    r"^\s*(share|compartir|comparte|分享)( (this|on|en|到))?\s*[:：]?\s*(article|story|facebook|twitter|x|whatsapp|email|linkedin|telegram|微信|微博)?\s*$",
    r"^\s*((facebook|twitter|whatsapp|linkedin|telegram|pinterest|email|print|reddit|copy link)\s*[|·,]?\s*){2,}$",
)


def share_bars(line: str) -> bool:
    """Share bars: "Share this:", "Facebook Twitter WhatsApp Email", "分享到" on a line of their own."""
    return bool(_SHARE.search(line))


_WIDGETS = _phrases(
    r"^\s*(must read|latest (article|news|posts?)|trending( now)?|popular( posts)?|advertisement|publicidad|广告|most read|recommended|editor'?s picks?|tags?:.*|lo m[aá]s le[ií]do|te puede interesar|lee tambi[eé]n:?)\s*$",
    r"^\s*(photo|foto|image|imagen|图片?)\s*(credit)?\s*[:：].{0,80}$",
    r"^\s*(责任编辑|编辑|来源|原标题)\s*[:：].{0,40}$",
)


def page_widgets(line: str) -> bool:
    """Theme widgets and credits: "Must read", "Latest article", "Advertisement", "Lo más leído", photo
    credits, Chinese editor/source lines ("责任编辑：..."). Short lines only."""
    return bool(_WIDGETS.search(line))


_SOURCE = _phrases(
    r"^\s*(source link|source|fuente|来源|原文链接|read the original)\s*[:：]?\s*(https?://\S+)?\s*$"
)


def source_links(line: str) -> bool:
    """Aggregator footers pointing to the story they copied: "Source link", "Fuente:", "原文链接"."""
    return bool(_SOURCE.search(line))


_COPYRIGHT = re.compile(
    r"^\s*(©|\(c\)|copyright)\s*\d{4}\b.{0,80}$|^\s*.{0,60}\ball rights reserved\.?\s*$", re.I
)


def copyright_lines(line: str) -> bool:
    """Copyright lines ("©2023 Bloomberg L.P."). The year is kept as a hint for the publication year."""
    return bool(_COPYRIGHT.search(line))


_PROMO = _phrases(
    r"^\s*more (stories|articles) like this (are|is) available",
    r"^\s*[–—-]+\s*with assistance from ",
    r"^\s*(read more|related|see also|lee m[aá]s|lee tambi[eé]n|ver m[aá]s|相关阅读|延伸阅读)\s*[:：]",
    r"^\s*(click here|haz clic aqu[ií]|点击(这里|查看))",
    r"^\s*follow us on ",
)


def promotions_and_related(line: str) -> bool:
    """Single-line promotions and related links: "Read more: ...", "More stories like this are available
    on ...", "–With assistance from ...", "Lee más: ...", "相关阅读：..."."""
    return bool(_PROMO.search(line))


_COMMENTS = _phrases(
    r"^\s*(leave a (reply|comment)|deja (un|tu) comentario|发表评论|comments?|comentarios|\d+ comments?)\s*$",
    r"^\s*(more articles|related articles|related posts|related stories|you may also like|noticias relacionadas|art[ií]culos relacionados|相关(文章|新闻))\s*$",
)


def comment_forms_and_related_blocks(line: str) -> bool:
    """Start of a comment form ("LEAVE A REPLY", "Deja un comentario", "发表评论") or of a block of
    related links ("More articles", "Noticias relacionadas"): this line and everything after it go."""
    return bool(_COMMENTS.search(line))


_FORM_FIELDS = _phrases(
    r"^\s*please enter your (comment|name|email)",
    r"^\s*(name|email|website)\s*\*?\s*$",
    r"save my name, email",
)


def comment_form_fields(line: str) -> bool:
    """Comment-form field labels that survive when the form heading was not copied: "Please enter your
    comment!", "Please enter your name here", "Save my name, email, and website ..."."""
    return bool(_FORM_FIELDS.search(line))


LINE_RULES: dict[str, LineRule] = {
    "skip-link": skip_links,
    "subscription-prompt": subscription_prompts,
    "share-bar": share_bars,
    "page-widget": page_widgets,
    "source-link": source_links,
    "copyright": copyright_lines,
    "promotion-or-related-link": promotions_and_related,
    "comment-form-field": comment_form_fields,
}
"""Rules that drop one line, by name."""

TAIL_RULES: dict[str, LineRule] = {"comment-form-or-related-block": comment_forms_and_related_blocks}
"""Rules that drop the line and everything after it when it is in the second half of the text (in the
first half, only the line itself)."""


@dataclass(frozen=True)
class Cleaned:
    """Text after the rules: the kept lines joined, and (rule, line) for every dropped line."""

    text: str
    removed: tuple[tuple[str, str], ...]


def clean_lines(text: str) -> Cleaned:
    """Apply every rule to every non-empty line; paragraphs are kept one per line."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        tail = next((name for name, rule in TAIL_RULES.items() if rule(line)), None)
        if tail is not None and i >= len(lines) // 2:
            removed.extend((tail, ln) for ln in lines[i:])
            break
        rule_name = tail or next((name for name, rule in LINE_RULES.items() if rule(line)), None)
        if rule_name is not None:
            removed.append((rule_name, line))
        else:
            kept.append(line)
    return Cleaned("\n".join(kept), tuple(removed))


_YEAR = re.compile(r"(?:©|\(c\)|copyright)\s*(\d{4})", re.I)


def copyright_years(removed: tuple[tuple[str, str], ...]) -> tuple[int, ...]:
    """Years named by the removed copyright lines ("©2023 Bloomberg L.P." -> 2023)."""
    return tuple(
        int(m.group(1)) for rule, line in removed if rule == "copyright" for m in _YEAR.finditer(line)
    )
