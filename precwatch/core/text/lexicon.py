"""Linguistic tables the text detectors consult: context cues, ambiguous abbreviations, salts, look-alikes.

These are rules of language, not chemical facts, so they live here as declarative tables (MolVS style)
rather than in the sourced knowledge base. Every entry is lower case and already normalised (accents are
folded by `names.normalise`, so entries are written without them).
"""

from __future__ import annotations

import re

CHEMICAL_CONTEXT = re.compile(
    r"(?<![a-z])(?:cas|purity|pure|powder|precursor|intermediate|chemicals?|synthesis|synthetic|reagent|"
    r"kgs?|kilos?|kilograms?|grams?|gr|liquid|oil|crystals?|crystalline|assay|supplier|suppliers|manufacturer|"
    r"factory|in stock|raw materials?|pharmaceutical|api|coa|msds|drums?|bottles?|bags?|shipping|delivery|"
    r"wickr|telegram|whatsapp|wechat|threema|signal|customs|door to door|ddp|moq|fentanyl|fentanil|"
    r"piperid\w*|anilin\w*|glycid\w*|organic|mf|mw|molecular|formula|cas no|high quality|factory price|"
    r"polvo|pureza|precursor(?:es)?|qu[ií]mic[oa]s?|reactivo|kilogramos?|proveedor|env[ií]o|entrega|"
    r"aceite|sample|samples|lab|laboratory|stealth|discreet|bulk|wholesale|pharma|amine|ketone|ester|"
    # news, regulation and reported speech about trafficking, shipping and payment (en, es, fr, de)
    r"seiz\w*|smuggl\w*|traffick\w*|shipments?|cartels?|clandestine|payments?|bitcoin|usdt|crypto\w*|"
    r"controlled substances?|scheduled|schedule i|table i|list i|opioids?|narcotics?|drug precursors?|"
    r"decomis\w*|incaut\w*|asegur\w*|trafico|contrabando|cargamentos?|aduanas?|pagos?|carteles?|narco\w*|"
    r"laboratorios?|clandestinos?|fentanilo|opioides?|sustancias?|"
    r"precurseurs?|produits chimiques|saisi\w*|trafic\w*|douan\w*|cargaisons?|expedi\w*|livraisons?|"
    r"tonnes?|toneladas?|tonnen|conteneurs?|contenedor\w*|containers?|"
    r"paiements?|stupefiants?|laboratoires?|opioides?|fentanyl\w*|"
    r"vorlaufer\w*|grundstoff\w*|chemikalien|beschlagnahm\w*|sichergestellt\w*|zoll\w*|schmuggel\w*|"
    r"lieferung\w*|sendung\w*|zahlung\w*|drogenlabor\w*|opioide?|betaubungsmittel\w*|"
    r"methamphetamin\w*|metanfetamina|amphetamin\w*|anfetamin\w*|fabriqu\w*|fabrica\w*|herstell\w*)(?![a-z])"
    r"|\d{2}(?:\.\d+)?\s?%|\d+\s?(?:kg|g|mg|ml|l)\b|[白粉末纯度现货中间体原料化工试剂公斤千克货]"
)
"""Words that show a text is about trading or handling chemicals."""

AMBIGUOUS_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    # key (compact, lower case) -> cues that show the everyday meaning
    "4ap": ("pyridin", "fampridin", "ampyra", "potassium channel", "multiple sclerosis", "504-24-5",
            "walking", "neurolog", "4-amino", "4 amino", "sclerosis", "k+ channel", "氨基吡啶", "aminopiridina",
            "aminopyridin", "sclerose", "sklerose", "esclerosis", "multiple sklerose"),
    "npp": ("nuclear", "power plant", "power station", "powerplant", "reactor", "megawatt", " mw", "electricity",
            "suomi", "satellite", "primary production", "grid", "atomic", "uranium", "核电", "nucleoel",
            "central nuclear", "planta nuclear", "energy", "energ", "rosatom", "iaea", "zaporizh", "kudankulam",
            "nucleaire", "centrale", "kernkraftwerk", "atomkraftwerk", "kraftwerk", "reacteur", "reaktor",
            "electricite", "strom", "safety", "surete", "sicherheit", "seguridad nuclear",
            "nasa", "noaa", "viirs", "weather", "unit 1", "unit 2"),
    "p2p": ("peer", "network", "lending", "loan", "file shar", "torrent", "blockchain", "trading platform",
            " app", "streaming", "网贷", "借贷", "vpn", "otc", "binance", "merchant", "platform", "préstamo",
            "red ", "car sharing", "energy trading", "invest", "decentrali", "node", "prestamo", "pret ",
            "prets", "emprunt", "credit", "kredit", "darlehen", "plattform", "plateforme", "plataforma",
            "financ", "banque", "bank", "fintech", "interest rate", "taux", "zins"),
    "pmk": ("party", "political", "tamil", "ramadoss", "anbumani", "election", "alliance", "lok sabha", "dmk",
            "bjp", "candidate", "vote", "seat"),
    "bmk": ("bmk-", "bundesministerium"),
    "mapa": ("ministerio", "agricultura", "pecuaria", "mapa de", "mapa del", "google",
             "ubicacion", "ver mapa", "calle", "ruta", "mundo", "map ", "ciudad",
             "region", "abastecimento", "brasil", "brazil", "metro", "tiempo", "clima"),
    "eapa": ("enforce and protect", "evasion", "investigation", "cbp", "antidumping", "anti-dumping",
             "countervailing", "duties", "duty", "allegation", "trade remedy", "19 u.s.c", "inquiry", "orders"),
    "paa": ("peracetic", "peroxyacetic", "polyacrylic", "disinfect", "sanitiz", "polymer", "acrylic", "bleach"),
    "peb": ("pre-engineered", "steel", "building", "warehouse", "structure", "prefab", "polyethylene"),
    "apaa": ("association", "american", "academy"),
    "anpp": ("party", "peoples", "people's", "nigeria", "governor", "election", "candidate", "senator", "vote",
             "politic", "campaign"),
    "mmdmg": (),
    "mdp2p": (),
    "tce": ("trichloro", "degreas", "solvent", "79-01-6", "三氯乙烯", "tricloroetileno", "dry clean",
            "metal clean", "industrial grade", "chlorinated"),
    "chinawhite": (" tea", "白茶", "bai mu dan", "porcelain", "ceramic", "marble", "granite", "paint", "rice",
                   "flour", "cotton", "silk"),
}  # fmt: skip
"""Abbreviations that also mean something else: accepted only in a chemical context, never beside these."""

ABBREVIATION_VETOES: dict[str, tuple[str, ...]] = {
    "4ap": ("pyridin", "fampridin", "504-24-5", "4-amino", "4 amino", "氨基吡啶", "aminopiridina", "sclerosis",
            "sclerose", "sklerose"),
    "npp": ("nuclear", "power plant", "power station", "reactor", "核电", "nucleoel", "satellite", "nucleaire",
            "kernkraftwerk", "atomkraftwerk", "reacteur", "reaktor"),
    "p2p": ("peer", "lending", "torrent", "file shar", "网贷", "借贷", "prestamo", "pret ", "prets ", "emprunt",
            "kredit", "darlehen", "crowdlending"),
    "pmk": ("party", "political", "election"),
    "mapa": ("ministerio", "google"),
    "eapa": ("enforce and protect", "evasion", "cbp"),
    "anpp": ("party", "nigeria"),
    "paa": ("peracetic", "peroxyacetic", "polyacrylic"),
    "peb": ("pre-engineered", "prefab"),
    "tce": ("trichloro", "79-01-6", "三氯乙烯", "tricloroetileno"),
    "chinawhite": (" tea", "白茶", "bai mu dan", "porcelain", "marble", "granite"),
}  # fmt: skip
"""Cues so specific to the everyday meaning that one of them alone rules the chemical reading out."""

SALT_AFTER = re.compile(
    r"[ \t\-·.,(]*(?:(?:mono|di|tri|bis)?hydrochlorides?|(?:di|mono)?hcl|\d\s?hcl|hbr|hydrobromide|"
    r"citrate|sulfate|sulphate|tartrate|oxalate|mesylate|fumarate|maleate|phosphate|hydrate|monohydrate|"
    r"(?:sodium|potassium|hcl|hydrochloride) salt|sodium|二盐酸盐|盐酸盐|柠檬酸盐|硫酸盐|钠盐|草酸盐|酒石酸盐)"
    r"(?:[ \t\-·,]*(?:monohydrate|hydrate|h2o|salt|一水合物|水合物))?\)?(?![a-z])"
)
"""A salt or hydrate named right after a substance: "NPP HCl", "fentanyl citrate", "4-AP 二盐酸盐"."""

SALT_BEFORE = re.compile(
    r"(?:(?:di|mono)?clorhidrato|(?:di)?cloridrato|citrato|sulfato|tartrato|oxalato|bromhidrato)\s+de\s+$"
)
"""A salt named before the substance, as Spanish does: "clorhidrato de 4-anilinopiperidina"."""

BENIGN_NAMES: tuple[str, ...] = (
    "4-aminopyridine", "aminopyridine", "fampridine", "dalfampridine", "pyridine",
    "4-piperidinol", "piperidin-4-ol", "4-hydroxypiperidine", "1-methyl-4-piperidone", "aniline",
    "acetanilide", "acetoacetanilide", "ethyl methylphenylglycidate", "strawberry aldehyde",
    "ethyl 3-methyl-3-phenylglycidate", "methyl phenylacetate", "ethyl phenylacetate", "phenethyl alcohol",
    "phenylethyl alcohol", "benzyl alcohol", "benzaldehyde", "benzyl bromide", "benzyl cyanide",
    "propionic acid", "propionaldehyde", "propionitrile", "acetyl chloride", "acetic anhydride",
    "piperazine", "piperine", "piperonyl butoxide", "piperonyl alcohol", "safranal", "phenylacetaldehyde",
    "phenylacetonitrile", "phentermine", "1-(4-fluorophenyl)piperidin-4-amine", "4-aminopiperidine",
    "phenylpropanolamine", "4-piperidinemethanol", "isopropyl bromide", "ethyl bromide", "butyryl chloride",
    "benzoyl chloride", "ephedra", "phenylephrine", "acetophenone", "propiophenone", "butyrophenone",
    "pipecolic acid", "methyl benzoate", "phenyl acetate", "fentiazac", "phenothiazine",
    "fentanyl test strip", "fentanyl test strips", "fentanyl testing strips", "fentanyl test kit",
    "fentanyl test kits", "fentanyl detection kit", "piperonyl acetate", "piperonylacetone",
    "heliotropyl acetone", "heliotropylacetone", "piperonyl acetone", "4-(1,3-benzodioxol-5-yl)butan-2-one",
    "dihydrosafrole", "isosafrole glycol", "1-phenyl-1-propanone", "1-phenylpropan-1-one",
    "ethyl 3-oxo-4-phenylbutanoate", "methyl 3-oxo-4-phenylbutanoate", "1-benzylpiperidin-2-one",
    "halt fentanyl act", "fentanyl act", "piperidine ring", "piperidine rings", "piperidine moiety",
    "piperidine nitrogen", "piperidine scaffold", "piperidine core", "哌啶环",
)  # fmt: skip
"""Real, uncontrolled chemicals whose names are close to listed ones (a misspelling match that is at least
as close to one of these is not reported), and products named after a drug that are not the drug
(harm-reduction test strips): a listed name inside one of these is not a mention."""

FUZZY_STEMS: tuple[str, ...] = (
    "fent", "piper", "pipe", "ridon", "ridin", "anilin", "propion", "propan", "glycid", "glicid", "safr",
    "ephed", "efedr", "heliotrop", "phenylacet", "phenethyl", "phenylethyl", "fenetil", "benzyl", "bencil",
    "boc", "acetoacet", "benzodiox", "methylenedioxy", "chlorid", "bromid", "bromur", "clorur", "anhydr",
    "anhidr", "phenylprop", "fenilprop", "phenyl", "fenil", "ketone", "cetona", "oxiran",
)  # fmt: skip
"""Word pieces of controlled names: only words containing one are tried as misspellings (keeps it fast)."""

CJK_NAME_PREFIXES = frozenset("基氟氯溴碘甲乙丙丁戊己酰对邻间羟硝氨胺苯苄去降异环呋喃叔氧代二三四")
"""Chinese characters that, just before a Chinese name, show it is part of a longer (other) name."""

CLASS_PHRASES: dict[str, str] = {
    "fentanyl-related substance": "fentanyl-related",
    "fentanyl-related substances": "fentanyl-related",
    "fentanyl related substances": "fentanyl-related",
    "fentanyl-related compounds": "fentanyl-related",
    "fentanyl-related analogues": "fentanyl-related",
    "芬太尼类物质": "fentanyl-related",
    "芬太尼类似物": "fentanyl-related",
    "芬太尼类": "fentanyl-related",
    "sustancias relacionadas con el fentanilo": "fentanyl-related",
    "sustancias relacionadas con el fentanil": "fentanyl-related",
    "substances apparentees au fentanyl": "fentanyl-related",
    "fentanylverwandte stoffe": "fentanyl-related",
    "fentanyl-verwandte stoffe": "fentanyl-related",
    "fentanylverwandte substanzen": "fentanyl-related",
}
"""A legal class named in words (normalised): the mention is reported as the class, not as its parent drug."""
