from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from precwatch.io.articles import ArticleError, Reject, detect_language, read_article, read_folder

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Navy seizes precursors | Example News</title>
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> Skip to main content</nav>
<article><h1>Navy seizes precursors in Manzanillo</h1>
<p>MANZANILLO, Mexico — Mexico's navy said on Monday it had seized 1,500 kilograms of fentanyl precursor
chemicals in containers that arrived at the port of Manzanillo from China.</p>
<p>The Secretaría de Marina said the shipment was declared as industrial solvents and was found during an
inspection with the customs agency ANAM. No arrests were reported.</p>
<p>Officials did not say who the consignee was; the investigation continues, the navy added in a statement.</p>
</article>
<div class="comments"><h3>Leave a comment</h3><p>Great article! Visit my site for cheap pills.</p></div>
<footer>© 2024 Example News. All rights reserved.</footer></body></html>"""

EML = """From: Alerts <alerts@example.org>
To: analyst@example.org
Subject: =?utf-8?q?Aseguran_precursores_en_L=C3=A1zaro_C=C3=A1rdenas?=
Date: Tue, 05 Mar 2024 08:15:00 -0600
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

La Secretaría de Marina aseguró el lunes 40 tambos con precursores químicos en el puerto de Lázaro Cárdenas, Michoacán, procedentes de China.
"""


def test_html_page_text_title_and_date_without_comments(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    article = read_article(path)
    assert "1,500 kilograms" in article.text
    assert "cheap pills" not in article.text and "Home" not in article.text
    assert article.published == date(2024, 3, 5) and article.published_source == "html"
    assert "Navy seizes precursors" in article.title
    assert article.language == "en"


def test_email_alert(tmp_path: Path) -> None:
    path = tmp_path / "alert.eml"
    path.write_bytes(EML.encode("utf-8"))
    article = read_article(path)
    assert article.title == "Aseguran precursores en Lázaro Cárdenas"
    assert article.published == date(2024, 3, 5) and article.published_source == "email"
    assert article.language == "es"
    assert "40 tambos" in article.text


def test_languages() -> None:
    assert detect_language("La Secretaría de Marina aseguró precursores químicos en el puerto.") == "es"
    assert detect_language("海关总署查获一批运往墨西哥的化学品。") == "zh"
    assert detect_language("The navy seized chemicals at the port.") == "en"


def test_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 fentanyl")
    with pytest.raises(ArticleError, match=r"bad\.txt: byte 3 is not UTF-8"):
        read_article(bad)
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body></body></html>", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"empty\.html: no article text"):
        read_article(empty)


def test_folder_reads_every_file_and_rejects_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Mexico and China held talks on fentanyl.\nMore text here.", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe\x00bad")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / "sources.csv").write_text(
        "file,published,outlet\na.txt,2024-01-29,Example Wire\n", encoding="utf-8"
    )
    items = list(read_folder(tmp_path))
    assert [getattr(i, "id", None) or getattr(i, "file", None) for i in items] == [
        "a.txt",
        "b.txt",
        "notes.docx",
    ]
    a, b, c = items
    assert not isinstance(a, Reject) and a.published == date(2024, 1, 29) and a.outlet == "Example Wire"
    assert isinstance(b, Reject) and "b.txt" in b.reason
    assert isinstance(c, Reject) and "not an article file" in c.reason


def test_malformed_manifest_names_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "sources.csv").write_text("file,published\na.txt,29/01/2024\n", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"sources\.csv: line 2: field 'published'"):
        list(read_folder(tmp_path))
