"""smmkit.platforms.bluesky: the Bluesky (AT Protocol) client, sync and async.

* :class:`BlueskyClient` / :class:`AsyncBlueskyClient`: log in once with an app password, reuse
  and refresh the session; publish posts with facets, up to 4 images with alt text, link cards,
  threads and replies; delete; read records back; counts and replies where the service has an
  AppView.
* Exactly-once publishing: every post's record key is derived from the variant's
  ``publish_key`` (:func:`rkey_for`), so an ambiguous failure is settled by one ``getRecord``
  and a resend can never make a second post.

See docs/bluesky.md.
"""

from ._client import PLUGIN, AsyncBlueskyClient, BlueskyClient
from ._core import MAX_IMAGE_BYTES, BlueskyCore, BlueskyRecord, LinkCard, read_media
from ._records import AtUri, StrongRef, rkey_for, tid_timestamp
from ._session import DEFAULT_SERVICE, BlueskySessionAuth, bluesky_dialect, jwt_expiry

__all__ = [
    "DEFAULT_SERVICE",
    "MAX_IMAGE_BYTES",
    "PLUGIN",
    "AsyncBlueskyClient",
    "AtUri",
    "BlueskyClient",
    "BlueskyCore",
    "BlueskyRecord",
    "BlueskySessionAuth",
    "LinkCard",
    "StrongRef",
    "bluesky_dialect",
    "jwt_expiry",
    "read_media",
    "rkey_for",
    "tid_timestamp",
]
