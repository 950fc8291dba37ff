"""Platform boilerplate is never a vendor contact; vendors match watchlists by contact as well as by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from precwatch.core.market.boilerplate import common_contacts, is_shop_host, site_domain, vendor_contacts
from precwatch.core.market.watch import ContactWatch, contacts_in_remarks
from precwatch.core.parties.contacts import Contact, extract_contacts
from precwatch.io.watchlist_contacts import read_watchlist_contacts
from precwatch.io.watchlists import load_watchlists

ROOT = Path(__file__).resolve().parents[3]
EXCERPT = ROOT / "tests/data/watchlists/ofac-sdn-2024-05-03-excerpt.csv"
FULL_SDN = ROOT.parent / "shared/reference/ofac-sdn-2024-05-03.csv"


def test_site_domain() -> None:
    assert site_domain("https://www.made-in-china.com/x") == "made-in-china.com"
    assert site_domain("shop.alibaba.com.cn") == "alibaba.com.cn"
    assert site_domain("dir.indiamart.com") == "indiamart.com"


def test_platform_addresses_and_service_context_are_set_apart() -> None:
    text = "Contact sales@hbchem.com. Report a listing: abuse@tradehub.example; customer service +86 25 6667 7777"
    found = extract_contacts(text)
    own, dropped = vendor_contacts(found, frozenset({"made-in-china.com"}), text)
    assert [c.value for c in own] == ["sales@hbchem.com"]
    assert {why for _, why in dropped} == {"service-context"}
    own, dropped = vendor_contacts(
        [Contact("email", "service@made-in-china.com")], frozenset({"made-in-china.com"}), ""
    )
    assert own == [] and dropped[0][1] == "platform-address"


def test_a_shop_on_the_platform_is_the_seller_s() -> None:
    domains = frozenset({"made-in-china.com"})
    assert is_shop_host(Contact("url", "lianfeng.en.made-in-china.com"), domains, ("made-in-china.com",))
    assert not is_shop_host(Contact("url", "help.made-in-china.com"), domains, ("made-in-china.com",))
    assert not is_shop_host(Contact("url", "lianfengbio.com"), domains, ())


def test_contacts_common_to_many_sellers_are_the_site_s() -> None:
    pages = [([f"seller{i}"], ["email:help@site.com", f"tel:+{i}"]) for i in range(6)]
    assert common_contacts(pages) == {"email:help@site.com"}
    assert common_contacts(pages[:3]) == frozenset()  # too few sellers to tell


def test_sdn_remarks_contacts() -> None:
    found = contacts_in_remarks(
        "Website www.atunchemical.com; Digital Currency Address - XBT 1JPfVv5cWRLx1js9NWxg46dG2CGbeRz4th; "
        "Phone Number 8615815351839; alt. Phone Number 867523323959; Email Address 1160437003@qq.com; "
        "alt. Digital Currency Address - XBT TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq."
    )
    assert [(c.kind, c.value) for c in found] == [
        ("url", "atunchemical.com"), ("btc", "1JPfVv5cWRLx1js9NWxg46dG2CGbeRz4th"), ("phone", "+8615815351839"),
        ("phone", "+867523323959"), ("email", "1160437003@qq.com"), ("tron", "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"),
    ]  # fmt: skip


def _watch(path: Path) -> ContactWatch:
    return ContactWatch(load_watchlists([str(path)]), read_watchlist_contacts([str(path)]))


def test_a_whatsapp_number_on_the_sdn_list_is_a_hit_by_phone() -> None:
    watch = _watch(EXCERPT)
    hits = watch.hits(["Golden Harbor Pharmtech Co., Ltd."], [Contact("whatsapp", "+8613188782935")])
    assert [(h.entry, h.name, h.via, h.value, h.score) for h in hits] == [
        ("ofac-sdn-41382", "YANTAI YIXUN INTERNATIONAL TRADE CO., LTD.", "phone", "+8613188782935", 1.0),
        ("ofac-sdn-41384", "ZHAO, Dongdong", "phone", "+8613188782935", 1.0),  # the company's listed contact
    ]
    assert watch.hits(["Golden Harbor Pharmtech Co., Ltd."], [Contact("whatsapp", "+8613188782936")]) == []


def test_names_still_match_by_name() -> None:
    hits = _watch(EXCERPT).hits(["Youli Technology Development Co Ltd"], [])
    assert hits and hits[0].via == "name" and hits[0].name == "YOULI TECHNOLOGY DEVELOPMENT CO., LTD."


@pytest.mark.skipif(not FULL_SDN.exists(), reason="shared/reference is not beside this checkout")
def test_the_full_sdn_list_gives_contacts_for_its_fentanyl_suppliers() -> None:
    watch = _watch(FULL_SDN)
    assert len(watch) > 1000
    (hit,) = watch.hits([], [Contact("phone", "+8615815351839")])[:1]
    assert hit.via == "phone" and hit.list == "OFAC SDN 2024-05-03"
    hits = watch.hits(
        [], [Contact("url", "atunchemical.com"), Contact("btc", "1JPfVv5cWRLx1js9NWxg46dG2CGbeRz4th")]
    )
    assert {(h.name, h.via) for h in hits} == {
        ("HEBEI ATUN TRADING CO., LTD.", "url"),
        ("HEBEI ATUN TRADING CO., LTD.", "btc"),
    }


def test_shop_hosts_are_sellers_but_platform_service_hosts_are_not() -> None:
    from precwatch.core.market.boilerplate import shop_host

    assert shop_host("lianfeng.en.made-in-china.com") and shop_host("hbxyz.en.alibaba.com")
    for host in (
        "www.made-in-china.com",
        "made-in-china.com",
        "dir.indiamart.com",
        "detail.1688.com",
        "m.alibaba.com",
    ):
        assert not shop_host(host), host
