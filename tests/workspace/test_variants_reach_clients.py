"""Variants drafted by the workspace carry only options their network's client accepts.

Some clients refuse option keys they do not know (Mastodon, Facebook Pages, Threads); the
typed fields (format, pillar, campaign, links) must never reach them as unknown keys.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from smmkit.content import adapt
from smmkit.models import Cadence, Channel, Platform
from smmkit.platforms.facebook import FACEBOOK_EXTRAS
from smmkit.platforms.threads import THREADS_EXTRAS
from smmkit.setup import load_setup

ROOT = Path(__file__).resolve().parents[2]
FORNO = load_setup(ROOT / "examples" / "forno_aurora.toml")
NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("platform", "allowed"),
    [
        (Platform.FACEBOOK, FACEBOOK_EXTRAS),
        (Platform.THREADS, THREADS_EXTRAS),
        (Platform.MASTODON, frozenset()),
    ],
)
def test_adapted_variants_carry_no_unknown_option(
    platform: Platform, allowed: frozenset[str]
) -> None:
    channel = Channel(
        key="c",
        platform=platform,
        handle="forno",
        timezone="Europe/Rome",
        cadence=Cadence(posts_per_week=3),
        base_url="https://mastodon.example" if platform is Platform.MASTODON else None,
    )
    for item in FORNO.content:
        campaign = FORNO.campaign(item.campaign) if item.campaign else None
        variant = adapt(item, channel, brand=FORNO.brand, campaign=campaign, now=NOW).variant
        assert variant.pillar == item.pillar  # the typed option is there ...
        assert set(variant.extras) <= allowed  # ... and not offered to a strict client
