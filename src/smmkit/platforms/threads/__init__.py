"""The Threads client (``graph.threads.net``).

``ThreadsClient`` / ``AsyncThreadsClient`` publish text, image, video and carousel posts (up to
20 items) and threads (each post a reply to the previous through ``reply_to_id``) with the same
container flow as Instagram, check the 250-posts-per-24-hours quota
(``threads_publishing_limit``) before anything is sent, list, answer and hide replies, and read
insights.

Exactly-once guarantee: as for Instagram, the container of each post is remembered per publish
key and read after an ambiguous ``threads_publish``; it is never created twice while it may have
been published.
"""

from smmkit.platforms._registry import PlatformPlugin

from ._client import AsyncThreadsClient, ThreadsClient
from ._core import THREADS_CAROUSEL_MAX, THREADS_EXTRAS, THREADS_TEXT_MAX, ThreadsCore

PLUGIN = PlatformPlugin(
    name="threads",
    client=ThreadsClient,
    async_client=AsyncThreadsClient,
    description="Threads profiles: posts, carousels, threads, replies, insights.",
)

__all__ = [
    "PLUGIN",
    "THREADS_CAROUSEL_MAX",
    "THREADS_EXTRAS",
    "THREADS_TEXT_MAX",
    "AsyncThreadsClient",
    "ThreadsClient",
    "ThreadsCore",
]
