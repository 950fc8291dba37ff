"""The hub benchmark's known background load: how many busy processes, at which niceness, and that they are
really started at that niceness (a real process, read back from /proc)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks import hub_bench


def test_the_background_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(hub_bench.BACKGROUND_LOAD_ENV, "2")
    monkeypatch.setenv(hub_bench.BACKGROUND_NICE_ENV, "19")
    assert (hub_bench.background_processes(), hub_bench.background_niceness()) == (2, 19)
    monkeypatch.delenv(hub_bench.BACKGROUND_LOAD_ENV)
    monkeypatch.delenv(hub_bench.BACKGROUND_NICE_ENV)
    assert (hub_bench.background_processes(), hub_bench.background_niceness()) == (0, 0)


@pytest.mark.parametrize("value", ["-1", "20", "high"])
def test_a_niceness_outside_0_to_19_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(hub_bench.BACKGROUND_NICE_ENV, value)
    with pytest.raises(ValueError, match="from 0 to 19"):
        hub_bench.background_niceness()


def _niceness(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])  # field 19 of stat: nice (fields[0] is field 3, the state)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads niceness from /proc (Linux)")
def test_the_busy_processes_run_at_the_niceness_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    real_popen = hub_bench.subprocess.Popen

    def recording_popen(*args: object, **kwargs: object) -> object:
        proc = real_popen(*args, **kwargs)  # type: ignore[call-overload]
        started.append(proc.pid)
        return proc

    monkeypatch.setattr(hub_bench.subprocess, "Popen", recording_popen)
    with hub_bench.background_load(1, 30, nice=7):
        (pid,) = started
        assert _niceness(pid) == min(19, os.nice(0) + 7)  # set in the child before Popen returns
