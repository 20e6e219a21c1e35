"""Collect a channel's audit data from a platform client (the brand's own channels, or any
client that can read an account), or from CSV files."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError as PydanticValidationError

from smmkit._sinks import single_line
from smmkit.errors import PlatformError, ValidationError
from smmkit.models import AccountMetrics, Platform, PostMetrics

from ._presence import ChannelData

if TYPE_CHECKING:
    from smmkit.influencers import Creator

__all__ = [
    "AuditImportError",
    "channel_data_from_profile",
    "collect_channel",
    "read_audit_csv",
]


class _MetricsClient(Protocol):
    """What :func:`collect_channel` needs of a client (every smmkit platform client has it)."""

    def get_post_metrics(self, post: Any, *, timeout: float | None = None) -> PostMetrics: ...

    def get_account_metrics(self, *, timeout: float | None = None) -> AccountMetrics: ...

    def list_comments(self, post: Any, *, limit: int | None = None) -> Iterable[Any]: ...


def collect_channel(
    client: _MetricsClient,
    posts: Sequence[Any],
    *,
    owner: str,
    platform: Platform | str,
    handle: str | None = None,
    followers_start: int | None = None,
    mentions: int | None = None,
    replies_from: str | None = None,
    source: str = "client",
) -> ChannelData:
    """Read one account through ``client``: followers now (``get_account_metrics``), each of
    ``posts`` (post ids or published posts) with its metrics, and, when ``replies_from`` (the
    account's handle) is given, the delay before each of its replies to a comment.

    ``followers_start`` (from an earlier snapshot) gives growth. A platform error while reading
    leaves the part it concerns unreadable, with the error in ``note``; nothing is guessed.
    """
    notes: list[str] = []
    followers: int | None = None
    try:
        followers = client.get_account_metrics().followers
    except PlatformError as error:
        notes.append(f"account not readable: {error.message}")
    metrics: list[PostMetrics] = []
    readable = True
    for post in posts:
        try:
            metrics.append(client.get_post_metrics(post))
        except PlatformError as error:
            readable = False
            notes.append(f"posts not readable: {error.message}")
            break
    delays: list[float] | None = None
    if replies_from is not None and readable:
        delays = []
        me = replies_from.lstrip("@").casefold()
        try:
            for post in posts:
                comments = list(client.list_comments(post))
                by_id = {c.comment_id: c for c in comments}
                for c in comments:
                    parent = by_id.get(c.in_reply_to) if c.in_reply_to else None
                    if (
                        parent is not None
                        and str(c.author).lstrip("@").casefold() == me
                        and str(parent.author).lstrip("@").casefold() != me
                    ):
                        delays.append((c.created_at - parent.created_at).total_seconds())
        except PlatformError as error:
            delays = None
            notes.append(f"comments not readable: {error.message}")
    return ChannelData(
        owner=owner,
        platform=Platform(platform),
        handle=handle,
        source=source if (followers is not None or (readable and metrics)) else "none",
        followers_start=followers_start,
        followers_end=followers,
        posts=tuple(metrics),
        posts_readable=readable,
        mentions=mentions,
        response_times_s=None if delays is None else tuple(max(d, 0.0) for d in delays),
        note="; ".join(notes),
    )


class AuditImportError(ValidationError):
    """An audit CSV was refused; ``problems`` lists each problem as ``row N, column C: rule``."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        more = f"; and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
        super().__init__(
            source,
            None,
            self.problems[0] + more,
            hint="fix the cells named (all problems are in .problems) and import again",
        )


_ACCOUNT_COLUMNS = ("owner", "platform", "handle", "followers_start", "followers_end", "mentions")
_POST_COLUMNS = (
    "owner",
    "platform",
    "post_id",
    "published_at",
    "format",
    "pillar",
    "likes",
    "comments",
    "shares",
    "saves",
    "reach",
    "impressions",
    "followers",
)
_MAX_BYTES = 20_000_000


def _rows(text: str, source: str, required: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    text = text.removeprefix("\ufeff")
    if len(text) > _MAX_BYTES:
        raise ValidationError(source, f"{len(text)} characters", f"is over {_MAX_BYTES}")
    if "\x00" in text:
        raise ValidationError(source, "NUL", "holds a NUL byte: it is not a text CSV file")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ValidationError(source, first[:60], f"cannot be read as CSV ({exc})") from None
    if not rows:
        raise ValidationError(source, "", "is empty; it needs a header row")
    header = ["_".join(single_line(h).strip().lower().split()) for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise AuditImportError(
            source, [f"row 1, column {c!r}: the required column is missing" for c in missing]
        )
    return header, rows[1:]


def read_audit_csv(
    accounts: str,
    posts: str = "",
    *,
    measured_at: datetime,
    source: str = "audit.csv",
) -> list[ChannelData]:
    """Channel data from CSV text: ``accounts`` has one row per owner and platform
    (``owner, platform, handle, followers_start, followers_end, mentions``; empty cells are
    unknown); ``posts`` (optional) one row per post (``owner, platform, post_id,
    published_at`` (ISO 8601 with an offset), ``format, pillar, likes, comments, shares, saves,
    reach, impressions, followers``), read at ``measured_at``. Without a ``posts`` file the
    accounts' posts are unreadable (not "no posts"). Every bad cell is reported by row and
    column.
    """
    if measured_at.tzinfo is None:
        raise ValidationError("measured_at", measured_at.isoformat(), "must be timezone-aware")
    problems: list[str] = []
    header, rows = _rows(accounts, source, ("owner", "platform"))
    col = {name: i for i, name in enumerate(header)}

    def get(row: list[str], name: str) -> str:
        i = col.get(name)
        return single_line(row[i]).strip() if i is not None and i < len(row) else ""

    def count(row: list[str], name: str, n: int) -> int | None:
        raw = get(row, name).replace(".", "").replace(",", "").replace(" ", "")
        if not raw:
            return None
        if not raw.isdigit():
            problems.append(f"row {n}, column {name!r}: must be a whole number (got {raw[:30]!r})")
            return None
        return int(raw)

    found: dict[tuple[str, Platform], dict[str, Any]] = {}
    for n, row in enumerate(rows, start=2):
        if not any(c.strip() for c in row):
            continue
        owner = get(row, "owner")
        try:
            platform = Platform(get(row, "platform"))
        except ValueError:
            problems.append(
                f"row {n}, column 'platform': not a platform ({get(row, 'platform')!r})"
            )
            continue
        if not owner:
            problems.append(f"row {n}, column 'owner': is required")
            continue
        if (owner, platform) in found:
            problems.append(f"row {n}: {owner}/{platform.value} appears twice")
            continue
        found[(owner, platform)] = {
            "owner": owner,
            "platform": platform,
            "handle": get(row, "handle") or None,
            "followers_start": count(row, "followers_start", n),
            "followers_end": count(row, "followers_end", n),
            "mentions": count(row, "mentions", n),
            "posts": [],
            "posts_readable": bool(posts),
            "source": "csv",
        }
    if posts:
        pheader, prows = _rows(posts, f"{source} (posts)", ("owner", "platform", "post_id"))
        col = {name: i for i, name in enumerate(pheader)}
        for n, row in enumerate(prows, start=2):
            if not any(c.strip() for c in row):
                continue
            owner = get(row, "owner")
            try:
                platform = Platform(get(row, "platform"))
            except ValueError:
                problems.append(
                    f"posts row {n}, column 'platform': not a platform ({get(row, 'platform')!r})"
                )
                continue
            account = found.get((owner, platform))
            if account is None:
                problems.append(
                    f"posts row {n}: {owner}/{platform.value} has no row in the accounts file"
                )
                continue
            published: datetime | None = None
            if raw := get(row, "published_at"):
                try:
                    published = datetime.fromisoformat(raw)
                except ValueError:
                    published = None
                if published is None or published.tzinfo is None:
                    problems.append(
                        f"posts row {n}, column 'published_at': needs an ISO 8601 time with an "
                        f"offset such as 2026-11-03T08:30:00+01:00 (got {raw[:40]!r})"
                    )
                    continue
            counts: dict[str, Any] = {
                name: count(row, name, n)
                for name in (
                    "likes",
                    "comments",
                    "shares",
                    "saves",
                    "reach",
                    "impressions",
                    "followers",
                )
            }
            try:
                account["posts"].append(
                    PostMetrics(
                        platform=platform,
                        measured_at=measured_at,
                        post_id=get(row, "post_id"),
                        published_at=published,
                        format=get(row, "format") or None,
                        pillar=get(row, "pillar") or None,
                        **counts,
                    )
                )
            except PydanticValidationError as exc:
                err = exc.errors()[0]
                where = str(err["loc"][0]) if err["loc"] else "row"
                problems.append(f"posts row {n}, column {where!r}: {err['msg']}")
    if problems:
        raise AuditImportError(source, problems)
    out = []
    for values in found.values():
        values["posts"] = tuple(values["posts"])
        out.append(ChannelData.model_validate(values))
    return out


def channel_data_from_profile(
    creator: Creator,
    *,
    owner: str,
    measured_at: datetime,
    followers_start: int | None = None,
    mentions: int | None = None,
) -> ChannelData:
    """A competitor's channel from a public profile read with
    :func:`smmkit.influencers.creator_from_instagram` (``business_discovery``),
    :func:`~smmkit.influencers.creator_from_bluesky` or
    :func:`~smmkit.influencers.creator_from_mastodon`: followers and the recent posts with their
    public counts (likes and comments; the networks do not show a competitor's reach, saves or
    shares). ``source`` is ``public``."""
    if measured_at.tzinfo is None:
        raise ValidationError("measured_at", measured_at.isoformat(), "must be timezone-aware")
    posts = tuple(
        PostMetrics(
            platform=creator.platform,
            measured_at=measured_at,
            post_id=p.post_id or f"{creator.handle}-{n}",
            published_at=p.published_at,
            likes=p.likes,
            comments=p.comments,
            views=p.views,
            format=p.format,
        )
        for n, p in enumerate(creator.posts)
    )
    return ChannelData(
        owner=owner,
        platform=creator.platform,
        handle=creator.handle,
        source="public",
        followers_start=followers_start,
        followers_end=creator.followers,
        posts=posts,
        mentions=mentions,
    )
