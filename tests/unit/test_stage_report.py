"""The log line each stage writes is one an operator can act on."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from samachar.pipeline import StageReport, format_interval

IST = ZoneInfo("Asia/Kolkata")


def test_format_interval_speaks_ist() -> None:
    start = datetime(2025, 1, 13, 4, 30, tzinfo=ZoneInfo("UTC"))
    assert format_interval(start, start + timedelta(hours=1)) == "2025-01-13 10:00–11:00 IST"
    assert format_interval(start, start + timedelta(days=1)) == "2025-01-13 10:00–2025-01-14 10:00 IST"


def test_fetch_summary_names_counts_interval_and_reasons() -> None:
    report = StageReport("fetch", 1, count_in=45, count_out=42, interval="2025-01-13 10:00–11:00 IST")
    report.failures.update({"robots": 2, "timeout": 1})
    report.finished_at = report.started_at + timedelta(seconds=3.14)
    assert report.count_failed == 3
    assert report.summary() == ("fetched 42/45 URLs for 2025-01-13 10:00–11:00 IST: "
                                "2 disallowed by robots.txt, 1 timed out (3.1 s)")
