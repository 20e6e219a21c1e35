"""Cross-post adaptation: one content item becomes a variant that fits one channel."""

from __future__ import annotations

import functools
import hashlib
import logging
import operator
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import accumulate

from pydantic import Field, JsonValue

from smmkit.errors import ValidationError
from smmkit.models import (
    BlueskyOptions,
    Brand,
    Campaign,
    Channel,
    ContentItem,
    Platform,
    ValueModel,
    Variant,
)

from . import _textapi as tx
from ._fold import find_disclosure, fold
from ._utm import utm
from ._validate import Violation, measure, validate, within
from ._words import Words
from .rules import HashtagPlacement, LinkBehaviour, PlatformRules, TextLimit, rules_for

__all__ = ["Adaptation", "Change", "adapt", "escape_linkedin"]

log = logging.getLogger("smmkit.content")

ELLIPSIS = "…"
_THREAD_PLATFORMS = frozenset({Platform.X, Platform.THREADS, Platform.BLUESKY, Platform.MASTODON})
_LINK_IN_BIO = {"it": "Link in bio.", "en": "Link in bio."}
_SENTENCE_END = re.compile(r"[.!?…:;]['\")»]*$")


class Change(ValueModel):
    """One change ``adapt`` made, and why."""

    kind: str = Field(min_length=1, description="e.g. 'utm', 'hashtags_dropped', 'truncated'.")
    field: str = "text"
    reason: str
    before: str | None = None
    after: str | None = None


class Adaptation(ValueModel):
    """The result of :func:`adapt`: the variant, every change made, and what still breaks a rule.

    ``violations`` is empty when the variant fits (the usual case); it lists what adaptation
    cannot fix on its own, such as a video too long for the platform.
    """

    variant: Variant
    changes: tuple[Change, ...] = ()
    violations: tuple[Violation, ...] = ()

    @property
    def fits(self) -> bool:
        """Whether the variant passes :func:`~smmkit.content.validate`."""
        return not any(v.severity == "error" for v in self.violations)


def escape_linkedin(text: str, reserved: str = "\\|{}@[]()<>#*_~") -> str:
    """Escape LinkedIn's reserved characters; hashtags become ``{hashtag|\\#|tag}`` templates."""
    if not any(c in text for c in reserved):
        return text
    # Between hashtags, every reserved character gets a backslash: one str.translate (in C)
    # per stretch, no Python step per character.
    table = _escape_table(reserved)
    out: list[str] = []
    position = 0
    for tag in sorted(tx.hashtags(text), key=operator.attrgetter("start")):
        if tag.start < position:  # inside a hashtag already turned into a template
            continue
        out.append(text[position : tag.start].translate(table))
        out.append("{hashtag|\\#|" + tag.value + "}")
        position = tag.end
    out.append(text[position:].translate(table))
    return "".join(out)


@functools.lru_cache(maxsize=8)
def _escape_table(reserved: str) -> dict[int, str]:
    return {ord(c): "\\" + c for c in reserved}


@dataclass
class _Work:
    """The parts of a post while it is being adapted."""

    prefix: str = ""  # the disclosure, never dropped
    body: str = ""
    link_line: str = ""
    tags: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def note(
        self,
        kind: str,
        reason: str,
        *,
        field_name: str = "text",
        before: str | None = None,
        after: str | None = None,
    ) -> None:
        self.changes.append(
            Change(kind=kind, field=field_name, reason=reason, before=before, after=after)
        )

    def tag_block(self, tags: Sequence[str] | None = None) -> str:
        chosen = self.tags if tags is None else tags
        return " ".join("#" + t for t in chosen)

    def assemble(self, body: str | None = None, tags: Sequence[str] | None = None) -> str:
        text = self.prefix + (self.body if body is None else body)
        if self.link_line:
            text = text + ("\n\n" if text else "") + self.link_line
        block = self.tag_block(tags)
        if block:
            text = text + ("\n\n" if text else "") + block
        return text.strip()


class _Fitter:
    """Checks a candidate text against the platform's length limits, after rendering."""

    def __init__(self, rules: PlatformRules, render: Callable[[str], str]) -> None:
        self.limits: list[TextLimit] = [lim for lim in (rules.text, rules.text_bytes) if lim]
        self.render = render
        self._last: tuple[str, bool] = ("", True)  # the last text measured, and its answer

    def fits(self, text: str) -> bool:
        # The same candidate is often asked about again (before and after a step that changed
        # nothing): compared in C, not measured again.
        last, answer = self._last
        if text != last:
            rendered = self.render(text)
            answer = all(within(rendered, lim) for lim in self.limits)
            self._last = (text, answer)
        return answer

    def largest_prefix(
        self,
        words: Words,
        make: Callable[[str], str],
        start: int = 0,
        near: int = 1,
    ) -> int:
        """The largest k such that ``make(words.join(start, k))`` fits (0 if none).

        Galloping search from ``near`` words (up or down by 1, 2, 4... words, then bisection),
        so the cost follows the words that fit, not the whole rest of the text: splitting a long
        text into a thread stays linear, and a good start (the previous post's size) settles it
        in two measurements. Assumes that a prefix that fits stays fitting when words are taken
        away (then the answer does not depend on ``near``).
        """
        count = len(words) - start
        if count <= 0:
            return 0

        def text(k: int) -> str:
            return words.join(start, k)

        probe = min(max(near, 1), count)
        if self.fits(make(text(probe))):
            # Gallop up: ``good`` fits; ``bad`` (when at most count) does not.
            good, bad, step = probe, count + 1, 1
            while good < count:
                probe = min(good + step, count)
                if self.fits(make(text(probe))):
                    good = probe
                    step *= 2
                else:
                    bad = probe
                    break
        else:
            # Gallop down: ``bad`` does not fit; ``good`` fits (0: none does).
            good, bad, step = 0, probe, 1
            while bad > 1:
                probe = max(bad - step, 1)
                if self.fits(make(text(probe))):
                    good = probe
                    break
                bad = probe
                step *= 2
        lo, hi = good, bad - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.fits(make(text(mid))):
                lo = mid
            else:
                hi = mid - 1
        return lo


def _locale(item: ContentItem, channel: Channel, brand: Brand | None) -> str:
    return channel.locale or item.locale or (brand.locale if brand else "en")


def _check_now(now: datetime | None) -> date:
    if now is None:
        return datetime.now(UTC).date()
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise ValidationError("now", now, "must be a timezone-aware datetime")
    return now.date()


def _apply_utm(
    work: _Work, item: ContentItem, channel: Channel, campaign: Campaign | None, platform: Platform
) -> str:
    text = work.body
    name = None
    source = platform.value
    medium = None
    content = term = None
    paid = False
    if campaign is not None:
        name = campaign.utm.campaign or campaign.id
        source = campaign.utm.source or source
        medium = campaign.utm.medium
        content, term = campaign.utm.content, campaign.utm.term
        # Paid only where the campaign actually runs: an organic post on another channel keeps
        # the organic medium even when it carries the campaign's name.
        paid = campaign.paid and (not campaign.channels or channel.key in campaign.channels)
    elif item.campaign:
        name = item.campaign
    if not name:
        return text
    urls = [e for e in tx.entities(text) if e.kind == "url"]
    pieces: list[str] = []  # the text from the end, each tagged link replacing its URL
    position = len(text)
    for e in reversed(urls):
        if not e.value.lower().startswith(("http://", "https://")):
            continue
        try:
            tagged = utm(e.value, source, medium, name, term, content, paid=paid)
        except ValidationError as exc:
            work.note("utm_skipped", f"left {e.value} untagged: {exc.message}")
            continue
        if tagged != e.value:
            pieces += [text[e.end : position], tagged]
            position = e.start
            work.note(
                "utm",
                f"tagged the link for {source} / campaign {name!r}",
                before=e.value,
                after=tagged,
            )
    pieces.append(text[:position])
    return "".join(reversed(pieces))


def _cut(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` without the given (disjoint) spans, in one pass."""
    pieces = []
    position = 0
    for start, end in sorted(spans):
        pieces.append(text[position:start])
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


_BLANKS = re.compile(r"[ \t]+(\n)?")


def _tidy_blanks(match: re.Match[str]) -> str:
    # A run of blanks before a newline goes; a longer run becomes one space. (One pass over
    # each run: "[ \t]+\n" alone would rescan a long run from each of its blanks.)
    if match.group(1):
        return "\n"
    return " " if len(match.group(0)) > 1 else match.group(0)


def _remove_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    text = _BLANKS.sub(_tidy_blanks, _cut(text, spans))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _strip_markers(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Remove the leading ``#``/``@`` of the given entity spans (the word itself stays)."""
    return _cut(text, [(start, start + 1) for start, _end in spans])


def _dedupe(tags: Sequence[str], exclude: set[str]) -> list[str]:
    seen = set(exclude)
    out = []
    for t in tags:
        key = fold(t)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def _title(item: ContentItem, rules: PlatformRules, work: _Work, body: str) -> str | None:
    if rules.title is None:
        return (item.title or None) if rules.long_form else None
    title = item.title.strip()
    if not title and rules.title_required:
        title = re.split(r"(?<=[.!?])\s", body.strip(), maxsplit=1)[0] if body.strip() else ""
        if title:
            work.note(
                "title",
                "the platform needs a title; took the text's first sentence",
                field_name="title",
                after=title,
            )
    if not title:
        return None
    if rules.forbidden is not None and "title" in rules.forbidden.fields:
        title = _replace_forbidden(title, rules.forbidden.characters, work, "title")
    limit = rules.title
    if measure(title, limit) <= limit.limit:
        return title
    words = Words(title)
    fitter = _Fitter(rules.model_copy(update={"text": limit, "text_bytes": None}), lambda t: t)
    k = fitter.largest_prefix(words, lambda s: s.rstrip() + ELLIPSIS)
    short = (words.join(0, k).rstrip() + ELLIPSIS) if k else ""
    if not short:
        # The longest run of whole graphemes that fits with the ellipsis, by bisection.
        bounds = [0, *accumulate(map(len, tx.graphemes(title)))]
        lo, hi = 0, len(bounds) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if measure(title[: bounds[mid]] + ELLIPSIS, limit) <= limit.limit:
                lo = mid
            else:
                hi = mid - 1
        short = title[: bounds[lo]] + ELLIPSIS
    work.note(
        "truncated",
        f"title over {limit.limit} ({limit.counting.value})",
        field_name="title",
        before=title,
        after=short,
    )
    return short


_LOOKALIKE = {"<": "‹", ">": "›"}


def _replace_forbidden(text: str, characters: str, work: _Work, field_name: str) -> str:
    if not any(c in text for c in characters):
        return text
    new = "".join(_LOOKALIKE.get(c, "") if c in characters else c for c in text)
    work.note(
        "forbidden_replaced",
        f"the platform refuses {characters!r}",
        field_name=field_name,
        before=text,
        after=new,
    )
    return new


def _split_thread(work: _Work, fitter: _Fitter, max_posts: int | None) -> list[str]:
    """Split the body into numbered posts "… 1/3"; tags go in the last post if they fit."""
    words = Words(work.body)
    guess = 9
    posts: list[str] = []
    for _attempt in range(3):
        width = f" {guess}/{guess}"
        posts = []
        i = 0
        first = True
        near = 1  # words in the previous post before the cut at a sentence end
        while i < len(words):
            prefix = work.prefix if first else ""

            def make(body: str, prefix: str = prefix, width: str = width) -> str:
                return prefix + body.rstrip() + width

            k = fitter.largest_prefix(words, make, i, near)
            near = max(k, 1)
            if k == 0:
                work.note(
                    "dropped_word",
                    f"{words.word(i)[:40]!r} cannot fit in one post on its own",
                    before=words.word(i),
                )
                i += 1
                continue
            if k < len(words) - i:
                for j in range(k, max(k // 2, 1) - 1, -1):
                    if _SENTENCE_END.search(words.word(i + j - 1)):
                        k = j
                        break
            posts.append(prefix + words.join(i, k).rstrip())
            i += k
            first = False
        if not posts:
            posts = [work.prefix.rstrip()]
        if len(str(len(posts))) <= len(str(guess)):
            break
        guess = 10 ** len(str(len(posts))) - 1
    n = len(posts)
    if max_posts is not None and n > max_posts:
        work.note(
            "truncated",
            f"a thread may have at most {max_posts} posts; dropped the rest",
            field_name="thread",
        )
        posts = posts[:max_posts]
        n = max_posts
        last = posts[-1]
        words_last = Words(last)
        k = fitter.largest_prefix(words_last, lambda s: s.rstrip() + ELLIPSIS + f" {n}/{n}")
        posts[-1] = words_last.join(0, k).rstrip() + ELLIPSIS
    if work.tags:
        tags = list(work.tags)
        while tags:
            candidate = (posts[-1] + "\n\n" + work.tag_block(tags)).strip()
            if fitter.fits(candidate + f" {n}/{n}"):
                posts[-1] = candidate
                break
            tags.pop()
        dropped = work.tags[len(tags) :]
        if dropped:
            work.note(
                "hashtags_dropped",
                "no room left in the thread's last post",
                before=work.tag_block(dropped),
            )
        work.tags = tags
    return [f"{p} {i + 1}/{n}" if p else f"{i + 1}/{n}" for i, p in enumerate(posts)]


def _fit(
    work: _Work, fitter: _Fitter, rules: PlatformRules, threads_ok: bool, platform: Platform
) -> list[str]:
    """Make the text fit: drop trailing hashtags, then thread or shorten, then truncate."""
    if fitter.fits(work.assemble()):
        return [work.assemble()]
    thread_possible = threads_ok and rules.thread.supported and platform in _THREAD_PLATFORMS
    if thread_possible and not fitter.fits(work.assemble(tags=[])):
        posts = _split_thread(work, fitter, rules.thread.max_posts)
        if len(posts) > 1:
            work.note(
                "thread",
                f"too long for one post; split into a numbered thread of {len(posts)} posts",
                field_name="thread",
            )
            return posts
    # 1. drop trailing hashtags, last first
    dropped: list[str] = []
    while work.tags and not fitter.fits(work.assemble()):
        dropped.insert(0, work.tags.pop())
    if dropped:
        work.note(
            "hashtags_dropped",
            "too long: dropped trailing hashtags first",
            before=" ".join("#" + t for t in dropped),
        )
    if fitter.fits(work.assemble()):
        return [work.assemble()]
    # 2. shorten: tidy whitespace, then drop whole sentences from the end (keeping links)
    tidy = work.body
    if "\n" in tidy:
        tidy = _BLANK_LINES.sub("\n", tidy)
    if "\t" in tidy or "  " in tidy:  # else every run of blanks is one space already
        tidy = _BLANK_RUNS.sub(" ", tidy)
    tidy = tidy.strip()
    if tidy != work.body:
        work.note(
            "shortened",
            "too long: collapsed blank lines and repeated spaces",
            before=work.body,
            after=tidy,
        )
        work.body = tidy
        if fitter.fits(work.assemble()):
            return [work.assemble()]
    # A text without whitespace (found in C) is one sentence and one word: nothing to split.
    one_word = work.body.split(maxsplit=1) == [work.body]
    sentences = [work.body] if one_word else _sentences(work.body)
    # Sentences are dropped from the end, skipping those with a link, until the text fits:
    # the number to drop is found by bisection (each try is one measurement of the text).
    droppable = [
        i
        for i in range(len(sentences) - 1, 0, -1)
        if not (
            tx.may_have_url(sentences[i])
            and any(e.kind == "url" for e in tx.entities(sentences[i]))
        )
    ]
    kept = sorted(set(range(1, len(sentences))).difference(droppable))  # those with a link

    def without(count: int) -> str:
        # Dropping ``count`` sentences drops every droppable one from droppable[count - 1] on.
        cut = droppable[count - 1]
        rest = kept[bisect_right(kept, cut) :]
        return " ".join(sentences[:cut] + list(map(sentences.__getitem__, rest)))

    removed: list[str] = []
    if droppable:
        lo, hi = 1, len(droppable)  # dropping hi sentences is the most we can do
        while lo < hi:
            mid = (lo + hi) // 2
            if fitter.fits(work.assemble(body=without(mid))):
                hi = mid
            else:
                lo = mid + 1
        removed = list(map(sentences.__getitem__, sorted(droppable[:lo])))
        work.body = without(lo)
    if removed:
        work.note(
            "shortened", "too long: dropped whole sentences from the end", before=" ".join(removed)
        )
    if fitter.fits(work.assemble()):
        return [work.assemble()]
    # 3. truncate on a word boundary with an ellipsis, keeping the links
    words = Words.one(work.body) if one_word else Words(work.body)
    # Each distinct word is looked at once (a URL has a dot in its domain: a word without one
    # holds none).
    dotted = words.containing(".")
    # A word that does not fit on its own cannot be kept after the cut (a 70,000-character URL on
    # Facebook): it is not looked at as a link.
    holds_url = {
        w: fitter.fits(w) and any(e.kind == "url" for e in tx.entities(w))
        for w in dict.fromkeys(dotted)
    }
    urls = list(filter(holds_url.__getitem__, dotted))
    before = work.body
    # Every prefix tried is a prefix of the joined words: it holds a URL if the URL's first
    # occurrence ends inside it (found once per URL, not searched in every prefix).
    joined = words.joined if urls else ""
    first_end = {u: joined.find(u) + len(u) for u in dict.fromkeys(urls)}
    # The URLs in order of where their first occurrence ends: those past a prefix are the last
    # ones of this order, found by bisection, then put back in text order (in C: a probe of the
    # search below costs no Python step per URL of the text).
    url_ends = list(map(first_end.__getitem__, urls))
    by_end = sorted(range(len(urls)), key=url_ends.__getitem__)
    sorted_ends = list(map(url_ends.__getitem__, by_end))

    def missing(prefix_text: str) -> list[str]:
        """The URLs whose first occurrence ends past the prefix, in text order."""
        past = by_end[bisect_right(sorted_ends, len(prefix_text)) :]
        return list(map(urls.__getitem__, sorted(past)))

    def make(prefix_text: str) -> str:
        kept_urls = missing(prefix_text)
        tail = (" " + " ".join(kept_urls)) if kept_urls else ""
        return work.assemble(body=prefix_text.rstrip() + ELLIPSIS + tail)

    k = fitter.largest_prefix(words, make)
    prefix_text = words.join(0, k)
    kept_urls = missing(prefix_text)
    if not fitter.fits(make(prefix_text)):
        kept_urls = []
        k = fitter.largest_prefix(words, lambda s: work.assemble(body=s.rstrip() + ELLIPSIS))
        prefix_text = words.join(0, k)
    tail = (" " + " ".join(kept_urls)) if kept_urls else ""
    work.body = prefix_text.rstrip() + ELLIPSIS + tail
    if not fitter.fits(work.assemble()) and work.link_line:
        work.note("link_line_dropped", "no room for the link line", before=work.link_line)
        work.link_line = ""
    work.note(
        "truncated",
        "too long: cut on a word boundary with an ellipsis"
        + (", keeping the links" if kept_urls else ""),
        before=before,
        after=work.body,
    )
    return [work.assemble()]


_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLANK_RUNS = re.compile(r"[ \t]+")
_SENTENCE_BREAK = re.compile(r"([.!?…])\s+")


def _sentences(text: str) -> list[str]:
    """``text`` split after each sentence's final stop (what ``re.split(r"(?<=[.!?…])\\s+",
    text)`` gives; the look-behind would be tried at every character)."""
    parts = _SENTENCE_BREAK.split(text)
    return [*map(operator.add, parts[0:-1:2], parts[1::2]), parts[-1]]


def _stable_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def adapt(
    item: ContentItem,
    channel: Channel,
    *,
    brand: Brand | None = None,
    campaign: Campaign | None = None,
    rules: PlatformRules | None = None,
    now: datetime | None = None,
    resolve_handle: Callable[[str], str | None] | None = None,
) -> Adaptation:
    """Adapt ``item`` to ``channel``: a :class:`~smmkit.models.Variant` that fits its platform.

    In order: the item's links are added and UTM-tagged (when a campaign is known); links move
    to the bio line or the link field where the text cannot hold a live link; characters the
    platform refuses are replaced; a sponsored item gets the brand's disclosure; hashtags (the
    item's, then the brand's signature) go where the platform wants them, within its cap (dated
    rules are read on ``now``'s date); then the text is made to fit: trailing hashtags are
    dropped first, then (on X, Threads, Bluesky and Mastodon, when ``brand.allow_threads``) the
    text becomes a numbered thread, or else it is shortened (whitespace, whole sentences) and
    finally cut on a word boundary with an ellipsis. No grapheme, word, URL, hashtag or mention
    is ever cut. LinkedIn text is escaped; Bluesky posts get their facets in
    ``variant.bluesky.facets`` (mention facets need DIDs: pass ``resolve_handle``, which maps
    a handle to its DID or ``None``).

    Deterministic: the same inputs give the same variant, ids included (``publish_key`` derives
    from the item, the channel and the final text). Every change is listed with its reason.
    Cost: O(n log n) length measurements for a text of n words.
    """
    if not isinstance(item, ContentItem):
        raise ValidationError("item", item, "must be a ContentItem")
    if not isinstance(channel, Channel):
        raise ValidationError("channel", channel, "must be a Channel")
    platform = channel.platform
    r = rules if rules is not None else rules_for(platform)
    on = _check_now(now)
    locale = _locale(item, channel, brand)
    language = locale.split("-")[0].lower()
    work = _Work()

    body = unicodedata.normalize("NFC", (item.text or item.title).replace("\r\n", "\n")).strip()
    if body != (item.text or item.title).strip():
        work.note("normalized", "Unicode NFC normalisation and line endings")
    # links of the item that the text does not mention yet
    present = {e.value for e in tx.entities(body) if e.kind == "url"}
    missing = [link for link in item.links if link not in present]
    if missing:
        body = (body + "\n\n" + "\n".join(missing)).strip()
        work.note("link_added", "the item's link was not in its text", after=" ".join(missing))
    work.body = body
    work.body = _apply_utm(work, item, channel, campaign, platform)

    moved_links: list[str] = []
    behaviour = r.links.behaviour
    urls = [e for e in tx.entities(work.body) if e.kind == "url"]
    if urls and behaviour is not LinkBehaviour.CLICKABLE:
        moved_links = [u.value for u in urls]
        work.body = _remove_spans(work.body, [(u.start, u.end) for u in urls])
        if behaviour is LinkBehaviour.NOT_CLICKABLE:
            work.link_line = _LINK_IN_BIO.get(language, _LINK_IN_BIO["en"])
            work.note(
                "link_moved",
                f"links are not clickable on {platform.value}: moved to "
                "variant.link (for the bio) and pointed readers to the bio",
                before=urls[0].value,
                after=work.link_line,
            )
        else:
            work.note(
                "link_moved",
                f"{platform.value} takes the link in its own field: moved to variant.link",
                before=urls[0].value,
            )
    elif r.links.cap is not None and len(urls) > r.links.cap:
        extra_urls = urls[r.links.cap :]
        work.body = _remove_spans(work.body, [(u.start, u.end) for u in extra_urls])
        work.note(
            "links_dropped",
            f"{platform.value} takes at most {r.links.cap} links",
            before=" ".join(u.value for u in extra_urls),
        )

    if r.forbidden is not None and "text" in r.forbidden.fields:
        work.body = _replace_forbidden(work.body, r.forbidden.characters, work, "text")

    # disclosure of sponsored content
    disclosure = None
    voice = brand.voice if brand else None
    if item.sponsored:
        wording = voice.disclosure_for(locale) if voice else ("#adv" if language == "it" else "#ad")
        if find_disclosure(work.body, locale, wording) is None:
            disclosure = wording
            work.prefix = wording + " "
            work.note("disclosure_added", "sponsored content must say so up front", after=wording)
    cap = r.hashtags.cap_at(on)
    disclosure_tags = 1 if disclosure and disclosure.startswith("#") else 0
    inline = [e for e in tx.entities(work.body) if e.kind == "hashtag"]
    if cap is not None and len(inline) + disclosure_tags > cap:
        allowed = max(cap - disclosure_tags, 0)
        excess = inline[allowed:]
        work.body = _strip_markers(work.body, [(e.start, e.end) for e in excess])
        work.note(
            "hashtag_cap",
            f"{platform.value} allows {cap} hashtag(s) on {on.isoformat()}: "
            "kept the words, removed their '#'",
            before=" ".join("#" + e.value for e in excess),
        )
        inline = inline[:allowed]
    wanted = list(item.hashtags) + (list(voice.signature_hashtags) if voice else [])
    wanted = _dedupe(wanted, {fold(e.value) for e in inline})
    if r.hashtags.placement is HashtagPlacement.NONE:
        if wanted:
            work.note(
                "hashtags_dropped",
                f"{platform.value} does not use hashtags",
                before=" ".join("#" + t for t in wanted),
            )
        wanted = []
    room = None if cap is None else max(cap - len(inline) - disclosure_tags, 0)
    if room is not None and len(wanted) > room:
        work.note(
            "hashtags_dropped",
            f"{platform.value} allows {cap} hashtag(s) per post on {on.isoformat()}",
            before=" ".join("#" + t for t in wanted[room:]),
        )
        wanted = wanted[:room]
    first_comment: str | None = None
    if (
        wanted
        and r.hashtags.placement is HashtagPlacement.FIRST_COMMENT
        and r.first_comment.supported
    ):
        first_comment = " ".join("#" + t for t in wanted)
        work.note(
            "hashtags_first_comment",
            "the platform's hashtags go in the first comment",
            field_name="first_comment",
            after=first_comment,
        )
        wanted = []
    work.tags = wanted
    if wanted:
        work.note(
            "hashtags_added",
            "added the item's and the brand's hashtags at the end",
            after=work.tag_block(),
        )

    mention_cap = r.mentions.cap
    if mention_cap is not None:
        mentions = [e for e in tx.entities(work.body) if e.kind == "mention"]
        if len(mentions) > mention_cap:
            excess = mentions[mention_cap:]
            work.body = _strip_markers(work.body, [(e.start, e.end) for e in excess])
            work.note(
                "mention_cap",
                f"{platform.value} allows {mention_cap} mentions",
                before=" ".join("@" + e.value for e in excess),
            )

    reserved = r.escape.reserved if r.escape is not None else ""

    def render(t: str) -> str:
        return escape_linkedin(t, reserved) if reserved else t

    fitter = _Fitter(r, render)
    threads_ok = bool(brand.allow_threads) if brand is not None else False
    title = _title(item, r, work, work.body)
    posts = _fit(work, fitter, r, threads_ok, platform)
    rendered = [render(p) for p in posts]
    if rendered != posts:
        work.note(
            "escaped",
            f"escaped {platform.value}'s reserved characters "
            f"{r.escape.reserved if r.escape else ''!r}; hashtags as templates",
        )

    media = item.media
    if len(media) > r.media.max_count:
        work.note(
            "media_dropped",
            f"{platform.value} takes at most {r.media.max_count} media; kept the first ones",
            field_name="media",
            before=str(len(media)),
            after=str(r.media.max_count),
        )
        media = media[: r.media.max_count]

    bluesky: BlueskyOptions | None = None
    if platform == Platform.BLUESKY:
        bluesky = BlueskyOptions(
            facets=tuple(_facet(f) for f in tx.facets(rendered[0], resolve_handle)),
            thread_facets=tuple(
                tuple(_facet(f) for f in tx.facets(p, resolve_handle)) for p in rendered[1:]
            ),
        )
        work.note(
            "facets",
            "built the rich-text facets (links, tags"
            + (", mentions" if resolve_handle else "")
            + ") with UTF-8 byte offsets",
            field_name="bluesky",
        )

    key = _stable_id(item.id, channel.key)
    publish_key = _stable_id(item.id, channel.key, *rendered, title or "", first_comment or "")
    variant = Variant(
        id=key,
        item_id=item.id,
        channel=channel.key,
        platform=platform,
        text=rendered[0],
        title=title,
        media=media,
        first_comment=first_comment,
        thread=tuple(rendered[1:]),
        publish_key=publish_key,
        format=item.format,
        pillar=item.pillar,
        campaign=item.campaign,
        link=moved_links[0] if moved_links else None,
        links=tuple(moved_links),
        disclosure=disclosure,
        bluesky=bluesky,
    )
    violations = validate(variant, rules=r, on=on)
    if violations:
        log.info(
            "adapted %s for %s still breaks %d rule(s): %s",
            item.id,
            channel.key,
            len(violations),
            ", ".join(v.rule for v in violations),
        )
    return Adaptation(variant=variant, changes=tuple(work.changes), violations=tuple(violations))


def _json(value: object) -> JsonValue:
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _facet(value: object) -> dict[str, JsonValue]:
    out = _json(value)
    if not isinstance(out, dict):  # pragma: no cover - facets are always objects
        raise TypeError(f"a facet must be an object, not {type(value).__name__}")
    return out
