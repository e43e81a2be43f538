"""Readable Hindi romanization: how Hindi readers write their words in Latin letters.

A word is split into graphemic tokens (consonant, vowel sign, implicit schwa ``ə``, virama,
anusvara...). Rules give every token a default spelling and decide schwa deletion (word-final and
medial by the VC_CV rule, right to left); a second opinion on each schwa comes from a decision
tree learned from Arora et al.'s schwa-deletion lexicon (``data/schwa_model.json.gz``). A small
decision tree learned from Dakshina *train* (``data/readable_model.json.gz``; both built by
``python -m samachar.transliterate.build_model``) then picks each token's spelling from its
neighbours, both schwa decisions and the previous spellings, so it learns ``aa``/``a``,
``ee``/``i``, schwas the rules miss and English-looking spellings. Train words whose learned spelling is unattested or clearly outvoted (mostly English
loanwords and names: न्यूज -> news) are looked up in ``data/lexicon.tsv.gz``.

Text outside Devanagari (Latin words, numbers, URLs, other scripts, emoji) is kept verbatim.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA_DIR / "readable_model.json.gz"
SCHWA_MODEL_PATH = DATA_DIR / "schwa_model.json.gz"
LEXICON_PATH = DATA_DIR / "lexicon.tsv.gz"

SCHWA = "ə"
VIRAMA = "\u094d"
NUKTA = "\u093c"
BOUNDARY = "#"

DEFAULT_SPELLING: dict[str, str] = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j", "झ": "jh",
    "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t", "थ": "th", "द": "d",
    "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m", "य": "y", "र": "r",
    "ल": "l", "ळ": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s", "ह": "h",
    "क़": "q", "ख़": "kh", "ग़": "g", "ज़": "z", "ड़": "r", "ढ़": "rh", "फ़": "f", "य़": "y",
    "ऩ": "n", "ऱ": "r", "ऴ": "l",
    "अ": "a", "आ": "aa", "इ": "i", "ई": "ee", "उ": "u", "ऊ": "oo", "ऋ": "ri", "ॠ": "ri", "ऌ": "li",
    "ऍ": "e", "ऎ": "e", "ए": "e", "ऐ": "ai", "ऑ": "o", "ऒ": "o", "ओ": "o", "औ": "au",
    "ा": "aa", "ि": "i", "ी": "ee", "ु": "u", "ू": "oo", "ृ": "ri", "ॄ": "ri", "ॢ": "li", "ॣ": "li",
    "ॅ": "e", "ॆ": "e", "े": "e", "ै": "ai", "ॉ": "o", "ॊ": "o", "ो": "o", "ौ": "au",
    SCHWA: "a", VIRAMA: "", "ं": "n", "ँ": "n", "ः": "h", "ॐ": "om",
}
# Nukta letters whose sound has its own Latin letter: the writer marked it, so the reader expects
# it (ज़िंदगी -> zindagi, लड़की -> larki, सड़क -> sarak), although many of Dakshina's annotators
# type "jindagi", "ladki", "sadak".
FIXED_SPELLING = {"क़": "q", "ज़": "z", "फ़": "f", "ड़": "r", "ढ़": "rh"}
CONSONANTS = frozenset(k for k in DEFAULT_SPELLING if "\u0915" <= k[0] <= "\u0939")
_CONSONANT_CHARS = frozenset(k[0] for k in CONSONANTS)
MATRAS = frozenset("ािीुूृॄॢॣॅॆेैॉॊोौ")
SIGNS = frozenset("ंँः")
# A final schwa survives after a cluster ending in र or य (मंत्र mantra, राज्य rajya) but not after
# other clusters (धर्म dharm, बुजुर्ग buzurg); -ीय/-िय endings keep it too (राष्ट्रीय rashtriya).
_KEEP_AFTER_CLUSTER = frozenset("रय")
_VOWEL_LETTERS = frozenset("अआइईउऊऋॠऌॡऍऎएऐऑऒओऔ")
_LABIALS = frozenset("पफबभम")
_MATRA_TO_VOWEL = dict(zip("ािीुूृॄॢॣॅॆेैॉॊोौ", "आइईउऊऋॠऌॡऍऎएऐऑऒओऔ", strict=True))
_PRECOMPOSED = {
    "\u0958": "क़", "\u0959": "ख़", "\u095a": "ग़", "\u095b": "ज़",
    "\u095c": "ड़", "\u095d": "ढ़", "\u095e": "फ़", "\u095f": "य़",
}
_NUKTA_FORMS = {"न": "ऩ", "र": "ऱ", "ळ": "ऴ"}


def tokenize(word: str) -> list[str]:
    """Split a Devanagari word into tokens; signs that cannot be read are dropped.

    Lone vowel signs become their independent vowels; a nukta on a consonant without a nukta
    letter, zero-width joiners and unknown code points are dropped.
    """
    tokens: list[str] = []
    i, n = 0, len(word)
    while i < n:
        ch = _PRECOMPOSED.get(word[i], word[i])
        i += 1
        if ch[0] in _CONSONANT_CHARS:
            if len(ch) == 1 and i < n and word[i] == NUKTA:
                i += 1
                ch = _NUKTA_FORMS.get(ch, ch + NUKTA)
                if ch not in DEFAULT_SPELLING:
                    ch = ch[0]
            tokens.append(ch)
            nxt = word[i] if i < n else ""
            if nxt in MATRAS or nxt == VIRAMA:
                tokens.append(nxt)
                i += 1
            else:
                tokens.append(SCHWA)
        elif ch in MATRAS:
            tokens.append(_MATRA_TO_VOWEL[ch])
        elif ch in DEFAULT_SPELLING and ch != VIRAMA:
            tokens.append(ch)
    return tokens


def rule_schwa(tokens: list[str]) -> list[bool]:
    """Schwa deletion by rule: True where the schwa at that token is kept.

    Word-final schwa goes unless the word is one syllable, it follows a cluster ending in र/य
    (मंत्र -> mantra) or the word ends in -ीय/-िय; a medial schwa goes in V C _ C V (कमला -> kamla),
    scanning right to left so that two schwas in a row are not both deleted.
    """
    keep = [True] * len(tokens)
    n = len(tokens)
    n_syllables = sum(1 for t in tokens if t == SCHWA or t in MATRAS or t in _VOWEL_LETTERS)
    for i in range(n - 1, 0, -1):
        if tokens[i] != SCHWA:
            continue
        if i == n - 1:
            keep[i] = (
                n_syllables == 1
                or (i >= 2 and tokens[i - 2] == VIRAMA and tokens[i - 1] in _KEEP_AFTER_CLUSTER)
                or (i >= 2 and tokens[i - 1] == "य" and tokens[i - 2] in ("ी", "ि"))
            )
            continue
        left_vowel = i >= 2 and _vowel_at(tokens, keep, i - 2)
        right_cv = i + 2 < n and tokens[i + 1] in CONSONANTS and _vowel_at(tokens, keep, i + 2)
        if left_vowel and right_cv:
            keep[i] = False
    return keep


def _vowel_at(tokens: list[str], keep: list[bool], j: int) -> bool:
    tok = tokens[j]
    return tok in MATRAS or tok in _VOWEL_LETTERS or (tok == SCHWA and keep[j])


def rule_spell(tokens: list[str], keep: list[bool] | None = None) -> list[str]:
    """Spell tokens by rule alone (the fallback for tokens the model has never seen)."""
    if keep is None:
        keep = rule_schwa(tokens)
    out = []
    for i, tok in enumerate(tokens):
        if tok == SCHWA:
            out.append("a" if keep[i] else "")
        elif tok == "ं":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            out.append("m" if nxt in _LABIALS else "n")
        else:
            out.append(DEFAULT_SPELLING.get(tok, ""))
    return out


_PAD = 4


def pad(tokens: list[str]) -> list[str]:
    """Tokens with word-boundary marks on both sides, as :func:`features` expects."""
    return [BOUNDARY] * _PAD + tokens + [BOUNDARY] * _PAD


def walk(tree: list | str, order: list[int], feats: tuple[str, ...]) -> str:
    """IGTree lookup: features tried in ``order``, the deepest matching node's answer wins."""
    node = tree
    for idx in order:
        if isinstance(node, str):
            return node
        child = node[1].get(feats[idx])
        if child is None:
            return node[0]
        node = child
    return node if isinstance(node, str) else node[0]


# ---- learned schwa deletion -----------------------------------------------------------------------

SCHWA_FEATURES = ("lc", "rc", "r1", "l1", "r2", "l2", "r3", "l3", "r4", "l4", "rs", "next", "final")


def token_classes(padded: list[str]) -> list[str]:
    """One letter per token: C consonant, a schwa, V vowel sign, v vowel letter, _ virama, # edge, n other."""
    return [
        "a" if t == SCHWA else "C" if t in CONSONANTS else "V" if t in MATRAS else "_" if t == VIRAMA
        else "#" if t == BOUNDARY else "v" if t in _VOWEL_LETTERS else "n"
        for t in padded
    ]


def schwa_features(
    padded: list[str], classes: list[str], rule_keep: list[bool], i: int, next_decision: str
) -> tuple[str, ...]:
    """Context of the schwa at token i, named by SCHWA_FEATURES: the shape of four tokens either
    side, the tokens themselves, the rule's decision, the decision on the next schwa to the right
    (``k``, ``d`` or ``#``) and whether the schwa ends the word."""
    j = i + _PAD
    return ("".join(classes[j - 4:j]), "".join(classes[j + 1:j + 5]), padded[j + 1], padded[j - 1],
            padded[j + 2], padded[j - 2], padded[j + 3], padded[j - 3], padded[j + 4], padded[j - 4],
            "k" if rule_keep[i] else "d", next_decision, "F" if j == len(padded) - _PAD - 1 else "M")


class SchwaModel:
    """Which schwas a reader pronounces, decided right to left by a tree learned from Arora et al.

    Rules alone get 90% of that lexicon's words right; the tree ~94% (5-fold cross-validation).
    An empty model repeats the rules.
    """

    def __init__(self, order: list[int], tree: list | str) -> None:
        self.order = order
        self.tree = tree

    def decide(
        self, tokens: list[str], padded: list[str] | None = None, rule_keep: list[bool] | None = None
    ) -> list[bool]:
        """True where the schwa at that token is kept; ``padded`` and ``rule_keep`` are
        ``pad(tokens)`` and ``rule_schwa(tokens)``, passed in by a caller that has them already."""
        rule_keep = rule_schwa(tokens) if rule_keep is None else rule_keep
        keep = list(rule_keep)
        if not self.order:
            return keep
        padded = pad(tokens) if padded is None else padded
        classes = token_classes(padded)
        after = BOUNDARY
        for i in range(len(tokens) - 1, -1, -1):
            if tokens[i] == SCHWA:
                keep[i] = walk(self.tree, self.order, schwa_features(padded, classes, rule_keep, i, after)) == "k"
                after = "k" if keep[i] else "d"
        return keep


# ---- spelling model -------------------------------------------------------------------------------

FEATURE_NAMES = ("t0", "r1", "l1", "r2", "l2", "r3", "l3", "r4", "l4", "rs", "p1", "p2", "ls")


def features(
    padded: list[str], keep: list[bool], learned: list[bool], i: int, prev: list[str]
) -> tuple[str, ...]:
    """Context of token i (of ``pad(tokens)``): neighbours, the rule's and the learned schwa
    decisions, the two previous spellings."""
    j = i + _PAD
    tok = padded[j]
    rs = ("k" if keep[i] else "d") if tok == SCHWA else "-"
    ls = ("k" if learned[i] else "d") if tok == SCHWA else "-"
    p1 = prev[i - 1] if i >= 1 else BOUNDARY
    p2 = prev[i - 2] if i >= 2 else BOUNDARY
    return (tok, padded[j + 1], padded[j - 1], padded[j + 2], padded[j - 2], padded[j + 3], padded[j - 3],
            padded[j + 4], padded[j - 4], rs, p1, p2, ls)


# How spell() computes each feature of FEATURE_NAMES: ("t", offset) a neighbouring token,
# ("rs", 0) the rule's schwa decision, ("p", k) the spelling chosen k tokens back, ("ls", 0) the
# learned schwa decision.
_STEPS = [(0, "t"), (1, "t"), (-1, "t"), (2, "t"), (-2, "t"), (3, "t"), (-3, "t"), (4, "t"), (-4, "t"),
          (0, "rs"), (1, "p"), (2, "p"), (0, "ls")]


class Model:
    """The spelling tree, with the schwa model whose decisions it reads."""

    def __init__(self, order: list[int], tree: list | str, schwa: SchwaModel | None = None) -> None:
        self.order = order
        self.tree = tree
        self.schwa = schwa or SchwaModel([], "")
        self.focus = frozenset(tree[1]) if isinstance(tree, list) else frozenset()
        self._steps = [_STEPS[i] for i in order]

    def predict(self, feats: tuple[str, ...]) -> str:
        return walk(self.tree, self.order, feats)

    def spell(self, tokens: list[str]) -> str:
        """Spell a tokenized word left to right.

        Same walk as ``predict(features(...))``, but each feature is computed only when the walk
        reaches it (most walks stop after a few levels): about a quarter faster on new words.
        """
        keep = rule_schwa(tokens)
        padded = pad(tokens)
        out: list[str] = []
        steps = self._steps
        by_rule: list[str] | None = None  # the rules' spelling, made once per word if needed
        learned: list[bool] | None = None  # the schwa model's decisions, made once per word if needed
        for i, tok in enumerate(tokens):
            if tok in FIXED_SPELLING:
                out.append(FIXED_SPELLING[tok])
                continue
            if tok not in self.focus:
                if by_rule is None:
                    by_rule = rule_spell(tokens, keep)
                out.append(by_rule[i])
                continue
            j = i + _PAD
            node = self.tree
            for offset, kind in steps:
                if kind == "t":
                    value = padded[j + offset]
                elif kind == "p":
                    value = out[i - offset] if i >= offset else BOUNDARY
                elif tok != SCHWA:
                    value = "-"
                elif kind == "rs":
                    value = "k" if keep[i] else "d"
                else:
                    if learned is None:
                        learned = self.schwa.decide(tokens, padded, keep)
                    value = "k" if learned[i] else "d"
                child = node[1].get(value)
                if child is None:
                    break
                node = child
                if type(node) is str:
                    break
            out.append(node if type(node) is str else node[0])
        return "".join(out)


def _read_tree(path: Path, names: tuple[str, ...]) -> tuple[list[int], list | str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        blob = json.load(fh)
    return [names.index(name) for name in blob["features"]], blob["tree"]


@lru_cache(maxsize=1)
def load_model() -> Model:
    """Load the shipped models; rules alone for whichever file is missing."""
    schwa = SchwaModel(*_read_tree(SCHWA_MODEL_PATH, SCHWA_FEATURES)) if SCHWA_MODEL_PATH.exists() else None
    if not MODEL_PATH.exists():
        return Model([], "", schwa)
    return Model(*_read_tree(MODEL_PATH, FEATURE_NAMES), schwa)


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, str]:
    """Word -> spelling exceptions (loanwords, names) built from Dakshina train."""
    if not LEXICON_PATH.exists():
        return {}
    with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as fh:
        return dict(line.rstrip("\n").split("\t", 1) for line in fh if "\t" in line)


# The commonest words of news text, spelled the way most readers write them. Dakshina's
# annotators disagree with the majority of readers on a few (वे -> "way", करने -> "karane").
COMMON_WORDS: dict[str, str] = dict(
    pair.split(":")
    for pair in (
        "है:hai हैं:hain था:tha थे:the थी:thi में:mein मैं:main से:se की:ki का:ka के:ke को:ko ने:ne "
        "पर:par और:aur भी:bhi कि:ki तक:tak नहीं:nahin यह:yah वह:vah ये:ye वे:ve एक:ek कब:kab "
        "गए:gaye गये:gaye गई:gayi गयी:gayi गईं:gayin गया:gaya हुए:hue हुई:hui हुआ:hua किए:kiye "
        "किये:kiye लिए:liye लिये:liye नए:naye नई:nayi दिए:diye आए:aaye आई:aayi जाए:jaye जाएं:jayen "
        "जाएगा:jayega जाएगी:jayegi चाहिए:chahiye करने:karne करते:karte कहा:kaha कहते:kahte "
        "सकते:sakte सकता:sakta रहे:rahe रहा:raha रही:rahi बाद:baad साथ:saath लेकिन:lekin "
        "क्योंकि:kyonki इसलिए:isliye अपने:apne उनके:unke उन्होंने:unhone होने:hone होगा:hoga"
    ).split()
)


def spell_word(word: str, *, use_lexicon: bool = True) -> str:
    """Lower-case readable spelling of one Devanagari word.

    ``use_lexicon=False`` skips the word lists and leaves rules + model (used for scoring).
    """
    word = unicodedata.normalize("NFC", word)  # the word lists spell क़ as क + nukta
    if use_lexicon:
        hit = COMMON_WORDS.get(word) or load_lexicon().get(word)
        if hit is not None:
            return hit
    tokens = tokenize(word)
    if not tokens:
        return ""
    return load_model().spell(tokens)


# ---- running text --------------------------------------------------------------------------------

_LETTERS = "\u0900-\u0963\u0970-\u097f"
_WORD = re.compile(f"[{_LETTERS}][{_LETTERS}\u200c\u200d]*|([\u0964\u0965])|([\u0966-\u096f])")
_SENTENCE_END = frozenset(".!?।॥\n")
# Function words stay lower case in titles (as in English title case).
_TITLE_LOWER = frozenset(
    "ka ke ki ko se me mein men par pe aur va ya ne hi bhi to tak hai hain tha the thi liye wala wale wali".split()
)
_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def _sentence_start(text: str, pos: int) -> bool:
    """True if only spaces, quotes, brackets or symbols separate ``pos`` from a sentence end."""
    j = pos - 1
    while j >= 0 and text[j] not in _SENTENCE_END and not text[j].isalnum():
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END


def to_readable(text: str, *, title: bool = False) -> str:
    """Romanize Devanagari in ``text`` as readers write Hindi; other text is kept verbatim.

    Sentence case (capital at the start of each sentence and line); ``title=True`` gives title
    case, leaving short function words (ka, ke, me, aur...) lower case after the first word.
    """
    cache = _CACHE
    first = [True]

    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return "."
        if m.group(2):
            return str(ord(m.group(2)) - 0x0966)
        word = m.group()
        rom = cache.get(word)
        if rom is None:
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            rom = cache[word] = spell_word(word.replace("\u200c", "").replace("\u200d", ""))
        if not rom:
            return rom
        if title:
            if first[0] or rom not in _TITLE_LOWER:
                rom = rom[0].upper() + rom[1:]
            first[0] = False
        elif _sentence_start(m.string, m.start()):
            rom = rom[0].upper() + rom[1:]
        return rom

    return _WORD.sub(repl, text)
