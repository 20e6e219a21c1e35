"""A user's file with mistakes a type checker must catch (``test_typed_fields.py``)."""

from __future__ import annotations

from smmkit.models import Variant

Variant(channel="x", platform="myspace", text="?")
Variant(channel="x", platform="mastodon", format="tweet")
