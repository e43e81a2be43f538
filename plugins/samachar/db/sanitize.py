"""Make text storable in Postgres without failing a whole batch.

Postgres ``text`` and ``jsonb`` cannot hold NUL (U+0000), and UTF-8 cannot encode lone surrogates
(which a bad decode can leave in a Python str). Neither carries meaning in a news article, so they
are removed and a note says where, rather than rejecting the article.
"""

from __future__ import annotations

from typing import Any


def clean_text(value: str) -> tuple[str, list[str]]:
    """``value`` without NULs and lone surrogates, plus what was removed (empty when nothing)."""
    problems = []
    nuls = value.count("\x00")
    if nuls:
        value = value.replace("\x00", "")
        problems.append(f"removed {nuls} NUL character(s)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
        problems.append("replaced unencodable surrogate character(s) with '?'")
    return value, problems


def may_need_cleaning(json_text: str) -> bool:
    """Whether a value serialised by ``json.dumps(..., ensure_ascii=False)`` may hold a NUL (which it
    escapes) or a lone surrogate (which it keeps, so encoding fails): two C-speed passes, so callers
    run the recursive :func:`clean` only for the rare value that needs it. A literal backslash-u0000
    in the text is a harmless false positive."""
    if "\\u0000" in json_text:
        return True
    try:
        json_text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean(value: Any, path: str = "", notes: list[str] | None = None) -> tuple[Any, list[str]]:
    """Clean every string inside a JSON-like ``value`` (dict keys too); notes name the field path."""
    notes = [] if notes is None else notes
    if isinstance(value, str):
        cleaned, problems = clean_text(value)
        notes.extend(f"{path or 'value'}: {p}" for p in problems)
        return cleaned, notes
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            clean_key, _ = clean(str(key), path, notes)
            out[clean_key], _ = clean(item, f"{path}.{clean_key}" if path else clean_key, notes)
        return out, notes
    if isinstance(value, list | tuple):
        return [clean(item, f"{path}[{i}]", notes)[0] for i, item in enumerate(value)], notes
    return value, notes
