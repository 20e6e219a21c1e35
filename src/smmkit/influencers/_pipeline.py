"""The collaboration pipeline: stages, the moves allowed between them, and their history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import AwareDatetime, Field, field_validator

from smmkit.errors import TransitionError, ValidationError
from smmkit.models import Deliverable, Money, PipelineStage, Platform, ValueModel

if TYPE_CHECKING:
    from smmkit.models._names import PlatformField

__all__ = [
    "PIPELINE",
    "Collaboration",
    "StageChange",
    "allowed_moves",
    "fees_by_currency",
]

_S = PipelineStage

PIPELINE: Mapping[PipelineStage, tuple[PipelineStage, ...]] = {
    _S.PROSPECT: (_S.CONTACTED, _S.CLOSED),
    _S.CONTACTED: (_S.NEGOTIATING, _S.CLOSED),
    _S.NEGOTIATING: (_S.CONTRACTED, _S.CLOSED),
    _S.CONTRACTED: (_S.CONTENT_IN_REVIEW, _S.CLOSED),
    # Changes requested send the draft back to the creator (contracted).
    _S.CONTENT_IN_REVIEW: (_S.LIVE, _S.CONTRACTED, _S.CLOSED),
    _S.LIVE: (_S.PAID,),
    _S.PAID: (_S.CLOSED,),
    _S.CLOSED: (),
}
"""The moves allowed from each stage. A collaboration that went live must be paid before it
closes; every other stage may close (declined, or lost)."""


def allowed_moves(stage: PipelineStage) -> tuple[PipelineStage, ...]:
    """The stages a collaboration at ``stage`` may move to."""
    return PIPELINE[stage]


class StageChange(ValueModel):
    """One recorded move of a collaboration."""

    source: PipelineStage
    target: PipelineStage
    at: AwareDatetime
    note: str = Field(default="", max_length=2000)
    by: str | None = Field(default=None, max_length=200)


class Collaboration(ValueModel):
    """A creator's collaboration with the brand (on a campaign or not): its stage and history,
    the agreed fee (:class:`~smmkit.models.Money`) and the dated deliverables.

    Immutable: :meth:`move` returns the collaboration at its new stage, with the move recorded.

    >>> from datetime import UTC, datetime
    >>> c = Collaboration(handle="bolognaagolosa", platform="instagram")
    >>> c = c.move("contacted", at=datetime(2026, 11, 3, 9, tzinfo=UTC), note="DM sent")
    >>> c.stage.value, len(c.history)
    ('contacted', 1)
    """

    handle: str = Field(min_length=1, max_length=100)
    if TYPE_CHECKING:
        platform: PlatformField
    else:
        platform: Platform
    campaign: str | None = Field(default=None, max_length=64)
    stage: PipelineStage = PipelineStage.PROSPECT
    fee: Money | None = None
    deliverables: tuple[Deliverable, ...] = ()
    history: tuple[StageChange, ...] = ()
    promo_code: str | None = Field(default=None, max_length=40)

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        return value[1:] if value.startswith("@") else value

    @field_validator("fee")
    @classmethod
    def _fee(cls, value: Money | None) -> Money | None:
        if value is not None and value.amount < 0:
            raise ValueError(f"a fee cannot be negative, got {value}")
        return value

    @property
    def key(self) -> str:
        """``platform:handle[:campaign]``."""
        base = f"{self.platform.value}:{self.handle.lower()}"
        return f"{base}:{self.campaign}" if self.campaign else base

    @property
    def allowed(self) -> tuple[PipelineStage, ...]:
        """Where this collaboration may move next."""
        return PIPELINE[self.stage]

    def move(
        self,
        target: PipelineStage | str,
        *,
        at: datetime,
        note: str = "",
        by: str | None = None,
    ) -> Collaboration:
        """The collaboration moved to ``target`` at ``at`` (a timezone-aware time), the move
        appended to :attr:`history`.

        Raises :class:`~smmkit.errors.TransitionError` naming the allowed stages when the
        pipeline forbids the move, and :class:`~smmkit.errors.ValidationError` when the move
        needs something missing (a fee and deliverables to be contracted, a fee to be paid) or
        ``at`` is naive or earlier than the last recorded move.
        """
        try:
            goal = PipelineStage(target)
        except ValueError:
            names = ", ".join(s.value for s in PipelineStage)
            raise ValidationError(
                "stage", target, f"is not a pipeline stage; the stages are {names}"
            ) from None
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValidationError(
                "at", at.isoformat(), "must be timezone-aware", hint="pass tzinfo=..."
            )
        allowed = PIPELINE[self.stage]
        if goal not in allowed:
            raise TransitionError(
                f"{self.key}.stage", self.stage.value, goal.value, [s.value for s in allowed]
            )
        if self.history and at < self.history[-1].at:
            raise ValidationError(
                "at",
                at.isoformat(),
                f"is earlier than the last recorded move ({self.history[-1].at.isoformat()})",
                hint="moves are recorded in time order; pass the time the move happened",
            )
        if goal is PipelineStage.CONTRACTED and (self.fee is None or not self.deliverables):
            missing = " and ".join(
                w
                for w, gone in (
                    ("a fee", self.fee is None),
                    ("deliverables", not self.deliverables),
                )
                if gone
            )
            raise ValidationError(
                f"{self.key}.stage",
                goal.value,
                f"a contract needs {missing}",
                hint="set fee=Money.of(...) and deliverables=(Deliverable(...),) first "
                "(collaboration.model_copy(update=...))",
            )
        if goal is PipelineStage.PAID and self.fee is None:
            raise ValidationError(
                f"{self.key}.stage", goal.value, "cannot be paid without a fee", hint="set fee"
            )
        change = StageChange(source=self.stage, target=goal, at=at, note=note, by=by)
        return self.model_copy(update={"stage": goal, "history": (*self.history, change)})

    def due_items(self) -> list[Deliverable]:
        """The deliverables with a due date, earliest first."""
        dated = [d for d in self.deliverables if d.due is not None]
        return sorted(dated, key=lambda d: d.due or datetime.min)

    def outstanding(self) -> int:
        """Pieces agreed but not yet delivered."""
        return sum(max(d.count - d.delivered, 0) for d in self.deliverables)


def fees_by_currency(collaborations: Iterable[Collaboration]) -> dict[str, Money]:
    """Total agreed fees, one :class:`Money` per currency (never converted)."""
    totals: dict[str, Money] = {}
    for c in collaborations:
        if c.fee is None:
            continue
        current = totals.get(c.fee.currency)
        totals[c.fee.currency] = c.fee if current is None else current + c.fee
    return dict(sorted(totals.items()))
