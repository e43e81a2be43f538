"""Lossless Devanagari <-> ISO 15919 conversion for Hindi text.

Only runs of Devanagari are converted; Latin words, ASCII digits, URLs, punctuation and any other
script pass through untouched, so mixed news text keeps its English parts.

Choices beyond plain ISO 15919, all made so that Devanagari -> ISO -> Devanagari is exact (NFC):

* ``:`` separates letters that would otherwise read as one: hiatus (``अइ`` -> ``a:i``, ``कउ`` ->
  ``ka:u``), a consonant + ``ह`` cluster that looks aspirated (``क्ह`` -> ``k:h``) and a dead consonant
  before an independent vowel (``क्आ`` -> ``k:ā``).
* nukta letters: ``क़ q``, ``ख़ k͟h``, ``ग़ ġ``, ``ज़ z``, ``ड़ ṛ``, ``ढ़ ṛh``, ``फ़ f``, ``य़ ẏ``; a nukta on any
  other consonant is kept as the Devanagari sign right after the consonant's letters (``म़ा`` -> ``m़ā``).
* ``ं ṁ``, ``ँ m̐``, ``ः ḥ``, avagraha ``ऽ ʼ`` (U+02BC, so curly quotes in the text stay quotes),
  ``ॐ ōṃ`` (``ṃ`` is used for nothing else).
* Devanagari digits become ASCII digits (the reverse keeps ASCII digits), ``।`` -> ``.`` and
  ``॥`` -> ``..``; the reverse turns a ``.``/``..`` after a romanized word back into a danda.
* Any Devanagari code point without a mapping (lone matras, stray nukta, Vedic signs) is copied
  as is; the reverse copies Devanagari as is, so such input still round-trips.
"""

from __future__ import annotations

import re
import unicodedata

NUKTA = "\u093c"
VIRAMA = "\u094d"

CONSONANTS: dict[str, str] = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "ṅ",
    "च": "c", "छ": "ch", "ज": "j", "झ": "jh", "ञ": "ñ",
    "ट": "ṭ", "ठ": "ṭh", "ड": "ḍ", "ढ": "ḍh", "ण": "ṇ",
    "त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
    "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m",
    "य": "y", "र": "r", "ल": "l", "ळ": "ḷ", "व": "v",
    "श": "ś", "ष": "ṣ", "स": "s", "ह": "h",
    # nukta letters, keyed by their NFC spelling (base + U+093C, or the precomposed ones NFC keeps)
    "क़": "q", "ख़": "k͟h", "ग़": "ġ", "ज़": "z", "ड़": "ṛ", "ढ़": "ṛh", "फ़": "f", "य़": "ẏ",
    "\u0929": "ṉ", "\u0931": "ṟ", "\u0934": "ḻ",
}
# U+0958..U+095F are composition exclusions: NFC text spells them base + nukta.
_PRECOMPOSED_NUKTA = {
    "\u0958": "क़", "\u0959": "ख़", "\u095a": "ग़", "\u095b": "ज़",
    "\u095c": "ड़", "\u095d": "ढ़", "\u095e": "फ़", "\u095f": "य़",
    "न\u093c": "\u0929", "र\u093c": "\u0931", "ळ\u093c": "\u0934",
}
VOWELS: dict[str, str] = {
    "अ": "a", "आ": "ā", "इ": "i", "ई": "ī", "उ": "u", "ऊ": "ū",
    "ऋ": "r̥", "ॠ": "r̥̄", "ऌ": "l̥", "ॡ": "l̥̄",
    "ऍ": "ê", "ऎ": "e", "ए": "ē", "ऐ": "ai", "ऑ": "ô", "ऒ": "o", "ओ": "ō", "औ": "au",
}
MATRAS: dict[str, str] = {
    "ा": "ā", "ि": "i", "ी": "ī", "ु": "u", "ू": "ū",
    "ृ": "r̥", "ॄ": "r̥̄", "ॢ": "l̥", "ॣ": "l̥̄",
    "ॅ": "ê", "ॆ": "e", "े": "ē", "ै": "ai", "ॉ": "ô", "ॊ": "o", "ो": "ō", "ौ": "au",
}
SIGNS: dict[str, str] = {"ं": "ṁ", "ँ": "m̐", "ः": "ḥ", "ऽ": "ʼ", "ॐ": "ōṃ"}
DIGITS: dict[str, str] = {chr(0x0966 + i): str(i) for i in range(10)}
DANDA, DOUBLE_DANDA = "।", "॥"

_ASPIRABLE = {rom[:-1] for rom in CONSONANTS.values() if len(rom) > 1 and rom.endswith("h")}
_RUN = re.compile("[\u0900-\u097f]+")


def _lookup_consonant(word: str, i: int) -> tuple[str | None, int]:
    """Return (romanization, chars consumed) for a consonant starting at word[i], or (None, 0)."""
    ch = word[i]
    if ch in _PRECOMPOSED_NUKTA:
        return CONSONANTS[_PRECOMPOSED_NUKTA[ch]], 1
    if ch not in CONSONANTS:
        return None, 0
    if i + 1 < len(word) and word[i + 1] == NUKTA:
        key = _PRECOMPOSED_NUKTA.get(ch + NUKTA, ch + NUKTA)
        if key in CONSONANTS:
            return CONSONANTS[key], 2
        return CONSONANTS[ch] + NUKTA, 2  # nukta with no ISO letter: keep the sign
    return CONSONANTS[ch], 1


def _word_to_iso(word: str) -> str:
    """Convert one run of Devanagari code points."""
    out: list[str] = []
    dead = False  # last output was a consonant with virama (no vowel)
    schwa = False  # last output ended in an inherent or independent short "a"
    i, n = 0, len(word)
    while i < n:
        rom, used = _lookup_consonant(word, i)
        if rom is not None:
            if dead and rom[0] == "h" and out and out[-1] in _ASPIRABLE:
                out.append(":")
            out.append(rom)
            i += used
            nxt = word[i] if i < n else ""
            if nxt in MATRAS:
                out.append(MATRAS[nxt])
                i += 1
                dead, schwa = False, False
            elif nxt == VIRAMA:
                i += 1
                dead, schwa = True, False
            else:
                out.append("a")
                dead, schwa = False, True
            continue
        ch = word[i]
        i += 1
        if ch in VOWELS:
            rom = VOWELS[ch]
            if dead or (schwa and rom in ("i", "u")):
                out.append(":")
            out.append(rom)
            dead, schwa = False, rom == "a"
            continue
        if ch in DIGITS:
            out.append(DIGITS[ch])
        elif ch == DANDA:
            out.append(".")
        elif ch == DOUBLE_DANDA:
            out.append("..")
        else:
            out.append(SIGNS.get(ch, ch))
        dead, schwa = False, False
    return "".join(out)


_ISO_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def _iso_word(match: re.Match[str]) -> str:
    word = match.group()
    rom = _ISO_CACHE.get(word)
    if rom is None:
        if len(_ISO_CACHE) >= _CACHE_LIMIT:
            _ISO_CACHE.clear()
        rom = _ISO_CACHE[word] = _word_to_iso(word)
    return rom


def to_iso15919(text: str) -> str:
    """Romanize Devanagari in ``text`` to ISO 15919, leaving everything else as it is."""
    return _RUN.sub(_iso_word, text)


# ---- reverse -------------------------------------------------------------------------------------

def _nfc_key(dev: str) -> str:
    return unicodedata.normalize("NFC", dev)


_REV_CONS = {rom: _nfc_key(dev) for dev, rom in CONSONANTS.items()}
_REV_VOWEL = {rom: dev for dev, rom in VOWELS.items()}
_REV_MATRA = {rom: dev for dev, rom in MATRAS.items()}
_REV_SIGN = {rom: dev for dev, rom in SIGNS.items()}
_TOKENS = sorted(
    {unicodedata.normalize("NFC", t) for t in [*_REV_CONS, *_REV_VOWEL, *_REV_SIGN]}, key=len, reverse=True
)
_REV_TOKEN = re.compile(
    r"\.{3,}|\.\.|[.:]|" + "|".join(re.escape(t) for t in _TOKENS) + r"|.", re.DOTALL | re.IGNORECASE
)
_LETTER_TOKENS = set(_REV_CONS) | set(_REV_VOWEL)
_NON_DEVANAGARI = re.compile("[^\u0900-\u097f]+")


def from_iso15919(text: str) -> str:
    """Turn ISO 15919 (as written by :func:`to_iso15919`) back into Devanagari (NFC).

    Every Latin letter is read as ISO 15919, so English words in the input come out in Devanagari.
    """
    # NFC only between Devanagari code points, so that a copied Devanagari sign (say a stray
    # virama) is not reordered into the Latin letters before it.
    text = _NON_DEVANAGARI.sub(lambda m: unicodedata.normalize("NFC", m.group()), text)
    tokens = [m.group() for m in _REV_TOKEN.finditer(text)]
    out: list[str] = []
    pending = False  # a consonant is waiting for its vowel sign (or virama)
    last_letter = False
    for k, raw in enumerate(tokens):
        tok = raw.lower()
        if tok in _REV_CONS:
            if pending:
                out.append(VIRAMA)
            out.append(_REV_CONS[tok])
            pending, last_letter = True, True
            continue
        if tok in _REV_VOWEL:
            if pending:
                if tok != "a":
                    out.append(_REV_MATRA[tok])
            else:
                out.append(_REV_VOWEL[tok])
            pending, last_letter = False, True
            continue
        if raw == NUKTA and pending and out and out[-1] in CONSONANTS:
            out.append(NUKTA)
            continue
        nxt = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
        if tok == ":" and last_letter and nxt in _LETTER_TOKENS:
            if pending:
                out.append(VIRAMA)
            pending, last_letter = False, False
            continue
        if pending:
            out.append(VIRAMA)
            pending = False
        last_letter = False
        if tok in _REV_SIGN:
            out.append(_REV_SIGN[tok])
        elif tok in (".", "..") and _after_devanagari(out):
            out.append(DANDA if tok == "." else DOUBLE_DANDA)
        else:
            out.append(raw)
    if pending:
        out.append(VIRAMA)
    # Copied signs keep their input order; NFC them (Devanagari runs only, as above) so the
    # result is NFC even when the input put, say, a virama after a Vedic accent.
    return _RUN.sub(lambda m: unicodedata.normalize("NFC", m.group()), "".join(out))


def _after_devanagari(out: list[str]) -> bool:
    """True if the last non-space output is Devanagari (so a following '.' was a danda)."""
    for piece in reversed(out):
        stripped = piece.rstrip()
        if stripped:
            return "\u0900" <= stripped[-1] <= "\u097f"
    return False
