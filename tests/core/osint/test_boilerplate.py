from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Headline here\nPublished: Jan 29, 2024 10:15 AM EST\nBody text.", "2024-01-29"),
        ("Headline\nBy Jane Doe | January 29, 2024\nBody.", "2024-01-29"),
        ("Titular\nPublicado el 29 de enero de 2024\nCuerpo.", "2024-01-29"),
        ("标题\n发布时间：2024年1月29日 10:15\n正文。", "2024-01-29"),
        ("Headline\nJanuary 29, 2024\nBody.", "2024-01-29"),
        ("Headline\nUpdated: Jan 30, 2024\nBody.", "2024-01-30"),
        ("Title: A\nDate: Tue, 30 Jan 2024 08:00\n\nBody.", "2024-01-30"),
        ("BEIJING, Jan 30, 2024 (Reuters) - China and the US met.", "2024-01-30"),
    ],
)
def test_publication_dates_in_text(text: str, published: str) -> None:
    article = build_article("a.txt", text)
    assert article.published is not None and article.published.isoformat() == published
    assert "2024" not in article.text or article.published_source == "dateline"


def test_a_date_bar_above_the_headline_is_only_a_capture_date() -> None:
    article = build_article("a.txt", "Monday, November 18, 2024\nHeadline\nBody on Tuesday.")
    assert article.published is None and article.captured is not None


_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60
)


@given(st.lists(_LINE, max_size=30))
def test_every_line_is_kept_or_removed_with_a_rule(lines: list[str]) -> None:
    text = "\n".join(lines)
    cleaned = clean_lines(text)
    expected = [ln.strip() for ln in text.split("\n") if ln.strip()]
    kept = cleaned.text.split("\n") if cleaned.text else []
    assert sorted(kept + [line for _rule, line in cleaned.removed]) == sorted(expected)
    assert all(rule in LINE_RULES or rule in TAIL_RULES for rule, _line in cleaned.removed)
