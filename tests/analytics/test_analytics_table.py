"""MetricsTable: constructors, filters, group-by (periods in a timezone), bad input, exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analytics import MetricsTable
from smmkit.errors import ValidationError
from smmkit.models import AdMetrics, Money, Platform, PostMetrics


def _post(i: int, when: datetime, channel: str = "ig", **kw: object) -> PostMetrics:
    base: dict[str, object] = {"reach": 100, "likes": 5, "impressions": 150}
    base.update(kw)
    return PostMetrics.model_validate(
        {
            "platform": Platform.INSTAGRAM,
            "channel": channel,
            "post_id": f"p{i}",
            "measured_at": when + timedelta(days=1),
            "published_at": when,
            **base,
        }
    )


def test_from_records_dicts_and_columns_agree() -> None:
    t0 = datetime(2026, 3, 2, 10, tzinfo=UTC)
    recs = [_post(i, t0 + timedelta(hours=i), likes=i) for i in range(5)]
    a = MetricsTable.from_records(recs).kpis(["engagement_rate_by_reach_pooled"])
    dicts = [
        {
            "channel": "ig",
            "published_at": r.published_at,
            "reach": r.reach,
            "likes": r.likes,
            "impressions": r.impressions,
        }
        for r in recs
    ]
    b = MetricsTable.from_dicts(dicts).kpis(["engagement_rate_by_reach_pooled"])
    assert a.rows[0].value("engagement_rate_by_reach_pooled") == pytest.approx(10 / 500)
    assert a == b


def test_ragged_dicts_fill_missing_keys_with_not_reported() -> None:
    t = MetricsTable.from_dicts([{"reach": 10, "likes": 1}, {"reach": 10, "clicks": 2}])
    assert np.isnan(t.column("likes")[1])
    assert np.isnan(t.column("clicks")[0])


def test_ad_records_carry_spend_and_refuse_mixed_currencies() -> None:
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    ad = AdMetrics(
        platform=Platform.FACEBOOK,
        measured_at=t0,
        ad_id="a1",
        spend=Money(amount=Decimal("12.50"), currency="EUR"),
        clicks=5,
        revenue=Money(amount=Decimal("50"), currency="EUR"),
    )
    t = MetricsTable.from_records([ad])
    assert t.currency == "EUR"
    assert t.kpis(["cpc", "roas"]).rows[0].value("cpc") == pytest.approx(2.5)
    usd = ad.model_copy(
        update={"spend": Money(amount=Decimal("1"), currency="USD"), "revenue": None}
    )
    with pytest.raises(ValidationError, match=r"records\[1\].spend.currency"):
        MetricsTable.from_records([ad, usd])


def test_group_by_week_in_timezone_and_dst() -> None:
    # Sunday 2026-03-29 23:30 in Rome (CEST, UTC+2) is 21:30 UTC; it belongs to the week of
    # Monday 2026-03-23 in Rome; a UTC grouping agrees here, but 2026-03-29 22:30 UTC is
    # Monday 00:30 in Rome: next week in Rome, same week in UTC.
    times = [datetime(2026, 3, 29, 21, 30, tzinfo=UTC), datetime(2026, 3, 29, 22, 30, tzinfo=UTC)]
    t = MetricsTable.from_columns(
        {"channel": ["ig", "ig"], "published_at": times, "reach": [10, 10], "likes": [1, 3]}
    )
    rome = t.kpis(
        ["engagement_rate_by_reach_pooled"],
        by=["channel", "period"],
        period="week",
        tz="Europe/Rome",
    )
    assert [r.key["period"] for r in rome.rows] == ["2026-03-23", "2026-03-30"]
    utc = t.kpis(["engagement_rate_by_reach_pooled"], by=["period"], period="week", tz="UTC")
    assert [r.key["period"] for r in utc.rows] == ["2026-03-23"]
    month = t.kpis(
        ["engagement_rate_by_reach_pooled"], by=["period"], period="month", tz="Europe/Rome"
    )
    assert [r.key["period"] for r in month.rows] == ["2026-03"]
    day = t.kpis(["engagement_rate_by_reach_pooled"], by=["period"], period="day", tz="Europe/Rome")
    assert [r.key["period"] for r in day.rows] == ["2026-03-29", "2026-03-30"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2), st.integers(0, 10**8), st.integers(1, 1000), st.integers(0, 50)
        ),
        min_size=1,
        max_size=40,
    )
)
def test_group_sums_match_a_plain_python_computation(rows: list[tuple[int, int, int, int]]) -> None:
    chans = ["a", "b", "c"]
    t = MetricsTable.from_columns(
        {
            "channel": [chans[c] for c, _, _, _ in rows],
            "published_at": [1.6e9 + s for _, s, _, _ in rows],
            "reach": [r for _, _, r, _ in rows],
            "likes": [lk for _, _, _, lk in rows],
        }
    )
    got = {
        (r.key["channel"], r.key["period"]): r.value("engagement_rate_by_reach_pooled")
        for r in t.kpis(
            ["engagement_rate_by_reach_pooled"],
            by=["channel", "period"],
            period="day",
            tz="America/New_York",
        ).rows
    }
    from zoneinfo import ZoneInfo

    want: dict[tuple[str, str], list[int]] = {}
    for c, s, r, lk in rows:
        day = datetime.fromtimestamp(1.6e9 + s, ZoneInfo("America/New_York")).date().isoformat()
        acc = want.setdefault((chans[c], day), [0, 0])
        acc[0] += lk
        acc[1] += r
    assert set(got) == set(want)
    for key, (lk, r) in want.items():
        assert got[key] == pytest.approx(lk / r)


def test_filters() -> None:
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    t = MetricsTable.from_columns(
        {
            "channel": ["ig", "fb", "ig", None],
            "pillar": ["a", "b", "b", "a"],
            "published_at": [t0 + timedelta(days=i) for i in range(4)],
            "reach": [1, 2, 3, 4],
        }
    )
    assert len(t.where(channel="ig")) == 2
    assert len(t.where(channel=["ig", "fb"], pillar="b")) == 2
    assert len(t.where(channel=None)) == 1
    assert len(t.where(channel="nope")) == 0
    assert len(t.between(t0 + timedelta(days=1), t0 + timedelta(days=3))) == 2
    assert len(t.filter(t.column("reach") > 2)) == 2
    with pytest.raises(ValidationError, match="reach"):
        t.where(reach="x")


def test_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "channel,published_at,reach,likes,clicks\n"
        "ig,2026-03-02T09:00:00+01:00,100,10,\n"
        "ig,2026-03-03T09:00:00+01:00,300,30,5\n",
        encoding="utf-8",
    )
    t = MetricsTable.from_csv(path)
    row = t.kpis(["engagement_rate_by_reach_pooled", "ctr"]).rows[0]
    assert row.value("engagement_rate_by_reach_pooled") == pytest.approx(0.1)
    assert row.kpis["ctr"].reason is not None  # clicks partly missing, impressions absent
    bad = tmp_path / "bad.csv"
    bad.write_text("reach,likes\nabc,1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="reach"):
        MetricsTable.from_csv(bad)


@pytest.mark.parametrize(
    ("columns", "field"),
    [
        ({"reach": [1, -3]}, r"reach\[1\]"),
        ({"likes": [float("inf")]}, r"likes\[0\]"),
        ({"published_at": [datetime(2026, 1, 1)]}, r"published_at\[0\]"),
        ({"published_at": ["yesterday"]}, r"published_at\[0\]"),
        ({"channel": [3]}, r"channel\[0\]"),
        ({"reach": [1, 2], "likes": [1]}, "columns"),
        ({"bogus": [1]}, "columns"),
    ],
)
def test_bad_input_names_the_field(columns: dict[str, list[object]], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        MetricsTable.from_columns(columns)


def test_unknown_kpi_and_group_key() -> None:
    t = MetricsTable.from_columns({"reach": [1]})
    with pytest.raises(ValidationError, match="names"):
        t.kpis(["nope"])
    with pytest.raises(ValidationError, match="by"):
        t.kpis(["ctr"], by=["colour"])
    with pytest.raises(ValidationError, match="tz"):
        t.kpis(["ctr"], by=["period"], tz="Mars/Olympus")


def test_pandas_round_trip() -> None:
    pd = pytest.importorskip("pandas")
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    t = MetricsTable.from_columns(
        {"channel": ["ig", "fb"], "published_at": [t0, t0], "reach": [10, None], "likes": [1, 2]}
    )
    df = t.to_pandas()
    assert list(df["channel"]) == ["ig", "fb"]
    assert pd.isna(df["reach"][1])
    back = MetricsTable.from_pandas(df, time="time")
    assert back.kpis(by=["channel"]) == t.kpis(by=["channel"])
    naive = df.assign(time=df["time"].dt.tz_localize(None))
    with pytest.raises(ValidationError, match="time"):
        MetricsTable.from_pandas(naive, time="time")


def test_numpy_datetime64_and_string_columns() -> None:
    t = MetricsTable.from_columns(
        {
            "channel": np.array(["ig", "fb", "ig", ""]),
            "published_at": np.array(
                ["2026-03-02T10:00", "2026-03-09T10:00", "NaT", "NaT"], dtype="datetime64[s]"
            ),
            "reach": np.array([10.0, 20.0, 30.0, 40.0]),
        }
    )
    keys = [r.key for r in t.kpis(["ctr"], by=["channel", "period"], period="week").rows]
    assert keys == [
        {"channel": None, "period": None},
        {"channel": "fb", "period": "2026-03-09"},
        {"channel": "ig", "period": None},
        {"channel": "ig", "period": "2026-03-02"},
    ]


def test_polars_round_trip() -> None:
    pl = pytest.importorskip("polars")
    t = MetricsTable.from_columns({"channel": ["ig"], "reach": [10], "likes": [2]})
    frame = t.to_polars()
    assert isinstance(frame, pl.DataFrame)
    back = MetricsTable.from_polars(frame, time="time")
    assert back.kpis(["engagement_rate_by_reach_pooled"]).rows[0].value(
        "engagement_rate_by_reach_pooled"
    ) == pytest.approx(0.2)


def test_polars_datetime_column_must_be_aware() -> None:
    pl = pytest.importorskip("polars")
    from datetime import datetime

    from smmkit.errors import ValidationError

    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    aware = pl.DataFrame(
        {"published_at": [when], "channel": ["ig"], "reach": [10], "likes": [None]}
    )
    table = MetricsTable.from_polars(aware)
    assert table.column("time").tolist() == [when.timestamp()]
    assert np.isnan(table.column("likes")[0])
    naive = pl.DataFrame({"published_at": [when.replace(tzinfo=None)], "reach": [1]})
    with pytest.raises(ValidationError, match="timezone-aware"):
        MetricsTable.from_polars(naive)
