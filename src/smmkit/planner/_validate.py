"""Rule checks for a :class:`PlanRequest`: each failure names the field, the value and the rule."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from smmkit.errors import ValidationError
from smmkit.models._base import zone

from ._series import check_rule
from ._timekit import exact_instant

if TYPE_CHECKING:
    from ._model import PlanRequest

_FIRST_DAY = date(1900, 1, 1)
_LAST_END = date(9999, 1, 1)


def _aware(field: str, value: object) -> None:
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValidationError(
            field,
            value,
            "a datetime must be timezone-aware",
            hint="attach a zone, e.g. tzinfo=ZoneInfo('Europe/Rome')",
        )


def check_request(request: PlanRequest) -> None:
    """Raise :class:`~smmkit.errors.ValidationError` for the first broken rule."""
    _aware("start", request.start)
    _aware("end", request.end)
    _aware("not_before", request.not_before)
    if request.end is not None and request.weeks is not None:
        raise ValidationError("weeks", request.weeks, "give either end or weeks, not both")
    if request.end_date <= request.start_date:
        raise ValidationError(
            "end",
            request.end_date.isoformat(),
            f"must be after start {request.start_date.isoformat()}",
        )
    if (request.end_date - request.start_date).days > 3660:
        raise ValidationError("end", request.end_date.isoformat(), "a plan covers at most 10 years")
    if request.start_date < _FIRST_DAY or request.end_date > _LAST_END:
        raise ValidationError(
            "start" if request.start_date < _FIRST_DAY else "end",
            (
                request.start_date if request.start_date < _FIRST_DAY else request.end_date
            ).isoformat(),
            "a plan must fall between 1900-01-01 and 9998-12-31 (time-zone rules, holidays and "
            "calendar exports need the years around it)",
            hint="check the year of start, end and weeks",
        )
    if not request.channels:
        raise ValidationError("channels", (), "a plan needs at least one channel")
    keys = [c.key for c in request.channels]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValidationError("channels", repeated, "channel keys must be unique")
    for n, channel in enumerate(request.channels):
        try:
            zone(channel.timezone)
        except (ValueError, KeyError, OSError) as exc:
            raise ValidationError(
                f"channels[{n}].timezone", channel.timezone, "unknown IANA time zone"
            ) from exc
        cad = channel.cadence
        if cad.posts_per_week > 7 * cad.daily_cap:
            raise ValidationError(
                f"channels[{n}].cadence.posts_per_week",
                cad.posts_per_week,
                f"cannot exceed 7 x daily_cap ({7 * cad.daily_cap})",
            )
    pillars = {p.key for p in request.brand.pillars}
    total = math.fsum(p.share for p in request.brand.pillars)
    if abs(total - 1.0) > 1e-6 or any(p.share <= 0 for p in request.brand.pillars):
        raise ValidationError("brand.pillars", total, "pillar shares must be positive and sum to 1")
    country = request.country
    if country is not None and not (len(country) == 2 and country.isupper()):
        raise ValidationError("country", request.country, "must be an ISO 3166-1 alpha-2 code")
    if not timedelta(minutes=5) <= request.granularity <= timedelta(hours=24):
        raise ValidationError(
            "granularity", request.granularity, "must be between 5 minutes and 24 hours"
        )
    if request.stagger < timedelta(0) or request.evergreen_gap < timedelta(0):
        raise ValidationError("stagger", request.stagger, "stagger and evergreen_gap must be >= 0")
    if request.best_times is not None:
        for key, grid in request.best_times.items():
            if key not in keys:
                raise ValidationError(f"best_times[{key!r}]", key, "names no channel")
            for (day, hour), score in grid.items():
                if not 0 <= hour <= 23:
                    raise ValidationError(
                        f"best_times[{key!r}][{day.value}]", hour, "hours must be 0-23 (local)"
                    )
                if not math.isfinite(score) or score < 0:
                    raise ValidationError(
                        f"best_times[{key!r}][({day.value}, {hour})]",
                        score,
                        "scores must be finite and >= 0",
                    )
    for key, mix in request.formats.items():
        if key not in keys:
            raise ValidationError(f"formats[{key!r}]", key, "names no channel of the request")
        if not mix or any(not math.isfinite(v) or v <= 0 for v in mix.values()):
            raise ValidationError(
                f"formats[{key!r}]",
                dict(mix),
                "needs at least one format, each with a positive weight",
            )
    for n, campaign in enumerate(request.campaigns):
        for key in campaign.channels:
            if key not in keys:
                raise ValidationError(f"campaigns[{n}].channels", key, "names no channel")
        for pillar in campaign.pillars:
            if pillar not in pillars:
                raise ValidationError(f"campaigns[{n}].pillars", pillar, "names no brand pillar")
    for n, post in enumerate(request.fixed):
        _aware(f"fixed[{n}].at", post.at)
        exact_instant(post.at, UTC, field=f"fixed[{n}].at")  # refuses instants beyond 1-9999
        if post.channel not in keys:
            raise ValidationError(f"fixed[{n}].channel", post.channel, "names no channel")
        if post.pillar is not None and post.pillar not in pillars:
            raise ValidationError(f"fixed[{n}].pillar", post.pillar, "names no brand pillar")
    for n, series in enumerate(request.series):
        for key in series.channels:
            if key not in keys:
                raise ValidationError(f"series[{n}].channels", key, "names no channel")
        if series.pillar is not None and series.pillar not in pillars:
            raise ValidationError(f"series[{n}].pillar", series.pillar, "names no brand pillar")
        check_rule(f"series[{n}].rule", series.rule)
    for n, item in enumerate(request.content):
        if item.pillar is not None and item.pillar not in pillars:
            raise ValidationError(f"content[{n}].pillar", item.pillar, "names no brand pillar")
