"""Normalise company and person names for watchlist matching, keeping what was changed.

Shipper and consignee names are written many ways: "HUBEI AMARVEL BIOTECH CO., LTD.", "Hubei Amarvel
Bio-tech Company Limited", "湖北阿马维尔生物科技有限公司". `normalise_name` reduces each to canonical tokens
(`hubei amarvel biotech`) and records every change so a match can say why two names are the same:

- Unicode NFKC, accents removed, Latin look-alike letters (Cyrillic "А") folded, case folded;
- legal forms removed (Co., Ltd.; Company Limited; Inc; GmbH; S.A. de C.V.; 有限公司; 股份有限公司 ...);
- business words brought to one spelling (Bio-tech / Biotechnology / Biological Technology / 生物科技 -> biotech)
  and flagged as generic: they stay in the name but weigh little;
- Chinese characters: known business and place words are translated (化工 -> chem, 湖北 -> hubei), the rest of
  each run is read as one pinyin word (硕康 -> shuokang);
- hyphenated words are joined (bio-tech -> biotech) and single-letter initials too (S.A. -> sa).

Word order and pinyin spacing ("Wuhan Shuokang" / "Wuhanshuokang" / "Wu Han Shuo Kang") are settled when two
names are compared (`split_into`, `join_into`), because only the other name says where the spaces belong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from precwatch.core.normalise import HOMOGLYPHS, is_cjk
from precwatch.core.parties.company_terms import (
    GENERIC,
    HAN_SCAN,
    HAN_TERMS,
    LEGAL_ANYWHERE,
    LEGAL_AT_END,
    LEGAL_AT_START,
    MAX_PHRASE,
    PLACES,
    STOP_WORDS,
    SYNONYMS,
)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<amp>&)|(?P<word>[^\W_{_HAN}]+(?:[-'’][^\W_{_HAN}]+)*)")
_FOLD = str.maketrans({k: v for k, v in HOMOGLYPHS.items() if len(k) == 1})


@dataclass(frozen=True, slots=True)
class NameToken:
    """One canonical token of a name, with the text it was read from."""

    text: str
    source: str
    han: bool = False
    start: int = 0  # where `source` starts and ends in the NFKC-normalised name
    end: int = 0


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name reduced to canonical tokens, with the pieces removed or rewritten on the way.

    `words` are the canonical tokens in order; `key` is order-free (the sorted words: equal keys = same name
    up to word order); `text` (the words joined by spaces) normalises to itself. `spaced` still has the
    stop words, which may be pinyin syllables ("Bang De Ya" is one name, not "Bang of Ya"). `legal_key`
    is the legal forms removed, letters and digits only ("Co., Ltd." -> "coltd").
    """

    original: str
    tokens: tuple[NameToken, ...]
    legal_forms: tuple[str, ...] = ()
    joined: tuple[str, ...] = ()
    translated: tuple[tuple[str, str], ...] = ()
    words: tuple[str, ...] = ()
    key: str = ""
    spaced: tuple[str, ...] = ()
    legal_key: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The canonical tokens joined by spaces (normalising this again gives the same text)."""
        return " ".join(self.words)


def token_class(token: str) -> str:
    """'generic' for business words, 'place' for places, 'word' for everything that names a firm or person."""
    if token in GENERIC:
        return "generic"
    if token in PLACES:
        return "place"
    return "word"


def _fold_latin(word: str) -> str:
    """Case, accents and apostrophes off; letters that look Latin (Cyrillic "А", Greek "Ο") become Latin,
    as `precwatch.core.normalise` folds them (a Russian name is folded the same way on both sides)."""
    if word.isascii():
        return word.lower().replace("'", "")
    word = "".join(
        c for c in unicodedata.normalize("NFKD", word.translate(_FOLD)) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFKC", word).lower().translate(_FOLD).replace("'", "")


@lru_cache(maxsize=4096)
def pinyin_word(han: str) -> str:
    """Read a run of Chinese characters as one toneless pinyin word (硕康 -> shuokang; ü -> u)."""
    return "".join(lazy_pinyin(han, style=Style.NORMAL, v_to_u=True)).replace("ü", "u")


_Raw = tuple[str, int, int, bool]  # folded text, start and end in the NFKC name, read from Chinese


def _han_tokens(run: str, at: int, legal: list[str], translated: list[tuple[str, str]]) -> list[_Raw]:
    """Read a run of Chinese characters: business/place words by meaning, legal forms out, the rest as pinyin."""
    out: list[_Raw] = []
    pos = 0
    for m in [*HAN_SCAN.finditer(run), None]:
        stop = len(run) if m is None else m.start()
        if stop > pos:
            word = pinyin_word(run[pos:stop])
            out.append((word, at + pos, at + stop, True))
            translated.append((run[pos:stop], word))
        if m is None:
            break
        term = m.group()
        if term in HAN_TERMS:
            out.extend((w, at + m.start(), at + m.end(), True) for w in HAN_TERMS[term])
            translated.append((term, " ".join(HAN_TERMS[term])))
        else:
            legal.append(term)
        pos = m.end()
    return out


def _join_initials(raw: list[_Raw], text: str) -> list[_Raw]:
    """Join runs of single Latin letters split by dots or spaces: "S.A." / "S A" -> "sa", "A.A.M." -> "aam"
    (not across a comma: "TITLE I, S.A." keeps "i"; with no `text`, join every run)."""
    if all(len(t[0]) > 1 for t in raw):
        return raw
    out: list[_Raw] = []
    run: list[_Raw] = []
    for tok in [*raw, ("", 0, 0, False)]:
        if len(tok[0]) == 1 and tok[0].isalpha() and not tok[3]:
            if run and text and text[run[-1][2] : tok[1]].strip(". "):
                if len(run) > 1:
                    out.append(_initials(run))
                else:
                    out.extend(run)
                run = []
            run.append(tok)
            continue
        if len(run) > 1:
            out.append(_initials(run))
        else:
            out.extend(run)
        run = []
        if tok[0]:
            out.append(tok)
    return out


def _as_written(text: str, start: int, end: int) -> str:
    """The legal form as the user wrote it, with its closing full stop ("Co., Ltd.")."""
    return text[start : end + 1] if text[end : end + 1] == "." else text[start:end]


def _join_letters(tokens: list[NameToken]) -> list[NameToken]:
    """Join single letters left side by side once stop words are gone ("A & A" -> "aa"), so that the
    normalised text reads back the same."""
    out: list[NameToken] = []
    for t in tokens:
        if (
            out
            and len(t.text) == 1
            and len(out[-1].text) == 1
            and t.text.isalpha()
            and out[-1].text.isalpha()
        ):
            prev = out.pop()
            out.append(
                NameToken(prev.text + t.text, f"{prev.source} {t.source}", prev.han, prev.start, t.end)
            )
        else:
            out.append(t)
    return out


def _initials(run: list[_Raw]) -> _Raw:
    return ("".join(t[0] for t in run), run[0][1], run[-1][2], False)


def _strip_legal(words: list[_Raw], text: str, legal: list[str]) -> list[_Raw]:
    """Remove legal forms (anywhere for unambiguous ones, at the end for short ones), keeping one word."""
    texts = [w[0] for w in words]
    if _LEGAL_WORDS.isdisjoint(texts):
        return words
    found: list[str] = []
    keep: list[_Raw] = []
    i = 0
    while i < len(words):
        for phrase in _LEGAL_BY_FIRST.get(texts[i], ()):
            n = len(phrase)
            if tuple(texts[i : i + n]) == phrase and len(words) > n:
                found.append(_as_written(text, words[i][1], words[i + n - 1][2]))
                i += n
                break
        else:
            keep.append(words[i])
            i += 1
    changed = True
    while changed and len(keep) > 1:
        changed = False
        for phrase in _LEGAL_END_BY_LAST.get(keep[-1][0], ()):
            n = len(phrase)
            if len(keep) > n and tuple(w[0] for w in keep[-n:]) == phrase:
                found.append(_as_written(text, keep[-n][1], keep[-1][2]))
                keep = keep[:-n]
                changed = True
                break
    while len(keep) > 1 and (keep[0][0],) in LEGAL_AT_START:
        found.append(_as_written(text, keep[0][1], keep[0][2]))
        keep = keep[1:]
    if not keep:  # the whole name is legal forms: keep it as written
        return words
    legal.extend(found)
    return keep


def _canonical(words: list[_Raw], text: str) -> list[NameToken]:
    """Bring business words to one spelling (longest phrase first)."""
    out: list[NameToken] = []
    texts = [w[0] for w in words]
    i = 0
    while i < len(words):
        if texts[i] in _SYN_FIRST:
            for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
                canon = SYNONYMS.get(tuple(texts[i : i + n]))
                if canon is not None:
                    part = words[i : i + n]
                    start, end = part[0][1], part[-1][2]
                    out.append(NameToken(canon, text[start:end], any(w[3] for w in part), start, end))
                    i += n
                    break
            else:
                canon = None
            if canon is not None:
                continue
        w = words[i]
        out.append(NameToken(w[0], text[w[1] : w[2]], w[3], w[1], w[2]))
        i += 1
    return out


def _by_end(phrases: tuple[tuple[str, ...], ...], end: int) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        index.setdefault(phrase[end], []).append(phrase)
    return {k: tuple(v) for k, v in index.items()}


_LEGAL_BY_FIRST = _by_end(LEGAL_ANYWHERE, 0)
_LEGAL_WORDS = frozenset(w for p in (*LEGAL_ANYWHERE, *LEGAL_AT_END, *LEGAL_AT_START) for w in p)
_PHRASE_WORDS = frozenset(
    w for p in (*LEGAL_ANYWHERE, *LEGAL_AT_END, *LEGAL_AT_START, *SYNONYMS) if len(p) > 1 or p in LEGAL_AT_END
    or p in LEGAL_AT_START or p in LEGAL_ANYWHERE for w in p
)  # fmt: skip
"""Words that start, end or belong to a legal form or a business-word phrase: only names holding one can
change when normalised again."""
_LEGAL_END_BY_LAST = _by_end(LEGAL_AT_END, -1)
_SYN_FIRST = frozenset(k[0] for k in SYNONYMS)


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> NormalisedName:
    """Normalise a company or person name into canonical tokens, recording what was removed or rewritten.

    Idempotent on its own output: `normalise_name(normalise_name(x).text).text == normalise_name(x).text`.
    """
    text = unicodedata.normalize("NFKC", name)
    raw: list[_Raw] = []
    legal: list[str] = []
    joined: list[str] = []
    translated: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "han":
            raw.extend(_han_tokens(m.group(), m.start(), legal, translated))
        elif m.lastgroup == "amp":
            raw.append(("and", m.start(), m.end(), False))
        else:
            folded = _fold_latin(m.group())
            if "-" in folded:
                folded = folded.replace("-", "")
                joined.append(m.group())
            if folded:
                raw.append((folded, m.start(), m.end(), False))
    current = _join_initials(raw, text)
    spaced: list[NameToken] = []
    tokens: list[NameToken] = []
    for _ in range(4):  # to a fixed point: dropping "del" from "Import del Export" makes a phrase again
        step = _canonical(_join_initials(_strip_legal(current, text, legal), ""), text)
        spaced = spaced or step  # letters left apart by a comma ("A, B") join in the second call
        tokens = _join_letters([t for t in step if t.text not in STOP_WORDS] or step)
        if len(tokens) == len(step) and _PHRASE_WORDS.isdisjoint(t.text for t in tokens):
            break  # nothing dropped or joined, no word that could start a phrase: already a fixed point
        again = [(t.text, t.start, t.end, t.han) for t in tokens]
        if [w[0] for w in again] == [w[0] for w in current]:
            break
        current = again
    words = tuple(t.text for t in tokens)
    legal_key = tuple("".join(c for c in f.casefold() if c.isalnum()) for f in legal)
    return NormalisedName(
        name, tuple(tokens), tuple(legal), tuple(joined), tuple(translated), words, " ".join(sorted(words)),
        tuple(t.text for t in spaced), legal_key,
    )  # fmt: skip


_VOWELS = frozenset("aeiouy")
PART_MAP: dict[str, str] = {
    **{k[0]: v for k, v in SYNONYMS.items() if len(k) == 1},
    **{w: "" for w in STOP_WORDS},
    **{p[0]: "" for p in LEGAL_ANYWHERE if len(p) == 1},
}
"""Words a glued token may contain beside listed words: business words (read canonically), stop words
and legal forms (dropped): "SERVICIOSadministrativos" -> service administrativos, "ERJMlimited" -> erjm."""


def split_into(token: str, vocabulary: Container[str], max_parts: int = 4) -> tuple[str, ...] | None:
    """Split a token into 2..max_parts words of `vocabulary` ("wuhanshuokang" -> ("wuhan", "shuokang")).

    Fewest parts win; each part has at least two letters, and a vowel unless it comes first ("JMproviders"
    but not "xinlo ng"). Business words, stop words and legal
    forms may be parts (`PART_MAP`: "loszetas" -> ("zetas",)). None when no split exists.
    """
    n = len(token)
    if n < 4 or token in vocabulary:
        return None
    ends = range(2, n - 1)
    if not any(token[:j] in vocabulary or token[:j] in PART_MAP for j in ends) or not any(
        token[j:] in vocabulary or token[j:] in PART_MAP for j in ends
    ):
        return None  # neither a first nor a last part: no split (the usual case, checked cheaply)
    best: dict[int, tuple[str, ...]] = {n: ()}
    for i in range(n - 2, -1, -1):
        options = [
            (token[i:j], *best[j])
            for j in range(i + 2, n + 1)
            if j in best
            and len(best[j]) < max_parts
            and (i, j) != (0, n)
            and (token[i:j] in vocabulary or token[i:j] in PART_MAP)
            and (i == 0 or not _VOWELS.isdisjoint(token[i:j]))
        ]
        if options:
            best[i] = min(options, key=len)
    found = best.get(0)
    if not found or len(found) < 2:
        return None
    kept = tuple(PART_MAP.get(p, p) for p in found if PART_MAP.get(p, p))
    if len(kept) == 1 and len(kept[0]) < 4:
        return None  # "dudan" is not "du" + "dan": a lone word left after a stop word must be long
    return kept or None


def join_into(words: tuple[str, ...], vocabulary: Container[str], max_join: int = 4) -> tuple[str, ...]:
    """Join runs of 2..max_join adjacent words that spell one word of `vocabulary` (longest run first).

    ("wu", "han", "shuo", "kang") with "wuhan" and "shuokang" known -> ("wuhan", "shuokang").
    """
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(max_join, len(words) - i), 1, -1):
            cand = "".join(words[i : i + n])
            if cand in vocabulary:
                out.append(cand)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def has_han(text: str) -> bool:
    """True when the text contains Chinese characters."""
    return any(is_cjk(c) for c in text)
