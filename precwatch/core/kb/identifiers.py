"""Chemical identifiers: CAS Registry Numbers in every form vendors write them, and HS codes.

A CAS RN is 2-7 digits, 2 digits and a check digit ("79099-07-3"). The check digit is the sum of the other
digits, each multiplied by its position counted from the right, modulo 10; it catches every single-digit
typo, so a repaired or reformatted number that passes it is very unlikely to be an accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")

# Letters vendors put for digits inside numbers (after case folding): o->0, i/l/|->1.
_CONFUSABLE_DIGITS = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1"})
_D = r"(?:[0-9]|(?<![a-hj-km-np-z])[oil|](?![a-hj-km-np-z]))"
_SEP = r"[-_./\\~=·:]"
_CAS_TEXT_RE = re.compile(
    rf"(?P<g1>{_D}(?: ?{_D}){{1,6}})[ \t]*(?P<s1>{_SEP}|[ \t])?[ \t]*(?P<g2>{_D} ?{_D})"
    rf"[ \t]*(?P<s2>{_SEP}|[ \t])?[ \t]*(?P<g3>{_D})(?![0-9])"
)
_DIGITS_ONLY_MIN, _DIGITS_ONLY_MAX = 5, 10
_MAYBE_CAS = re.compile(rf"{_D}[ \t]*(?:{_SEP}|[ \t])[ \t]*{_D}|\d{{5}}")
"""Cheap pre-check: every CAS form has two digits around a separator, or five digits in a row."""
_CAS_CUE = r"(?<![a-z])cas(?:[ \t\-_.]*(?:no|nr|number|rn|reg|registry|n°|#|号|編號|编号)\.?)?[ \t]*[.:#：=\-]?[ \t]*"
_PARTIAL_RE = re.compile(_CAS_CUE + r"(?P<g1>\d{3,7})(?:-(?P<g2>\d{2}))?(?![0-9])(?![ \t]*[-_.][ \t]*\d)")
_CUE_BEFORE_RE = re.compile(
    r"(?<![a-z])cas(?:[ \t\-_.]*(?:no|nr|number|rn|#|号)\.?)?[ \t]*[.:#：=\-]?[ \t]*$"
)


def cas_check_digit(body: str) -> int:
    """The check digit for the digits of a CAS RN without its last digit."""
    return sum((i + 1) * int(d) for i, d in enumerate(reversed(body))) % 10


def is_valid_cas(cas: str) -> bool:
    """True when `cas` is a well-formed CAS RN ("NNNNNNN-NN-N") whose check digit is right."""
    m = CAS_RE.match(cas)
    if not m or m.group(1).startswith("0"):
        return False
    return cas_check_digit(m.group(1) + m.group(2)) == int(m.group(3))


def format_cas(digits: str) -> str:
    """Format a bare digit string as a CAS RN ("79099073" -> "79099-07-3")."""
    return f"{digits[:-3]}-{digits[-3:-1]}-{digits[-1]}"


@dataclass(frozen=True, slots=True)
class CasCandidate:
    """A CAS-shaped number found in normalised text.

    `form`: "standard" (written correctly), "repaired" (letters for digits, odd separators or spacing),
    "digits" (no separators at all) or "partial" (first block, or first two blocks, after a "CAS" cue).
    For partial candidates `cas` holds the blocks found ("79099" or "79099-07").
    """

    cas: str
    start: int
    end: int
    form: str
    cue: bool
    repairs: str = ""


def _has_cue(text: str, start: int) -> bool:
    return _CUE_BEFORE_RE.search(text, max(0, start - 16), start) is not None


def find_cas(text: str) -> Iterator[CasCandidate]:
    """Every check-digit-valid CAS RN in normalised `text`, in any separator or confusable form.

    Numbers written without any separator must be 5-10 real digits right after a "CAS" cue. Leading confusable letters or
    space-separated digit groups that make the check fail are dropped one at a time ("col79099-07-3"),
    so a number glued to a word is still found.
    """
    if not _MAYBE_CAS.search(text):
        return
    for m in _CAS_TEXT_RE.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue
        g1 = m.group("g1")
        tail = (m.group("g2") + m.group("g3")).replace(" ", "")
        bare = m.start("g2") == m.end("g1") and m.start("g3") == m.end("g2")
        offset = 0
        while len(g1) - offset >= 2:
            head = g1[offset:].replace(" ", "")
            raw_digits = head + tail
            digits = raw_digits.translate(_CONFUSABLE_DIGITS)
            if 2 * sum(ch.isdigit() for ch in raw_digits) < len(raw_digits):
                break  # mostly letters: a word, not a disguised number
            if bare and (" " in g1[offset:] or not raw_digits.isdigit()):
                break
            if bare and not (_DIGITS_ONLY_MIN <= len(digits) <= _DIGITS_ONLY_MAX):
                break
            well_formed = digits.isdigit() and not digits.startswith("0") and 2 <= len(head) <= 7
            if well_formed and cas_check_digit(digits[:-1]) == int(digits[-1]):
                start = m.start("g1") + offset
                cas = format_cas(digits)
                if not bare:
                    repairs = _describe_repairs(text[start : m.end()], cas)
                    form = "repaired" if repairs else "standard"
                    yield CasCandidate(cas, start, m.end(), form, _has_cue(text, start), repairs)
                elif _has_cue(text, start):  # bare digits are a CAS RN only when labelled as one
                    yield CasCandidate(cas, start, m.end(), "digits", True)
                break
            nxt = g1.find(" ", offset)
            if g1[offset] in "oil|":
                offset += 1
            elif nxt != -1:
                offset = nxt + 1
            else:
                break


def find_partial_cas(text: str) -> Iterator[CasCandidate]:
    """Truncated CAS numbers right after a "CAS" cue: "CAS79099", "CAS No. 125541-22"."""
    for m in _PARTIAL_RE.finditer(text):
        blocks = m.group("g1") + (f"-{m.group('g2')}" if m.group("g2") else "")
        yield CasCandidate(blocks, m.start("g1"), m.end(), "partial", True)


def _describe_repairs(raw: str, cas: str) -> str:
    notes = []
    letters = sorted({c for c in raw if c in "oil|"})
    if letters:
        notes.append("letters read as digits: " + ", ".join(f"'{c}'" for c in letters))
    if raw.translate(_CONFUSABLE_DIGITS) != cas:
        notes.append("non-standard separators or spacing")
    return "; ".join(notes)


_HS_RE = re.compile(r"^\d{4}(?:\.?\d{2}){0,3}$")


def normalise_hs(code: str) -> str | None:
    """An HS code as "NNNN.NN" (6 digits) or longer national forms kept as digits; None if malformed."""
    c = code.strip().replace(" ", "")
    if not _HS_RE.match(c):
        return None
    digits = c.replace(".", "")
    return f"{digits[:4]}.{digits[4:6]}" + (digits[6:] and f".{digits[6:]}") if len(digits) > 4 else digits
