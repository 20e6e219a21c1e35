"""The content workflow: every legal transition works, every illegal one raises."""

from __future__ import annotations

import itertools

import pytest

from smmkit.errors import TransitionError, ValidationError
from smmkit.models import WORKFLOW, ContentItem, ContentStatus, Variant

S = ContentStatus
PAIRS = list(itertools.product(list(S), list(S)))


def item_in(status: ContentStatus) -> ContentItem:
    return ContentItem(text="Il panettone è tornato", status=status)


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_transition_table(current: ContentStatus, target: ContentStatus) -> None:
    item = item_in(current)
    if target in WORKFLOW[current]:
        moved = item.transition(target)
        assert moved.status is target
        assert item.status is current  # frozen: the original is unchanged
        assert moved.id == item.id
    else:
        with pytest.raises(TransitionError) as info:
            item.transition(target)
        error = info.value
        assert isinstance(error, ValidationError) and isinstance(error, ValueError)
        assert error.current == current.value and error.target == target.value
        assert error.field == "ContentItem.status"
        assert f"cannot move from '{current.value}' to '{target.value}'" in str(error)


def test_the_happy_path_and_the_documented_shape() -> None:
    item = item_in(S.DRAFT)
    for step in (S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.PUBLISHED, S.ARCHIVED):
        item = item.transition(step)
    assert item.status is S.ARCHIVED
    assert WORKFLOW[S.ARCHIVED] == frozenset()
    assert S.PUBLISHED not in WORKFLOW[S.DRAFT]
    assert {S.PUBLISHED, S.FAILED} <= WORKFLOW[S.SCHEDULED]


def test_variant_publish_needs_post_id() -> None:
    variant = Variant(channel="ig", platform="instagram", text="ciao", status=S.SCHEDULED)
    with pytest.raises(ValueError, match="platform_post_id"):
        variant.transition(S.PUBLISHED)
    done = variant.transition(S.PUBLISHED, platform_post_id="1789", url="https://i.example/p/1")
    assert done.platform_post_id == "1789" and done.publish_key == variant.publish_key


def test_transition_accepts_strings_and_rejects_unknown_states() -> None:
    assert item_in(S.DRAFT).transition("in_review").status is S.IN_REVIEW
    with pytest.raises(ValueError, match="'posted' is not a valid ContentStatus"):
        item_in(S.DRAFT).transition("posted")
