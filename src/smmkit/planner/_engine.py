"""The planning engine: times per channel, pillars, formats, objectives and campaigns.

Algorithm (per channel, W plan weeks, C candidate times per week, N posts a week, K pillars):

1. Candidate times: each open (non-blackout) day's posting-window times at ``granularity``, scored
   by best-time scores (given, or the platform prior) blended with the audience's activity.
2. Feasibility, backwards: for each week from the last, the *latest* greedy choice of N times
   (spacing, daily cap) bounds how late the previous week may end. Choosing greedily from the end
   is optimal for "at least N points with minimum gaps and per-day caps" (an exchange argument),
   so a week that cannot fit N here cannot fit N at all: the request is infeasible there.
3. Choice, forwards: N picks per week, in time order, within the bounds of step 2; pick k goes to
   the candidate maximising ``score - |open-day position - ideal position|`` (ideal positions
   spread the N posts evenly over the week's open days). A first, optimistic pass ignores what the
   later picks need; if it dead-ends, a second pass admits only candidates from which the
   remaining picks still fit (a table of greedy-reachable counts), which never dead-ends. Cadence
   is therefore exact whenever it is feasible.
4. Pillars: a four-week cycle of ``P = 4N`` slots per channel gets integer pillar quotas by
   controlled rounding of ``share x P`` over all channels at once (every channel's and every
   pillar's total within one slot of its target), ordered inside the cycle by Tijdeman's rule
   for the chairman assignment problem (every pillar within one slot of its even pace at every
   point of the cycle). The sequence repeats every ``P`` slots, so every window of four
   plan weeks holds exactly the quotas: within one slot of the target shares, per channel and
   overall (when every week meets its cadence and no fixed post forces a pillar).
5. Formats, objectives and campaign tags: smooth weighted round robin per channel (campaigns only
   inside their flights, on their channels and pillars).

Complexity: O(W x (C + N x 7 log 7)) per channel for times (O(W x C x daily_cap) when the reach
table is needed), O(S x K) for pillars and tags over S slots, so O(channels x weeks) overall;
controlled rounding costs O(channels x K^2) per repair step (each step fixes one unit).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smmkit.errors import InfeasiblePlanError, ValidationError
from smmkit.models import Campaign, Channel, ContentFormat, ContentStatus, Objective, Weekday
from smmkit.models._base import zone

from ._dates import DEFAULT_MARKETING_RULES, MarketingDate, marketing_dates, public_holidays
from ._defaults import default_format_mix, default_score, default_windows
from ._model import (
    EditorialCalendar,
    FixedPost,
    Moment,
    PlanRequest,
    Slot,
    SlotSource,
    Violation,
    slot_id,
)
from ._series import occurrences
from ._timekit import exact_instant, localize

__all__ = ["plan"]

log = logging.getLogger("smmkit.planner")

_SPREAD = 1.0  # penalty per open day away from the ideal position (scores are 0-1)
_INF = 1 << 62
_TOP = 1.0 + 1e-6  # the highest score a candidate can have (1, plus the tie-break nudge)


@dataclass(slots=True)
class _Pick:
    ts: int
    local: datetime
    why: list[str]
    source: SlotSource = "planned"
    fixed: FixedPost | None = None
    series: str | None = None
    series_format: ContentFormat | None = None
    series_pillar: str | None = None
    series_item: str | None = None


@dataclass(slots=True)
class _Week:
    index: int
    days: list[date]
    need: int
    ts: list[int] = field(default_factory=list)
    day: list[int] = field(default_factory=list)
    score: list[float] = field(default_factory=list)
    tmpl: list[int] = field(default_factory=list)
    capd: list[int] = field(default_factory=list)
    fixed: list[_Pick] = field(default_factory=list)
    unsteady: set[int] = field(default_factory=set)


# --------------------------------------------------------------------------- greedy primitives


def _latest(
    ts: Sequence[int], day: Sequence[int], capd: Sequence[int], s: int, need: int, upper: int
) -> list[int]:
    """Indices of the latest greedy choice of up to ``need`` times (all <= ``upper``)."""
    chosen: list[int] = []
    used: dict[int, int] = {}
    last = upper + s
    for i in range(len(ts) - 1, -1, -1):
        if len(chosen) == need:
            break
        if ts[i] > last - s:
            continue
        d = day[i]
        if used.get(d, 0) >= capd[d]:
            continue
        used[d] = used.get(d, 0) + 1
        chosen.append(i)
        last = ts[i]
    chosen.reverse()
    return chosen


def _earliest_count(
    ts: Sequence[int], day: Sequence[int], capd: Sequence[int], s: int, upper: int
) -> int:
    used: dict[int, int] = {}
    last = -_INF
    count = 0
    for i, t in enumerate(ts):
        if t > upper:
            break
        if t < last + s:
            continue
        d = day[i]
        if used.get(d, 0) >= capd[d]:
            continue
        used[d] = used.get(d, 0) + 1
        count += 1
        last = t
    return count


def _reach_table(ts: list[int], day: list[int], capd: list[int], s: int) -> list[list[int]]:
    """``F[i][c]``: most times choosable from candidate ``i`` on, taking ``i`` as the ``c``-th of
    its day (greedy-earliest continuation, which is optimal). O(C x daily_cap)."""
    n = len(ts)
    nd = [n] * n
    for i in range(n - 2, -1, -1):
        nd[i] = i + 1 if day[i + 1] != day[i] else nd[i + 1]
    table: list[list[int]] = [[]] * n
    j = n
    for i in range(n - 1, -1, -1):
        limit = ts[i] + s
        while j > i + 1 and ts[j - 1] >= limit:
            j -= 1
        if j <= i:
            j = i + 1
        di = day[i]
        cap_i = capd[di]
        if j >= n:
            table[i] = [0] + [1] * cap_i
            continue
        if day[j] != di:
            v = 1 + table[j][1]
            table[i] = [0] + [v] * cap_i
            continue
        k = max(j, nd[i])
        last = 1 + (table[k][1] if k < n else 0)
        if cap_i == 1:
            table[i] = [0, last]
            continue
        nxt_row = table[j]
        row = [0] * (cap_i + 1)
        for c in range(1, cap_i):
            row[c] = 1 + nxt_row[c + 1]
        row[cap_i] = last
        table[i] = row
    return table


def _select(
    ts: list[int],
    day: list[int],
    score: list[float],
    capd: list[int],
    s: int,
    need: int,
    by_day: dict[int, list[int]],
    open_days: list[int],
    table: list[list[int]] | None,
) -> list[int] | None:
    """Pick ``need`` candidates in time order; pick k maximises ``score - |day position - ideal|``.

    With ``table`` (see :func:`_reach_table`) a candidate is taken only if the remaining picks
    still fit after it, so the choice never dead-ends; without it the pass is optimistic and
    returns ``None`` on a dead end. The spread penalty is the same for a whole day, so days are
    visited from the nearest to the ideal position and, inside a day, times from the best score
    down. O(need x (7 log 7 + candidates tried)).
    """
    spread = len(open_days) / need
    p_ts, p_day, p_c = -_INF, -1, 0
    chosen: list[int] = []
    for k in range(1, need + 1):
        ideal = (k - 0.5) * spread
        remaining = need - k + 1
        best, best_obj = -1, -math.inf
        ranked = sorted(range(len(open_days)), key=lambda r: abs(r + 0.5 - ideal))
        floor_ts = p_ts + s
        for r in ranked:
            penalty = _SPREAD * abs(r + 0.5 - ideal)
            if _TOP - penalty <= best_obj:
                break
            dj = open_days[r]
            if dj < p_day:
                continue
            c = p_c + 1 if dj == p_day else 1
            if c > capd[dj]:
                continue
            for j in by_day[dj]:
                obj = score[j] - penalty
                if obj <= best_obj:
                    break
                if ts[j] >= floor_ts and (table is None or table[j][c] >= remaining):
                    best, best_obj = j, obj
                    break
        if best < 0:
            return None
        dj = day[best]
        p_c = p_c + 1 if dj == p_day else 1
        p_ts, p_day = ts[best], dj
        chosen.append(best)
    return chosen


# --------------------------------------------------------------------------- context


@dataclass
class _Context:
    request: PlanRequest
    language: str
    blackout: dict[date, str]
    moments: list[Moment]
    marketing: tuple[MarketingDate, ...]
    holiday_names: dict[date, str]


def _context(request: PlanRequest) -> _Context:
    brand = request.brand
    language = brand.locale.split("-")[0]
    first, end = request.start_date, request.end_date
    last = end - timedelta(days=1)
    country = request.country or brand.country
    region = (
        request.region
        if request.region is not None
        else (brand.region if request.country is None else None)
    )
    holidays: dict[date, str] = {}
    if country:
        years = list(range(first.year, last.year + 1))
        holidays = {
            d: n
            for d, n in public_holidays(country, years, region=region, language=language).items()
            if first <= d <= last
        }
    blackout: dict[date, str] = {}
    moments: list[Moment] = []
    for d, name in holidays.items():
        moments.append(
            Moment(day=d, kind="holiday", name=name, blackout=request.holidays_as_blackout)
        )
        if request.holidays_as_blackout:
            blackout[d] = name
    for d in sorted(set(request.blackout_dates)):
        if first <= d <= last and d not in blackout:
            blackout[d] = "blackout"
            moments.append(Moment(day=d, kind="blackout", name="blackout", blackout=True))
    rules = (DEFAULT_MARKETING_RULES if request.default_marketing_dates else ()) + tuple(
        request.marketing_rules
    )
    marketing = marketing_dates(first, last, country=country, language=language, rules=rules)
    for m in marketing:
        if holidays.get(m.start) == m.name:
            continue  # the public holiday already says it
        moments.append(
            Moment(
                day=max(m.start, first), kind="marketing", name=m.name, blackout=m.start in blackout
            )
        )
    moments.sort(key=lambda m: (m.day, m.kind, m.name))
    return _Context(request, language, blackout, moments, marketing, holidays)


# --------------------------------------------------------------------------- channel times


def _template(request: PlanRequest, channel: Channel) -> dict[int, list[tuple[int, float, str]]]:
    """Per weekday: (seconds after local midnight, score 0-1, score note), sorted by time."""
    windows = channel.windows or default_windows(channel.platform)
    step = int(request.granularity.total_seconds())
    grid = (request.best_times or {}).get(channel.key)
    top = max(grid.values(), default=0.0) if grid else 0.0
    activity = None
    act_top = 0.0
    audience = request.audience
    if audience is not None and audience.timezone == channel.timezone:
        activity = audience.activity()
        act_top = max((v for day in activity.values() for v in day.values()), default=0.0)
    out: dict[int, list[tuple[int, float, str]]] = {}
    for wd in Weekday:
        secs: set[int] = set()
        for w in windows:
            if wd not in w.weekdays:
                continue
            a = w.start.hour * 3600 + w.start.minute * 60 + w.start.second
            b = w.end.hour * 3600 + w.end.minute * 60 + w.end.second
            secs.update(range(a, b, step))
        entries: list[tuple[int, float, str]] = []
        for sec in sorted(secs):
            hour = sec // 3600
            if grid is not None:
                base = grid.get((wd, hour), 0.0) / top if top > 0 else 0.0
                note = f"best-time score {base:.2f} (analytics)"
            else:
                base = default_score(channel.platform, wd, hour)
                note = f"best-time prior {base:.2f} ({channel.platform.value} default)"
            score = base
            if activity is not None and act_top > 0:
                active = activity[wd][hour] / act_top
                score = 0.6 * base + 0.4 * active
                note += f", audience active {activity[wd][hour]:.0%}"
            entries.append((sec, score + _tie_break(request.seed, channel.key, wd, sec), note))
        out[wd.number] = entries
    return out


def _pace_pick(
    keys: list[str],
    counts: dict[str, int],
    quota: dict[str, int],
    period: int,
    t: int,
    rank: dict[str, int],
) -> str:
    """The pillar of the ``t``-th slot of a cycle: Tijdeman's rule for the chairman assignment
    problem (1980). Among the pillars at least ``1/(2k-2)`` of a slot behind their even pace
    ``quota x t / period``, the one whose lag would first reach ``1 - 1/(2k-2)`` goes first.
    Every pillar then stays strictly within one slot of its even pace at every point of the
    cycle (``|count - quota x t / period| <= 1 - 1/(2k-2)``, ``k`` pillars), where the largest-
    deficit rule can fall a slot behind. O(k) per slot."""
    k = len(quota)
    margin = 1 / (2 * (k - 1)) if k > 1 else 0.5
    size = max(period, 1)
    lag = {p: quota[p] * t / size - counts[p] for p in keys}
    ready = [p for p in keys if quota[p] > 0 and lag[p] >= margin - 1e-12]
    if not ready:
        return max(keys, key=lambda p: (lag[p], quota[p], -rank[p]))
    return min(
        ready,
        key=lambda p: ((counts[p] + 1 - margin) * size / quota[p], -quota[p], rank[p]),
    )


def _tie_break(seed: int, key: str, day: Weekday, sec: int) -> float:
    """A deterministic nudge below 1e-6 that breaks ties between equal scores by ``seed``."""
    digest = hashlib.blake2b(f"{seed}|{key}|{day.value}|{sec}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") / 2**32 * 1e-6


def _fixed_picks(
    request: PlanRequest, ctx: _Context, channel: Channel, tz: ZoneInfo, skipped: list[str]
) -> list[_Pick]:
    first, end = request.start_date, request.end_date
    picks: list[_Pick] = []
    for post in request.fixed:
        if post.channel != channel.key:
            continue
        local, moved = exact_instant(post.at, tz, field=f"fixed post on {channel.key}")
        if not first <= local.date() < end:
            continue
        picks.append(
            _Pick(
                int(local.timestamp()),
                local,
                ["already scheduled (fixed post)"] + ([moved] if moved else []),
                source="fixed",
                fixed=post,
            )
        )
    for series in request.series:
        if channel.key not in series.channels:
            continue
        # bounded: a channel cannot take more than daily_cap posts a day over the plan
        limit = channel.cadence.daily_cap * (end - first).days
        try:
            expanded = list(occurrences(series.rule, first, end, limit))
        except ValueError:
            raise ValidationError(
                f"series[{series.key!r}].rule",
                series.rule,
                f"gives more than {limit} posts on {channel.key!r} over the plan's "
                f"{(end - first).days} days (its daily_cap is {channel.cadence.daily_cap})",
                hint="use a sparser rule (FREQ=WEEKLY, fewer BYHOUR values, a larger INTERVAL)",
            ) from None
        for naive in expanded:
            if naive.date() in ctx.blackout:
                skipped.append(
                    f"series '{series.key}' on {channel.key}: {naive:%Y-%m-%d %H:%M} "
                    f"skipped, blackout ({ctx.blackout[naive.date()]})"
                )
                continue
            local, note = localize(naive.date(), naive.time(), tz)
            why = [f"series '{series.name}' ({series.rule})"] + ([note] if note else [])
            picks.append(
                _Pick(
                    int(local.timestamp()),
                    local,
                    why,
                    source="series",
                    series=series.key,
                    series_format=series.format,
                    series_pillar=series.pillar,
                    series_item=series.item_id,
                )
            )
    picks.sort(key=lambda p: p.ts)
    return picks


def _day_epoch(d: date) -> int:
    return (d.toordinal() - 719163) * 86400


def _weeks(
    request: PlanRequest,
    ctx: _Context,
    channel: Channel,
    tz: ZoneInfo,
    fixed: list[_Pick],
    tmpl: dict[int, list[tuple[int, float, str]]],
) -> list[_Week]:
    first, end = request.start_date, request.end_date
    n_days = (end - first).days
    cad = channel.cadence
    s = max(1, int(cad.min_spacing.total_seconds()))
    fixed_ts = [p.ts for p in fixed]
    not_before = int(request.not_before.timestamp()) if request.not_before else -_INF
    weeks: list[_Week] = []
    utc = UTC
    crowd = _crowd(request, channel)
    tmpl_cols = {
        wd: ([e[0] for e in entries], [e[1] for e in entries]) for wd, entries in tmpl.items()
    }
    for w in range((n_days + 6) // 7):
        days = [first + timedelta(days=7 * w + k) for k in range(min(7, n_days - 7 * w))]
        need = cad.posts_per_week if len(days) == 7 else (cad.posts_per_week * len(days)) // 7
        week = _Week(w, days, need)
        fixed_count = [0] * len(days)
        for p in fixed:
            k = (p.local.date() - days[0]).days
            if 0 <= k < len(days):
                fixed_count[k] += 1
                week.fixed.append(p)
        week.capd = [max(0, cad.daily_cap - c) for c in fixed_count]
        for k, d in enumerate(days):
            if d in ctx.blackout or week.capd[k] == 0:
                continue
            entries = tmpl[d.weekday()]
            if not entries:
                continue
            base = _day_epoch(d)
            midnight = datetime(d.year, d.month, d.day, tzinfo=tz)
            off0 = midnight.utcoffset()
            nxt = midnight + timedelta(days=1)
            off1 = datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).utcoffset()
            steady = off0 == off1 and off0 is not None
            if not steady:
                week.unsteady.add(k)
            offset = int(off0.total_seconds()) if off0 is not None else 0
            if steady and not fixed_ts and base + 86400 - offset > not_before + 86400:
                shift = base - offset
                secs, scores = tmpl_cols[d.weekday()]
                week.ts.extend([shift + sec for sec in secs])
                week.day.extend([k] * len(secs))
                week.score.extend(scores)
                week.tmpl.extend(range(len(secs)))
                continue
            last_ts = -_INF
            for idx, (sec, score, _note) in enumerate(entries):
                if steady:
                    t = base + sec - offset
                else:
                    local = datetime(
                        d.year, d.month, d.day, sec // 3600, sec // 60 % 60, sec % 60, tzinfo=tz
                    )
                    t = int(local.astimezone(utc).timestamp())
                    back = datetime.fromtimestamp(t, tz)
                    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
                        t = int(localize(d, time(sec // 3600, sec // 60 % 60), tz)[0].timestamp())
                if t <= last_ts or t < not_before:
                    continue  # a gap time moved onto an existing one, or the past
                if fixed_ts:
                    j = bisect_left(fixed_ts, t - s + 1) if s > 0 else bisect_left(fixed_ts, t)
                    if j < len(fixed_ts) and fixed_ts[j] < t + max(s, 1):
                        continue
                last_ts = t
                week.ts.append(t)
                week.day.append(k)
                week.score.append(score)
                week.tmpl.append(idx)
        if crowd is not None:
            week.score = [
                0.6 * sc + 0.4 * crowd.share(t)[0]
                for sc, t in zip(week.score, week.ts, strict=True)
            ]
        weeks.append(week)
    return weeks


class _Crowd:
    """The audience's activity at an instant, read in the audience's own time zone (used when it
    differs from the channel's)."""

    def __init__(self, activity: dict[Weekday, dict[int, float]], tz: ZoneInfo) -> None:
        self.tz = tz
        self.grid = {day.number: hours for day, hours in activity.items()}
        self.top = max((v for hours in activity.values() for v in hours.values()), default=0.0)

    def share(self, ts: int) -> tuple[float, float]:
        """(activity relative to the peak, share of the audience active) at ``ts``."""
        local = datetime.fromtimestamp(ts, self.tz)
        raw = self.grid[local.weekday()][local.hour]
        return (raw / self.top if self.top > 0 else 0.0), raw


def _crowd(request: PlanRequest, channel: Channel) -> _Crowd | None:
    audience = request.audience
    if audience is None or audience.timezone == channel.timezone:
        return None
    return _Crowd(audience.activity(), zone(audience.timezone))


def _diagnose(
    channel: Channel, week: _Week, upper: int, got: int, ctx: _Context, step: int
) -> InfeasiblePlanError:
    cad = channel.cadence
    need = week.need - len(week.fixed)
    s = max(1, int(cad.min_spacing.total_seconds()))
    key = channel.key
    options: list[str] = []
    lowered = cad.posts_per_week - (need - got)
    options.append(
        f"lower channels[{key!r}].cadence.posts_per_week from {cad.posts_per_week} "
        f"to {max(lowered, 0)}"
    )
    for cap in range(cad.daily_cap + 1, min(100, cad.daily_cap + need) + 1):
        capd = [max(0, cap - (cad.daily_cap - c)) for c in week.capd]
        if _earliest_count(week.ts, week.day, capd, s, upper) >= need:
            options.append(f"raise daily_cap from {cad.daily_cap} to {cap}")
            break
    lo, hi = 0, s // step if step else 0
    if hi > 0 and _earliest_count(week.ts, week.day, week.capd, 0, upper) >= need:
        while lo < hi:  # largest spacing (multiple of the granularity) that fits
            mid = (lo + hi + 1) // 2
            if _earliest_count(week.ts, week.day, week.capd, mid * step, upper) >= need:
                lo = mid
            else:
                hi = mid - 1
        options.append(
            f"lower min_spacing from {cad.min_spacing} to {timedelta(seconds=lo * step)}"
        )
    closed = [d for d in week.days if d in ctx.blackout]
    if closed:
        options.append(
            "allow posting on " + ", ".join(f"{d.isoformat()} ({ctx.blackout[d]})" for d in closed)
        )
    options.append("or widen the posting windows")
    where = f"the week of {week.days[0].isoformat()}"
    return InfeasiblePlanError(
        f"channels[{key!r}].cadence.posts_per_week",
        f"only {got + len(week.fixed)} of {week.need} posts fit {where} on {key!r} (posting "
        f"windows, blackout days, daily cap {cad.daily_cap}, min spacing {cad.min_spacing})",
        "smallest relaxation: " + "; ".join(options),
    )


def _channel_times(
    request: PlanRequest,
    ctx: _Context,
    channel: Channel,
    relax: bool,
    violations: list[Violation],
    skipped: list[str],
) -> list[_Pick]:
    tz = zone(channel.timezone)
    cad = channel.cadence
    s = max(1, int(cad.min_spacing.total_seconds()))  # two posts never share an instant
    tmpl = _template(request, channel)
    crowd = _crowd(request, channel)
    fixed = _fixed_picks(request, ctx, channel, tz, skipped)
    for a, b in itertools.pairwise(fixed):
        if b.ts - a.ts < s:
            if not relax:
                raise InfeasiblePlanError(
                    f"channels[{channel.key!r}].cadence.min_spacing",
                    f"fixed or series posts at {a.local.isoformat()} and {b.local.isoformat()} "
                    f"are closer than {cad.min_spacing}",
                    f"move one of them, or lower min_spacing to {timedelta(seconds=b.ts - a.ts)}",
                )
            violations.append(
                Violation(
                    constraint="min_spacing",
                    channel=channel.key,
                    week_start=a.local.date(),
                    expected=s,
                    actual=b.ts - a.ts,
                    detail="fixed posts too close",
                )
            )
    weeks = _weeks(request, ctx, channel, tz, fixed, tmpl)
    # Backward pass: latest feasible end of each week.
    bounds = [_INF] * len(weeks)
    upper = _INF
    for week in reversed(weeks):
        bounds[week.index] = upper
        need = week.need - len(week.fixed)
        if need < 0:
            if not relax:
                raise InfeasiblePlanError(
                    f"channels[{channel.key!r}].cadence.posts_per_week",
                    f"{len(week.fixed)} fixed or series posts exceed the cadence of {week.need} "
                    f"in the week of {week.days[0].isoformat()}",
                    f"raise posts_per_week to {len(week.fixed)} or remove "
                    f"{len(week.fixed) - week.need} fixed posts",
                )
            violations.append(
                Violation(
                    constraint="cadence",
                    channel=channel.key,
                    week_start=week.days[0],
                    expected=week.need,
                    actual=len(week.fixed),
                    detail="fixed posts exceed",
                )
            )
            week.need = len(week.fixed)
            need = 0
        chosen = _latest(week.ts, week.day, week.capd, s, need, upper)
        if len(chosen) < need:
            if not relax:
                raise _diagnose(
                    channel, week, upper, len(chosen), ctx, int(request.granularity.total_seconds())
                )
            violations.append(
                Violation(
                    constraint="cadence",
                    channel=channel.key,
                    week_start=week.days[0],
                    expected=week.need,
                    actual=len(chosen) + len(week.fixed),
                    detail="windows, blackouts, daily cap and spacing leave too few times",
                )
            )
            week.need = len(chosen) + len(week.fixed)
        firsts = [week.ts[chosen[0]]] if chosen else []
        firsts += [week.fixed[0].ts] if week.fixed else []
        if firsts:
            upper = min(firsts) - s
    # Forward pass.
    picks: list[_Pick] = []
    prev = -_INF
    for week in weeks:
        picks.extend(week.fixed)
        need = week.need - len(week.fixed)
        if need <= 0:
            continue
        lo = bisect_left(week.ts, prev + s) if prev > -_INF else 0
        hi = bisect_left(week.ts, bounds[week.index] + 1)
        ts, day, score, tix = (week.ts[lo:hi], week.day[lo:hi], week.score[lo:hi], week.tmpl[lo:hi])
        by_day: dict[int, list[int]] = {}
        for j, dj in enumerate(day):
            by_day.setdefault(dj, []).append(j)
        for members in by_day.values():
            members.sort(key=score.__getitem__, reverse=True)  # stable: earliest of equals first
        open_days = sorted(by_day)
        picked = _select(ts, day, score, week.capd, s, need, by_day, open_days, None)
        if picked is None:  # the optimistic pass hit a dead end: steer with the reach table
            table = _reach_table(ts, day, week.capd, s)
            picked = _select(ts, day, score, week.capd, s, need, by_day, open_days, table)
        if picked is None:  # pragma: no cover - excluded by the backward pass
            raise AssertionError("planner invariant broken: no feasible time")
        for k, best in enumerate(picked, start=1):
            dj = day[best]
            d = week.days[dj]
            entry = tmpl[d.weekday()][tix[best]]
            sec = entry[0]
            if dj in week.unsteady:  # a daylight-saving day: resolve gaps and folds explicitly
                local, note = localize(d, time(sec // 3600, sec // 60 % 60, sec % 60), tz)
            else:
                local, note = datetime.fromtimestamp(ts[best], tz), None
            audience_note = ""
            if crowd is not None:
                audience_note = (
                    f", audience active {crowd.share(ts[best])[1]:.0%} ({crowd.tz.key} time)"
                )
            why = [
                f"{Weekday.from_number(d.weekday()).value} {local:%H:%M} {local.tzname()}: "
                f"{entry[2]}{audience_note}; post {k} of {need} this week, spread over "
                f"{len(open_days)} open days"
            ]
            if note:
                why.append(note)
            picks.append(_Pick(int(local.timestamp()), local, why))
        prev = ts[picked[-1]] if picked else prev
    picks.sort(key=lambda p: p.ts)
    return picks


# --------------------------------------------------------------------------- pillars


def round_quotas(rows: Sequence[int], shares: Sequence[float]) -> list[list[int]]:
    """Round ``rows[r] x shares[p]`` to integers: every row sums to ``rows[r]``, every cell and
    every column total is the floor or the ceiling of its exact value (controlled rounding).

    Starts from largest-remainder rounding per row, then repairs columns along alternating paths
    (a small flow augmentation). Complexity: O(R x K) plus O(R x K^2) per repair unit.
    """
    k = len(shares)
    exact = [[r * sh for sh in shares] for r in rows]
    cells = [[math.floor(v + 1e-9) for v in row] for row in exact]
    for r, row in enumerate(exact):
        short = rows[r] - sum(cells[r])
        order = sorted(range(k), key=lambda p: (-(row[p] - cells[r][p]), p))
        for p in order[:short]:
            cells[r][p] += 1
    col_exact = [sum(exact[r][p] for r in range(len(rows))) for p in range(k)]
    lo = [math.floor(v + 1e-9) for v in col_exact]
    hi = [math.ceil(v - 1e-9) for v in col_exact]

    def frac(r: int, p: int) -> bool:
        return abs(exact[r][p] - round(exact[r][p])) > 1e-9

    for _ in range(len(rows) * k + 10):
        col = [sum(cells[r][p] for r in range(len(rows))) for p in range(k)]
        over = [p for p in range(k) if col[p] > hi[p]]
        under = [p for p in range(k) if col[p] < lo[p]]
        if not over and not under:
            break
        # BFS over pillars: move a unit from column a to b through a row with a up, b down.
        sources = over or [p for p in range(k) if col[p] - 1 >= lo[p]]
        targets = set(under) if under else {p for p in range(k) if col[p] + 1 <= hi[p]}
        parent: dict[int, tuple[int, int]] = {}
        queue = list(sources)
        seen = set(sources)
        found = -1
        while queue and found < 0:
            a = queue.pop(0)
            for r in range(len(rows)):
                if not (frac(r, a) and cells[r][a] > exact[r][a]):
                    continue
                for b in range(k):
                    if b in seen or not (frac(r, b) and cells[r][b] < exact[r][b]):
                        continue
                    parent[b] = (a, r)
                    seen.add(b)
                    if b in targets:
                        found = b
                        break
                    queue.append(b)
                if found >= 0:
                    break
        if found < 0:
            log.warning("controlled rounding could not repair the pillar totals")
            break
        b = found
        while b in parent:
            a, r = parent[b]
            cells[r][a] -= 1
            cells[r][b] += 1
            b = a
    return cells


def _swrr(credits: dict[str, float], weights: dict[str, float]) -> str:
    total = sum(weights.values())
    for key, weight in weights.items():
        credits[key] = credits.get(key, 0.0) + weight / total
    chosen = max(weights, key=lambda key: (credits[key], weights[key], key))
    credits[chosen] -= 1.0
    return chosen


class _Rotation:
    """Smooth weighted round robin over fixed keys: each turn every key earns its share of the
    weight, the richest key is chosen and pays 1, so each key's count stays close to
    ``turns x share`` and its turns are spread out (nginx's "smooth" rule). O(keys) per turn."""

    def __init__(self, weights: dict[str, float]) -> None:
        total = sum(weights.values())
        order = sorted(weights, key=lambda k: (-weights[k], k))
        self.keys = order
        self.shares = [weights[k] / total for k in order]
        self.credits = [0.0] * len(order)

    def next(self) -> str:
        credits = self.credits
        best = 0
        for i, share in enumerate(self.shares):
            credits[i] += share
            if credits[i] > credits[best]:
                best = i
        credits[best] -= 1.0
        return self.keys[best]


_SLOT_FIELDS = frozenset(Slot.model_fields)


def _fast_slot(values: dict[str, Any]) -> Slot:
    """A :class:`Slot` from values the engine built and knows valid, skipping validation (the
    hot path of large plans), through pydantic's public ``model_construct`` with every field
    given; the property tests check each such slot against ``Slot.model_validate``."""
    return Slot.model_construct(_fields_set=set(_SLOT_FIELDS), **values)


def plan(request: PlanRequest, *, relax: bool = False) -> EditorialCalendar:
    """Plan an editorial calendar (see the module docstring for the algorithm and guarantees).

    Raises :class:`~smmkit.errors.ValidationError` for bad input and
    :class:`~smmkit.errors.InfeasiblePlanError` (naming the constraint and the smallest
    relaxation) when a cadence cannot hold; with ``relax=True`` returns the best plan instead,
    with the unmet constraints in ``violations``.
    """
    from ._assign import assign_items

    request.check()
    ctx = _context(request)
    brand = request.brand
    violations: list[Violation] = []
    skipped: list[str] = []
    per_channel: dict[str, list[_Pick]] = {}
    for channel in request.channels:
        per_channel[channel.key] = _channel_times(request, ctx, channel, relax, violations, skipped)
    pillar_keys = [p.key for p in brand.pillars]
    pillar_rank = {key: n for n, key in enumerate(pillar_keys)}
    shares = [p.share for p in brand.pillars]
    periods = [4 * c.cadence.posts_per_week for c in request.channels]
    quotas = round_quotas(periods, shares)
    campaigns = list(request.campaigns)
    # flights as instants, once (Campaign.active_at compares instants too; this skips its
    # conversions for every slot x campaign)
    flights = [(c, c.start.timestamp(), c.end.timestamp()) for c in campaigns]
    day_marks: dict[date, tuple[str, ...]] = {}
    for m in ctx.marketing:
        if ctx.holiday_names.get(m.start) == m.name:
            continue
        d = max(m.start, request.start_date)
        while d <= m.end and d < request.end_date:
            day_marks[d] = (*day_marks.get(d, ()), m.name)
            d += timedelta(days=1)
    for d, name in ctx.holiday_names.items():
        if d not in ctx.blackout:
            day_marks[d] = (*day_marks.get(d, ()), name)
    objectives = {o.objective.value: o.weight for o in brand.objectives}
    slots: list[Slot] = []
    seen_ids: set[str] = set()
    for c_index, channel in enumerate(request.channels):
        period = periods[c_index]
        quota = dict(zip(pillar_keys, quotas[c_index], strict=True))
        mix = {
            f.value: w
            for f, w in (
                request.formats.get(channel.key) or default_format_mix(channel.platform)
            ).items()
        }
        formats = _Rotation(mix)
        goals = _Rotation(objectives) if objectives else None
        c_credit: dict[str, float] = {}
        c_tagged: dict[str, int] = {}
        c_eligible: dict[str, int] = {}
        counts = dict.fromkeys(pillar_keys, 0)
        for n, pick in enumerate(per_channel[channel.key]):
            pos = n % period if period else 0
            if pos == 0:
                counts = dict.fromkeys(pillar_keys, 0)
            forced = (pick.fixed.pillar if pick.fixed else None) or pick.series_pillar
            if forced is not None:
                pillar = forced
                pillar_why = f"pillar '{pillar}' set by the {pick.source} post"
            else:
                open_keys = [p for p in pillar_keys if counts[p] < quota[p]] or pillar_keys
                pillar = _pace_pick(open_keys, counts, quota, period, pos + 1, pillar_rank)
                share = brand.pillar(pillar).share
                pillar_why = (
                    f"pillar '{pillar}' (target {share:.0%}): {counts[pillar] + 1} of "
                    f"{quota[pillar]} in this channel's {period}-slot four-week cycle, "
                    "the pillar due soonest at its even pace"
                )
            counts[pillar] = counts.get(pillar, 0) + 1
            fmt_forced = (pick.fixed.format if pick.fixed else None) or pick.series_format
            fmt = fmt_forced or ContentFormat(formats.next())
            campaign_id = pick.fixed.campaign if pick.fixed else None
            why = [*list(pick.why), pillar_why]
            if campaign_id is None and pick.source == "planned":
                at = pick.local.timestamp()
                live = [
                    c
                    for c, opens, closes in flights
                    if opens <= at < closes
                    and (not c.channels or channel.key in c.channels)
                    and (not c.pillars or pillar in c.pillars)
                    and c.weight > 0
                ]
                if live:
                    weights = {"": 1.0} | {c.id: c.weight for c in live}
                    chosen = _swrr(c_credit, weights)
                    for c in live:
                        c_eligible[c.id] = c_eligible.get(c.id, 0) + 1
                    if chosen:
                        campaign_id = chosen
                        c_tagged[chosen] = c_tagged.get(chosen, 0) + 1
                        camp = next(c for c in live if c.id == chosen)
                        why.append(_campaign_why(camp, c_tagged[chosen], c_eligible[chosen]))
            objective: Objective | None
            if campaign_id is not None:
                camp_obj = next((c for c in campaigns if c.id == campaign_id), None)
                objective = camp_obj.objective if camp_obj else None
            elif goals is not None:
                objective = Objective(goals.next())
            else:
                objective = None
            day = pick.local.date()
            marks = day_marks.get(day, ())
            if marks:
                why.append("on " + ", ".join(marks))
            # values built here are already valid: construct without re-validating (hot path)
            sid = slot_id(channel.key, pick.local, pick.series or "")
            while sid in seen_ids:  # only two relaxed fixed posts can share an instant
                sid = slot_id(channel.key, pick.local, sid)
            seen_ids.add(sid)
            slots.append(
                _fast_slot(
                    {
                        "id": sid,
                        "channel": channel.key,
                        "platform": channel.platform,
                        "start": pick.local,
                        "timezone": channel.timezone,
                        "pillar": pillar,
                        "format": fmt,
                        "objective": objective,
                        "campaign": campaign_id,
                        "item_id": (pick.fixed.item_id if pick.fixed else None) or pick.series_item,
                        "title": pick.fixed.title if pick.fixed else None,
                        "series": pick.series,
                        "source": pick.source,
                        "locked": pick.source != "planned",
                        "status": ContentStatus.DRAFT,
                        "moments": marks,
                        "reasons": tuple(why),
                    }
                )
            )
    notes: list[str] = []
    tagged = Counter(s.campaign for s in slots if s.campaign)
    first_day = datetime.combine(request.start_date, time(), UTC)
    last_day = datetime.combine(request.end_date, time(), UTC)
    for camp in campaigns:
        if camp.start < last_day and camp.end > first_day and not tagged[camp.id]:
            notes.append(
                f"campaign '{camp.id}' got no slot: none of its channels has a slot "
                f"with {'one of its pillars' if camp.pillars else 'any pillar'} inside "
                "its flight in this period (or its weight is 0)"
            )
    calendar = EditorialCalendar(
        brand=brand.name,
        locale=brand.locale,
        timezone=brand.timezone,
        start=request.start_date,
        end=request.end_date,
        slots=(),
        moments=tuple(ctx.moments),
        violations=tuple(violations),
        skipped=tuple(skipped),
        pillar_targets={p.key: p.share for p in brand.pillars},
        notes=tuple(notes),
    ).with_slots(slots)
    if request.content:
        calendar = assign_items(
            calendar, request.content, stagger=request.stagger, evergreen_gap=request.evergreen_gap
        )
    log.debug("planned %d slots on %d channels", len(calendar.slots), len(request.channels))
    return calendar


def _campaign_why(campaign: Campaign, tagged: int, eligible: int) -> str:
    return (
        f"campaign '{campaign.id}' (flight {campaign.start:%Y-%m-%d} to "
        f"{campaign.end:%Y-%m-%d}, weight {campaign.weight:g}): {tagged} of {eligible} "
        "eligible slots so far"
    )
