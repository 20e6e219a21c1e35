"""The default classifier's figures on the labelled set (tests/community/data/).

Run as a script to print them: ``python tests/community/test_classify_labelled.py``.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from smmkit.community import classify
from smmkit.models import MessageCategory

DATA = Path(__file__).parent / "data" / "labelled_messages.tsv"
CATEGORIES = tuple(MessageCategory)


@dataclass(frozen=True)
class Labelled:
    id: str
    language: str
    category: MessageCategory
    split: str
    text: str


def load(split: str | None = None) -> list[Labelled]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        found = [
            Labelled(r["id"], r["language"], MessageCategory(r["category"]), r["split"], r["text"])
            for r in rows
        ]
    return [m for m in found if split is None or m.split == split]


@dataclass(frozen=True)
class Figures:
    n: int
    macro_f1: float
    precision: dict[MessageCategory, float]
    recall: dict[MessageCategory, float]
    f1: dict[MessageCategory, float]
    language_accuracy: float
    errors: tuple[tuple[Labelled, MessageCategory], ...]


def figures(messages: list[Labelled]) -> Figures:
    """Per-category precision, recall and F1, their macro average, and language accuracy."""
    truth_count: Counter[MessageCategory] = Counter()
    predicted_count: Counter[MessageCategory] = Counter()
    hits: Counter[MessageCategory] = Counter()
    language_hits = 0
    errors = []
    for message in messages:
        result = classify(message.text)
        truth_count[message.category] += 1
        predicted_count[result.category] += 1
        if result.category is message.category:
            hits[message.category] += 1
        else:
            errors.append((message, result.category))
        language_hits += result.language == message.language
    precision = {c: hits[c] / predicted_count[c] if predicted_count[c] else 0.0 for c in CATEGORIES}
    recall = {c: hits[c] / truth_count[c] if truth_count[c] else 0.0 for c in CATEGORIES}
    f1 = {
        c: 2 * precision[c] * recall[c] / (precision[c] + recall[c])
        if precision[c] + recall[c]
        else 0.0
        for c in CATEGORIES
    }
    return Figures(
        n=len(messages),
        macro_f1=sum(f1.values()) / len(CATEGORIES),
        precision=precision,
        recall=recall,
        f1=f1,
        language_accuracy=language_hits / len(messages),
        errors=tuple(errors),
    )


def test_the_set_is_large_balanced_and_split() -> None:
    messages = load()
    assert len(messages) >= 600
    assert len({m.id for m in messages}) == len(messages)
    held_out = load("held-out")
    assert len(held_out) >= 200
    for split in ("tuning", "held-out"):
        part = load(split)
        by_language = Counter(m.language for m in part if m.language != "und")
        assert abs(by_language["it"] - by_language["en"]) <= len(part) * 0.1
        by_category = Counter(m.category for m in part)
        assert min(by_category.values()) >= len(part) / len(CATEGORIES) * 0.8


# The targets hold on both parts; the tuning part is held to more, so that a change
# that breaks what was tuned is caught (held-out measured at macro F1 0.943, spam precision 1.0,
# abuse recall 1.0 when tuning ended; the tuning part at 0.979, 1.0, 0.996).
@pytest.mark.parametrize(
    ("split", "macro_f1", "spam_precision", "abuse_recall"),
    [("tuning", 0.95, 0.99, 0.97), ("held-out", 0.85, 0.97, 0.90)],
)
def test_figures_on_the_labelled_set(
    split: str, macro_f1: float, spam_precision: float, abuse_recall: float
) -> None:
    found = figures(load(split))
    assert found.macro_f1 >= macro_f1, _report(split, found)
    assert found.precision[MessageCategory.SPAM] >= spam_precision, _report(split, found)
    assert found.recall[MessageCategory.ABUSE] >= abuse_recall, _report(split, found)
    assert found.language_accuracy >= 0.95, _report(split, found)


def _report(split: str, found: Figures, *, errors: bool = False) -> str:
    lines = [
        f"{split}: {found.n} messages, macro F1 {found.macro_f1:.3f}, "
        f"language accuracy {found.language_accuracy:.3f}"
    ]
    for c in CATEGORIES:
        lines.append(
            f"  {c.value:9} precision {found.precision[c]:.3f} recall {found.recall[c]:.3f} "
            f"F1 {found.f1[c]:.3f}"
        )
    if errors:
        for message, predicted in found.errors:
            lines.append(
                f"  {message.id}: {message.category.value} -> {predicted.value}: {message.text}"
            )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - the printed report
    import sys

    show_errors = "--errors" in sys.argv
    for part in ("tuning", "held-out"):
        if part == "held-out" and "--tuning-only" in sys.argv:
            continue
        print(_report(part, figures(load(part)), errors=show_errors and part == "tuning"))
