"""Screening: each risk rule on the records an officer would see, and the additive score."""

from __future__ import annotations

import copy

import pytest
import yaml

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.parties.entries import WatchlistEntry
from precwatch.core.parties.watchlist import Watchlist
from precwatch.core.screening.fields import declaration_from_row
from precwatch.core.screening.policy import Policy, PolicyError, policy_from_mapping
from precwatch.core.screening.records import Declaration, Listing, Party
from precwatch.core.screening.rules import DECLARATION_RULES, LISTING_RULES
from precwatch.core.screening.screener import Screener
from precwatch.io.policy import load_policy, policy_text


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="module")
def screener(kb: KnowledgeBase, policy: Policy) -> Screener:
    watch = Watchlist(
        [
            WatchlistEntry(
                "sdn-1",
                "HUBEI AMARVEL BIOTECH CO., LTD.",
                ("AMARVEL BIOTECH",),
                "CN",
                "ILLICIT-DRUGS-EO14059",
                "OFAC SDN",
                "Company",
            )
        ]
    )
    return Screener(kb, policy, watch)


def decl(description: str, hs: str | None = "2933.39", **kw: object) -> Declaration:
    base: dict[str, object] = dict(
        id="d", shipper=Party("Example Trading Co Ltd", "", "CN"), consignee=Party("Buyer SA", "", "MX"),
        hs_code=hs, description=description, quantity=25.0, unit="kg", value_usd=900.0,
        transport_mode="sea", port_of_discharge="MXVER",
    )  # fmt: skip
    base.update(kw)
    return Declaration(**base)  # type: ignore[arg-type]


def codes(screener: Screener, record: Declaration | Listing) -> list[str]:
    return [r.code for r in screener.screen(record).reasons]


def test_named_precursor_is_high_with_the_substance_and_the_destination_law(screener: Screener) -> None:
    v = screener.screen(decl("N-PHENETHYL-4-PIPERIDONE, CAS 39742-60-4", hs="2933.37"))
    assert v.level == "high" and v.score >= 70
    assert [r.code for r in v.reasons][:1] == ["controlled-substance"]
    assert "39742-60-4" in v.reasons[0].detail
    assert "destination-controls" in [r.code for r in v.reasons]
    assert v.matches and v.matches[0].substance == "npp"


def test_disguised_cas_and_stop_words_still_name_the_chemical(screener: Screener) -> None:
    v = screener.screen(decl("PHARMACEUTICAL INTERMEDIATE CAS 79O99-O7-3 25KG DRUM"))
    assert v.reasons[0].code == "controlled-substance" and "1-boc-4-piperidone" in v.reasons[0].detail
    assert "vague-description" in [r.code for r in v.reasons]
    assert "vague-hs-of-concern" not in [r.code for r in v.reasons]  # the chemical is named: not vague


def test_vague_description_under_a_precursor_heading_is_evidence(screener: Screener) -> None:
    v = screener.screen(decl("PHARMACEUTICAL INTERMEDIATE 25KG/DRUM 99% PURITY"))
    assert v.reasons[0].code == "vague-hs-of-concern"
    assert v.level in ("medium", "high")
    assert "2933.39" in v.reasons[0].detail


@pytest.mark.parametrize(
    "description",
    ["4-METHYLPIPERIDINE 99% FOR RUBBER ACCELERATOR", "4-AMINOPYRIDINE 99% (DALFAMPRIDINE API)"],
)
def test_a_precise_uncontrolled_chemical_under_2933_39_is_clear(screener: Screener, description: str) -> None:
    v = screener.screen(decl(description))
    assert (v.score, v.level, v.reasons) == (0, "none", ())


def test_vague_description_under_an_ordinary_heading_is_not_evidence(screener: Screener) -> None:
    assert screener.screen(decl("SAMPLES", hs="3926.90")).score == 0


def test_cover_load_unit_value_and_route(screener: Screener) -> None:
    v = screener.screen(
        decl(
            "CALCIUM CHLORIDE",
            hs="2827.20",
            value_usd=1500.0,
            transport_mode="express",
            port_of_discharge="MXLZC",
        )
    )
    assert codes(screener, decl("CALCIUM CHLORIDE", hs="2827.20", value_usd=10.0)) == []
    got = [r.code for r in v.reasons]
    assert got == ["unit-value", "route", "small-parcel-chemical"]
    assert "60.00 USD/kg" in v.reasons[0].detail and "MXLZC" in v.reasons[1].detail


def test_hs_code_contradicting_the_goods_or_the_chemical(screener: Screener) -> None:
    assert codes(screener, decl("COTTON T-SHIRTS MEN", hs="2933.39"))[0] == "hs-mismatch"
    assert codes(screener, decl("COTTON T-SHIRTS MEN", hs="6109.10")) == []
    assert codes(screener, decl("CALCIUM CHLORIDE ANHYDROUS", hs="2933.39"))[0] == "hs-mismatch"
    v = screener.screen(decl("NPP 1-phenethyl-4-piperidone", hs="2827.20"))
    mismatch = next(r for r in v.reasons if r.code == "hs-mismatch")
    assert "2933.37" in mismatch.detail


def test_qualifiers_alone_never_raise_a_record(screener: Screener) -> None:
    v = screener.screen(decl("LED LAMPS", hs="8539.50", transport_mode="express", port_of_discharge="MXZLO"))
    assert (v.score, v.reasons) == (0, ())


def test_destination_that_does_not_control_lowers_the_score(screener: Screener) -> None:
    to_us = screener.screen(decl("1-BENZYL-4-PIPERIDONE", consignee=Party("Lab Inc", "", "US")))
    assert "destination-does-not-control" in [r.code for r in to_us.reasons]
    to_ca = screener.screen(decl("1-BENZYL-4-PIPERIDONE", consignee=Party("Lab Inc", "", "CA")))
    assert to_ca.score > to_us.score


def test_watchlisted_shipper_under_a_variant_name(screener: Screener) -> None:
    v = screener.screen(
        decl(
            "SODIUM BICARBONATE",
            hs="2836.30",
            shipper=Party("Hubei Amarvel Bio-tech Company Limited", "", "CN"),
        )
    )
    assert v.reasons[0].code == "watchlist-party"
    assert "ILLICIT-DRUGS-EO14059" in v.reasons[0].detail and v.reasons[0].weight >= 60


def test_listing_seller_signals(screener: Screener) -> None:
    listing = Listing("L1", title="BMK powder", description="we change the name to pass customs, safe delivery to Mexico",
                      seller="Shop", contacts=("Wickr: chemfast",), price="USDT")  # fmt: skip
    got = codes(screener, listing)
    assert got[0] == "controlled-substance" and "seller-phrase" in got and "encrypted-contact" in got
    assert screener.screen(listing).level == "high"
    assert codes(screener, Listing("L2", title="Cotton socks", description="door mat", seller="x")) == []


def test_score_is_capped_and_levels_follow_the_policy(kb: KnowledgeBase, screener: Screener) -> None:
    many = decl("NPP, ANPP, 4-AP and 1-boc-4-piperidone, safe delivery", hs="2827.20", value_usd=9000.0)
    assert screener.screen(many).score == 100
    data = yaml.safe_load(policy_text())
    data["levels"] = {"high": 95, "medium": 50, "low": 5}
    strict = Screener(kb, policy_from_mapping(data))
    v = strict.screen(decl("N-PHENETHYL-4-PIPERIDONE", hs="2933.37"))
    assert v.score == 80 and v.level == "medium"  # 60 + destination 10 + route 10


def test_every_rule_explains_itself_and_has_a_weight(policy: Policy) -> None:
    weighted = {"controlled-substance", "watchlist-party", *policy.weights}
    for rule in DECLARATION_RULES + LISTING_RULES:
        assert len(rule.explanation) > 40, rule.name
        if rule.notice:  # a notice weighs nothing (data quality)
            continue
        assert set(rule.codes) <= weighted, f"{rule.name} gives a code the policy does not weigh"


def test_a_bad_side_field_is_a_data_quality_reason_and_the_substance_still_flagged(
    screener: Screener,
) -> None:
    row = {"id": "d1", "description": "1-Boc-4-piperidone 99%", "consignee_country": "Mexico City",
           "quantity": "12 kg", "hs_code": "n/a"}  # fmt: skip
    verdict = screener.screen(declaration_from_row(row, 2))
    codes = [r.code for r in verdict.reasons]
    assert verdict.level in ("high", "medium") and "controlled-substance" in codes
    quality = [r for r in verdict.reasons if r.code == "data-quality"]
    assert [r.weight for r in quality] == [0, 0]
    assert any("Mexico City" in r.detail for r in quality) and any("12 kg" in r.detail for r in quality)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("levels", "high"), "x", "'levels.high' must be an integer"),
        (("weights", "controlled-substance", "salt"), None, "'weights.controlled-substance.salt' must be"),
        (("weights",), {}, "missing key 'weights.controlled-substance'"),
        (
            ("unit_values", "ranges", "2827.20"),
            [5, 1],
            "'unit_values.ranges.2827.20' must have 0 < low < high",
        ),
        (("vague_descriptions",), ["sample", ""], "'vague_descriptions[1]' must be non-empty text"),
    ],
)
def test_policy_errors_name_the_key(path: tuple[str, ...], value: object, message: str) -> None:
    data = copy.deepcopy(yaml.safe_load(policy_text()))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(PolicyError, match=message.replace("[", r"\[").replace("(", r"\(")):
        policy_from_mapping(data)


def test_a_precursor_subheading_for_other_goods_is_a_cover(
    screener: Screener, kb: KnowledgeBase, policy: Policy
) -> None:
    v = screener.screen(decl("NPK FERTILIZER 25KG", hs="2933.37"))
    assert [r.code for r in v.reasons][:2] == ["specific-hs-subheading", "hs-mismatch"]
    assert "N-Phenethyl-4-piperidone" in v.reasons[0].detail
    assert "specific-hs-subheading" not in codes(screener, decl("NPP 1-phenethyl-4-piperidone", hs="2933.37"))
    for code, substance in policy.specific_subheadings.items():
        s = kb.by_id[substance]
        assert (s.hs_code or "").replace(".", "") == code, f"{substance}: KB says {s.hs_code}, policy {code}"


def test_reagents_to_a_home_or_an_unrelated_business(screener: Screener) -> None:
    home = decl("SODIUM BOROHYDRIDE 98% 10KG", hs="2850.00", transport_mode="express",
                consignee=Party("KEVIN MORALES", "5530 W INDIAN SCHOOL RD APT 4, PHOENIX, AZ", "US"))  # fmt: skip
    v = screener.screen(home)
    assert [r.code for r in v.reasons] == [
        "implausible-consignee",
        "route",
        "small-parcel-chemical",
        "surveillance-goods",
    ]
    assert "private person" in v.reasons[0].detail and "home address" in v.reasons[0].detail
    shop = decl(
        "ANILINE 99.5% IN IRON DRUM",
        hs="2921.41",
        consignee=Party("TALLER MECANICO HERMANOS LOPEZ", "GUASAVE", "MX"),
    )
    assert codes(screener, shop)[0] == "implausible-consignee"
    plant = decl(
        "ANILINE 99.5% IN IRON DRUM",
        hs="2921.41",
        consignee=Party("Pigmentos Industriales SA de CV", "Tlaxcala", "MX"),
    )
    assert codes(screener, plant) == []
    press = decl(
        "TDP-5 SINGLE PUNCH TABLET PRESS MACHINE",
        hs="8479.89",
        consignee=Party("DEVON PRICE", "2214 W CACTUS RD APT 118", "US"),
    )
    assert codes(screener, press)[0] == "implausible-consignee"
