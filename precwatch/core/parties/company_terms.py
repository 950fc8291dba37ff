"""Word tables for company and person names: legal forms, Chinese business and place words, business-word
spellings, generic words and places (used by `precwatch.core.parties.companies`).

Rules of language, not facts about firms: edit them here, and the name tests say what changed.
"""

from __future__ import annotations

import re


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


def _phrases(spec: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in spec.split(",") if p.strip())


LEGAL_ANYWHERE = _phrases(
    "co ltd, co limited, company limited, company ltd, coltd, ltd, limited, llc, gmbh, inc, incorporated, corp,"
    "corporation, company, plc, ltda, sarl, llp, pvt, pte, sdn bhd, bhd, sa de cv, sapi de cv, sab de cv,"
    "s de rl de cv, s de rl, srl de cv, sc de rl, de cv, sociedad anonima de capital variable, sociedad anonima,"
    "sociedad de responsabilidad limitada de capital variable, sociedad de responsabilidad limitada, mbh,"
    "limited liability company, limited liability partnership, limited liability corporation,"
    "joint stock company, closed joint stock company, open joint stock company, public joint stock company,"
    "private joint stock company, obshchestvo s ogranichennoi otvetstvennostyu,"
    "obshchestvo s ogranichennoy otvetstvennostyu, aktsionernoe obshchestvo, aktsionernoye obshchestvo,"
    "otkrytoe aktsionernoe obshchestvo, zakrytoe aktsionernoe obshchestvo, publichnoe aktsionernoe obshchestvo"
)
"""Legal forms removed wherever they stand (after punctuation is gone: "S.A. de C.V." reads "sa de cv")."""
LEGAL_AT_END = _phrases(
    "co, sa, sapi, ag, kg, nv, bv, ab, as, oy, spa, srl, sas, sl, cia, ooo, jsc, ojsc, pjsc, cjsc, oao, zao, pao,"
    "fze, fzco, fzc, fz llc, lp, pty, kk, ltd sti, aps, sp zoo, doo, sro, as, bhd, tbk, pt"
)
"""Short legal forms removed only at the end of a name, where they cannot be an ordinary word."""
LEGAL_AT_START = _phrases("ooo, ao, oao, zao, pao, jsc, ojsc, pjsc, cjsc, llc, tov, pt, too")
"""Short legal forms removed only at the start of a name, where Russian, Ukrainian, Indonesian and Kazakh
firms put them ("OOO ROMASHKA", "PT MAJU")."""

LEGAL_HAN = _words(
    "股份有限公司 有限责任公司 有限責任公司 集团有限公司 集團有限公司 有限公司 股份公司 总公司 總公司 公司 株式会社"
)
"""Chinese legal forms, removed wherever they stand (longest first)."""

_HAN_TERMS = """
分公司:branch 生物科技:biotech 生物技术:biotech 生物技術:biotech 生物工程:biotech 生物医药:bio_pharma
生物醫藥:bio_pharma 精细化工:fine_chem 精細化工:fine_chem 化工:chem 化学品:chem 化學品:chem 化学:chem 化學:chem
科技:tech 技术:tech 技術:tech 医药:pharma 醫藥:pharma 制药:pharma 製藥:pharma 药业:pharma 藥業:pharma
贸易:trade 貿易:trade 商贸:trade 商貿:trade 进出口:impexp 進出口:impexp 国际:intl 國際:intl 实业:industry
實業:industry 工业:industry 工業:industry 新材料:new_material 材料:material 机械:machinery 機械:machinery
设备:equipment 設備:equipment 电子:electronics 電子:electronics 发展:dev 發展:dev 控股:holding 物流:logistics
供应链:supply_chain 医疗:medical 醫療:medical 集团:group 集團:group 实验室:lab 實驗室:lab 商行:trade 经营部:trade
中国:china 中國:china 香港:hongkong 澳门:macau 北京:beijing 上海:shanghai 天津:tianjin 重庆:chongqing 重慶:chongqing
河北:hebei 山西:shanxi 辽宁:liaoning 吉林:jilin 黑龙江:heilongjiang 江苏:jiangsu 江蘇:jiangsu 浙江:zhejiang
安徽:anhui 福建:fujian 江西:jiangxi 山东:shandong 山東:shandong 河南:henan 湖北:hubei 湖南:hunan 广东:guangdong
廣東:guangdong 广西:guangxi 海南:hainan 四川:sichuan 贵州:guizhou 云南:yunnan 陕西:shaanxi 甘肃:gansu 青海:qinghai
宁夏:ningxia 新疆:xinjiang 内蒙古:neimenggu 武汉:wuhan 武漢:wuhan 深圳:shenzhen 广州:guangzhou 廣州:guangzhou
南京:nanjing 杭州:hangzhou 苏州:suzhou 成都:chengdu 西安:xian 郑州:zhengzhou 长沙:changsha 济南:jinan 青岛:qingdao
青島:qingdao 石家庄:shijiazhuang 邢台:xingtai 烟台:yantai 煙台:yantai 大连:dalian 厦门:xiamen 宁波:ningbo
合肥:hefei 南昌:nanchang 无锡:wuxi 常州:changzhou 东莞:dongguan 佛山:foshan 义乌:yiwu 台州:taizhou
"""
HAN_TERMS: dict[str, tuple[str, ...]] = {
    k: tuple(v.split("_")) for k, v in (item.split(":") for item in _HAN_TERMS.split())
}
"""Chinese business and place words read by meaning, not sound (化工 -> chem, 湖北 -> hubei)."""
_HAN_PLACE_READINGS = frozenset(_HAN_TERMS.split("中国:china")[1].replace(":", " ").split()) - set(HAN_TERMS)
for _term, _reading in list(HAN_TERMS.items()):  # 湖北省, 武汉市: the province/city suffix adds nothing
    if _reading[0] in _HAN_PLACE_READINGS:
        HAN_TERMS[_term + "省"] = HAN_TERMS[_term + "市"] = _reading
_HAN_ALL = sorted([*HAN_TERMS, *LEGAL_HAN], key=len, reverse=True)
HAN_SCAN = re.compile("|".join(_HAN_ALL))

_SYNONYMS = """
chem=chemical|chemicals|chemistry|chemie|chemic|quimica|quimicos|quimico|quimicas
tech=technology|technologies|technological|tecnologia|tecnologias|technologie|scitech|science and technology|
 science technology|sci tech|science and tech
biotech=biotechnology|biotechnologies|bio technology|biological technology|biology technology|bio tech|
 biological tech|bio technologies|biological technologies
bio=biological|biology|biologicals
pharma=pharmaceutical|pharmaceuticals|pharmaceutic|pharm|farmaceutica|farmaceuticos|farmacia|pharmacy
trade=trading|trades|trader|traders|commerce|comercio|comercial|comercializadora|comercializacion|commercial
impexp=import and export|import export|imp and exp|imp exp|importers and exporters|import and export trade|
 importacion y exportacion|importaciones y exportaciones|importadora y exportadora
intl=international|internacional|intl|interl
industry=industrial|industries|industria|industrias|industriales
dev=development|develop|developing|desarrollo
material=materials
machinery=machine|machines|maquinaria
electronics=electronic|electron
group=grupo|groups
holding=holdings
enterprise=enterprises|empresa|empresas
logistics=logistic|logistica
lab=laboratory|laboratories|labs|laboratorio|laboratorios
service=services|servicio|servicios
medical=medicine|medicina|medicines
sci=science|sciences|ciencia
hongkong=hong kong|hk
"""
SYNONYMS: dict[tuple[str, ...], str] = {}
"""Spellings of business words (phrases included, after folding) and their one canonical token."""
for _line in _SYNONYMS.replace("\n ", " ").strip().splitlines():
    _canon, _rest = _line.split("=")
    SYNONYMS[(_canon,)] = _canon
    for _part in _rest.split("|"):
        SYNONYMS[tuple(_part.split())] = _canon
MAX_PHRASE = max(len(k) for k in (*SYNONYMS, *LEGAL_ANYWHERE))

GENERIC = _words(
    "chem tech biotech bio pharma trade impexp intl industry dev material machinery electronics group holding "
    "enterprise logistics lab service medical sci branch fine new equipment supply chain general global world "
    "worldwide products product solutions solution factory plant office center centre agency network "
    "information consulting management investment investments capital finance financial import export "
    "importadora exportadora importers exporters manufacturing manufacture manufacturer distribution "
    "distributor distribuidora transport transportes transporte transportadora shipping freight express "
    "corporativo corporativa corporate operadora promotora inmobiliaria constructora construction store shop "
    "compania union united pacific asia asian euro star golden new health healthcare food foods packaging "
    "agency sales supplies business pharmatech"
)
"""Business words that say what a firm does, not which firm it is: kept, but weighted low."""

PLACES = _words(
    "china chinese hongkong macau beijing shanghai tianjin chongqing hebei shanxi liaoning jilin heilongjiang "
    "jiangsu zhejiang anhui fujian jiangxi shandong henan hubei hunan guangdong guangxi hainan sichuan guizhou "
    "yunnan shaanxi gansu qinghai ningxia xinjiang neimenggu wuhan shenzhen guangzhou nanjing hangzhou suzhou "
    "chengdu xian zhengzhou changsha jinan qingdao shijiazhuang xingtai yantai dalian xiamen ningbo hefei "
    "nanchang wuxi changzhou dongguan foshan yiwu taizhou tangshan baoding cangzhou handan langfang zibo "
    "weifang nantong xuzhou jinhua wenzhou shaoxing jiaxing huzhou linyi dezhou liaocheng kunming nanning "
    "mexico mexicana mexicano mexicanos sinaloa jalisco sonora tamaulipas michoacan guadalajara culiacan "
    "tijuana monterrey cdmx baja california chihuahua durango guerrero veracruz puebla queretaro manzanillo "
    "mazatlan cancun nayarit colima norte sur india indian mumbai delhi hyderabad gujarat usa america "
    "american canada guatemala colombia europe great lake lakes river rivers mountain mountains ocean oceanic "
    "sea bay gulf coast coastal valley island islands east west north south eastern western northern southern "
    "central atlantic midwest orient oriental"
)
"""Country, province, city and landscape words common in trade names ("Great Lakes", "Pacific", "North"): a
shared place never identifies a firm."""

STOP_WORDS = _words("the of and de del la las los el y e da do das dos di du des le et und der")
"""Function words dropped from names (kept when nothing else is left)."""
