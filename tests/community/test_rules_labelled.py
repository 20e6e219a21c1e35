"""The default moderation rules on the labelled set (tests/community/data/): they never hide a
message that is not spam (spam precision over recall), on the tuning and the held-out parts.

Run as a script to print the figures: ``python tests/community/test_rules_labelled.py``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_classify_labelled import Labelled, load

from smmkit.community import ModerationAction, classify, evaluate
from smmkit.models import InboxMessage, MessageCategory, Platform

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def hidden(rows: list[Labelled]) -> list[Labelled]:
    """The messages the default rules hide, each judged alone (no repeat counts)."""
    out = []
    for n, row in enumerate(rows):
        message = InboxMessage(
            channel="ig",
            platform=Platform.INSTAGRAM,
            message_id=f"m{n}",
            thread_id="p1",
            author="someone",
            text=row.text,
            created_at=AT,
        )
        planned = evaluate(message, classify(row.text))
        if any(p.action is ModerationAction.HIDE for p in planned):
            out.append(row)
    return out


def figures(split: str) -> tuple[int, int, int]:
    """(hidden, of which spam, spam in the split)."""
    rows = load(split)
    hid = hidden(rows)
    spam = sum(1 for r in rows if r.category is MessageCategory.SPAM)
    return len(hid), sum(1 for r in hid if r.category is MessageCategory.SPAM), spam


@pytest.mark.parametrize("split", ["tuning", "held-out"])
def test_default_rules_hide_no_customer_on_the_labelled_set(split: str) -> None:
    rows = load(split)
    wrong = [(r.id, r.category.value, r.text) for r in hidden(rows) if r.category.value != "spam"]
    assert wrong == []
    count, spam_hidden, _ = figures(split)
    assert spam_hidden == count > 0  # it does hide some spam: the test can fail both ways


if __name__ == "__main__":
    for split in ("tuning", "held-out"):
        count, good, spam = figures(split)
        print(
            f"{split}: hidden {count}, spam among them {good} (precision "
            f"{good / max(count, 1):.3f}), spam hidden {good}/{spam} (recall {good / spam:.3f})"
        )
