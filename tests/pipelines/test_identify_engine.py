"""The local engine running identification: the records of `identify_stream`, in input order, with
rejects (the reader's and the job's) in place, from one process or two, chunk boundaries anywhere."""

from __future__ import annotations

import json
import multiprocessing
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from precwatch.core.kb.knowledge import KnowledgeBaseError
from precwatch.data import load_kb
from precwatch.io.records import InputRecord, Reject
from precwatch.pipelines import engine
from precwatch.pipelines.engine import EngineError, run_local
from precwatch.pipelines.identify import identify_stream
from precwatch.pipelines.identify_job import IdentifyJob
from tests.support.cli import ROOT

TEXTS = [
    json.loads(x)["text"] for x in (ROOT / "tests/data/devset.jsonl").read_text(encoding="utf-8").splitlines()
]


def _items(count: int) -> list[InputRecord | Reject]:
    """Dev-set texts as records; every 11th a structure (every 22nd unreadable), a reader reject every 17th."""
    out: list[InputRecord | Reject] = []
    for n in range(count):
        if n % 11 == 0:
            smiles = "C1CC(((N" if n % 22 == 0 else "O=C1CCN(CCc2ccccc2)CC1"
            out.append(InputRecord(f"S{n}", "", n + 1, smiles, "smiles"))
        else:
            out.append(InputRecord(f"T{n}", TEXTS[n % len(TEXTS)], n + 1))
        if n % 17 == 16:
            out.append(Reject("in.jsonl", n + 1, None, "not JSON", "{"))
    return out


JOB = IdentifyJob(min_confidence=0.5, file_name="in.jsonl")


def _plain(results: list[tuple[InputRecord, list[object]] | Reject]) -> list[object]:
    """Results as the output sees them: a record's id and matches, or the reject."""
    return [r if isinstance(r, Reject) else (r[0].id, r[0].line, r[1]) for r in results]


@pytest.fixture(scope="module")
def reference() -> list[object]:
    return _plain(list(identify_stream(_items(600), load_kb(), min_confidence=0.5, name="in.jsonl")))


@pytest.mark.parametrize(("jobs", "chunk_size"), [(1, 7), (2, 7), (2, 2000)])
def test_the_engine_gives_identify_streams_results_in_order(
    reference: list[object], jobs: int, chunk_size: int
) -> None:
    results = list(run_local(_items(600), JOB, jobs=jobs, chunk_size=chunk_size))
    assert _plain(results) == reference  # type: ignore[arg-type]
    rejects = [r for r in results if isinstance(r, Reject)]
    assert {r.code for r in rejects} == {"unusable-field", "structure"}
    assert any(matches for r in results if not isinstance(r, Reject) for matches in [r[1]])
    assert all(m.confidence >= 0.5 for r in results if not isinstance(r, Reject) for m in r[1])


def test_spawned_workers_load_their_own_knowledge_base(
    reference: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "_context", lambda: multiprocessing.get_context("spawn"))
    assert _plain(list(run_local(_items(600), JOB, jobs=2, chunk_size=100))) == reference  # type: ignore[arg-type]


def test_workers_send_back_ids_and_matches_not_texts() -> None:
    results = JOB.process([InputRecord("a", "NPP 99% " + "x" * 1000, 3)])
    (packed,) = JOB.pack(results)
    assert "x" * 1000 not in repr(packed)
    ((record, matches),) = JOB.unpack([packed])  # type: ignore[misc]
    assert (record.id, record.line, matches) == ("a", 3, results[0][1])  # type: ignore[index]


def test_the_pool_reads_ahead_a_bounded_number_of_chunks() -> None:
    pulled = [0]

    def records() -> Iterator[InputRecord]:
        for n in range(100_000):
            pulled[0] += 1
            yield InputRecord(str(n), TEXTS[n % len(TEXTS)], n + 1)

    results = run_local(records(), JOB, jobs=2, chunk_size=10)
    assert next(results)[0].id == "0"  # type: ignore[index]
    assert pulled[0] <= (2 * 2 + 1) * 10
    results.close()


def test_a_broken_knowledge_base_fails_before_any_record_is_read(tmp_path: Path) -> None:
    broken = tmp_path / "kb.yaml"
    broken.write_text("substances: [", encoding="utf-8")
    before = len(multiprocessing.active_children())
    with pytest.raises(KnowledgeBaseError, match=r"kb\.yaml"):
        run_local(iter(()), IdentifyJob(str(broken)), jobs=2)
    assert len(multiprocessing.active_children()) == before


def test_an_error_in_a_worker_names_the_lines() -> None:
    job = IdentifyJob(min_confidence="high")  # type: ignore[arg-type]  # compared with a float: TypeError
    with pytest.raises(EngineError, match=r"identifying lines 1-7 failed"):
        list(run_local(_items(30), job, jobs=2, chunk_size=7))


def test_records_pickle_to_themselves() -> None:
    for record in (InputRecord("a", "text", 3), InputRecord("b", "", 4, "CCO", "smiles")):
        assert pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)) == record
