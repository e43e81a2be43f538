"""The scoring tokenizer must keep Devanagari words whole (unlike Python's \\w)."""

from __future__ import annotations

import re

import pytest

from samachar.parse.scoring import token_f1, tokenize


def test_backslash_w_splits_hindi_words_which_is_why_we_do_not_use_it():
    assert re.findall(r"\w+", "हिंदी") != ["हिंदी"]


@pytest.mark.parametrize(
    "text,tokens",
    [
        ("हिंदी", ["हिंदी"]),
        ("राष्ट्रपति व्लादिमीर पुतिन", ["राष्ट्रपति", "व्लादिमीर", "पुतिन"]),
        ("जाएगा। उन्होंने कहा,“अब", ["जाएगा", "उन्होंने", "कहा", "अब"]),
        ("रूसी-चीनी संबंध॥", ["रूसी", "चीनी", "संबंध"]),
        ("Nato में 24 फरवरी 2022", ["nato", "में", "24", "फरवरी", "2022"]),
        ("  \n\t ", []),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_tokenize_normalises_to_nfc():
    decomposed = "ज\u093cमीन"  # ज + nukta
    precomposed = "\u095bमीन"  # ज़ as one code point
    assert tokenize(decomposed) == tokenize(precomposed)


def test_token_f1():
    assert token_f1("एक दो तीन", "एक दो तीन") == 1.0
    assert token_f1("एक दो", "तीन चार") == 0.0
    assert token_f1("", "") == 1.0
    # 2 of 3 predicted tokens right, 2 of 4 gold tokens found: P=2/3, R=1/2
    assert token_f1("एक दो पांच", "एक दो तीन चार") == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
