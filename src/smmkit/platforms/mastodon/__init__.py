"""The Mastodon client.

``MastodonClient`` / ``AsyncMastodonClient`` publish statuses (text, media through the v2 upload
with its processing poll, polls, content warnings, visibility, language, native scheduling at
least 5 minutes ahead, threads through ``in_reply_to_id``), edit and delete them, read counts,
account metrics, replies and mentions, and read the instance's limits from ``/api/v2/instance``
into the content rules.

Exactly-once guarantee: every status is sent with ``Idempotency-Key`` set to the variant's
``publish_key`` (``<key>-<n>`` for the n-th post of a thread); Mastodon keeps the key for an hour
and answers a repeat with the status it already created, so ambiguous failures are retried with
the same key. If retries run out with the outcome still unknown, the client looks the status up
among the account's recent statuses (by its text) before anything is sent again.
"""

from smmkit.platforms._registry import PlatformPlugin

from ._client import AsyncMastodonClient, MastodonClient
from ._core import MIN_SCHEDULE_AHEAD, MastodonCore, honours_idempotency_key, mastodon_dialect
from ._html import status_text

PLUGIN = PlatformPlugin(
    name="mastodon",
    client=MastodonClient,
    async_client=AsyncMastodonClient,
    description="Mastodon (any instance): statuses, media, polls, threads, metrics, mentions.",
)

__all__ = [
    "MIN_SCHEDULE_AHEAD",
    "PLUGIN",
    "AsyncMastodonClient",
    "MastodonClient",
    "MastodonCore",
    "honours_idempotency_key",
    "mastodon_dialect",
    "status_text",
]
