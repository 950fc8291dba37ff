"""Screening input: real CSV, JSONL and Parquet files in, rows or rejects out, nothing lost."""

from __future__ import annotations

import csv
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from precwatch.core.screening.records import DECLARATION_FIELDS, LISTING_FIELDS, Declaration, Listing
from precwatch.io import table_readers
from precwatch.io.mapping import load_mapping, parse_mapping
from precwatch.io.records import InputError, Reject
from precwatch.io.tables import parse_rows, read_raw

ROOT = Path(__file__).resolve().parents[2]
HEADER = ",".join(DECLARATION_FIELDS)


def decl(rid: str, description: str = "cotton t-shirts", quantity: str = "10", country: str = "CN") -> str:
    return f"{rid},2024-05-03,Acme Ltd,1 Road,{country},Buyer SA,2 Calle,MX,6109.10,{description},{quantity},kg,100,sea,Ningbo,Manzanillo"


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    p = tmp_path / name
    p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(p)


def items(path: str, kind: str = "declarations", **kw: Any) -> list[Any]:
    rows, _ = read_raw(path, None, kind=kind, **kw)  # type: ignore[arg-type]
    return list(parse_rows(rows, kind, path))  # type: ignore[arg-type]


def test_csv_rows_become_declarations_with_their_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "\n".join([HEADER, decl("D1"), decl("D2")]) + "\n")
    out = items(path)
    assert [(d.id, d.line) for d in out if isinstance(d, Declaration)] == [("D1", 2), ("D2", 3)]
    assert out[0] == Declaration(
        id="D1", line=2, date="2024-05-03", shipper=out[0].shipper, consignee=out[0].consignee,
        hs_code="6109.10", description="cotton t-shirts", quantity=10.0, unit="kg", value_usd=100.0,
        transport_mode="sea", port_of_loading="Ningbo", port_of_discharge="Manzanillo",
    )  # fmt: skip


def test_a_byte_order_mark_and_crlf_lines_are_handled(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "\ufeff" + "\r\n".join([HEADER, decl("D1")]) + "\r\n")
    (d,) = items(path)
    assert isinstance(d, Declaration) and d.id == "D1" and d.port_of_discharge == "Manzanillo"


def test_a_quoted_multi_line_field_keeps_the_line_where_its_record_starts(tmp_path: Path) -> None:
    text = "\n".join([HEADER, decl("D1", '"line one\nline two\nline three"'), decl("D2"), decl("D3")]) + "\n"
    out = items(write(tmp_path, "d.csv", text))
    assert [(d.id, d.line) for d in out] == [("D1", 2), ("D2", 5), ("D3", 6)]
    assert out[0].description == "line one\nline two\nline three"


def test_ragged_rows_are_rejected_naming_their_line(tmp_path: Path) -> None:
    text = (
        "\n".join([HEADER, decl("D1"), "D2,2024-05-03,too,short", decl("D3") + ",extra", decl("D4")]) + "\n"
    )
    out = items(write(tmp_path, "d.csv", text))
    rejects = [r for r in out if isinstance(r, Reject)]
    assert [(r.line, r.reason) for r in rejects] == [
        (3, "expected 16 fields, found 4"),
        (4, "expected 16 fields, found 17"),
    ]
    assert rejects[0].raw == "D2,2024-05-03,too,short"
    assert [d.id for d in out if isinstance(d, Declaration)] == ["D1", "D4"]


def test_invalid_utf8_is_rejected_naming_line_and_field(tmp_path: Path) -> None:
    content = (
        "\n".join([HEADER, decl("D1"), decl("D2", "caf\udcff")]).encode("utf-8", "surrogateescape") + b"\n"
    )
    path = write(tmp_path, "d.csv", content)
    out = items(path, encoding="utf-8")  # the encoding forced: the line it cannot decode is rejected
    (reject,) = [r for r in out if isinstance(r, Reject)]
    assert (reject.line, reject.field, reject.code) == (3, "description", "encoding")
    assert reject.reason.startswith("not valid utf-8 (byte")
    assert isinstance(out[0], Declaration)
    detected = items(path)  # not forced: the encoding is detected and no record is lost
    assert [type(r) for r in detected] == [Declaration, Declaration]


def test_a_stray_quote_loses_only_its_own_line(tmp_path: Path) -> None:
    lines = [
        HEADER,
        decl("D1"),
        decl("D2", '"unterminated'),
        decl("D3"),
        decl("D4", '"Foo, Inc"'),
        decl("D5"),
    ]
    out = items(write(tmp_path, "d.csv", "\n".join(lines) + "\n"))
    rejects = [r for r in out if isinstance(r, Reject)]
    assert [r.line for r in rejects] == [3]
    assert "malformed CSV" in rejects[0].reason and "unbalanced quote" in rejects[0].reason
    assert [(d.id, d.line) for d in out if isinstance(d, Declaration)] == [
        ("D1", 2),
        ("D3", 4),
        ("D4", 5),
        ("D5", 6),
    ]


def test_blank_lines_and_empty_padding_rows_are_no_records(tmp_path: Path) -> None:
    text = "\n".join([HEADER, decl("D1"), "", "," * 15, decl("D2")]) + "\n"
    assert [d.id for d in items(write(tmp_path, "d.csv", text))] == ["D1", "D2"]


def test_field_errors_become_rejects_with_the_row_as_json(tmp_path: Path) -> None:
    text = "\n".join([HEADER, decl("D1", quantity="12kg"), decl("D2", country="XX"), decl("")]) + "\n"
    out = items(write(tmp_path, "d.csv", text))
    assert [(r.line, i.field, i.reason) for r in out for i in r.issues] == [
        (2, "quantity", "not a number: '12kg'"),
        (3, "shipper_country", "unknown country code 'XX'"),
        (4, "id", "missing id"),
    ]
    assert [r.id for r in out] == ["D1", "D2", "line-4"]
    blank = "\n".join([HEADER, ",,,,,,,,,,5,kg,,,,"]) + "\n"
    (reject,) = items(write(tmp_path, "e.csv", blank))
    assert isinstance(reject, Reject) and reject.code == "no-id-or-text"
    assert json.loads(reject.raw)["quantity"] == "5"


def test_missing_columns_are_read_as_empty_and_common_names_are_found(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "ID,Goods Description,Exporter\nD1,x,y\n")
    rows, _ = read_raw(path, None, kind="declarations")
    assert rows.columns == {"id": "ID", "description": "Goods Description", "shipper_name": "Exporter"}
    assert "date" in rows.absent and "description" not in rows.absent
    (d,) = parse_rows(rows, "declarations", path)
    assert isinstance(d, Declaration) and (d.description, d.shipper.name) == ("x", "y")


def test_a_file_with_no_text_field_is_refused_naming_its_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "id,Exporter\nD1,y\n")
    with pytest.raises(InputError) as err:
        read_raw(path, None, kind="declarations")
    assert "no description field to screen: the fields found are: id, Exporter" in str(err.value)
    listings = write(tmp_path, "l.jsonl", '{"sku": "1", "price": 3}\n')
    with pytest.raises(InputError, match=r"no title or description field.*found are: sku, price"):
        read_raw(listings, None, kind="listings")


def test_an_empty_file_has_no_header(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty file"):
        read_raw(write(tmp_path, "d.csv", ""), None, kind="declarations")


def test_a_mapping_renames_columns_and_marks_absent_ones(tmp_path: Path) -> None:
    header = (
        HEADER.replace("shipper_name", "Exporter")
        .replace("hs_code", "HS Code")
        .replace(",port_of_loading", "")
    )
    row = decl("D1").replace(",Ningbo", "")
    path = write(tmp_path, "d.csv", f"{header}\n{row}\n")
    mapping = parse_mapping("shipper_name=Exporter, hs_code=hs code ,port_of_loading=", "declarations")
    assert mapping == {"shipper_name": "Exporter", "hs_code": "hs code", "port_of_loading": None}
    (d,) = items(path, mapping=mapping)
    assert isinstance(d, Declaration)
    assert (d.shipper.name, d.hs_code, d.port_of_loading) == ("Acme Ltd", "6109.10", None)


def test_unknown_mapping_fields_list_the_valid_ones() -> None:
    with pytest.raises(InputError) as err:
        parse_mapping("exporter=shipper_name", "declarations")
    assert "did you mean shipper_name=exporter?" in str(err.value)
    assert ", ".join(DECLARATION_FIELDS) in str(err.value)
    with pytest.raises(InputError, match="not field=column"):
        parse_mapping("hs_code")


def test_mapping_files_in_yaml_json_and_csv(tmp_path: Path) -> None:
    expected = {"shipper_name": "Exporter", "hs_code": "HS Code", "port_of_loading": None}
    yaml_file = write(tmp_path, "m.yaml", "shipper_name: Exporter\nhs_code: HS Code\nport_of_loading: null\n")
    json_file = write(tmp_path, "m.json", json.dumps(expected))
    csv_file = write(
        tmp_path, "m.csv", "field,column\nshipper_name,Exporter\nhs_code,HS Code\nport_of_loading,\n"
    )
    for path in (yaml_file, json_file, csv_file):
        assert load_mapping(path, "declarations") == expected
    with pytest.raises(InputError, match="expected an object"):
        load_mapping(write(tmp_path, "bad.yaml", "- a\n- b\n"))
    with pytest.raises(InputError, match="unknown field 'seller'"):
        load_mapping(write(tmp_path, "l.json", '{"seller": "x"}'), "declarations")


def test_the_bundled_example_mapping_reads_the_other_schema() -> None:
    mapping = load_mapping(str(ROOT / "examples/mapping_example.yaml"), "declarations")
    other = items(str(ROOT / "examples/declarations_other_schema.csv"), mapping=mapping)
    assert other and all(isinstance(d, Declaration) for d in other)
    assert all(d.shipper.name and d.description and d.shipper.country for d in other)


def test_jsonl_listings_with_bad_lines_rejected(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "L1", "title": "4-AP", "contacts": ["Wickr: x", "Telegram: @y"], "extra": 1}),
        "",
        "{not json",
        '{"id": "L2", "price": ' + "9" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
        json.dumps(["a list"]),
        json.dumps({"title": "no id"}),
        json.dumps({"id": 7, "price": 12.5}),
    ]
    out = items(write(tmp_path, "l.jsonl", "\n".join(lines) + "\n"), "listings")
    assert [(type(x).__name__, x.line) for x in out] == [
        ("Listing", 1), ("Reject", 3), ("Reject", 4), ("Reject", 5), ("Reject", 6), ("Listing", 7), ("Listing", 8),
    ]  # fmt: skip
    assert [r.reason.split(":")[0] for r in out[2:4]] == ["unreadable JSON", "unreadable JSON"]
    out = out[:2] + out[4:]
    assert out[0].contacts == ("Wickr: x", "Telegram: @y")
    assert out[1].reason.startswith("not valid JSON") and out[2].reason == "expected a JSON object, got list"
    assert (out[3].id, out[3].issues[0].field) == ("line-7", "id")
    assert (out[4].id, out[4].price) == ("7", "12.5")


def test_jsonl_keys_are_mapped(tmp_path: Path) -> None:
    path = write(
        tmp_path, "l.jsonl", json.dumps({"sku": "L1", "name": "NPP powder", "vendor": "chem"}) + "\n"
    )
    (listing,) = items(path, "listings", mapping={"id": "sku", "title": "name", "seller": "vendor"})
    assert listing == Listing(id="L1", line=1, title="NPP powder", seller="chem")


def test_parquet_rows_are_numbered_from_one_and_typed_values_accepted(tmp_path: Path) -> None:
    n = 9_000  # more than one record batch
    table = pa.table(
        {f: pa.array([None] * n, pa.string()) for f in DECLARATION_FIELDS}
        | {
            "id": pa.array([f"P{i}" for i in range(n)]),
            "hs_code": pa.array([90111] * n, pa.int64()),
            "quantity": pa.array([Decimal("12.50")] * n, pa.decimal128(10, 2)),
            "date": pa.array([__import__("datetime").date(2024, 5, 3)] * n, pa.date32()),
            "shipper_country": pa.array(["hk"] * (n - 1) + ["XX"]),
        }
    )
    path = str(tmp_path / "d.parquet")
    pq.write_table(table, path, row_group_size=5_000)
    rows, total = read_raw(path, None, kind="declarations")
    assert total == n and rows.progress.unit == "rows"
    out = list(parse_rows(rows, "declarations", path))
    assert rows.progress.done == n
    assert [x.line for x in out[:2]] == [1, 2] and out[-1].line == n
    first = out[0]
    assert isinstance(first, Declaration)
    assert (first.hs_code, first.quantity, first.date, first.shipper.country) == (
        "0901.11",
        12.5,
        "2024-05-03",
        "HK",
    )
    assert isinstance(out[-1], Declaration) and out[-1].issues[0].field == "shipper_country"


def test_parquet_schema_is_checked(tmp_path: Path) -> None:
    path = str(tmp_path / "d.parquet")
    pq.write_table(pa.table({"id": ["a"], "title": ["t"]}), path)
    with pytest.raises(InputError, match="missing column description"):
        read_raw(path, None, kind="listings", mapping={"description": "body"})
    with pytest.raises(InputError, match="not a readable Parquet file"):
        read_raw(write(tmp_path, "bad.parquet", "PAR1 not really"), None, kind="listings")


def test_standard_input_is_read_and_its_format_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (json.dumps({"id": "L1", "title": "t"}) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    rows, total = read_raw("-", None, kind="listings")
    assert total is None
    (listing,) = parse_rows(rows, "listings", "<stdin>")
    assert isinstance(listing, Listing) and listing.id == "L1"


def test_progress_counts_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "\n".join([HEADER, decl("D1"), decl("D2")]) + "\n")
    rows, total = read_raw(path, None, kind="declarations")
    assert total == Path(path).stat().st_size
    list(rows)
    assert rows.progress.done == total


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_raw(str(tmp_path / "nope.csv"), None, kind="declarations")


def test_the_example_declarations_lose_nothing() -> None:
    path = str(ROOT / "examples/declarations_screen.csv")
    with open(path, encoding="utf-8", newline="") as f:
        records = sum(1 for _ in csv.reader(f)) - 1
    out = items(path)
    parsed = [x for x in out if isinstance(x, Declaration)]
    rejects = [x for x in out if isinstance(x, Reject)]
    assert records == len(parsed) + len(rejects)
    assert rejects == []
    issues = {i.field for d in parsed for i in d.issues}
    assert issues == {"value_usd", "consignee_country", "id"}


_cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.booleans(), _cell, st.sampled_from(["12", "1,200.5", "x", "-1", ""])), max_size=25)
)
def test_every_record_read_is_parsed_or_rejected(tmp_path: Path, rows: list[tuple[bool, str, str]]) -> None:
    """read = parsed + rejected, each id exactly once, whatever the text (quotes, newlines, commas...)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(LISTING_FIELDS)
    ids = []
    for i, (has_id, text, price) in enumerate(rows):
        rid = f"R{i}" if has_id else ""
        ids.append(rid)
        w.writerow([rid, text, text, "seller", text, price, "", "2024-01-01"])
    path = write(tmp_path, "l.csv", buf.getvalue())
    out = items(path, "listings")
    assert len(out) == len(rows)
    for x, rid, (_, text, _) in zip(out, ids, rows, strict=True):
        if rid:
            assert isinstance(x, Listing) and x.id == rid
        elif text.strip():
            assert isinstance(x, Listing) and x.id == f"line-{x.line}"
        else:
            assert isinstance(x, Reject) and x.code == "no-id-or-text"


def test_the_example_listings_parse() -> None:
    out = items(str(ROOT / "examples/listings_screen.jsonl"), "listings")
    assert len(out) == 15 and all(isinstance(x, Listing) for x in out)
    assert out[0].contacts == ("Wickr: gdchem88", "Telegram: @gdchem88")


def test_an_over_long_line_is_rejected_and_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_readers, "MAX_LINE_BYTES", 200)
    long_row = decl("D2", "x" * 500)
    out = items(write(tmp_path, "d.csv", "\n".join([HEADER, decl("D1"), long_row, decl("D3")]) + "\n"))
    assert [type(x).__name__ for x in out] == ["Declaration", "Reject", "Declaration"]
    assert (out[1].line, out[1].reason) == (3, "line 3 is longer than 200 bytes")
    assert out[1].raw.startswith("D2,2024-05-03") and out[2].line == 4
    lines = [json.dumps({"id": "L1", "title": "x" * 500}), json.dumps({"id": "L2", "title": "t"})]
    out = items(write(tmp_path, "l.jsonl", "\n".join(lines) + "\n"), "listings")
    assert [(type(x).__name__, x.line) for x in out] == [("Reject", 1), ("Listing", 2)]


def test_spanish_and_chinese_column_names_are_found(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.csv",
        "Folio,Fecha,Remitente,País de origen,Destinatario,Fracción arancelaria,Descripción de la mercancía,"
        "Cantidad,Valor dólares,Valor aduana\nP1,2024-05-03,A,CN,B,2933.39,x,1,5,90\n",
    )
    rows, _ = read_raw(path, None, kind="declarations")
    assert rows.columns == {
        "id": "Folio", "date": "Fecha", "shipper_name": "Remitente", "shipper_country": "País de origen",
        "consignee_name": "Destinatario", "hs_code": "Fracción arancelaria",
        "description": "Descripción de la mercancía", "quantity": "Cantidad", "value_usd": "Valor dólares",
    }  # fmt: skip
    listing = write(tmp_path, "l.csv", "标题,描述,卖家,联系方式,价格,链接\nt,d,s,c,1,u\n")
    rows, _ = read_raw(listing, None, kind="listings")
    assert rows.columns == {
        "title": "标题", "description": "描述", "seller": "卖家", "contacts": "联系方式", "price": "价格", "url": "链接",
    }  # fmt: skip
