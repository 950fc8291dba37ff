"""Names built on the fentanyl stem: variant spellings of listed analogues, unlisted analogues as the class, and
words that only modify the drug's name (not analogues)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.normalise import name_key
from precwatch.core.text.analogue_key import analogue_key, has_stem, other_analogue, stereo_prefix
from precwatch.core.text.identify import identify_text, reference_identify_text


def found(kb: KnowledgeBase, name: str) -> set[tuple[str, str, str]]:
    text = f"offer {name} powder"
    fast = identify_text(text, kb)
    assert [m.to_dict() for m in fast] == [m.to_dict() for m in reference_identify_text(text, kb)], text
    for m in fast:
        assert text[m.start : m.end] == m.text
    return {(m.substance, m.relation, m.method) for m in fast}


@pytest.mark.parametrize(
    ("name", "substance"),
    [
        ("thiofentanil", "thiofentanyl"),
        ("cis-3-methylfentanyl", "3-methylfentanyl"),
        ("(±)-cis-3-methylfentanyl", "3-methylfentanyl"),
        ("trans-3-methylfentanyl", "3-methylfentanyl"),
        ("(3R,4S)-3-methylfentanyl", "3-methylfentanyl"),
        ("rac-3-methylfentanyl", "3-methylfentanyl"),
        ("p-fluorobutyrfentanyl", "para-fluorobutyrylfentanyl"),
        ("4-fluorobutyrfentanyl", "para-fluorobutyrylfentanyl"),
        ("para fluoro butyryl fentanyl", "para-fluorobutyrylfentanyl"),
        ("p-fluoro-isobutyryl-fentanyl", "para-fluoroisobutyrfentanyl"),
        ("4-fluoroisobutyrylfentanil", "para-fluoroisobutyrfentanyl"),
        ("4-氟异丁酰芬太尼", "para-fluoroisobutyrfentanyl"),
        ("p-氟芬太尼", "para-fluorofentanyl"),
        ("4-氟丁酰芬太尼", "para-fluorobutyrylfentanyl"),
        ("2-氟芬太尼", "ortho-fluorofentanyl"),
        ("o-fluorofentanyl", "ortho-fluorofentanyl"),
        ("ortho fluoro fentanyl", "ortho-fluorofentanyl"),
        ("o-fluoroacrylfentanyl", "ortho-fluoroacrylfentanyl"),
        ("ortho-fluoroacryloylfentanyl", "ortho-fluoroacrylfentanyl"),
        ("acryloyl fentanyl", "acrylfentanyl"),
        ("valerylfentanil", "valerylfentanyl"),
        ("pentanoylfentanyl", "valerylfentanyl"),
        ("butyrylfentanilo", "butyrfentanyl"),
        ("butanoyl fentanyl", "butyrfentanyl"),
        ("furanylfentanil", "furanylfentanyl"),
        ("acetyl fentanil", "acetylfentanyl"),
        ("alpha-methyl fentanil", "alpha-methylfentanyl"),
        ("acetyl-alpha-methylfentanil", "acetyl-alpha-methylfentanyl"),
        ("p-chloroisobutyrfentanyl", "para-chloroisobutyrylfentanyl"),
        ("4-chloroisobutyrylfentanyl", "para-chloroisobutyrylfentanyl"),
        ("p-methoxybutyrfentanyl", "para-methoxybutyrylfentanyl"),
        ("cyclopropyl fentanil", "cyclopropylfentanyl"),
        ("metoxiacetilfentanyl", "methoxyacetylfentanyl"),
        ("3-methylthiofentanil", "3-methylthiofentanyl"),
        ("para-methylfentanil", "para-methylfentanyl"),
        ("顺式-3-甲基芬太尼", "3-methylfentanyl"),
    ],
)
def test_variant_spellings_are_the_listed_analogue(kb: KnowledgeBase, name: str, substance: str) -> None:
    assert found(kb, name) == {(substance, "listed", "name")}, name


@pytest.mark.parametrize(
    ("name", "substance"),
    [
        ("4-fluoroisobutyrylfentanyl", "para-fluoroisobutyrfentanyl"),
        ("tetrahydrofuranylfentanyl", "tetrahydrofuranylfentanyl"),
        ("methoxyacetylfentanyl", "methoxyacetylfentanyl"),
        ("cyclopropylfentanyl", "cyclopropylfentanyl"),
        ("ortho-fluorofentanyl", "ortho-fluorofentanyl"),
        ("para-chloroisobutyrylfentanyl", "para-chloroisobutyrylfentanyl"),
        ("valerylfentanyl", "valerylfentanyl"),
        ("3-methylthiofentanyl", "3-methylthiofentanyl"),
        ("ohmefentanyl", "beta-hydroxy-3-methylfentanyl"),
        ("sufentanil", "sufentanil"),
        ("alfentanil", "alfentanil"),
        ("remifentanil", "remifentanil"),
        ("carfentanil", "carfentanil"),
        ("carfentanyl", "carfentanil"),
        ("ocfentanil", "ocfentanil"),
        ("lofentanil", "lofentanil"),
        ("acetilfentanilo", "acetylfentanyl"),
        ("卡芬太尼", "carfentanil"),
        ("呋喃芬太尼", "furanylfentanyl"),
        ("4-FIBF", "para-fluoroisobutyrfentanyl"),
    ],
)
def test_listed_names_still_found(kb: KnowledgeBase, name: str, substance: str) -> None:
    assert {s for s, _, _ in found(kb, name)} == {substance}, name


@pytest.mark.parametrize(
    "name",
    [
        "brifentanil",
        "trefentanil",
        "mirfentanil",
        "isovalerylfentanyl",
        "hexanoylfentanyl",
        "ortho-fluorobutyrfentanyl",
        "meta-fluorofentanyl",
        "3-fluorofentanyl",
        "m-fluorofentanyl",
        "fluorofentanyl",
        "methylfentanyl",
        "thienylfentanyl",
        "β'-phenyl fentanyl",
        "β'-phenylfentanyl",
        "para-bromofentanyl",
        "2,2,3,3-tetramethylcyclopropylfentanyl",
        "4-fluoro-isovaleryl fentanyl",
        "methoxypropionylfentanyl",
        "3-甲基丁酰芬太尼",
        "异戊酰芬太尼",
        "间氟芬太尼",
    ],
)
def test_unlisted_stem_names_are_the_class(kb: KnowledgeBase, name: str) -> None:
    assert found(kb, name) == {("fentanyl-related", "class", "name")}, name
    (m,) = identify_text(f"offer {name} powder", kb)
    assert m.text == name and m.class_id == "fentanyl-related" and m.confidence < 0.9
    assert "not in the knowledge base" in m.evidence


def test_stereo_descriptor_said_in_evidence(kb: KnowledgeBase) -> None:
    (m,) = identify_text("offer (±)-cis-3-methylfentanyl", kb)
    assert m.substance == "3-methylfentanyl" and m.text == "(±)-cis-3-methylfentanyl"
    assert "stereoisomer named ('(±)-cis')" in m.evidence
    (m,) = identify_text("(3-methylfentanyl)", kb)
    assert m.text == "3-methylfentanyl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fentanyl-free formula, non-fentanyl analgesic", {"fentanyl"}),
        ("non-fentanyl", set()),
        ("anti-fentanyl campaign", set()),
        ("nonfentanyl opioids", set()),
        ("fentanyl test strips in stock", set()),
        ("fentanyl-related substances seized", {"fentanyl-related"}),
        ("fentanyl-laced pills", {"fentanyl"}),
        ("#buyfentanyl #bestfentanyl", set()),
        ("superfentanyl and pinkfentanyl", set()),
        ("we sell until fentanyl runs out", {"fentanyl"}),
        ("the fentanyls are opioids", {"fentanyl"}),
        ("fentanyl-d5 reference standard", {"fentanyl"}),
        ("pure fentanyl powder", {"fentanyl"}),
        ("buy fentanyl citrate", {"fentanyl"}),
        ("卖芬太尼", {"fentanyl"}),
        ("非芬太尼类药物", {"fentanyl-related"}),
        ("芬太尼检测试纸", {"fentanyl"}),
        ("phentanyl", set()),
        ("HALT Fentanyl Act passed", set()),
        ("order ethyl fentanyl test strips", set()),
        ("+86 164 3279 7104-苄基芬太尼", {"benzylfentanyl"}),
        (
            "CAS 3612-20-2-para-chloroisobutyryl fentanyl",
            {"1-benzyl-4-piperidone", "para-chloroisobutyrylfentanyl"},
        ),
        ("lot 1609661戊酰芬太尼", {"valerylfentanyl"}),
        ("we ship phenyl norfentanyl", {"norfentanyl"}),
        ("(1R,2S)-2-(methylamino)-1-phenylpropan-1-olfentanyl", set()),
    ],
)
def test_not_analogue_names(kb: KnowledgeBase, text: str, expected: set[str]) -> None:
    fast = identify_text(text, kb)
    assert [m.to_dict() for m in fast] == [m.to_dict() for m in reference_identify_text(text, kb)]
    assert {m.substance for m in fast} == expected, text


@pytest.mark.parametrize(
    ("word", "substance"),
    [
        ("acetyfentanyl", "acetylfentanyl"),
        ("carfentanol", "carfentanil"),
        ("furanylfentanly", "furanylfentanyl"),
        ("para-clhloroisobutyrylfentanyl", "para-chloroisobutyrylfentanyl"),
        ("α-methyllfentanyl", "alpha-methylfentanyl"),
        ("4-fluoroisobutrrfentanyl", "para-fluoroisobutyrfentanyl"),
    ],
)
def test_true_misspellings_stay_fuzzy(kb: KnowledgeBase, word: str, substance: str) -> None:
    assert found(kb, word) == {(substance, "listed", "fuzzy")}


def test_fuzzy_refuses_another_analogue() -> None:
    assert other_analogue("thienylfentanyl", "phenylfentanyl")
    assert other_analogue("fluorofentanyl", "p-fluorofentanyl")
    assert other_analogue("nonfentanyl", "nor-fentanyl")
    assert other_analogue("acetyfentanyl", "acetyl fentanyl") is None
    assert other_analogue("phentanyl", "fentanyl") is None  # not on the stem: an ordinary misspelling


_LOCANTS = {
    "4": ("4-", "4 ", "p-", "p ", "para-", "para ", "para", "4'-"),
    "2": ("2-", "o-", "ortho-", "ortho "),
}
_STEREO = (
    "",
    "(±)-",
    "(+)-",
    "(-)-",
    "cis-",
    "trans-",
    "rac-",
    "dl-",
    "(R)-",
    "(S)-",
    "(3R,4S)-",
    "(±)-cis-",
)
_STEMS = ("fentanyl", "fentanil", "fentanilo", " fentanyl", "-fentanyl", "fentanyle")


@settings(max_examples=300, deadline=None)
@given(
    locant=st.sampled_from(sorted(_LOCANTS)),
    style=st.integers(0, 7),
    halogen=st.sampled_from(("fluoro", "chloro")),
    acyl=st.sampled_from(
        (("butyr", "butyryl", "butanoyl"), ("isobutyr", "isobutyryl"), ("acryl", "acryloyl"))
    ),
    acyl_style=st.integers(0, 2),
    stereo=st.sampled_from(_STEREO),
    stem=st.sampled_from(_STEMS),
    upper=st.booleans(),
)
def test_variants_share_one_key(
    locant: str,
    style: int,
    halogen: str,
    acyl: tuple[str, ...],
    acyl_style: int,
    stereo: str,
    stem: str,
    upper: bool,
) -> None:
    """Every spelling of one structure (locant, acyl, stem, stereo descriptor, case, spacing) has one key."""
    forms = _LOCANTS[locant]
    written = f"{stereo}{forms[style % len(forms)]}{halogen}{acyl[acyl_style % len(acyl)]}{stem}"
    canonical = f"{locant}-{halogen}{acyl[-1] if acyl[-1] != 'butanoyl' else 'butyryl'}fentanyl"
    assert analogue_key(written.upper() if upper else written) == analogue_key(canonical)


@given(st.sampled_from(_STEREO), st.sampled_from(("3-methylfentanyl", "carfentanil", "4-fluorofentanyl")))
def test_stereo_prefix_split(stereo: str, name: str) -> None:
    descriptors, rest = stereo_prefix(stereo.lower() + name)
    assert rest == name and descriptors == stereo.lower().strip("-")


def test_no_two_substances_share_a_key(kb: KnowledgeBase) -> None:
    """Folding never merges names of different substances (every pair of knowledge-base names)."""
    names = [(s.id, n) for s in kb.substances for _, n in (("preferred", s.preferred_name), *s.names.all())]
    keys: dict[str, set[str]] = {}
    for sid, n in names:
        keys.setdefault(analogue_key(n), set()).add(sid)
    assert len(names) > 800 and sum(has_stem(n.lower()) for _, n in names) > 150
    assert {k: v for k, v in keys.items() if len(v) > 1} == {}
    by_name_key = {name_key(n): sid for sid, n in names}
    assert len({analogue_key(n) for _, n in names}) >= len(set(keys)) and len(by_name_key) >= len(keys)


def test_distinct_analogues_keep_distinct_keys() -> None:
    pairs = [
        ("4-fluorofentanyl", "2-fluorofentanyl"),
        ("4-fluorofentanyl", "fluorofentanyl"),
        ("p-fluorofentanyl", "m-fluorofentanyl"),
        ("butyrylfentanyl", "isobutyrylfentanyl"),
        ("valerylfentanyl", "isovalerylfentanyl"),
        ("benzylfentanyl", "benzoylfentanyl"),
        ("thienylfentanyl", "phenylfentanyl"),
        ("3-methylfentanyl", "alpha-methylfentanyl"),
        ("对氟芬太尼", "邻氟芬太尼"),
        ("4-氟芬太尼", "间氟芬太尼"),
    ]
    for a, b in pairs:
        assert analogue_key(a) != analogue_key(b), (a, b)
