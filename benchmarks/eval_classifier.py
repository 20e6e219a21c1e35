"""How the rules, the learned model and their ensemble generalise to new wording.

Run: ``python benchmarks/eval_classifier.py`` (about ten seconds). ``--batch t22`` (any id
prefixes, comma-separated) instead scores exactly what ships (the default classifier, the rules
alone, the shipped model alone) on those batches, also those of
``tests/community/data/fresh_*.tsv`` (fresh batches kept apart until they are scored: nothing
else reads them); ``--errors`` adds the default's errors with their cues. Score a held-out
batch once, after the round it was written for.

Two measures, on tests/community/data/labelled_messages.tsv:

- **leave-one-batch-out** over the tuning batches (``t-`` ... ``t9-``, the prefix of the id): the
  model is trained on every tuning batch but one and scored on the one left out; the figures are
  over all tuning messages, each scored by a model that never saw it. The rules were tuned on all
  the batches, so their column (and the ensemble's, which leans on them) is optimistic there; the
  README of the data gives the rules' honest figure per batch (their accuracy before each batch
  was added), printed beside the model's.
- **then** (the honest test of the ensemble on new wording): for each batch ``t2`` ... ``t9``,
  the rules as they were before that batch was tuned on (their answers are recorded in
  ``benchmarks/data/rules_before_tuning.tsv`` by ``benchmarks/rules_before_tuning.py``), the model
  trained on the batches written before it, and the ensemble of the two.
- **held-out** (210 messages never tuned on): the model trained on the whole tuning split.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smmkit.community import Classification, EnsembleClassifier, LearnedClassifier, RuleClassifier
from smmkit.models import MessageCategory

DATA = Path(__file__).resolve().parent.parent / "tests" / "community" / "data"
LABELLED = DATA / "labelled_messages.tsv"
BEFORE = Path(__file__).resolve().parent / "data" / "rules_before_tuning.tsv"


def batch_order(batch: str) -> int:
    """Batches in the order they were written: t, t2, t3, ..., t10, t11."""
    return int(batch[1:] or 1)


CATEGORIES = tuple(MessageCategory)
RULES_BEFORE_TUNING = {
    "t2": 0.61,
    "t3": 0.64,
    "t4": 0.67,
    "t5": 0.61,
    "t6": 0.66,
    "t7": 0.61,
    "t8": 0.55,
    "t9": 0.70,
    "t10": 0.64,
    "t11": 0.63,
    "t12": 0.66,
    "t13": 0.79,
    "t14": 0.78,
    "t15": 0.74,
    "t16": 0.71,
    "t17": 0.79,
    "t18": 0.81,
    "t19": 0.74,
    "t20": 0.81,
    "t21": 0.76,
    "t22": 0.76,
    "t23": 0.77,
    "t24": 0.72,
    "t25": 0.76,
    "t26": 0.69,
}
"""The rules' accuracy on each batch before it was added to the tuning set (data README)."""


@dataclass(frozen=True)
class Row:
    id: str
    category: MessageCategory
    split: str
    text: str

    @property
    def batch(self) -> str:
        return self.id.split("-", 1)[0]


def load(path: Path = LABELLED) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Row(r["id"], MessageCategory(r["category"]), r["split"], r["text"]) for r in rows]


def load_fresh() -> list[Row]:
    """The rows of the fresh batches (``fresh_*.tsv`` beside the labelled set, same columns),
    kept apart until they are scored: only ``--batch`` reads them, nothing trains on them."""
    return [row for path in sorted(DATA.glob("fresh_*.tsv")) for row in load(path)]


@dataclass(frozen=True)
class Scores:
    n: int
    accuracy: float
    macro_f1: float
    f1: dict[MessageCategory, float]
    spam_precision: float
    abuse_recall: float


def scores(truth: Sequence[MessageCategory], predicted: Sequence[MessageCategory]) -> Scores:
    true_count: Counter[MessageCategory] = Counter(truth)
    predicted_count: Counter[MessageCategory] = Counter(predicted)
    hits: Counter[MessageCategory] = Counter(
        t for t, p in zip(truth, predicted, strict=True) if t == p
    )
    precision = {c: hits[c] / predicted_count[c] if predicted_count[c] else 0.0 for c in CATEGORIES}
    recall = {c: hits[c] / true_count[c] if true_count[c] else 0.0 for c in CATEGORIES}
    f1 = {
        c: 2 * precision[c] * recall[c] / (precision[c] + recall[c])
        if precision[c] + recall[c]
        else 0.0
        for c in CATEGORIES
    }
    return Scores(
        n=len(truth),
        accuracy=sum(hits.values()) / len(truth),
        macro_f1=sum(f1.values()) / len(CATEGORIES),
        f1=f1,
        spam_precision=precision[MessageCategory.SPAM]
        if predicted_count[MessageCategory.SPAM]
        else 1.0,
        abuse_recall=recall[MessageCategory.ABUSE],
    )


Predict = Callable[[str], MessageCategory]


_RULES = RuleClassifier()


def rules_predict(text: str) -> MessageCategory:
    """The rules alone (``classify`` is the ensemble)."""
    return _RULES.classify_text(text).category


def load_before() -> dict[str, Classification]:
    """The rules' answers to each batch before it was tuned on, by message id."""
    with BEFORE.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {
            r["id"]: Classification(
                category=MessageCategory(r["category"]),
                language="und",
                confidence=float(r["confidence"]),
                cues=tuple(c for c in r["cues"].split("|") if c),
            )
            for r in rows
        }


@dataclass(frozen=True)
class Candidate:
    """How the model is trained and how the ensemble weighs it (``None``: smmkit's default).

    Set from the command line: ``--method naive-bayes``, ``--l2 3e-4``, ``--epochs 10``,
    ``--temperature 1``, ``--grams 3,4``, ``--rule-weight 0.5``, ``--rules-decide-above 0.9``,
    ``--spam-above 0.98``, ``--abuse-above 0.7``."""

    method: str | None = None
    l2: float | None = None
    epochs: int | None = None
    temperature: float | None = None
    grams: tuple[int, ...] | None = None
    ensemble: tuple[tuple[str, float], ...] = ()

    def train(self, rows: Sequence[Row]) -> LearnedClassifier:
        options: dict[str, Any] = {
            key: value
            for key, value in (
                ("method", self.method),
                ("l2", self.l2),
                ("epochs", self.epochs),
                ("temperature", self.temperature),
                ("grams", self.grams),
            )
            if value is not None
        }
        return LearnedClassifier.train(((r.text, r.category) for r in rows), **options)

    def ensemble_of(self, model: LearnedClassifier) -> EnsembleClassifier:
        return EnsembleClassifier(learned=model, **dict(self.ensemble))

    @classmethod
    def from_argv(cls, argv: Sequence[str]) -> Candidate:
        def value(flag: str) -> str | None:
            if flag not in argv:
                return None
            at = argv.index(flag)
            if at + 1 >= len(argv):
                raise SystemExit(f"{flag} needs a value")
            return argv[at + 1]

        def number(flag: str) -> float | None:
            found = value(flag)
            return None if found is None else float(found)

        epochs = value("--epochs")
        grams = value("--grams")
        ensemble = tuple(
            (name, found)
            for name, flag in (
                ("rule_weight", "--rule-weight"),
                ("rules_decide_above", "--rules-decide-above"),
                ("spam_above", "--spam-above"),
                ("abuse_above", "--abuse-above"),
            )
            if (found := number(flag)) is not None
        )
        return cls(
            method=value("--method"),
            l2=number("--l2"),
            epochs=None if epochs is None else int(epochs),
            temperature=number("--temperature"),
            grams=None if grams is None else tuple(int(n) for n in grams.split(",")),
            ensemble=ensemble,
        )


def model_predictors(train: Sequence[Row], candidate: Candidate) -> tuple[Predict, Predict]:
    model = candidate.train(train)
    ensemble = candidate.ensemble_of(model)
    return (
        lambda text: model.classify_text(text).category,
        lambda text: ensemble.classify_text(text).category,
    )


def evaluate(
    rows: Sequence[Row], candidate: Candidate, *, then_only: bool = False
) -> dict[str, dict[str, list[MessageCategory]]]:
    """Predictions per system for the leave-one-batch-out, "then" and held-out parts (only
    "then" with ``then_only``)."""
    tuning = [r for r in rows if r.split == "tuning"]
    held_out = [r for r in rows if r.split == "held-out"]
    out: dict[str, dict[str, list[MessageCategory]]] = {}
    batches = sorted({r.batch for r in tuning}, key=batch_order)
    lobo: dict[str, list[MessageCategory]] = {"rules": [], "learned": [], "ensemble": []}
    for batch in [] if then_only else batches:
        left_out = [r for r in tuning if r.batch == batch]
        learned, ensemble = model_predictors([r for r in tuning if r.batch != batch], candidate)
        for r in left_out:
            lobo["rules"].append(rules_predict(r.text))
            lobo["learned"].append(learned(r.text))
            lobo["ensemble"].append(ensemble(r.text))
    if not then_only:
        out["lobo"] = lobo
    before = load_before()
    then: dict[str, list[MessageCategory]] = {"rules": [], "learned": [], "ensemble": []}
    for batch in sorted({before_id.split("-", 1)[0] for before_id in before}, key=batch_order):
        earlier = [r for r in tuning if batch_order(r.batch) < batch_order(batch)]
        model = candidate.train(earlier)
        ensemble = candidate.ensemble_of(model)
        for r in tuning:
            if r.batch == batch:
                ruled = before[r.id]
                then["rules"].append(ruled.category)
                then["learned"].append(model.classify_text(r.text).category)
                then["ensemble"].append(ensemble.combine(ruled, r.text).category)
    out["then"] = then
    if then_only:
        return out
    learned, ensemble = model_predictors(tuning, candidate)
    out["held-out"] = {
        "rules": [rules_predict(r.text) for r in held_out],
        "learned": [learned(r.text) for r in held_out],
        "ensemble": [ensemble(r.text) for r in held_out],
    }
    return out


def score_batches(batches: Sequence[str], *, errors: bool) -> int:
    """Exactly what ships on the messages whose id prefix is in ``batches``."""
    from smmkit.community import classify

    rows = [r for r in [*load(), *load_fresh()] if r.batch in batches]
    if not rows:
        print(f"no message in batches {', '.join(batches)}", file=sys.stderr)
        return 2
    shipped = LearnedClassifier()
    ruled = {r.id: _RULES.classify_text(r.text) for r in rows}
    default = {r.id: classify(r.text) for r in rows}
    systems = {
        "default": [default[r.id].category for r in rows],
        "rules": [ruled[r.id].category for r in rows],
        "learned": [shipped.classify_text(r.text).category for r in rows],
    }
    truth = [r.category for r in rows]
    print(f"batches {','.join(batches)}: {len(rows)} messages")
    print("system      acc  macroF1  " + " ".join(f"{c.value[:6]:>6}" for c in CATEGORIES))
    for system, predicted in systems.items():
        s = scores(truth, predicted)
        per = " ".join(f"{s.f1[c]:6.3f}" for c in CATEGORIES)
        print(
            f"{system:9} {s.accuracy:5.3f} {s.macro_f1:7.3f}  {per}"
            f"  spamP {s.spam_precision:5.3f} abuseR {s.abuse_recall:5.3f}"
        )
    if errors:
        for r in rows:
            got = default[r.id]
            if got.category is not r.category:
                print(f"  {r.id}: {r.category.value} -> {got.category.value}: {r.text}")
                print(f"      {' '.join(got.cues)}")
    return 0


def main() -> int:
    if "--batch" in sys.argv:
        at = sys.argv.index("--batch")
        if at + 1 >= len(sys.argv):
            print("--batch needs id prefixes, e.g. --batch t21,t22", file=sys.stderr)
            return 2
        chosen = [b.strip() for b in sys.argv[at + 1].split(",") if b.strip()]
        return score_batches(chosen, errors="--errors" in sys.argv)
    candidate = Candidate.from_argv(sys.argv)
    then_only = "--then-only" in sys.argv
    rows = load()
    tuning = [r for r in rows if r.split == "tuning"]
    held_out = [r for r in rows if r.split == "held-out"]
    batches = sorted({r.batch for r in tuning}, key=batch_order)
    lobo_order = [r for b in batches for r in tuning if r.batch == b]
    print(f"candidate: {candidate}")
    results = evaluate(rows, candidate, then_only=then_only)
    then_batches = sorted({i.split("-", 1)[0] for i in load_before()}, key=batch_order)
    later = [r for b in then_batches for r in tuning if r.batch == b]
    parts = {"lobo": lobo_order, "then": later, "held-out": held_out}
    header = "part      system     n    acc  macroF1  " + " ".join(
        f"{c.value[:6]:>6}" for c in CATEGORIES
    )
    print(header + "  spamP abuseR")
    for part, predictions in results.items():
        truth = [r.category for r in parts[part]]
        for system, predicted in predictions.items():
            s = scores(truth, predicted)
            note = (
                " (optimistic: rules tuned on all)"
                if part == "lobo" and system != "learned"
                else ""
            )
            per = " ".join(f"{s.f1[c]:6.3f}" for c in CATEGORIES)
            print(
                f"{part:9} {system:9} {s.n:4} {s.accuracy:5.3f} {s.macro_f1:7.3f}  {per}"
                f"  {s.spam_precision:5.3f} {s.abuse_recall:6.3f}{note}"
            )
    print()
    print(
        "then, per batch (macro F1 before the batch was tuned on):  rules  learned  ensemble"
        "  (ensemble spamP abuseR)"
    )
    then = results["then"]
    for batch in then_batches:
        index = [i for i, r in enumerate(later) if r.batch == batch]
        truth = [later[i].category for i in index]
        per = [scores(truth, [then[s][i] for i in index]) for s in then]
        print(
            f"  {batch:5} {len(index):4}"
            + "".join(f"  {f.macro_f1:7.3f}" for f in per)
            + f"  ({per[-1].spam_precision:5.3f} {per[-1].abuse_recall:5.3f})"
        )
    print()
    if then_only:
        return 0
    print("batch  n   learned(left out)  rules before tuning (data README)")
    lobo = results["lobo"]
    for batch in batches:
        index = [i for i, r in enumerate(lobo_order) if r.batch == batch]
        acc = sum(lobo["learned"][i] == lobo_order[i].category for i in index) / len(index)
        before = RULES_BEFORE_TUNING.get(batch)
        shown = f"{before:.2f}" if before is not None else "  - "
        print(f"{batch:5} {len(index):4}  {acc:17.3f}  {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
