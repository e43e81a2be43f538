"""ISO 15919 scheme, the public API and bad input, for samachar.transliterate."""

from __future__ import annotations

import csv
import random
import unicodedata
from pathlib import Path

import pytest

from samachar.transliterate import (
    TRANSLITERATOR_VERSION,
    from_iso15919,
    to_iso15919,
    to_readable,
    transliterate,
)
from samachar.transliterate.iso15919 import CONSONANTS

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


SIGNS = [
    # independent vowels
    ("अ", "a"), ("आ", "ā"), ("इ", "i"), ("ई", "ī"), ("उ", "u"), ("ऊ", "ū"), ("ऋ", "r̥"),
    ("ए", "ē"), ("ऐ", "ai"), ("ओ", "ō"), ("औ", "au"), ("ऑ", "ô"), ("ऍ", "ê"),
    # vowel signs
    ("का", "kā"), ("कि", "ki"), ("की", "kī"), ("कु", "ku"), ("कू", "kū"), ("कृ", "kr̥"), ("के", "kē"),
    ("कै", "kai"), ("को", "kō"), ("कौ", "kau"), ("कॉ", "kô"), ("कॅ", "kê"),
    # anusvara, chandrabindu, visarga, virama
    ("संत", "saṁta"), ("कहाँ", "kahām̐"), ("दुःख", "duḥkha"), ("क्", "k"), ("क्षत्रिय", "kṣatriya"),
    ("ज्ञान", "jñāna"),
    # nukta letters, decomposed (NFC) and precomposed
    ("क़", "qa"), ("ख़", "k͟ha"), ("ग़", "ġa"), ("ज़", "za"), ("ड़", "ṛa"), ("ढ़", "ṛha"), ("फ़", "fa"),
    ("\u0958", "qa"), ("\u0959", "k͟ha"), ("\u095a", "ġa"), ("\u095b", "za"), ("\u095c", "ṛa"),
    ("\u095d", "ṛha"), ("\u095e", "fa"),
    # hiatus and look-alike clusters
    ("अइ", "a:i"), ("ऐ", "ai"), ("कइ", "ka:i"), ("कै", "kai"), ("अउ", "a:u"), ("क्ह", "k:ha"), ("ख", "kha"),
    ("ड़्ह", "ṛ:ha"),
    # avagraha, om, dandas after a word
    ("सोऽहम्", "sōʼham"), ("ॐ", "ōṃ"), ("है।", "hai."), ("है ॥", "hai .."),
]


@pytest.mark.parametrize(("dev", "iso"), SIGNS)
def test_iso_sign(dev: str, iso: str) -> None:
    assert to_iso15919(dev) == iso
    assert from_iso15919(iso) == nfc(dev).replace("\u0958", "क़")


def test_digits_and_dandas() -> None:
    # Devanagari digits become ASCII digits and stay ASCII on the way back (documented choice);
    # a '.' or '..' is a danda again only after a romanized word.
    assert to_iso15919("२०२५ में ५.५%") == "2025 mēṁ 5.5%"
    assert from_iso15919("2025 mēṁ 5.5%") == "2025 में 5.5%"
    assert to_iso15919("।॥") == "..."
    assert from_iso15919("hai... ...") == "है... ..."


def test_every_consonant_and_sign_round_trips() -> None:
    signs = ["", "्", "ा", "ि", "ी", "ु", "ू", "ृ", "े", "ै", "ो", "ौ", "ॉ", "ॅ", "ं", "ँ", "ः"]
    for cons in CONSONANTS:
        for sign in signs:
            for text in (cons + sign, cons + sign + "ह", "अ" + cons + sign + "इ"):
                assert from_iso15919(to_iso15919(text)) == nfc(text), text


def test_every_devanagari_code_point_round_trips() -> None:
    for cp in range(0x0900, 0x0980):
        ch = chr(cp)
        if ch.isdigit() or ch in "।॥":
            continue
        text = nfc("क" + ch + "म")
        assert from_iso15919(to_iso15919(text)) == text, hex(cp)


def test_latin_digits_urls_and_punctuation_pass_through() -> None:
    text = "Russian President China Visit: रूस, COVID-19 (2025) https://www.indianews.in/world/x-1/ “ok”!"
    out = to_iso15919(text)
    assert out == "Russian President China Visit: rūsa, COVID-19 (2025) https://www.indianews.in/world/x-1/ “ok”!"
    assert to_iso15919("a\u200db ऋ") == "a\u200db r̥"  # a joiner in Latin text is not touched
    assert to_readable("a\u200db ऋ") == "a\u200db ri"


def test_sentence_round_trip() -> None:
    text = nfc("रूस के राष्ट्रपति व्लादिमीर पुतिन जल्द करेंगे चीन का दौरा। “अब” क्या होगा? ज़िंदगी॥")
    iso = to_iso15919(text)
    assert iso.startswith("rūsa kē rāṣṭrapati vlādimīra putina")
    assert from_iso15919(iso) == text


def _lexicon_words() -> set[str]:
    dak = DATA / "dakshina-hi"
    arora = DATA / "schwa-arora" / "large.csv"
    if not (dak.is_dir() and arora.exists()):
        pytest.skip(f"shared data not found at {DATA.resolve()} (expected beside the repository)")
    words: set[str] = set()
    for name in ("train.tsv", "dev.tsv"):
        with open(dak / name, encoding="utf-8") as fh:
            words.update(line.split("\t", 1)[0] for line in fh if "\t" in line)
    with open(arora, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        words.update(row[0] for row in rows if row)
    return {nfc(w) for w in words}


def test_round_trip_over_both_lexicons() -> None:
    words = _lexicon_words()
    assert len(words) > 30_000
    failures = [w for w in words if from_iso15919(to_iso15919(w)) != w]
    assert failures == []


# ---- bad input: never crashes, and this is what comes out ----------------------------------------

BAD_INPUT = [
    # (input, iso15919, readable)
    ("पाकिस्तान پاکستان", "pākistāna پاکستان", "Pakistan پاکستان"),
    ("বাংলা भाषा", "বাংলা bhāṣā", "বাংলা bhasha"),  # not a sentence start: no capital
    ("👍 अच्छा 🎉", "👍 acchā 🎉", "👍 Achcha 🎉"),  # symbols before the first word: still a sentence start
    ("ि", "ि", "I"),  # lone vowel sign: kept in ISO, read as its vowel
    ("़क", "़ka", "K"),  # stray nukta: kept in ISO, dropped in readable
    ("म़", "m़a", "Ma"),  # nukta on a consonant with no nukta letter
    ("क्\u200dष", "k\u200dṣa", "Ksh"),  # zero-width joiner: kept in ISO, ignored in readable
    ("\x00अ\x1b", "\x00a\x1b", "\x00A\x1b"),  # control characters stay where they were
    ("", "", ""),
]


@pytest.mark.parametrize(("text", "iso", "readable"), BAD_INPUT)
def test_bad_input(text: str, iso: str, readable: str) -> None:
    assert to_iso15919(text) == iso
    assert to_readable(text) == readable
    assert from_iso15919(iso) == nfc(text)


def test_random_garbage_never_crashes_and_devanagari_round_trips() -> None:
    rng = random.Random(15919)
    pool = [chr(c) for c in range(0x0900, 0x0980)] + list("\u200c\u200d\x00\x07 aZ9.:|") + ["پ", "ক", "😀"]
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        assert isinstance(to_readable(text), str)
        assert isinstance(to_readable(text, title=True), str)
        assert isinstance(from_iso15919(text), str)
        deva = nfc("".join(ch for ch in text if "\u0900" <= ch <= "\u097f" and not ch.isdigit() and ch not in "।॥"))
        assert from_iso15919(to_iso15919(deva)) == deva


# ---- API ------------------------------------------------------------------------------------------

def test_transliterate_dispatch() -> None:
    assert transliterate("भारत") == "bhārata"
    assert transliterate("bhārata", "iso15919", reverse=True) == "भारत"
    assert transliterate("भारत", "readable") == "Bharat"
    with pytest.raises(ValueError, match="cannot be reversed"):
        transliterate("Bharat", "readable", reverse=True)
    with pytest.raises(ValueError, match="unknown scheme"):
        transliterate("भारत", "iast")
    assert isinstance(TRANSLITERATOR_VERSION, str) and TRANSLITERATOR_VERSION
