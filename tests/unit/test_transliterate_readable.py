"""Readable romanization: rules, shipped model and lexicon, running text and Dakshina accuracy."""

from __future__ import annotations

from pathlib import Path

import pytest

from samachar.transliterate import to_readable
from samachar.transliterate.build_model import read_dakshina, score
from samachar.transliterate.readable import (
    DATA_DIR,
    FIXED_SPELLING,
    features,
    load_lexicon,
    load_model,
    pad,
    rule_schwa,
    rule_spell,
    spell_word,
    tokenize,
)

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("कमल", "kamal"),  # word-final schwa goes
        ("कमला", "kamlaa"),  # medial schwa goes in VC_CV
        ("समझना", "samajhnaa"),
        ("मंत्र", "mantra"),  # final schwa stays after a cluster
        ("न", "na"),  # and in one-syllable words
        ("चंपा", "champaa"),  # anusvara before a labial -> m
        ("संत", "sant"),  # anusvara elsewhere -> n
        ("कहाँ", "kahaan"),  # chandrabindu -> n
    ],
)
def test_rules(word: str, expected: str) -> None:
    assert "".join(rule_spell(tokenize(word))) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ज़िंदगी", "zindagi"), ("फ़िल्म", "film"), ("क़िला", "qila"),  # nukta letters
        ("लड़की", "larki"), ("पढ़ाई", "parhaai"), ("सड़क", "sarak"), ("\u0921\u093c\u093e", "ra"),
        ("विषय", "vishay"), ("ज्ञान", "gyan"), ("क्षेत्र", "kshetra"),  # ष, ज्ञ, क्ष
        ("संबंध", "sambandh"), ("कहाँ", "kahan"),
        ("कैसे", "kaise"), ("और", "aur"), ("मोदी", "modi"), ("प्रधानमंत्री", "pradhanmantri"),
        ("न्यूज", "news"), ("न्यूज़", "news"),  # loanword lexicon
        ("गए", "gaye"), ("करने", "karne"),  # common words
    ],
)
def test_words(word: str, expected: str) -> None:
    assert spell_word(word) == expected


def test_sentence_case_numbers_and_latin_kept() -> None:
    text = "India News ( इंडिया न्यूज़ ) रूस ने कहा। अब २४ फरवरी 2022 को iPhone बिका।\n“पुतिन” आए"
    out = to_readable(text)
    # Latin kept verbatim (even "iPhone"), digits made ASCII, capitals only at sentence/line starts.
    assert out == "India News ( india news ) rus ne kaha. Ab 24 february 2022 ko iPhone bika.\n“Putin” aaye"


def test_title_case() -> None:
    out = to_readable("रूस के राष्ट्रपति व्लादिमीर पुतिन जल्द करेंगे चीन का दौरा", title=True)
    words = out.split()
    assert words[0] == "Rus" and words[1] == "ke" and words[-2] == "ka"
    assert all(w[0].isupper() for w in words if w not in ("ke", "ka"))


def test_schwa_model_reads_what_the_rules_miss() -> None:
    # VC_CV deletes the schwa of प in राष्ट्रपति; readers keep it, and the learned model knows
    model = load_model()
    assert model.schwa.order, "schwa model file missing: run python -m samachar.transliterate.build_model"
    tokens = tokenize("राष्ट्रपति")
    rules, learned = rule_schwa(tokens), model.schwa.decide(tokens, pad(tokens), rule_schwa(tokens))
    assert [i for i, (r, k) in enumerate(zip(rules, learned, strict=True)) if r != k] == [tokens.index("प") + 1]
    assert spell_word("राष्ट्रपति") == "rashtrapati"


def test_lexicon_keeps_the_nukta_spellings() -> None:
    # Annotators often drop the nukta (लड़ाई "ladai", क़िस्मत "kismat"); the lexicon must not bring
    # that back word by word, but English words keep their letters (न्यूज़ "news")
    lexicon = load_lexicon()
    flapped = {w: s for w, s in lexicon.items() if "ड़" in w}
    assert flapped and all("r" in s for s in flapped.values()), flapped
    assert all(s.startswith("q") for w, s in lexicon.items() if w.startswith("क़"))
    assert spell_word("क़िस्मत") == "qismat" and spell_word("न्यूज़") == "news"


def test_shipped_data_is_small_and_loaded() -> None:
    total = sum(p.stat().st_size for p in DATA_DIR.iterdir())
    assert total < 1_000_000
    assert load_model().focus, "model file missing: run python -m samachar.transliterate.build_model"
    assert load_lexicon()


def test_fast_walk_matches_feature_walk() -> None:
    # Model.spell computes features lazily; it must agree with the features() used in training.
    model = load_model()
    text = (
        "रूस के राष्ट्रपति व्लादिमीर पुतिन जल्दी ही चीन के दौरे पर जाने वाले हैं हालांकि अभी इसकी कोई तारीख "
        "तय नहीं की गई क्रेमलिन प्रवक्ता दिमित्री पेसकोव न्यूज ब्रीफिंग ज़िंदगी फ़िल्म क़िला अंतर्राष्ट्रीय "
        "लड़की पढ़ाई सड़कों समझना कमला"
    )
    for word in text.split():
        tokens = tokenize(word)
        keep, padded, out = rule_schwa(tokens), pad(tokens), []
        learned = model.schwa.decide(tokens, padded, keep)
        for i, tok in enumerate(tokens):
            if tok in FIXED_SPELLING:
                out.append(FIXED_SPELLING[tok])
            elif tok in model.focus:
                out.append(model.predict(features(padded, keep, learned, i, out)))
            else:
                out.append(rule_spell(tokens)[i])
        assert model.spell(tokens) == "".join(out), word


def test_dakshina_dev_accuracy() -> None:
    dev_path = DATA / "dakshina-hi" / "dev.tsv"
    if not dev_path.exists():
        pytest.skip(f"Dakshina dev not found at {dev_path.resolve()} (expected beside the repository)")
    dev = read_dakshina(dev_path)
    assert not set(dev) & set(load_lexicon()), "lexicon must come from train only"
    result = score(dev, lambda w: spell_word(w, use_lexicon=False))
    assert result["any"] >= 0.75, result
    assert result["top1"] >= 0.65, result
    assert result["cer"] <= 0.08, result
