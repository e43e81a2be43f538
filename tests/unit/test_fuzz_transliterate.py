"""Fuzzing the transliterators: any text in, a bounded string out, and the documented guarantees.

Guarantees under test (module docstrings of ``samachar.transliterate``):

* ``to_iso15919`` converts only runs of Devanagari (U+0900-U+097F); everything else is untouched.
* ``to_readable`` keeps text outside Devanagari verbatim.
* Devanagari -> ISO 15919 -> Devanagari is exact up to NFC, including code points without a
  mapping (copied as is); Devanagari digits and dandas are the documented exceptions (they become
  ASCII digits and ``.``).
* none of ``to_iso15919``, ``to_readable`` and ``from_iso15919`` raises on any ``str``.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from samachar.transliterate import from_iso15919, to_iso15919, to_readable, transliterate
from samachar.transliterate.iso15919 import CONSONANTS, MATRAS, SIGNS, VOWELS

FUZZ = settings(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


def fuzz(examples: int) -> settings:
    """The shared fuzz settings with a per-test number of examples."""
    return settings(FUZZ, max_examples=examples)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def bounded(out: str, text: str) -> bool:
    """Output stays proportional to input (the widest mapping, ख़ -> k͟ha, is 4 characters)."""
    return len(out) <= 8 * len(text) + 16


DEVANAGARI_RUN = re.compile("[\u0900-\u097f]+")
DEVANAGARI = st.characters(min_codepoint=0x0900, max_codepoint=0x097F)
TRICKY = st.sampled_from([
    "\u200c", "\u200d", "\u00a0", "\ufeff", "\x00", "\x07", "\x1b", "\n", "\r", "\t", "\u2028",  # joiners, controls
    "\u093c", "\u094d", "\u093e", "\u093f", "\u0902", "\u0901",  # stray nukta, virama, lone matras, signs
    "पाकिस्तान", "پاکستان", "ڑ", "ے", "বাংলা", "ਪੰਜਾਬੀ", "தமிழ்", "👍", "👩\u200d👩\u200d👧", "🇮🇳", "\U0001f9d1\U0001f3fd",
    "क़", "\u0958", "\u0929", "ॐ", "ऽ", "।", "॥", "०१२", "https://x.in/a-1/?q=ज़", "e\u0301", "\ud800", "\udfff",
])
ANY_TEXT = st.text(
    alphabet=st.one_of(DEVANAGARI, st.characters(blacklist_categories=()), TRICKY.map(lambda s: s[0])),
    max_size=200,
) | st.lists(st.one_of(TRICKY, st.text(DEVANAGARI, max_size=8), st.text(max_size=5)), max_size=30).map("".join)


@fuzz(600)
@given(ANY_TEXT)
def test_to_iso15919_never_raises_and_converts_only_devanagari(text: str) -> None:
    out = to_iso15919(text)
    assert isinstance(out, str) and bounded(out, text)
    # Every run is converted on its own and everything between runs is copied verbatim.
    pieces = DEVANAGARI_RUN.split(text)
    runs = DEVANAGARI_RUN.findall(text)
    expected = pieces[0] + "".join(to_iso15919(run) + rest for run, rest in zip(runs, pieces[1:], strict=True))
    assert out == expected
    if not runs:
        assert out == text


@fuzz(600)
@given(ANY_TEXT, st.booleans())
def test_to_readable_never_raises_and_keeps_other_scripts(text: str, title: bool) -> None:
    out = to_readable(text, title=title)
    assert isinstance(out, str) and bounded(out, text)
    if not DEVANAGARI_RUN.search(text):
        assert out == text
    # what is outside Devanagari words survives in order (joiners inside a word are part of it)
    outside = [p for p in re.split("[\u0900-\u097f][\u0900-\u097f\u200c\u200d]*", text) if p]
    pos = 0
    for piece in outside:
        found = out.find(piece, pos)
        assert found >= 0, (piece, out)
        pos = found + len(piece)


@fuzz(400)
@given(ANY_TEXT)
def test_from_iso15919_never_raises(text: str) -> None:
    out = from_iso15919(text)
    assert isinstance(out, str) and bounded(out, text)
    assert isinstance(transliterate(text, "iso15919", reverse=True), str)


# ---- round trip --------------------------------------------------------------------------------------

PLAIN_CONSONANTS = [c for c in CONSONANTS if len(c) == 1 and "\u0915" <= c <= "\u0939"]
NUKTA_LETTERS = [c for c in CONSONANTS if c not in PLAIN_CONSONANTS]
CONSONANT = st.one_of(st.sampled_from(PLAIN_CONSONANTS), st.sampled_from(NUKTA_LETTERS),
                      st.sampled_from(["\u0958", "\u0959", "\u095a", "\u095b", "\u095c", "\u095d", "\u095e", "\u095f"]))
MATRA = st.sampled_from(["", *MATRAS])
MODIFIER = st.sampled_from(["", "", "", *[s for s in SIGNS if s not in ("ऽ", "ॐ")]])


@st.composite
def syllables(draw: st.DrawFn) -> str:
    """A Hindi syllable: (consonant cluster + vowel sign or virama) or an independent vowel, + ं/ँ/ः."""
    if draw(st.integers(0, 4)) == 0:
        core = draw(st.sampled_from(list(VOWELS)))
    else:
        cluster = "\u094d".join(draw(st.lists(CONSONANT, min_size=1, max_size=3)))
        core = cluster + draw(st.one_of(MATRA, st.just("\u094d")))
    return core + draw(MODIFIER)


WORD = st.lists(syllables(), min_size=1, max_size=6).map("".join)
SEPARATOR = st.sampled_from([" ", " ", " ", ", ", "। ", "? ", "! ", "॥ ", "\n", " - ", " “", "” ", " (", ") "])


@st.composite
def hindi_texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORD, min_size=1, max_size=12))
    text = words[0]
    for word in words[1:]:
        text += draw(SEPARATOR) + word
    return text + draw(st.sampled_from(["", "।", "॥", "?"]))


@fuzz(300)
@given(hindi_texts())
def test_hindi_round_trips_exactly(text: str) -> None:
    iso = to_iso15919(text)
    assert not DEVANAGARI_RUN.search(iso), "every letter of valid Hindi has an ISO 15919 spelling"
    assert from_iso15919(iso) == nfc(text)
    assert isinstance(to_readable(text), str)


# Devanagari digits and dandas are the documented lossy mappings (to ASCII digits and '.').
ROUND_TRIPPABLE = st.characters(min_codepoint=0x0900, max_codepoint=0x097F).filter(
    lambda ch: not ("\u0966" <= ch <= "\u096f") and ch not in "।॥")


@fuzz(600)
@given(st.text(ROUND_TRIPPABLE, min_size=1, max_size=30))
@example("\u0951\u094d")  # not NFC: the copied signs came back in input order (fixed in from_iso15919)
def test_any_devanagari_code_points_round_trip(text: str) -> None:
    """Even unmapped signs (lone matras, stray nukta, Vedic marks) survive, as the module promises."""
    assert from_iso15919(to_iso15919(text)) == nfc(text)


# A danda is restored only after a word (documented), so these separators have none.
PLAIN_SEPARATOR = SEPARATOR.filter(lambda sep: "।" not in sep and "॥" not in sep)


@fuzz(300)
@given(st.lists(st.one_of(st.text(ROUND_TRIPPABLE, min_size=1, max_size=10), PLAIN_SEPARATOR), max_size=10)
       .map("".join))
def test_devanagari_with_spaces_and_punctuation_round_trips(text: str) -> None:
    assert from_iso15919(to_iso15919(text)) == nfc(text)
