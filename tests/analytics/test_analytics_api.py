from __future__ import annotations

import smmkit.analytics


def test_public_api_is_pinned() -> None:
    assert sorted(smmkit.analytics.__all__) == sorted(
        [
            "COUNT_COLUMNS",
            "HEADLINE_KPIS",
            "KPI_ALIASES",
            "KPI_SPECS",
            "NAB_PROFILES",
            "POST_FIELD_MAP",
            "TEXT_COLUMNS",
            "AbTestResult",
            "Anomaly",
            "AnomalyDetector",
            "AnomalyResult",
            "AnomalySettings",
            "BestTimeCell",
            "BestTimes",
            "CompetitorSnapshot",
            "CompetitorStanding",
            "GoalAttainment",
            "KpiChange",
            "KpiRow",
            "KpiSpec",
            "KpiTable",
            "KpiValue",
            "MetricsReport",
            "MetricsTable",
            "NabCost",
            "NabFileScore",
            "PostSummary",
            "SeriesAnomalies",
            "ab_test",
            "against_targets",
            "best_times",
            "build_report",
            "compare_competitors",
            "cpa",
            "cpc",
            "cpm",
            "ctr",
            "detect_anomalies",
            "follower_growth_rate",
            "nab_normalised_score",
            "nab_probation_length",
            "nab_score_file",
            "normalize_account_metrics",
            "normalize_ad_metrics",
            "normalize_post_metrics",
            "period_over_period",
            "posting_frequency",
            "ratio",
            "roas",
            "share_of_voice",
        ]
    )
    for name in smmkit.analytics.__all__:
        assert getattr(smmkit.analytics, name) is not None
