"""Watchlist files: OFAC SDN as published, OpenSanctions FollowTheMoney lines, a simple CSV; nothing lost."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from precwatch.core.parties.watchlist import Watchlist
from precwatch.io.watchlists import (
    WatchlistError,
    detect_watchlist_format,
    load_watchlists,
    read_watchlist,
    read_watchlists,
    sdn_remarks,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests/data/watchlists"
EXCERPT = DATA / "ofac-sdn-2024-05-03-excerpt.csv"
AGENCY = DATA / "agency-list.csv"
FTM = DATA / "opensanctions-sample.ftm.jsonl"
FULL_SDN = ROOT.parent / "shared/reference/ofac-sdn-2024-05-03.csv"
DRUGS = "ILLICIT-DRUGS-EO14059"
needs_full_sdn = pytest.mark.skipif(
    not FULL_SDN.exists(), reason="shared/reference is not beside this checkout"
)


def test_formats_are_detected_by_extension_and_content() -> None:
    assert detect_watchlist_format(str(EXCERPT)) == "ofac-sdn"
    assert detect_watchlist_format(str(AGENCY)) == "csv"
    assert detect_watchlist_format(str(FTM)) == "ftm"


def test_ofac_excerpt_every_row_is_an_entry() -> None:
    f = read_watchlist(str(EXCERPT))
    assert f.format == "ofac-sdn" and f.records == len(f.entries) == 453  # 293 drug-program rows + 160 others
    assert Counter(e.schema for e in f.entries) == {
        "LegalEntity": 162,
        "Person": 211,
        "Vessel": 40,
        "Airplane": 40,
    }
    assert sum(DRUGS in e.program.split(";") for e in f.entries) == 293
    by_id = {e.id: e for e in f.entries}
    atun = by_id["ofac-sdn-32313"]
    assert (atun.name, atun.aliases, atun.country, atun.program) == (
        "HEBEI ATUN TRADING CO., LTD.", ("HBATUN",), "CN", DRUGS,
    )  # fmt: skip
    assert atun.source == "OFAC SDN 2024-05-03"
    mayo = by_id["ofac-sdn-7226"]
    assert mayo.schema == "Person" and mayo.country == "MX" and mayo.aliases == ("El Mayo", "Mayo")
    assert mayo.program == f"SDNTK;{DRUGS}"
    assert by_id["ofac-sdn-45393"].country == "HK"  # Registration Number 2956172 (Hong Kong)
    assert by_id["ofac-sdn-11440"].aliases == ("MEXICAN FEDERATION", "GUADALAJARA CARTEL")  # f.k.a.
    assert "453 records, 453 entries" in f.summary()


def test_sdn_remarks() -> None:
    remarks = (
        "DOB 1948; POB Sinaloa, Mexico; nationality Mexico; Gender Male; a.k.a. 'El Mayo'; a.k.a. 'Mayo'."
    )
    assert sdn_remarks(remarks) == (("El Mayo", "Mayo"), "MX")
    assert sdn_remarks("Passport 83860 (Sudan); a.k.a. ''ABD-AL-'IZ'; a.k.a. 'ABU YASIR'.") == (
        ("'ABD-AL-'IZ", "ABU YASIR"), "SD",
    )  # fmt: skip
    assert sdn_remarks("Company Number 1311429 (Hong Kong).") == ((), "HK")
    assert sdn_remarks("") == ((), None)


def test_agency_csv() -> None:
    f = read_watchlist(str(AGENCY))
    assert [e.country for e in f.entries] == ["CN", "CN", "MX", "HK", "CA"]
    first = f.entries[0]
    assert first.aliases == ("湖北某某化工有限公司", "Moumou Chem") and first.source == "Agency list 2024-06"
    assert f.entries[1].aliases == ("武汉硕康生物科技有限公司", "Wuhan Shuokang Biotech")
    assert f.entries[3].source == "agency-list.csv" and f.entries[3].id == "agency-list-5"


def test_opensanctions_parties_load_and_the_rest_is_counted() -> None:
    f = read_watchlist(str(FTM))
    assert f.records == 7 and len(f.entries) == 4  # 4 parties + 3 skipped = 7 records
    assert f.skipped == {"Sanction (not a party)": 1, "Vessel (not a party)": 1, "Address (not a party)": 1}
    by_id = {e.id: e for e in f.entries}
    assert by_id["NK-atun"].program == DRUGS and by_id["NK-atun"].country == "CN"
    assert by_id["NK-yip"].schema == "Person" and by_id["NK-yip"].country == "CN"
    assert by_id["NK-sinaloa"].aliases == ("MEXICAN FEDERATION", "GUADALAJARA CARTEL")
    assert by_id["NK-sinaloa"].program == "crime.traffick.drug;sanction"
    assert by_id["NK-meixun"].aliases == ("Yantai Meixun Trade Co., Ltd.",)
    assert by_id["NK-meixun"].source == "us_ofac_sdn;eu_fsf"
    assert "skipped 1 Address (not a party), 1 Sanction (not a party), 1 Vessel (not a party)" in f.summary()


def test_load_several_files_into_one_watchlist() -> None:
    wl = load_watchlists([str(AGENCY), str(FTM)])
    assert isinstance(wl, Watchlist) and len(wl) == 9
    (hit,) = wl.match("湖北某某化工有限公司", "CN")
    assert hit.entry.id == "agency-list-2" and hit.score == 1.0
    assert [h.entry.id for h in wl.match("Yantai Mei Xun Trading Company Limited", "CN")] == ["NK-meixun"]
    assert [h.entry.id for h in wl.match("Wuhan Shuokang Biotech Co Ltd", "CN")] == ["agency-list-3"]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "a.csv",
            "name,aliases,country\nAcme Ltd,,Atlantis\n",
            "a.csv:2: country: unknown country 'Atlantis'",
        ),
        ("b.csv", "name,aliases,country\n,,CN\n", "b.csv:2: name: empty"),
        ("c.csv", "name,aliases,country\nAcme,x\n", "c.csv:2: row: expected 3 fields, found 2"),
        ("d.csv", "alias,country\nAcme,CN\n", "d.csv:1: unrecognised watchlist"),
        (
            "e.csv",
            '36,"AEROCARIBBEAN",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n37,"X",-0- ,"CUBA"\n',
            "e.csv:2: row: expected 12 fields, found 4",
        ),
        (
            "f.csv",
            '36,-0- ,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n',
            "f.csv:1: SDN_Name: empty",
        ),
        (
            "g.csv",
            '36,"X","ship","CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n',
            "g.csv:1: SDN_Type: unknown type 'ship'",
        ),
        (
            "h.jsonl",
            '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n{"id": \n',
            "h.jsonl:2: json: ",
        ),
        (
            "i.jsonl",
            '{"id": "a", "schema": "Company", "properties": {"alias": ["A"]}}\n',
            "i.jsonl:1: properties.name: a party without a name",
        ),
        ("j.jsonl", '{"id": "a", "properties": {"name": ["A"]}}\n', "j.jsonl:1: schema: missing"),
        (
            "k.jsonl",
            '{"id": "a", "schema": "Person", "properties": {"name": "A", "country": [3]}}\n',
            "k.jsonl:1: properties.country: expected a list of strings",
        ),
    ],
)
def test_bad_rows_stop_the_load_naming_file_line_and_field(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(WatchlistError, match="^" + re.escape(str(tmp_path / message))):
        load_watchlists([path])


def test_the_same_id_twice_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "x.jsonl", '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n')
    with pytest.raises(WatchlistError, match="'a' already loaded"):
        read_watchlists([path, path])


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(WatchlistError, match="cannot read"):
        load_watchlists([str(tmp_path / "nope.csv")])


@pytest.fixture(scope="module")
def sdn() -> Watchlist:
    return load_watchlists([str(FULL_SDN)])


@needs_full_sdn
def test_the_full_sdn_snapshot(sdn: Watchlist) -> None:
    f = read_watchlist(str(FULL_SDN))
    assert f.records == len(f.entries) == len(sdn) == 14965
    assert sum(DRUGS in e.program.split(";") for e in f.entries) == 293
    assert sum(len(e.aliases) for e in f.entries) > 3600  # every a.k.a./f.k.a./n.k.a. in the remarks
    assert Counter(e.schema for e in f.entries)["Vessel"] == 851


@needs_full_sdn
@pytest.mark.parametrize(
    ("query", "country", "expected"),
    [
        ("Wuhan Shuokang Biological Technology Company Limited", "CN", "ofac-sdn-41299"),
        ("武汉硕康生物科技有限公司", "CN", "ofac-sdn-41299"),
        ("Hubei Vast Chem Co Ltd", "CN", "ofac-sdn-45393"),
        ("Suzhou Xiaoli Pharma Tech Co., Ltd.", "CN", "ofac-sdn-41296"),
        ("Jinhu Minsheng Pharmaceutical Machinery Company Limited", "CN", "ofac-sdn-45308"),
        ("Hebei Guanlang Bio-Technology Co Ltd", "CN", "ofac-sdn-45380"),
        ("Yantai Yixun Intl Trading Co", "CN", "ofac-sdn-41382"),
        ("Sumilab SA de CV", "MX", "ofac-sdn-41896"),
        ("Valerian Laboratories Inc", "CA", "ofac-sdn-45314"),
        ("Mexpacking", "MX", "ofac-sdn-42026"),
        ("Cartel de Jalisco Nueva Generacion", None, "ofac-sdn-17671"),
    ],
)
def test_variants_of_real_drug_program_names_match_the_full_list(
    sdn: Watchlist, query: str, country: str | None, expected: str
) -> None:
    hits = sdn.match(query, country)
    assert hits and hits[0].entry.id == expected, [h.explanation for h in hits]


@needs_full_sdn
@pytest.mark.parametrize(
    "query",
    ["China Chemical Co Ltd", "Hubei Jinxiang Biotechnology Co., Ltd.", "Wuhan Trading Company",
     "Comercializadora Rio Bravo SA de CV", "Garcia Trading SA de CV", "Shanghai Import & Export Co Ltd"],
)  # fmt: skip
def test_look_alikes_do_not_match_the_full_list(sdn: Watchlist, query: str) -> None:
    assert sdn.match(query, "CN") == []
