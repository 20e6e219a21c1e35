"""Response times: how fast and how often the brand answers the public, and what still waits.

:func:`response_times` reads the inbox's messages (the public's and the brand's own, marked
``from_brand``) and gives, per channel and over all of them: the first-response time (median and
90th percentile), the response rate, and the backlog (messages still unanswered) by age bucket
(``<1h``, ``1-4h``, ``4-24h``, ``1-3d``, ``>3d``) and by category. Pure and deterministic: the
time is the ``now`` given, never the clock.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, Field, field_validator, model_validator

from smmkit.errors import ValidationError
from smmkit.models import InboxMessage, MessageCategory, MessageKind, Weekday
from smmkit.models._base import TimezoneName, ValueModel, zone

__all__ = [
    "UNCLASSIFIED",
    "AgeBucket",
    "ChannelResponse",
    "ResponseReport",
    "ResponseStats",
    "age_bucket",
    "response_times",
]

UNCLASSIFIED = "unclassified"
"""The backlog's category for a message with no category given."""


class AgeBucket(StrEnum):
    """How long an unanswered message has waited (lower bound included, upper excluded)."""

    UNDER_1H = "<1h"
    FROM_1H_TO_4H = "1-4h"
    FROM_4H_TO_24H = "4-24h"
    FROM_1D_TO_3D = "1-3d"
    OVER_3D = ">3d"


_BOUNDS: tuple[tuple[timedelta, AgeBucket], ...] = (
    (timedelta(hours=1), AgeBucket.UNDER_1H),
    (timedelta(hours=4), AgeBucket.FROM_1H_TO_4H),
    (timedelta(hours=24), AgeBucket.FROM_4H_TO_24H),
    (timedelta(days=3), AgeBucket.FROM_1D_TO_3D),
)


def age_bucket(age: timedelta) -> AgeBucket:
    """The bucket of an age: ``<1h`` up to 59:59, ``1-4h`` from one hour to under four..."""
    for bound, bucket in _BOUNDS:
        if age < bound:
            return bucket
    return AgeBucket.OVER_3D


class BusinessHours(ValueModel):
    """When the team answers: one window per weekday, in a time zone (a day left out is closed).

    ``hours`` maps a weekday to ``(opening, closing)`` local times, or to the text
    ``"09:00-18:00"``. With business hours, :func:`response_times` counts only open time: a
    message written on Friday evening and answered on Monday at 9:30 waited 30 minutes.

    ``country`` (ISO 3166-1 alpha-2, with an optional ``region``, as for the brand) closes the
    team on that country's public holidays, from the planner's calendar
    (:func:`smmkit.planner.public_holidays`); ``closed`` lists more closed days (the shop's own
    closures). A message written on the eve of Christmas and answered after Santo Stefano
    waited only the open time around them.
    """

    timezone: TimezoneName
    hours: dict[Weekday, tuple[time, time]] = Field(min_length=1)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    region: str | None = Field(default=None, min_length=1, max_length=8)
    closed: tuple[date, ...] = ()

    @field_validator("closed")
    @classmethod
    def _sorted(cls, value: tuple[date, ...]) -> tuple[date, ...]:
        return tuple(sorted(set(value)))

    @field_validator("hours", mode="before")
    @classmethod
    def _read(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        out: dict[Any, Any] = {}
        for day, window in value.items():
            if isinstance(window, str):
                opening, sep, closing = window.partition("-")
                if not sep:
                    raise ValueError(f"{day}: write the window as '09:00-18:00', not {window!r}")
                window = (opening.strip(), closing.strip())
            out[day] = window
        return out

    @field_validator("hours")
    @classmethod
    def _ordered(cls, value: dict[Weekday, tuple[time, time]]) -> dict[Weekday, tuple[time, time]]:
        for day, (opening, closing) in value.items():
            if opening.tzinfo is not None or closing.tzinfo is not None:
                raise ValueError(f"{day.value}: local times without an offset")
            if not opening < closing:
                raise ValueError(
                    f"{day.value}: opens at {opening} and closes at {closing}; closing must be "
                    "later the same day"
                )
        return value

    @model_validator(mode="after")
    def _known_calendar(self) -> BusinessHours:
        if self.region is not None and self.country is None:
            raise ValueError(f"region {self.region!r} needs a country (e.g. country = 'IT')")
        if self.country is not None:
            try:
                _public_holidays(self.country, self.region, 2000)  # does the calendar know it?
            except ValidationError as exc:
                raise ValueError(str(exc)) from None
        return self

    @classmethod
    def weekdays(
        cls,
        opening: str,
        closing: str,
        *,
        timezone: str,
        country: str | None = None,
        region: str | None = None,
        closed: Iterable[date] = (),
    ) -> BusinessHours:
        """Monday to Friday, the same window every day (closed on ``country``'s public holidays
        and the ``closed`` days, when given)."""
        days = (Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI)
        window = f"{opening}-{closing}"
        return cls.model_validate(
            {
                "timezone": timezone,
                "hours": dict.fromkeys(days, window),
                "country": country,
                "region": region,
                "closed": tuple(closed),
            }
        )

    def is_closed(self, day: date) -> bool:
        """Whether ``day`` is a closed day: one of ``closed``, or a public holiday of
        ``country`` (its weekly window, if any, does not open)."""
        if day in self.closed:
            return True
        return self.country is not None and day in _public_holidays(
            self.country, self.region, day.year
        )

    def open_seconds(self, start: datetime, end: datetime) -> float:
        """Seconds of open time from ``start`` to ``end`` (0 when ``end`` is not later).

        Whole weeks in the middle of a long span count the week's open time at once, so the
        cost is at most about three weeks of days whatever the span."""
        if end <= start:
            return 0.0
        local = zone(self.timezone)
        a, b = start.astimezone(local), end.astimezone(local)
        day, last = a.date(), b.date()
        total = 0.0
        span = (last - day).days
        if span > 21:
            # count the days up to a week boundary, then whole weeks less their closed days,
            # then the rest
            weeks = (span - 14) // 7
            skip_from = day + timedelta(days=7)
            skip_to = skip_from + timedelta(days=7 * weeks)
            total += self._days(a, b, day, skip_from - timedelta(days=1))
            total += weeks * self._week() - self._closed_time(skip_from, skip_to)
            day = skip_to
        return total + self._days(a, b, day, last)

    def _week(self) -> float:
        return sum(self._window_seconds(day) for day in self.hours)

    def _window_seconds(self, day: Weekday) -> float:
        """A weekday's open time, in wall-clock seconds (the windows avoid the night)."""
        window = self.hours.get(day)
        if window is None:
            return 0.0
        base = date(2001, 1, 1)
        opened = datetime.combine(base, window[1]) - datetime.combine(base, window[0])
        return opened.total_seconds()

    def _closed_time(self, first: date, end: date) -> float:
        """The open time the closed days from ``first`` to ``end`` (excluded) would have had."""
        days = {d for d in self.closed if first <= d < end}
        if self.country is not None:
            for year in range(first.year, end.year + 1):
                holidays = _public_holidays(self.country, self.region, year)
                days.update(d for d in holidays if first <= d < end)
        return sum(self._window_seconds(Weekday.from_number(d.weekday())) for d in days)

    def _days(self, a: datetime, b: datetime, first: date, last: date) -> float:
        local = zone(self.timezone)
        total = 0.0
        day = first
        while day <= last:
            window = self.hours.get(Weekday.from_number(day.weekday()))
            if window is not None and not self.is_closed(day):
                opens = datetime.combine(day, window[0], tzinfo=local)
                closes = datetime.combine(day, window[1], tzinfo=local)
                lo, hi = max(a, opens), min(b, closes)
                if hi > lo:
                    total += (hi.astimezone(UTC) - lo.astimezone(UTC)).total_seconds()
            day += timedelta(days=1)
        return total


@functools.lru_cache(maxsize=512)
def _public_holidays(country: str, region: str | None, year: int) -> frozenset[date]:
    """A country's public holidays of one year, from the planner's calendar (cached: the
    ``holidays`` library builds a year's calendar each time it is asked)."""
    from smmkit.planner import public_holidays

    return frozenset(public_holidays(country, [year], region=region))


def _empty_ages() -> dict[AgeBucket, int]:
    return dict.fromkeys(AgeBucket, 0)


class ResponseStats(ValueModel):
    """Response figures over a set of messages.

    ``received``: messages from the public that wanted an answer, written in the window (from
    ``since`` to ``now``); ``answered``: those answered by ``now``; ``response_rate`` =
    answered / received (``None`` with nothing received). First-response times are in seconds,
    over the answered messages of the window (``None`` when none was): the median and the 90th
    percentile (linear interpolation between ranks). The backlog is every unanswered message
    that wants an answer, however old (``since`` does not hide it), counted by age
    (``backlog_by_age``, every bucket present) and by category and age (``backlog_by_category``,
    categories with a backlog only); ``oldest_waiting_seconds`` is the age of the oldest.
    ``received_by_category`` and ``first_response_median_by_category_seconds`` split the window's
    messages and first-response times by category (categories with an answer only, for the
    latter).
    """

    received: int = Field(ge=0)
    answered: int = Field(ge=0)
    response_rate: float | None = Field(default=None, ge=0, le=1)
    first_response_median_seconds: float | None = Field(default=None, ge=0)
    first_response_p90_seconds: float | None = Field(default=None, ge=0)
    backlog: int = Field(default=0, ge=0)
    backlog_by_age: dict[AgeBucket, int] = Field(default_factory=_empty_ages)
    backlog_by_category: dict[str, dict[AgeBucket, int]] = Field(default_factory=dict)
    oldest_waiting_seconds: float | None = Field(default=None, ge=0)
    received_by_category: dict[str, int] = Field(default_factory=dict)
    first_response_median_by_category_seconds: dict[str, float] = Field(default_factory=dict)


class ChannelResponse(ResponseStats):
    """:class:`ResponseStats` of one channel."""

    channel: str


class ResponseReport(ValueModel):
    """Response times per channel (sorted by name) and over all channels (``total``).

    ``skipped`` counts the messages that want no answer, by reason: ``from_brand`` (the brand's
    own), ``hidden``, ``future`` (written after ``now``), and one entry per excluded category
    (``spam``, ``abuse`` by default); ``duplicates`` counts messages given twice (same key).
    """

    now: AwareDatetime
    since: AwareDatetime | None = None
    channels: tuple[ChannelResponse, ...] = ()
    total: ResponseStats
    skipped: dict[str, int] = Field(default_factory=dict)

    def channel(self, name: str) -> ChannelResponse:
        """The figures of one channel (``KeyError`` naming the known channels otherwise)."""
        for entry in self.channels:
            if entry.channel == name:
                return entry
        known = ", ".join(c.channel for c in self.channels) or "none"
        raise KeyError(f"no messages on channel {name!r}; channels: {known}")


def _quantile(ordered: list[float], q: float) -> float:
    """The ``q`` quantile of sorted values, interpolating linearly between ranks."""
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class _Tally:
    def __init__(self) -> None:
        self.received = 0
        self.answered = 0
        self.delays: list[float] = []
        self.ages: dict[AgeBucket, int] = _empty_ages()
        self.by_category: dict[str, dict[AgeBucket, int]] = {}
        self.oldest: float | None = None
        self.received_by: dict[str, int] = {}
        self.delays_by: dict[str, list[float]] = {}

    def count(
        self, *, in_window: bool, delay: float | None, age: float | None, category: str
    ) -> None:
        if in_window:
            self.received += 1
            self.received_by[category] = self.received_by.get(category, 0) + 1
            if delay is not None:
                self.answered += 1
                self.delays.append(delay)
                self.delays_by.setdefault(category, []).append(delay)
        if age is not None:
            bucket = age_bucket(timedelta(seconds=age))
            self.ages[bucket] += 1
            self.by_category.setdefault(category, _empty_ages())[bucket] += 1
            self.oldest = age if self.oldest is None else max(self.oldest, age)

    def stats(self) -> dict[str, object]:
        ordered = sorted(self.delays)
        return {
            "received": self.received,
            "answered": self.answered,
            "response_rate": self.answered / self.received if self.received else None,
            "first_response_median_seconds": _quantile(ordered, 0.5) if ordered else None,
            "first_response_p90_seconds": _quantile(ordered, 0.9) if ordered else None,
            "backlog": sum(self.ages.values()),
            "backlog_by_age": self.ages,
            "backlog_by_category": dict(sorted(self.by_category.items())),
            "oldest_waiting_seconds": self.oldest,
            "received_by_category": dict(sorted(self.received_by.items())),
            "first_response_median_by_category_seconds": {
                name: _quantile(sorted(delays), 0.5)
                for name, delays in sorted(self.delays_by.items())
            },
        }


def _aware(value: object, field: str) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValidationError(
            field, value, "must be a timezone-aware datetime", hint="pass datetime.now(UTC)."
        )
    return value


def response_times(
    messages: Iterable[InboxMessage],
    *,
    now: datetime,
    since: datetime | None = None,
    categories: Mapping[str, MessageCategory] | None = None,
    answered_at: Mapping[str, datetime] | None = None,
    exclude: Collection[MessageCategory] = (MessageCategory.SPAM, MessageCategory.ABUSE),
    business_hours: BusinessHours | None = None,
) -> ResponseReport:
    """Measure how the brand answers: first-response time, response rate, backlog, per channel.

    ``messages`` are the inbox's messages, the brand's own among them (``from_brand``). A message
    from the public is answered by the brand's first message that replies to it
    (``in_reply_to`` is its id, on the same channel) at or after it; a direct message also by the
    brand's next message in the same conversation (``thread_id``). ``answered_at`` adds answers
    the messages do not show, by message key (the inbox's "answered" mark: answered by phone,
    say); the earliest answer counts.

    Messages that want no answer are left out and counted in ``skipped``: the brand's own,
    hidden ones, those written after ``now``, and those whose category (``categories``, by
    message key) is in ``exclude`` (spam and abuse by default). A message with no category given
    is counted as :data:`UNCLASSIFIED`. A message given twice (same key) counts once.

    ``since`` bounds the window of the response rate and times (messages written from ``since``
    to ``now``); the backlog is every unanswered message, however old. With ``business_hours``,
    first-response times and ages count open time only (:meth:`BusinessHours.open_seconds`). Raises
    :class:`~smmkit.errors.ValidationError` for a naive ``now``, ``since`` or answer time, or a
    ``since`` after ``now``. Cost: O(n log n) in the messages.
    """
    now = _aware(now, "now")
    if since is not None and _aware(since, "since") > now:
        raise ValidationError("since", since, "must not be after now", hint=f"now is {now}")
    categories = categories or {}
    answers = dict(answered_at or {})
    for key, when in answers.items():
        _aware(when, f"answered_at[{key!r}]")
    excluded = frozenset(exclude)

    seen: set[str] = set()
    public: list[InboxMessage] = []
    replies: dict[tuple[str, str], datetime] = {}
    conversations: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    skipped: dict[str, int] = {}

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    for message in messages:
        if not isinstance(message, InboxMessage):
            raise ValidationError("messages", message, "must hold InboxMessage objects")
        if message.key in seen:
            skip("duplicates")
            continue
        seen.add(message.key)
        if message.created_at > now:
            skip("future")
            continue
        if message.from_brand:
            skip("from_brand")
            if message.in_reply_to is not None:
                target = (message.channel, message.in_reply_to)
                earlier = replies.get(target)
                if earlier is None or message.created_at < earlier:
                    replies[target] = message.created_at
            conversations[(message.channel, message.thread_id)].append(message.created_at)
            continue
        if message.hidden:
            skip("hidden")
            continue
        category = categories.get(message.key)
        if category is not None and category in excluded:
            skip(str(category))
            continue
        public.append(message)

    ordered = {thread: sorted(times) for thread, times in conversations.items()}
    per_channel: dict[str, _Tally] = defaultdict(_Tally)
    total = _Tally()
    for message in public:
        created = message.created_at
        found: list[datetime] = []
        reply = replies.get((message.channel, message.message_id))
        if reply is not None and reply >= created:
            found.append(reply)
        if message.kind is MessageKind.DIRECT:
            times = ordered.get((message.channel, message.thread_id), [])
            at = bisect.bisect_left(times, created)
            if at < len(times):
                found.append(times[at])
        marked = answers.get(message.key)
        if marked is not None and marked <= now:
            found.append(max(marked, created))
        answer = min(found) if found else None
        in_window = since is None or created >= since
        if business_hours is not None:
            delay = None if answer is None else business_hours.open_seconds(created, answer)
            age = business_hours.open_seconds(created, now) if answer is None else None
        else:
            delay = (answer - created).total_seconds() if answer is not None else None
            age = (now - created).total_seconds() if answer is None else None
        category = categories.get(message.key)
        label = str(category) if category is not None else UNCLASSIFIED
        for tally in (per_channel[message.channel], total):
            tally.count(in_window=in_window, delay=delay, age=age, category=label)

    channels = tuple(
        ChannelResponse.model_validate({"channel": name, **tally.stats()})
        for name, tally in sorted(per_channel.items())
    )
    return ResponseReport(
        now=now,
        since=since,
        channels=channels,
        total=ResponseStats.model_validate(total.stats()),
        skipped=dict(sorted(skipped.items())),
    )
