"""The public surface of smmkit.platforms, its Mastodon client and its sandbox is pinned."""

from __future__ import annotations

import importlib

import pytest

PINNED = {
    "smmkit.platforms": [
        "AsyncClient",
        "AsyncDriver",
        "AsyncInboxClient",
        "AsyncPager",
        "AsyncPlatformClient",
        "AuthorizationRequest",
        "BearerAuth",
        "Call",
        "Capability",
        "ClientOptions",
        "Comment",
        "DEFAULT_USER_AGENT",
        "Dialect",
        "ENTRY_POINT_GROUP",
        "InboxClient",
        "InboxPage",
        "OAuth2Auth",
        "OAuth2PKCE",
        "Operation",
        "Page",
        "PlatformClient",
        "PlatformCore",
        "PlatformPlugin",
        "PostMarker",
        "PublishedPost",
        "RateLimitInfo",
        "RateLimitKey",
        "RateLimitPolicy",
        "RateLimiter",
        "RedactingFilter",
        "RefreshingAuth",
        "RetryDecision",
        "RetryPolicy",
        "SessionAuth",
        "Sleep",
        "Step",
        "SyncClient",
        "SyncDriver",
        "SyncPager",
        "TokenSet",
        "available_platforms",
        "client_for",
        "code_challenge",
        "decide_retry",
        "default_error_parser",
        "error_from_exception",
        "error_from_response",
        "get_logger",
        "get_plugin",
        "is_outcome_unknown",
        "link_cursor",
        "make_code_verifier",
        "mark_outcome_unknown",
        "needed_capabilities",
        "parse_rate_limit_headers",
        "parse_reset",
        "parse_retry_after",
        "reconcile_unknown",
        "reconciled_publish",
        "redact",
        "register_platform",
        "register_secret",
        "require",
        "resolve_secret",
        "send",
        "sleep",
        "text_fingerprint",
    ],
    "smmkit.platforms.mastodon": [
        "AsyncMastodonClient",
        "MIN_SCHEDULE_AHEAD",
        "MastodonClient",
        "MastodonCore",
        "PLUGIN",
        "honours_idempotency_key",
        "mastodon_dialect",
        "status_text",
    ],
    "smmkit.platforms.sandbox": [
        "AdHistory",
        "AsyncSandboxClient",
        "BASE_URL",
        "COMMENT_KINDS",
        "CREATOR_KINDS",
        "CreatorTruth",
        "FAULT_KINDS",
        "FaultConfig",
        "Outcome",
        "PLUGIN",
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
    ],
}


@pytest.mark.parametrize("module_name", sorted(PINNED))
def test_platforms_public_surface_is_pinned(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == sorted(PINNED[module_name])
    for name in module.__all__:
        assert getattr(module, name) is not None, f"{module_name}.{name} does not resolve"


def test_builtin_platforms_are_registered() -> None:
    from smmkit.platforms import available_platforms, get_plugin

    assert {"mastodon", "sandbox"} <= set(available_platforms())
    plugin = get_plugin("mastodon")
    assert plugin.client.__name__ == "MastodonClient"
    assert plugin.async_client.__name__ == "AsyncMastodonClient"


def test_a_plugin_can_register_a_network() -> None:
    from smmkit.errors import UnsupportedCapability
    from smmkit.models import Cadence, Channel, Platform
    from smmkit.platforms import PlatformPlugin, client_for, register_platform

    class VkClient:
        def __init__(self, channel: Channel) -> None:
            self.channel = channel.key

        @classmethod
        def from_channel(cls, channel: Channel, /, **options: object) -> VkClient:
            return cls(channel)

    channel = Channel(
        key="vk",
        platform=Platform("vkontakte"),
        handle="forno",
        timezone="Europe/Rome",
        cadence=Cadence(posts_per_week=1),
    )
    with pytest.raises(UnsupportedCapability, match="no client for platform 'vkontakte'"):
        client_for(channel)
    register_platform(PlatformPlugin("vkontakte", VkClient, VkClient), replace=True)
    assert client_for(channel).channel == "vk"
    with pytest.raises(ValueError, match="already registered"):
        register_platform(PlatformPlugin("vkontakte", VkClient, VkClient))
