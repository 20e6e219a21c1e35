"""The Facebook Pages client.

``FacebookPageClient`` / ``AsyncFacebookPageClient`` publish to a Page with a Page token: text and
link posts, one photo or several (unpublished photos attached with ``attached_media``), video
(from a public URL, or a file through the resumable upload), Reels; native scheduling
(``published=false`` + ``scheduled_publish_time``, at least 10 minutes ahead, at most
``max_schedule_ahead``); edit and delete; comments (list, reply, hide, unhide, delete); Page and
post insights with the current metric names.

Exactly-once guarantee: the Pages API has no idempotency key, so an ambiguous failure of the
publishing call is settled by looking the post up by its text (published or scheduled posts,
videos, Reels) before anything is sent again.
"""

from smmkit.platforms._registry import PlatformPlugin

from ._client import AsyncFacebookPageClient, FacebookPageClient
from ._core import FACEBOOK_EXTRAS, MIN_SCHEDULE_AHEAD, FacebookPageCore

PLUGIN = PlatformPlugin(
    name="facebook",
    client=FacebookPageClient,
    async_client=AsyncFacebookPageClient,
    description="Facebook Pages: posts, photos, video, Reels, scheduling, comments, insights.",
)

__all__ = [
    "FACEBOOK_EXTRAS",
    "MIN_SCHEDULE_AHEAD",
    "PLUGIN",
    "AsyncFacebookPageClient",
    "FacebookPageClient",
    "FacebookPageCore",
]
