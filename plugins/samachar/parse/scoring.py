"""Token-level scoring of extracted bodies against gold text.

Python's ``\\w`` treats Devanagari vowel signs and viramas (category Mc/Mn) as
non-word characters, so ``re.findall(r"\\w+", "हिंदी")`` returns fragments.
Here a token is a maximal run of characters that are neither whitespace nor
punctuation, which keeps every aksara cluster of a Hindi word together.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter


def _separator_class() -> re.Pattern[str]:
    """Regex matching runs of whitespace and Unicode punctuation (P*), dandas included."""
    punct = [chr(c) for c in range(min(sys.maxunicode, 0xFFFF) + 1) if unicodedata.category(chr(c)).startswith("P")]
    return re.compile("[\\s" + re.escape("".join(punct)) + "]+")


_SEPARATORS = _separator_class()


def tokenize(text: str) -> list[str]:
    """Case-folded NFC tokens split on whitespace and punctuation runs only."""
    text = unicodedata.normalize("NFC", text).casefold()
    return [t for t in _SEPARATORS.split(text) if t]


def token_f1(predicted: str, gold: str) -> float:
    """Bag-of-tokens F1 between two texts (1.0 when both are empty)."""
    pred, ref = Counter(tokenize(predicted)), Counter(tokenize(gold))
    if not pred and not ref:
        return 1.0
    overlap = sum((pred & ref).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(pred.values())
    recall = overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)
