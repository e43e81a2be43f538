"""Build the readable-romanization model and exception lexicon from Dakshina *train*.

Run ``python -m samachar.transliterate.build_model [--data ../shared/data]``. It writes
``data/schwa_model.json.gz``, ``data/readable_model.json.gz`` and ``data/lexicon.tsv.gz`` next to
this file. Only Arora et al.'s schwa lexicon and Dakshina train.tsv are read for learning;
``--holdout`` keeps a slice of train aside for picking the smoothing strength (``--kappa``), and
dev.tsv is read only to print the final score.

Steps: (1) learn schwa deletion from Arora et al.'s lexicon: an IGTree over the schwa's context
(smoothing picked by 5-fold cross-validation); (2) align each Dakshina word's tokens with each
attested spelling by hard EM (every token emits 0-4 Latin letters; a hand-written list of likely
spellings seeds the first round); (3) grow an IGTree (features ordered by gain ratio, each node's
counts smoothed towards its parent's, nodes that agree with their parent pruned) that predicts a
token's letters from its neighbours (±4 tokens), the rule's and the learned schwa decisions and the
two previous spellings; (4) keep as lexicon the train words whose predicted spelling is unattested
or clearly outvoted, with their most common spelling.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from samachar.transliterate import readable
from samachar.transliterate.readable import (
    BOUNDARY,
    FEATURE_NAMES,
    FIXED_SPELLING,
    SCHWA,
    SCHWA_FEATURES,
    VIRAMA,
    SchwaModel,
    features,
    pad,
    rule_schwa,
    schwa_features,
    token_classes,
    tokenize,
)

MAX_EMIT = 4
_SEED_SPELLINGS: dict[str, tuple[str, ...]] = {
    "ə": ("a", "", "e"), "ा": ("a", "aa"), "ि": ("i", "e", "ee", "y"), "ी": ("i", "ee", "y", "ey", "ie", "ea"),
    "ु": ("u", "o", "oo"), "ू": ("u", "oo", "o", "ou"), "े": ("e", "a", "ay", "ai", "ey", "ee"),
    "ै": ("ai", "e", "a", "ei", "ay"), "ो": ("o", "oa", "ow", "oo"), "ौ": ("au", "ou", "o", "ow", "ao"),
    "ृ": ("ri", "ru", "r"), "ॅ": ("e", "a"), "ॉ": ("o", "a", "au", "aw"), "्": ("",),
    "ं": ("n", "m", "", "ng"), "ँ": ("n", ""), "ः": ("h", ""),
    "अ": ("a", "aa", "u"), "आ": ("aa", "a"), "इ": ("i", "e"), "ई": ("ee", "i"), "उ": ("u", "o"),
    "ऊ": ("oo", "u"), "ए": ("e", "a", "ai"), "ऐ": ("ai", "e"), "ओ": ("o",), "औ": ("au", "ou"),
    "क": ("k", "c", "ck", "q"), "ख": ("kh", "k"), "ग": ("g", "gh"), "घ": ("gh", "g"), "च": ("ch", "c"),
    "छ": ("chh", "ch", "c"), "ज": ("j", "z", "g"), "झ": ("jh", "z"), "ट": ("t", "tt"), "ठ": ("th", "t"),
    "ड": ("d", "dd"), "ढ": ("dh", "d"), "त": ("t", "th"), "थ": ("th", "t"), "द": ("d", "th"),
    "ध": ("dh", "d"), "न": ("n", "nn"), "फ": ("ph", "f"), "भ": ("bh", "b"), "य": ("y", "i", "e"),
    "ल": ("l", "ll"), "व": ("v", "w", "o", "u"), "श": ("sh", "s"), "ष": ("sh", "s"), "स": ("s", "c", "ss", "sh"),
    "ह": ("h", ""), "क़": ("q", "k"), "ख़": ("kh",), "ग़": ("g", "gh"), "ज़": ("z", "j"), "ड़": ("r", "d", "rh"),
    "ढ़": ("rh", "dh", "d"), "फ़": ("f", "ph"),
}


def read_dakshina(path: Path) -> dict[str, list[tuple[str, int]]]:
    """word (NFC) -> [(spelling, annotator count)] from a Dakshina lexicon TSV."""
    lex: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                lex[unicodedata.normalize("NFC", parts[0])].append((parts[1].lower(), int(parts[2])))
    return dict(lex)


# ---- schwa deletion (Arora et al.) ---------------------------------------------------------------

SchwaWord = tuple[list[str], list[bool | None]]


def read_arora(path: Path) -> dict[str, SchwaWord]:
    """word (NFC) -> (tokens, for each token: schwa kept, schwa deleted, or None if not a schwa).

    The phone string has one phone per token except virama and deleted schwas (``@``, a weakened
    schwa, counts as deleted); rows whose phones do not line up with the tokens are skipped.
    """
    out: dict[str, SchwaWord] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            word = unicodedata.normalize("NFC", row["hindi"]).replace("-", "")
            phones = [ph for ph in row["phon"].split() if ph != "-"]
            tokens = tokenize(word)
            kept: list[bool | None] = []
            j = 0
            for tok in tokens:
                if tok == SCHWA:
                    here = phones[j] if j < len(phones) else ""
                    kept.append(here == "a")
                    j += here in ("a", "@")
                else:
                    kept.append(None)
                    j += tok != VIRAMA
            if tokens and j == len(phones):
                out[word] = (tokens, kept)
    return out


def schwa_instances(words: Iterable[SchwaWord]) -> list[Instance]:
    """One instance per schwa, right to left, with the gold decision on the schwa after it."""
    out: list[Instance] = []
    for tokens, kept in words:
        rule = rule_schwa(tokens)
        padded = pad(tokens)
        classes = token_classes(padded)
        after = BOUNDARY
        for i in range(len(tokens) - 1, -1, -1):
            if kept[i] is not None:
                out.append((schwa_features(padded, classes, rule, i, after), "k" if kept[i] else "d", 1.0))
                after = "k" if kept[i] else "d"
    return out


def train_schwa(words: Iterable[SchwaWord], kappa: float) -> SchwaModel:
    inst = schwa_instances(words)
    order = gain_ratio_order(inst, len(SCHWA_FEATURES), first=None)
    return SchwaModel(order, build_tree(inst, order, kappa))


def schwa_accuracy(decide: Callable[[list[str]], list[bool]], words: Iterable[SchwaWord]) -> float:
    """Share of words whose every schwa is decided as in the lexicon."""
    right = total = 0
    for tokens, kept in words:
        got = decide(tokens)
        right += all(k is None or k == g for k, g in zip(kept, got, strict=True))
        total += 1
    return right / max(total, 1)


def fit_schwa(arora: dict[str, SchwaWord], kappas: list[float], folds: int = 5) -> tuple[SchwaModel, float]:
    """Pick the smoothing strength by cross-validation on the lexicon, then train on all of it."""
    words = sorted(arora)
    random.Random(0).shuffle(words)
    rule = schwa_accuracy(rule_schwa, arora.values())
    best_k, best_acc = kappas[0], -1.0
    for kappa in kappas:
        right = 0.0
        for f in range(folds):
            model = train_schwa((arora[w] for i, w in enumerate(words) if i % folds != f), kappa)
            test = [arora[w] for i, w in enumerate(words) if i % folds == f]
            right += schwa_accuracy(model.decide, test) * len(test)
        acc = right / len(words)
        print(f"schwa kappa={kappa}: {folds}-fold word accuracy {acc:.4f} (rules alone {rule:.4f})")
        if acc > best_acc:
            best_k, best_acc = kappa, acc
    return train_schwa(arora.values(), best_k), best_k


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def score(lexicon: dict[str, list[tuple[str, int]]], spell: Callable[[str], str]) -> dict[str, float]:
    """Dakshina scores: any, top-1 (a most-attested spelling) and CER to the closest spelling."""
    n_any = n_top = edits = ref_chars = 0
    for word, spellings in lexicon.items():
        pred = spell(word).lower()
        best = max(c for _, c in spellings)
        n_any += any(pred == s for s, _ in spellings)
        n_top += any(pred == s and c == best for s, c in spellings)
        dist, ref = min((edit_distance(pred, s), s) for s, _ in spellings)
        edits += dist
        ref_chars += len(ref)
    n = len(lexicon)
    return {"any": n_any / n, "top1": n_top / n, "cer": edits / max(ref_chars, 1), "words": n}


# ---- alignment -----------------------------------------------------------------------------------

def _align(tokens: list[str], rom: str, logp: dict[str, dict[str, float]], floor: float) -> list[str] | None:
    """Best split of ``rom`` into one piece per token under ``logp`` (Viterbi)."""
    n, m = len(tokens), len(rom)
    neg = -math.inf
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i, tok in enumerate(tokens):
        table = logp.get(tok, {})
        row, nxt, bk = best[i], best[i + 1], back[i + 1]
        for j in range(m + 1):
            base = row[j]
            if base == neg:
                continue
            for length in range(min(MAX_EMIT, m - j) + 1):
                v = base + table.get(rom[j:j + length], floor * (1 + length))
                if v > nxt[j + length]:
                    nxt[j + length] = v
                    bk[j + length] = length
    if best[n][m] == neg:
        return None
    pieces, j = [], m
    for i in range(n, 0, -1):
        length = back[i][j]
        pieces.append(rom[j - length:j])
        j -= length
    return pieces[::-1]


def align_all(
    data: list[tuple[list[str], str, int]], rounds: int = 3
) -> list[tuple[list[str], list[str], int]]:
    """Hard-EM alignment of every (tokens, spelling, weight) triple."""
    logp: dict[str, dict[str, float]] = {
        tok: {s: math.log(1 / len(opts)) for s in opts} for tok, opts in _SEED_SPELLINGS.items()
    }
    for tok, default in readable.DEFAULT_SPELLING.items():
        logp.setdefault(tok, {default: 0.0})
    floor = math.log(1e-4)
    aligned: list[tuple[list[str], list[str], int]] = []
    for _ in range(rounds):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        aligned = []
        for tokens, rom, weight in data:
            pieces = _align(tokens, rom, logp, floor)
            if pieces is None:
                continue
            aligned.append((tokens, pieces, weight))
            for tok, piece in zip(tokens, pieces, strict=True):
                counts[tok][piece] += weight
        logp = {}
        for tok, ctr in counts.items():
            total = sum(ctr.values()) + 1.0
            logp[tok] = {s: math.log(c / total) for s, c in ctr.items()}
        floor = math.log(1e-5)
    return aligned


# ---- IGTree --------------------------------------------------------------------------------------

Instance = tuple[tuple[str, ...], str, float]


def instances(aligned: Iterable[tuple[list[str], list[str], int]], schwa: SchwaModel) -> list[Instance]:
    """One training instance per token, with the gold previous spellings as context (the fixed
    spellings of nukta letters in place of the annotators', as the speller will see them)."""
    out: list[Instance] = []
    for tokens, pieces, weight in aligned:
        keep = rule_schwa(tokens)
        padded = pad(tokens)
        learned = schwa.decide(tokens, padded, keep)
        spelled = [FIXED_SPELLING.get(tok, piece) for tok, piece in zip(tokens, pieces, strict=True)]
        for i in range(len(tokens)):
            out.append((features(padded, keep, learned, i, spelled), spelled[i], float(weight)))
    return out


def _entropy(counter: Counter[str]) -> float:
    total = sum(counter.values())
    return -sum(c / total * math.log2(c / total) for c in counter.values() if c)


def gain_ratio_order(data: list[Instance], n_features: int = len(FEATURE_NAMES), first: int | None = 0) -> list[int]:
    """Feature indices sorted by gain ratio, best first (``first``, the focus token, always first)."""
    classes: Counter[str] = Counter()
    for _, cls, w in data:
        classes[cls] += w
    h = _entropy(classes)
    total = sum(classes.values())
    ratios = []
    for f in range(n_features):
        by_val: dict[str, Counter[str]] = defaultdict(Counter)
        for feats, cls, w in data:
            by_val[feats[f]][cls] += w
        cond = sum(sum(c.values()) / total * _entropy(c) for c in by_val.values())
        split = _entropy(Counter({v: sum(c.values()) for v, c in by_val.items()}))
        ratios.append(((h - cond) / split if split else 0.0, f))
    order = [f for _, f in sorted(ratios, reverse=True)]
    if first is None:
        return order
    order.remove(first)
    return [first, *order]


def build_tree(data: list[Instance], order: list[int], kappa: float) -> list | str:
    """Grow the tree; a node stores its best spelling and only the children that disagree.

    A node's distribution is interpolated with its parent's (Witten-Bell style,
    lambda = n / (n + kappa * types)), so a context seen once cannot override a well-attested
    parent on its own.
    """

    def grow(items: list[Instance], depth: int, parent: dict[str, float] | None) -> list | str:
        ctr: Counter[str] = Counter()
        for _, cls, w in items:
            ctr[cls] += w
        total = sum(ctr.values())
        lam = total / (total + kappa * len(ctr)) if parent is not None else 1.0
        dist = {cls: lam * w / total for cls, w in ctr.items()}
        for cls, p in (parent or {}).items():
            dist[cls] = dist.get(cls, 0.0) + (1 - lam) * p
        default = max(dist.items(), key=lambda kv: (kv[1], kv[0]))[0]
        if len(ctr) == 1 or depth == len(order):
            return default
        f = order[depth]
        groups: dict[str, list[Instance]] = defaultdict(list)
        for item in items:
            groups[item[0][f]].append(item)
        children = {}
        for value, sub in groups.items():
            child = grow(sub, depth + 1, dist)
            if child != default:
                children[value] = child
        return [default, children] if children else default

    return grow(data, 0, None)


Aligned = list[tuple[list[str], list[str], int]]
# Annotators' spellings of a nukta letter that merely drop the nukta (क़ as k, ज़ as j, ड़ as d): the
# lexicon puts the fixed letter back. Other spellings are an English word's own letters (न्यूज़
# news, फ़ोटो photo) and stay.
_NUKTA_DROPPED = {"क़": ("k", "c"), "ज़": ("j",), "ड़": ("d", "dd"), "ढ़": ("dh", "d")}


def _restore_nukta(tokens: list[str], pieces: list[str]) -> str:
    return "".join(
        FIXED_SPELLING[tok] if piece in _NUKTA_DROPPED.get(tok, ()) else piece
        for tok, piece in zip(tokens, pieces, strict=True)
    )


def train(
    train_lex: dict[str, list[tuple[str, int]]], kappa: float, schwa: SchwaModel
) -> tuple[list[int], list | str, Aligned]:
    """Align, then grow the tree; returns (feature order, tree, the alignments)."""
    data = [(tokenize(w), s, c) for w, spellings in train_lex.items() for s, c in spellings if tokenize(w)]
    aligned = align_all(data)
    inst = instances(aligned, schwa)
    order = gain_ratio_order(inst)
    return order, build_tree(inst, order, kappa), aligned


def build_lexicon(
    train_lex: dict[str, list[tuple[str, int]]], spell: Callable[[str], str], aligned: Aligned
) -> dict[str, str]:
    """Train words whose predicted spelling is unattested or clearly outvoted -> their commonest
    spelling, where the annotators dropped a nukta (क़िस्मत "kismat", लड़ाका "ladaka") with the
    nukta letter's fixed spelling put back, as everywhere else ("qismat", "laraka")."""
    pieces_of = {(tuple(tokens), "".join(pieces)): (tokens, pieces) for tokens, pieces, _ in aligned}
    lexicon = {}
    for word, spellings in sorted(train_lex.items()):
        counts = dict(spellings)
        pred = spell(word)
        top = max(counts.values())
        if pred in counts and counts[pred] + 2 > top:
            continue  # the model already writes an attested spelling that is not clearly outvoted
        choice = min((s for s, c in spellings if c == top), key=lambda s: (edit_distance(pred, s), s))
        found = pieces_of.get((tuple(tokenize(word)), choice))
        if found:
            choice = _restore_nukta(*found)
        if choice != pred:
            lexicon[word] = choice
    return lexicon


def _spell_with(order: list[int], tree: list | str, schwa: SchwaModel) -> Callable[[str], str]:
    model = readable.Model(order, tree, schwa)
    return lambda word: model.spell(tokenize(word))


def main(argv: list[str] | None = None) -> None:
    """Build and write the model files, printing held-out and dev scores."""
    here = Path(__file__).resolve()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=here.parents[3] / ".." / "shared" / "data")
    parser.add_argument("--kappa", type=float, nargs="*", default=[2.0, 4.0, 6.0, 8.0],
                        help="smoothing strengths to try on the held-out slice of train")
    parser.add_argument("--holdout", type=float, default=0.1, help="share of train kept aside for tuning")
    args = parser.parse_args(argv)
    schwa, schwa_k = fit_schwa(read_arora(args.data / "schwa-arora" / "large.csv"), [0.5, 2.0, 6.0])
    train_lex = read_dakshina(args.data / "dakshina-hi" / "train.tsv")

    words = sorted(train_lex)
    random.Random(0).shuffle(words)
    cut = int(len(words) * args.holdout)
    held = {w: train_lex[w] for w in words[:cut]}
    rest = {w: train_lex[w] for w in words[cut:]}
    best_k, best_score = args.kappa[0], -1.0
    if cut and len(args.kappa) > 1:
        for kappa in args.kappa:
            order, tree, _ = train(rest, kappa, schwa)
            s = score(held, _spell_with(order, tree, schwa))
            print(f"kappa={kappa}: held-out {s}")
            if s["any"] + s["top1"] > best_score:
                best_k, best_score = kappa, s["any"] + s["top1"]
    order, tree, aligned = train(train_lex, best_k, schwa)
    spell = _spell_with(order, tree, schwa)
    lexicon = build_lexicon(train_lex, spell, aligned)

    out_dir = here.parent / "data"
    out_dir.mkdir(exist_ok=True)
    schwa_blob = {"features": [SCHWA_FEATURES[i] for i in schwa.order], "kappa": schwa_k, "tree": schwa.tree}
    with gzip.GzipFile(out_dir / "schwa_model.json.gz", "wb", mtime=0) as fh:
        fh.write(json.dumps(schwa_blob, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode())
    blob = {"features": [FEATURE_NAMES[i] for i in order], "kappa": best_k, "tree": tree}
    with gzip.GzipFile(out_dir / "readable_model.json.gz", "wb", mtime=0) as fh:
        fh.write(json.dumps(blob, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode())
    with gzip.GzipFile(out_dir / "lexicon.tsv.gz", "wb", mtime=0) as fh:
        fh.write("".join(f"{w}\t{s}\n" for w, s in lexicon.items()).encode())
    print(f"kappa={best_k}, features={blob['features']}, lexicon entries={len(lexicon)}")
    dev_path = args.data / "dakshina-hi" / "dev.tsv"
    if dev_path.exists():
        print("dev:", score(read_dakshina(dev_path), spell))


if __name__ == "__main__":
    main()
