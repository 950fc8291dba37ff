from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from precwatch.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "osint"
KEYS = [
    "id",
    "articles",
    "date",
    "title",
    "event_type",
    "chemicals",
    "countries",
    "organisations",
    "people",
    "quantities",
]


def test_cluster_writes_the_contract(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for p in EXAMPLES.glob("00?_*.txt"):
        shutil.copy(p, folder / p.name)
    shutil.copy(EXAMPLES / "sources.csv", folder / "sources.csv")
    out = tmp_path / "clusters.json"
    result = CliRunner().invoke(main, ["osint", "cluster", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    clusters = json.loads(out.read_text(encoding="utf-8"))["clusters"]
    assert [c["articles"] for c in clusters] == [
        ["000_39dc9e5e43b82c3e.txt", "001_08e9b12644dfc872.txt"],
        ["002_05c91090a97f7901.txt", "003_8f2769603f1e03f5.txt", "004_c7058580ab120668.txt"],
    ]
    assert [c["date"] for c in clusters] == ["2023-10-20", "2024-01-30"]
    for c in clusters:
        assert list(c)[: len(KEYS)] == KEYS
        assert all(len(code) == 2 and code.isupper() for code in c["countries"])
    assert clusters[1]["chemicals"][0] == "437-38-7"
    assert "5 articles read, 0 skipped; 2 events" in result.output


def test_ingest_jsonl_and_rejects(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "004_c7058580ab120668.txt", tmp_path / "004.txt")
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    out = tmp_path / "articles.jsonl"
    result = CliRunner().invoke(main, ["osint", "ingest", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (line,) = out.read_text(encoding="utf-8").splitlines()
    article = json.loads(line)
    assert article["captured"] == "2024-11-18" and article["published"] is None
    assert "Please enter your comment" not in article["text"]
    assert "x.pdf" in result.output and "1 articles read, 1 skipped" in result.output


def test_timeline_is_self_contained_html(tmp_path: Path) -> None:
    report = tmp_path / "timeline.html"
    result = CliRunner().invoke(main, ["osint", "timeline", str(EXAMPLES), "--report", str(report)])
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert html.count('class="event"') == 5 and "<svg" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "2024-01-30" in html and "(2-Bromoethyl)benzene (CAS 103-63-9)" in html
    printed = result.stdout.splitlines()
    assert "2023-10-20 (lead+published)  talks-agreement  Mexico and China Seek" in "\n".join(printed)
    assert sum(1 for line in printed if line.startswith("    sources: ")) == 5


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["osint", "cluster", str(tmp_path / "nope"), "--out", str(tmp_path / "c.json")]
    )
    assert result.exit_code != 0 and "does not exist" in result.output


def test_a_stand_in_date_is_marked_on_the_timeline(tmp_path: Path) -> None:
    report = tmp_path / "timeline.html"
    seizure = EXAMPLES.parents[1] / "tests" / "data" / "osint_seizure"
    result = CliRunner().invoke(main, ["osint", "timeline", str(seizure), "--report", str(report)])
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert "2024-03-12" in html and "publication date, standing in" in html
