"""The simulated network: state, reactions, comments, rate limits, faults, and its HTTP face."""

from __future__ import annotations

import bisect
import json
import math
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import httpx
from pydantic import AwareDatetime

from smmkit.errors import ValidationError
from smmkit.models import (
    AccountMetrics,
    Audience,
    Channel,
    InboxMessage,
    MessageKind,
    Platform,
    PostMetrics,
    ValueModel,
)
from smmkit.platforms._protocol import Comment, PublishedPost

from ._sim import Outcome, ReactionModel, accrual, author_profile, comment_plan, mention_plan
from ._store import SandboxStore

if TYPE_CHECKING:
    from ._creators import SandboxCreator

__all__ = [
    "FAULT_KINDS",
    "FaultConfig",
    "RateLimitConfig",
    "SandboxNetwork",
    "SandboxPost",
]

BASE_URL = "https://sandbox.smmkit.invalid"
_MENTION = re.compile(r"sbx-m(\d+)-([\w-]+)")
_DIRECT = re.compile(r"sbx-d(\d+)-([\w-]+)")
FAULT_KINDS: tuple[str, ...] = (
    "connect",
    "read_timeout_after",
    "rate_limited",
    "error_500",
    "error_502",
    "lost_after_success",
)
"""Every fault the sandbox can inject. ``*_after`` and ``lost_after_success`` apply the request
first (the post exists) and then lose the answer."""

_DEFAULT_FOLLOWERS = {
    "instagram": 4200,
    "facebook": 2600,
    "threads": 900,
    "tiktok": 1500,
    "linkedin": 700,
    "x": 1100,
    "youtube": 800,
    "pinterest": 600,
    "mastodon": 450,
    "bluesky": 520,
    "mailchimp": 1800,
    "wordpress": 1000,
}


@dataclass(frozen=True)
class RateLimitConfig:
    """``limit`` requests per channel per ``window`` seconds (wall-clock time)."""

    limit: int = 300
    window: float = 300.0

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window <= 0:
            raise ValidationError(
                "rate_limit", (self.limit, self.window), "needs limit >= 1 and window > 0"
            )


@dataclass(frozen=True)
class FaultConfig:
    """Inject a fault into ``rate`` of the HTTP attempts, drawn from ``kinds`` (seeded)."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    seed: int = 0
    retry_after: float = 2.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValidationError("faults.rate", self.rate, "must be a fraction in [0, 1]")
        unknown = sorted(set(self.kinds) - set(FAULT_KINDS))
        if unknown or not self.kinds:
            raise ValidationError(
                "faults.kinds", unknown or self.kinds, f"must be among {', '.join(FAULT_KINDS)}"
            )


class SandboxPost(ValueModel):
    """A post stored by the sandbox."""

    post_id: str
    channel: str
    platform: Platform
    publish_key: str
    text: str
    format: str = "post"
    pillar: str | None = None
    campaign: str | None = None
    media_count: int = 0
    has_link: bool = False
    thread: tuple[str, ...] = ()
    published_at: AwareDatetime
    created_at: AwareDatetime
    deleted_at: AwareDatetime | None = None
    url: str

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass
class _ChannelInfo:
    key: str
    platform: Platform
    handle: str
    zone: ZoneInfo
    locale: str | None
    followers0: int
    created_at: datetime
    activity: dict[int, dict[int, float]] | None
    audience_share: float | None


@dataclass
class _Cache:
    signature: tuple[int, int] = (0, 0)
    outcomes: dict[str, tuple[float, Outcome]] = field(default_factory=dict)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


class SandboxNetwork:
    """A simulated social network: seeded, deterministic, in memory or in a SQLite file.

    ``start`` sets the simulated clock the first time a store is created (it is kept in the
    store, so several processes sharing a file share the clock too). Reactions follow
    :class:`~smmkit.platforms.sandbox.ReactionModel`. The network speaks HTTP to its clients
    through :meth:`transport` (an ``httpx.MockTransport``), so the clients run the full framework
    (retries, rate limits, reconciliation) against it.
    """

    def __init__(
        self,
        *,
        seed: int = 7,
        path: str | Path | None = None,
        start: datetime | None = None,
        model: ReactionModel | None = None,
        rate_limit: RateLimitConfig | None = None,
        faults: FaultConfig | None = None,
        wall_clock: Callable[[], float] = time.time,
        dedupe: bool = True,
        mentions_per_day: float | None = None,
        directs_per_day: float | None = None,
    ) -> None:
        if start is not None and start.tzinfo is None:
            raise ValidationError("start", start.isoformat(), "must be timezone-aware")
        self.store = SandboxStore(path)
        self.store.set_meta("seed", str(int(seed)), only_if_absent=True)
        self.store.set_meta(
            "clock", _iso(start or datetime(2026, 11, 2, 8, 0, tzinfo=UTC)), only_if_absent=True
        )
        self.seed = int(self.store.get_meta("seed") or seed)
        if mentions_per_day is not None:
            if not (0.0 <= mentions_per_day <= 10_000.0):
                raise ValidationError(
                    "mentions_per_day", mentions_per_day, "must be within [0, 10000]"
                )
            self.store.set_meta("mentions_per_day", repr(float(mentions_per_day)))
        if directs_per_day is not None:
            if not (0.0 <= directs_per_day <= 10_000.0):
                raise ValidationError(
                    "directs_per_day", directs_per_day, "must be within [0, 10000]"
                )
            self.store.set_meta("directs_per_day", repr(float(directs_per_day)))
        self._plans: dict[tuple[str, int], list[tuple[float, int, str, str, str]]] = {}
        self._mentions: dict[
            tuple[str, float, str], tuple[float, list[tuple[float, int, str, str, str]]]
        ] = {}
        self.model = model or ReactionModel()
        self.rate_limit = rate_limit or RateLimitConfig()
        self.faults = faults or FaultConfig()
        self._fault_rng = random.Random(self.faults.seed)
        self.fault_counts: dict[str, int] = dict.fromkeys(FAULT_KINDS, 0)
        self._wall = wall_clock
        self._lock = threading.RLock()
        self._caches: dict[str, _Cache] = {}
        self._queued: list[str] = []
        self.dedupe = dedupe
        """Whether this network deduplicates publishes: it honours ``Idempotency-Key`` (the
        look-up and the insert in one transaction), and its clients of a file-backed network
        look the publish key up before the first attempt. ``dedupe=False`` behaves like a
        network that does neither (to test the caller's own exactly-once machinery)."""

    def __repr__(self) -> str:
        where = str(self.store.path) if self.store.path else "memory"
        return f"SandboxNetwork(seed={self.seed}, store={where!r}, now={self.now().isoformat()})"

    def creators(self, n: int = 200, **options: Any) -> list[SandboxCreator]:
        """``n`` synthetic creators with their ground truth, seeded by this network's seed, their
        histories ending at its clock (see :func:`generate_creators` for ``options``)."""
        from ._creators import generate_creators

        options.setdefault("seed", self.seed)
        options.setdefault("end", self.now())
        return generate_creators(n, **options)

    def close(self) -> None:
        self.store.close()

    # -- configuration -------------------------------------------------------------------------
    def set_faults(self, faults: FaultConfig) -> None:
        """Change the fault injection (``FaultConfig()`` turns it off)."""
        with self._lock:
            self.faults = faults
            self._fault_rng = random.Random(faults.seed)

    def add_channel(
        self,
        channel: Channel,
        *,
        followers: int | None = None,
        audience: Audience | None = None,
    ) -> None:
        """Register an account (idempotent: an existing channel keeps its state)."""
        if followers is not None and followers < 0:
            raise ValidationError("followers", followers, "must be >= 0")
        base = (
            followers
            if followers is not None
            else _DEFAULT_FOLLOWERS.get(channel.platform.value, 1000)
        )
        audience_json = None
        if audience is not None:
            grid = audience.activity()
            share = audience.platform_reach().get(channel.platform)
            audience_json = json.dumps(
                {
                    "activity": {
                        str(d.number): {str(h): v for h, v in hours.items() if v}
                        for d, hours in grid.items()
                    },
                    "share": share,
                }
            )
        with self.store.write() as cur:
            cur.execute(
                "INSERT OR IGNORE INTO channels(key, platform, handle, timezone, locale, "
                "followers0, created_at, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    channel.key,
                    channel.platform.value,
                    channel.handle,
                    channel.timezone,
                    channel.locale,
                    base,
                    _iso(self.now()),
                    audience_json,
                ),
            )

    @classmethod
    def from_setup(
        cls,
        setup: Any,
        *,
        seed: int = 7,
        path: str | Path | None = None,
        start: datetime | None = None,
        **options: Any,
    ) -> SandboxNetwork:
        """A network with every channel of a :class:`~smmkit.setup.Setup` (and its audience)."""
        network = cls(seed=seed, path=path, start=start, **options)
        for channel in setup.channels:
            network.add_channel(channel, audience=setup.audience)
        return network

    def channel_keys(self) -> list[str]:
        return [str(r["key"]) for r in self.store.query("SELECT key FROM channels ORDER BY key")]

    def _channel(self, key: str) -> _ChannelInfo:
        rows = self.store.query("SELECT * FROM channels WHERE key = ?", (key,))
        if not rows:
            raise ValidationError(
                "channel",
                key,
                "is not a channel of this sandbox network",
                hint="add it with network.add_channel(channel).",
            )
        row = rows[0]
        activity = share = None
        if row["audience"]:
            data = json.loads(row["audience"])
            activity = {
                int(d): {int(h): float(v) for h, v in hours.items()}
                for d, hours in data["activity"].items()
            }
            share = data["share"]
        return _ChannelInfo(
            key=row["key"],
            platform=Platform(row["platform"]),
            handle=row["handle"],
            zone=ZoneInfo(row["timezone"]),
            locale=row["locale"],
            followers0=int(row["followers0"]),
            created_at=_parse(row["created_at"]),
            activity=activity,
            audience_share=share,
        )

    # -- the clock -----------------------------------------------------------------------------
    def now(self) -> datetime:
        """The simulated time (shared through the store)."""
        return _parse(self.store.get_meta("clock") or _iso(datetime.now(UTC)))

    def set_time(self, moment: datetime) -> None:
        """Move the simulated clock to ``moment`` (never backwards)."""
        if moment.tzinfo is None:
            raise ValidationError("moment", moment.isoformat(), "must be timezone-aware")
        with self.store.write() as cur:
            row = cur.execute("SELECT value FROM meta WHERE key = 'clock'").fetchone()
            current = _parse(row[0])
            if moment < current:
                raise ValidationError(
                    "moment",
                    moment.isoformat(),
                    f"the sandbox clock cannot go back from {current.isoformat()}",
                )
            cur.execute("UPDATE meta SET value = ? WHERE key = 'clock'", (_iso(moment),))

    def advance(self, delta: timedelta) -> datetime:
        """Move the simulated clock forward by ``delta``; return the new time."""
        if delta < timedelta(0):
            raise ValidationError("delta", str(delta), "must not be negative")
        target = self.now() + delta
        self.set_time(target)
        return target

    # -- posts ---------------------------------------------------------------------------------
    def _post(self, row: Any) -> SandboxPost:
        n = int(row["n"])
        return SandboxPost(
            post_id=f"sbx-{n}",
            channel=row["channel"],
            platform=Platform(row["platform"]),
            publish_key=row["publish_key"],
            text=row["text"],
            format=row["format"],
            pillar=row["pillar"],
            campaign=row["campaign"],
            media_count=row["media_count"],
            has_link=bool(row["has_link"]),
            thread=tuple(json.loads(row["thread"])),
            published_at=_parse(row["published_at"]),
            created_at=_parse(row["created_at"]),
            deleted_at=_parse(row["deleted_at"]) if row["deleted_at"] else None,
            url=f"{BASE_URL}/{row['channel']}/{n}",
        )

    _SELECT = (
        "SELECT posts.*, channels.platform AS platform FROM posts "
        "JOIN channels ON channels.key = posts.channel"
    )

    def create_post(
        self,
        channel: str,
        *,
        text: str,
        publish_key: str,
        format: str = "post",
        pillar: str | None = None,
        campaign: str | None = None,
        media_count: int = 0,
        thread: Sequence[str] = (),
        published_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> SandboxPost:
        """Store a post (what the HTTP API does on ``POST``).

        Without ``idempotency_key``, not deduplicated: like most networks, the sandbox creates a
        second post if asked twice. With it (the ``Idempotency-Key`` header), a live post already
        made with that key on this channel is returned instead; the look-up and the insert run
        in one write transaction, so two processes racing with one key make one post."""
        info = self._channel(channel)
        if not text.strip() and not media_count:
            raise ValidationError("text", text, "a post needs a text or media")
        now = self.now()
        when = published_at or now
        has_link = bool(re.search(r"https?://", text + " ".join(thread)))
        with self.store.write() as cur:
            row = None
            if idempotency_key is not None:
                row = cur.execute(
                    "SELECT n FROM posts WHERE channel = ? AND publish_key = ? "
                    "AND deleted_at IS NULL ORDER BY n LIMIT 1",
                    (info.key, idempotency_key),
                ).fetchone()
            if row is not None:
                n = int(row[0])
            else:
                cur.execute(
                    "INSERT INTO posts(channel, publish_key, text, format, pillar, campaign, "
                    "media_count, has_link, thread, published_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        info.key,
                        publish_key,
                        text,
                        format,
                        pillar,
                        campaign,
                        media_count,
                        int(has_link),
                        json.dumps(list(thread)),
                        _iso(when),
                        _iso(now),
                    ),
                )
                n = int(cur.lastrowid or 0)
        return self.post(f"sbx-{n}")

    def post(self, post_id: str | PublishedPost | SandboxPost) -> SandboxPost:
        """One post by id, or by the :class:`PublishedPost` a client returned (deleted ones
        included)."""
        n = self._number(post_id)
        rows = self.store.query(self._SELECT + " WHERE posts.n = ?", (n,))
        if not rows:
            raise ValidationError("post_id", post_id, "no such post in the sandbox")
        return self._post(rows[0])

    @staticmethod
    def _number(post: str | PublishedPost | SandboxPost) -> int:
        post_id = post if isinstance(post, str) else post.post_id
        match = re.fullmatch(r"sbx-(\d+)", post_id)
        if not match:
            raise ValidationError("post_id", post_id, "sandbox post ids look like 'sbx-12'")
        return int(match.group(1))

    def posts(
        self,
        channel: str | None = None,
        *,
        publish_key: str | None = None,
        include_deleted: bool = False,
    ) -> list[SandboxPost]:
        """Stored posts, oldest first."""
        sql, params = self._SELECT + " WHERE 1 = 1", []
        if channel is not None:
            sql += " AND posts.channel = ?"
            params.append(channel)
        if publish_key is not None:
            sql += " AND posts.publish_key = ?"
            params.append(publish_key)
        if not include_deleted:
            sql += " AND posts.deleted_at IS NULL"
        sql += " ORDER BY posts.published_at, posts.n"
        return [self._post(r) for r in self.store.query(sql, tuple(params))]

    def delete_post(self, post_id: str | PublishedPost) -> bool:
        """Mark a post deleted; ``False`` if it was already gone."""
        n = self._number(post_id)
        with self.store.write() as cur:
            changed = cur.execute(
                "UPDATE posts SET deleted_at = ? WHERE n = ? AND deleted_at IS NULL",
                (_iso(self.now()), n),
            ).rowcount
        return bool(changed)

    # -- reactions -----------------------------------------------------------------------------
    def _outcomes(
        self, channel: str
    ) -> tuple[_ChannelInfo, list[SandboxPost], dict[str, tuple[float, Outcome]]]:
        info = self._channel(channel)
        posts = self.posts(channel, include_deleted=True)
        signature = (len(posts), max((self._number(p.post_id) for p in posts), default=0))
        with self._lock:
            cache = self._caches.setdefault(channel, _Cache())
            if cache.signature != signature:
                outcomes: dict[str, tuple[float, Outcome]] = {}
                done: list[tuple[SandboxPost, Outcome]] = []
                for post in posts:
                    followers = self._followers(info, done, post.published_at)
                    outcome = self.model.outcome(
                        seed=self.seed,
                        post_key=post.post_id,
                        channel=info.key,
                        followers=followers,
                        local_time=post.published_at.astimezone(info.zone),
                        format=post.format,
                        pillar=post.pillar,
                        has_link=post.has_link,
                        media_count=post.media_count,
                        activity=info.activity,
                        audience_share=info.audience_share,
                    )
                    outcomes[post.post_id] = (followers, outcome)
                    done.append((post, outcome))
                cache.signature, cache.outcomes = signature, outcomes
            return info, posts, cache.outcomes

    def _followers(
        self, info: _ChannelInfo, done: list[tuple[SandboxPost, Outcome]], at: datetime
    ) -> float:
        days = max((at - info.created_at).total_seconds() / 86400.0, 0.0)
        base = info.followers0 * math.pow(1.0 + self.model.daily_growth, days)
        gained = 0.0
        for post, outcome in done:
            end = min(at, post.deleted_at) if post.deleted_at else at
            age = (end - post.published_at).total_seconds() / 3600.0
            gained += outcome.follows * accrual(age)
        return base + gained

    def post_metrics(
        self, post_id: str | PublishedPost | SandboxPost, at: datetime | None = None
    ) -> PostMetrics:
        """A post's metrics as of ``at`` (default: the simulated now)."""
        post = self.post(post_id)
        info, _, outcomes = self._outcomes(post.channel)
        moment = at or self.now()
        followers, outcome = outcomes[post.post_id]
        end = min(moment, post.deleted_at) if post.deleted_at else moment
        share = accrual((end - post.published_at).total_seconds() / 3600.0)
        visible = len(self._comment_plan(post, outcome, moment))

        def count(value: float) -> int:
            return math.floor(value * share)

        return PostMetrics(
            platform=info.platform,
            channel=info.key,
            measured_at=moment,
            post_id=post.post_id,
            published_at=post.published_at,
            impressions=count(outcome.impressions),
            reach=count(outcome.reach),
            likes=count(outcome.likes),
            comments=visible,
            shares=count(outcome.shares),
            saves=count(outcome.saves),
            clicks=count(outcome.clicks),
            video_views=count(outcome.video_views) if outcome.video_views else None,
            followers=int(followers),
            pillar=post.pillar,
            format=post.format,
            campaign=post.campaign,
        )

    def metrics(self, channel: str | None = None, at: datetime | None = None) -> list[PostMetrics]:
        """Metrics of every live post (of one channel, or all), oldest first."""
        keys = [channel] if channel else self.channel_keys()
        moment = at or self.now()
        out = []
        for key in keys:
            for post in self.posts(key):
                if post.published_at <= moment:
                    out.append(self.post_metrics(post.post_id, moment))
        return out

    def followers(self, channel: str, at: datetime | None = None) -> int:
        info, posts, outcomes = self._outcomes(channel)
        moment = at or self.now()
        done = [(p, outcomes[p.post_id][1]) for p in posts if p.published_at <= moment]
        return int(self._followers(info, done, moment))

    def account_metrics(self, channel: str, at: datetime | None = None) -> AccountMetrics:
        """An account's followers and totals as of ``at``."""
        info, posts, outcomes = self._outcomes(channel)
        moment = at or self.now()
        live = [
            p
            for p in posts
            if p.published_at <= moment and (p.deleted_at is None or p.deleted_at > moment)
        ]
        impressions = reach = 0
        for post in live:
            share = accrual((moment - post.published_at).total_seconds() / 3600.0)
            impressions += int(outcomes[post.post_id][1].impressions * share)
            reach += int(outcomes[post.post_id][1].reach * share)
        return AccountMetrics(
            platform=info.platform,
            channel=info.key,
            measured_at=moment,
            account_id=info.handle,
            followers=self.followers(channel, moment),
            following=120,
            posts_count=len(live),
            impressions=impressions,
            reach=reach,
        )

    # -- comments ------------------------------------------------------------------------------
    def _comment_plan(
        self, post: SandboxPost, outcome: Outcome, moment: datetime
    ) -> list[tuple[float, int, str, str, str]]:
        info = self._channel(post.channel)
        total = round(outcome.comments)
        with self._lock:
            plan = self._plans.get((post.post_id, total))
            if plan is None:
                plan = comment_plan(self.seed, post.post_id, total, info.locale)
                self._plans[(post.post_id, total)] = plan
        end = min(moment, post.deleted_at) if post.deleted_at else moment
        age = (end - post.published_at).total_seconds() / 3600.0
        return [c for c in plan if c[0] <= age]

    def comments(
        self, post_id: str | PublishedPost | SandboxPost, at: datetime | None = None
    ) -> list[Comment]:
        """The comments visible on a post at ``at``, oldest first, with the brand's replies.

        Each generated comment carries ``label`` (its ground truth: genuine, question, spam or
        abusive) so that moderation can be tested."""
        post = self.post(post_id)
        info, _, outcomes = self._outcomes(post.channel)
        moment = at or self.now()
        hidden = {r["comment_id"] for r in self.store.query("SELECT comment_id FROM hidden")}
        deleted = self._deleted()
        out: list[Comment] = []
        for hours, index, kind, author, text in self._comment_plan(
            post, outcomes[post.post_id][1], moment
        ):
            comment_id = f"{post.post_id}-c{index}"
            if comment_id in deleted:
                continue
            out.append(
                Comment(
                    platform=info.platform,
                    comment_id=comment_id,
                    post_id=post.post_id,
                    author=author,
                    text=text,
                    created_at=post.published_at + timedelta(hours=hours),
                    hidden=comment_id in hidden,
                    label=kind,
                    url=f"{post.url}#c{index}",
                )
            )
        for row in self.store.query(
            "SELECT * FROM replies WHERE post_id = ? ORDER BY n", (post.post_id,)
        ):
            created = _parse(row["created_at"])
            if created <= moment and f"{post.post_id}-r{row['n']}" not in deleted:
                out.append(
                    Comment(
                        platform=info.platform,
                        comment_id=f"{post.post_id}-r{row['n']}",
                        post_id=post.post_id,
                        author=info.handle,
                        text=row["text"],
                        created_at=created,
                        in_reply_to=row["comment_id"],
                        label="brand",
                    )
                )
        out.sort(key=lambda c: c.created_at)
        return out

    def hide_comment(self, comment_id: str) -> None:
        """Hide a comment (idempotent; every request is counted, see :meth:`hide_requests`)."""
        with self.store.write() as cur:
            cur.execute(
                "INSERT OR IGNORE INTO hidden(comment_id, at) VALUES (?, ?)",
                (comment_id, _iso(self.now())),
            )
            cur.execute(
                "INSERT INTO hide_log(comment_id, at) VALUES (?, ?)",
                (comment_id, _iso(self.now())),
            )

    def hide_requests(self) -> dict[str, int]:
        """How many times each comment was asked to be hidden (to test that moderation hides
        each comment once, however often it is re-run or killed)."""
        rows = self.store.query(
            "SELECT comment_id, COUNT(*) AS n FROM hide_log GROUP BY comment_id"
        )
        return {str(r["comment_id"]): int(r["n"]) for r in rows}

    def _deleted(self) -> set[str]:
        return {
            str(r["comment_id"])
            for r in self.store.query("SELECT comment_id FROM deleted_comments")
        }

    def delete_comment(self, comment_id: str) -> bool:
        """Delete a comment (or a brand reply) from its post: it leaves :meth:`comments` and
        the inbox. Idempotent: deleting a comment already deleted does nothing more (a retry
        after a lost answer is safe). Every request is counted (:meth:`delete_requests`).
        Returns False, counting nothing, when no such comment was ever on the post."""
        match = re.fullmatch(r"(sbx-\d+)-[cr]\d+", comment_id)
        if not match:
            return False
        if not self.store.query(
            "SELECT 1 FROM deleted_comments WHERE comment_id = ?", (comment_id,)
        ):
            try:
                present = any(c.comment_id == comment_id for c in self.comments(match.group(1)))
            except ValidationError:
                present = False
            if not present:
                return False
        with self.store.write() as cur:
            cur.execute(
                "INSERT OR IGNORE INTO deleted_comments(comment_id, at) VALUES (?, ?)",
                (comment_id, _iso(self.now())),
            )
            cur.execute(
                "INSERT INTO delete_log(comment_id, at) VALUES (?, ?)",
                (comment_id, _iso(self.now())),
            )
        return True

    def deleted_comments(self) -> set[str]:
        """The ids of the comments deleted so far (ground truth for tests)."""
        return self._deleted()

    def delete_requests(self) -> dict[str, int]:
        """How many times each comment was asked to be deleted (to test that moderation
        deletes each comment once, however often it is re-run or killed)."""
        rows = self.store.query(
            "SELECT comment_id, COUNT(*) AS n FROM delete_log GROUP BY comment_id"
        )
        return {str(r["comment_id"]): int(r["n"]) for r in rows}

    def reply_counts(self) -> dict[str, int]:
        """How many brand replies each comment received."""
        rows = self.store.query("SELECT comment_id, COUNT(*) AS n FROM replies GROUP BY comment_id")
        return {str(r["comment_id"]): int(r["n"]) for r in rows}

    def reply(self, comment_id: str, text: str, *, private: bool = False) -> Comment:
        """Reply as the brand to a comment, a mention or a direct message. A direct message
        is answered only privately (``private=True``); a public reply to one is refused, as
        the real networks keep a private conversation private."""
        match = re.fullmatch(r"(sbx-\d+)-[cr]\d+", comment_id)
        direct = _DIRECT.fullmatch(comment_id)
        mention = _MENTION.fullmatch(comment_id) or direct
        if not match and not mention:
            raise ValidationError("comment_id", comment_id, "no such comment in the sandbox")
        if not text.strip():
            raise ValidationError("text", text, "a reply needs text")
        if direct and not private:
            raise ValidationError(
                "private",
                private,
                "a direct message is answered privately, never with a public reply",
                hint="reply with private=True (clients do it for a Comment marked private).",
            )
        if mention:
            info = self._channel(mention.group(2))
            root, now = comment_id, self.now()
        else:
            post = self.post(match.group(1))  # type: ignore[union-attr]
            info = self._channel(post.channel)
            root, now = post.post_id, max(self.now(), post.published_at)
        with self.store.write() as cur:
            cur.execute(
                "INSERT INTO replies(comment_id, post_id, text, created_at) VALUES (?, ?, ?, ?)",
                (comment_id, root, text, _iso(now)),
            )
            n = cur.lastrowid
        return Comment(
            platform=info.platform,
            comment_id=f"{root}-r{n}",
            post_id=None if mention else root,
            author=info.handle,
            text=text,
            created_at=now,
            in_reply_to=comment_id,
            label="brand",
            kind=MessageKind.DIRECT if direct else None,
            private=bool(direct),
        )

    # -- the inbox ---------------------------------------------------------------------------
    @property
    def mentions_per_day(self) -> float:
        """How many posts elsewhere mention each channel per day, on average (0: none)."""
        return float(self.store.get_meta("mentions_per_day") or 0.0)

    @property
    def directs_per_day(self) -> float:
        """How many direct messages each channel receives per day, on average (0: none)."""
        return float(self.store.get_meta("directs_per_day") or 0.0)

    def _inbox_rows(self, channel: str, moment: datetime) -> list[tuple[Any, ...]]:
        """Every message of the channel's inbox visible at ``moment`` as light tuples
        ``(created_at, message_id, kind, thread_id, post_id, in_reply_to, author, text, label,
        url, from_brand)``, sorted by time then id."""
        info, posts, outcomes = self._outcomes(channel)
        rows: list[tuple[Any, ...]] = []
        roots: set[str] = set()
        for post in posts:
            if post.published_at > moment:
                continue
            roots.add(post.post_id)
            for hours, index, kind, author, text in self._comment_plan(
                post, outcomes[post.post_id][1], moment
            ):
                rows.append(
                    (
                        post.published_at + timedelta(hours=hours),
                        f"{post.post_id}-c{index}",
                        MessageKind.COMMENT,
                        post.post_id,
                        post.post_id,
                        None,
                        author,
                        text,
                        kind,
                        f"{post.url}#c{index}",
                        False,
                    )
                )
        age = (moment - info.created_at).total_seconds() / 3600.0
        for hours, index, kind, author, text in self._mention_plan(info, age):
            mention_id = f"sbx-m{index}-{info.key}"
            roots.add(mention_id)
            rows.append(
                (
                    info.created_at + timedelta(hours=hours),
                    mention_id,
                    MessageKind.MENTION,
                    mention_id,
                    None,
                    None,
                    author,
                    f"@{info.handle} {text}",
                    kind,
                    f"{BASE_URL}/elsewhere/{mention_id}",
                    False,
                )
            )
        for hours, index, kind, author, text in self._mention_plan(info, age, "direct"):
            direct_id = f"sbx-d{index}-{info.key}"
            roots.add(direct_id)
            rows.append(
                (
                    info.created_at + timedelta(hours=hours),
                    direct_id,
                    MessageKind.DIRECT,
                    direct_id,
                    None,
                    None,
                    author,
                    text,
                    kind,
                    None,
                    False,
                )
            )
        for row in self.store.query("SELECT * FROM replies ORDER BY n"):
            if row["post_id"] not in roots:
                continue
            created = _parse(row["created_at"])
            if created > moment:
                continue
            is_mention = row["post_id"].startswith(("sbx-m", "sbx-d"))
            rows.append(
                (
                    created,
                    f"{row['post_id']}-r{row['n']}",
                    MessageKind.DIRECT if row["post_id"].startswith("sbx-d") else MessageKind.REPLY,
                    row["post_id"],
                    None if is_mention else row["post_id"],
                    row["comment_id"],
                    info.handle,
                    row["text"],
                    "brand",
                    None,
                    True,
                )
            )
        rows.sort(key=lambda r: (r[0], r[1]))
        return rows

    def _mention_plan(
        self, info: _ChannelInfo, hours: float, stream: str = "mention"
    ) -> list[tuple[float, int, str, str, str]]:
        """:func:`mention_plan` up to ``hours`` (``stream="direct"``: the direct messages),
        from a cache grown in steps of a week (the plan's prefix never changes, so a longer
        plan answers a shorter question)."""
        per_day = self.directs_per_day if stream == "direct" else self.mentions_per_day
        if per_day <= 0 or hours <= 0:
            return []
        key = (info.key, per_day, stream)
        with self._lock:
            covered, plan = self._mentions.get(key, (0.0, []))
            if hours > covered:
                covered = hours + 24.0 * 7
                plan = mention_plan(self.seed, info.key, per_day, covered, info.locale, stream)
                self._mentions[key] = (covered, plan)
        return plan[: bisect.bisect_right(plan, hours, key=lambda m: m[0])]

    def _inbox_message(
        self, info: _ChannelInfo, row: tuple[Any, ...], hidden: set[str]
    ) -> InboxMessage:
        created, message_id, kind, thread, post, parent, author, text, label, url, own = row
        if own:
            born, followers = info.created_at, self.followers(info.key, created)
        else:
            days, followers = author_profile(self.seed, author)
            born = created - timedelta(days=days)
        return InboxMessage(
            channel=info.key,
            platform=info.platform,
            message_id=message_id,
            kind=kind,
            thread_id=thread,
            post_id=post,
            in_reply_to=parent,
            author=author,
            author_id=author,
            author_created_at=born,
            author_followers=int(followers),
            text=text,
            created_at=created,
            url=url,
            from_brand=own,
            hidden=message_id in hidden,
            raw={"label": label},
        )

    def inbox(
        self,
        channel: str,
        *,
        since: str | None = None,
        limit: int | None = None,
        at: datetime | None = None,
    ) -> tuple[list[InboxMessage], str | None, bool]:
        """The channel's inbox: comments on its posts, posts elsewhere that mention it
        (``mentions_per_day``), direct messages (``directs_per_day``: private, answered only
        privately) and the brand's replies, oldest first, as ``(messages, cursor,
        more)``. ``since`` is the cursor of an earlier call: only messages after it are given.
        At most ``limit`` messages (``more`` tells whether others wait). ``cursor`` is the token
        for the next call (``since`` again when nothing is new). Each message's ``raw["label"]``
        is its ground truth (genuine, question, spam, abusive; ``brand`` for the brand's own)."""
        info = self._channel(channel)
        moment = at or self.now()
        after: tuple[datetime, str] | None = None
        if since:
            when, _, last = since.partition("|")
            try:
                after = (datetime.fromisoformat(when), last)
            except ValueError:
                raise ValidationError(
                    "since", since[:80], "is not an inbox cursor of this sandbox"
                ) from None
            if after[0].tzinfo is None:
                raise ValidationError("since", since[:80], "is not an inbox cursor of this sandbox")
        if limit is not None and limit < 1:
            raise ValidationError("limit", limit, "must be >= 1")
        rows = self._inbox_rows(channel, moment)
        if after is not None:
            start = bisect.bisect_right(rows, after, key=lambda r: (r[0], r[1]))
            rows = rows[start:]
        more = limit is not None and len(rows) > limit
        page = rows[:limit] if limit is not None else rows
        hidden = {r["comment_id"] for r in self.store.query("SELECT comment_id FROM hidden")}
        deleted = self._deleted()
        messages = [self._inbox_message(info, row, hidden) for row in page if row[1] not in deleted]
        cursor = f"{_iso(page[-1][0])}|{page[-1][1]}" if page else since
        return messages, cursor, more

    # -- the HTTP face -------------------------------------------------------------------------
    def transport(self) -> httpx.MockTransport:
        """An httpx transport serving the sandbox's HTTP API (for ``httpx.Client`` and
        ``httpx.AsyncClient`` alike)."""
        from ._http import handle

        return httpx.MockTransport(lambda request: handle(self, request))

    def client(self, channel: str, *, asynchronous: bool = False, **options: Any) -> Any:
        """A :class:`SandboxClient` (or :class:`AsyncSandboxClient`) for one of its channels."""
        from ._client import AsyncSandboxClient, SandboxClient

        self._channel(channel)
        cls = AsyncSandboxClient if asynchronous else SandboxClient
        return cls(self, channel, **options)

    # -- rate limits and faults (used by the HTTP face) ------------------------------------------
    def take_budget(self, channel: str) -> tuple[bool, int, float]:
        """Count one request against the channel's window: (allowed, remaining, reset epoch)."""
        now = self._wall()
        window = int(now // self.rate_limit.window)
        reset = (window + 1) * self.rate_limit.window
        with self.store.write() as cur:
            row = cur.execute(
                "SELECT count FROM ratelimit WHERE channel = ? AND window = ?", (channel, window)
            ).fetchone()
            used = int(row[0]) if row else 0
            if used >= self.rate_limit.limit:
                return False, 0, reset
            cur.execute(
                "INSERT OR REPLACE INTO ratelimit(channel, window, count) VALUES (?, ?, ?)",
                (channel, window, used + 1),
            )
            cur.execute(
                "DELETE FROM ratelimit WHERE channel = ? AND window < ?", (channel, window - 1)
            )
        return True, self.rate_limit.limit - used - 1, reset

    def inject(self, *kinds: str) -> None:
        """Queue faults for the next HTTP attempts, in order (then ``faults`` applies again):
        ``network.inject("lost_after_success")`` makes the next request succeed on the server
        and lose its answer."""
        unknown = sorted(set(kinds) - set(FAULT_KINDS))
        if unknown:
            raise ValidationError("kinds", unknown, f"must be among {', '.join(FAULT_KINDS)}")
        with self._lock:
            self._queued.extend(kinds)

    def wall(self) -> float:
        """The wall-clock time rate-limit windows are measured in (epoch seconds)."""
        return self._wall()

    def draw_fault(self) -> str | None:
        with self._lock:
            if self._queued:
                kind = self._queued.pop(0)
                self.fault_counts[kind] += 1
                return kind
            if self.faults.rate and self._fault_rng.random() < self.faults.rate:
                kind = self._fault_rng.choice(self.faults.kinds)
                self.fault_counts[kind] += 1
                return kind
        return None


def sandbox_channel(key: str, platform: str = "instagram", **fields: Any) -> Channel:
    """A quick :class:`~smmkit.models.Channel` for the sandbox (tests, examples)."""
    values: dict[str, Any] = {
        "key": key,
        "platform": platform,
        "handle": key,
        "timezone": "Europe/Rome",
        "cadence": {"posts_per_week": 5},
    }
    values.update(fields)
    return Channel.model_validate(values)


__all__ += ["sandbox_channel"]
