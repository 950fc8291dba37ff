"""The comparison key of a fentanyl-analogue name: the spellings that denote one structure get one key.

Analogue names are written many ways. `analogue_key` folds the variants that do not change the structure:

- ring locants: ``p-``/``para``/``4-`` (and 对), ``o-``/``ortho``/``2-`` (邻), ``m-``/``meta``/``3-`` (间) before
  a ring substituent;
- acyl spellings: butyr/butyryl/butiril, isobutyr/isobutyryl, valer/valeryl/pentanoyl, acryl/acryloyl/acriloil,
  acetil/acetyl and the Spanish forms of the usual substituent words (fluoro, metoxi, metil, furanil...);
- the stem: fentanyl, fentanil, fentanilo, fentanyle; Greek letters spelled out (alpha-methyl, α-methyl);
- spacing, hyphens and brackets (as `name_key` does);
- leading stereo descriptors: (±)-, (+)-, (-)-, cis-, trans-, rac-, dl-, (R)-, (S)-, (3R,4S)-, 顺式, 反式, 外消旋.
  They name an isomer of the same constitution; `stereo_prefix` returns them so the match can say so.

Only names built on the fentanyl stem are folded (`has_stem`); every other name keeps its `name_key`, so the
key never merges two substances that `name_key` keeps apart (a test checks every pair of knowledge-base
names). What the key does not fold is meaningful: a locant that is missing ("fluorofentanyl") or another
acyl or ring group ("thienyl" vs "phenyl") gives another key.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from precwatch.core.normalise import compact, name_key, normalise

LATIN_STEM = re.compile(r"fentan[yi]l(?:[oe](?![a-z]))?")
"""The fentanyl stem as it ends an English, INN or Spanish name: fentanyl, fentanil, fentanilo, fentanyle."""
CJK_STEM = "芬太尼"

_STEREO = re.compile(
    r"^(?:\(\s*(?:±|\+\s*/\s*-|\+|-|[rs]|rs|sr|[ez]|\d+[rs](?:\s*,\s*\d+[rs])*|[rs]\s*,\s*[rs])\s*\)"
    r"|±|\+/-|cis|trans|rac|racemic|dl|d,l|顺式|反式|外消旋|消旋)(?:\s*-\s*|\s+|(?=[(\d]))"
)
"""One stereo descriptor at the start of a name, with the hyphen or space after it."""

_SUBSTITUENT = (
    r"(?=fluor|chlor|clor|brom|iod|methyl|metil|methoxy|metoxi|ethyl|etil|nitro|hydroxy|[氟氯溴碘甲乙羟])"
)
_LOCANT_WORD = (
    (re.compile(r"(?<![a-z0-9])(?:para|p\s*-\s*|p\s+)\s*-?\s*" + _SUBSTITUENT), "4-"),
    (re.compile(r"(?<![a-z0-9])(?:ortho|o\s*-\s*|o\s+)\s*-?\s*" + _SUBSTITUENT), "2-"),
    (re.compile(r"(?<![a-z0-9])(?:meta|m\s*-\s*|m\s+)\s*-?\s*" + _SUBSTITUENT), "3-"),
    (re.compile(r"^p(?=fluor|chlor|brom|iod|methyl|methoxy|nitro)"), "4-"),
    (re.compile(r"^o(?=fluor|chlor|brom|iod|methyl|methoxy|nitro)"), "2-"),
    (re.compile(r"对" + _SUBSTITUENT), "4"),
    (re.compile(r"邻" + _SUBSTITUENT), "2"),
    (re.compile(r"间" + _SUBSTITUENT), "3"),
)
"""A ring locant written as a word or letter ("p-fluoro", "para fluoro", 对氟) -> its digit."""

_SPELLINGS = (
    (re.compile(r"fentan[yi]l(?:[oe](?![a-z]))?"), "fentanyl"),
    (re.compile(r"alpha|(?<![a-z])a(?=methyl)"), "α"),
    (re.compile(r"beta|(?<![a-z])b(?=hydroxy)"), "β"),
    (re.compile(r"butyr(?:yl|il)?|butir(?:il|yl)?|butanoyl"), "butyryl"),
    (re.compile(r"valer(?:yl|il)?|pentanoyl"), "valeryl"),
    (re.compile(r"acr[yi]l(?:o[yi]l)?|acryloyl"), "acryloyl"),
    (re.compile(r"acet[yi]l"), "acetyl"),
    (re.compile(r"crotonil"), "crotonyl"),
    (re.compile(r"fluor(?!o)"), "fluoro"),
    (re.compile(r"(?:chlor|clor)(?!o)|cloro"), "chloro"),
    (re.compile(r"metoxi"), "methoxy"),
    (re.compile(r"metil"), "methyl"),
    (re.compile(r"(?<!m)etil"), "ethyl"),
    (re.compile(r"furanil"), "furanyl"),
    (re.compile(r"tetrahidro"), "tetrahydro"),
    (re.compile(r"ciclo"), "cyclo"),
    (re.compile(r"propil"), "propyl"),
    (re.compile(r"bencil"), "benzyl"),
    (re.compile(r"fenil"), "phenyl"),
    (re.compile(r"orto(?=fluor|chlor|clor|metil|methyl)"), "2"),
)
"""Spellings of one acyl or substituent group (English, INN, Spanish) -> one spelling, in compact text."""


def has_stem(normalised_name: str) -> bool:
    """Whether a normalised name is built on the fentanyl stem (Latin or Chinese)."""
    return CJK_STEM in normalised_name or LATIN_STEM.search(normalised_name) is not None


def stereo_prefix(normalised_name: str) -> tuple[str, str]:
    """Split leading stereo descriptors off a normalised name: (descriptors, rest)."""
    rest = normalised_name.lstrip()
    start = len(normalised_name) - len(rest)
    while m := _STEREO.match(rest):
        rest = rest[m.end() :]
    return normalised_name[start : len(normalised_name) - len(rest)].strip(" -"), rest


def analogue_key(name: str) -> str:
    """The key of `name`: `name_key` for names without the fentanyl stem; for the others, with stereo
    descriptors, locant words and acyl or stem spellings folded (see the module docstring).

    `analogue_key("(±)-cis-p-fluorobutyrfentanil") == analogue_key("4-fluorobutyryl fentanyl")`.
    """
    text = normalise(name).text
    if not has_stem(text):
        return name_key(name)
    _, text = stereo_prefix(text)
    for pattern, digit in _LOCANT_WORD:
        text = pattern.sub(digit, text)
    key = compact(text)
    stem = LATIN_STEM.search(key)
    cut = stem.start() if stem is not None else key.find(CJK_STEM)
    head, tail = key[:cut], key[cut:]
    for pattern, spelling in _SPELLINGS:
        head = pattern.sub(spelling, head)
    return head + LATIN_STEM.sub("fentanyl", tail, count=1)


def stem_prefix(key: str) -> str | None:
    """The part of an analogue key before its (first) Latin stem; None when it has none."""
    m = LATIN_STEM.search(key)
    return None if m is None else key[: m.start()]


NOT_ANALOGUE_PREFIXES = frozenset(
    [
        "non",
        "no",
        "not",
        "anti",
        "pro",
        "pre",
        "post",
        "de",
        "un",
        "pseudo",
        "fake",
        "faux",
        "real",
        "pure",
        "true",
        "street",
        "illicit",
        "illegal",
        "legal",
        "pharma",
        "pharmaceutical",
        "medical",
        "synthetic",
        "counterfeit",
        "ultra",
        "super",
        "mega",
        "hyper",
        "micro",
        "macro",
        "mini",
        "neo",
        "narco",
        "china",
        "chinese",
        "mexican",
        "pink",
        "blue",
        "white",
        "black",
        "grey",
        "gray",
        "red",
        "green",
        "buy",
        "sell",
        "get",
        "order",
        "cheap",
        "best",
        "top",
        "new",
        "the",
        "my",
        "your",
        "our",
        "his",
        "her",
        "all",
        "any",
        "some",
        "more",
        "less",
        "low",
        "high",
        "hq",
        "test",
        "detect",
        "sniff",
        "laced",
        "cut",
        "fent",
        "sin",
        "con",
        "contra",
        "pour",
        "und",
        "and",
        "or",
    ]
)
"""Words that modify a drug name in trade, news or harm-reduction text ("non-fentanyl", "anti-fentanyl",
"buyfentanyl" in a hashtag): never an analogue's acyl or ring group."""


def other_analogue(query: str, listed: str) -> str | None:
    """Why a word on the fentanyl stem is not a misspelling of the listed analogue name `listed` (None when it
    may be one): the misspelling search must not assign another analogue. After folding (`analogue_key`), a
    missing or other locant ("fluorofentanyl" for 4-fluorofentanyl), a group that differs by more than one
    edit ("thienyl" for "phenyl") or a modifying word ("non-fentanyl") names something else; the word is then
    left to the fentanyl-stem detector (`analogues.fentanyl_stem_names`)."""
    q = analogue_key(query)
    mine = stem_prefix(q)
    if mine is None:
        return None  # not built on the stem ("phentanyl"): an ordinary misspelling
    theirs = stem_prefix(analogue_key(listed)) or ""
    if _locants(mine) != _locants(theirs):
        return f"names other locants than '{listed}' (or none)"
    letters, other = re.sub(r"[^a-z]", "", mine), re.sub(r"[^a-z]", "", theirs)
    if letters in NOT_ANALOGUE_PREFIXES:
        return f"is the drug's name with the word '{letters}'"
    as_written = [
        re.sub(r"[^a-z]", "", p or "") for p in (stem_prefix(name_key(query)), stem_prefix(name_key(listed)))
    ]
    if min(OSA.distance(letters, other), OSA.distance(*as_written)) > 1:
        return f"names another acyl or ring group than '{listed}' ('{letters}' vs '{other}')"
    return None


_LEADING_LOCANT = {"para": "4", "ortho": "2", "meta": "3"}


def _locants(prefix: str) -> str:
    """The locant digits and Greek letters of a folded prefix, counting a leading locant word the folding did not read because
    a typo follows it ("paraclhloro")."""
    lead = next((d for w, d in _LEADING_LOCANT.items() if prefix.startswith(w)), "")
    return lead + re.sub(r"[^\dα-ω]", "", prefix)
