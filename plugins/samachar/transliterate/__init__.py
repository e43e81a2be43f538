"""Romanization of Hindi text: lossless ISO 15919 and a readable spelling for people.

Both schemes convert only Devanagari; Latin words, numbers, URLs and other scripts stay as they
are. See ``iso15919`` and ``readable`` for the details of each scheme.
"""

from __future__ import annotations

from samachar.transliterate.iso15919 import from_iso15919, to_iso15919
from samachar.transliterate.readable import to_readable

# Bump when either scheme's output changes (rules, tables or the shipped model/lexicon), so stored
# articles can be re-transliterated.
TRANSLITERATOR_VERSION = "1.1.0"

SCHEMES = ("iso15919", "readable")

__all__ = ["SCHEMES", "TRANSLITERATOR_VERSION", "from_iso15919", "to_iso15919", "to_readable", "transliterate"]


def transliterate(text: str, scheme: str = "iso15919", reverse: bool = False) -> str:
    """Convert ``text`` with the named scheme; ``reverse`` (ISO 15919 only) goes back to Devanagari.

    Raises ValueError for an unknown scheme or for ``reverse`` with ``readable``, which drops
    information (schwas, vowel length) and cannot be undone.
    """
    if scheme == "iso15919":
        return from_iso15919(text) if reverse else to_iso15919(text)
    if scheme == "readable":
        if reverse:
            raise ValueError("the readable scheme cannot be reversed; use iso15919")
        return to_readable(text)
    raise ValueError(f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
