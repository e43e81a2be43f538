"""Date parsing for Indian news pages: ISO 8601, Hindi/English month names, relative times.

Sites print local time without an offset, so naive times are read in the source's
timezone (Asia/Kolkata by default). Relative times ("22 मिनट पहले") are resolved against
the fetch time the caller passes in; without one they are left unresolved rather than
guessed from the wall clock, which would make re-parsing a stored page non-deterministic.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from .text import clean

KOLKATA = ZoneInfo("Asia/Kolkata")
IST = timezone(timedelta(hours=5, minutes=30), "IST")

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("जनवरी", "january", "jan"),
        ("फरवरी", "फ़रवरी", "february", "feb"),
        ("मार्च", "march", "mar"),
        ("अप्रैल", "अप्रेल", "april", "apr"),
        ("मई", "may"),
        ("जून", "june", "jun"),
        ("जुलाई", "july", "jul"),
        ("अगस्त", "august", "aug"),
        ("सितंबर", "सितम्बर", "september", "sept", "sep"),
        ("अक्टूबर", "अक्तूबर", "october", "oct"),
        ("नवंबर", "नवम्बर", "november", "nov"),
        ("दिसंबर", "दिसम्बर", "december", "dec"),
    ],
    start=1,
):
    for _name in _names:
        _MONTHS[clean(_name)] = _number

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_TZ_WORDS = {"ist": IST, "utc": UTC, "gmt": UTC, "z": UTC}

_TIME = r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"
_ZONE = r"(?:\s*\(?\s*(?P<tz>ist|utc|gmt)?\s*(?P<off>[+-]\d{1,2}:?\d{2})?\s*\)?)?"
# 13 जनवरी 2025, 10:15 AM IST  |  13 Jan, 2025 10:15
_DMY = re.compile(
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_ALT})\.?,?\s+(?P<y>\d{{4}})(?:\s*[,|]?\s*(?:at\s+)?{_TIME}{_ZONE})?",
    re.IGNORECASE,
)
# January 13, 2025 10:15 am
_MDY = re.compile(
    rf"(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?:\s*[,|]?\s*(?:at\s+)?{_TIME}{_ZONE})?",
    re.IGNORECASE,
)
# 13/01/2025 10:15 (Indian sites write day first)
_NUMERIC = re.compile(
    rf"(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>\d{{4}})(?:\s*[,|]?\s*{_TIME}{_ZONE})?", re.IGNORECASE
)
_ISO_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?")

_UNITS = {
    "second": "seconds", "sec": "seconds", "सेकंड": "seconds", "सेकेंड": "seconds",
    "minute": "minutes", "min": "minutes", "मिनट": "minutes",
    "hour": "hours", "hr": "hours", "घंटे": "hours", "घंटा": "hours", "घण्टे": "hours",
    "day": "days", "दिन": "days",
    "week": "weeks", "हफ्ते": "weeks", "हफ़्ते": "weeks", "हफ्ता": "weeks", "सप्ताह": "weeks",
    "month": "months", "महीने": "months", "महीना": "months", "माह": "months",
    "year": "years", "साल": "years", "वर्ष": "years",
}
_UNIT_ALT = "|".join(sorted((re.escape(clean(u)) for u in _UNITS), key=len, reverse=True))
_RELATIVE = re.compile(
    rf"(?P<n>\d+|an?|one)\s*(?P<unit>{_UNIT_ALT})s?\s*(?:ago|पहले|पूर्व)", re.IGNORECASE
)
_JUST_NOW = re.compile(r"just now|अभी[- ]अभी|abhi abhi", re.IGNORECASE)


def _zone(tz_word: str | None, offset: str | None, default: tzinfo) -> tzinfo:
    if offset:
        sign = -1 if offset.startswith("-") else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:-2]), int(digits[-2:])
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if tz_word:
        return _TZ_WORDS[tz_word.lower()]
    return default


def _build(m: re.Match[str], month: int, default_tz: tzinfo) -> datetime | None:
    groups = m.groupdict()
    hour = int(groups["h"]) if groups.get("h") else 0
    minute = int(groups["mi"]) if groups.get("mi") else 0
    second = int(groups["s"]) if groups.get("s") else 0
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        naive = datetime(int(groups["y"]), month, int(groups["d"]), hour, minute, second)
    except ValueError:
        return None
    return naive.replace(tzinfo=_zone(groups.get("tz"), groups.get("off"), default_tz))


def parse_iso(value: str, default_tz: tzinfo = KOLKATA) -> datetime | None:
    """ISO 8601 (with 'Z', offsets, or naive -> ``default_tz``); None if it is not ISO."""
    m = _ISO_LIKE.search(value)
    if not m:
        return None
    text = m.group(0).replace(" ", "T", 1).replace(" ", "")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if re.search(r"[+-]\d{4}$", text) and "T" in text:
        text = text[:-2] + ":" + text[-2:]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)


def parse_relative(value: str, fetched_at: datetime | None) -> datetime | None:
    """"22 minutes ago" / "22 मिनट पहले" -> fetched_at minus the span (None without fetched_at)."""
    if fetched_at is None or fetched_at.tzinfo is None:
        return None
    text = clean(value)
    if _JUST_NOW.search(text):
        return fetched_at
    m = _RELATIVE.search(text)
    if not m:
        return None
    raw_n = m.group("n").lower()
    n = 1 if raw_n in ("a", "an", "one") else int(raw_n)
    unit = _UNITS[m.group("unit").lower()]
    if unit == "months":
        delta = timedelta(days=30 * n)
    elif unit == "years":
        delta = timedelta(days=365 * n)
    else:
        delta = timedelta(**{unit: n})
    return fetched_at - delta


def parse_datetime(
    value: str | None, *, fetched_at: datetime | None = None, default_tz: tzinfo = KOLKATA
) -> datetime | None:
    """Best-effort aware datetime from any date text a news page prints, else None."""
    if not value:
        return None
    text = clean(value).translate(_DEVANAGARI_DIGITS)
    if not text or len(text) > 300:
        return None
    iso = parse_iso(text, default_tz)
    if iso is not None:
        return iso
    for pattern in (_DMY, _MDY):
        m = pattern.search(text)
        if m:
            month = _MONTHS.get(m.group("mon").lower().rstrip("."))
            if month:
                built = _build(m, month, default_tz)
                if built is not None:
                    return built
    m = _NUMERIC.search(text)
    if m:
        built = _build(m, int(m.group("m")), default_tz) if 1 <= int(m.group("m")) <= 12 else None
        if built is not None:
            return built
    return parse_relative(text, fetched_at)
