"""The sandbox network: a simulated social network implementing the client protocol, in
process, seeded and deterministic.

>>> from smmkit.platforms.sandbox import SandboxNetwork, sandbox_channel
>>> network = SandboxNetwork(seed=7)
>>> network.add_channel(sandbox_channel("ig"))
>>> client = network.client("ig")

It stores posts (in memory, or in a SQLite file several processes can share), answers with
plausible reactions that depend on hour, weekday, format, pillar and audience, grows followers,
produces comments (some spam or abusive, labelled), and can be told to rate-limit or fail,
including "the post was created but the response was lost". :func:`ad_history` makes a paid-ads
history from hidden response curves, for the budget engine.

Exactly-once guarantee: the sandbox does not deduplicate publishes (like most networks); the
client reconciles every ambiguous failure by looking the post up by its ``publish_key`` before
anything is sent again.
"""

from typing import TYPE_CHECKING, Any

from smmkit.platforms._registry import PlatformPlugin

from ._ads import AdHistory, ResponseCurve, ad_history
from ._client import AsyncSandboxClient, SandboxClient, SandboxCore, sandbox_dialect
from ._network import (
    BASE_URL,
    FAULT_KINDS,
    FaultConfig,
    RateLimitConfig,
    SandboxNetwork,
    SandboxPost,
    sandbox_channel,
)
from ._sim import COMMENT_KINDS, Outcome, ReactionModel, accrual, comment_plan, hour_factor
from ._store import SandboxStore

if TYPE_CHECKING:
    from ._creators import CREATOR_KINDS, CreatorTruth, SandboxCreator, generate_creators

_LAZY = frozenset({"CREATOR_KINDS", "CreatorTruth", "SandboxCreator", "generate_creators"})


def __getattr__(name: str) -> Any:
    # The creator generator pulls in the influencer engine; load it on first use only.
    if name in _LAZY:
        from . import _creators

        value = getattr(_creators, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


PLUGIN = PlatformPlugin(
    name="sandbox",
    client=SandboxClient,
    async_client=AsyncSandboxClient,
    description="The simulated network (in memory or SQLite), for demos and tests.",
)

__all__ = [
    "BASE_URL",
    "COMMENT_KINDS",
    "CREATOR_KINDS",
    "FAULT_KINDS",
    "PLUGIN",
    "AdHistory",
    "AsyncSandboxClient",
    "CreatorTruth",
    "FaultConfig",
    "Outcome",
    "RateLimitConfig",
    "ReactionModel",
    "ResponseCurve",
    "SandboxClient",
    "SandboxCore",
    "SandboxCreator",
    "SandboxNetwork",
    "SandboxPost",
    "SandboxStore",
    "accrual",
    "ad_history",
    "comment_plan",
    "generate_creators",
    "hour_factor",
    "sandbox_channel",
    "sandbox_dialect",
]
