"""A boolean is never read as a number, whatever form the field's type takes: plain, through an
``Annotated`` alias or a type alias, ``Optional`` or a union, inside lists, tuples, sets and dicts
at any depth. One test per form; each also checks that a number in the same place is taken."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field
from typing_extensions import TypeAliasType

from smmkit.budget import PiecewiseLinear
from smmkit.errors import SetupError
from smmkit.models import AudienceSegment, Platform, SmmkitModel, Weekday
from smmkit.setup import parse_setup

ROOT = Path(__file__).resolve().parents[2]

Positive = Annotated[float, Field(gt=0)]
Count = Annotated[int, Field(ge=0)]
Share = TypeAliasType("Share", Annotated[float, Field(ge=0, le=1)])
ShareOfShare = TypeAliasType("ShareOfShare", Share)


class Forms(SmmkitModel):
    plain: int = 1
    annotated: Positive = 1.0
    optional_annotated: Optional[Count] = None  # noqa: UP045 (the form under test)
    pep604_annotated: Count | None = None
    type_alias: Share = 0.5
    alias_of_alias: ShareOfShare | None = None
    decimal: Annotated[Decimal, Field(ge=0)] = Decimal(0)
    mixed_union: int | str = 0
    literal: Literal[1, 2] = 1
    items: list[Positive] = Field(default_factory=list)
    optional_items: list[Count] | None = None
    variadic: tuple[float, ...] = ()
    pair: tuple[str, Annotated[int, Field(ge=0)]] = ("a", 0)
    frozen: frozenset[int] = frozenset()
    by_name: dict[str, Share] = Field(default_factory=dict)
    by_number: dict[int, str] = Field(default_factory=dict)
    nested: dict[str, list[tuple[int, Count | None]]] = Field(default_factory=dict)
    aliased: Count = Field(default=0, alias="alias-name")


class BooleansMeant(SmmkitModel):
    flag: bool = False
    flag_or_count: bool | int = 0
    anything: Any = None
    literal_flag: Literal[True, 1] = 1
    flags: list[bool] = Field(default_factory=list)
    text: str = ""


def _refused(path: str, **data: Any) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        Forms.model_validate(data)
    assert f"{path} is " in str(info.value)
    assert "a boolean, where a number is expected" in str(info.value)


@pytest.mark.parametrize(
    ("field", "boolean", "number", "path"),
    [
        ("plain", True, 2, "plain"),
        ("annotated", True, 2.5, "annotated"),
        ("optional_annotated", False, 0, "optional_annotated"),
        ("pep604_annotated", True, 3, "pep604_annotated"),
        ("type_alias", True, 0.25, "type_alias"),
        ("alias_of_alias", False, 0.75, "alias_of_alias"),
        ("decimal", True, Decimal("1.5"), "decimal"),
        ("mixed_union", True, 4, "mixed_union"),
        ("literal", True, 2, "literal"),
        ("items", [1.0, True], [1.0, 2.0], "items[1]"),
        ("optional_items", [False], [0], "optional_items[0]"),
        ("variadic", (1.5, 2.5, True), (1.5, 2.5, 3.5), "variadic[2]"),
        ("pair", ("a", True), ("a", 1), "pair[1]"),
        ("frozen", [True], [1], "frozen[0]"),
        ("by_name", {"x": 0.5, "y": True}, {"x": 0.5, "y": 1.0}, "by_name['y']"),
        ("by_number", {True: "a"}, {1: "a"}, "by_number[True]"),
        ("nested", {"k": [(1, 2), (3, False)]}, {"k": [(1, 2), (3, None)]}, "nested['k'][1][1]"),
        ("alias-name", True, 5, "alias-name"),
    ],
)
def test_a_boolean_is_refused_and_a_number_taken(
    field: str, boolean: object, number: object, path: str
) -> None:
    _refused(path, **{field: boolean})
    Forms.model_validate({field: number})


def test_assignment_is_checked_too() -> None:
    forms = Forms()
    forms.items = [1.0]
    with pytest.raises(pydantic.ValidationError, match=r"items\[0\] is true, a boolean"):
        forms.items = [True]
    with pytest.raises(pydantic.ValidationError, match="optional_annotated is false, a boolean"):
        forms.optional_annotated = False
    assert forms.items == [1.0]


def test_a_top_level_message_names_the_fix() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        Forms(plain=True)
    assert "plain is true, a boolean, where a number is expected; write a number such as" in str(
        info.value
    )


def test_fields_meant_for_booleans_still_take_them() -> None:
    model = BooleansMeant(
        flag=True, flag_or_count=True, anything=True, literal_flag=True, flags=[True], text="t"
    )
    assert model.flag is True and model.flag_or_count is True and model.flags == [True]


def test_real_models_nested_numbers() -> None:
    with pytest.raises(pydantic.ValidationError, match=r"platforms\[.*\] is true, a boolean"):
        AudienceSegment(name="a", platforms={Platform.INSTAGRAM: True})
    with pytest.raises(pydantic.ValidationError, match=r"active_hours\['mon'\]\[0\] is true"):
        AudienceSegment.model_validate({"name": "a", "active_hours": {"mon": [True, 9]}})
    assert AudienceSegment(name="a", active_hours={Weekday.MON: (9,)}).active_hours
    with pytest.raises(pydantic.ValidationError, match=r"points\[1\]\[1\] is true"):
        PiecewiseLinear(points=((0.0, 0.0), (1.0, True)))


def test_a_setup_file_names_the_nested_place() -> None:
    data = tomllib.loads((ROOT / "examples" / "forno_aurora.toml").read_text(encoding="utf-8"))
    data["audience"]["segments"][0]["platforms"]["facebook"] = True
    with pytest.raises(SetupError) as info:
        parse_setup(data, source="forno.toml")
    assert "platforms['facebook'] is true, a boolean, where a number is expected" in str(info.value)
    data["audience"]["segments"][0]["platforms"]["facebook"] = 0.7
    assert parse_setup(data, source="forno.toml").audience is not None


class Deep(SmmkitModel):
    numbers: list[list[list[float]] | float] | None = None


@given(
    st.lists(st.lists(st.lists(st.floats(-5, 5), max_size=3), max_size=3), max_size=3), st.data()
)
def test_a_boolean_anywhere_in_a_nested_list_is_found(
    numbers: list[list[list[float]]], data: st.DataObject
) -> None:
    Deep(numbers=list(numbers))
    places = [
        (i, j, k) for i, a in enumerate(numbers) for j, b in enumerate(a) for k in range(len(b))
    ]
    if not places:
        return
    i, j, k = data.draw(st.sampled_from(places))
    numbers[i][j][k] = data.draw(st.booleans())
    with pytest.raises(pydantic.ValidationError, match=rf"numbers\[{i}\]\[{j}\]\[{k}\] is"):
        Deep(numbers=list(numbers))
