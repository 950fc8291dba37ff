"""The one format table: formats, encodings and dialects, as every reader sees them."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.io.formats import FORMATS, Source, sniff_delimiter, sniff_format
from precwatch.io.records import Reject
from precwatch.io.table_readers import read_table


def test_every_format_has_extensions_and_no_extension_is_shared() -> None:
    seen = [ext for f in FORMATS for ext in f.extensions]
    assert len(seen) == len(set(seen)) and all(ext.startswith(".") for ext in seen)


def test_formats_are_sniffed_from_the_first_bytes() -> None:
    assert sniff_format(b"PAR1....") == "parquet"
    assert sniff_format(b'\xef\xbb\xbf{"id": 1}\n') == "jsonl"
    assert sniff_format(b"id;description\n1;NPP\n") == "csv"
    assert sniff_format(b"id\tdescription\n1\tNPP\n") == "tsv"
    assert sniff_format(b"just some words\n") == "text"
    assert sniff_format(b"mol\n\n\n  0  0  0\nM  END\n$$$$\n") == "sdf"


def test_delimiters() -> None:
    assert sniff_delimiter("a;b;c\n1;2,5;3\n", "csv") == ";"
    assert sniff_delimiter("a,b\n1,2\n", "csv") == ","
    assert sniff_delimiter("a,b\n", "tsv") == "\t"
    assert sniff_delimiter("a|b\n", "csv", "tab") == "\t"


def _rows(data: bytes, **kw: str) -> list[object]:
    source = Source.from_bytes(data, name="t.csv", fmt=kw.pop("fmt", None))
    return list(read_table(source, lambda found: {c: c for c in found}))


def test_encodings_are_detected_and_reported() -> None:
    for encoding, text in (("utf-16", "id,text\n1,café\n"), ("gb18030", "id,text\n1,苯乙基哌啶酮 工业级 纯度高\n"),
                           ("cp1252", 'id,text\n1,"Café crème décaféiné, qualité supérieure, livré à Montréal"\n')):  # fmt: skip
        source = Source.from_bytes(text.encode(encoding), name="t.csv", fmt="csv")
        rows = list(read_table(source, lambda found: {c: c for c in found}))
        want = text.splitlines()[1].split(",", 1)[1].strip('"')
        assert rows == [(2, {"id": "1", "text": want})], encoding
        assert source.sha256 and source.bytes_read > 0


_cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=10)


@settings(max_examples=60)
@given(
    st.lists(st.lists(_cell, min_size=3, max_size=3), max_size=15),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_any_table_is_read_back_cell_for_cell(
    rows: list[list[str]], sep: str, encoding: str, newline: str
) -> None:
    """Whatever the cells (quotes, separators, newlines), delimiter, encoding and line ends: every row comes back."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=newline)
    writer.writerow(["id", "text", "note"])
    kept = [r for r in rows if any(c.strip() for c in r)]
    writer.writerows(rows)
    source = Source.from_bytes(buf.getvalue().encode(encoding), name="t.csv", fmt="csv")
    out = list(read_table(source, lambda found: {c: c for c in found}, delimiter=sep))
    assert not [r for r in out if isinstance(r, Reject)]
    assert [list(r[1].values()) for r in out if not isinstance(r, Reject)] == kept


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("id,name\n1,Peña Núñez\n2,José María\n", "cp1252"),
        ("id,d\n1,“premium” € café crème\n", "cp1252"),
        ("id,d\n1,纯棉 工业级 哌啶酮\n", "gb18030"),
        ("id,d\n1,Łódź Gdańsk zażółć\n", "cp1250"),
        ("id,d\n1,日本語のテキストです。ありがとうございます。化学品\n", "cp932"),
    ],
)
def test_short_legacy_files_are_read_as_written(text: str, encoding: str) -> None:
    """A short Spanish or Chinese file is a near tie for the detector: the trade's encodings win it, and a
    text that only another encoding can spell keeps that one."""
    source = Source.from_bytes(text.encode(encoding), name="short.csv")
    assert source.detected
    assert source.decode(text.encode(encoding)) == text


def test_cp1252_reported_as_its_twin_still_wins_the_tie() -> None:
    """charset-normalizer names a Western European file cp1250 (cp1252 only among the encodings that read it
    alike) and puts GB18030 within the near tie when a long ASCII row fills the head: the file is cp1252, not
    a Chinese reading that turns "México" into mojibake and rejects "café" as undecodable."""
    rows = ["id,text", "1,Vendo NPP pureza 99% envío a México", "2," + "x" * 300_000, "3,café crème"]
    data = ("\r\n".join(rows) + "\r\n").encode("cp1252")
    source = Source.from_bytes(data, name="messy.csv")
    assert source.detected and codecs.lookup(source.encoding).name == "cp1252"
    assert source.decode(data) == data.decode("cp1252")
