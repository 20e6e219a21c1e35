from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from smmkit.audit import (
    AuditImportError,
    ChannelData,
    audit_presence,
    collect_channel,
    read_audit_csv,
)
from smmkit.errors import PermissionDeniedError, ValidationError
from smmkit.models import PostMetrics
from smmkit.platforms.sandbox import SandboxNetwork, sandbox_channel

START = datetime(2026, 11, 2, 8, tzinfo=UTC)
END = START + timedelta(days=28)
ACCOUNTS: dict[str, tuple[str, int, list[tuple[str, str | None]]]] = {
    "aurora": ("Forno Aurora", 4_200, [("reel", "prodotto"), ("carousel", "ricette")] * 5),
    "duetorri": ("Panificio Due Torri", 6_100, [("post", "prodotto")] * 6),
    "sanvitale": ("Forno San Vitale", 2_300, [("reel", None), ("post", None)] * 4),
}


class PrivateProfile:
    """A client whose account cannot be read (a competitor's private profile)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionDeniedError(
            "the profile is private", platform="threads", status=403, code="private"
        )

    get_post_metrics = _refuse
    get_account_metrics = _refuse
    list_comments = _refuse


@pytest.fixture(scope="module")
def network() -> SandboxNetwork:
    net = SandboxNetwork(seed=7, start=START)
    for key, (_, followers, _) in ACCOUNTS.items():
        net.add_channel(sandbox_channel(key, "instagram", handle=key), followers=followers)
    for key, (_, _, posts) in ACCOUNTS.items():
        for i, (fmt, pillar) in enumerate(posts):
            net.create_post(
                key,
                text=f"post {i} of {key}",
                publish_key=f"{key}-{i:04d}",
                format=fmt,
                pillar=pillar,
                published_at=START + timedelta(days=2 * i + 1, hours=len(key)),
            )
    net.set_time(END - timedelta(days=1))
    # The brand answers the first two comments of each of its posts.
    for post in net.posts("aurora"):
        for comment in [c for c in net.comments(post) if c.in_reply_to is None][:2]:
            net.reply(comment.comment_id, "Grazie!")
    net.set_time(END)
    return net


def collect(net: SandboxNetwork, key: str, mentions: int) -> ChannelData:
    owner = ACCOUNTS[key][0]
    return collect_channel(
        net.client(key),
        [p.post_id for p in net.posts(key)],
        owner=owner,
        platform="instagram",
        handle=key,
        followers_start=net.followers(key, START),
        mentions=mentions,
        replies_from=key if key == "aurora" else None,
    )


def test_audit_matches_hand_computed_figures(network: SandboxNetwork) -> None:
    mentions = {"aurora": 30, "duetorri": 50, "sanvitale": 20}
    data = [collect(network, key, m) for key, m in mentions.items()]
    data.append(
        collect_channel(PrivateProfile(), ["x"], owner="Forno San Vitale", platform="threads")
    )
    audit = audit_presence(data, brand="Forno Aurora", start=START, end=END)
    assert audit.channels[0].owner == "Forno Aurora"
    for key in ACCOUNTS:
        owner = ACCOUNTS[key][0]
        row = audit.channel(owner, "instagram")
        raw = network.metrics(key, END)
        # followers and growth, by hand
        start_f, end_f = network.followers(key, START), network.followers(key, END)
        assert row.followers == end_f
        assert row.growth.value == pytest.approx((end_f - start_f) / start_f)
        # cadence: posts in 28 days x 7
        assert row.cadence.value == pytest.approx(len(raw) / 28 * 7)
        # engagement rate by followers: mean of (likes + comments + shares + saves) / followers
        rates = [
            ((m.likes or 0) + (m.comments or 0) + (m.shares or 0) + (m.saves or 0)) / m.followers
            for m in raw
            if m.followers
        ]
        assert row.engagement_rate.value == pytest.approx(sum(rates) / len(rates))
        # format mix and best post
        formats = [m.format for m in raw]
        assert row.format_mix == {f: formats.count(f) / len(formats) for f in set(formats)}
        top = max(raw, key=lambda m: m.engagements or 0)
        assert row.best_posts[0].post_id == top.post_id
        assert row.share_of_voice.value == pytest.approx(mentions[key] / 100)
    brand_row = audit.channel("Forno Aurora", "instagram")
    assert brand_row.pillar_mix == {"prodotto": 0.5, "ricette": 0.5}
    assert audit.channel("Forno San Vitale", "instagram").pillar_mix is None
    assert any("pillar mix" in m for m in audit.channel("Forno San Vitale", "instagram").missing)
    # response time by hand: reply time minus comment time, median, in hours
    delays = []
    for post in network.posts("aurora"):
        comments = network.comments(post, END)
        by_id = {c.comment_id: c for c in comments}
        delays += [
            (c.created_at - by_id[c.in_reply_to].created_at).total_seconds()
            for c in comments
            if c.in_reply_to
        ]
    assert delays
    assert brand_row.response_time_hours.value == pytest.approx(statistics.median(delays) / 3600)
    # the competitor with no readable data is reported as such
    private = audit.channel("Forno San Vitale", "threads")
    assert not private.readable and private.source == "none"
    assert "the profile is private" in private.note
    assert private.engagement_rate.value is None
    assert private.engagement_rate.reason is not None
    assert "no readable data" in private.engagement_rate.reason
    assert audit.unreadable == [private]
    table = audit.to_markdown()
    assert "| Forno San Vitale | n/a | n/a | n/a | n/a | n/a | no readable data:" in table


def test_missing_is_stated_never_guessed() -> None:
    data = [
        ChannelData(owner="Brand", platform="instagram", followers_end=1_000),
        ChannelData(
            owner="Rival",
            platform="instagram",
            followers_end=900,
            posts_readable=False,
            note="posts need a business account",
        ),
    ]
    audit = audit_presence(data, brand="Brand", start=START, end=END)
    brand = audit.channel("Brand", "instagram")
    assert brand.cadence.value == 0.0  # readable, and no posts: 0 a week, not unknown
    assert brand.engagement_rate.value is None
    assert brand.engagement_rate.reason == "no posts in the period"
    assert brand.growth.reason == "followers_start not reported"
    assert brand.share_of_voice.reason == "mentions not readable"
    assert brand.response_time_hours.reason == "inbox not known"
    rival = audit.channel("Rival", "instagram")
    assert rival.cadence.value is None
    assert rival.cadence.reason == "posts not readable (posts need a business account)"


def test_bad_requests() -> None:
    one = ChannelData(owner="Brand", platform="instagram")
    with pytest.raises(ValidationError, match="appears twice"):
        audit_presence([one, one], brand="Brand", start=START, end=END)
    with pytest.raises(ValidationError, match="has no channel data"):
        audit_presence([one], brand="Other", start=START, end=END)
    with pytest.raises(ValidationError, match="after start"):
        audit_presence([one], brand="Brand", start=END, end=START)
    with pytest.raises(ValueError, match="source must be one of"):
        ChannelData(owner="x", platform="instagram", source="gossip")


ACCOUNTS_CSV = (
    "owner;platform;handle;followers_start;followers_end;mentions\n"
    "Forno Aurora;instagram;fornoaurora;4.000;4.400;30\n"
    "Panificio Due Torri;instagram;panificioduetorri;6100;6050;\n"
    "Forno San Vitale;threads;fornosanvitale;;;\n"
)
POSTS_CSV = (
    "owner,platform,post_id,published_at,format,pillar,likes,comments,shares,saves,followers\n"
    "Forno Aurora,instagram,a1,2026-11-03T08:30:00+01:00,reel,prodotto,120,10,5,5,4100\n"
    "Forno Aurora,instagram,a2,2026-11-10T08:30:00+01:00,carousel,ricette,60,5,0,15,4200\n"
    "Panificio Due Torri,instagram,d1,2026-11-04T12:00:00+01:00,post,,80,4,1,0,\n"
)


def test_csv_import_and_hand_computed_audit() -> None:
    data = read_audit_csv(ACCOUNTS_CSV, POSTS_CSV, measured_at=END)
    audit = audit_presence(data, brand="Forno Aurora", start=START, end=END)
    brand = audit.channel("Forno Aurora", "instagram")
    assert brand.source == "csv"
    assert brand.growth.value == pytest.approx(400 / 4000)
    # (120+10+5+5)/4100 and (60+5+0+15)/4200
    assert brand.engagement_rate.value == pytest.approx((140 / 4100 + 80 / 4200) / 2)
    assert brand.cadence.value == pytest.approx(2 / 28 * 7)
    assert brand.share_of_voice.value == 1.0  # the only readable mentions on instagram
    rival = audit.channel("Panificio Due Torri", "instagram")
    # no followers on the post: the end-of-period followers are the base
    assert rival.engagement_rate.value == pytest.approx(85 / 6050)
    assert rival.share_of_voice.value is None
    assert not audit.channel("Forno San Vitale", "threads").readable


def test_csv_errors_name_row_and_column() -> None:
    bad = "owner,platform,followers_end\nA,instagram,lots\n,instagram,3\nB,myspace!,1\n"
    with pytest.raises(AuditImportError) as info:
        read_audit_csv(bad, measured_at=END)
    assert info.value.problems == (
        "row 2, column 'followers_end': must be a whole number (got 'lots')",
        "row 3, column 'owner': is required",
        "row 4, column 'platform': not a platform ('myspace!')",
    )
    posts = "owner,platform,post_id,published_at\nA,instagram,p,2026-11-03 08:30\n"
    with pytest.raises(AuditImportError, match="offset"):
        read_audit_csv("owner,platform\nA,instagram\n", posts, measured_at=END)
    with pytest.raises(AuditImportError, match="column 'platform': the required"):
        read_audit_csv("owner\nA\n", measured_at=END)
    with pytest.raises(ValidationError, match="timezone-aware"):
        read_audit_csv(ACCOUNTS_CSV, measured_at=datetime(2026, 11, 30))


def test_markdown_cells_are_escaped() -> None:
    data = [
        ChannelData(owner="Brand | x\n# y", platform="instagram", followers_end=5),
        ChannelData(owner="Rival", platform="instagram", source="none", note="a|b"),
    ]
    table = audit_presence(data, brand="Brand | x\n# y", start=START, end=END).to_markdown()
    assert "Brand \\| x # y" in table and "\n# y" not in table
    assert "a\\|b" in table


def test_posts_outside_the_period_are_left_out() -> None:
    inside = PostMetrics(
        platform="instagram",
        measured_at=END,
        post_id="in",
        published_at=START,
        likes=10,
        followers=100,
    )
    outside = inside.model_copy(update={"post_id": "out", "published_at": END})
    data = [
        ChannelData(owner="B", platform="instagram", followers_end=100, posts=(inside, outside))
    ]
    row = audit_presence(data, brand="B", start=START, end=END).channel("B", "instagram")
    assert row.cadence.count == 1 and row.engagement_rate.value == pytest.approx(0.1)


def test_a_competitor_from_its_public_profile() -> None:
    from smmkit.audit import channel_data_from_profile
    from smmkit.influencers import creator_from_mastodon

    account = {"acct": "rival@cucina.social", "followers_count": 1_000, "following_count": 10}
    statuses = [
        {
            "id": "1",
            "created_at": "2026-11-10T08:00:00Z",
            "favourites_count": 30,
            "replies_count": 5,
            "content": "<p>pane</p>",
        },
        {
            "id": "2",
            "created_at": "2026-11-20T08:00:00Z",
            "favourites_count": 10,
            "replies_count": 5,
            "content": "<p>dolci</p>",
        },
    ]
    rival = channel_data_from_profile(
        creator_from_mastodon(account, statuses),
        owner="Rival",
        measured_at=END,
        followers_start=950,
        mentions=4,
    )
    mine = ChannelData(owner="Brand", platform="mastodon", followers_end=500, mentions=6)
    audit = audit_presence([mine, rival], brand="Brand", start=START, end=END)
    row = audit.channel("Rival", "mastodon")
    assert row.source == "public" and row.followers == 1_000
    assert row.engagement_rate.value == pytest.approx((35 / 1000 + 15 / 1000) / 2)
    assert row.growth.value == pytest.approx(50 / 950)
    assert row.share_of_voice.value == pytest.approx(0.4)
    with pytest.raises(ValidationError, match="timezone-aware"):
        channel_data_from_profile(
            creator_from_mastodon(account),
            owner="R",
            measured_at=datetime(2026, 11, 30),
        )
