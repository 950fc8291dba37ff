"""Company and person name normalisation: legal forms, business words, pinyin, spacing, and what was changed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.parties.companies import (
    join_into,
    normalise_name,
    split_into,
    token_class,
)
from precwatch.core.parties.company_terms import LEGAL_ANYWHERE, STOP_WORDS, SYNONYMS


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HUBEI AMARVEL BIOTECH CO., LTD.", "Hubei Amarvel Bio-tech Company Limited"),
        ("HUBEI VAST CHEMICAL CO., LIMITED", "Hubei Vast Chemicals Co Ltd"),
        ("WUHAN SHUOKANG BIOLOGICAL TECHNOLOGY CO., LTD", "Wuhan Shuokang Biotechnology Limited"),
        ("SERVICIOS ADMINISTRATIVOS FORDTWOO, S.A. DE C.V.", "Servicios Administrativos Fordtwoo SA de CV"),
        ("SUNCAN MEXICO, S. DE R.L. DE C.V.", "Suncan Mexico S de RL de CV"),
        (
            "TRANSPORTES REFRIGERADOS PANDAS TRUCKING, SOCIEDAD ANONIMA DE CAPITAL VARIABLE",
            "Transportes Refrigerados Pandas Trucking S.A. de C.V.",
        ),
        ("Yantai Yixun International Trade Co., Ltd.", "YANTAI YIXUN INTL TRADING CO LTD"),
        ("Acme Import & Export GmbH", "ACME IMPORT AND EXPORT"),
        ("Valerian Labs, Inc.", "VALERIAN LABORATORIES CORP."),
        ("OOO Romashka", "Romashka LLC"),
        ("Compañía Química Ñandú S.A.", "COMPANIA QUIMICA NANDU"),
    ],
)
def test_variants_share_one_normal_form(a: str, b: str) -> None:
    assert normalise_name(a).text == normalise_name(b).text


def test_what_was_removed_is_kept_as_written() -> None:
    n = normalise_name("Hubei Amarvel Bio-tech Company Limited")
    assert n.words == ("hubei", "amarvel", "biotech")
    assert n.legal_forms == ("Company Limited",)
    assert n.joined == ("Bio-tech",)
    assert [t.source for t in n.tokens] == ["Hubei", "Amarvel", "Bio-tech"]
    assert normalise_name("HEBEI ATUN TRADING CO., LTD.").legal_forms == ("CO., LTD.",)
    mx = normalise_name("CONCEPTOS GASTRONOMICOS DE SONORA, S. DE R.L. DE C.V.")
    assert mx.legal_forms == ("S. DE R.L. DE C.V.",)
    assert mx.words == ("conceptos", "gastronomicos", "sonora")


def test_chinese_names_are_read_by_meaning_and_pinyin() -> None:
    n = normalise_name("湖北某某化工有限公司")
    assert n.words == normalise_name("Hubei Moumou Chemical Co Ltd").words == ("hubei", "moumou", "chem")
    assert n.legal_forms == ("有限公司",)
    assert n.translated == (("湖北", "hubei"), ("某某", "moumou"), ("化工", "chem"))
    assert all(t.han for t in n.tokens)
    assert normalise_name("湖北省武汉市硕康生物科技股份有限公司").words == (
        "hubei",
        "wuhan",
        "shuokang",
        "biotech",
    )
    assert normalise_name("廣州貿易有限公司").words == ("guangzhou", "trade")  # traditional characters
    assert normalise_name("上海慈顺精细化工有限公司").words == ("shanghai", "cishun", "fine", "chem")


def test_homoglyphs_and_full_width_letters_are_folded() -> None:
    assert normalise_name("НЕВЕI АТUN ТRADING").text == "hebei atun trade"  # Cyrillic look-alikes
    assert normalise_name("ＨＥＢＥＩ　ＡＴＵＮ").text == "hebei atun"


def test_initials_join_but_not_across_a_comma() -> None:
    assert normalise_name("A.A.M. PEIJNENBURG HOLDING B.V.").words == ("aam", "peijnenburg", "holding")
    assert normalise_name("CORPORATIVO TITLE I, S.A. DE C.V.").words == ("corporativo", "title", "i")


def test_legal_forms_only_at_the_end_when_they_could_be_words() -> None:
    assert normalise_name("SOCIEDAD SPA PENINSULA, S. DE R.L. DE C.V.").words == (
        "sociedad",
        "spa",
        "peninsula",
    )
    assert normalise_name("Peninsula Spa").words == ("peninsula",)
    assert normalise_name("SHENZHEN YASON GENERAL MACHINERY CO., LTD. NANCHANG BRANCH").words == (
        "shenzhen", "yason", "general", "machinery", "nanchang", "branch",
    )  # fmt: skip


def test_a_name_that_is_only_a_legal_form_is_kept() -> None:
    assert normalise_name("Company Limited").words == ("company", "limited")
    assert normalise_name("Company Limited").legal_forms == ()
    assert normalise_name("The Trading Company").words == ("trade",)


def test_token_classes() -> None:
    assert token_class("chem") == token_class("biotech") == token_class("impexp") == "generic"
    assert token_class("hubei") == token_class("wuhan") == token_class("sinaloa") == "place"
    assert token_class("shuokang") == "word"


def test_spacing_is_settled_against_a_vocabulary() -> None:
    vocab = {"wuhan", "shuokang", "zetas"}
    assert split_into("wuhanshuokang", vocab) == ("wuhan", "shuokang")
    assert split_into("loszetas", vocab) == ("zetas",)  # a stop word glued on
    assert split_into("serviciosadministrativos", {"administrativos"}) == ("service", "administrativos")
    assert split_into("xinlong", {"xin", "lo", "ng"}) is None  # "ng" has no vowel: not a word
    assert split_into("shuokang", vocab) is None  # already a word
    assert join_into(("wu", "han", "shuo", "kang", "biotech"), vocab) == ("wuhan", "shuokang", "biotech")


NAME_WORDS = st.sampled_from(
    ["hubei", "wuhan", "atun", "shuokang", "vast", "Amarvel", "cartel", "pandas", "DEL", "Trading", "Bio-tech",
     "Chemical", "Import", "&", "Export", "S.A.", "de", "C.V.", "Co.,", "Ltd.", "湖北", "某某", "化工", "有限公司",
     "Müller", "O'Brien", "Ｆｕｌｌ", "Зета", "42", "x"]
)  # fmt: skip
NAMES = st.lists(NAME_WORDS, min_size=1, max_size=8).map(" ".join)


@given(NAMES)
def test_normalising_is_idempotent(name: str) -> None:
    once = normalise_name(name).text
    assert normalise_name(once).text == once


@given(st.text(max_size=60))
def test_normalising_any_text_is_idempotent(name: str) -> None:
    once = normalise_name(name).text
    assert normalise_name(once).text == once


@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1, max_size=30))
def test_never_empty_for_alphabetic_input(name: str) -> None:
    assert normalise_name(name).words


CORE = st.lists(
    st.sampled_from(["atun", "shuokang", "fordtwoo", "zetas", "pandas", "yixun"]), min_size=1, max_size=3
)
SUFFIX = st.sampled_from(
    ["Co., Ltd.", "CO LTD", "Company Limited", "Limited", "Inc.", "Corp", "Corporation", "LLC", "GmbH",
     "S.A. de C.V.", "SA de CV", "S. de R.L. de C.V.", "有限公司", "股份有限公司", "有限责任公司", "公司",
     "Sociedad Anonima de Capital Variable", "Joint Stock Company", "B.V."]
)  # fmt: skip


@given(CORE, SUFFIX)
def test_legal_forms_are_stripped_and_recorded(core: list[str], suffix: str) -> None:
    n = normalise_name(" ".join(core) + " " + suffix)
    assert n.words == tuple(core)
    assert n.legal_forms == (suffix,)


@given(CORE, CORE)
def test_word_order_does_not_change_the_key(a: list[str], b: list[str]) -> None:
    words = a + b
    assert normalise_name(" ".join(words)).key == normalise_name(" ".join(reversed(words))).key


def test_tables_are_consistent() -> None:
    canon = set(SYNONYMS.values())
    assert all(SYNONYMS[(c,)] == c for c in canon)  # canonical forms normalise to themselves
    assert not canon & STOP_WORDS
    assert all(len(p) >= 1 for p in LEGAL_ANYWHERE)
