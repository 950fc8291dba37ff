from __future__ import annotations

from pathlib import Path

from precwatch.core.osint.boilerplate import LINE_RULES, TAIL_RULES, clean_lines
from precwatch.core.osint.intake import build_article

SAMPLES = Path(__file__).resolve().parents[3] / "examples" / "osint"


def test_every_rule_is_documented() -> None:
    for rule in [*LINE_RULES.values(), *TAIL_RULES.values()]:
        assert rule.__doc__ and len(rule.__doc__) > 40


def test_scraped_page_loses_its_furniture_and_keeps_its_story() -> None:
    article = build_article("004.txt", (SAMPLES / "004_c7058580ab120668.txt").read_text(encoding="utf-8"))
    rules = {rule for rule, _line in article.removed}
    assert {
        "page-date",
        "page-widget",
        "subscription-prompt",
        "source-link",
        "comment-form-or-related-block",
    } <= rules
    for junk in ("Please enter your comment", "Source link", "Must read", "Latest article", "LEAVE A REPLY"):
        assert junk not in article.text
    assert article.title == "U.S. and Chinese officials discuss crackdown on fentanyl"
    assert "(2-bromoethyl)benzene" in article.text
    assert article.captured is not None and article.captured.isoformat() == "2024-11-18"
    assert article.published is None  # the date bar is not the publication date


def test_paywall_prompts_and_skip_links() -> None:
    article = build_article("003.txt", (SAMPLES / "003_8f2769603f1e03f5.txt").read_text(encoding="utf-8"))
    assert article.text.startswith("The United States and China are set to conduct")
    assert "subscriber" not in article.text and "Keep up to date" not in article.text


def test_copyright_year_is_kept_as_a_hint() -> None:
    article = build_article("001.txt", (SAMPLES / "001_08e9b12644dfc872.txt").read_text(encoding="utf-8"))
    assert article.year_hints == (2023,)
    assert "Read more:" not in article.text and "bloomberg.com" not in article.text


def test_spanish_and_chinese_furniture() -> None:
    text = "Saltar al contenido\nLa Marina aseguró precursores.\nLee también: otra nota\n责任编辑：王磊\nDeja un comentario\nNombre"
    cleaned = clean_lines(text)
    assert cleaned.text == "La Marina aseguró precursores."


def test_a_comment_heading_early_in_the_text_does_not_cut_the_article() -> None:
    text = "Comments\nThe story starts here.\nIt goes on.\nAnd ends."
    assert clean_lines(text).text == "The story starts here.\nIt goes on.\nAnd ends."
