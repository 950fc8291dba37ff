"""Watchlist matching: labelled variants that must match, look-alikes that must not, scores and explanations.

The entries are real OFAC SDN names (ILLICIT-DRUGS-EO14059, as published 2024-05-03) plus decoys that share
their cities, business words or surnames.
"""

from __future__ import annotations

import pickle

import pytest

from precwatch.core.parties.entries import WatchlistEntry
from precwatch.core.parties.watchlist import Watchlist, WatchlistHit

DRUGS = "ILLICIT-DRUGS-EO14059"
SRC = "OFAC SDN 2024-05-03"
ENTRIES = [
    WatchlistEntry("ofac-sdn-41299", "WUHAN SHUOKANG BIOLOGICAL TECHNOLOGY CO., LTD", (), "CN", DRUGS, SRC),
    WatchlistEntry("ofac-sdn-45393", "HUBEI VAST CHEMICAL CO., LIMITED", (), "HK", DRUGS, SRC),
    WatchlistEntry("ofac-sdn-32313", "HEBEI ATUN TRADING CO., LTD.", ("HBATUN",), "CN", DRUGS, SRC),
    WatchlistEntry("ofac-sdn-29897", "SHANGHAI CISHUN FINE CHEMICAL CO, LTD.", (), "CN", DRUGS, SRC),
    WatchlistEntry("ofac-sdn-45351", "XINGTAI DONG CHUANG NEW MATERIAL TECHNOLOGY CO., LTD.", (), "CN", DRUGS, SRC),
    WatchlistEntry("ofac-sdn-45348", "JIANGSU BANGDEYA NEW MATERIAL TECHNOLOGY CO., LTD.", (), "CN", DRUGS, SRC),
    WatchlistEntry("ofac-sdn-39477", "SERVICIOS ADMINISTRATIVOS FORDTWOO, S.A. DE C.V.", (), "MX", DRUGS, SRC),
    WatchlistEntry("ofac-sdn-11438", "LOS ZETAS", ("CDN", "NORTHEAST CARTEL"), None, f"SDNTK;TCO;{DRUGS}", SRC,
                   "LegalEntity"),
    WatchlistEntry("ofac-sdn-7226", "ZAMBADA GARCIA, Ismael", ("El Mayo", "Mayo"), "MX", f"SDNTK;{DRUGS}", SRC,
                   "Person"),
    WatchlistEntry("ofac-sdn-45407", "WANG, Tianmin", (), "CN", DRUGS, SRC, "Person"),
    WatchlistEntry("ofac-sdn-11528", "TREVINO MORALES, Miguel", ("40",), "MX", f"SDNTK;{DRUGS}", SRC, "Person"),
    WatchlistEntry("ofac-sdn-4238", "MAR AZUL", (), "CU", "CUBA", SRC, "Vessel"),
    # decoys: same cities and business words, other firms
    WatchlistEntry("decoy-1", "WUHAN TONGSHENG TECHNOLOGY CO., LTD.", (), "CN", "decoy", "test"),
    WatchlistEntry("decoy-2", "HUBEI GOLDEN CHEMICAL INDUSTRY CO., LTD.", (), "CN", "decoy", "test"),
    WatchlistEntry("decoy-3", "CHINA NATIONAL CHEMICAL CORPORATION", (), "CN", "decoy", "test"),
]  # fmt: skip


@pytest.fixture(scope="module")
def wl() -> Watchlist:
    return Watchlist(ENTRIES)


def ids(hits: list[WatchlistHit]) -> list[str]:
    return [h.entry.id for h in hits]


POSITIVES = [
    # legal-form swaps and punctuation
    ("Hubei Vast Chemical Company Limited", "CN", "ofac-sdn-45393"),
    ("hubei vast chemical co ltd", None, "ofac-sdn-45393"),
    ("HEBEI ATUN TRADING CO LTD", "CN", "ofac-sdn-32313"),
    ("Servicios Administrativos Fordtwoo SA de CV", "MX", "ofac-sdn-39477"),
    # business words spelt differently
    ("Wuhan Shuokang Biotech Co., Ltd.", "CN", "ofac-sdn-41299"),
    ("Shanghai Cishun Fine Chemicals Limited", "CN", "ofac-sdn-29897"),
    ("Jiangsu Bangdeya New Materials Tech Co Ltd", "CN", "ofac-sdn-45348"),
    # pinyin spacing both ways
    ("Wuhanshuokang Biological Technology", "CN", "ofac-sdn-41299"),
    ("Wu Han Shuo Kang Bio-Technology Company Limited", "CN", "ofac-sdn-41299"),
    ("Xingtai Dongchuang New Material Technology Co., Ltd.", "CN", "ofac-sdn-45351"),
    ("Jiangsu Bang De Ya New Material Technology", "CN", "ofac-sdn-45348"),
    # Chinese characters
    ("武汉硕康生物科技有限公司", "CN", "ofac-sdn-41299"),
    ("上海慈顺精细化工有限公司", "CN", "ofac-sdn-29897"),
    ("河北阿屯贸易有限公司", "CN", "ofac-sdn-32313"),
    # word order and typos
    ("Ismael Zambada Garcia", "MX", "ofac-sdn-7226"),
    ("Miguel Trevino", "MX", "ofac-sdn-11528"),  # second surname left out, as Spanish names often are
    ("Atun Hebei Trading", "CN", "ofac-sdn-32313"),
    ("Shanghai Chishun Fine Chemical", "CN", "ofac-sdn-29897"),
    ("Wuhan Shuokagn Biological Technology", "CN", "ofac-sdn-41299"),
    ("Servicios Administrativos Fordtwo S.A. de C.V.", "MX", "ofac-sdn-39477"),
    # aliases, glued stop words
    ("HBATUN", None, "ofac-sdn-32313"),
    ("Northeast Cartel", None, "ofac-sdn-11438"),
    ("Loszetas", None, "ofac-sdn-11438"),
]


@pytest.mark.parametrize(("query", "country", "expected"), POSITIVES)
def test_variants_of_listed_names_match(
    wl: Watchlist, query: str, country: str | None, expected: str
) -> None:
    hits = wl.match(query, country)
    assert hits, query
    assert hits[0].entry.id == expected
    assert 0.88 <= hits[0].score <= 1.0
    assert hits[0].query == query


NEGATIVES = [
    # generic names
    ("China Chemical Co Ltd", "CN"),
    ("Trading Company", None),
    ("Chemical Technology Co., Ltd.", "CN"),
    ("New Material Technology Co Ltd", "CN"),
    # a shared city or business word is not enough
    ("Hubei Jinxiang Chemical Co., Ltd.", "CN"),
    (
        "Wuhan Hongsheng Technology Co., Ltd.",
        "CN",
    ),  # one letter from Tongsheng, but a different first syllable
    ("Shanghai Cixing Fine Chemical Co., Ltd.", "CN"),
    ("Hebei Atlas Trading Co Ltd", "CN"),
    ("Xingtai Dongfang New Material Technology Co., Ltd.", "CN"),
    ("Servicios Administrativos del Norte SA de CV", "MX"),
    ("湖北金祥化工有限公司", "CN"),
    # companies against listed persons, short aliases, nicknames
    ("Wang Trading Co Ltd", "CN"),
    ("Garcia Import Export SA de CV", "MX"),
    ("Zambada Logistics SA de CV", "MX"),
    ("CDN Logistics Inc", None),
    ("40 Trading", "MX"),
    ("Mayo Clinic", None),  # "Mayo" is an alias of a person: a company never matches a person on one name
    ("Mar Azul", "CU"),  # a vessel is never a shipper
    ("Miguel Morales", "MX"),  # the first surname is not optional
    ("", None),
    ("Co., Ltd.", None),
]


@pytest.mark.parametrize(("query", "country"), NEGATIVES)
def test_look_alikes_do_not_match(wl: Watchlist, query: str, country: str | None) -> None:
    assert wl.match(query, country) == []


def test_explanation_says_what_was_removed(wl: Watchlist) -> None:
    (hit,) = wl.match("Hubei Vast Chemical Company Limited", "HK")
    assert hit.matched_name == "HUBEI VAST CHEMICAL CO., LIMITED"
    assert "'Company Limited'" in hit.explanation and "'CO., LIMITED'" in hit.explanation
    assert "same country HK" in hit.explanation
    assert hit.explanation.endswith(f"({hit.score:.2f})")
    (hit,) = wl.match("Wu Han Shuo Kang Bio-Technology Company Limited")
    assert "'bio-technology'" in hit.explanation and "re-spacing 'wu han' as 'wuhan'" in hit.explanation
    (hit,) = wl.match("武汉硕康生物科技有限公司")
    assert "reading Chinese" in hit.explanation and "'硕康' as 'shuokang'" in hit.explanation
    (hit,) = wl.match("Shanghai Chishun Fine Chemical")
    assert "typo in 'chishun'~'cishun'" in hit.explanation


def test_country_disagreement_lowers_and_agreement_raises(wl: Watchlist) -> None:
    name = "Hebei Atun Trading Company Limited"
    neutral = wl.match(name)[0].score
    same = wl.match(name, "CN")[0]
    other = wl.match(name, "mx", threshold=0.5)[0]
    assert same.score > neutral > other.score
    assert "declared country MX but listed for CN" in other.explanation
    related = wl.match("Hubei Vast Chemical Co Ltd", "CN")[0]  # listed in Hong Kong, declared mainland
    assert "related, neutral" in related.explanation
    assert related.score == wl.match("Hubei Vast Chemical Co Ltd")[0].score


def test_exact_names_score_higher_than_variants(wl: Watchlist) -> None:
    exact = wl.match("SERVICIOS ADMINISTRATIVOS FORDTWOO, S.A. DE C.V.")[0].score
    swapped = wl.match("Servicios Administrativos Fordtwoo Sociedad Anonima de Capital Variable")[0].score
    typo = wl.match("Servicios Administrativos Fordtwo S.A. de C.V.")[0].score
    assert exact == 1.0 and exact > swapped > typo
    assert wl.match("Hebei Atunn Trading Co., Ltd.") == []  # words under five letters must match exactly


def test_threshold_and_limit(wl: Watchlist) -> None:
    assert wl.match("Hebei Atun Trading", threshold=1.01) == []
    loose = wl.match("Hubei Golden Vast Chemical", threshold=0.3, limit=5)
    assert len(loose) <= 5 and [h.score for h in loose] == sorted((h.score for h in loose), reverse=True)
    assert len(wl.match("Hubei Golden Vast Chemical", threshold=0.3, limit=1)) == 1


def test_a_company_matches_a_person_only_by_the_full_name(wl: Watchlist) -> None:
    assert ids(wl.match("Zambada Garcia Ismael Trading SA de CV", "MX")) == ["ofac-sdn-7226"]
    assert wl.match("Tianmin Trading Co Ltd", "CN") == []


def test_len_counts_every_entry_but_only_parties_match(wl: Watchlist) -> None:
    assert len(wl) == len(ENTRIES)
    assert wl.entries == tuple(ENTRIES)


def test_results_are_memoised_and_safe_to_mutate(wl: Watchlist) -> None:
    first = wl.match("Hebei Atun Trading", "CN")
    first.clear()
    assert wl.match("Hebei Atun Trading", "CN")


def test_a_watchlist_survives_pickling() -> None:
    wl = pickle.loads(pickle.dumps(Watchlist(ENTRIES[:3])))
    assert ids(wl.match("Hubei Vast Chemical Co Ltd")) == ["ofac-sdn-45393"]


def test_an_empty_watchlist_matches_nothing() -> None:
    wl = Watchlist([])
    assert len(wl) == 0 and wl.match("Hebei Atun Trading") == []


def test_a_name_of_landscape_and_business_words_matches_only_itself() -> None:
    """Found screening generated US consignees against the full SDN list: 'Great Lakes Supply Co.' met the
    DRC-program 'GREAT LAKES BUSINESS COMPANY' at 0.94 through two common words."""
    wl = Watchlist([WatchlistEntry("sdn-x", "GREAT LAKES BUSINESS COMPANY", (), None, "DRCONGO", "OFAC SDN")])
    assert wl.match("Great Lakes Supply Co.") == []
    assert wl.match("Great Lakes Trading LLC") == []
    assert [h.entry.id for h in wl.match("Great Lakes Business Co.")] == ["sdn-x"]
