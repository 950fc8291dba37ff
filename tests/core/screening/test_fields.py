"""Row validation: every field converted as documented, every unusable field named."""

from __future__ import annotations

import datetime as dt
import importlib.resources
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.countries import COUNTRIES, country_code, is_country
from precwatch.core.screening.fields import (
    EMPTY_VALUES,
    FieldError,
    declaration_from_row,
    listing_from_row,
    parse_contacts,
    parse_country,
    parse_date,
    parse_hs,
    parse_number,
    record_from_row,
)
from precwatch.core.screening.records import DECLARATION_FIELDS, LISTING_FIELDS, Declaration, Listing, Party

ROW: dict[str, object] = {
    "id": " D1 ", "date": "2024-05-03", "shipper_name": " Hebei Sunshine Trading Co., Ltd ",
    "shipper_address": "No. 18 Huaxiang Road", "shipper_country": "cn", "consignee_name": "Quimica del Pacifico",
    "consignee_address": "Av. Juarez 120", "consignee_country": "Mexico", "hs_code": "293339",
    "description": " pharmaceutical intermediate ", "quantity": "1,200.50", "unit": "kg", "value_usd": "$3400",
    "transport_mode": "Express", "port_of_loading": "Shanghai", "port_of_discharge": "",
}  # fmt: skip


def test_a_declaration_row_is_validated_into_a_declaration() -> None:
    assert declaration_from_row(ROW, 7) == Declaration(
        id="D1",
        line=7,
        date="2024-05-03",
        shipper=Party("Hebei Sunshine Trading Co., Ltd", "No. 18 Huaxiang Road", "CN"),
        consignee=Party("Quimica del Pacifico", "Av. Juarez 120", "MX"),
        hs_code="2933.39",
        description=" pharmaceutical intermediate ",
        quantity=1200.5,
        unit="kg",
        value_usd=3400.0,
        transport_mode="express",
        port_of_loading="Shanghai",
        port_of_discharge=None,
    )


def test_only_the_id_is_required() -> None:
    assert declaration_from_row({"id": 42}, 2) == Declaration(id="42", line=2)
    assert listing_from_row({"id": "L1"}, 3) == Listing(id="L1", line=3)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("id", "  ", "missing id"),
        ("id", None, "missing id"),
        ("id", True, "expected text"),
        ("quantity", "12 kg", "not a number"),
        ("quantity", "-5", "negative"),
        ("value_usd", "1,5 USD", "not a number"),
        ("value_usd", "nan", "not a finite number"),
        ("value_usd", [1], "expected a number"),
        ("shipper_country", "XX", "unknown country code 'XX'"),
        ("consignee_country", "Narnia", "unknown country 'Narnia'"),
        ("transport_mode", "rail", "unknown transport mode 'rail'"),
        ("hs_code", "29AB.39", "malformed HS code"),
        ("hs_code", 12.5, "malformed HS code"),
        ("hs_code", -2933, "malformed HS code"),
        ("date", "03/05/2024", "not an ISO date"),
        ("date", "2024-02-30", "not an ISO date"),
        ("description", {"a": 1}, "expected text, got an object"),
    ],
)
def test_an_unreadable_field_is_an_issue_and_the_record_is_kept(
    field: str, value: object, reason: str
) -> None:
    """No record is lost to a side field: the value is kept raw as an issue naming the field and why."""
    row = dict(ROW) | {field: value}
    record = declaration_from_row(row, 5)
    (issue,) = record.issues
    assert issue.field == field
    assert reason in issue.reason
    if field == "id":
        assert record.id == "line-5"
    assert record.description.strip()


def test_only_a_record_with_neither_id_nor_text_is_refused() -> None:
    with pytest.raises(FieldError) as err:
        declaration_from_row({"id": " ", "description": " ", "quantity": "3"}, 2)
    assert err.value.field == "id"
    assert listing_from_row({"title": "NPP"}, 4).id == "line-4"


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.200,50", 1200.5), ("1,5", 1.5), ("1,500", 1500.0), ("n/a", None), ("$1,200", 1200.0)],
)
def test_locale_numbers(text: str, number: float | None) -> None:
    assert parse_number(text, "quantity") == number


def test_listing_fields_and_contacts() -> None:
    row = {
        "id": "L9", "title": " 4-AP powder ", "description": "safe delivery", "seller": "chem-king",
        "contacts": "Wickr: chemking; Telegram: @chemking | WhatsApp +86 138 0000 0000, email a@b.c",
        "price": 120, "url": "https://example.org/p/9", "captured_at": dt.datetime(2024, 5, 1, 10, 30),
    }  # fmt: skip
    listing = listing_from_row(row, 4)
    assert listing.title == "4-AP powder"
    assert listing.contacts == (
        "Wickr: chemking",
        "Telegram: @chemking",
        "WhatsApp +86 138 0000 0000",
        "email a@b.c",
    )
    assert listing.price == "120"
    assert listing.captured_at == "2024-05-01T10:30:00"
    assert parse_contacts(["a", " ", "b "]) == ("a", "b")
    assert parse_contacts("") == ()


def test_record_from_row_dispatches_on_kind() -> None:
    assert isinstance(record_from_row("declarations", {"id": "1"}, 2), Declaration)
    assert isinstance(record_from_row("listings", {"id": "1"}, 2), Listing)


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_numbers_read_back_whatever_the_formatting(x: float) -> None:
    assert parse_number(repr(x), "quantity") == x
    assert parse_number(f"{x:,.2f}", "quantity") == pytest.approx(round(x, 2))
    assert parse_number(f"$ {x:,.2f}", "value_usd") == pytest.approx(round(x, 2))
    assert parse_number(x, "quantity") == x


@given(st.integers(min_value=0, max_value=10**15))
def test_integers_with_thousands_separators(n: int) -> None:
    assert parse_number(f"{n:,}", "quantity") == float(n)
    assert parse_number(Decimal(n), "quantity") == float(n)


@given(st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False))
def test_negative_amounts_are_refused(x: float) -> None:
    with pytest.raises(FieldError, match="negative") as err:
        parse_number(str(x), "value_usd")
    assert err.value.field == "value_usd"


@given(
    st.text(alphabet="abcdfghjklmopqrstuvwxyz -/#", min_size=1).filter(
        lambda t: t.strip() and t.strip().lower() not in EMPTY_VALUES
    )
)
def test_words_are_not_numbers(text: str) -> None:
    with pytest.raises(FieldError) as err:
        parse_number(text, "quantity")
    assert err.value.field == "quantity"


def test_empty_numbers_are_none() -> None:
    assert parse_number("", "quantity") is None
    assert parse_number("  ", "quantity") is None
    assert parse_number(None, "quantity") is None


def _iso3166_tab() -> str | None:
    try:
        return (
            importlib.resources.files("tzdata.zoneinfo").joinpath("iso3166.tab").read_text(encoding="utf-8")
        )
    except (ModuleNotFoundError, FileNotFoundError):
        p = Path("/usr/share/zoneinfo/iso3166.tab")
        return p.read_text(encoding="utf-8") if p.exists() else None


def test_the_code_set_is_the_official_one() -> None:
    assert len(COUNTRIES) == 249
    tab = _iso3166_tab()
    if tab is None:
        pytest.skip("no copy of the IANA iso3166.tab on this machine to compare with")
    official = {line.split("\t")[0] for line in tab.splitlines() if line and not line.startswith("#")}
    assert set(COUNTRIES) == official


@given(st.sampled_from(sorted(COUNTRIES)), st.sampled_from([str.lower, str.upper, str.title]))
def test_every_code_is_read_in_any_case(code: str, case: object) -> None:
    written = case(code)  # type: ignore[operator]
    assert is_country(written)
    assert parse_country(f" {written} ", "shipper_country") == code


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2).filter(
        lambda c: c not in COUNTRIES
    )
)
def test_unassigned_codes_are_refused(code: str) -> None:
    if code in ("UK", "US"):  # "UK" is read as the common name of GB
        assert parse_country(code, "consignee_country") == ("GB" if code == "UK" else "US")
        return
    with pytest.raises(FieldError, match=f"unknown country code '{code}'") as err:
        parse_country(code, "consignee_country")
    assert err.value.field == "consignee_country"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("China", "CN"), ("People's Republic of China", "CN"), ("Hong Kong", "HK"), ("Hong Kong SAR", "HK"),
        ("Mexico", "MX"), ("México", "MX"), ("United States", "US"), ("USA", "US"), ("U.S.A.", "US"),
        ("United States of America", "US"), ("EE.UU.", "US"), ("UK", "GB"), ("Côte d’Ivoire", "CI"),
        ("Viet Nam", "VN"), ("Vietnam", "VN"), ("Turkey", "TR"), ("香港", "HK"), ("墨西哥", "MX"), ("india", "IN"),
    ],
)  # fmt: skip
def test_common_country_names(name: str, code: str) -> None:
    assert country_code(name) == code


def test_reserved_codes_are_not_country_codes() -> None:
    assert not is_country("UK") and not is_country("EU") and country_code("Atlantis") is None


@given(st.lists(st.integers(0, 99), min_size=2, max_size=5).map(lambda xs: "".join(f"{x:02d}" for x in xs)))
def test_hs_codes_with_or_without_dots(digits: str) -> None:
    dotted = digits[:4] + "".join("." + digits[i : i + 2] for i in range(4, len(digits), 2))
    expected = (
        digits if len(digits) == 4 else f"{digits[:4]}.{digits[4:6]}" + (digits[6:] and f".{digits[6:]}")
    )
    assert parse_hs(digits) == parse_hs(dotted) == parse_hs(f" {dotted} ") == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (901, "0901"),
        (90111, "0901.11"),
        (293339, "2933.39"),
        (2933.0, "2933"),
        (2933.39, "2933.39"),
        (901.11, "0901.11"),
        (2933.1, "2933.10"),
        (Decimal("2933.39"), "2933.39"),
        (29333999, "2933.39.99"),
    ],
)
def test_hs_codes_given_as_numbers_keep_their_leading_zero(value: object, code: str) -> None:
    assert parse_hs(value) == code


@given(
    st.text(alphabet="0123456789.", max_size=3)
    | st.text(alphabet="ABCXYZ-/ ", min_size=1).filter(
        lambda t: t.strip() and t.strip().lower() not in EMPTY_VALUES
    )
)
def test_malformed_hs_codes_are_refused(text: str) -> None:
    if not text.strip():
        assert parse_hs(text) is None
        return
    with pytest.raises(FieldError) as err:
        parse_hs(text)
    assert err.value.field == "hs_code"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_iso_dates_and_timestamps(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day.isoformat()
    assert parse_date(f"{day.isoformat()}T10:11:12Z") == day.isoformat()
    assert parse_date(day) == day.isoformat()
    assert parse_date(dt.datetime.combine(day, dt.time(1, 2))) == day.isoformat()


@pytest.mark.parametrize(
    "text", ["2024-13-01", "2024-1-01", "2024/01/01", "01-02-2024", "２０２４-01-01", "2024-01-01x"]
)
def test_dates_not_in_iso_form_are_refused(text: str) -> None:
    with pytest.raises(FieldError) as err:
        parse_date(text)
    assert err.value.field == "date"


def test_the_fields_named_are_the_schema() -> None:
    declaration = declaration_from_row({f: "" for f in DECLARATION_FIELDS} | {"id": "x"}, 1)
    assert declaration.date is None and declaration.hs_code is None and declaration.shipper == Party()


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**300, max_value=10**400)
    | st.floats() | st.decimals() | st.text(max_size=12) | st.dates() | st.datetimes(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=4,
)  # fmt: skip


@given(st.dictionaries(st.sampled_from(DECLARATION_FIELDS + LISTING_FIELDS), _json_values))
def test_any_value_gives_a_record_or_a_field_error(row: dict[str, object]) -> None:
    """Hostile input never crashes a run: the only failure is a FieldError naming a real field."""
    for kind in ("declarations", "listings"):
        try:
            record_from_row(kind, row, 1)  # type: ignore[arg-type]
        except FieldError as exc:
            assert exc.field in row or exc.field == "id"
