"""A user's file: ``client_for`` is typed for sync and async use (checked by mypy --strict).

Not collected by pytest; ``test_typed_front_door.py`` runs ``mypy --strict`` on it.
"""

from __future__ import annotations

from typing import Any, assert_type

from smmkit.models import Cadence, Channel, Variant
from smmkit.platforms import AsyncClient, PublishedPost, SyncClient, client_for
from smmkit.platforms.sandbox import SandboxNetwork

network = SandboxNetwork(seed=1)
channel = Channel(
    key="ig",
    platform="instagram",
    handle="forno",
    timezone="Europe/Rome",
    cadence=Cadence(posts_per_week=3),
)
client = client_for(channel, sandbox=network)
assert_type(client, SyncClient[Any])
post = client.publish(Variant(channel="ig", platform="instagram", text="Pane caldo"))
assert_type(post, PublishedPost)


async def main() -> PublishedPost:
    async_client = client_for(channel, asynchronous=True, sandbox=network)
    assert_type(async_client, AsyncClient[Any])
    return await async_client.publish(Variant(channel="ig", platform="instagram", text="Ciao"))
