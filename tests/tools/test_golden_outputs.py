"""The golden-outputs normalisations touch only volatile content (paths, run times, figures, terminal noise)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tools.golden_outputs import (
    RunContext,
    compare,
    normalise,
    normalise_figures,
    normalise_paths,
    normalise_run_dates,
    normalise_run_times,
    strip_terminal,
)

START = datetime(2026, 12, 5, 13, 0, 0, tzinfo=UTC)
END = START + timedelta(seconds=30)
PLAIN = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.just("\n"), max_size=200)


def test_paths_longest_first() -> None:
    paths = {"/tmp/golden-x": "<TMP>", "/work/repo": "<REPO>", "/work/repo/.venv": "<VENV>"}
    text = (
        "read /work/repo/examples/a.csv, wrote /tmp/golden-x/out.jsonl using /work/repo/.venv/bin/precwatch"
    )
    assert normalise_paths(text, paths) == (
        "read <REPO>/examples/a.csv, wrote <TMP>/out.jsonl using <VENV>/bin/precwatch"
    )


@given(PLAIN)
def test_paths_leave_other_text_alone(text: str) -> None:
    paths = {"/nonexistent-\x00-path": "<X>"}
    assert normalise_paths(text, paths) == text


def test_run_time_inside_window_replaced_outside_kept() -> None:
    text = (
        "generated 2026-12-05 13:00:12 UTC; ingested_at 2026-12-05T13:00:20.123456+00:00; captured 2024-06-01"
    )
    assert normalise_run_times(text, START, END) == (
        "generated <RUN-TIME> UTC; ingested_at <RUN-TIME>; captured 2024-06-01"
    )
    old = "first seen 2024-06-01T10:00:00Z, declared 2026-11-20 08:15"
    assert normalise_run_times(old, START, END) == old


def test_run_time_with_offset_is_compared_in_utc() -> None:
    assert normalise_run_times("at 2026-12-05T14:00:05+01:00", START, END) == "at <RUN-TIME>"
    assert normalise_run_times("at 2026-12-05T13:00:05+05:00", START, END) == "at 2026-12-05T13:00:05+05:00"


def test_invalid_date_time_is_left_alone() -> None:
    assert normalise_run_times("2026-13-45 13:00", START, END) == "2026-13-45 13:00"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_run_time_replaced_iff_in_window(dt: datetime) -> None:
    aware = dt.replace(tzinfo=UTC, microsecond=0)
    text = f"x {aware.isoformat()} y"
    inside = START - timedelta(hours=1) <= aware <= END + timedelta(hours=1)
    assert (normalise_run_times(text, START, END) == "x <RUN-TIME> y") == inside


def test_run_date_only_after_generated() -> None:
    text = "5 events, generated 2026-12-05. Declared 2026-12-05 by the shipper."
    assert (
        normalise_run_dates(text, START, END)
        == "5 events, generated <RUN-DATE>. Declared 2026-12-05 by the shipper."
    )
    assert normalise_run_dates("generated 2024-06-01", START, END) == "generated 2024-06-01"


def test_figures() -> None:
    assert normalise_figures("scored 1,200 records in 3.5 s (342.9 records/s), OPSIN 250 ms") == (
        "scored 1,200 records in <DUR> (<RATE>), OPSIN <DUR>"
    )
    assert normalise_figures("read 40 records: 37 scored, 25kg/drum, CAS 39742-60-4") == (
        "read 40 records: 37 scored, 25kg/drum, CAS 39742-60-4"
    )


def test_strip_terminal_keeps_last_progress_state_and_drops_ansi() -> None:
    text = "\x1b[1mbold\x1b[0m\nscreening  10%\rscreening  50%\rscreening 100%\ndone\n"
    assert strip_terminal(text) == "bold\nscreening 100%\ndone\n"


@given(PLAIN)
def test_strip_terminal_is_identity_on_plain_text(text: str) -> None:
    assert strip_terminal(text) == text


@given(PLAIN)
def test_normalise_is_idempotent(text: str) -> None:
    ctx = RunContext({"/tmp/golden-q": "<TMP>"}, START, END)
    once = normalise(text, ctx)
    assert normalise(once, ctx) == once


def test_compare_reports_same_and_differs() -> None:
    rec = {"a": {"stdout": "x\n"}, "b": {"stdout": "1\n2\n"}}
    ok, report = compare(rec, {"a": {"stdout": "x\n"}, "b": {"stdout": "1\n3\n"}})
    assert not ok
    assert "a" + " " * 47 + " same" in report and "differs" in report
    assert "-2" in report and "+3" in report
    ok, report = compare(rec, rec)
    assert ok and "differs" not in report
