"""Normalise company and person names for watchlist matching, keeping what was changed.

Shipper and consignee names are written many ways: "HUBEI AMARVEL BIOTECH CO., LTD.", "Hubei Amarvel
Bio-tech Company Limited", "湖北阿马维尔生物科技有限公司". `normalise_name` reduces each to canonical tokens
(`hubei amarvel biotech`) and records every change so a match can say why two names are the same:

- Unicode NFKC, accents removed, Latin look-alike letters (Cyrillic "А") folded, case folded;
- legal forms removed (Co., Ltd.; Company Limited; Inc; GmbH; S.A. de C.V.; 有限公司; 股份有限公司 ...);
- business words brought to one spelling (Bio-tech / Biotechnology / Biological Technology / 生物科技 -> biotech)
  and flagged as generic: they stay in the name but weigh little;
- Chinese characters: known business and place words are translated (化工 -> chem, 湖北 -> hubei), the rest of
  each run is read as one pinyin word (硕康 -> shuokang);
- hyphenated words are joined (bio-tech -> biotech) and single-letter initials too (S.A. -> sa).

Word order and pinyin spacing ("Wuhan Shuokang" / "Wuhanshuokang" / "Wu Han Shuo Kang") are settled when two
names are compared (`split_into`, `join_into`), because only the other name says where the spaces belong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from precwatch.core.names import HOMOGLYPHS, is_cjk

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<amp>&)|(?P<word>[^\W_{_HAN}]+(?:[-'’][^\W_{_HAN}]+)*)")
_FOLD = str.maketrans({k: v for k, v in HOMOGLYPHS.items() if len(k) == 1})


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
_HAN_SCAN = re.compile("|".join(_HAN_ALL))

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
_MAX_PHRASE = max(len(k) for k in (*SYNONYMS, *LEGAL_ANYWHERE))

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
    "american canada guatemala colombia europe"
)
"""Country, province and city words common in trade names: a shared place never identifies a firm."""

STOP_WORDS = _words("the of and de del la las los el y e da do das dos di du des le et und der")
"""Function words dropped from names (kept when nothing else is left)."""


@dataclass(frozen=True, slots=True)
class NameToken:
    """One canonical token of a name, with the text it was read from."""

    text: str
    source: str
    han: bool = False
    start: int = 0  # where `source` starts and ends in the NFKC-normalised name
    end: int = 0


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name reduced to canonical tokens, with the pieces removed or rewritten on the way.

    `words` are the canonical tokens in order; `key` is order-free (the sorted words: equal keys = same name
    up to word order); `text` (the words joined by spaces) normalises to itself. `spaced` still has the
    stop words, which may be pinyin syllables ("Bang De Ya" is one name, not "Bang of Ya"). `legal_key`
    is the legal forms removed, letters and digits only ("Co., Ltd." -> "coltd").
    """

    original: str
    tokens: tuple[NameToken, ...]
    legal_forms: tuple[str, ...] = ()
    joined: tuple[str, ...] = ()
    translated: tuple[tuple[str, str], ...] = ()
    words: tuple[str, ...] = ()
    key: str = ""
    spaced: tuple[str, ...] = ()
    legal_key: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The canonical tokens joined by spaces (normalising this again gives the same text)."""
        return " ".join(self.words)


def token_class(token: str) -> str:
    """'generic' for business words, 'place' for places, 'word' for everything that names a firm or person."""
    if token in GENERIC:
        return "generic"
    if token in PLACES:
        return "place"
    return "word"


def _fold_latin(word: str) -> str:
    """Case, accents and apostrophes off; letters that look Latin (Cyrillic "А", Greek "Ο") become Latin,
    as `precwatch.core.names` folds them (a Russian name is folded the same way on both sides)."""
    if word.isascii():
        return word.lower().replace("'", "")
    word = "".join(
        c for c in unicodedata.normalize("NFKD", word.translate(_FOLD)) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFKC", word).lower().translate(_FOLD).replace("'", "")


@lru_cache(maxsize=4096)
def pinyin_word(han: str) -> str:
    """Read a run of Chinese characters as one toneless pinyin word (硕康 -> shuokang; ü -> u)."""
    return "".join(lazy_pinyin(han, style=Style.NORMAL, v_to_u=True)).replace("ü", "u")


_Raw = tuple[str, int, int, bool]  # folded text, start and end in the NFKC name, read from Chinese


def _han_tokens(run: str, at: int, legal: list[str], translated: list[tuple[str, str]]) -> list[_Raw]:
    """Read a run of Chinese characters: business/place words by meaning, legal forms out, the rest as pinyin."""
    out: list[_Raw] = []
    pos = 0
    for m in [*_HAN_SCAN.finditer(run), None]:
        stop = len(run) if m is None else m.start()
        if stop > pos:
            word = pinyin_word(run[pos:stop])
            out.append((word, at + pos, at + stop, True))
            translated.append((run[pos:stop], word))
        if m is None:
            break
        term = m.group()
        if term in HAN_TERMS:
            out.extend((w, at + m.start(), at + m.end(), True) for w in HAN_TERMS[term])
            translated.append((term, " ".join(HAN_TERMS[term])))
        else:
            legal.append(term)
        pos = m.end()
    return out


def _join_initials(raw: list[_Raw], text: str) -> list[_Raw]:
    """Join runs of single Latin letters split by dots or spaces: "S.A." / "S A" -> "sa", "A.A.M." -> "aam"
    (not across a comma: "TITLE I, S.A." keeps "i"; with no `text`, join every run)."""
    if all(len(t[0]) > 1 for t in raw):
        return raw
    out: list[_Raw] = []
    run: list[_Raw] = []
    for tok in [*raw, ("", 0, 0, False)]:
        if len(tok[0]) == 1 and tok[0].isalpha() and not tok[3]:
            if run and text and text[run[-1][2] : tok[1]].strip(". "):
                if len(run) > 1:
                    out.append(_initials(run))
                else:
                    out.extend(run)
                run = []
            run.append(tok)
            continue
        if len(run) > 1:
            out.append(_initials(run))
        else:
            out.extend(run)
        run = []
        if tok[0]:
            out.append(tok)
    return out


def _as_written(text: str, start: int, end: int) -> str:
    """The legal form as the user wrote it, with its closing full stop ("Co., Ltd.")."""
    return text[start : end + 1] if text[end : end + 1] == "." else text[start:end]


def _join_letters(tokens: list[NameToken]) -> list[NameToken]:
    """Join single letters left side by side once stop words are gone ("A & A" -> "aa"), so that the
    normalised text reads back the same."""
    out: list[NameToken] = []
    for t in tokens:
        if (
            out
            and len(t.text) == 1
            and len(out[-1].text) == 1
            and t.text.isalpha()
            and out[-1].text.isalpha()
        ):
            prev = out.pop()
            out.append(
                NameToken(prev.text + t.text, f"{prev.source} {t.source}", prev.han, prev.start, t.end)
            )
        else:
            out.append(t)
    return out


def _initials(run: list[_Raw]) -> _Raw:
    return ("".join(t[0] for t in run), run[0][1], run[-1][2], False)


def _strip_legal(words: list[_Raw], text: str, legal: list[str]) -> list[_Raw]:
    """Remove legal forms (anywhere for unambiguous ones, at the end for short ones), keeping one word."""
    texts = [w[0] for w in words]
    if _LEGAL_WORDS.isdisjoint(texts):
        return words
    found: list[str] = []
    keep: list[_Raw] = []
    i = 0
    while i < len(words):
        for phrase in _LEGAL_BY_FIRST.get(texts[i], ()):
            n = len(phrase)
            if tuple(texts[i : i + n]) == phrase and len(words) > n:
                found.append(_as_written(text, words[i][1], words[i + n - 1][2]))
                i += n
                break
        else:
            keep.append(words[i])
            i += 1
    changed = True
    while changed and len(keep) > 1:
        changed = False
        for phrase in _LEGAL_END_BY_LAST.get(keep[-1][0], ()):
            n = len(phrase)
            if len(keep) > n and tuple(w[0] for w in keep[-n:]) == phrase:
                found.append(_as_written(text, keep[-n][1], keep[-1][2]))
                keep = keep[:-n]
                changed = True
                break
    while len(keep) > 1 and (keep[0][0],) in LEGAL_AT_START:
        found.append(_as_written(text, keep[0][1], keep[0][2]))
        keep = keep[1:]
    if not keep:  # the whole name is legal forms: keep it as written
        return words
    legal.extend(found)
    return keep


def _canonical(words: list[_Raw], text: str) -> list[NameToken]:
    """Bring business words to one spelling (longest phrase first)."""
    out: list[NameToken] = []
    texts = [w[0] for w in words]
    i = 0
    while i < len(words):
        if texts[i] in _SYN_FIRST:
            for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
                canon = SYNONYMS.get(tuple(texts[i : i + n]))
                if canon is not None:
                    part = words[i : i + n]
                    start, end = part[0][1], part[-1][2]
                    out.append(NameToken(canon, text[start:end], any(w[3] for w in part), start, end))
                    i += n
                    break
            else:
                canon = None
            if canon is not None:
                continue
        w = words[i]
        out.append(NameToken(w[0], text[w[1] : w[2]], w[3], w[1], w[2]))
        i += 1
    return out


def _by_end(phrases: tuple[tuple[str, ...], ...], end: int) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        index.setdefault(phrase[end], []).append(phrase)
    return {k: tuple(v) for k, v in index.items()}


_LEGAL_BY_FIRST = _by_end(LEGAL_ANYWHERE, 0)
_LEGAL_WORDS = frozenset(w for p in (*LEGAL_ANYWHERE, *LEGAL_AT_END, *LEGAL_AT_START) for w in p)
_PHRASE_WORDS = frozenset(
    w for p in (*LEGAL_ANYWHERE, *LEGAL_AT_END, *LEGAL_AT_START, *SYNONYMS) if len(p) > 1 or p in LEGAL_AT_END
    or p in LEGAL_AT_START or p in LEGAL_ANYWHERE for w in p
)  # fmt: skip
"""Words that start, end or belong to a legal form or a business-word phrase: only names holding one can
change when normalised again."""
_LEGAL_END_BY_LAST = _by_end(LEGAL_AT_END, -1)
_SYN_FIRST = frozenset(k[0] for k in SYNONYMS)


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> NormalisedName:
    """Normalise a company or person name into canonical tokens, recording what was removed or rewritten.

    Idempotent on its own output: `normalise_name(normalise_name(x).text).text == normalise_name(x).text`.
    """
    text = unicodedata.normalize("NFKC", name)
    raw: list[_Raw] = []
    legal: list[str] = []
    joined: list[str] = []
    translated: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "han":
            raw.extend(_han_tokens(m.group(), m.start(), legal, translated))
        elif m.lastgroup == "amp":
            raw.append(("and", m.start(), m.end(), False))
        else:
            folded = _fold_latin(m.group())
            if "-" in folded:
                folded = folded.replace("-", "")
                joined.append(m.group())
            if folded:
                raw.append((folded, m.start(), m.end(), False))
    current = _join_initials(raw, text)
    spaced: list[NameToken] = []
    tokens: list[NameToken] = []
    for _ in range(4):  # to a fixed point: dropping "del" from "Import del Export" makes a phrase again
        step = _canonical(_join_initials(_strip_legal(current, text, legal), ""), text)
        spaced = spaced or step  # letters left apart by a comma ("A, B") join in the second call
        tokens = _join_letters([t for t in step if t.text not in STOP_WORDS] or step)
        if len(tokens) == len(step) and _PHRASE_WORDS.isdisjoint(t.text for t in tokens):
            break  # nothing dropped or joined, no word that could start a phrase: already a fixed point
        again = [(t.text, t.start, t.end, t.han) for t in tokens]
        if [w[0] for w in again] == [w[0] for w in current]:
            break
        current = again
    words = tuple(t.text for t in tokens)
    legal_key = tuple("".join(c for c in f.casefold() if c.isalnum()) for f in legal)
    return NormalisedName(
        name, tuple(tokens), tuple(legal), tuple(joined), tuple(translated), words, " ".join(sorted(words)),
        tuple(t.text for t in spaced), legal_key,
    )  # fmt: skip


_VOWELS = frozenset("aeiouy")
PART_MAP: dict[str, str] = {
    **{k[0]: v for k, v in SYNONYMS.items() if len(k) == 1},
    **{w: "" for w in STOP_WORDS},
    **{p[0]: "" for p in LEGAL_ANYWHERE if len(p) == 1},
}
"""Words a glued token may contain beside listed words: business words (read canonically), stop words
and legal forms (dropped): "SERVICIOSadministrativos" -> service administrativos, "ERJMlimited" -> erjm."""


def split_into(token: str, vocabulary: Container[str], max_parts: int = 4) -> tuple[str, ...] | None:
    """Split a token into 2..max_parts words of `vocabulary` ("wuhanshuokang" -> ("wuhan", "shuokang")).

    Fewest parts win; each part has at least two letters, and a vowel unless it comes first ("JMproviders"
    but not "xinlo ng"). Business words, stop words and legal
    forms may be parts (`PART_MAP`: "loszetas" -> ("zetas",)). None when no split exists.
    """
    n = len(token)
    if n < 4 or token in vocabulary:
        return None
    ends = range(2, n - 1)
    if not any(token[:j] in vocabulary or token[:j] in PART_MAP for j in ends) or not any(
        token[j:] in vocabulary or token[j:] in PART_MAP for j in ends
    ):
        return None  # neither a first nor a last part: no split (the usual case, checked cheaply)
    best: dict[int, tuple[str, ...]] = {n: ()}
    for i in range(n - 2, -1, -1):
        options = [
            (token[i:j], *best[j])
            for j in range(i + 2, n + 1)
            if j in best
            and len(best[j]) < max_parts
            and (i, j) != (0, n)
            and (token[i:j] in vocabulary or token[i:j] in PART_MAP)
            and (i == 0 or not _VOWELS.isdisjoint(token[i:j]))
        ]
        if options:
            best[i] = min(options, key=len)
    found = best.get(0)
    if not found or len(found) < 2:
        return None
    kept = tuple(PART_MAP.get(p, p) for p in found if PART_MAP.get(p, p))
    if len(kept) == 1 and len(kept[0]) < 4:
        return None  # "dudan" is not "du" + "dan": a lone word left after a stop word must be long
    return kept or None


def join_into(words: tuple[str, ...], vocabulary: Container[str], max_join: int = 4) -> tuple[str, ...]:
    """Join runs of 2..max_join adjacent words that spell one word of `vocabulary` (longest run first).

    ("wu", "han", "shuo", "kang") with "wuhan" and "shuokang" known -> ("wuhan", "shuokang").
    """
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(max_join, len(words) - i), 1, -1):
            cand = "".join(words[i : i + n])
            if cand in vocabulary:
                out.append(cand)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def has_han(text: str) -> bool:
    """True when the text contains Chinese characters."""
    return any(is_cjk(c) for c in text)
