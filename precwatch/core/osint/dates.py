"""Dates written in news text (English, Spanish, Chinese), and what they mean relative to a reference day.

`find_dates` returns every mention with what the text itself fixes (year, month, day, weekday, an offset
in days, a direction); `resolve` turns one into a calendar date given the publication date. Nothing
here guesses the reference: an article without a publication date keeps its weekday-only mentions
unresolved, and the cluster (`precwatch.core.osint.events`) resolves what it can from its other articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Kind = Literal["full", "month-day", "weekday", "relative-day", "month", "year"]
Direction = Literal["past", "future", "none"]
Precision = Literal["day", "month", "year"]

MONTHS: dict[str, int] = {
    **{m: i for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"], 1)},
    **{m: i for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)},
    "sept": 9,
    **{m: i for i, m in enumerate(
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
         "octubre", "noviembre", "diciembre"], 1)},
    "setiembre": 9,
}  # fmt: skip
"""Month names and abbreviations, English and Spanish, to month numbers."""

WEEKDAYS: dict[str, int] = {
    **{d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])},
    **{d: i for i, d in enumerate(["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"])},
    "miercoles": 2, "sabado": 5,
    **{c: i for i, c in enumerate("一二三四五六日")}, "天": 6,
}  # fmt: skip
"""Weekday names (English, Spanish, and the Chinese numeral after 周/星期/礼拜) to Monday=0 ... Sunday=6."""

_EN_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
_MON = r"(?P<mon>jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|noviembre|diciembre)"
_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|º)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS: list[tuple[Kind, re.Pattern[str]]] = [
    ("full", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    (
        "full",
        re.compile(
            r"(?:(?P<year>(?:19|20)\d\d)\s*年\s*)?(?P<mnum>1[0-2]|0?[1-9])\s*月\s*(?P<day>[0-3]?\d)\s*[日号]"
        ),
    ),
    ("month-day", re.compile(rf"(?:{_WD}\s*,?\s*\(?\s*)?\b{_MON}\s+{_DAY}\b\)?(?:\s*,?\s*{_YEAR}\b)?", re.I)),
    (
        "month-day",
        re.compile(
            rf"(?:{_WD}\s*,?\s*\(?\s*)?\b{_DAY}\s+(?:de\s+|of\s+)?{_MON}\b\)?(?:\s*,?\s*(?:de[l]?\s+)?{_YEAR}\b)?",
            re.I,
        ),
    ),
    ("month", re.compile(rf"\b{_MON}\s*(?:de\s+|of\s+)?,?\s*{_YEAR}\b", re.I)),
    ("month", re.compile(r"(?P<rel>去年|今年|明年)?(?P<mnum>1[0-2]|[1-9])\s*月(?![\s\d]*[日号])")),
    (
        "month",
        re.compile(
            rf"\b(?P<rel>last|next|this|past|el pasado|pasado|el pr[óo]ximo|pr[óo]ximo|este)?\s*{_MON}\b(?P<rel2>\s+(?:last|next|this) year|\s+pasado|\s+del año pasado|\s+de este año)?",
            re.I,
        ),
    ),
    ("year", re.compile(rf"\b(?:in|en|since|desde|of|de)\s+{_YEAR}\b", re.I)),
    ("year", re.compile(rf"{_YEAR}\s*年")),
    (
        "weekday",
        re.compile(
            rf"\b(?P<rel>last|next|this|past|come|el pasado|pasado|el pr[óo]ximo|pr[óo]ximo|este|el)?\s*{_WD}\b",
            re.I,
        ),
    ),
    ("weekday", re.compile(r"(?P<rel>上|下|本|这)?(?:个)?(?:周|星期|礼拜)(?P<zwd>[一二三四五六日天])")),
    (
        "relative-day",
        re.compile(
            r"\b(?P<rd>yesterday|today|tomorrow|ayer|hoy|anteayer)\b|(?P<zrd>前天|昨天|昨日|今天|今日|明天)",
            re.I,
        ),
    ),
]
"""Date patterns tried in this order; a later pattern never claims characters an earlier one matched."""

_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1, "ayer": -1, "hoy": 0, "anteayer": -2,
            "前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "明天": 1}  # fmt: skip

_FUTURE_CUE = re.compile(
    r"\b(will|would|shall|is set to|are set to|set for|scheduled|to be held|upcoming|planned|plans? to|expected to|"
    r"come|next|meets|holds|begins|opens|starts|is due|are due|se re[úu]nen|se llevar[áa]|llevar[áa]n? a cabo|realizar[áa]n?|se reunir[áa]n?|pr[óo]xim[oa])\b|将|下周|即将",
    re.I,
)
_PAST_WORDS = {"last", "past", "pasado", "el pasado", "上", "去年"}
_FUTURE_WORDS = {"next", "come", "el próximo", "el proximo", "próximo", "proximo", "下", "明年"}


@dataclass(frozen=True)
class DateMention:
    """One date expression: what the text fixes, and where it is.

    `kind` says what was written: a full date, a month and day (year maybe missing), a weekday, a day
    relative to publication ("yesterday"), a month, a year. `direction` is "future" when the sentence
    speaks of what will happen ("will meet on Tuesday"), "past" for "last Tuesday", else "none".
    """

    text: str
    start: int
    end: int
    kind: Kind
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    offset: int | None = None
    direction: Direction = "none"

    @property
    def precision(self) -> Precision:
        """How precise a resolved date is: day, month or year."""
        if self.kind in ("month",):
            return "month"
        if self.kind == "year":
            return "year"
        return "day"


def _month(groups: dict[str, str | None]) -> int | None:
    if groups.get("mnum"):
        return int(groups["mnum"] or 0)
    mon = (groups.get("mon") or "").lower().rstrip(".")
    return MONTHS.get(mon) or MONTHS.get(mon[:3])


def _direction(text: str, start: int, rel: str) -> Direction:
    rel = rel.strip().lower()
    if rel in _PAST_WORDS or rel.endswith("pasado") or rel.endswith("last year"):
        return "past"
    if rel in _FUTURE_WORDS or rel.startswith("el pr") or rel.endswith("next year"):
        return "future"
    sentence_start = max(text.rfind(".", 0, start), text.rfind("。", 0, start), start - 120)
    return "future" if _FUTURE_CUE.search(text, sentence_start + 1, start) else "none"


def find_dates(text: str) -> list[DateMention]:
    """Every date mention in `text`, in text order (see `DateMention`)."""
    taken = bytearray(len(text))
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            while start < end and text[start].isspace():
                start += 1
            if start >= end or any(taken[start:end]):
                continue
            mention = _mention(text, kind, m, start, end)
            if mention is None:
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.append(mention)
    return sorted(found, key=lambda d: d.start)


def _mention(text: str, kind: Kind, m: re.Match[str], start: int, end: int) -> DateMention | None:
    g = m.groupdict()
    raw = text[start:end]
    year = int(g["year"]) if g.get("year") else None
    rel = " ".join(x for x in (g.get("rel"), g.get("rel2")) if x)
    wd_name = (g.get("wd") or "").lower()
    weekday = WEEKDAYS.get(wd_name) if wd_name else WEEKDAYS.get(g.get("zwd") or "")
    if kind == "relative-day":
        word = (g.get("rd") or g.get("zrd") or "").lower()
        return DateMention(raw, start, end, kind, offset=_OFFSETS[word])
    if kind == "year":
        return DateMention(raw, start, end, kind, year=year)
    if kind == "weekday":
        if wd_name in _EN_WEEKDAYS and not raw[raw.lower().find(wd_name)].isupper():
            return None  # English weekdays are capitalised; lower case is not a date here
        return DateMention(raw, start, end, kind, weekday=weekday, direction=_direction(text, start, rel))
    month = _month(g)
    if month is None:
        return None
    if kind == "month":
        mon_word = (g.get("mon") or "").lower()
        if mon_word in ("may", "mar", "march") and not year and not rel and not raw.strip()[:1].isupper():
            return None  # "may" the verb, "march" the noun: a month only when capitalised
        if rel.strip().lower() in ("去年", "明年") and year is None:
            direction: Direction = "past" if rel.strip() == "去年" else "future"
            return DateMention(
                raw,
                start,
                end,
                kind,
                month=month,
                direction=direction,
                offset=-1 if direction == "past" else 1,
            )
        return DateMention(
            raw, start, end, kind, year=year, month=month, direction=_direction(text, start, rel)
        )
    day = int(g["day"])
    try:
        date(year or 2000, month, day)
    except ValueError:
        return None
    return DateMention(
        raw,
        start,
        end,
        "full" if year else "month-day",
        year=year,
        month=month,
        day=day,
        weekday=weekday,
        direction=_direction(text, start, ""),
    )


def _nearest(candidates: list[date], reference: date) -> date:
    return min(candidates, key=lambda d: (abs((d - reference).days), d > reference))


def resolve(mention: DateMention, reference: date | None) -> date | None:
    """The calendar date a mention means, given the publication date (`reference`).

    Rules, each as a journalist writes:
    - a full date is itself;
    - a month and day without a year is the nearest such day to the reference (within a year);
      without a reference, the weekday, when written, is the only other clue and is left to the cluster;
    - "on Tuesday" is the Tuesday of the reference's week: the next one (or the day itself) when the
      sentence speaks of the future, the last one (or the day itself) otherwise;
    - "yesterday", "ayer", "昨天" count from the reference;
    - a month without a year ("last November", "in March") is the most recent such month that is not after
      the reference (the next one for "next"/future sentences); returned as the first of the month;
    - a year alone is 1 January of it (precision "year").
    """
    if mention.kind == "full" and mention.year and mention.month and mention.day:
        return date(mention.year, mention.month, mention.day)
    if mention.kind == "year" and mention.year:
        return date(mention.year, 1, 1)
    if reference is None:
        if mention.kind == "month" and mention.year and mention.month:
            return date(mention.year, mention.month, 1)
        return None
    if mention.kind == "month-day" and mention.month and mention.day:
        candidates = []
        for y in (reference.year - 1, reference.year, reference.year + 1):
            try:
                candidates.append(date(y, mention.month, mention.day))
            except ValueError:
                continue
        return _nearest(candidates, reference) if candidates else None
    if mention.kind == "relative-day" and mention.offset is not None:
        return reference + timedelta(days=mention.offset)
    if mention.kind == "weekday" and mention.weekday is not None:
        delta = (mention.weekday - reference.weekday()) % 7
        if mention.direction == "future":
            return reference + timedelta(days=delta)
        if mention.direction == "past" and delta == 0:
            return reference - timedelta(days=7)
        return reference - timedelta(days=(7 - delta) % 7)
    if mention.kind == "month" and mention.month:
        if mention.year:
            return date(mention.year, mention.month, 1)
        if mention.offset is not None:  # 去年11月 / 明年3月
            return date(reference.year + mention.offset, mention.month, 1)
        if mention.direction == "future":
            year = reference.year if mention.month > reference.month else reference.year + 1
        elif mention.direction == "past":
            year = reference.year if mention.month < reference.month else reference.year - 1
        else:
            year = reference.year if mention.month <= reference.month else reference.year - 1
        return date(year, mention.month, 1)
    return None


def years_with_weekday(month: int, day: int, weekday: int, *, low: int, high: int) -> list[int]:
    """Years in [low, high] in which `month`/`day` falls on `weekday` ("Friday (October 20)" -> 2023, 2017 ...)."""
    out = []
    for year in range(low, high + 1):
        try:
            if date(year, month, day).weekday() == weekday:
                out.append(year)
        except ValueError:
            continue
    return out


def parse_date_line(line: str) -> date | None:
    """The date when `line` is nothing but a full date ("Monday, November 18, 2024", "2024-01-30",
    "30 de enero de 2024", "2024年1月30日"), else None."""
    stripped = line.strip(" \t|·-–—")
    mentions = find_dates(stripped)
    if len(mentions) != 1 or mentions[0].kind != "full" or len(mentions[0].text) < len(stripped) - 1:
        return None
    return resolve(mentions[0], None)
