"""Bad values in setup files: one clear SetupError each (value, rule, a fix that fits), typos
caught with a "did you mean", secrets never echoed; random files raise nothing else."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmkit.errors import SetupError, SmmkitError
from smmkit.models import KpiTarget, Platform
from smmkit.models._brand import KNOWN_KPIS
from smmkit.setup import Setup, load_setup, parse_setup

ROOT = Path(__file__).resolve().parents[2]
FORNO = tomllib.loads((ROOT / "examples" / "forno_aurora.toml").read_text(encoding="utf-8"))
SECRET = "sk-live-7f3a9c1e55d04b2a"


def _with(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(FORNO)
    change(data)
    return data


def _error(data: dict[str, Any]) -> SetupError:
    with pytest.raises(SetupError) as info:
        parse_setup(data, source="forno.toml")
    return info.value


def test_posts_per_week_true_is_not_one() -> None:
    err = _error(_with(lambda d: d["channels"][0]["cadence"].update(posts_per_week=True)))
    assert err.key == "channels[0].cadence"
    assert "posts_per_week is true, a boolean, where a number is expected" in err.rule
    assert err.hint is not None and "channels[0].cadence" in err.hint


@pytest.mark.parametrize(("typed", "meant"), [("instagarm", "instagram"), ("twitter", "x")])
def test_a_mistyped_platform_gets_a_did_you_mean(typed: str, meant: str) -> None:
    err = _error(_with(lambda d: d["channels"][0].update(platform=typed)))
    assert err.key == "channels[0].platform"
    assert f"did you mean {meant!r}" in err.rule
    with pytest.raises(ValueError, match=f"did you mean {meant!r}"):
        Platform(typed)
    assert Platform("vk").value == "vk"  # a plug-in's own name is still taken


def test_a_mistyped_kpi_gets_a_did_you_mean() -> None:
    def typo(d: dict[str, Any]) -> None:
        d["brand"]["objectives"][0]["kpis"][0]["kpi"] = "engagment_rate"

    err = _error(_with(typo))
    assert err.key == "brand.objectives[0].kpis[0].kpi"
    assert "did you mean 'engagement_rate'" in err.rule
    assert KpiTarget(kpi="newsletter_signups", target=10).kpi == "newsletter_signups"


def test_known_kpis_cover_what_analytics_computes() -> None:
    from smmkit.analytics import KPI_ALIASES, KPI_SPECS

    assert set(KPI_SPECS) | set(KPI_ALIASES) <= KNOWN_KPIS


def test_a_five_thousand_character_time_zone() -> None:
    err = _error(_with(lambda d: d["channels"][0].update(timezone="A" * 5000)))
    assert err.key == "channels[0].timezone"
    assert "at most 64" in err.rule and "Europe/Rome" in err.rule
    assert len(str(err)) < 600
    near = _error(_with(lambda d: d["channels"][0].update(timezone="Europe/Roma")))
    assert "did you mean 'Europe/Rome'" in near.rule


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_nesting_100000_deep(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deep{suffix}"
    body = "[" * 100_000 + "]" * 100_000
    path.write_text(body if suffix == ".json" else f"a = {body}", encoding="utf-8")
    with pytest.raises(SetupError) as info:
        load_setup(path)
    assert info.value.key == "(structure)" and "nest too deep" in info.value.rule
    assert info.value.hint is not None and "brackets" in info.value.hint


def test_parse_setup_refuses_deep_data_without_recursion() -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(100_000):
        node["x"] = {}
        node = node["x"]
    data = _with(lambda d: d["brand"].update(extra=deep))
    err = _error(data)
    assert err.key == "(structure)" and "more than 32 levels" in err.rule


@pytest.mark.parametrize(
    "key", ["acess_token", "credentals", "api_key", "token", "password", "x_private"]
)
def test_an_unknown_or_credential_like_key_never_shows_its_value(key: str) -> None:
    err = _error(_with(lambda d: d["channels"][0].update({key: SECRET})))
    for text in (str(err), repr(err), repr(err.value), str(err.hint), err.rule):
        assert SECRET not in text
    assert err.key == f"channels[0].{key}"
    if key == "credentals":
        assert err.hint == "did you mean 'credentials'? Otherwise remove 'credentals'"


def test_a_credential_with_a_bad_type_is_not_shown() -> None:
    err = _error(_with(lambda d: d["channels"][0].update(credentials=987654321)))
    assert "987654321" not in str(err) and err.key == "channels[0].credentials"


def test_a_table_value_is_never_shown() -> None:
    # a channel-level error would show the whole channel table, credentials included
    def bad(d: dict[str, Any]) -> None:
        d["channels"][0]["credentials"] = SECRET
        d["channels"][0]["cadence"] = {"posts_per_week": 30, "daily_cap": 1}

    err = _error(_with(bad))
    assert SECRET not in str(err) and "posts_per_week" in str(err)


def test_each_error_gets_the_hint_that_fits() -> None:
    missing = _error(_with(lambda d: d["brand"].pop("timezone")))
    assert missing.hint == (
        "add the required key 'timezone' under brand (docs/setup.md lists every key)"
    )
    extra = _error(_with(lambda d: d["brand"].update(websit="https://x.it")))
    assert extra.hint == "did you mean 'website'? Otherwise remove 'websit'"
    enum = _error(_with(lambda d: d["brand"]["voice"].update(register="friendly")))
    assert enum.hint == "use one of the values listed above"
    number = _error(_with(lambda d: d["channels"][0]["cadence"].update(daily_cap="two")))
    assert number.hint is not None and "number" in number.hint
    hints = {missing.hint, extra.hint, enum.hint, number.hint}
    assert len(hints) == 4 and not any("see docs/setup.md for the keys" in h for h in hints)


def test_a_campaign_budget_of_1_5_jpy() -> None:
    def yen(d: dict[str, Any]) -> None:
        d["campaigns"][0]["budget"] = {"amount": "1.5", "currency": "JPY"}

    err = _error(_with(yen))
    assert err.key == "campaigns[0]"
    assert "not a whole number of JPY's minor unit (0 decimal places)" in err.rule


def test_sixteen_thousand_campaigns_and_a_duplicate() -> None:
    first = FORNO["campaigns"][0]
    many = [first] + [{**first, "id": f"c{i}"} for i in range(16_000)] + [{**first, "id": "c7"}]
    err = _error(_with(lambda d: d.update(campaigns=many)))
    assert err.key == "campaigns[16001].id" and "unique" in err.rule


# -- property: random setup files raise only smmkit (or pydantic validation) errors ---------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


PATHS = [p for p in _paths(FORNO) if p]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), JSON, st.booleans()), min_size=1, max_size=4))
def test_random_setups_raise_only_setup_errors(
    edits: list[tuple[tuple[Any, ...], Any, bool]],
) -> None:
    data = copy.deepcopy(FORNO)
    for path, value, delete in edits:
        node: Any = data
        try:
            for part in path[:-1]:
                node = node[part]
            if delete and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    error: SetupError | None = None
    result: Setup | None = None
    try:
        result = parse_setup(data, source="random.toml")
    except SetupError as exc:
        error = exc
    if error is not None:
        assert error.file == "random.toml" and error.hint and error.key
    else:
        assert isinstance(result, Setup)


@settings(max_examples=100, deadline=None)
@given(
    st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
    st.sampled_from([".toml", ".json"]),
)
def test_random_files_raise_only_setup_errors(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("random") / f"setup{suffix}"
    path.write_bytes(raw)
    with pytest.raises(SetupError):
        load_setup(path)


def test_json_round_trip_of_a_random_valid_edit(tmp_path: Path) -> None:
    data = _with(lambda d: d["channels"][0]["cadence"].update(posts_per_week=4))
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    assert load_setup(path).channels[0].cadence.posts_per_week == 4


def test_errors_are_smmkit_or_pydantic_only() -> None:
    assert issubclass(SetupError, SmmkitError)
    assert not issubclass(SetupError, pydantic.ValidationError)
