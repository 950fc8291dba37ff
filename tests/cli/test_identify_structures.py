"""The CLI on structures, end to end on real files: --smiles, .smi, .sdf with a broken record, JSONL
structure fields, systematic names through OPSIN, explain and depict."""

from __future__ import annotations

import json
from pathlib import Path

from rdkit import Chem

from tests.support.cli import lines, run

CBZ_4AP = "O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1"


def test_identify_smiles_option(tmp_path: Path) -> None:
    r = run("identify", "--smiles", CBZ_4AP, "--smiles", "CCO", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    first, second = (json.loads(line) for line in r.stdout.splitlines())
    (m,) = first["matches"]
    assert (m["substance"], m["relation"], m["cas"], m["transformation"]) == (
        "4-ap",
        "masked",
        "23056-29-3",
        "n-cbz-removal",
    )
    assert "4-ap-derivative" in m["classes"] and m["method"] == "structure"
    assert second["matches"] == []


def test_smi_file_with_an_unreadable_line(tmp_path: Path) -> None:
    (tmp_path / "cat.smi").write_text(
        "Cl.Cl.c1ccc(NC2CCNCC2)cc1 A1\nC1CC broken\nCC(C)(C)C(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1 A3\n",
        encoding="utf-8",
    )
    r = run("identify", "cat.smi", "--out", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = lines(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["A1", "A3"]
    assert out[0]["matches"][0]["relation"] == "salt"  # type: ignore[index]
    assert out[1]["matches"][0]["class_id"] == "fentanyl-related"  # type: ignore[index]
    (reject,) = lines(tmp_path / "cat.smi.rejects.jsonl")
    assert (reject["line"], reject["field"]) == (2, "smiles") and "not a valid smiles" in str(
        reject["reason"]
    )
    assert "read 3 records: 2 identified" in r.stderr and "1 rejected" in r.stderr


def test_sdf_ids_and_broken_block(tmp_path: Path) -> None:
    blocks = []
    for name, smi in (("NPP-1", "O=C1CCN(CCc2ccccc2)CC1"), ("BENIGN-2", "CC(=O)Nc1ccc(O)cc1")):
        mol = Chem.MolFromSmiles(smi)
        mol.SetProp("_Name", "title")
        mol.SetProp("CATALOG_NO", name)
        blocks.append(Chem.MolToMolBlock(mol) + ">  <CATALOG_NO>\n" + name + "\n\n$$$$\n")
    blocks.append("garbage\nno end\n$$$$\n")
    (tmp_path / "s.sdf").write_text("".join(blocks), encoding="utf-8")
    r = run("identify", "s.sdf", "--id-column", "CATALOG_NO", "--out", "o.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = lines(tmp_path / "o.jsonl")
    assert [o["id"] for o in out] == ["NPP-1", "BENIGN-2"]
    assert out[0]["matches"][0]["substance"] == "npp" and out[1]["matches"] == []  # type: ignore[index]
    (reject,) = lines(tmp_path / "s.sdf.rejects.jsonl")
    assert reject["field"] == "molblock" and "M  END" in str(reject["reason"])


def test_jsonl_structures_and_systematic_names(tmp_path: Path) -> None:
    records = [
        {"id": "a", "inchi": Chem.MolToInchi(Chem.MolFromSmiles("CC(=O)Cc1ccccc1"))},
        {"id": "b", "text": "Hot sale benzyl 4-anilinopiperidine-1-carboxylate 99%, DDP Mexico"},
        {"id": "c", "smiles": 42},
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    r = run("identify", "r.jsonl", "--out", "o.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    a, b = lines(tmp_path / "o.jsonl")
    assert a["matches"][0]["substance"] == "bmk"  # type: ignore[index]
    (m,) = b["matches"]  # type: ignore[misc]
    assert (m["substance"], m["relation"], m["method"]) == ("4-ap", "masked", "systematic-name")
    assert m["text"] == "benzyl 4-anilinopiperidine-1-carboxylate"
    (reject,) = lines(tmp_path / "r.jsonl.rejects.jsonl")
    assert (reject["line"], reject["field"]) == (3, "smiles")
    off = run("identify", "r.jsonl", "--no-systematic", cwd=tmp_path)
    assert '"systematic-name"' not in off.stdout


def test_explain_structure_and_depict(tmp_path: Path) -> None:
    r = run("explain", "Cl." + CBZ_4AP, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for expected in (
        "stripped hydrochloride",
        "N-Cbz removal",
        "class 4-ap-derivative",
        "85 FR 20822",
        "masked",
    ):
        assert expected in r.stdout, expected
    r = run("depict", "79099-07-3", "--out", "k.svg", cwd=tmp_path)
    assert r.returncode == 0 and "</svg>" in (tmp_path / "k.svg").read_text(encoding="utf-8")
    r = run("depict", CBZ_4AP, cwd=tmp_path)
    assert r.returncode == 0 and "</svg>" in r.stdout
    r = run("depict", "not-a-thing((", cwd=tmp_path)
    assert r.returncode == 2 and "neither" in r.stderr
