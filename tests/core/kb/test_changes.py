"""`precwatch kb diff OLD NEW`: the changes between two knowledge-base versions, as users run it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from precwatch.cli import main
from precwatch.core.kb.changes import diff, version_key
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.data import history_versions, load_kb, load_kb_version

BUNDLED = Path(__file__).resolve().parents[3] / "precwatch" / "data" / "substances.yaml"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_previous_version_is_kept_and_versions_resolve() -> None:
    assert "2026.11.1" in history_versions()
    assert load_kb_version("2026.11.1").version == "2026.11.1"
    assert load_kb_version("current").version == load_kb().version
    assert version_key(load_kb().version) > version_key("2026.11.1")
    assert load_kb().released and load_kb().changelog[-1]["version"] == load_kb().version


def test_diff_from_the_previous_version_as_json() -> None:
    code, out = _run("kb", "diff", "2026.11.1", "2026.12.1", "--format", "json")
    assert code == 0, out
    d = json.loads(out)
    assert (d["old_version"], d["new_version"]) == ("2026.11.1", "2026.12.1")
    added = {a["id"] for a in d["added"]}
    assert {"sufentanil", "remifentanil", "xylazine", "bmk-tert-butyl-glycidate"} <= added
    assert len(added) == len(load_kb()) - len(load_kb_version("2026.11.1"))
    assert d["removed"] == []
    removed_names = {n for c in d["names"] for n in c["removed"]}
    assert {
        "piperonylacetone",
        "胡椒基丙酮",
        "苯丙酮",
        "methyl phenylacetoacetate",
        "N-benzylpiperidone",
    } <= removed_names
    changes = {(s["substance"], s["jurisdiction"]): (s["old"], s["new"]) for s in d["statuses"]}
    assert changes[("carfentanil", "CN")][1] == "controlled narcotic (listed before 2019)"
    assert changes[("valerylfentanyl", "UN")] == ("unknown", "Schedule I (1961)")
    assert [e["version"] for e in d["changelog"]] == ["2026.12.1"]
    assert "carfentanil" in d["rescreen"] and "sufentanil" in d["rescreen"]


def test_diff_as_a_table_names_each_kind_of_change() -> None:
    code, out = _run("kb", "diff", "2026.11.1")
    assert code == 0, out
    added = len(load_kb()) - len(load_kb_version("2026.11.1"))
    for text in (
        f"substances added: {added}",
        "status changes:",
        "name changes:",
        "piperonylacetone",
        "to re-screen",
    ):
        assert text in out, text


def test_diff_of_two_files(tmp_path: Path) -> None:
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    data["version"] = "2026.12.2"
    data["substances"] = [s for s in data["substances"] if s["id"] != "xylazine"]
    for s in data["substances"]:
        if s["id"] == "piperidine":
            s["controls"]["EU"] = {"status": "Category 2", "source": "test", "effective": "2005"}
            s["names"]["en"].append("perhydropyridine")
    newer = tmp_path / "new.yaml"
    newer.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out = _run("kb", "diff", str(BUNDLED), str(newer), "--format", "json")
    assert code == 0, out
    d = json.loads(out)
    assert [r["id"] for r in d["removed"]] == ["xylazine"] and d["added"] == []
    assert d["statuses"] == [
        {"substance": "piperidine", "jurisdiction": "EU", "old": "unknown", "new": "Category 2",
         "old_effective": None, "new_effective": "2005", "source": "test"}
    ]  # fmt: skip
    assert d["names"] == [{"substance": "piperidine", "added": ["perhydropyridine"], "removed": []}]


def test_identical_versions_have_no_changes() -> None:
    kb = load_kb()
    assert diff(kb, kb).empty
    code, out = _run("kb", "diff", "current", "current", "--format", "json")
    assert code == 0 and json.loads(out)["rescreen"] == []


def test_an_unknown_version_is_a_clear_error() -> None:
    code, out = _run("kb", "diff", "1999.1.1")
    assert code != 0 and "1999.1.1" in out and "2026.11.1" in out


def test_diff_reports_identifier_changes() -> None:
    row = {
        "id": "x",
        "name": "X",
        "role": "precursor",
        "smiles": "C",
        "cas": "50-00-0",
        "names": {"en": ["x"]},
    }
    a = KnowledgeBase.from_data({"version": "1", "substances": [row]})
    b = KnowledgeBase.from_data({"version": "2", "substances": [row | {"cas": "64-17-5", "role": "reagent"}]})
    fields = {(f.field, f.old, f.new) for f in diff(a, b).fields}
    assert fields == {("cas", "50-00-0", "64-17-5"), ("role", "precursor", "reagent")}
