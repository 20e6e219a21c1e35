"""Creators in and out of CSV: hostile input refused with the row and column named; safe cells out.

Reading is linear in the input and bounded (size, rows, cell length). Every problem found is
collected, so one run lists them all; nothing is returned half-read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from smmkit._sinks import csv_cell, single_line
from smmkit.errors import ValidationError
from smmkit.models import Money, PipelineStage, Platform, ValueModel

from ._creator import AudienceBreakdown, Creator
from ._pipeline import Collaboration

__all__ = [
    "CREATOR_COLUMNS",
    "CreatorImport",
    "CreatorImportError",
    "ImportProblem",
    "export_creators_csv",
    "read_creators_csv",
]

MAX_BYTES = 20_000_000
MAX_ROWS = 200_000
MAX_CELL = 2_000

CREATOR_COLUMNS: tuple[str, ...] = (
    "handle",
    "platform",
    "followers",
    "following",
    "name",
    "engagement_rate",
    "avg_monthly_views",
    "country",
    "city",
    "language",
    "topics",
    "audience_countries",
    "stage",
    "fee",
    "currency",
    "campaign",
    "bio",
)
"""The columns :func:`read_creators_csv` understands (``handle``, ``platform`` and
``followers`` are required; headers are case-insensitive; other columns are reported as ignored).
``topics`` is a ``;`` or ``|`` separated list; ``audience_countries`` reads ``IT:0.7|CH:0.1``."""

_REQUIRED = ("handle", "platform", "followers")
_ALIASES = {
    "username": "handle",
    "account": "handle",
    "network": "platform",
    "follower": "followers",
    "follower_count": "followers",
    "followers_count": "followers",
    "following_count": "following",
    "er": "engagement_rate",
    "monthly_views": "avg_monthly_views",
    "lingua": "language",
    "paese": "country",
    "citta": "city",
    "città": "city",
    "compenso": "fee",
    "valuta": "currency",
}


class ImportProblem(ValueModel):
    """One thing wrong in an imported file: the row (as a spreadsheet numbers it: the header is
    row 1), the column, the value and the rule it broke."""

    row: int = Field(ge=1)
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        shown = "" if self.value is None else f" (got {self.value[:60]!r})"
        return f"{where}: {self.rule}{shown}"


class CreatorImportError(ValidationError):
    """A creators file was refused; ``problems`` lists every problem found (row, column, rule)."""

    def __init__(self, source: str, problems: Sequence[ImportProblem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        more = len(self.problems) - 1
        rule = str(first) + (f"; and {more} more problem(s)" if more else "")
        super().__init__(
            source,
            first.value,
            rule,
            hint="fix the cells named (all problems are in .problems) and import again",
        )


class CreatorImport(ValueModel):
    """What a creators file held: the creators, their collaborations (where a stage, fee or
    campaign was given), and the columns that were ignored."""

    creators: tuple[Creator, ...]
    collaborations: tuple[Collaboration, ...] = ()
    ignored_columns: tuple[str, ...] = ()


_GROUPED = re.compile(r"^\d{1,3}(?:([.,' \u00a0\u202f])\d{3})(?:\1\d{3})*$")
_SUFFIXED = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([kKmM])$")


def _count(text: str) -> int:
    """``48200``, ``48.200``, ``48,200``, ``48 200``, ``48.2k``, ``1,2M`` -> an int."""
    raw = text.strip()
    if raw.isdigit():
        return int(raw)
    if _GROUPED.match(raw):
        return int(re.sub(r"\D", "", raw))
    match = _SUFFIXED.match(raw)
    if match:
        number = Decimal(match.group(1).replace(",", "."))
        scale = 1_000 if match.group(2).lower() == "k" else 1_000_000
        return int(number * scale)
    raise ValueError("must be a whole number such as 48200, 48.200, 48.2k or 1.2M")


def _rate(text: str) -> float:
    raw = text.strip().replace(",", ".")
    percent = raw.endswith("%")
    if percent:
        raw = raw[:-1].strip()
    try:
        value = float(Decimal(raw))
    except InvalidOperation:
        raise ValueError("must be a fraction such as 0.043 or a percentage such as 4.3%") from None
    if percent:
        value /= 100
    if not 0.0 <= value <= 1.0:
        raise ValueError("must be between 0 and 1 (or 0% and 100%)")
    return value


def _amount(text: str) -> Decimal:
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in raw and "." in raw:
        # The last separator is the decimal one: 1.250,50 or 1,250.50.
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal_sep == "," else ",", "").replace(",", ".")
    else:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError("must be an amount such as 350 or 350.00") from None
    if not value.is_finite() or value < 0:
        raise ValueError("must be a non-negative amount")
    return value


def _shares(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in re.split(r"[|;]", text):
        if not part.strip():
            continue
        key, sep, share = part.partition(":")
        if not sep or not key.strip():
            raise ValueError("must read like IT:0.7|CH:0.1")
        out[key.strip().upper()] = _rate(share)
    return out


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_creators_csv(
    data: str | bytes, *, source: str = "creators.csv", currency: str | None = None
) -> CreatorImport:
    """Read creators from CSV text (``,``, ``;`` or tab separated; UTF-8, a BOM is fine).

    See :data:`CREATOR_COLUMNS`. ``currency`` is the default for ``fee`` cells when the file has
    no ``currency`` column. Raises :class:`CreatorImportError` listing every problem (row and
    column named); returns nothing half-read. Text cells are kept as text (one line, control
    characters removed); a cell such as ``=HYPERLINK(...)`` stays inert because every export
    goes through :func:`export_creators_csv`.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise ValidationError(source, f"{len(data)} bytes", f"is over {MAX_BYTES} bytes")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                source,
                f"byte {exc.start}",
                "is not UTF-8",
                hint="save the file as CSV UTF-8 (Excel: 'CSV UTF-8 (comma delimited)')",
            ) from None
    else:
        text = data.removeprefix("\ufeff")
        if len(text) > MAX_BYTES:
            raise ValidationError(source, f"{len(text)} characters", f"is over {MAX_BYTES}")
    if "\x00" in text:
        raise ValidationError(source, "NUL", "holds a NUL byte: it is not a text CSV file")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(source, "", "is empty; it needs a header row") from None
    except csv.Error as exc:
        raise ValidationError(source, first_line[:60], f"cannot be read as CSV ({exc})") from None
    problems: list[ImportProblem] = []
    columns: list[str] = []
    for cell in header:
        name = "_".join(single_line(cell).strip().lower().split())
        columns.append(_ALIASES.get(name, name))
    seen: set[str] = set()
    for name in columns:
        if name in seen and name in CREATOR_COLUMNS:
            problems.append(
                ImportProblem(row=1, column=name, value=name, rule="the column appears twice")
            )
        seen.add(name)
    for name in _REQUIRED:
        if name not in seen:
            problems.append(
                ImportProblem(
                    row=1,
                    column=name,
                    value=None,
                    rule=f"the required column is missing (the header has: {', '.join(columns)})",
                )
            )
    if problems:
        raise CreatorImportError(source, problems)
    ignored = tuple(sorted({c for c in columns if c not in CREATOR_COLUMNS and c}))
    index = {name: i for i, name in reversed(list(enumerate(columns)))}

    creators: list[Creator] = []
    collaborations: list[Collaboration] = []
    keys: dict[str, int] = {}
    row_number = 1
    try:
        for record in reader:
            row_number += 1
            if row_number - 1 > MAX_ROWS:
                problems.append(
                    ImportProblem(
                        row=row_number, column=None, value=None, rule=f"more than {MAX_ROWS} rows"
                    )
                )
                break
            if not any(cell.strip() for cell in record):
                continue
            parsed = _row(record, index, row_number, currency, problems)
            if parsed is None:
                continue
            creator, collaboration = parsed
            if creator.key in keys:
                problems.append(
                    ImportProblem(
                        row=row_number,
                        column="handle",
                        value=creator.handle,
                        rule=f"repeats the creator of row {keys[creator.key]} on "
                        f"{creator.platform.value}",
                    )
                )
                continue
            keys[creator.key] = row_number
            creators.append(creator)
            if collaboration is not None:
                collaborations.append(collaboration)
    except csv.Error as exc:
        problems.append(
            ImportProblem(row=row_number + 1, column=None, value=None, rule=f"bad CSV ({exc})")
        )
    if problems:
        raise CreatorImportError(source, problems)
    return CreatorImport(
        creators=tuple(creators), collaborations=tuple(collaborations), ignored_columns=ignored
    )


def _row(
    record: list[str],
    index: dict[str, int],
    row: int,
    currency: str | None,
    problems: list[ImportProblem],
) -> tuple[Creator, Collaboration | None] | None:
    start = len(problems)

    def cell(name: str) -> str:
        i = index.get(name)
        if i is None or i >= len(record):
            return ""
        value = record[i]
        if len(value) > MAX_CELL:
            problems.append(
                ImportProblem(
                    row=row,
                    column=name,
                    value=value[:60],
                    rule=f"is longer than {MAX_CELL} characters",
                )
            )
            return ""
        return single_line(value).strip()

    def bad(name: str, value: str, rule: str) -> None:
        problems.append(ImportProblem(row=row, column=name, value=value, rule=rule))

    handle = cell("handle")
    if not handle:
        bad("handle", handle, "is required")
    platform_text = cell("platform")
    platform: Platform | None = None
    try:
        platform = Platform(platform_text)
    except ValueError:
        bad("platform", platform_text, "is not a platform (instagram, tiktok, youtube, ...)")
    counts: dict[str, int | None] = {}
    for name in ("followers", "following", "avg_monthly_views"):
        raw = cell(name)
        if not raw:
            if name == "followers":
                bad(name, raw, "is required")
            counts[name] = None
            continue
        try:
            counts[name] = _count(raw)
        except ValueError as exc:
            bad(name, raw, str(exc))
    er: float | None = None
    if raw_er := cell("engagement_rate"):
        try:
            er = _rate(raw_er)
        except ValueError as exc:
            bad("engagement_rate", raw_er, str(exc))
    audience = AudienceBreakdown()
    if raw_aud := cell("audience_countries"):
        try:
            audience = AudienceBreakdown(countries=_shares(raw_aud))
        except (ValueError, PydanticValidationError) as exc:
            bad("audience_countries", raw_aud, _first_error(exc))
    stage: PipelineStage | None = None
    if raw_stage := cell("stage"):
        try:
            stage = PipelineStage(raw_stage)
        except ValueError:
            names = ", ".join(s.value for s in PipelineStage)
            bad("stage", raw_stage, f"is not a pipeline stage ({names})")
    fee: Money | None = None
    if raw_fee := cell("fee"):
        code = cell("currency") or currency
        if not code:
            bad("currency", "", "a fee needs a currency (a currency column, or currency=...)")
        else:
            try:
                amount = _amount(raw_fee)
            except ValueError as exc:
                bad("fee", raw_fee, str(exc))
            else:
                try:
                    fee = Money.of(amount, code)
                except (ValueError, PydanticValidationError) as exc:
                    bad("currency", code, _first_error(exc))
    if len(problems) > start or platform is None:
        return None
    topics = tuple(t.strip() for t in re.split(r"[;|]", cell("topics")) if t.strip())
    country = cell("country").upper() or None
    fields = {
        "handle": handle,
        "platform": platform,
        "name": cell("name") or None,
        "followers": counts["followers"],
        "following": counts.get("following"),
        "avg_monthly_views": counts.get("avg_monthly_views"),
        "reported_engagement_rate": er,
        "country": country,
        "city": cell("city") or None,
        "language": cell("language").lower() or None,
        "topics": topics,
        "audience": audience,
        "bio": cell("bio"),
    }
    try:
        creator = Creator.model_validate(fields)
    except PydanticValidationError as exc:
        for err in exc.errors():
            column = str(err["loc"][0]) if err["loc"] else None
            column = {"reported_engagement_rate": "engagement_rate"}.get(column or "", column)
            value = fields.get(str(err["loc"][0])) if err["loc"] else None
            bad(column or "row", str(value), err["msg"])
        return None
    collaboration = None
    campaign = cell("campaign") or None
    if stage is not None or fee is not None or campaign is not None:
        try:
            collaboration = Collaboration(
                handle=creator.handle,
                platform=creator.platform,
                campaign=campaign,
                stage=stage or PipelineStage.PROSPECT,
                fee=fee,
            )
        except PydanticValidationError as exc:
            bad("campaign", campaign or "", _first_error(exc))
            return None
    return creator, collaboration


def _first_error(exc: Exception) -> str:
    if isinstance(exc, PydanticValidationError):
        return str(exc.errors()[0]["msg"])
    return str(exc)


def export_creators_csv(
    creators: Iterable[Creator], collaborations: Iterable[Collaboration] = ()
) -> str:
    """Creators as CSV text in :data:`CREATOR_COLUMNS` order, every text cell made safe for
    spreadsheets (OWASP rule: a cell starting with ``=``, ``+``, ``-``, ``@`` gets a ``'``)."""
    deals = {(c.platform, c.handle.lower()): c for c in collaborations}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CREATOR_COLUMNS)
    for c in creators:
        deal = deals.get((c.platform, c.handle.lower()))
        er = c.engagement_rate
        row: list[object] = [
            c.handle,
            c.platform.value,
            c.followers,
            "" if c.following is None else c.following,
            c.name or "",
            "" if er is None else f"{er:.6g}",
            "" if c.avg_monthly_views is None else c.avg_monthly_views,
            c.country or "",
            c.city or "",
            c.language or "",
            "|".join(c.topics),
            "|".join(f"{k}:{v:.6g}" for k, v in c.audience.countries.items()),
            deal.stage.value if deal else "",
            str(deal.fee.amount) if deal and deal.fee else "",
            deal.fee.currency if deal and deal.fee else "",
            (deal.campaign or "") if deal else "",
            c.bio,
        ]
        writer.writerow([csv_cell(single_line(v) if isinstance(v, str) else v) for v in row])
    return out.getvalue()
