"""What happened and when: the event type of an article and the date of its event (not of publication).

Event types are decided by documented keyword rules (`EVENT_RULES`), counted with triple weight in the
headline and lead (the first two sentences), where news says what happened; background paragraphs mention
past seizures and sanctions in every story. The event date is the first day-precise date in the lead
resolved against the publication date ("met on Tuesday", "Friday (October 20)", "el pasado martes"),
else the publication date itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from precwatch.core.osint.dates import DateMention, Precision, find_dates, resolve

EventType = str
EVENT_TYPES: tuple[EventType, ...] = (
    "seizure",
    "indictment-sanction",
    "scheduling",
    "talks-agreement",
    "other",
)
"""The event types, in the order that breaks ties (a seizure announced at a meeting is a seizure)."""

_SEIZURE = re.compile(
    r"\b(seiz(?:e|ed|es|ing|ure|ures)|confiscat\w+|intercept(?:ed|ion|s)?|haul|impound\w*|dismantl\w+ (?:a |an )?(?:clandestine )?lab\w*|"
    r"asegur(?:ó|aron|amiento|ado|ada|an)|decomis\w+|incaut\w+|confisc\w+|narcolaboratorio\w*)\b|查获|缴获|截获|收缴|捣毁",
    re.IGNORECASE,
)
_INDICTMENT = re.compile(
    r"\b(indict\w*|charged|charges against|criminal charges|sanction(?:s|ed|ing)?|designat(?:ed|ion|es)|OFAC|"
    r"arrest(?:ed|s)?|extradit\w*|unseal\w*|prosecut\w+|pleaded guilty|sentenced|"
    r"acusaci[óo]n(?:es)?|acusad[oa]s?|sancion\w*|imputad\w*|detenid[oa]s?|extradi\w+|vinculad[oa]s? a proceso)\b|起诉|制裁|逮捕|引渡|判处",
    re.IGNORECASE,
)
_SCHEDULING = re.compile(
    r"\b(schedul(?:e|ed|ing) (?:as|under|in|the|of)|placed? (?:under|on) (?:international )?control|"
    r"(?:controls?|controlled) (?:on|over) \w+|(?:international )?control of (?:the )?(?:\w+ )?(?:precursors?|chemicals?|substances?)|"
    r"Table I\b|List I\b|class-wide|voted to (?:add|control|schedule)|"
    r"fiscalizaci[óo]n internacional|someter a fiscalizaci[óo]n|lista de sustancias|cuadro I\b)|列管|列入|管制目录|非药用类麻醉药品|易制毒化学品品种目录",
    re.IGNORECASE,
)
_TALKS = re.compile(
    r"\b(talks?|meeting|met|meets|summit|working group|agreement|agreed|dialogue|negotiat\w+|consultations?|visit\w*|delegation|"
    r"reuni[óo]n\w*|se reunieron|acuerdo|di[áa]logo|cumbre|negociaci\w+|conversaciones|cooperaci[óo]n bilateral)\b|会谈|会晤|会见|工作组|协议|对话|磋商|会议",
    re.IGNORECASE,
)


def seizure(text: str) -> int:
    """Seizure: goods were seized, intercepted or confiscated, or a laboratory dismantled ("seized",
    "haul", "aseguró", "decomiso", "incautación", "查获", "缴获")."""
    return len(_SEIZURE.findall(text))


def indictment_sanction(text: str) -> int:
    """Indictment or sanction: people or companies charged, arrested, extradited, sentenced, or placed on a
    sanctions list ("indicted", "OFAC", "designated", "acusación", "sancionó", "起诉", "制裁")."""
    return len(_INDICTMENT.findall(text))


def scheduling(text: str) -> int:
    """Scheduling decision: a substance placed under national or international control ("placed under
    international control", "Table I", "List I", "voted to add", "fiscalización internacional", "列管")."""
    return len(_SCHEDULING.findall(text))


def talks_agreement(text: str) -> int:
    """Talks or agreement: governments meeting, negotiating or agreeing ("talks", "working group",
    "summit", "agreement", "reunión", "acuerdo", "会谈", "工作组")."""
    return len(_TALKS.findall(text))


EVENT_RULES: dict[EventType, Callable[[str], int]] = {
    "seizure": seizure,
    "indictment-sanction": indictment_sanction,
    "scheduling": scheduling,
    "talks-agreement": talks_agreement,
}
"""The event-type rules; each returns how many of its cues a text holds."""

LEAD_WEIGHT = 3
"""Cues in the headline and the first two sentences count this many times."""
MIN_SCORE = 3
"""Below this weighted score no type is claimed: the event is "other"."""

_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def lead(text: str, *, sentences: int = 2) -> str:
    """The first `sentences` sentences of `text` (the news lead)."""
    parts = [p for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    return " ".join(parts[:sentences])


def event_type_scores(title: str, text: str) -> dict[EventType, int]:
    """Weighted cue counts per event type (headline and lead count `LEAD_WEIGHT` times)."""
    head = f"{title}\n{lead(text)}"
    return {name: LEAD_WEIGHT * rule(head) + rule(text) for name, rule in EVENT_RULES.items()}


def event_type(title: str, text: str) -> EventType:
    """The article's event type: the best-scoring rule, or "other" below `MIN_SCORE`."""
    scores = event_type_scores(title, text)
    best = max(EVENT_RULES, key=lambda name: (scores[name], -list(EVENT_RULES).index(name)))
    return best if scores[best] >= MIN_SCORE else "other"


@dataclass(frozen=True)
class EventDate:
    """An article's event date. `date` is None when the text gives a day the article alone cannot place
    (a weekday without a publication date, a month and day without a year): `mention` keeps it for the
    cluster to resolve. `source` says which rule gave the date."""

    date: date | None
    precision: Precision
    source: str
    mention: DateMention | None = None


_EFFECTIVE = re.compile(
    r"\b(?:from|starting|effective|as of|beginning|takes? effect(?: on)?|a partir del?|desde el|entrar[áa] en vigor el)\s*$|自\s*$",
    re.IGNORECASE,
)
"""Words before a date that make it the day a decision takes effect, not the day of the event."""

LEAD_CHARS = 700
"""How far into the text (headline included) an event date is looked for."""


def _before(mention: DateMention, bound: date) -> date | None:
    """A month and day without a year, placed on the latest such day not after `bound`."""
    if mention.kind != "month-day" or mention.month is None or mention.day is None:
        return None
    for year in (bound.year, bound.year - 1):
        try:
            day = date(year, mention.month, mention.day)
        except ValueError:
            continue
        if day <= bound:
            return day
    return None


def article_event_date(
    title: str, text: str, published: date | None, captured: date | None = None
) -> EventDate:
    """The date of the event an article reports.

    1. The first day-precise date in the headline or lead (`LEAD_CHARS`), resolved against the publication
       date: "in Beijing on Tuesday", "Bloomberg reported on Friday (October 20)", "el 30 de enero",
       "昨天". A full date more than 31 days after publication is a plan, not the event, and is skipped;
       so is a date introduced as the day something takes effect ("from May 1", "a partir del 1 de mayo").
       Without a publication date, a month and day ("el 5 de marzo") take their year from the page's
       date bar (`captured`): the latest such day not after it. A weekday is never placed by the date
       bar: a bar that shows the day the page was saved would move it to the wrong week.
    2. Otherwise the publication date ("published"): news reports what happened that day or the day
       before.
    3. Otherwise the date the page showed (`captured`, "page date"): the last resort, since a date bar may
       be the day the page was saved; it is marked so the analyst knows.
    """
    head = f"{title}\n{text}"[:LEAD_CHARS]
    for mention in find_dates(head):
        if mention.precision != "day" or _EFFECTIVE.search(head, max(0, mention.start - 25), mention.start):
            continue
        when = resolve(mention, published)
        if when is None and captured is not None and (bounded := _before(mention, captured)) is not None:
            return EventDate(bounded, "day", f"lead+date bar: {mention.text}", mention)
        if when is None:
            return EventDate(None, "day", "lead-unresolved", mention)
        if published is not None and (when - published).days > 31:
            continue
        return EventDate(when, "day", f"lead: {mention.text}", mention)
    if published is not None:
        return EventDate(published, "day", "published")
    if captured is not None:
        return EventDate(captured, "day", "page date")
    return EventDate(None, "day", "none")
