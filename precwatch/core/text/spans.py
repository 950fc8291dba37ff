"""Span look-ups that keep text identification linear in the text's length.

A long text (a 5 MB catalogue scraped as one record) holds tens of thousands of candidate spans; asking
"which other span covers this one?" by walking every span for every candidate is quadratic. The helpers
here answer those questions with sorted arrays and binary search, or with one byte per character.
Spans are half-open `(start, end)` pairs of character offsets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence


class Coverage:
    """The characters of a text covered by at least one span; spans can be added as the search goes.

    One byte per character of the text: `covers(pos)` is a single look-up whatever the number of spans."""

    __slots__ = ("_marks",)

    def __init__(self, length: int, spans: Sequence[tuple[int, int]] = ()) -> None:
        self._marks = bytearray(length + 1)
        reach = 0  # the spans merged first, so each character is marked once however much they overlap
        for start, end in sorted(spans):
            start = max(start, reach)
            if end > start:
                self._marks[start:end] = b"\x01" * (end - start)
                reach = end

    def add(self, start: int, end: int) -> None:
        """Cover [start, end)."""
        if end > start:
            self._marks[start:end] = b"\x01" * (end - start)

    def covers(self, pos: int) -> bool:
        """Whether some span holds the character at `pos`."""
        return 0 <= pos < len(self._marks) and self._marks[pos] == 1


class SortedSpans:
    """Disjoint spans sorted by start (`bisect` look-ups): which one holds a position or a span."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def index_at(self, pos: int) -> int | None:
        """The index of the span holding `pos`, None when no span does."""
        k = bisect_right(self.starts, pos) - 1
        return k if k >= 0 and pos < self.ends[k] else None

    def holding(self, start: int, end: int) -> int | None:
        """The index of the span that contains [start, end) whole (the last one starting at or before
        `start`: earlier ones end before it), None when none does."""
        k = bisect_right(self.starts, start) - 1
        return k if k >= 0 and end <= self.ends[k] else None


def first_containing(
    spans: Sequence[tuple[int, int]], queries: Sequence[tuple[int, int]]
) -> list[int | None]:
    """For each query span, the index of the first span in `spans` that contains it and is not the same
    span, or None; `spans` must be sorted by end (any order among equal ends).

    The spans ending at or after the query's end form a suffix of the list; the first of them starting at
    or before the query's start is found on a stack of suffix minima, built once from the right (so the
    whole costs O((n + q) log n) rather than n x q)."""
    ends = [e for _, e in spans]
    order = sorted(range(len(queries)), key=lambda q: queries[q][1], reverse=True)
    answers: list[int | None] = [None] * len(queries)
    stack: list[int] = []  # indices, decreasing; their starts increase from the bottom to the top
    keys: list[int] = []  # the starts of `stack`, for bisect
    i = len(spans)
    for q in order:
        qstart, qend = queries[q]
        first = bisect_left(ends, qend)  # the first span ending at or after the query's end
        while i > first:
            i -= 1
            start = spans[i][0]
            while keys and keys[-1] >= start:  # a later span starting no earlier is never the first
                stack.pop()
                keys.pop()
            stack.append(i)
            keys.append(start)
        p = bisect_right(keys, qstart) - 1
        if p < 0:
            continue
        j = stack[p]
        if spans[j] == (qstart, qend):  # the same span does not count: look further on, one by one
            j = next(
                (k for k in range(j + 1, len(spans)) if spans[k][0] <= qstart and spans[k] != (qstart, qend)),
                -1,
            )
            if j < 0:
                continue
        answers[q] = j
    return answers
