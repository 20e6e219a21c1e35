"""The Instagram client (professional accounts), with Instagram Login (``graph.instagram.com``)
or Facebook Login (``graph.facebook.com``).

``InstagramClient`` / ``AsyncInstagramClient`` publish through Meta's container flow (images,
reels, stories, carousels of 2-10 items with alt text, user tags, collaborators, cover and
``share_to_feed``), poll the container through the driver's sleep, check the publishing limit
(read live) before anything is sent, read and moderate comments, mentions, insights with the
current metric names, and competitors' public figures (``business_discovery``).

Exactly-once guarantee without an idempotency key: a container is published at most once by
Meta; the client remembers the container of each publish key (``containers=``, persist it to
survive crashes) and, after an ambiguous ``media_publish`` failure, reads the container's
``status_code``: ``PUBLISHED`` means it went out (the post is then found among recent media),
``FINISHED`` means the same container is published again. Never a second container while one
may have been published.
"""

from smmkit.platforms._registry import PlatformPlugin

from ._client import AsyncInstagramClient, InstagramClient
from ._core import (
    CAROUSEL_MAX,
    CAROUSEL_MIN,
    DEFAULT_GRAPH_VERSION,
    INSTAGRAM_EXTRAS,
    InstagramCore,
)

PLUGIN = PlatformPlugin(
    name="instagram",
    client=InstagramClient,
    async_client=AsyncInstagramClient,
    description="Instagram professional accounts: container publishing, comments, insights.",
)

__all__ = [
    "CAROUSEL_MAX",
    "CAROUSEL_MIN",
    "DEFAULT_GRAPH_VERSION",
    "INSTAGRAM_EXTRAS",
    "PLUGIN",
    "AsyncInstagramClient",
    "InstagramClient",
    "InstagramCore",
]
