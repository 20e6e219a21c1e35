from __future__ import annotations

import contextlib
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.errors import ValidationError
from smmkit.influencers import (
    CreatorImportError,
    export_creators_csv,
    read_creators_csv,
)
from smmkit.models import Money, PipelineStage

GOOD = (
    "Handle;Platform;Followers;Following;Engagement_rate;Country;Topics;Stage;Fee;Currency;"
    "Audience_countries;Notes\n"
    "@bolognaagolosa;instagram;48.200;610;4,3%;it;food|bologna;negotiating;350,00;EUR;"
    "IT:0.8|CH:0.05;call back\n"
    "sfoglina;Instagram;7400;300;0.071;IT;pasta;;;;;\n"
    "bigchef;youtube;1,2M;;;;;;;;;\n"
)


def test_reads_italian_excel_csv() -> None:
    result = read_creators_csv(GOOD.encode("utf-8-sig"))
    a, b, c = result.creators
    assert a.handle == "bolognaagolosa" and a.followers == 48_200 and a.following == 610
    assert a.reported_engagement_rate == pytest.approx(0.043)
    assert a.engagement_rate == pytest.approx(0.043)
    assert a.country == "IT" and a.topics == ("food", "bologna")
    assert a.audience.countries == {"IT": 0.8, "CH": 0.05}
    assert b.platform.value == "instagram" and b.followers == 7_400
    assert c.followers == 1_200_000
    (deal,) = result.collaborations
    assert deal.stage is PipelineStage.NEGOTIATING and deal.fee == Money.of("350.00", "EUR")
    assert result.ignored_columns == ("notes",)


def test_every_problem_named_by_row_and_column() -> None:
    text = (
        "handle,platform,followers,engagement_rate,stage,fee\n"
        "ok,instagram,100,,,\n"
        ",instagram,100,,,\n"
        "b,myspace!!,1e9,,,\n"
        "c,instagram,12.5,150%,signed,\n"
        "d,instagram,10,,,12\n"
        "ok,instagram,5,,,\n"
    )
    with pytest.raises(CreatorImportError) as info:
        read_creators_csv(text)
    got = {(p.row, p.column) for p in info.value.problems}
    assert got == {
        (3, "handle"),
        (4, "platform"),
        (4, "followers"),
        (5, "followers"),
        (5, "engagement_rate"),
        (5, "stage"),
        (6, "currency"),
        (7, "handle"),
    }
    message = str(info.value)
    assert "row 3, column 'handle'" in message and "and 7 more" in message
    assert "repeats the creator of row 2" in str(info.value.problems[-1])
    assert isinstance(info.value, ValidationError)


def test_missing_columns_and_bad_files() -> None:
    with pytest.raises(CreatorImportError, match="column 'followers'"):
        read_creators_csv("handle,platform\na,instagram\n")
    with pytest.raises(ValidationError, match="empty"):
        read_creators_csv("")
    with pytest.raises(ValidationError, match="not UTF-8"):
        read_creators_csv("handle,platform,followers\n\xe0,instagram,1\n".encode("latin-1"))
    with pytest.raises(ValidationError, match="NUL"):
        read_creators_csv("handle,platform,followers\na\x00,instagram,1\n")
    with pytest.raises(CreatorImportError, match="longer than"):
        read_creators_csv("handle,platform,followers,bio\na,instagram,1," + "x" * 5000 + "\n")
    with pytest.raises(CreatorImportError, match="appears twice"):
        read_creators_csv("handle,platform,followers,handle\na,instagram,1,b\n")


def test_formula_cells_are_inert_on_export() -> None:
    text = 'handle,platform,followers,name,bio\nevil,instagram,10,"=HYPERLINK(""http://x"")",@cmd\n'
    result = read_creators_csv(text)
    assert result.creators[0].name == '=HYPERLINK("http://x")'  # kept as text
    out = export_creators_csv(result.creators)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1][4] == '\'=HYPERLINK("http://x")'
    assert rows[1][16] == "'@cmd"


def test_round_trip_through_export() -> None:
    first = read_creators_csv(GOOD)
    again = read_creators_csv(export_creators_csv(first.creators, first.collaborations))
    assert [c.model_dump() for c in again.creators] == [c.model_dump() for c in first.creators]
    assert again.collaborations == first.collaborations


def test_control_characters_are_stripped() -> None:
    result = read_creators_csv('handle,platform,followers,name\na,instagram,1,"Giu\x1blia\nF"\n')
    assert result.creators[0].name == "Giulia F"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_hostile_text_never_escapes_as_a_raw_error(text: str) -> None:
    with contextlib.suppress(ValidationError):
        read_creators_csv("handle,platform,followers,name\n" + text)
