from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from precwatch.core.osint.dates import find_dates, parse_date_line, resolve, years_with_weekday

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]  # fmt: skip
ES_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
             "noviembre", "diciembre"]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@given(days)
def test_written_full_dates_read_back_in_three_languages(d: date) -> None:
    for text in (
        f"officials met on {EN_MONTHS[d.month - 1]} {d.day}, {d.year} in Beijing",
        f"{WEEKDAYS[d.weekday()]}, {d.day} {EN_MONTHS[d.month - 1]} {d.year}",
        f"la reunión del {d.day} de {ES_MONTHS[d.month - 1]} de {d.year}",
        f"{d.year}年{d.month}月{d.day}日，公安部",
        f"published {d.isoformat()}",
    ):
        (mention,) = [m for m in find_dates(text) if m.precision == "day"]
        assert resolve(mention, None) == d, text


@given(days)
def test_a_date_line_is_recognised_only_alone(d: date) -> None:
    line = f"{WEEKDAYS[d.weekday()]}, {EN_MONTHS[d.month - 1]} {d.day}, {d.year}"
    assert parse_date_line(line) == d
    assert parse_date_line(line + " officials said") is None


@given(days, st.integers(0, 6))
def test_weekdays_resolve_within_the_week_of_publication(published: date, weekday: int) -> None:
    name = WEEKDAYS[weekday]
    (future,) = find_dates(f"The two sides will meet on {name} in Beijing.")
    (past,) = find_dates(f"The two sides met on {name} in Beijing.")
    ahead, behind = resolve(future, published), resolve(past, published)
    assert ahead is not None and behind is not None
    assert ahead.weekday() == weekday and 0 <= (ahead - published).days <= 6
    assert behind.weekday() == weekday and 0 <= (published - behind).days <= 6


@given(days)
def test_month_and_day_without_year_take_the_nearest_year(published: date) -> None:
    target = published - timedelta(days=3)
    (m,) = find_dates(f"on {EN_MONTHS[target.month - 1]} {target.day} the navy seized")
    assert resolve(m, published) == target


def test_relative_expressions() -> None:
    published = date(2024, 1, 29)  # a Monday
    found = {
        m.text: resolve(m, published)
        for m in find_dates("last November, yesterday, 昨天, 去年11月, el pasado martes")
    }
    assert found["last November"] == date(2023, 11, 1)
    assert found["yesterday"] == date(2024, 1, 28)
    assert found["昨天"] == date(2024, 1, 28)
    assert found["去年11月"] == date(2023, 11, 1)
    assert found["el pasado martes"] == date(2024, 1, 23)


def test_samples_expressions() -> None:
    (friday, _may) = find_dates(
        "Bloomberg reported on Friday (October 20) that people familiar with the matter. In May this year"
    )
    assert (friday.month, friday.day, friday.weekday) == (10, 20, 4)
    assert resolve(friday, None) is None  # no year in the article: the cluster places it
    assert 2023 in years_with_weekday(10, 20, 4, low=2020, high=2026)
    (come,) = [m for m in find_dates("will be conducted in Beijing come Tuesday") if m.kind == "weekday"]
    assert come.direction == "future" and resolve(come, date(2024, 1, 29)) == date(2024, 1, 30)


def test_may_the_verb_is_not_a_month() -> None:
    assert find_dates("Another vendor said it may ship BMK and PMK") == []
