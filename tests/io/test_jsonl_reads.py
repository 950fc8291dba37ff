"""JSON Lines go to orjson first (`table_readers._json_line`); what comes out, and every reject, is what the
standard library's `json` gives for the same line."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.io import texts
from precwatch.io.formats import Source
from precwatch.io.records import Reject
from precwatch.io.table_readers import _json_line, read_table
from precwatch.io.texts import read_records

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too: orjson would read those as floats
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # lone surrogates too: json writes them as \ud800 escapes, orjson refuses them
)
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)
)
_OBJECTS = st.dictionaries(st.text(max_size=8), _VALUES, max_size=5)


def _read(line: bytes, *, fast: bool = True) -> Any:
    """`_json_line` of one line; with `fast=False`, the standard-library path alone (what it was before
    orjson), the reference. A reject is compared by its field, reason, shown text and code."""
    source = Source.from_bytes(b'{"id": 1}\n', name="t.jsonl", fmt="jsonl")
    source.utf8 = fast
    got = _json_line(source, 1, line, len(line))
    return (got.field, got.reason, got.raw, got.code) if isinstance(got, Reject) else got


def _same(a: Any, b: Any) -> bool:
    """Equal, with types (1 is not 1.0 nor True) and NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


@settings(max_examples=400, deadline=None)
@given(_OBJECTS, st.booleans(), st.sampled_from(["\n", "\r\n", "", "  \n"]))
def test_objects_read_as_json_reads_them(obj: dict[str, Any], ascii_only: bool, end: str) -> None:
    line = (json.dumps(obj, ensure_ascii=ascii_only) + end).encode("utf-8", "surrogatepass")
    assert _same(_read(line), _read(line, fast=False)), line


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": 123456789012345678901234567890, "text": "x"}\n',
        b'{"id": -9223372036854775809}\n',
        b'{"id": 1e400}\n',
        b'{"id": NaN, "text": "x"}\n',
        b'{"a": "\\ud800"}\n',
        b'{"a": 1, "a": 2}\n',
        b'{"a": {"b": 123456789012345678901234567890}}\n',
        b"   \n",
        b"\xe3\x80\x80\n",  # an ideographic space alone: blank for str.strip
        b'{"a": "\t"}\n',
        b"[1, 2]\n",
        b'"text"\n',
        b'{"a": 1}{"b": 2}\n',
        b"\xef\xbb\xbf{}\n",
    ],
)
def test_edge_lines(line: bytes) -> None:
    assert _same(_read(line), _read(line, fast=False)), line


def test_invalid_utf8_is_an_encoding_reject() -> None:
    line = b'{"a": "\xed\xa0\x80"}\n'
    assert _read(line)[3] == "encoding"
    assert _same(_read(line), _read(line, fast=False))


def test_only_utf8_lines_go_to_orjson() -> None:
    data = '{"id": 1, "text": "café"}\n'
    assert Source.from_bytes(data.encode("utf-8"), name="t.jsonl", fmt="jsonl").utf8
    assert Source.from_bytes(data.encode("utf-16"), name="t.jsonl", fmt="jsonl").utf8  # transcoded to UTF-8
    given = Source("t.jsonl", encoding="cp1252", fmt="jsonl", stream=io.BytesIO(data.encode("cp1252")))
    assert not given.utf8
    raw = given.readline()
    assert _json_line(given, 1, raw, len(raw)) == {"id": 1, "text": "café"}


_FIELD_VALUES = (
    st.none()
    | st.sampled_from(["", "  ", "L1", " L2 ", "CAS 79099-07-3", "CCO"])
    | st.integers(min_value=-3, max_value=3)
    | st.floats(allow_nan=False, allow_infinity=False, width=16)
    | st.booleans()
    | st.lists(st.integers(), max_size=2)
)
_RECORD_OBJECTS = st.dictionaries(
    st.sampled_from(["id", "text", "smiles", "inchi", "molblock", "description", "note", "ID"]),
    _FIELD_VALUES,
    max_size=6,
)
_LINES = st.lists(
    _RECORD_OBJECTS.map(lambda o: json.dumps(o).encode()) | st.sampled_from([b"", b"{", b"[1]", b"nan"]),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_LINES)
def test_jsonl_records_read_as_rows_are(lines: list[bytes]) -> None:
    """`read_records` reads a JSON Lines record straight off its object; the records and rejects are the
    ones the generic row path (`read_table` rows through `_records`) gives."""
    data = b"\n".join([b'{"id": "first", "text": "x"}', *lines]) + b"\n"

    def source() -> Source:
        return Source.from_bytes(data, name="t.jsonl", fmt="jsonl")

    got = list(read_records(source()))
    resolve = texts._resolver("t.jsonl", None, "id", None, jsonl=True)
    expected = list(texts._records(read_table(source(), resolve), "t.jsonl", jsonl=True, id_column="id"))
    assert got == expected


def test_a_raw_control_character_is_named_once_with_its_column() -> None:
    field, reason, _, code = _read(b'{"id": "b", "text": "tab\there"}')
    assert (field, code) == (None, "invalid-json")
    assert reason == "not valid JSON: Invalid control character at column 25"
