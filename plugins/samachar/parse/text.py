"""Text helpers shared by the extractors: normalisation, mojibake repair, script mix.

Kept apart from the HTML code so that the scoring tokenizer, the date parser and the
per-site parsers all agree on what "normalised text" means.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff\u00ad]")  # ZWSP, WJ, BOM, soft hyphen (ZWJ/ZWNJ kept: they shape Devanagari)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

DEVANAGARI = re.compile("[\u0900-\u097f\ua8e0-\ua8ff]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")

# UTF-8 Devanagari (E0 A4/A5 xx) read as cp1252 shows up as "à¤"/"à¥" pairs.
_MOJIBAKE_MARKERS = ("à¤", "à¥")


def _cp1252_reverse_map() -> dict[str, int]:
    """Char -> byte for cp1252, with latin-1 filling its five undefined slots."""
    table: dict[str, int] = {}
    for byte in range(256):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            char = chr(byte)
        table[char] = byte
    for byte in range(0x80, 0xA0):  # latin-1 readers leave C1 controls where cp1252 has letters
        table.setdefault(chr(byte), byte)
    return table


_CP1252_BYTES = _cp1252_reverse_map()


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 damage when it is plainly there.

    Fetchers sometimes trust a wrong charset header; the Devanagari then arrives as
    "à¤°à¥‚à¤¸". Only runs when the markers are frequent, so correct text is untouched.
    """
    hits = sum(text.count(m) for m in _MOJIBAKE_MARKERS)
    if hits < 8 or DEVANAGARI.search(text[:20000]) and hits < 50:
        return text
    # A decoder with errors="replace" turned cp1252's five undefined bytes into U+FFFD;
    # after a Devanagari lead pair the likeliest lost byte is 0x8D (virama) / 0x8F (ए).
    text = text.replace("à¥\ufffd", "à¥\x8d").replace("à¤\ufffd", "à¤\x8f")
    out = bytearray()
    for char in text:
        byte = _CP1252_BYTES.get(char)
        if byte is None:
            out.extend(char.encode("utf-8"))
        else:
            out.append(byte)
    return out.decode("utf-8", errors="replace")


def clean(text: str | None) -> str:
    """NFC, no zero-width/control junk, whitespace runs collapsed to one space."""
    if not text:
        return ""
    text = _CONTROL.sub("", _ZERO_WIDTH.sub("", text))
    text = unicodedata.normalize("NFC", text.replace("\xa0", " "))
    return _WS.sub(" ", text).strip()


def script_counts(text: str) -> tuple[int, int]:
    """(Devanagari letters, Latin letters) in ``text``."""
    return len(DEVANAGARI.findall(text)), len(LATIN.findall(text))


def detect_language(text: str) -> str:
    """``hi``, ``en`` or ``mixed`` from the share of Devanagari among letters.

    Hindi news copy routinely carries English names and kickers, so "hi" tolerates a
    quarter of Latin letters before calling the text mixed.
    """
    deva, latin = script_counts(text)
    total = deva + latin
    if total == 0:
        return "hi"
    share = deva / total
    if share >= 0.75:
        return "hi"
    if share <= 0.25:
        return "en"
    return "mixed"


def word_count(text: str) -> int:
    """Whitespace-separated words; good enough for length thresholds."""
    return len(text.split())
