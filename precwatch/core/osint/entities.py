"""Organisations and people named in an article: the gazetteer (`gazetteer.py`) plus title rules.

Gazetteer aliases of several words match case-insensitively; one-word aliases and acronyms match as
written (so "Marina" is the Mexican Navy but "marina" is not), always on word boundaries except in
Chinese. People not in the gazetteer are found by `titled_people`: a capitalised name of two to four
words right after a title ("Secretary of State Antony Blinken", "el fiscal Juan Pérez"), or a Chinese
name of two or three characters right after a Chinese title ("发言人汪文斌"), romanised with pypinyin.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import ahocorasick
from pypinyin import lazy_pinyin

from precwatch.core.osint.gazetteer import ORGANISATIONS, OUTLETS, PEOPLE, PLACES

_CJK = re.compile(r"[\u3400-\u9fff]")

Entry = tuple[str, str, str]  # (kind, canonical, alias)


@cache
def _automata() -> tuple[ahocorasick.Automaton, ahocorasick.Automaton]:
    exact = ahocorasick.Automaton()
    folded = ahocorasick.Automaton()
    tables: list[tuple[str, dict[str, tuple[str, ...]]]] = [
        ("org", ORGANISATIONS),
        ("person", PEOPLE),
        ("outlet", {o: (o,) for o in OUTLETS}),
        ("place", PLACES),
    ]
    for kind, table in tables:
        for canonical, aliases in table.items():
            for alias in aliases:
                if kind not in ("person", "place") and " " in alias and not _CJK.search(alias):
                    folded.add_word(alias.lower(), (kind, canonical, alias.lower()))
                else:
                    exact.add_word(alias, (kind, canonical, alias))
    for auto in (exact, folded):
        auto.make_automaton()
    return exact, folded


def _bounded(text: str, start: int, end: int, alias: str) -> bool:
    if _CJK.search(alias):
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def gazetteer_hits(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, canonical, start, end) for every gazetteer alias in `text`; the longest alias wins where two
    overlap. `kind` is org, person, outlet or place."""
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    exact, folded = _automata()
    hits: list[tuple[int, int, str, str]] = []
    for auto, haystack in ((exact, text), (folded, text.lower())):
        if len(auto) == 0:
            continue
        for end_index, (kind, canonical, alias) in auto.iter(haystack):
            start, end = end_index - len(alias) + 1, end_index + 1
            if _bounded(text, start, end, alias):
                hits.append((start, end, kind, canonical))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[str, str, int, int]] = []
    last = -1
    for start, end, kind, canonical in hits:
        if start >= last:
            out.append((kind, canonical, start, end))
            last = end
    return out


_NAME = r"((?:[A-ZÁÉÍÓÚÑ][a-záéíóúñü'’-]+|[A-Z]\.)(?:\s+(?:de la|de|del|van|von)?\s*[A-ZÁÉÍÓÚÑ][a-záéíóúñü'’-]+){1,3})"
_TITLE = re.compile(
    r"\b(?:President|Vice President|Secretary(?: of State| of Defense| of the Treasury)?|Attorney General|Minister|"
    r"Foreign Minister|Commerce Secretary|Ambassador|Administrator|Director|Commissioner|Governor|Senator|Rep\.|"
    r"spokes(?:man|woman|person)|Mr\.|Ms\.|Mrs\.|Dr\.|Gen\.|Adm\.|Judge|prosecutor|"
    r"presidente|presidenta|secretari[oa](?: de [A-ZÁÉÍÓÚ][a-záéíóú]+)?|canciller|fiscal|embajador[a]?|"
    r"gobernador[a]?|director[a]?|vocero|vocera|almirante|general)\s+" + _NAME
)
_ZH_TITLE = re.compile(
    r"(?:发言人|部长|外长|主席|总统|局长|主任|大使|总检察长|国务卿|顾问|总理|副部长)([\u4e00-\u9fff]{2,3}?)(?=[表说称指在于会与和，。、：:]|$)"
)

STOP_NAMES: frozenset[str] = frozenset(
    {"United States", "White House", "National Security", "Joe", "The", "Chinese", "Mexican", "American", "Department",
     "República", "Security", "Homeland"}
)  # fmt: skip
"""Title-rule captures that are never people."""


def titled_people(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of people named right after a title, in English, Spanish or Chinese.

    The name is the capitalised words after "President", "Secretary of State", "spokesman",
    "presidente", "canciller", "fiscal" ...; a Chinese name is the two or three characters after
    "发言人", "部长", "主席" ... and is given in pinyin ("汪文斌" -> "Wang Wenbin")."""
    out = []
    for m in _TITLE.finditer(text):
        name = m.group(1)
        words = [w for w in name.split() if w not in ("de", "la", "del", "van", "von")]
        if len(words) < 2 or name in STOP_NAMES or words[0] in STOP_NAMES:
            continue
        out.append((name, m.start(1), m.end(1)))
    for m in _ZH_TITLE.finditer(text):
        out.append((romanise(m.group(1)), m.start(1), m.end(1)))
    return out


def romanise(chinese_name: str) -> str:
    """Pinyin of a Chinese personal name, surname first: "王小洪" -> "Wang Xiaohong"."""
    syllables = lazy_pinyin(chinese_name)
    if not syllables:
        return chinese_name
    return " ".join(s.capitalize() for s in (syllables[0], "".join(syllables[1:])) if s)


def person_key(name: str) -> str:
    """A key under which the same person written in different scripts or accents meets: letters only,
    lower case, accents removed ("López Obrador" and "Lopez Obrador" -> "lopezobrador")."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if c.isalpha() and not unicodedata.combining(c)).lower()


def organisations_and_people(text: str) -> tuple[list[str], list[str], list[str]]:
    """(organisations, people, outlets) named in `text`, each in order of first mention.

    A titled person whose name ends with a gazetteer person's surname is that person ("President Biden")."""
    orgs: list[str] = []
    people: list[str] = []
    outlets: list[str] = []
    taken: list[tuple[int, int]] = []
    for kind, canonical, start, end in gazetteer_hits(text):
        if kind == "place":
            taken.append((start, end))
            continue
        target = {"org": orgs, "person": people, "outlet": outlets}[kind]
        if canonical not in target:
            target.append(canonical)
        taken.append((start, end))
    known = {person_key(alias): canonical for canonical, aliases in PEOPLE.items() for alias in aliases}
    for name, start, end in titled_people(text):
        if any(s < end and start < e for s, e in taken):
            continue
        canonical = known.get(person_key(name), name)
        if canonical not in people and canonical not in orgs:
            people.append(canonical)
    return orgs, people, outlets


def places_in(text: str) -> list[str]:
    """Gazetteer places (ports, border crossings, cities) named in `text`, in order of first mention."""
    return list(
        dict.fromkeys(canonical for kind, canonical, _s, _e in gazetteer_hits(text) if kind == "place")
    )
