"""Snapshot reading: JSON-LD (@graph), microdata, plain pages, JSON Lines exports; salvage or reject."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from precwatch.io.listing_exports import read_export
from precwatch.io.records import Reject
from precwatch.io.saved_pages import read_page
from precwatch.io.snapshot_items import SnapshotError, SnapshotItem
from precwatch.io.snapshots import read_snapshot

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "examples/market"

GRAPH_PAGE = """<html><head><link rel="canonical" href="https://www.made-in-china.com/p/1.html">
<meta property="og:site_name" content="Made-in-China.com">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "Made-in-China.com", "url": "https://www.made-in-china.com",
  "publisher": {"@type": "Organization", "name": "Focus Technology", "email": "service@made-in-china.com"}},
 {"@type": "Product", "name": "NPP 99%", "description": "CAS 39742-60-4",
  "offers": {"@type": "Offer", "price": "45.00", "priceCurrency": "USD",
   "seller": {"@type": "Organization", "name": "Hubei Amarvel Biotech Co., Ltd.", "telephone": "+86 27 8736 6298",
    "contactPoint": [{"@type": "ContactPoint", "contactType": "WhatsApp", "telephone": "+86 139 1234 5678"}]}}}]}
</script></head><body><h1>NPP 99%</h1><p>In stock.</p><footer>Report a listing: report@made-in-china.com</footer>
</body></html>"""


def page(html: str, name: str = "p.html") -> SnapshotItem:
    got = read_page(html.encode(), name)
    assert isinstance(got, SnapshotItem), got
    return got


def test_json_ld_graph_seller_not_platform() -> None:
    item = page(GRAPH_PAGE)
    assert item.listing_id == "https://www.made-in-china.com/p/1.html"
    assert item.title == "NPP 99%"
    assert item.seller_names == ("Hubei Amarvel Biotech Co., Ltd.",)
    assert ("telephone", "+86 27 8736 6298") in item.seller_fields
    assert ("whatsapp", "+86 139 1234 5678") in item.seller_fields
    assert not any("made-in-china" in v for _, v in item.seller_fields)
    assert "report@" not in item.text and "report@made-in-china.com" in item.boilerplate
    assert (item.price, item.currency) == ("45.00", "USD")
    assert item.notes == ()


def test_microdata() -> None:
    item = page("""<html><head><link rel="canonical" href="https://x.example/p/2"></head><body>
    <div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">4-AP</h1>
    <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span itemprop="price">80</span>
    <div itemprop="seller" itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Wuhan Lianfeng Biotech Co., Ltd.</span><span itemprop="email">a@lianfeng.example</span>
    </div></div></div></body></html>""")
    assert item.seller_names == ("Wuhan Lianfeng Biotech Co., Ltd.",)
    assert ("email", "a@lianfeng.example") in item.seller_fields
    assert item.price == "80"


def test_plain_page_reads_the_seller_from_text_and_the_file_is_the_id() -> None:
    item = page("<html><body><h1>Benzyl chloride</h1><p>Supplier: Jinan Mingde Chemical Co., Ltd.</p>"
                "<p>Tel: +86 135 0531 7788</p></body></html>", "shop/bc.html")  # fmt: skip
    assert item.listing_id == "file:shop/bc.html"
    assert item.seller_names == ("Jinan Mingde Chemical Co., Ltd.",)
    assert "Tel: +86 135 0531 7788" in item.text
    assert any("seller read from the page text" in n for n in item.notes)


def test_truncated_html_and_invalid_json_ld_are_salvaged() -> None:
    broken = GRAPH_PAGE.replace('"name": "NPP 99%",', '"name": "NPP 99%" "oops",')
    item = page(broken[: broken.index("<footer>")])
    assert any("truncated" in n for n in item.notes)
    assert any("JSON-LD block 1 invalid" in n for n in item.notes)
    assert ("telephone", "+86 27 8736 6298") in item.seller_fields
    assert item.title == "NPP 99%"


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02binary"])
def test_empty_or_binary_pages_are_rejected(data: bytes) -> None:
    got = read_page(data, "bad.html")
    assert isinstance(got, Reject) and got.file == "bad.html" and got.line == 1


def test_export_lines_salvaged_or_rejected(tmp_path: Path) -> None:
    good = {"id": "1", "title": "NPP", "description": "x", "seller": {"name": "A Co", "whatsapp": "8613912345678"},
            "contacts": [{"kind": "telegram", "value": "@abc_def"}, "Wickr: zz_top"], "price": {"amount": 5, "currency": "USD"},
            "url": "https://t.example/1", "captured_at": "2024-01-02T10:00:00Z"}  # fmt: skip
    cut = json.dumps({"id": "2", "title": "4-AP", "seller": "B Co", "description": "long text here"})[:-20]
    f = tmp_path / "x.jsonl"
    f.write_text("\n".join([json.dumps(good), "", cut, "not json", "[1, 2]", '{"title": "no id"}']) + "\n")
    got = list(read_export(f, "x.jsonl"))
    items = [g for g in got if isinstance(g, SnapshotItem)]
    rejects = [g for g in got if isinstance(g, Reject)]
    assert [i.listing_id for i in items] == ["1", "2"]
    assert items[0].seller_names == ("A Co",) and ("whatsapp", "8613912345678") in items[0].seller_fields
    assert ("telegram", "@abc_def") in items[0].seller_fields and ("text", "Wickr: zz_top") in items[
        0
    ].seller_fields
    assert (items[0].price, items[0].currency, items[0].captured_at) == ("5", "USD", "2024-01-02T10:00:00Z")
    assert items[1].title == "4-AP" and items[1].notes and items[1].line == 3
    assert [(r.line, r.field) for r in rejects] == [(4, None), (5, None), (6, "id")]


def test_the_sample_snapshots_count_every_item() -> None:
    snap = read_snapshot(SAMPLES / "made-in-china/2024-06-01")
    assert (snap.read, len(snap.items), len(snap.rejects)) == (8, 7, 1)
    assert snap.rejects[0].file == "empty-page.html"
    export = read_snapshot(SAMPLES / "tradehub/2024-06-01.jsonl")
    assert (export.kind, export.read, len(export.rejects)) == ("export", 4, 1)


def test_a_missing_snapshot_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="no such file"):
        read_snapshot(tmp_path / "nope")
    with pytest.raises(SnapshotError, match="no saved pages"):
        read_snapshot(tmp_path)


def test_a_single_link_to_a_shop_names_the_seller() -> None:
    item = page("""<html><head><link rel="canonical" href="https://www.made-in-china.com/p/9.html"></head><body>
    <h1>NPP</h1><div class="com-info"><a href="https://hbxyz.en.made-in-china.com">Hubei XYZ Biotech Co., Ltd.</a></div>
    </body></html>""")
    assert item.seller_names == ("Hubei XYZ Biotech Co., Ltd.",)
    assert ("url", "https://hbxyz.en.made-in-china.com") in item.seller_fields


def test_variant_shapes_of_sellers_and_contacts(tmp_path: Path) -> None:
    f = tmp_path / "v.jsonl"
    f.write_text(
        json.dumps({"id": "9", "title": "NPP", "supplier": "Abc Chem Co., Ltd.", "whatsapp": "8613912345678"})
    )
    (item,) = read_export(f, "v.jsonl")
    assert isinstance(item, SnapshotItem)
    assert item.seller_names == ("Abc Chem Co., Ltd.",) and item.seller_fields == (
        ("whatsapp", "8613912345678"),
    )
    ld = (
        '{"@type": "Product", "name": "NPP", "url": "https://a.example/1", "offers": {"@type": "Offer", '
        '"seller": "Zeta Chem Co., Ltd."}}'
    )
    org = '{"@type": "Organization", "name": "Q Co Ltd", "contactPoint": {"@type": "ContactPoint", "telephone": "+86 139 1234 5678"}}'
    got = page(
        f'<html><head><script type="application/ld+json">{ld}</script>'
        f'<script type="application/ld+json">{org}</script></head><body>x</body></html>'
    )
    assert got.seller_names[0] == "Zeta Chem Co., Ltd."
    assert ("telephone", "+86 139 1234 5678") in got.seller_fields


def test_a_copyright_line_is_not_the_seller() -> None:
    item = page(
        "<html><body><h1>NPP</h1><p>Copyright © 1998-2024 Focus Technology Co., Ltd.</p>"
        "<p>Hubei XYZ Biotech Co., Ltd.</p></body></html>"
    )
    assert item.seller_names == ("Hubei XYZ Biotech Co., Ltd.",)
