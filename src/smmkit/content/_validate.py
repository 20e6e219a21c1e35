"""Validation of a post against a platform's rules: content problems become violations."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from datetime import UTC, date, datetime
from itertools import accumulate, islice

from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import MediaAsset, MediaKind, Platform, ValueModel, Variant

from . import _textapi as tx
from .rules import Counting, PlatformRules, TextLimit, rules_for

__all__ = ["Violation", "measure", "validate", "within"]

Number = int | float


class Violation(ValueModel):
    """One broken rule: which rule, where, the measured value and the limit.

    ``span`` is a code-point range ``(start, end)`` of ``field`` when the problem has a place in
    the text (the part past the limit, the forbidden character), else ``None``.
    """

    rule: str = Field(min_length=1, description="Dotted rule name, e.g. 'text.limit'.")
    field: str = Field(default="text", description="'text', 'title', 'thread[1]', 'media[0]'...")
    measured: Number | str | None = None
    limit: Number | str | None = None
    span: tuple[int, int] | None = None
    message: str
    severity: str = Field(default="error", pattern=r"^(error|warning)$")


_MASTODON_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_MASTODON_REMOTE = re.compile(r"(?<![\w@])(@[\w.]+)@[\w.-]+\w", re.UNICODE)
_URL_TRAIL = ".,;:!?'\")]}»…"


def _mastodon_countable(text: str, url_length: int) -> str:
    if "://" in text:

        def url(m: re.Match[str]) -> str:
            value = m.group(0)
            stripped = value.rstrip(_URL_TRAIL)
            return "x" * url_length + value[len(stripped) :]

        text = _MASTODON_URL.sub(url, text)
    if "@" in text:
        text = _MASTODON_REMOTE.sub(lambda m: m.group(1), text)
    return text


_MEASURES: dict[Counting, Callable[[str], int]] = {
    Counting.X_WEIGHTED: tx.x_weighted_length,
    Counting.GRAPHEMES: tx.grapheme_count,
    Counting.CODE_POINTS: len,
    # A lone surrogate (hostile text; a model refuses it) counts one UTF-16 unit, 3 UTF-8 bytes.
    Counting.UTF16: tx.utf16_length,
    Counting.UTF8_BYTES: tx.utf8_length,
    Counting.EMOJI_BYTES: tx.emoji_bytes_length,
}


def within(text: str, limit: TextLimit) -> bool:
    """Whether ``text`` fits ``limit`` (cheap bounds first, the exact count only when needed)."""
    counting = limit.counting
    if counting is Counting.X_WEIGHTED:
        if tx.x_upper_bound(text) <= limit.limit:
            return True
        if tx.x_lower_bound(text) > limit.limit:
            return False
        fast = tx.x_fast_exact(text)
        if fast is not None:
            return fast <= limit.limit
        return tx.x_weight(text) <= limit.limit
    # No other counting gives more than 4 per code point.
    if counting is not Counting.MASTODON and len(text) * 4 <= limit.limit:
        return True
    return measure(text, limit) <= limit.limit


def measure(text: str, limit: TextLimit) -> int:
    """The length of ``text`` as the limit's network counts it."""
    if limit.counting is Counting.MASTODON:
        return tx.grapheme_count(_mastodon_countable(text, limit.url_length or 23))
    return _MEASURES[limit.counting](text)


def _grapheme_bounds(text: str, limit: TextLimit) -> list[int]:
    """Grapheme boundaries of ``text``, as far as the overflow can be (for the span).

    Code points, UTF-16 units, UTF-8 bytes and emoji bytes count at least 1 per code point, so
    for them the overflow starts at or before code point ``limit``: segmenting a little beyond
    it is enough: the boundaries before the prefix's last cluster are the text's. (Graphemes
    and Mastodon's count use :func:`_grapheme_offset` instead.)
    """
    stop = limit.limit + 64
    if stop >= len(text):
        return [0, *accumulate(map(len, tx.graphemes(text)))]
    bounds = [0, *accumulate(map(len, tx.graphemes(text[:stop])))]
    return bounds[:-1]  # the last cluster of the prefix may continue in the text


def _grapheme_offset(text: str, count: int) -> int:
    """Where the first ``count`` grapheme clusters of ``text`` end (all of it if it has fewer).

    A boundary inside a prefix is a boundary of the whole text (only the prefix's last cluster
    may go on past it), so prefixes twice as long each time are segmented until one holds more
    than ``count`` clusters: linear time, without a list of every cluster of a long text.
    """
    if count <= 0:
        return 0
    if text.isascii() and "\r\n" not in text:
        return min(count, len(text))
    size = count + 64
    while size < len(text):
        clusters = tx.graphemes(text[:size])
        if len(clusters) > count:
            return sum(map(len, clusters[:count]))
        size *= 2
    return sum(map(len, islice(tx.graphemes(text), count)))


def _mastodon_overflow(text: str, limit: TextLimit) -> int:
    """Where a Mastodon status stops fitting: graphemes, each URL ``url_length``, remote
    mentions without their domain; walked piece by piece."""
    url_length = limit.url_length if limit.url_length is not None else 23
    spans: list[tuple[int, int, int]] = []  # (start, end, what the span counts)
    for m in _MASTODON_URL.finditer(text):
        stripped = m.group(0).rstrip(_URL_TRAIL)
        spans.append((m.start(), m.start() + len(stripped), url_length))
    for m in _MASTODON_REMOTE.finditer(text):
        spans.append((m.end(1), m.end(), 0))
    spans.sort()
    remaining = limit.limit
    pos = 0
    for start, end, weight in [*spans, (len(text), len(text), 0)]:
        if start < pos:
            continue  # overlapping spans: the first one wins
        segment = text[pos:start]
        count = tx.grapheme_count(segment)
        if count > remaining:
            return pos + _grapheme_offset(segment, remaining)
        remaining -= count
        if weight > remaining:
            return start
        remaining -= weight
        pos = end
    return len(text)


def _overflow_start(text: str, limit: TextLimit) -> int:
    """The first code-point index from which ``text`` no longer fits (on a grapheme boundary).

    Direct for additive counts; otherwise a binary search over grapheme boundaries.
    """
    if limit.counting is Counting.MASTODON:
        return _mastodon_overflow(text, limit)
    if limit.counting is Counting.GRAPHEMES:
        return _grapheme_offset(text, limit.limit)
    bounds = _grapheme_bounds(text, limit)
    if limit.counting is Counting.CODE_POINTS:
        return bounds[bisect_right(bounds, limit.limit) - 1]
    if limit.counting is Counting.EMOJI_BYTES:
        extra = 0
        for start, end, more in tx.emoji_sequences(text):
            if start + extra > limit.limit:
                break
            if end + extra + more > limit.limit:
                return start
            extra += more
        return bounds[bisect_right(bounds, max(limit.limit - extra, 0)) - 1]
    lo, hi = 0, len(bounds) - 1  # bounds[lo] fits; find the largest fitting prefix
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[: bounds[mid]], limit) <= limit.limit:
            lo = mid
        else:
            hi = mid - 1
    return bounds[lo]


def _check_length(text: str, limit: TextLimit | None, field: str, rule: str) -> list[Violation]:
    if limit is None:
        return []
    if within(text, limit):
        return []
    if limit.counting is Counting.X_WEIGHTED:
        measured, start = tx.x_parse(text, limit.limit)
        start = min(start, len(text))
    else:
        measured = measure(text, limit)
        start = _overflow_start(text, limit)
    return [
        Violation(
            rule=rule,
            field=field,
            measured=measured,
            limit=limit.limit,
            span=(start, len(text)),
            message=(
                f"{field} is {measured} long counted as {limit.counting.value}; the limit is "
                f"{limit.limit} (over by {measured - limit.limit})"
            ),
        )
    ]


_LI_TEMPLATE = re.compile(r"\{hashtag\|\\#\|[^{}|\\]+\}|@\[[^\]\\]*\]\(urn:li:[a-zA-Z]+:[^)\\]+\)")


_LI_HASHTAG = re.compile(r"\{hashtag\|\\#\|[^{}|\\]+\}")
_LI_MENTION_TAIL = re.compile(r"\(urn:li:[a-zA-Z]+:")
_CLOSING = re.compile(r"[\]\\]")  # what ends "[^\]\\]*" in a mention template
_URN_END = re.compile(r"[)\\]")  # what ends "[^)\\]+" in its URN


class _Templates:
    """LinkedIn's hashtag and mention templates (``_LI_TEMPLATE``) matched at given positions.

    The mention template ``@[name](urn:li:...)`` reads ahead to the next "]" and to the next
    ")": matched from every "@[" of a text full of them, the regex rescans the same stretch
    each time. Here the next "]" and ")" are found once and remembered (positions only grow).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.closing = -1  # the last "]" or "\\" found, and where the search for it started
        self.closing_from = 0
        self.urn_end = -1
        self.urn_from = 0

    def _next(self, pattern: re.Pattern[str], start: int, cached: int, searched_from: int) -> int:
        # Positions asked only grow: nothing lies between the last search's start and its answer.
        if searched_from <= start <= cached:
            return cached
        found = pattern.search(self.text, start)
        return found.start() if found is not None else len(self.text)

    def match_end(self, i: int) -> int | None:
        """Where a template starting at ``i`` ends, or None."""
        text = self.text
        if text[i] == "{":
            m = _LI_HASHTAG.match(text, i)
            return m.end() if m else None
        if not text.startswith("@[", i):
            return None
        self.closing = self._next(_CLOSING, i + 2, self.closing, self.closing_from)
        self.closing_from = i + 2
        close = self.closing
        if close >= len(text) or text[close] != "]":
            return None
        tail = _LI_MENTION_TAIL.match(text, close + 1)
        if tail is None:
            return None
        urn_start = tail.end()
        self.urn_end = self._next(_URN_END, urn_start, self.urn_end, self.urn_from)
        self.urn_from = urn_start
        end = self.urn_end
        if end == urn_start or end >= len(text) or text[end] != ")":
            return None
        return end + 1


def _unescaped(text: str, reserved: str) -> list[int]:
    found: list[int] = []
    if not any(c in text for c in reserved):
        return found
    templates = _Templates(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in reserved:
            i += 2
            continue
        if c in "{@":
            end = templates.match_end(i)
            if end is not None:
                i = end
                continue
        if c in reserved:
            found.append(i)
        i += 1
    return found


def _text_checks(text: str, rules: PlatformRules, field: str, on: date) -> list[Violation]:
    out = _check_length(text, rules.text, field, "text.limit")
    out += _check_length(text, rules.text_bytes, field, "text_bytes.limit")
    if rules.forbidden is not None and "text" in rules.forbidden.fields:
        out += _forbidden(text, rules, field)
    if rules.escape is not None and rules.escape.reserved:
        positions = _unescaped(text, rules.escape.reserved)
        if positions:
            chars = "".join(sorted({text[p] for p in positions}))
            out.append(
                Violation(
                    rule="escape.reserved",
                    field=field,
                    measured=len(positions),
                    limit=0,
                    span=(positions[0], positions[0] + 1),
                    message=(
                        f"{len(positions)} reserved character(s) {chars!r} are not escaped; "
                        f"{rules.platform.value} needs a backslash before each"
                    ),
                )
            )
    out += _entity_caps(text, rules, field, on)
    return out


def _forbidden(text: str, rules: PlatformRules, field: str) -> list[Violation]:
    assert rules.forbidden is not None
    bad = [i for i, c in enumerate(text) if c in rules.forbidden.characters]
    if not bad:
        return []
    return [
        Violation(
            rule="forbidden.characters",
            field=field,
            measured=len(bad),
            limit=0,
            span=(bad[0], bad[0] + 1),
            message=(
                f"{field} contains {len(bad)} character(s) that {rules.platform.value} refuses "
                f"({rules.forbidden.characters!r})"
            ),
        )
    ]


def _entity_caps(text: str, rules: PlatformRules, field: str, on: date) -> list[Violation]:
    hashtag_cap = rules.hashtags.cap_at(on)
    mention_cap = rules.mentions.cap
    link_cap = rules.links.cap
    # Cheap upper bounds first: each hashtag needs a "#", each mention an "@", each URL a dot.
    bounds = {
        "hashtag": text.count("#") + text.count("＃") if hashtag_cap is not None else 0,
        "mention": text.count("@") + text.count("＠") if mention_cap is not None else 0,
        "url": tx.url_hint_count(text) if link_cap is not None else 0,
    }
    out: list[Violation] = []
    for kind, cap, rule in (
        ("hashtag", hashtag_cap, "hashtags.cap"),
        ("mention", mention_cap, "mentions.cap"),
        ("url", link_cap, "links.cap"),
    ):
        if cap is None or bounds[kind] <= cap:
            continue
        found = tx.hashtags(text) if kind == "hashtag" else tx.entities(text)
        spans = [e for e in found if e.kind == kind]
        if len(spans) > cap:
            first = spans[cap]
            out.append(
                Violation(
                    rule=rule,
                    field=field,
                    measured=len(spans),
                    limit=cap,
                    span=(first.start, spans[-1].end),
                    message=(
                        f"{len(spans)} {kind}s; {rules.platform.value} allows at most {cap}"
                        + (f" (rule in force on {on.isoformat()})" if kind == "hashtag" else "")
                    ),
                )
            )
    return out


_KIND_FOR_MIME = {"image": MediaKind.IMAGE, "video": MediaKind.VIDEO}


def _media_checks(media: tuple[MediaAsset, ...], rules: PlatformRules) -> list[Violation]:
    r = rules.media
    out: list[Violation] = []
    if len(media) > r.max_count:
        out.append(
            Violation(
                rule="media.max_count",
                field="media",
                measured=len(media),
                limit=r.max_count,
                message=f"{len(media)} media; {rules.platform.value} takes at most {r.max_count}",
            )
        )
    kinds = {m.kind for m in media}
    if not r.mixed and MediaKind.VIDEO in kinds and len(media) > 1:
        out.append(
            Violation(
                rule="media.mixed",
                field="media",
                measured=len(media),
                limit=1,
                message=f"{rules.platform.value} takes one video alone, not with other media",
            )
        )
    for i, m in enumerate(media):
        where = f"media[{i}]"
        if r.formats and m.mime_type not in r.formats:
            out.append(
                Violation(
                    rule="media.formats",
                    field=where,
                    measured=m.mime_type,
                    limit=", ".join(r.formats),
                    message=f"{m.mime_type} is not accepted by {rules.platform.value}",
                )
            )
        is_video = m.kind is MediaKind.VIDEO
        cap = r.max_video_bytes if is_video else r.max_image_bytes
        if m.bytes is not None and cap is not None and m.bytes > cap:
            out.append(
                Violation(
                    rule="media.max_video_bytes" if is_video else "media.max_image_bytes",
                    field=where,
                    measured=m.bytes,
                    limit=cap,
                    message=f"{m.bytes:,} bytes; {rules.platform.value} takes at most {cap:,}",
                )
            )
        if is_video and m.duration is not None:
            seconds = m.duration.total_seconds()
            if r.max_video_seconds is not None and seconds > r.max_video_seconds:
                out.append(
                    Violation(
                        rule="media.max_video_seconds",
                        field=where,
                        measured=seconds,
                        limit=r.max_video_seconds,
                        message=f"video of {seconds:g} s; at most {r.max_video_seconds:g} s",
                    )
                )
            if r.min_video_seconds is not None and seconds < r.min_video_seconds:
                out.append(
                    Violation(
                        rule="media.min_video_seconds",
                        field=where,
                        measured=seconds,
                        limit=r.min_video_seconds,
                        message=f"video of {seconds:g} s; at least {r.min_video_seconds:g} s",
                    )
                )
        ratio = m.aspect_ratio
        if ratio is not None:
            if r.min_aspect_ratio is not None and ratio < r.min_aspect_ratio - 1e-9:
                out.append(
                    Violation(
                        rule="media.min_aspect_ratio",
                        field=where,
                        measured=round(ratio, 4),
                        limit=round(r.min_aspect_ratio, 4),
                        message=f"aspect ratio {ratio:.3f} is taller than {r.min_aspect_ratio:.3f}",
                    )
                )
            if r.max_aspect_ratio is not None and ratio > r.max_aspect_ratio + 1e-9:
                out.append(
                    Violation(
                        rule="media.max_aspect_ratio",
                        field=where,
                        measured=round(ratio, 4),
                        limit=round(r.max_aspect_ratio, 4),
                        message=f"aspect ratio {ratio:.3f} is wider than {r.max_aspect_ratio:.3f}",
                    )
                )
    return out


def _resolve(platform: Platform | str, rules: PlatformRules | None) -> PlatformRules:
    if rules is not None:
        if not isinstance(rules, PlatformRules):
            raise ValidationError("rules", rules, "must be a PlatformRules")
        return rules
    return rules_for(platform)


def validate(
    variant_or_text: Variant | str,
    platform: Platform | str | None = None,
    *,
    rules: PlatformRules | None = None,
    on: date | None = None,
) -> list[Violation]:
    """Check a variant (or a bare text) against a platform's rules; return every violation.

    ``platform`` defaults to the variant's own. ``rules`` replaces the built-in rules (from
    :func:`~smmkit.content.rules.rules_for` with overrides, or a Mastodon instance's). ``on``
    picks dated rules (Instagram's hashtag cap); it defaults to today (UTC).

    Content problems never raise: they are returned, an empty list meaning the post fits. Only
    misuse raises :class:`~smmkit.errors.ValidationError` (a non-text, an unknown platform).
    Cost: linear in the text; entity extraction runs only where a platform caps entities.
    """
    if isinstance(variant_or_text, Variant):
        variant: Variant | None = variant_or_text
        text = variant_or_text.text
        platform = platform if platform is not None else variant_or_text.platform
    elif isinstance(variant_or_text, str):
        variant, text = None, variant_or_text
    else:
        raise ValidationError(
            "variant_or_text",
            variant_or_text,
            "must be a Variant or a str",
        )
    if platform is None:
        if rules is None:
            raise ValidationError("platform", None, "is required when validating a bare text")
        platform = rules.platform
    r = _resolve(platform, rules)
    day = on or datetime.now(UTC).date()
    out = _text_checks(text, r, "text", day)
    if variant is None:
        if not text.strip() and r.text is not None and not r.long_form:
            out.append(
                Violation(rule="text.empty", measured=0, limit=1, message="the post is empty")
            )
        return out
    if (
        not text.strip()
        and not variant.media
        and not variant.title
        and not variant.link
        and not variant.extras.get("link")
        and not r.long_form
    ):
        out.append(
            Violation(
                rule="text.empty",
                measured=0,
                limit=1,
                message="the post has no text, title, link or media",
            )
        )
    if variant.title is not None or r.title_required:
        title = variant.title or ""
        if r.title_required and not title.strip():
            out.append(
                Violation(
                    rule="title.required",
                    field="title",
                    measured=0,
                    limit=1,
                    message=f"{r.platform.value} needs a title",
                )
            )
        out += _check_length(title, r.title, "title", "title.limit")
        if r.forbidden is not None and "title" in r.forbidden.fields:
            out += _forbidden(title, r, "title")
    if variant.first_comment is not None:
        fc = r.first_comment
        if not fc.supported:
            out.append(
                Violation(
                    rule="first_comment.supported",
                    field="first_comment",
                    message=f"{r.platform.value} has no first comment; move its text into the post",
                )
            )
        elif fc.limit is not None:
            size = tx.grapheme_count(variant.first_comment)
            if size > fc.limit:
                out.append(
                    Violation(
                        rule="first_comment.limit",
                        field="first_comment",
                        measured=size,
                        limit=fc.limit,
                        message=f"first comment is {size} long; limit {fc.limit}",
                    )
                )
        out += _entity_caps(variant.first_comment, r, "first_comment", day)
    if variant.thread:
        t = r.thread
        if not t.supported:
            out.append(
                Violation(
                    rule="thread.supported",
                    field="thread",
                    measured=len(variant.thread) + 1,
                    limit=1,
                    message=f"{r.platform.value} does not take threads",
                )
            )
        elif t.max_posts is not None and len(variant.thread) + 1 > t.max_posts:
            out.append(
                Violation(
                    rule="thread.max_posts",
                    field="thread",
                    measured=len(variant.thread) + 1,
                    limit=t.max_posts,
                    message=f"thread of {len(variant.thread) + 1} posts; at most {t.max_posts}",
                )
            )
        for i, post in enumerate(variant.thread):
            out += _text_checks(post, r, f"thread[{i}]", day)
            if not post.strip():
                out.append(
                    Violation(
                        rule="text.empty",
                        field=f"thread[{i}]",
                        measured=0,
                        limit=1,
                        message="an empty post in the thread",
                    )
                )
    if variant.media:
        out += _media_checks(variant.media, r)
    return out
