"""The instruction-count benchmark's worker (`benchmarks.instructions`) runs both modes on real files (natively:
under valgrind the knowledge base alone takes half a minute to load, and a measure takes minutes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import instructions


def _blocks(tmp_path: Path) -> list[Path]:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"id": "1", "text": "NPP CAS 39742-60-4, 25 kg"}\n', encoding="utf-8")
    second.write_text('{"id": "2", "text": "cotton t-shirts"}\n', encoding="utf-8")
    return [first, second]


@pytest.mark.parametrize("mode", ["end_to_end", "ceiling"])
def test_the_worker_runs_each_mode(tmp_path: Path, mode: str) -> None:
    instructions._work(mode, 2, [str(p) for p in _blocks(tmp_path)])


def test_an_unknown_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="unknown mode"):
        instructions._work("fastest", 1, [str(p) for p in _blocks(tmp_path)])
