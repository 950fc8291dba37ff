"""Write the sample snapshots in this folder (fictional vendors; run once, output committed).

python examples/market/make_samples.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOOTER = """<footer class="site-footer"><p>Made-in-China.com - Connecting Buyers with Chinese Suppliers.
Report a listing: report@made-in-china.com | Customer service: service@made-in-china.com | Tel +86 25 6667 7777</p>
<p>Copyright &copy; 1998-2024 Focus Technology Co., Ltd. All rights reserved.</p></footer>"""
PLATFORM_LD = {
    "@context": "https://schema.org",
    "@type": "WebSite",
    "name": "Made-in-China.com",
    "url": "https://www.made-in-china.com/",
    "publisher": {
        "@type": "Organization",
        "name": "Focus Technology Co., Ltd.",
        "url": "https://www.made-in-china.com/",
        "contactPoint": {
            "@type": "ContactPoint",
            "email": "service@made-in-china.com",
            "contactType": "customer service",
        },
    },
}


def jsonld_page(url: str, product: dict, *, broken: bool = False, extra_body: str = "") -> str:
    ld = json.dumps({"@context": "https://schema.org", "@graph": [product]}, ensure_ascii=False, indent=1)
    if broken:
        ld = ld[: len(ld) * 2 // 3]  # cut mid-object: invalid JSON-LD
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{product["name"]} - Made-in-China.com</title>
<link rel="canonical" href="{url}">
<meta property="og:site_name" content="Made-in-China.com">
<script type="application/ld+json">{json.dumps(PLATFORM_LD)}</script>
<script type="application/ld+json">{ld}</script></head>
<body><nav><a href="/">Home</a> | <a href="/help">Help</a> | Sign in</nav>
<h1>{product["name"]}</h1><div class="detail">{product.get("description", "")}</div>{extra_body}
<div class="related-products"><h3>You may also like</h3><p>Propionyl chloride 99%</p></div>
{FOOTER}</body></html>
"""


def product(
    name: str, desc: str, seller: dict, price: str = "", currency: str = "USD", url: str = ""
) -> dict:
    offer: dict = {"@type": "Offer", "priceCurrency": currency, "seller": seller}
    if price:
        offer["price"] = price
    return {"@type": "Product", "name": name, "description": desc, "url": url, "offers": offer}


def org(name: str, **contacts: str) -> dict:
    o: dict = {"@type": "Organization", "name": name}
    points = []
    for k, v in contacts.items():
        if k in ("telephone", "email", "url"):
            o[k] = v
        else:
            points.append({"@type": "ContactPoint", "contactType": k, "telephone": v})
    if points:
        o["contactPoint"] = points
    return o


def microdata_page(url: str, name: str, desc: str, seller: str, phone: str, price: str) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{name}</title><link rel="canonical" href="{url}"></head>
<body><nav>Categories | Chemicals | Pharmaceutical Intermediates</nav>
<div itemscope itemtype="https://schema.org/Product">
 <h1 itemprop="name">{name}</h1>
 <div itemprop="description">{desc}</div>
 <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
  <span itemprop="priceCurrency" content="USD">US$</span><span itemprop="price">{price}</span> / kg
  <div itemprop="seller" itemscope itemtype="https://schema.org/Organization">
   Supplier: <span itemprop="name">{seller}</span> <span itemprop="telephone">{phone}</span></div>
 </div></div>
{FOOTER}</body></html>
"""


def plain_page(title: str, lines: list[str], *, truncate: bool = False, url: str = "") -> str:
    body = "".join(f"<p>{x}</p>" for x in lines)
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>{canonical}</head>
<body><h1>{title}</h1>{body}{FOOTER}</body></html>
"""
    return page[: len(page) - len(FOOTER) - 40] if truncate else page


LIANFENG = org(
    "Wuhan Lianfeng Biotech Co., Ltd.",
    telephone="+86 139 1234 0001",
    email="sales@lianfengbio.com",
    url="https://lianfengbio.en.made-in-china.com",
)
KANGTAI = org("Hubei Kangtai Biotech Co., Ltd.", telephone="+86 186 7100 2233", email="kangtai_sales@163.com")
HENGYU = org("Shijiazhuang Hengyu Trading Co., Ltd.", telephone="+86 151 3300 4455")
HARBOR = org("Golden Harbor Pharmtech Co., Ltd.", whatsapp="+86 131 8878 2935")
MIC = "https://www.made-in-china.com/products"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def made_in_china() -> None:
    base = HERE / "made-in-china"
    ap = (
        "4-Anilinopiperidine (4-AP) CAS 23056-29-3, Purity: 99%min, white powder. Price US $ 80-120 / Kilogram, "
        "MOQ: 1 kg. Ship to USA, Mexico, Canada. WhatsApp +86 139-1234-0001"
    )
    boc = (
        "tert-butyl 4-anilinopiperidine-1-carboxylate, CAS 125541-22-2, Assay 99%. Safe delivery to Mexico and "
        "USA, door to door. MOQ: 100 g. WhatsApp 0086 139 1234 0001"
    )
    npp = (
        "1-Phenethyl-4-piperidone NPP CAS 39742-60-4, purity 99%. 100% safe delivery to Mexico, we can change "
        "the name on the declaration. Whats App: 0086-158-1111-2222"
    )
    hy = (
        "N-Phenethyl-4-piperidinone 99%, CAS 39742-60-4 stealth packing, pay by USDT or BTC. "
        "Telegram: @hengyu_chem"
    )
    for date in ("2024-03-01", "2024-06-01", "2024-09-15"):
        d = base / date
        if date != "2024-09-15":
            write(
                d / "lianfeng-4ap.html",
                jsonld_page(
                    f"{MIC}/lianfeng-4-ap.html",
                    product(
                        "4-AP N-Phenyl-4-piperidinamine",
                        ap,
                        LIANFENG,
                        "80.00",
                        url=f"{MIC}/lianfeng-4-ap.html",
                    ),
                ),
            )
        else:
            write(
                d / "lianfeng-boc.html",
                jsonld_page(
                    f"{MIC}/lianfeng-1-boc-4-ap.html",
                    product(
                        "1-Boc-4-AP tert-Butyl 4-(phenylamino)piperidine-1-carboxylate",
                        boc,
                        LIANFENG,
                        "150.00",
                        url=f"{MIC}/lianfeng-1-boc-4-ap.html",
                    ),
                ),
            )
        seller = (
            "Hangzhou Ruixin Chemical Co., Ltd."
            if date == "2024-03-01"
            else "Zhejiang Brightpath Materials Co., Ltd."
        )
        slug = "ruixin-npp" if date == "2024-03-01" else "brightpath-npp"
        write(
            d / f"{slug}.html",
            microdata_page(
                f"{MIC}/{slug}.html",
                "NPP 1-Phenethyl-4-piperidone",
                npp,
                seller,
                "+86 158 1111 2222" if date == "2024-03-01" else "(+86) 15811112222",
                "45.00",
            ),
        )
        write(
            d / "kangte-bromo.html",
            plain_page(
                "(2-Bromoethyl)benzene CAS 103-63-9 factory price",
                [
                    "Supplier: Hubei Kangte Biotech Co., Ltd.",
                    "Product: (2-Bromoethyl)benzene, CAS 103-63-9, purity 99%",
                    "Min. Order: 25 kg",
                    "Tel: +86 186 7100 9911",
                    "E-mail: kangte (at) kangtebio [dot] com",
                ],
                url=f"{MIC}/kangte-bromo.html",
            ),
        )
        write(
            d / "kangtai-boc-piperidone.html",
            jsonld_page(
                f"{MIC}/kangtai-boc-piperidone.html",
                product(
                    "1-Boc-4-piperidone CAS 79099-07-3",
                    "N-Boc-4-piperidone 98% in stock, MOQ: 1 kg.",
                    KANGTAI,
                    "30.00",
                    url=f"{MIC}/kangtai-boc-piperidone.html",
                ),
            ),
        )
        if date != "2024-09-15":
            write(
                d / "hengyu-npp.html",
                jsonld_page(
                    f"{MIC}/hengyu-npp.html",
                    product("NPP powder", hy, HENGYU, "60", url=f"{MIC}/hengyu-npp.html"),
                    broken=(date == "2024-06-01"),
                    extra_body="<p>Telegram: @hengyu_chem</p>",
                ),
            )
        if date != "2024-03-01":
            write(
                d / "harbor-anpp.html",
                jsonld_page(
                    f"{MIC}/harbor-anpp.html",
                    product(
                        "ANPP 4-anilino-N-phenethylpiperidine CAS 21409-26-7",
                        "ANPP 99%. Discreet packaging, reship if seized.",
                        HARBOR,
                        "200",
                        url=f"{MIC}/harbor-anpp.html",
                    ),
                ),
            )
    write(
        base / "2024-06-01" / "truncated-propionyl.html",
        plain_page(
            "Propionyl chloride 99% CAS 79-03-8",
            [
                "Company: Jinan Mingde Chemical Co., Ltd.",
                "Propionyl chloride CAS 79-03-8, 200 kg drum",
                "WhatsApp: +86 135 0531 7788",
            ],
            truncate=True,
        ),
    )
    write(base / "2024-06-01" / "empty-page.html", "")


def tradehub() -> None:
    base = HERE / "tradehub"
    base.mkdir(parents=True, exist_ok=True)
    rows = {
        "2024-03-01": [
            {
                "id": "th-1001",
                "title": "NPP 1-phenethyl-4-piperidone",
                "description": "CAS 39742-60-4, 99%. Ship to Mexico, safe.",
                "seller": "HY Global Supply",
                "contacts": ["t.me/hengyu_chem"],
                "price": {"amount": 55, "currency": "USD"},
                "url": "https://tradehub.example/l/th-1001",
                "captured_at": "2024-03-01",
            },
            {
                "id": "th-1002",
                "title": "4-piperidone hydrochloride monohydrate",
                "description": "CAS 40064-34-4 98%, MOQ: 5 kg",
                "seller": {"name": "Hubei Kangtai Biotech Co., Ltd.", "phone": "+86 186-7100-2233"},
                "contacts": [],
                "price": "20",
                "url": "https://tradehub.example/l/th-1002",
                "captured_at": "2024-03-01",
            },
            {
                "id": "th-1003",
                "title": "Benzyl chloride",
                "description": "Industrial grade, Wickr me: quickchem_mx, discreet packing",
                "seller": "Quick Chem MX",
                "contacts": [{"kind": "wickr", "value": "quickchem_mx"}],
                "price": "5",
                "url": "https://tradehub.example/l/th-1003",
                "captured_at": "2024-03-01",
            },
        ],
        "2024-06-01": [
            {
                "id": "th-1001",
                "title": "NPP 1-phenethyl-4-piperidone",
                "description": "CAS 39742-60-4, 99%.",
                "seller": "HY Global Supply",
                "contacts": {"telegram": "@hengyu_chem"},
                "price": 55,
                "url": "https://tradehub.example/l/th-1001",
                "captured_at": "2024-06-01",
            },
            {
                "id": "th-1003",
                "title": "Benzyl chloride",
                "description": "Wickr me: quickchem_mx",
                "seller": "Quick Chem MX",
                "contacts": [{"kind": "wickr", "value": "quickchem_mx"}],
                "price": "5",
                "url": "https://tradehub.example/l/th-1003",
                "captured_at": "2024-06-01",
            },
        ],
        "2024-09-15": [
            {
                "id": "th-1003",
                "title": "Benzyl chloride",
                "description": "Wickr me: quickchem_mx",
                "seller": "Quick Chem MX",
                "contacts": [{"kind": "wickr", "value": "quickchem_mx"}],
                "price": "5",
                "url": "https://tradehub.example/l/th-1003",
                "captured_at": "2024-09-15",
            },
            {
                "id": "th-1004",
                "title": "1-Boc-4-AP",
                "description": "tert-butyl 4-anilinopiperidine-1-carboxylate 99%, BTC accepted",
                "seller": "HY Global Supply",
                "contacts": ["Telegram @hengyu_chem"],
                "price": "140",
                "url": "https://tradehub.example/l/th-1004",
                "captured_at": "2024-09-15",
            },
        ],
    }
    for date, items in rows.items():
        lines = [json.dumps(r, ensure_ascii=False) for r in items]
        if date == "2024-06-01":
            full = json.dumps(
                {
                    "id": "th-1005",
                    "title": "Phenethyl bromide (2-bromoethyl)benzene",
                    "seller": "Quick Chem MX",
                    "description": "CAS 103-63-9 for Mexico, Wickr me: quickchem_mx",
                    "price": "9",
                }
            )
            lines.append(full[: len(full) - 25])  # truncated line: salvaged
            lines.append("<html>this is not JSON</html>")  # rejected
        (base / f"{date}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    made_in_china()
    tradehub()
