"""Find systematic and CAS-index chemical names in free text, for a name-to-structure parser (OPSIN).

A candidate is a run of "chemical words": words built from nomenclature roots (piperid-, phenyl, oxiran-,
-carboxyl-, ...), joined by spaces or commas and by the words that CAS-index names use ("acid",
"ester", "salt", "hydrochloride"). A run becomes a candidate only when at least one word is clearly
systematic: it carries a locant ("4-oxo", "1,1-dimethylethyl", "N-phenyl", "α-acetyl", "(2S)-"), a
bracket around nomenclature, or two roots glued together ("phenylacetone", "benzeneacetic"). Ordinary
listing prose, prices, phone numbers and product codes have none of these, so they cost no OPSIN call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from precwatch.core.text.literals import Literals

_ROOTS = (
    "meth", "eth", "prop", "but", "pent", "hex", "hept", "oct", "non", "dec", "phen", "benz", "tolu", "xyl",
    "pyrid", "piperid", "piperazin", "pyrrol", "morpholin", "furan", "thiophen", "thien", "imidazol",
    "indol", "quinolin", "naphth", "oxiran", "oxetan", "dioxol", "dioxa", "oxa", "aza", "azaspiro",
    "oxo", "hydroxy", "amino", "anilin", "amid", "amin", "carbox", "carbon", "carbam", "acet", "formyl",
    "acryl", "glycid", "fluor", "chlor", "brom", "iod", "nitro", "cyano", "nitril", "sulfon", "sulfin",
    "phosph", "hydro", "cyclo", "spiro", "isopropyl", "tert", "sec-", "vinyl", "allyl", "benzyl", "ketone",
    "anhydride", "ylidene", "yl", "oate", "oic", "ine",
)  # fmt: skip
_ROOT = re.compile("|".join(sorted(_ROOTS, key=len, reverse=True)), re.IGNORECASE)
_ROOT_WORDS = Literals(_ROOTS, use_hyperscan=False)
"""The roots, for one word at a time (Hyperscan's set-up per call costs more than a short word's scan)."""
_STRONG_ROOTS = (
    "piperid", "phenyl", "benz", "oxiran", "dioxol", "pyrid", "propan", "butan", "pentan", "methyl", "ethyl",
    "propyl", "butyl", "amino", "anilin", "carbox", "carbam", "acet", "oxo", "hydroxy", "fluoro", "chloro",
    "bromo", "iodo", "nitro", "cyano", "amide", "amine", "oate", "oic", "one",
)  # fmt: skip
"""Roots of a clearly systematic word ("one" only at a word's end: a ketone)."""
_STRONG_ROOT = re.compile("|".join(_STRONG_ROOTS[:-1]) + "|one\\b", re.IGNORECASE)
_LOCANT = re.compile(
    r"(?:^|[\s(\[,\-])(?:\d+[a-z]?'?(?:,\d+[a-z]?'?)*|[NOS](?:,[NOS])*'?|[αβγδωabgd]|\([RSEZrsez0-9,]+\)|"
    r"[RSEZ](?:,[RSEZ])?)-(?=[A-Za-z(\[α-ω])|-\d",
)
_CONNECTORS = frozenset(
    [
        "acid",
        "ester",
        "esters",
        "salt",
        "salts",
        "hydrochloride",
        "dihydrochloride",
        "hydrobromide",
        "hydrate",
        "monohydrate",
        "sulfate",
        "citrate",
        "tartrate",
        "oxalate",
        "fumarate",
        "maleate",
        "mesylate",
        "acetate",
        "sodium",
        "potassium",
        "anhydride",
    ]
)
_WORD = re.compile(r"[^\s;:!?\"“”。，；：]+")
_TRIM = " \t\r\n,.;:!?\"'“”()[]"


_WORDS_KEPT = 1 << 16
"""Words whose `_is_chemical` and `_is_strong` answers are remembered (pure functions of the word; listings
repeat their words: "phone", "acetate", "benzoate")."""


@dataclass(frozen=True, slots=True)
class NameCandidate:
    """A span of the text that may be a systematic name; `name` is the text to send to the parser."""

    start: int
    end: int
    name: str


@lru_cache(maxsize=_WORDS_KEPT)
def _is_chemical(word: str) -> bool:
    """A word built from nomenclature roots: four characters or more, a root, no more digits than letters,
    not an address (the cheapest tests first)."""
    core = word.strip(_TRIM)
    if len(core) < 4 or not _has_root(core) or "@" in core or "http" in core.lower():
        return False
    return sum(c.isdigit() for c in core) <= sum(c.isalpha() for c in core)


def _has_root(word: str) -> bool:
    """Whether `word` holds a nomenclature root (`_ROOT`, case-insensitive): for an ASCII word, the roots
    looked for in its lower case in one automaton pass; for any other word, the pattern (whose
    case-insensitive matching also reads the Kelvin sign as k, the long s as s, dotless i as i)."""
    if word.isascii():
        return bool(_ROOT_WORDS.find(word.lower()))
    return _ROOT.search(word) is not None


@lru_cache(maxsize=_WORDS_KEPT)
def _is_strong(word: str) -> bool:
    core = word.strip(" ,.;:")
    if not _STRONG_ROOT.search(core):
        return False
    if _LOCANT.search(core) or (("(" in core or "[" in core) and _has_root(core)):
        return True
    return len({m.group(0).lower() for m in _STRONG_ROOT.finditer(core)}) >= 2


def _may_hold_a_strong_word(text: str) -> bool:
    """A cheap necessary condition for `find_name_candidates` to find anything: some word (as `_WORD`
    cuts them) is strong (`_is_strong`). A strong word holds a strong root, so only the words around the
    strong roots found in the text are looked at, each within a window of `_REACH` characters either side
    (a word running past its window counts as possibly strong). Most listings and manifests hold no strong
    root, or only in ordinary words ("phone", "acetate", "calcium propionate")."""
    return _strong_word_near(text, _strong_roots(text))


def may_hold_names(texts: Sequence[str]) -> list[bool]:
    """`_may_hold_a_strong_word` of each text of a batch (`find_name_candidates` finds nothing in a text
    answered False), with the strong roots of the whole batch found in one scan of the texts in lower case
    (`Literals.find_each`): the seven texts in ten that hold no strong root cost no Python work of their
    own. A text holding NUL or a Turkish dotted or dotless i is answered alone (see `_strong_roots`)."""
    answers = [False] * len(texts)
    batch: list[int] = []
    for i, text in enumerate(texts):
        if "\x00" in text or "ı" in text or "İ" in text:
            answers[i] = _may_hold_a_strong_word(text)
        else:
            batch.append(i)
    found = _ROOT_SCANNER.find_each([texts[i].lower() for i in batch])
    for i, roots in zip(batch, found, strict=True):
        if roots:
            answers[i] = _strong_word_near(texts[i], _root_spans(texts[i], roots))
    return answers


def _strong_word_near(text: str, roots: Iterable[tuple[int, int]]) -> bool:
    """Whether a word holding one of the strong-root spans `roots` may be strong (see
    `_may_hold_a_strong_word`)."""
    for start, end in roots:
        lo, hi = max(0, start - _REACH), min(len(text), end + _REACH)
        for word in _WORD.finditer(text, lo, hi):
            if word.end() < end:
                continue
            if (word.start() == lo and lo and _WORD.match(text, lo - 1)) or (
                word.end() == hi and hi < len(text) and _WORD.match(text, hi)
            ):
                return True  # the word runs past the window: it may be strong
            if _is_strong(word.group(0)):
                return True
            break
    return False


def _strong_roots(text: str) -> Iterator[tuple[int, int]]:
    """Where the strong roots are in `text` (every word holding one holds one of these spans): every
    occurrence of each root in the text in lower case ("one" only at a word's end), found in one pass.
    Lower case is what `_STRONG_ROOT`'s case-insensitive matching compares, with the same positions,
    except around the Turkish dotted and dotless i (İ lowers to two characters, ı matches i): a text
    holding one of those goes through the pattern itself."""
    if "ı" in text or "İ" in text:
        for m in _STRONG_ROOT.finditer(text):
            yield m.span()
        return
    yield from _root_spans(text, _ROOT_SCANNER.find(text.lower()))


def _root_spans(text: str, found: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The spans of the strong roots `_ROOT_SCANNER` found in `text` in lower case ("one" only at a word's
    end)."""
    for end, k in found:
        root = _STRONG_ROOTS[k]
        if root == "one" and end < len(text) and _WORD_CHAR.match(text, end):
            continue
        yield end - len(root), end


_ROOT_SCANNER = Literals(_STRONG_ROOTS)
_WORD_CHAR = re.compile(r"\w")


_REACH = 64
"""Characters either side of a strong root searched for the word holding it."""


def find_name_candidates(text: str, max_candidates: int = 50) -> list[NameCandidate]:
    """Spans of `text` that look like systematic or CAS-index chemical names, in text order.

    Runs of chemical words (and CAS-index connector words inside them) with at least one clearly
    systematic word; surrounding punctuation is trimmed; spans never overlap.
    """
    if not _may_hold_a_strong_word(text):
        return []
    out: list[NameCandidate] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        while run and run[-1].group(0).strip(_TRIM).lower() in _CONNECTORS - {"acid", "ester", "anhydride"}:
            if any(_is_chemical(m.group(0)) for m in run[:-1]):
                break
            run.pop()
        if run and any(_is_strong(m.group(0)) for m in run):
            start, end = run[0].start(), run[-1].end()
            raw = text[start:end]
            lead = len(raw) - len(raw.lstrip(_TRIM))
            body = raw.strip(_TRIM)
            for o, c in ("()", "[]"):  # a leading bracket the name closes itself: "(alphaR)-alpha-..."
                if body.count(c) > body.count(o) and lead and raw[lead - 1] == o:
                    lead -= 1
                    body = o + body
            if body.count("(") > body.count(")") and raw[lead + len(body) :].startswith(")"):
                body += ")"
            if body.count("[") > body.count("]") and raw[lead + len(body) :].startswith("]"):
                body += "]"
            if body:
                out.append(NameCandidate(start + lead, start + lead + len(body), body))
        run.clear()

    for m in _WORD.finditer(text):
        word = m.group(0)
        bare = word.strip(_TRIM).lower()
        if _is_chemical(word) or (run and bare in _CONNECTORS):
            if run and text[run[-1].end() : m.start()].strip(" ,"):
                flush()
            elif run and word.startswith(("(", "[")) and text[m.start() - 1].isspace():
                flush()  # "name (other name)": a parenthesis after a space starts a new name
            run.append(m)
            if word.rstrip().endswith((".", ";")) and not word.rstrip().endswith("-."):
                flush()
        else:
            flush()
        if len(out) >= max_candidates:
            return out
    flush()
    return out[:max_candidates]


_L_LOCANT = re.compile(r"(?:(?<=^)|(?<=[\s(\[,-]))[lI](?=[,-]\S|'|\)-)")
_O_DIGIT = re.compile(r"(?<=\d)[oO](?=\d)|(?<=\d[,-])[oO](?=[,-])")


def repair_digits(name: str) -> str:
    """The name with letters typed for digits put back where a locant must be a digit: 'l' or 'I' as a
    locant ("piperidine-l-carboxylate", "l-boc") becomes 1, an 'O' between digits becomes 0. Returns the
    name unchanged when nothing looks typed for a digit."""
    return _O_DIGIT.sub("0", _L_LOCANT.sub("1", name))
