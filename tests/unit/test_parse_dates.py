"""Date parsing: offsets, IST for naive times, Hindi months, relative times against fetched_at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from samachar.parse.dates import parse_datetime, parse_relative

IST = timezone(timedelta(hours=5, minutes=30))
FETCHED = datetime(2025, 1, 13, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2025-01-13T10:15:00+05:30", datetime(2025, 1, 13, 10, 15, tzinfo=IST)),
        ("2025-01-13T04:45:00Z", datetime(2025, 1, 13, 10, 15, tzinfo=IST)),
        ("2025-01-13T10:15:00+0530", datetime(2025, 1, 13, 10, 15, tzinfo=IST)),
        ("2025-01-13 10:15:00", datetime(2025, 1, 13, 10, 15, tzinfo=IST)),  # naive -> Asia/Kolkata
        ("13 जनवरी 2025 10:15 AM IST", datetime(2025, 1, 13, 10, 15, tzinfo=IST)),
        ("प्रकाशित: 15 जनवरी 2025, 08:40 PM", datetime(2025, 1, 15, 20, 40, tzinfo=IST)),
        ("१३ फ़रवरी २०२५, १२:०५ AM", datetime(2025, 2, 13, 0, 5, tzinfo=IST)),
        ("5 सितम्बर 2024", datetime(2024, 9, 5, tzinfo=IST)),
        ("22 दिसंबर 2024 12:30 PM", datetime(2024, 12, 22, 12, 30, tzinfo=IST)),
        ("Updated: January 13, 2025 10:15 pm", datetime(2025, 1, 13, 22, 15, tzinfo=IST)),
        ("18 Jan 2025, 04:20 PM IST", datetime(2025, 1, 18, 16, 20, tzinfo=IST)),
        ("13/01/2025 10:15", datetime(2025, 1, 13, 10, 15, tzinfo=IST)),
        ("14 Jan 2025 09:05 GMT", datetime(2025, 1, 14, 9, 5, tzinfo=UTC)),
    ],
)
def test_absolute_dates(text, expected):
    got = parse_datetime(text)
    assert got == expected
    assert got.utcoffset() is not None


def test_naive_times_are_read_as_indian_standard_time():
    assert parse_datetime("2025-01-13T10:15:00").utcoffset() == timedelta(hours=5, minutes=30)


@pytest.mark.parametrize(
    "text,delta",
    [
        ("22 minutes ago", timedelta(minutes=22)),
        ("22 मिनट पहले", timedelta(minutes=22)),
        ("1 minute ago", timedelta(minutes=1)),
        ("an hour ago", timedelta(hours=1)),
        ("3 घंटे पहले", timedelta(hours=3)),
        ("अपडेट: 2 दिन पहले", timedelta(days=2)),
        ("1 हफ्ते पहले", timedelta(weeks=1)),
        ("अभी-अभी", timedelta(0)),
    ],
)
def test_relative_times_resolve_against_fetched_at(text, delta):
    assert parse_datetime(text, fetched_at=FETCHED) == FETCHED - delta
    later = FETCHED + timedelta(days=3)
    assert parse_datetime(text, fetched_at=later) == later - delta


def test_relative_time_without_fetched_at_is_unresolved_not_wall_clock():
    assert parse_relative("22 मिनट पहले", None) is None
    assert parse_datetime("22 minutes ago") is None


@pytest.mark.parametrize("text", ["", "कोई तारीख नहीं", "32 जनवरी 2025", "2025-13-45", "x" * 1000, None])
def test_garbage_gives_none(text):
    assert parse_datetime(text, fetched_at=FETCHED) is None
