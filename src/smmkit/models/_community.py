"""The community inbox's vocabulary: what a message from the public is, and what it is about.

These are pure data shared by the classifier and the moderation rules (``smmkit.community``),
the store that keeps the inbox, the clients that fetch it and the workspace that runs it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, Field, JsonValue, model_validator

from ._base import Platform, ValueModel

__all__ = ["InboxMessage", "MessageCategory", "MessageKind"]


class MessageCategory(StrEnum):
    """What a message from the public is about (one per message).

    ``lead`` is purchase or booking intent ("do you deliver to Milan?", "vorrei prenotare per
    4"); ``complaint`` is criticism of the brand's product or service, however rude, as long as it
    is not aimed at insulting a person (that is ``abuse``).
    """

    SPAM = "spam"
    ABUSE = "abuse"
    QUESTION = "question"
    COMPLAINT = "complaint"
    PRAISE = "praise"
    LEAD = "lead"
    OTHER = "other"


class MessageKind(StrEnum):
    """How a message reached the brand."""

    COMMENT = "comment"
    """A comment on one of the brand's posts."""
    REPLY = "reply"
    """A reply inside a comment thread (to a comment, or to the brand's reply)."""
    MENTION = "mention"
    """A post elsewhere that mentions the brand's account."""
    DIRECT = "direct"
    """A direct (private) message, where the platform lets a client read them."""


class InboxMessage(ValueModel):
    """One message from the public (or the brand's own answer) as the inbox holds it.

    ``message_id`` is the platform's id; ``key`` (``"<channel>:<message_id>"``) is unique in a
    workspace, so the same message pulled twice, or received by webhook and then pulled, is one
    message. ``thread_id`` is the id of the thread's root: the brand's post for comments on it, the
    mention itself for a mention. ``from_brand`` marks the brand's own messages (its replies), which
    is how response times are measured. ``author_created_at`` and ``author_followers`` are given
    when the platform tells them (for rules on new or suspicious accounts). ``private`` marks a
    message only its addressees can read (a direct message, a followers-only post): a reply to it
    stays private and moderation never hides it. A ``direct`` message is always private.
    """

    channel: str = Field(min_length=1)
    platform: Platform
    message_id: str = Field(min_length=1)
    kind: MessageKind = MessageKind.COMMENT
    thread_id: str = Field(min_length=1)
    post_id: str | None = None
    in_reply_to: str | None = None
    author: str
    author_id: str | None = None
    author_created_at: AwareDatetime | None = None
    author_followers: int | None = Field(default=None, ge=0)
    text: str
    created_at: AwareDatetime
    url: str | None = None
    from_brand: bool = False
    hidden: bool = False
    private: bool = False
    raw: dict[str, JsonValue] | None = Field(default=None, repr=False)

    @model_validator(mode="before")
    @classmethod
    def _direct_is_private(cls, data: Any) -> Any:
        if isinstance(data, dict) and str(data.get("kind", "")) == MessageKind.DIRECT.value:
            return {**data, "private": True}
        return data

    @property
    def key(self) -> str:
        """``"<channel>:<message_id>"``: the message's identity in a workspace."""
        return f"{self.channel}:{self.message_id}"
