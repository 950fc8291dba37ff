"""Positions in a text with some characters deleted, mapped back to the text (and forth) without building a
list of every character: the text is split into runs of kept and deleted characters (one `re.split`), and a
position is found among the runs by bisection.

The name scans run over a separator-free copy of a text (`compact`, or the gate's `folded`); a hit there has
to be placed in the text itself before it is reported or tested as a whole word.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from precwatch.core.normalise import SEPARATORS


def deleted_runs(deleted: str) -> re.Pattern[str]:
    """The splitter `KeptRuns` needs for a set of deleted characters (a capturing group of runs of them)."""
    return re.compile("([" + re.escape(deleted) + "]+)")


_SEPARATOR_RUNS = deleted_runs(SEPARATORS)


def compact_runs(text: str) -> KeptRuns:
    """The runs of the characters `compact` keeps (separators deleted)."""
    return KeptRuns(text, _SEPARATOR_RUNS)


class KeptRuns:
    """The kept characters of `text` (those the `splitter` from `deleted_runs` does not match), as runs.

    `at(k)` is the index in `text` of kept character `k` (what `compact_positions(text)[k]` is for the
    separators); `count(p)` is how many kept characters lie before text index `p`."""

    __slots__ = ("lengths", "offsets", "starts")

    def __init__(self, text: str, splitter: re.Pattern[str]) -> None:
        parts = splitter.split(text)  # kept, deleted, kept, ..., kept: an odd count, the kept ones may be ""
        bounds = list(accumulate(map(len, parts), initial=0))
        self.starts = bounds[0::2]
        """Where each kept run starts in the text."""
        self.lengths = list(map(len, parts[0::2]))
        self.offsets = list(accumulate(self.lengths, initial=0))
        """How many kept characters come before each run."""

    def at(self, k: int) -> int:
        """The text index of kept character `k` (0 <= k < the number of kept characters)."""
        j = bisect_right(self.offsets, k) - 1  # the last run starting at or before k: a non-empty one
        return self.starts[j] + k - self.offsets[j]

    def count(self, p: int) -> int:
        """How many kept characters lie before text index `p` (0 <= p <= len(text))."""
        j = bisect_right(self.starts, p) - 1
        return self.offsets[j] + min(p - self.starts[j], self.lengths[j])


def ascii_at(raw: bytes, k: int, deleted: bytes) -> int:
    """`KeptRuns(text).at(k)` for an ASCII `text` given as bytes, `deleted` its deleted characters, found
    without building the runs (cheaper for a short text and a few positions; each step is linear in `k`).

    The answer p is the least position with p = k + (deleted characters in text[:p + 1]); starting from k
    and applying that right-hand side climbs to it, each step adding the deleted characters it passed."""
    p = k
    while True:
        q = k + p + 1 - len(raw[: p + 1].translate(None, deleted))
        if q == p:
            return p
        p = q
