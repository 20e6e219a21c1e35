"""A small learned classifier (a softmax regression, or multinomial naive Bayes, over hashed
text features) and an ensemble of it with the rules.

Pure Python, deterministic, no NumPy or scikit-learn; inference sums a weight row per feature
present (both kinds of model score a message the same way). The shipped weights
(``_learned_weights.json.gz``, package data) are read on first use, never at import. They are
made by ``benchmarks/train_classifier.py`` from the tuning split of the labelled set
(``tests/community/data/labelled_messages.tsv``); ``LearnedClassifier.train`` makes a model from
any ``(text, category)`` pairs.

Features, all computed in one pass over at most :data:`MAX_LEARNED_CHARS` characters:

- words after folding (lower case, accents and compatibility forms removed), leetspeak folded
  in words that mix letters and digits (``idi0ta`` → idiota), runs of three or more equal
  letters squeezed to one (``buonissimoooo`` → buonissimo), masks dropped (``st*onzo`` →
  stonzo), spaced single letters joined (``i d i o t s`` → idiots);
- placeholders: ``<url>``, ``<short>`` (a shortener or link hub), ``<at>`` (a mention),
  ``<hash>``, ``<num>``, ``<money>``; ``?`` and ``!``; each emoji as a token;
- word pairs (bigrams), character 4-grams inside each word (``^ser``, ``ervi``...; a
  payload without a ``grams`` field, made by an earlier smmkit, reads 3- and 4-grams), and the
  message's length in words (bucketed).

Each feature name is hashed (CRC-32, stable across runs and machines) into
:data:`HASH_BUCKETS` buckets; a message counts each feature once.
"""

from __future__ import annotations

import gzip
import json
import math
import random
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from operator import itemgetter, sub
from typing import Literal, TypeGuard

from smmkit.errors import ValidationError
from smmkit.models import InboxMessage, MessageCategory
from smmkit.text import extract_urls_with_indices

from ._classify import Classification, Classifier, RuleClassifier, detect_language
from ._people import names_a_person
from ._words import DEFAULT_SHORTENERS, fold, words

__all__ = ["HASH_BUCKETS", "MAX_LEARNED_CHARS", "EnsembleClassifier", "LearnedClassifier"]

MAX_LEARNED_CHARS = 4_000
"""Characters of a message the learned model reads (the rest is ignored)."""

HASH_BUCKETS = 1 << 20
"""Number of hash buckets for feature names."""

_GRAM_SIZES: tuple[int, ...] = (4,)
# Character n-grams of a new model: 4-grams alone generalised better to later batches than 3-
# and 4-grams (benchmarks/eval_classifier.py, "then": model 0.829 vs 0.805 macro F1).
_OLD_GRAM_SIZES = [3, 4]  # payloads made before "grams" was recorded
_WEIGHTS_FILE = "_learned_weights.json.gz"
_FORMAT = "smmkit-nb-1"
_LINEAR_FORMAT = "smmkit-linear-1"
_WEIGHT_SCALE = 100
# Linear weights (softmax, blend) are stored as integers (hundredths); a feature whose weights
# all round under _PRUNE_BELOW hundredths is dropped (it barely moves a message; the file stays
# small: the softmax's "then" figures were the same, within 0.001, as with thousandths and no
# pruning).
_PRUNE_BELOW = 2
_SGD_SEED = 27
_SGD_ETA0 = 0.5
# Chosen by benchmarks/eval_classifier.py's "then" figures over t2-t26 (round 27): l2 3e-4 and 20
# epochs; the softmax alone at temperature 0.3 gave the ensemble 0.837 macro F1 (abuse recall
# 0.835; naive Bayes 0.829, 0.803; 1e-4, 1e-3, 10 or 40 epochs, temperatures 0.2 to 1 no
# better) but read short messages by its bias ("love it" as nothing); the blend of both, naive
# Bayes at temperature 3 plus the softmax at 0.5, 0.846 (0.842), the model alone 0.864.
_DEFAULT_L2 = 3e-4
_DEFAULT_EPOCHS = 20
_SOFTMAX_TEMPERATURE = 0.3
_BLEND_NB_TEMPERATURE = 3.0
_BLEND_SOFTMAX_TEMPERATURE = 0.5
Method = Literal["blend", "softmax", "naive-bayes"]
"""How :meth:`LearnedClassifier.train` fits a model."""
_CATEGORIES: tuple[MessageCategory, ...] = tuple(MessageCategory)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s"})
_WORD_EXTRA = frozenset("*$")
_SKIP = frozenset("\u200b\u200c\u200d\u2060\ufe0e\ufe0f")
_MONEY = frozenset("€$£")
_MAX_TOKENS = 300
_MAX_CUES = 5
_MEMO_LIMIT = 50_000
_FINISHED: dict[str, str] = {}
_ROW = itemgetter(1)


# -------------------------------------------------------------------------------------------
# Features
# -------------------------------------------------------------------------------------------
def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    for stop in "/?#":
        rest = rest.split(stop, 1)[0]
    return rest.removeprefix("www.")


def _is_emoji(char: str) -> bool:
    code = ord(char)
    if 0x1F3FB <= code <= 0x1F3FF:  # skin tones
        return False
    return code >= 0x1F000 or unicodedata.category(char) == "So"


def _squeeze(word: str) -> str:
    """Runs of three or more equal characters become one: O(len(word))."""
    out: list[str] = []
    run = 0
    previous = ""
    for char in word:
        if char == previous:
            run += 1
        else:
            run = 1
            previous = char
        out.append(char)
        if run == 3:
            del out[-3:-1]
        elif run > 3:
            out.pop()
    return "".join(out)


def _finish_word(raw: str) -> str:
    """A raw word's token ("" for none), remembered (words repeat; the memo is bounded)."""
    found = _FINISHED.get(raw)
    if found is None:
        found = _finish(raw)
        if len(_FINISHED) >= _MEMO_LIMIT:
            _FINISHED.clear()
        _FINISHED[raw] = found
    return found


def _finish(raw: str) -> str:
    has_alpha = any(c.isalpha() for c in raw)
    if not has_alpha:
        return "<num>" if any(c.isdigit() for c in raw) else ""
    if any(c.isdigit() or c == "$" for c in raw):
        raw = raw.translate(_LEET)
    raw = raw.replace("*", "")
    return _squeeze(raw) if raw else ""


def _tokens(text: str) -> list[str]:
    """The model's tokens of ``text`` (see the module's documentation): O(len(text))."""
    text = text[:MAX_LEARNED_CHARS]
    folded = fold(text)
    tokens: list[str] = []
    if "." in folded:
        urls = extract_urls_with_indices(folded)
        if urls:
            pieces: list[str] = []
            last = 0
            for url in urls:
                pieces.append(folded[last : url.start])
                pieces.append(" ")
                last = url.end
                host = _host(url.value)
                tokens.append("<short>" if host in DEFAULT_SHORTENERS else "<url>")
            pieces.append(folded[last:])
            folded = "".join(pieces)
    words: list[str] = []
    word: list[str] = []
    mention = False

    def flush() -> None:
        nonlocal mention
        if word:
            if mention:
                words.append("<at>")
            else:
                finished = _finish_word("".join(word))
                if finished:
                    words.append(finished)
            word.clear()
        mention = False

    for char in folded:
        if char.isalnum() or (char in _WORD_EXTRA and word):
            word.append(char)
            continue
        if char == "_" and mention:
            word.append(char)
            continue
        if char == "." and mention and word:
            word.append(char)
            continue
        if char in _SKIP:
            continue
        flush()
        if len(words) >= _MAX_TOKENS:
            break
        if char == "@":
            mention = True
        elif char == "#":
            words.append("<hash>")
        elif char in "?!":
            if not words or words[-1] != char:
                words.append(char)
        elif char in _MONEY:
            words.append("<money>")
        elif not char.isspace() and _is_emoji(char):
            words.append(char)
    flush()
    # spaced single letters ("i d i o t s") joined into one word
    joined: list[str] = []
    run: list[str] = []
    for token in words:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if len(run) >= 3:
            joined.append("".join(run))
        else:
            joined.extend(run)
        run.clear()
        joined.append(token)
    if len(run) >= 3:
        joined.append("".join(run))
    else:
        joined.extend(run)
    return tokens + joined[:_MAX_TOKENS]


def _length_bucket(count: int) -> str:
    if count == 0:
        return "len:0"
    if count <= 2:
        return "len:1-2"
    if count <= 6:
        return "len:3-6"
    if count <= 15:
        return "len:7-15"
    return "len:16+"


def _grams(token: str, sizes: tuple[int, ...] = _GRAM_SIZES) -> tuple[str, ...]:
    """The character n-gram features (n in ``sizes``) of a word token, cached (words repeat;
    the cache is bounded whatever the public writes)."""
    key = (token, sizes)
    found = _GRAMS.get(key)
    if found is None:
        padded = f"^{token}$"
        size = len(padded)
        found = tuple(
            f"c:{padded[start : start + n]}" for n in sizes for start in range(size - n + 1)
        )
        if len(_GRAMS) >= _GRAMS_LIMIT:
            _GRAMS.clear()
        _GRAMS[key] = found
    return found


_GRAMS_LIMIT = 50_000
_GRAMS: dict[tuple[str, tuple[int, ...]], tuple[str, ...]] = {}


def feature_names(text: str, grams: tuple[int, ...] = _GRAM_SIZES) -> list[str]:
    """The distinct feature names of ``text``, in order of first appearance: O(len(text))."""
    tokens = _tokens(text)
    names: dict[str, None] = {}
    word_count = 0
    previous = "<s>"
    for token in tokens:
        names[f"w:{token}"] = None
        names[f"b:{previous} {token}"] = None
        previous = token
        if token[0].isalnum():
            word_count += 1
            if len(token) >= 3:
                for gram in _grams(token, grams):
                    names[gram] = None
    names[f"b:{previous} </s>"] = None
    names[_length_bucket(word_count)] = None
    return list(names)


def _bucket(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) % HASH_BUCKETS


# -------------------------------------------------------------------------------------------
# Model
# -------------------------------------------------------------------------------------------
_Known = tuple[str, tuple[float, ...], int, float]
"""A feature the model knows: its name, its per-category log probabilities, the category it
favours over every other (``-1`` when two share the top) and by how much (negative: the
runner-up's log probability minus the top's)."""


@dataclass(frozen=True, slots=True)
class _WordFeatures:
    """What a model knows of one token's own features: its ``w:`` feature (``None`` when
    unknown), its known character n-grams in order, and whether it counts as a word."""

    word: _Known | None
    grams: tuple[_Known, ...]
    counts: bool


@dataclass(frozen=True, slots=True)
class _Model:
    """Per-class scores of the hashed features seen in training: log probabilities (naive
    Bayes) or weights (softmax regression); ``log_prior`` is the prior or the bias. A message's
    score for a class is its ``log_prior`` plus the sum over its known features.

    ``words`` and ``names`` remember, per model, what it knows of a token's features and of a
    feature name (word pairs, the end of the message, the length): words repeat across
    messages, so most look-ups are one dictionary read. Both are bounded (cleared when full),
    whatever the public writes."""

    categories: tuple[MessageCategory, ...]
    log_prior: tuple[float, ...]
    log_prob: Mapping[int, tuple[float, ...]]
    temperature: float
    grams: tuple[int, ...] = _GRAM_SIZES
    words: dict[str, _WordFeatures] = field(default_factory=dict, compare=False, repr=False)
    names: dict[str, _Known | None] = field(default_factory=dict, compare=False, repr=False)

    def known(self, name: str) -> _Known | None:
        """``name`` as a feature this model knows, or ``None``."""
        row = self.log_prob.get(zlib.crc32(name.encode("utf-8")) % HASH_BUCKETS)
        if row is None:
            return None
        top = max(row)
        k = row.index(top)
        rest = max(row[:k] + row[k + 1 :])
        return (name, row, k if top > rest else -1, rest - top)

    def named(self, name: str) -> _Known | None:
        """:meth:`known`, remembered."""
        names = self.names
        try:
            return names[name]
        except KeyError:
            pass
        found = self.known(name)
        if len(names) >= _MEMO_LIMIT:
            names.clear()
        names[name] = found
        return found

    def word(self, token: str) -> _WordFeatures:
        """What this model knows of ``token``'s own features, remembered."""
        words = self.words
        found = words.get(token)
        if found is None:
            counts = token[0].isalnum()
            grams: tuple[_Known, ...] = ()
            if counts and len(token) >= 3:
                known = self.known
                grams = tuple(g for g in map(known, _grams(token, self.grams)) if g is not None)
            found = _WordFeatures(self.known(f"w:{token}"), grams, counts)
            if len(words) >= _MEMO_LIMIT:
                words.clear()
            words[token] = found
        return found

    def features(self, text: str) -> list[_Known]:
        """The features of ``text`` this model knows, in the order of :func:`feature_names`
        (each once): O(len(text))."""
        present: list[_Known] = []
        seen: set[str] = set()
        add = present.append
        mark = seen.add
        named = self.named
        word = self.word
        word_count = 0
        previous = "<s>"
        for token in _tokens(text):
            own = word(token)
            known = own.word
            if known is not None and known[0] not in seen:
                mark(known[0])
                add(known)
            pair = named(f"b:{previous} {token}")
            if pair is not None and pair[0] not in seen:
                mark(pair[0])
                add(pair)
            previous = token
            if own.counts:
                word_count += 1
                for gram in own.grams:
                    if gram[0] not in seen:
                        mark(gram[0])
                        add(gram)
        for name in (f"b:{previous} </s>", _length_bucket(word_count)):
            known = named(name)
            if known is not None and known[0] not in seen:
                mark(known[0])
                add(known)
        return present


def _check_pairs(
    pairs: Iterable[tuple[str, MessageCategory | str]],
) -> list[tuple[str, MessageCategory]]:
    checked: list[tuple[str, MessageCategory]] = []
    for text, label in pairs:
        if not isinstance(text, str):
            raise ValidationError(
                "text", repr(text)[:40], "must be a string", hint="give (text, category) pairs"
            )
        try:
            category = MessageCategory(label)
        except ValueError:
            raise ValidationError(
                "category",
                str(label)[:40],
                "is not a message category",
                hint=f"use one of {', '.join(c.value for c in _CATEGORIES)}",
            ) from None
        checked.append((text, category))
    if not checked:
        raise ValidationError(
            "pairs", "[]", "must hold at least one message", hint="give (text, category) pairs"
        )
    return checked


def _count(
    pairs: Sequence[tuple[str, MessageCategory]],
    grams: tuple[int, ...] = _GRAM_SIZES,
) -> tuple[dict[int, list[int]], list[int]]:
    index = {c: i for i, c in enumerate(_CATEGORIES)}
    counts: dict[int, list[int]] = {}
    docs = [0] * len(_CATEGORIES)
    for text, category in pairs:
        k = index[category]
        docs[k] += 1
        for name in feature_names(text, grams):
            row = counts.get(_bucket(name))
            if row is None:
                row = counts[_bucket(name)] = [0] * len(_CATEGORIES)
            row[k] += 1
    return counts, docs


def _build(
    counts: Mapping[int, Sequence[int]],
    docs: Sequence[int],
    alpha: float,
    temperature: float,
    grams: tuple[int, ...] = _GRAM_SIZES,
) -> _Model:
    size = len(_CATEGORIES)
    totals = [0] * size
    for row in counts.values():
        for k in range(size):
            totals[k] += row[k]
    vocabulary = max(1, len(counts))
    denominators = [math.log(totals[k] + alpha * vocabulary) for k in range(size)]
    log_prob = {
        bucket: tuple(math.log(row[k] + alpha) - denominators[k] for k in range(size))
        for bucket, row in counts.items()
    }
    present = sum(1 for d in docs if d)
    log_prior = tuple(
        math.log((docs[k] + 1) / (sum(docs) + present)) if docs[k] else -50.0 for k in range(size)
    )
    return _Model(_CATEGORIES, log_prior, log_prob, temperature, grams)


def _fit_softmax(
    pairs: Sequence[tuple[str, MessageCategory]],
    grams: tuple[int, ...],
    l2: float,
    epochs: int,
) -> tuple[list[float], dict[int, list[float]]]:
    """Multinomial logistic (softmax) regression over the hashed features present in each
    message (binary), with L2 regularisation ``l2`` on the weights (not the bias), by
    stochastic gradient descent: ``epochs`` passes, the messages in an order shuffled by a fixed
    seed (deterministic), step ``1 / (l2 * (t0 + t))`` (Bottou), the weight decay kept as one
    scale factor so that a step touches only the message's features: O(epochs × features)."""
    index = {c: i for i, c in enumerate(_CATEGORIES)}
    size = len(_CATEGORIES)
    weights: dict[int, list[float]] = {}
    examples: list[tuple[list[list[float]], int]] = []
    for text, category in pairs:
        buckets = sorted({_bucket(name) for name in feature_names(text, grams)})
        rows = []
        for bucket in buckets:
            row = weights.get(bucket)
            if row is None:
                row = weights[bucket] = [0.0] * size
            rows.append(row)
        examples.append((rows, index[category]))
    bias = [0.0] * size
    scale = 1.0
    t0 = 1.0 / (l2 * _SGD_ETA0)
    steps = 0
    order = list(range(len(examples)))
    shuffle = random.Random(_SGD_SEED).shuffle
    exp = math.exp
    for _ in range(epochs):
        shuffle(order)
        for i in order:
            rows, k = examples[i]
            eta = 1.0 / (l2 * (t0 + steps))
            steps += 1
            if rows:
                sums = map(sum, zip(*rows, strict=True))
                scores = [b + scale * s for b, s in zip(bias, sums, strict=True)]
            else:
                scores = list(bias)
            top = max(scores)
            exps = [exp(s - top) for s in scores]
            total = sum(exps)
            gradient = [e / total for e in exps]
            gradient[k] -= 1.0
            bias = [b - eta * g for b, g in zip(bias, gradient, strict=True)]
            scale *= 1.0 - eta * l2
            delta = [eta / scale * g for g in gradient]
            for row in rows:
                row[:] = map(sub, row, delta)
            if scale < 1e-6:
                for row in weights.values():
                    row[:] = [w * scale for w in row]
                scale = 1.0
    return bias, {bucket: [w * scale for w in row] for bucket, row in weights.items()}


def _blend(
    counts: Mapping[int, Sequence[int]],
    docs: Sequence[int],
    alpha: float,
    grams: tuple[int, ...],
    bias: Sequence[float],
    weights: Mapping[int, Sequence[float]],
) -> tuple[list[float], dict[int, list[float]]]:
    """One linear model that scores as naive Bayes (at temperature 3) plus the softmax (at
    temperature 0.5) together: each model's row divided by its temperature, naive Bayes's rows
    centred (adding the same number to every category changes no probability), and summed."""
    bayes = _build(counts, docs, alpha, _BLEND_NB_TEMPERATURE, grams)
    size = len(_CATEGORIES)

    def centred(row: Sequence[float]) -> list[float]:
        mean = sum(row) / size
        return [(x - mean) / _BLEND_NB_TEMPERATURE for x in row]

    rows = {bucket: centred(row) for bucket, row in bayes.log_prob.items()}
    for bucket, row in weights.items():
        base = rows.get(bucket, [0.0] * size)
        rows[bucket] = [b + w / _BLEND_SOFTMAX_TEMPERATURE for b, w in zip(base, row, strict=True)]
    prior = centred(bayes.log_prior)
    return [p + b / _BLEND_SOFTMAX_TEMPERATURE for p, b in zip(prior, bias, strict=True)], rows


def _softmax_payload(
    bias: Sequence[float],
    weights: Mapping[int, Sequence[float]],
    *,
    grams: tuple[int, ...],
    temperature: float,
    l2: float,
    epochs: int,
    method: str = "softmax",
) -> dict[str, object]:
    """The JSON-ready payload of a linear model (softmax or blend): weights as integers
    (hundredths), features whose weights all round below :data:`_PRUNE_BELOW` dropped."""
    rows = []
    for bucket in sorted(weights):
        quantised = [round(w * _WEIGHT_SCALE) for w in weights[bucket]]
        if max(map(abs, quantised)) >= _PRUNE_BELOW:
            rows.append([bucket, *quantised])
    return {
        "format": _LINEAR_FORMAT,
        "categories": [c.value for c in _CATEGORIES],
        "method": method,
        "grams": list(grams),
        "temperature": temperature,
        "l2": l2,
        "epochs": epochs,
        "scale": _WEIGHT_SCALE,
        "bias": [round(b, 4) for b in bias],
        "weights": rows,
    }


def _softmax_from_payload(payload: Mapping[str, object], grams: tuple[int, ...]) -> _Model:
    scale = payload.get("scale")
    bias = payload.get("bias")
    rows = payload.get("weights")
    size = len(_CATEGORIES)
    if (
        not isinstance(scale, int | float)
        or not scale > 0
        or not isinstance(bias, list)
        or len(bias) != size
        or not isinstance(rows, list)
        or not all(isinstance(row, list) and len(row) == size + 1 for row in rows)
    ):
        raise ValidationError(
            "weights",
            str(payload.get("format"))[:40],
            f"a {_LINEAR_FORMAT!r} payload needs a positive scale, {size} biases and rows of a "
            f"bucket and {size} weights",
            hint="make them with LearnedClassifier.train(...).to_payload()",
        )
    weights = {int(row[0]): tuple(w / scale for w in row[1:]) for row in rows}
    temperature = float(payload.get("temperature", 1.0))  # type: ignore[arg-type]
    return _Model(_CATEGORIES, tuple(map(float, bias)), weights, temperature, grams)


@cache
def _shipped() -> tuple[_Model, dict[str, object]]:
    data = resources.files("smmkit.community").joinpath(_WEIGHTS_FILE).read_bytes()
    payload = json.loads(gzip.decompress(data))
    return _from_payload(payload), payload


def _gram_sizes_ok(sizes: object) -> TypeGuard[list[int] | tuple[int, ...]]:
    """Are these character n-gram sizes (a list or tuple of whole numbers from 1 to 8)?"""
    return isinstance(sizes, list | tuple) and all(
        isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 8 for n in sizes
    )


def _from_payload(payload: Mapping[str, object]) -> _Model:
    if payload.get("format") not in (_FORMAT, _LINEAR_FORMAT):
        raise ValidationError(
            "weights",
            str(payload.get("format"))[:40],
            f"must be in the format {_LINEAR_FORMAT!r} or {_FORMAT!r}",
            hint="make them with LearnedClassifier.train(...).to_payload()",
        )
    categories = payload["categories"]
    if list(categories) != [c.value for c in _CATEGORIES]:  # type: ignore[call-overload]
        raise ValidationError(
            "weights",
            str(categories)[:60],
            "categories differ from this smmkit's MessageCategory",
            hint="train the weights again with this version",
        )
    sizes = payload.get("grams", _OLD_GRAM_SIZES)
    if not _gram_sizes_ok(sizes):
        raise ValidationError(
            "weights",
            str(sizes)[:40],
            "grams must be a list of character n-gram sizes from 1 to 8",
            hint="make them with LearnedClassifier.train(...).to_payload()",
        )
    if payload["format"] == _LINEAR_FORMAT:
        return _softmax_from_payload(payload, tuple(sizes))
    rows = payload["counts"]
    counts = {int(row[0]): row[1:] for row in rows}  # type: ignore[attr-defined]
    docs = list(payload["docs"])  # type: ignore[call-overload]
    return _build(
        counts,
        docs,
        float(payload["alpha"]),  # type: ignore[arg-type]
        float(payload["temperature"]),  # type: ignore[arg-type]
        tuple(sizes),
    )


class LearnedClassifier:
    """A linear text classifier over hashed word, word-pair and character n-gram features: a
    softmax (multinomial logistic) regression, naive Bayes, or the two blended.

    ``LearnedClassifier()`` uses the weights shipped with smmkit (the blend of naive Bayes and
    a softmax regression, trained on the tuning split of the project's labelled set, Italian
    and English); :meth:`train` makes one from your own ``(text, category)`` pairs. Payloads of
    every kind are read, also those of naive Bayes models made by earlier smmkit versions.
    Deterministic; linear in the length of the text; its cues are the features that pushed
    hardest towards the chosen category (``"learned:w:rimborso"``).
    """

    __slots__ = ("_model", "_payload")

    def __init__(self, *, _model: _Model | None = None, _payload: dict[str, object] | None = None):
        self._model = _model
        self._payload = _payload

    @classmethod
    def train(
        cls,
        pairs: Iterable[tuple[str, MessageCategory | str]],
        *,
        method: Method = "blend",
        l2: float = _DEFAULT_L2,
        epochs: int = _DEFAULT_EPOCHS,
        alpha: float = 0.3,
        temperature: float | None = None,
        grams: Sequence[int] | None = None,
    ) -> LearnedClassifier:
        """A model from ``(text, category)`` pairs: O(total length × ``epochs``).

        ``method="softmax"`` fits a multinomial logistic regression with L2 regularisation
        ``l2`` in ``epochs`` passes of stochastic gradient descent (deterministic: a fixed seed
        orders the messages); ``method="naive-bayes"`` counts, with additive smoothing
        ``alpha`` (the shipped model until smmkit's round 27); ``method="blend"`` (the default,
        what ships) fits both and sums their scores (naive Bayes's divided by 3, the softmax's
        by 0.5) into one linear model, which generalised best to new wording. ``temperature``
        divides the scores before the softmax of :meth:`probabilities` (1 for the blend, 0.3
        for softmax, 3 for naive Bayes, which is overconfident, when left out); ``grams`` are
        the sizes of the character n-grams read inside words (4 when left out)."""
        if method not in ("blend", "softmax", "naive-bayes"):
            raise ValidationError(
                "method",
                str(method)[:40],
                "must be 'blend', 'softmax' or 'naive-bayes'",
                hint="leave it out for the blend",
            )
        if not alpha > 0:
            raise ValidationError("alpha", str(alpha), "must be > 0", hint="try 0.3")
        if not l2 > 0:
            raise ValidationError("l2", str(l2), "must be > 0", hint=f"try {_DEFAULT_L2}")
        if isinstance(epochs, bool) or not isinstance(epochs, int) or not 1 <= epochs <= 1000:
            raise ValidationError(
                "epochs", str(epochs)[:40], "must be a whole number from 1 to 1000", hint="try 10"
            )
        if temperature is None:
            temperature = {"blend": 1.0, "softmax": _SOFTMAX_TEMPERATURE}.get(method, 3.0)
        if not temperature > 0:
            raise ValidationError("temperature", str(temperature), "must be > 0", hint="try 1")
        sizes = _GRAM_SIZES if grams is None else tuple(grams)
        if not sizes or not _gram_sizes_ok(sizes):
            raise ValidationError(
                "grams",
                str(grams)[:40],
                "must be character n-gram sizes from 1 to 8",
                hint="try (4,)",
            )
        checked = _check_pairs(pairs)
        if method != "naive-bayes":
            bias, weights = _fit_softmax(checked, sizes, l2, epochs)
            if method == "blend":
                counts, docs = _count(checked, sizes)
                bias, weights = _blend(counts, docs, alpha, sizes, bias, weights)
            payload = _softmax_payload(
                bias,
                weights,
                grams=sizes,
                temperature=temperature,
                l2=l2,
                epochs=epochs,
                method=method,
            )
            return cls(_model=_softmax_from_payload(payload, sizes), _payload=payload)
        counts, docs = _count(checked, sizes)
        rows = [[bucket, *counts[bucket]] for bucket in sorted(counts)]
        payload = {
            "format": _FORMAT,
            "categories": [c.value for c in _CATEGORIES],
            "alpha": alpha,
            "temperature": temperature,
            "grams": list(sizes),
            "docs": docs,
            "counts": rows,
        }
        return cls(_model=_build(counts, docs, alpha, temperature, sizes), _payload=payload)

    @classmethod
    def from_payload(cls, payload: Mapping[str, object]) -> LearnedClassifier:
        """A model from what :meth:`to_payload` returned (e.g. read back from JSON)."""
        return cls(_model=_from_payload(payload), _payload=dict(payload))

    def to_payload(self) -> dict[str, object]:
        """The model's counts as JSON-ready data (what the shipped weights file holds)."""
        if self._payload is None:
            return dict(_shipped()[1])
        return dict(self._payload)

    def _get(self) -> _Model:
        if self._model is None:
            return _shipped()[0]
        return self._model

    def probabilities(self, text: str) -> dict[MessageCategory, float]:
        """Each category's probability for ``text`` (a tempered softmax of the model's scores;
        they add up to 1)."""
        return self._probabilities(self._get().features(text))

    def _probabilities(self, present: Sequence[_Known]) -> dict[MessageCategory, float]:
        model = self._get()
        if present:
            columns = zip(*map(_ROW, present), strict=True)
            scores = [p + sum(c) for p, c in zip(model.log_prior, columns, strict=True)]
        else:
            scores = list(model.log_prior)
        top = max(scores)
        exps = [math.exp((s - top) / model.temperature) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(model.categories, exps, strict=True)}

    def _cues(self, present: Sequence[_Known], category: MessageCategory) -> tuple[str, ...]:
        """The features that push hardest towards ``category`` over every other category."""
        k = self._get().categories.index(category)
        pushes = [
            (push, position, name)
            for position, (name, _, top, push) in enumerate(present)
            if top == k
        ]
        pushes.sort()
        return tuple(f"learned:{name}" for _, _, name in pushes[:_MAX_CUES])

    def classify_text(self, text: str, *, language: str | None = None) -> Classification:
        """Classify a bare text; ``language`` (``it``, ``en``, ``und``) skips the detection."""
        if language is not None and language not in ("it", "en", "und"):
            raise ValidationError(
                "language",
                language,
                "must be 'it', 'en' or 'und'",
                hint="leave it out to detect the language from the text",
            )
        names = self._get().features(text)
        probabilities = self._probabilities(names)
        category = max(probabilities, key=lambda c: probabilities[c])
        return Classification(
            category=category,
            language=language if language is not None else detect_language(text),
            confidence=round(min(0.99, probabilities[category]), 3),
            cues=self._cues(names, category),
        )

    def classify(self, message: InboxMessage) -> Classification:
        """Classify ``message.text``."""
        return self.classify_text(message.text)


# -------------------------------------------------------------------------------------------
# Ensemble
# -------------------------------------------------------------------------------------------
def _is_spam_cue(cue: str) -> bool:
    """A cue of the rules that lets the model's spam probability count: a link, a spam phrase,
    a promotional handle."""
    return ":spam:" in cue or cue.startswith(("link", "author:promo", "mention:promo", "spam:"))


_HINT_READINGS = (MessageCategory.PRAISE, MessageCategory.OTHER)
_CUSTOMER_READINGS = (MessageCategory.QUESTION, MessageCategory.LEAD)
_HINT_MIN_WORDS = 8
_SHORT_ENOUGH_TO_ADDRESS = 6


def _is_spam_hint(ruled: Classification, folded: Sequence[str]) -> bool:
    """A weak spam hint ("free", "promo", "message me", "whatsapp") that lets the model's spam
    probability count: only in a message the rules read as praise or as nothing in particular
    (a customer's question, order or complaint that mentions a giveaway, a DM or WhatsApp is
    theirs), long enough to carry an offer (a short "Congratulations on the new shop!" is what
    it says)."""
    if ruled.category not in _HINT_READINGS or not any(":spam-hint:" in c for c in ruled.cues):
        return False
    return len(folded) >= _HINT_MIN_WORDS


def _is_praise_cue(cue: str) -> bool:
    return (
        ":praise:" in cue
        or ":positive:" in cue
        or cue.startswith("wish:good")
        or (cue.startswith("emoji:+") and not cue.startswith("emoji:+0"))
    )


def _names_a_person(text: str, folded: Sequence[str] | None = None) -> bool:
    """Whether ``text`` addresses someone (second person: "tu", "voi", "you", "your") or names
    a person or people ("il titolare", "la commessa", "the owner", "gente", a mention): the
    target an insult needs. ``folded`` is ``words(text[:MAX_LEARNED_CHARS])`` if already
    computed. Linear (one C-level pass to fold and split, then set look-ups)."""
    text = text[:MAX_LEARNED_CHARS]
    if "@" in text:
        return True
    return names_a_person(words(text) if folded is None else folded)


class EnsembleClassifier:
    """The rules and the learned model together.

    1. The rules decide when they say spam or abuse.
    2. Spam when the model gives spam a probability of at least ``spam_above`` and the rules saw
       a spam cue (a link, a spam lexicon entry, a promotional handle) without calling it spam,
       or a weaker spam hint ("free", "message me", "whatsapp") in a message of eight words or
       more that they read as praise or as nothing in particular (spam dressed as praise): spam
       precision matters more than recall, so the model alone never makes a message spam, nor
       does it where the rules read a customer's question, order or complaint.
    3. Abuse when abuse is the model's first choice with a probability of at least
       ``abuse_above``, the message addresses or names a person (second person, "the owner",
       "la commessa", "gente", a mention) and the rules saw no praise in it and no escalation
       through proper channels (a bad review, a report, a lawyer: a complaint) nor a threat
       they read as negated ("non so dove abita"): an insult
       needs a target, and figurative insults ("has the brain of a goldfish") are where the
       rules' word lists run out.
    4. The rules decide when their confidence is at least ``rules_decide_above``.
    5. Otherwise each category scores ``rule_weight × confidence`` for the rules' category plus
       ``(1 - rule_weight) × probability`` from the model; the highest wins, spam excepted
       (and praise, when the rules read the praise as sarcasm; and question and lead, when
       the rules read a message opening with a mention as talk between friends).

    The cues are the rules' cues, then the model's, then ``"ensemble:rules"``,
    ``"ensemble:spam-cue-and-model"``, ``"ensemble:target-and-model"`` or ``"ensemble:vote"``
    saying which step decided. The defaults were chosen on the labelled set
    (``benchmarks/eval_classifier.py`` prints the figures).
    """

    __slots__ = (
        "_abuse_above",
        "_learned",
        "_rule_weight",
        "_rules",
        "_rules_decide_above",
        "_spam_above",
    )

    def __init__(
        self,
        rules: Classifier | None = None,
        learned: LearnedClassifier | None = None,
        *,
        rule_weight: float = 0.5,
        rules_decide_above: float = 0.9,
        spam_above: float = 0.98,
        abuse_above: float = 0.7,
    ) -> None:
        for name, value in (
            ("rule_weight", rule_weight),
            ("rules_decide_above", rules_decide_above),
            ("spam_above", spam_above),
            ("abuse_above", abuse_above),
        ):
            if not 0.0 <= value <= 1.0:
                raise ValidationError(name, str(value), "must be between 0 and 1", hint="try 0.5")
        self._rules: Classifier = rules if rules is not None else RuleClassifier()
        self._learned = learned if learned is not None else LearnedClassifier()
        self._rule_weight = rule_weight
        self._rules_decide_above = rules_decide_above
        self._spam_above = spam_above
        self._abuse_above = abuse_above

    def classify(self, message: InboxMessage) -> Classification:
        """Classify ``message`` with both and combine them (see the class's documentation)."""
        return self.combine(self._rules.classify(message), message.text)

    def classify_text(self, text: str, *, language: str | None = None) -> Classification:
        """Classify a bare text (the rules read it without an author; they must offer
        ``classify_text``, as :class:`RuleClassifier` does)."""
        classify_text = getattr(self._rules, "classify_text", None)
        if classify_text is None:
            raise ValidationError(
                "rules",
                type(self._rules).__name__,
                "has no classify_text",
                hint="call classify(message) with an InboxMessage",
            )
        ruled: Classification = classify_text(text, language=language)
        return self.combine(ruled, text)

    def combine(self, ruled: Classification, text: str) -> Classification:
        """The ensemble's answer given the rules' answer ``ruled`` for ``text``."""
        if ruled.category in (MessageCategory.SPAM, MessageCategory.ABUSE):
            return ruled.model_copy(update={"cues": (*ruled.cues, "ensemble:rules")})
        folded = words(text[:MAX_LEARNED_CHARS])
        spam_cue = any(_is_spam_cue(c) for c in ruled.cues) or _is_spam_hint(ruled, folded)
        # praise, goodwill, or a wish aimed at no one here: the model's abuse does not count
        praised = any(_is_praise_cue(c) or c.startswith("wish:not-aimed") for c in ruled.cues)
        # a bad review, a report, a lawyer: a complaint's escalation, not a threat
        # (nor is a threat the rules read as negated: "non so dove abita il titolare")
        escalated = any(":escalation:" in c or c.startswith("threat-negated:") for c in ruled.cues)
        targeted = (
            not praised
            and not escalated
            and ruled.category not in _CUSTOMER_READINGS
            and _names_a_person(text, folded)
        )
        if ruled.confidence >= self._rules_decide_above and not spam_cue and not targeted:
            # Steps 2 and 3 need a spam cue or a target: the model cannot change this answer.
            return ruled.model_copy(update={"cues": (*ruled.cues, "ensemble:rules")})
        names = self._learned._get().features(text)
        probabilities = self._learned._probabilities(names)
        spam = probabilities[MessageCategory.SPAM]
        if spam >= self._spam_above and spam_cue:
            return Classification(
                category=MessageCategory.SPAM,
                language=ruled.language,
                confidence=round(min(0.99, spam), 3),
                cues=(
                    *ruled.cues,
                    *self._learned._cues(names, MessageCategory.SPAM),
                    "ensemble:spam-cue-and-model",
                ),
            )
        abuse = probabilities[MessageCategory.ABUSE]
        if targeted and abuse >= self._abuse_above and abuse >= max(probabilities.values()):
            return Classification(
                category=MessageCategory.ABUSE,
                language=ruled.language,
                confidence=round(min(0.99, abuse), 3),
                cues=(
                    *ruled.cues,
                    *self._learned._cues(names, MessageCategory.ABUSE),
                    "ensemble:target-and-model",
                ),
            )
        if ruled.confidence >= self._rules_decide_above:
            return ruled.model_copy(update={"cues": (*ruled.cues, "ensemble:rules")})
        w = self._rule_weight
        # A question about rules or conditions (the rules' cue) is not made a lead by the model.
        # Nor is a message abuse by the model's vote unless it has a target or is short enough
        # to be aimed at the reader ("Morons", "Bunch of freeloaders"), as the rules read
        # contempt; nor when the rules saw praise or goodwill ("hope you get well soon").
        barred: tuple[MessageCategory, ...] = (MessageCategory.SPAM,)
        if "question:conditions" in ruled.cues:
            barred += (MessageCategory.LEAD,)
        if praised or escalated or not (targeted or len(folded) <= _SHORT_ENOUGH_TO_ADDRESS):
            barred += (MessageCategory.ABUSE,)
        # A message opening with a mention that the rules read as nothing in particular is
        # talk between friends ("@giuli domenica gelato? offro io"): not the brand's question
        # or order, whatever the model makes of its question mark.
        if ruled.category is MessageCategory.OTHER and "mention:leading" in ruled.cues:
            barred += (MessageCategory.QUESTION, MessageCategory.LEAD)
        # Nor praise when the rules read the praise as sarcasm
        # ("Ottimo servizio davvero, volantini stampati storti 🙃").
        if any(c.startswith("sarcasm:") for c in ruled.cues):
            barred += (MessageCategory.PRAISE,)
        combined = {
            c: (1.0 - w) * p + (w * ruled.confidence if c is ruled.category else 0.0)
            for c, p in probabilities.items()
            if c not in barred
        }
        category = max(combined, key=lambda c: combined[c])
        cues = (*ruled.cues, *self._learned._cues(names, category), "ensemble:vote")
        return Classification(
            category=category,
            language=ruled.language,
            confidence=round(min(0.99, combined[category]), 3),
            cues=cues,
        )
