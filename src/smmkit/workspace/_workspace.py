"""The workspace: a store plus the engines and the platform clients, behind one object.

``Workspace.open(path)`` opens (creating or migrating) a store; every method is one user-visible
step of the job (import a setup, plan, draft, approve, schedule, publish, collect metrics,
report, allocate) and writes what it changes in one transaction, so a refused step leaves the
store exactly as it was.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import SecretStr

from smmkit.errors import ContentRuleError, SmmkitError, TransitionError, ValidationError
from smmkit.models import (
    AdMetrics,
    ContentItem,
    ContentStatus,
    Money,
    PostMetrics,
    Variant,
)

from ._inbox import InboxMixin
from ._results import (
    Assignment,
    DraftedVariant,
    DraftResult,
    ImportResult,
    PublishedItem,
    PublishResult,
    RefusedVariant,
    ScheduleResult,
    WorkspaceStatus,
)
from ._secrets import CredentialProvider, SecretBox, env_credentials

if TYPE_CHECKING:
    from smmkit.analytics import BestTimes, MetricsReport
    from smmkit.budget import Allocation, PacingPlan, ResponseFit
    from smmkit.community import Classifier, ModerationPolicy, ResponseReport, SavedReply
    from smmkit.models import Channel, MessageCategory
    from smmkit.planner import EditorialCalendar
    from smmkit.platforms import TokenSet
    from smmkit.platforms.sandbox import SandboxNetwork
    from smmkit.runner import Runner, RunReport
    from smmkit.setup import Setup
    from smmkit.store import OutboxEntry, Store

    from ._actions import ModeratedAction
    from ._moderation import ModerationRun

__all__ = ["ClientFactory", "VariantRefs", "Workspace", "brand_slug"]

_log = logging.getLogger("smmkit.workspace")

ClientFactory = Callable[["Channel", "Workspace"], Any]
"""Makes the platform client of a channel (sync), given the workspace (for credentials/tokens)."""

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")
_REVIEWABLE = (ContentStatus.DRAFT, ContentStatus.IN_REVIEW)
_DRAFTABLE = (ContentStatus.DRAFT, ContentStatus.IN_REVIEW, ContentStatus.APPROVED)
_EXPORT_FORMATS = ("ics", "csv", "json")


VariantRefs = str | Variant | Iterable[str | Variant]
"""One variant or several: ids or the variants themselves."""


def _variant_ids(refs: VariantRefs) -> list[str]:
    if isinstance(refs, str | Variant):
        refs = [refs]
    return [r.id if isinstance(r, Variant) else str(r) for r in refs]


def brand_slug(name: str) -> str:
    """A store id from a brand name: ``"Forno Aurora"`` → ``"forno-aurora"``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_STRIP.sub("-", ascii_name.lower()).strip("-")[:64].strip("-")
    return slug or "brand"


def _published_item(entry: OutboxEntry) -> PublishedItem:
    """An outbox row as :meth:`Workspace.due` and :meth:`Workspace.publish_due` report it."""
    return PublishedItem(
        publish_key=entry.publish_key,
        channel=entry.channel,
        variant_id=entry.variant_id,
        due_at=entry.due_at,
        state=entry.state.value,
        platform_post_id=entry.platform_post_id,
        url=entry.url,
    )


def _aware(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            name, value, "must be a timezone-aware datetime", hint="attach a tzinfo (zoneinfo)."
        )
    return value


class Workspace(InboxMixin):
    """A brand's (or an agency's several brands') whole job, persisted.

    Open one with :meth:`open`. ``clock`` (default: the real UTC clock) is what "now" means for
    every step that does not take ``now=``; ``credentials`` is the credential provider (default:
    :func:`~smmkit.workspace.env_credentials`); ``secret_key`` (or ``SMMKIT_SECRET_KEY``) is
    needed only to store or read rotating tokens; ``sandbox`` publishes every channel to a
    :class:`~smmkit.platforms.sandbox.SandboxNetwork`; ``clients`` overrides how a channel's
    client is made; ``client_options`` go to every real client (``http_client=``,
    ``options=ClientOptions(...)``, ``clock=`` ...).
    """

    def __init__(
        self,
        store: Store,
        *,
        brand: str | None = None,
        clock: Callable[[], datetime] | None = None,
        credentials: CredentialProvider | None = None,
        secret_key: str | SecretStr | Sequence[str | SecretStr] | None = None,
        sandbox: SandboxNetwork | None = None,
        clients: ClientFactory | None = None,
        client_options: Mapping[str, Any] | None = None,
        actor: str | None = None,
    ) -> None:
        self._store = store
        self._brand = brand
        self._clock = clock
        self._credentials: CredentialProvider = credentials or env_credentials
        self._box: SecretBox | None = (
            SecretBox(secret_key) if secret_key is not None else SecretBox.from_env()
        )
        self.sandbox = sandbox
        self._clients = clients
        self._client_options = dict(client_options or {})
        self._actor = actor or store.actor
        self._client_cache: dict[tuple[str, str], Any] = {}

    # -- opening and closing -------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str],
        *,
        brand: str | None = None,
        clock: Callable[[], datetime] | None = None,
        credentials: CredentialProvider | None = None,
        secret_key: str | SecretStr | Sequence[str | SecretStr] | None = None,
        sandbox: SandboxNetwork | None = None,
        clients: ClientFactory | None = None,
        client_options: Mapping[str, Any] | None = None,
        actor: str = "smmkit",
        migrate: bool = True,
    ) -> Workspace:
        """Open the workspace at ``target``: a file path (SQLite, created if missing), a
        ``sqlite:///`` or ``postgresql://`` URL, or ``":memory:"``.

        An older database is migrated; a newer one is refused
        (:class:`~smmkit.store.StoreVersionError`), untouched.
        """
        from smmkit.store import open_store

        store = open_store(target, clock=clock, actor=actor, migrate=migrate)
        return cls(
            store,
            brand=brand,
            clock=clock,
            credentials=credentials,
            secret_key=secret_key,
            sandbox=sandbox,
            clients=clients,
            client_options=client_options,
            actor=actor,
        )

    def __repr__(self) -> str:
        return f"Workspace({self._store.where!r}, brand={self._brand!r})"

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for client in self._client_cache.values():
            close = getattr(client, "close", None)
            if callable(close):
                close()
        self._client_cache.clear()
        self._store.close()

    @property
    def store(self) -> Store:
        """The underlying :class:`~smmkit.store.Store` (its repository API, for what the
        workspace does not wrap)."""
        return self._store

    @property
    def actor(self) -> str:
        """Who this workspace's changes are recorded as (the change log's actor)."""
        return self._actor

    def now(self) -> datetime:
        """The workspace's clock (the store's, when one was given)."""
        return self._store.now()

    # -- brands ----------------------------------------------------------------------------------
    def brands(self) -> list[str]:
        """The ids of the brands in the workspace."""
        with self._store.read() as tx:
            return [brand_id for brand_id, _ in tx.brands()]

    def brand_id(self, brand: str | None = None) -> str:
        """The brand a call is about: ``brand``, else the workspace's default, else the only
        brand in the store."""
        chosen = brand or self._brand
        ids = self.brands()
        if chosen is not None:
            if chosen not in ids:
                raise ValidationError(
                    "brand",
                    chosen,
                    "is not in this workspace"
                    + (f"; brands: {', '.join(ids)}" if ids else " (it has no brand yet)"),
                    hint="import a setup first (Workspace.import_setup / smmkit init).",
                )
            return chosen
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise ValidationError(
                "brand",
                None,
                "the workspace has no brand yet",
                hint="import a setup first (Workspace.import_setup / smmkit init).",
            )
        raise ValidationError(
            "brand",
            None,
            f"the workspace holds several brands ({', '.join(ids)}): say which one",
            hint="pass brand=... (or --brand on the command line).",
        )

    def setup(self, brand: str | None = None) -> Setup:
        """The brand's setup as stored (brand, audience, channels, campaigns, influencers,
        content items and community settings)."""
        from smmkit.community import CommunitySettings
        from smmkit.setup import Setup

        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            stored = tx.get_brand(brand_id)
            assert stored is not None
            community = tx.get_community(brand_id)
            return Setup(
                brand=stored,
                audience=tx.get_audience(brand_id),
                channels=tuple(tx.channels(brand_id)),
                campaigns=tuple(tx.campaigns(brand_id)),
                influencers=tuple(tx.influencers(brand_id)),
                content=tuple(tx.items(brand_id)),
                community=CommunitySettings.model_validate(community or {}),
            )

    # -- setup import ----------------------------------------------------------------------------
    @staticmethod
    def read_setup(source: str | os.PathLike[str] | Setup | Mapping[str, Any]) -> Setup:
        """Read and check a setup (a ``.toml``/``.json`` path, a mapping or a ``Setup``) without
        writing anything; raises :class:`~smmkit.errors.SetupError` naming the key and rule."""
        from smmkit.setup import Setup, load_setup, parse_setup

        if isinstance(source, Setup):
            return source
        if isinstance(source, Mapping):
            return parse_setup(dict(source))
        return load_setup(Path(source))

    def import_setup(
        self,
        source: str | os.PathLike[str] | Setup | Mapping[str, Any],
        *,
        brand: str | None = None,
    ) -> ImportResult:
        """Import a setup: the brand, its audience, channels, campaigns, influencers and new
        content items, in one transaction (an invalid file writes nothing).

        The brand id is ``brand`` or a slug of the brand's name. Importing again updates the
        brand and its channels and adds new items; items already stored are kept as they are
        (their workflow state belongs to the workspace now). Credentials are never stored: an
        ``env:NAME`` reference is kept (it is only a name); a literal secret is dropped and
        reported in ``credentials_not_stored``.
        """
        setup = self.read_setup(source)
        label = str(source) if isinstance(source, str | os.PathLike) else "<setup>"
        brand_id = brand or brand_slug(setup.brand.name)
        references: dict[str, str] = {}
        literal: list[str] = []
        for channel in setup.channels:
            if channel.credentials is None:
                continue
            raw = channel.credentials.get_secret_value()
            if raw.startswith("env:") and len(raw) > 4:
                references[channel.key] = raw
            else:
                literal.append(channel.key)
        with self._store.transaction(actor=self._actor) as tx:
            before = {i.id for i in tx.items(brand_id)} if tx.get_brand(brand_id) else set()
            tx.put_setup(brand_id, setup)
            for key, reference in references.items():
                tx.put_channel_secret(brand_id, key, "reference", reference)
        added = sum(1 for i in setup.content if i.id not in before)
        if self.sandbox is not None:
            for channel in setup.channels:
                self.sandbox.add_channel(channel, audience=setup.audience)
        if literal:
            _log.warning(
                "channels %s: a literal credential in the setup was not stored; give it "
                "through the environment or a credential provider",
                ", ".join(literal),
            )
        return ImportResult(
            brand=brand_id,
            source=label,
            channels=len(setup.channels),
            campaigns=len(setup.campaigns),
            influencers=len(setup.influencers),
            items_added=added,
            items_kept=len(setup.content) - added,
            credential_references=len(references),
            credentials_not_stored=tuple(literal),
        )

    def add_item(self, item: ContentItem, *, brand: str | None = None) -> ContentItem:
        """Add a content item (its pillar and campaign must be the brand's)."""
        brand_id = self.brand_id(brand)
        setup = self.setup(brand_id)
        pillars = {p.key for p in setup.brand.pillars}
        if item.pillar is not None and item.pillar not in pillars:
            raise ValidationError(
                "item.pillar", item.pillar, f"is not a pillar of {brand_id}: {sorted(pillars)}"
            )
        campaigns = {c.id for c in setup.campaigns}
        if item.campaign is not None and item.campaign not in campaigns:
            raise ValidationError(
                "item.campaign", item.campaign, f"is not a campaign of {brand_id}"
            )
        with self._store.transaction(actor=self._actor) as tx:
            tx.add_item(brand_id, item)
        return item

    # -- plan --------------------------------------------------------------------------------
    def plan(
        self,
        start: date | datetime,
        *,
        weeks: int = 4,
        brand: str | None = None,
        seed: int = 0,
        use_best_times: bool = True,
        min_posts_for_best_times: int = 20,
    ) -> EditorialCalendar:
        """Plan ``weeks`` from ``start`` on every channel and store the slots.

        Uses the stored content items (assigned to slots), campaigns and audience; with
        ``use_best_times``, the best posting times learnt from the stored metrics feed the plan
        once there are at least ``min_posts_for_best_times`` measured posts. Planning the same
        period again replaces its unassigned slots' details; assigned slots keep their variant.
        """
        from smmkit.planner import PlanRequest
        from smmkit.planner import plan as make_plan

        brand_id = self.brand_id(brand)
        setup = self.setup(brand_id)
        scores = None
        if use_best_times:
            learnt = self.best_times(brand=brand_id, min_posts=min_posts_for_best_times)
            scores = learnt.scores if learnt is not None else None
        request = PlanRequest(
            brand=setup.brand,
            channels=setup.channels,
            start=start,
            weeks=weeks,
            campaigns=setup.campaigns,
            content=tuple(i for i in setup.content if i.status in _DRAFTABLE),
            audience=setup.audience,
            best_times=scores,
            seed=seed,
        )
        calendar = make_plan(request)
        with self._store.transaction(actor=self._actor) as tx:
            tx.put_slots(brand_id, calendar.slots)
        return calendar

    def import_calendar(self, calendar: EditorialCalendar, *, brand: str | None = None) -> int:
        """Store a calendar made elsewhere (``smmkit.planner.from_json``/``from_ics``, another
        tool's plan) as the brand's slots; returns how many. One transaction: a slot on a
        channel the brand does not have refuses the whole calendar."""
        brand_id = self.brand_id(brand)
        with self._store.transaction(actor=self._actor) as tx:
            return tx.put_slots(brand_id, calendar.slots)

    def calendar(
        self,
        *,
        brand: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> EditorialCalendar:
        """The stored slots (in ``[start, end)``) as an
        :class:`~smmkit.planner.EditorialCalendar`, for the planner's exports."""
        from smmkit.planner import EditorialCalendar, Slot

        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            stored = tx.get_brand(brand_id)
            assert stored is not None
            records = tx.slots(brand_id, start=start, end=end)
        slots = tuple(Slot.model_validate(r.data) for r in records)
        first = min((s.start.date() for s in slots), default=self.now().date())
        last = max((s.start.date() for s in slots), default=first)
        return EditorialCalendar(
            brand=stored.name,
            locale=stored.locale,
            timezone=stored.timezone,
            start=first,
            end=last + timedelta(days=1),
            slots=slots,
        )

    def export(
        self,
        fmt: Literal["ics", "csv", "json"] | str,
        *,
        brand: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        stamp: datetime | None = None,
    ) -> bytes:
        """The stored calendar as ``ics`` (RFC 5545), ``csv`` (injection-safe cells) or
        ``json`` bytes."""
        from smmkit.planner import to_csv, to_ics, to_json

        if fmt not in _EXPORT_FORMATS:
            raise ValidationError("format", fmt, f"must be one of {', '.join(_EXPORT_FORMATS)}")
        calendar = self.calendar(brand=brand, start=start, end=end)
        if fmt == "ics":
            return to_ics(calendar, stamp=stamp or self.now())
        if fmt == "csv":
            return to_csv(calendar).encode("utf-8")
        return to_json(calendar).encode("utf-8")

    # -- draft -------------------------------------------------------------------------------
    def draft(
        self,
        *,
        brand: str | None = None,
        now: datetime | None = None,
        items: Iterable[str] | None = None,
        channels: Iterable[str] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> DraftResult:
        """Adapt the content items to every channel, check each variant against its platform's
        rules and lint it against the brand's voice; store the variants that fit (as drafts).
        ``progress(done, total)`` is called after each (item, channel) pair.

        A variant that still breaks a rule is not stored (it is listed in ``refused``). An
        (item, channel) pair that already has a variant is left alone, so drafting again only
        fills what is missing. All new variants are written in one transaction.
        """
        from smmkit.content import adapt, lint_voice

        brand_id = self.brand_id(brand)
        moment = _aware("now", now) if now is not None else self.now()
        setup = self.setup(brand_id)
        wanted_items = set(items) if items is not None else None
        wanted_channels = set(channels) if channels is not None else None
        campaigns = {c.id: c for c in setup.campaigns}
        with self._store.read() as tx:
            have = {(v.item_id, v.channel) for v in tx.variants(brand_id)}
        drafted: list[DraftedVariant] = []
        refused: list[RefusedVariant] = []
        new: list[Variant] = []
        already = 0
        todo = [
            (item, channel)
            for item in setup.content
            if (wanted_items is None or item.id in wanted_items) and item.status in _DRAFTABLE
            for channel in setup.channels
            if wanted_channels is None or channel.key in wanted_channels
        ]
        for done, (item, channel) in enumerate(todo):
            if progress is not None:
                progress(done, len(todo))
            if (item.id, channel.key) in have:
                already += 1
                continue
            result = adapt(
                item,
                channel,
                brand=setup.brand,
                campaign=campaigns.get(item.campaign or ""),
                now=moment,
            )
            if not result.fits:
                refused.append(
                    RefusedVariant(
                        item_id=item.id,
                        channel=channel.key,
                        violations=tuple(
                            f"{v.rule}: {v.message}"
                            for v in result.violations
                            if v.severity == "error"
                        ),
                    )
                )
                continue
            locale = channel.locale or item.locale or setup.brand.locale
            findings = lint_voice(
                result.variant.text, setup.brand.voice, locale, sponsored=item.sponsored
            )
            new.append(result.variant)
            drafted.append(
                DraftedVariant(
                    variant_id=result.variant.id,
                    item_id=item.id,
                    channel=channel.key,
                    changes=tuple(c.kind for c in result.changes),
                    voice=tuple(f"{f.rule}: {f.message}" for f in findings),
                )
            )
        if progress is not None:
            progress(len(todo), len(todo))
        if new:
            with self._store.transaction(actor=self._actor) as tx:
                tx.add_variants(brand_id, new)
        return DraftResult(drafted=tuple(drafted), refused=tuple(refused), already=already)

    def add_variant(
        self, variant: Variant, *, brand: str | None = None, now: datetime | None = None
    ) -> Variant:
        """Store a hand-made variant after checking it against its platform's rules; one that
        breaks a rule raises :class:`~smmkit.errors.ContentRuleError` and writes nothing."""
        from smmkit.content import validate

        brand_id = self.brand_id(brand)
        moment = _aware("now", now) if now is not None else self.now()
        problems = [v for v in validate(variant, on=moment.date()) if v.severity == "error"]
        if problems:
            raise ContentRuleError(
                f"variant {variant.id!r} for {variant.channel} breaks "
                f"{variant.platform.value}'s rules: "
                + "; ".join(f"{p.rule} ({p.message})" for p in problems),
                problems,
                hint="adapt it with smmkit.content.adapt, or shorten/split the text.",
            )
        with self._store.transaction(actor=self._actor) as tx:
            tx.add_variant(brand_id, variant)
        return variant

    def variants(
        self,
        *,
        brand: str | None = None,
        status: ContentStatus | str | None = None,
        channel: str | None = None,
    ) -> list[Variant]:
        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            return tx.variants(
                brand_id,
                status=ContentStatus(status).value if status is not None else None,
                channel=channel,
            )

    # -- the workflow --------------------------------------------------------------------------
    def _move(
        self,
        ids: VariantRefs,
        path: Callable[[Variant], Sequence[ContentStatus]],
        note: str | None,
        actor: str | None,
    ) -> list[Variant]:
        moved: list[Variant] = []
        wanted = list(dict.fromkeys(_variant_ids(ids)))
        with self._store.transaction(actor=actor or self._actor) as tx:
            for variant_id in wanted:
                current = tx.get_variant(variant_id)
                if current is None:
                    raise ValidationError(
                        "variant", variant_id, "is not in the workspace", hint="see smmkit status"
                    )
                for target in path(current):
                    current = tx.transition_variant(variant_id, target, note=note)
                moved.append(current)
        return moved

    def submit(
        self, ids: VariantRefs, *, note: str | None = None, actor: str | None = None
    ) -> list[Variant]:
        """Send drafts to review (``draft`` → ``in_review``); all or nothing."""
        return self._move(ids, lambda v: [ContentStatus.IN_REVIEW], note, actor)

    def approve(
        self, ids: VariantRefs, *, note: str | None = None, actor: str | None = None
    ) -> list[Variant]:
        """Approve variants: a draft goes through review to ``approved`` (both steps in its
        history), one in review is approved. Any other state raises
        :class:`~smmkit.errors.TransitionError` and nothing is written (all or nothing)."""

        def path(variant: Variant) -> list[ContentStatus]:
            if variant.status is ContentStatus.DRAFT:
                return [ContentStatus.IN_REVIEW, ContentStatus.APPROVED]
            if variant.status is ContentStatus.IN_REVIEW:
                return [ContentStatus.APPROVED]
            raise TransitionError(
                f"variant {variant.id}.status",
                variant.status.value,
                ContentStatus.APPROVED.value,
                [s.value for s in _REVIEWABLE],
            )

        return self._move(ids, path, note, actor)

    def reject(
        self, ids: VariantRefs, *, note: str | None = None, actor: str | None = None
    ) -> list[Variant]:
        """Send variants in review back to draft, with a note."""
        return self._move(ids, lambda v: [ContentStatus.DRAFT], note, actor)

    def transition(
        self,
        ids: VariantRefs,
        target: ContentStatus | str,
        *,
        note: str | None = None,
        actor: str | None = None,
    ) -> list[Variant]:
        """Any allowed workflow move (:data:`smmkit.models.WORKFLOW`), all or nothing."""
        state = ContentStatus(target)
        return self._move(ids, lambda v: [state], note, actor)

    # -- schedule ------------------------------------------------------------------------------
    def schedule(
        self,
        *,
        brand: str | None = None,
        now: datetime | None = None,
        until: datetime | None = None,
    ) -> ScheduleResult:
        """Put approved variants into free calendar slots of their channel from ``now`` on.

        A variant goes to the first free slot planned for its item, else one with its pillar,
        else the first free one. It becomes ``scheduled`` at the slot's time and its outbox row
        is written (state ``pending``). One transaction.
        """
        brand_id = self.brand_id(brand)
        moment = _aware("now", now) if now is not None else self.now()
        placed: list[Assignment] = []
        unplaced: list[str] = []
        with self._store.transaction(actor=self._actor) as tx:
            approved = tx.variants(brand_id, status=ContentStatus.APPROVED.value)
            if not approved:
                return ScheduleResult()
            free: dict[str, list[Any]] = {}
            for record in tx.slots(brand_id, start=moment, end=until):
                if not record.variant_ids:
                    free.setdefault(record.channel, []).append(record)
            for variant in approved:
                pool = free.get(variant.channel, [])

                def rank(record: Any, v: Variant = variant) -> tuple[int, datetime]:
                    data = record.data
                    if v.item_id is not None and data.get("item_id") == v.item_id:
                        return (0, record.starts_at)
                    if v.pillar is not None and data.get("pillar") == v.pillar:
                        return (1, record.starts_at)
                    if data.get("item_id") is None:
                        return (2, record.starts_at)
                    return (3, record.starts_at)

                if not pool:
                    unplaced.append(variant.id)
                    continue
                best = min(pool, key=rank)
                pool.remove(best)
                tx.assign(best.id, variant.id)
                tx.transition_variant(
                    variant.id, ContentStatus.SCHEDULED, scheduled_at=best.starts_at
                )
                tx.enqueue(variant.id, due_at=best.starts_at)
                placed.append(
                    Assignment(
                        variant_id=variant.id,
                        channel=variant.channel,
                        slot_id=best.id,
                        at=best.starts_at,
                        item_id=variant.item_id,
                    )
                )
        return ScheduleResult(scheduled=tuple(placed), unplaced=tuple(unplaced))

    # -- clients and secrets -----------------------------------------------------------------
    def credentials(self, channel: Channel, *, brand: str | None = None) -> SecretStr | None:
        """A channel's credentials from the provider (never stored). A stored ``env:NAME``
        reference from the setup is resolved first."""
        if channel.credentials is None and self._credentials is env_credentials:
            brand_id = self.brand_id(brand)
            with self._store.read() as tx:
                reference = tx.get_channel_secret(brand_id, channel.key, "reference")
            if reference is not None:
                channel = channel.model_copy(update={"credentials": SecretStr(reference)})
        return self._credentials(channel)

    def _require_box(self) -> SecretBox:
        if self._box is None:
            from ._secrets import _KEY_HINT

            raise ValidationError(
                "secret_key",
                None,
                "storing or reading tokens needs an encryption key, and none was given",
                hint=_KEY_HINT,
            )
        return self._box

    def save_tokens(self, channel: str, tokens: TokenSet, *, brand: str | None = None) -> None:
        """Store a channel's rotating tokens, encrypted with the workspace's key."""
        brand_id = self.brand_id(brand)
        blob = self._require_box().encrypt_tokens(tokens)
        with self._store.transaction(actor=self._actor) as tx:
            tx.put_channel_secret(brand_id, channel, "tokens", blob)

    def load_tokens(self, channel: str, *, brand: str | None = None) -> TokenSet | None:
        """A channel's stored tokens (decrypted), or ``None``."""
        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            blob = tx.get_channel_secret(brand_id, channel, "tokens")
        if blob is None:
            return None
        return self._require_box().decrypt_tokens(blob, field=f"tokens of {channel}")

    def token_saver(self, channel: str, *, brand: str | None = None) -> Callable[[TokenSet], None]:
        """An ``on_tokens`` callback for a platform client: rotated tokens are stored
        encrypted as soon as the client receives them."""
        brand_id = self.brand_id(brand)

        def save(tokens: TokenSet) -> None:
            self.save_tokens(channel, tokens, brand=brand_id)

        return save

    def rotate_secret_key(self) -> int:
        """Re-encrypt every stored token with the newest key (give the new key first and the
        old ones after it); returns how many values were rotated. One transaction."""
        box = self._require_box()
        count = 0
        with self._store.transaction(actor=self._actor) as tx:
            for brand_id, channel, kind, value in tx.channel_secrets(kind="tokens"):
                tx.put_channel_secret(
                    brand_id, channel, kind, box.rotate(value, field=f"tokens of {channel}")
                )
                count += 1
        return count

    def client(self, channel_key: str, *, brand: str | None = None) -> Any:
        """The platform client of a channel (cached): the ``clients`` factory's, the sandbox's
        when the workspace has one, else :func:`smmkit.platforms.client_for` with the
        channel's credentials."""
        brand_id = self.brand_id(brand)
        cached = self._client_cache.get((brand_id, channel_key))
        if cached is not None:
            return cached
        with self._store.read() as tx:
            channel = tx.get_channel(brand_id, channel_key)
        if channel is None:
            raise ValidationError(
                "channel", channel_key, f"is not a channel of {brand_id}", hint="see smmkit status"
            )
        if self._clients is not None:
            client = self._clients(channel, self)
        elif self.sandbox is not None:
            if channel_key not in self.sandbox.channel_keys():
                with self._store.read() as tx:
                    audience = tx.get_audience(brand_id)
                self.sandbox.add_channel(channel, audience=audience)
            client = self.sandbox.client(channel_key)
        else:
            client = self._real_client(channel, brand_id)
        self._client_cache[(brand_id, channel_key)] = client
        return client

    def _real_client(self, channel: Channel, brand_id: str) -> Any:
        """``client_for`` with the provider's credentials; a client that rotates tokens gets the
        stored ones back (``tokens=``) and hands new ones to the encrypted store
        (``on_tokens=``), when the workspace has a key."""
        import inspect

        from smmkit.platforms import client_for, get_plugin

        secret = self.credentials(channel, brand=brand_id)
        if secret is not None:
            channel = channel.model_copy(update={"credentials": secret})
        options: dict[str, Any] = dict(self._client_options)
        factory = get_plugin(channel.platform.value).client
        accepted = inspect.signature(factory).parameters
        if self._box is not None and "on_tokens" in accepted:
            options.setdefault("on_tokens", self.token_saver(channel.key, brand=brand_id))
            stored = self.load_tokens(channel.key, brand=brand_id)
            if stored is not None and "tokens" in accepted:
                options.setdefault("tokens", stored)
        return client_for(channel, **options)

    # -- publishing ------------------------------------------------------------------------------
    def due(self, now: datetime | None = None, *, brand: str | None = None) -> list[PublishedItem]:
        """The outbox rows due at ``now`` (pending or to retry), by due time. Writes nothing."""
        moment = _aware("now", now) if now is not None else self.now()
        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            entries = tx.outbox_entries(brand_id=brand_id)
        return [
            _published_item(e)
            for e in entries
            if e.state.value == "pending" and e.next_attempt_at <= moment
        ]

    def publish_due(
        self,
        now: datetime | None = None,
        *,
        brand: str | None = None,
        dry_run: bool = False,
    ) -> PublishResult:
        """Publish what is due at ``now`` through :mod:`smmkit.runner` (exactly once, even
        across crashes: the outbox row is claimed before the request, and a row a dead process
        left in ``sending`` is looked up on the platform before anything is sent again).

        Like any runner pass, it schedules each new post's metric collection (1 h, 24 h, 7 days)
        and collects the metrics already due. ``dry_run`` lists what would be published and
        writes nothing.
        """
        moment = _aware("now", now) if now is not None else self.now()
        due = self.due(moment, brand=brand)
        if dry_run:
            return PublishResult(now=moment, dry_run=True, due=tuple(due))
        counts = self._run_once(moment)
        brand_id = self.brand_id(brand)
        keys = {d.publish_key for d in due}
        with self._store.read() as tx:
            after = [e for e in tx.outbox_entries(brand_id=brand_id) if e.publish_key in keys]
        return PublishResult(
            now=moment,
            dry_run=False,
            due=tuple(_published_item(e) for e in after),
            **counts,
        )

    def _run_once(self, moment: datetime) -> dict[str, int]:
        from smmkit.runner import Runner

        # A runner pass: it also schedules each post's metric collection and reads the
        # metrics that are already due (as `smmkit run` does).
        runner = Runner(self._store, self._runner_client, clock=lambda: moment)
        report = runner.run(until_idle=True)
        return {
            "published": report.published,
            "reconciled": report.reconciled,
            "failed": report.failed,
            "retrying": report.retried,
            "needs_reauth": report.needs_reauth,
        }

    def runner(self, **options: Any) -> Runner:
        """A :class:`smmkit.runner.Runner` on this workspace's store and clients (``options``
        go to it: ``clock``, ``hooks``, ``backoff``, ``batch``, ``poll_interval`` ...). With
        ``inbox_interval=timedelta(...)`` it also pulls every brand's inbox that often
        (:meth:`sync_inbox`)."""
        from smmkit.runner import Runner

        options.setdefault("clock", self._store.clock)
        if options.get("inbox_interval") is not None and "inbox_sync" not in options:
            options["inbox_sync"] = self._runner_inbox_sync
        return Runner(self._store, self._runner_client, **options)

    def _runner_inbox_sync(self, now: datetime) -> int:
        """The runner's periodic inbox job: every brand's channels."""
        return sum(self.sync_inbox(now, brand=b).new for b in self.brands())

    def run(
        self, *, until_idle: bool = False, now: datetime | None = None, **options: Any
    ) -> RunReport:
        """Run the runner: publish what is due exactly once, collect the metrics that are due;
        until stopped (``SIGTERM``/``SIGINT``), or with ``until_idle`` until nothing is due.
        ``now`` freezes the clock (scripts and tests)."""
        if now is not None:
            moment = _aware("now", now)
            options["clock"] = lambda: moment
        return self.runner(**options).run(until_idle=until_idle)

    def _runner_client(self, brand_id: str, channel_key: str) -> Any:
        return self.client(channel_key, brand=brand_id)

    # -- metrics and what they teach ---------------------------------------------------------
    def collect_metrics(
        self, now: datetime | None = None, *, brand: str | None = None
    ) -> tuple[int, int]:
        """Read the metrics of every published post and of every channel's account now, and
        store them as snapshots; returns ``(post snapshots, account snapshots)`` added."""
        brand_id = self.brand_id(brand)
        moment = _aware("now", now) if now is not None else self.now()
        with self._store.read() as tx:
            published = tx.published(brand_id=brand_id)
            channels = [c.key for c in tx.channels(brand_id)]
        posts: list[PostMetrics] = []
        for record in published:
            try:
                metrics = self.client(record.channel, brand=brand_id).get_post_metrics(
                    record.platform_post_id
                )
            except SmmkitError as exc:
                _log.warning(
                    "metrics of %s on %s: %s", record.platform_post_id, record.channel, exc
                )
                continue
            posts.append(metrics)
        accounts = []
        for key in channels:
            if not any(r.channel == key for r in published):
                continue
            try:
                accounts.append(self.client(key, brand=brand_id).get_account_metrics())
            except SmmkitError as exc:
                _log.warning("account metrics of %s: %s", key, exc)
        with self._store.transaction(actor=self._actor) as tx:
            added_posts = sum(tx.add_post_metrics(brand_id, m) for m in posts)
            added_accounts = sum(tx.add_account_metrics(brand_id, m) for m in accounts)
        del moment
        return added_posts, added_accounts

    def add_post_metrics(self, metrics: Iterable[PostMetrics], *, brand: str | None = None) -> int:
        """Store post-metric snapshots measured elsewhere (an export, another tool)."""
        brand_id = self.brand_id(brand)
        with self._store.transaction(actor=self._actor) as tx:
            return sum(tx.add_post_metrics(brand_id, m) for m in metrics)

    def post_metrics(self, *, brand: str | None = None) -> list[PostMetrics]:
        """Every stored post-metric snapshot."""
        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            snapshots = tx.post_snapshots(brand_id)
        return [PostMetrics.model_validate(s.data) for s in snapshots]

    def _zones(self, brand_id: str) -> dict[str, str]:
        with self._store.read() as tx:
            return {c.key: c.timezone for c in tx.channels(brand_id)}

    def best_times(self, *, brand: str | None = None, min_posts: int = 1) -> BestTimes | None:
        """The best posting times learnt from the stored metrics (``None`` with fewer than
        ``min_posts`` measured posts). :meth:`plan` uses them."""
        brand_id = self.brand_id(brand)
        posts = self.post_metrics(brand=brand_id)
        distinct = {(p.channel, p.post_id) for p in posts}
        if len(distinct) < max(min_posts, 1):
            return None  # decided before the analytics engine (and numpy) is even imported
        from smmkit.analytics import best_times

        return best_times(posts, timezones=self._zones(brand_id))

    def report(
        self, *, brand: str | None = None, title: str | None = None, top_n: int = 5
    ) -> MetricsReport:
        """The results report over the stored metrics (latest snapshot of each post), against
        the brand's KPI targets; with an inbox, its community section (the last 30 days'
        response times and rate per channel, the backlog by age: :meth:`response_times`)."""
        from smmkit.analytics import build_report

        brand_id = self.brand_id(brand)
        setup = self.setup(brand_id)
        with self._store.read() as tx:
            inbox = tx.inbox_count(brand_id)
        now = self.now()
        responses = (
            self.response_times(brand=brand_id, since=now - timedelta(days=30), now=now)
            if inbox
            else None
        )
        return build_report(
            self.post_metrics(brand=brand_id),
            title=title or f"{setup.brand.name}: results",
            timezones=self._zones(brand_id),
            targets=[k for o in setup.brand.objectives for k in o.kpis],
            top_n=top_n,
            responses=responses,
        )

    # -- community: moderation ---------------------------------------------------------------------
    def moderate(
        self,
        *,
        now: datetime | None = None,
        dry_run: bool = True,
        brand: str | None = None,
        channel: str | Sequence[str] | None = None,
        since: datetime | None = None,
        policy: ModerationPolicy | None = None,
        saved_replies: Sequence[SavedReply] | None = None,
        classifier: Classifier | None = None,
        on_action: Callable[[ModeratedAction], None] | None = None,
    ) -> ModerationRun:
        """Moderate the stored inbox with the brand's rules (the setup's ``community`` rules,
        else :data:`~smmkit.community.DEFAULT_RULES`).

        A **dry run** (the default) returns every action the rules plan, with the rule and the
        cues that fired, and whether an earlier run already did it; it writes nothing. With
        ``dry_run=False`` each action is recorded before it is applied (unique by message,
        action and rule: a re-run or a restart after a crash never acts twice), claimed, applied
        through the channel's client (hide, delete, reply; paced by the client's rate limiter)
        or in the store alone (assign, escalate, notify), and finished. ``on_action`` is called
        for each action done (how escalations and notifications reach a person) **at least
        once**: its notification is queued in the transaction that finishes the action and
        marked delivered after the hook returns, so one cut short by a crash (or by the hook
        raising, which stops the run) is delivered again by the next live run with a hook,
        with the same ``action_id`` to de-duplicate on; an action reconciled after a dead run
        is delivered with the outcome ``reconciled``. Actions left in
        flight by a run that died are reconciled first (the platform is asked whether the
        comment is hidden or the reply is there). Messages stored without a classification are
        classified (``classifier``, default the built-in one). A reply action renders the saved
        reply it names (``saved_replies``, default the setup's) in the message's language and
        the brand's register, and checks it with the voice linter and the platform's limits
        when it is planned: a reply that breaks them is refused (``failed``, with the findings)
        and never sent. ``since`` limits the actions to messages written since then (repeats
        are still counted over the whole inbox).
        """
        from ._moderation import moderate

        moment = _aware("now", now) if now is not None else self.now()
        return moderate(
            self,
            now=moment,
            dry_run=dry_run,
            brand=brand,
            channel=channel,
            since=None if since is None else _aware("since", since),
            policy=policy,
            saved_replies=saved_replies,
            classifier=classifier,
            on_action=on_action,
        )

    # -- community: replies ------------------------------------------------------------------------
    def reply(
        self,
        key: str,
        text: str | None = None,
        *,
        saved: str | None = None,
        values: Mapping[str, str] | None = None,
        saved_replies: Sequence[SavedReply] | None = None,
        by: str | None = None,
        brand: str | None = None,
        now: datetime | None = None,
        dry_run: bool = False,
    ) -> ModeratedAction:
        """Reply to the inbox message ``key`` with ``text``, or with the saved reply named
        ``saved`` (the setup's ``[[community.saved_replies]]``, or ``saved_replies``) in the
        brand's register and the message's language, its ``{name}`` the message's author
        (``values`` fills or overrides placeholders).

        The reply is checked first (the voice linter, the platform's limits, the placeholders)
        and a bad one raises :class:`~smmkit.errors.ReplyRefused` listing the findings, with
        nothing written or sent. Then it is sent exactly once: one row of the action table per
        message and text, claimed before the platform call and finished after it; sending the
        same reply again (or after a crash) finds the row and returns it (``already_done``, or
        ``in_flight`` until a later call reconciles it by looking for the reply in the thread)
        instead of sending a second one. ``by`` (default: the workspace's actor) is recorded as
        who sent it (the message's ``handled_by`` and the change log). Returns the action with
        its ``outcome``: ``done``, ``already_done``, ``in_flight``, ``deferred`` (rate-limited:
        call again later) or ``failed`` (``detail`` says why). ``dry_run`` checks and returns
        ``would_do`` without sending.
        """
        from ._replying import send_reply

        return send_reply(
            self,
            key,
            text=text,
            saved=saved,
            values=values,
            saved_replies=None if saved_replies is None else tuple(saved_replies),
            by=by,
            brand=brand,
            now=_aware("now", now) if now is not None else self.now(),
            dry_run=dry_run,
        )

    def response_times(
        self,
        *,
        brand: str | None = None,
        channel: str | Sequence[str] | None = None,
        since: datetime | None = None,
        now: datetime | None = None,
        exclude: Iterable[MessageCategory | str] = ("spam", "abuse"),
    ) -> ResponseReport:
        """How the brand answers the public, from the stored inbox: first-response time (median
        and p90), response rate and backlog by age bucket and category, per channel (see
        :func:`smmkit.community.response_times`).

        A message counts as answered by the brand's reply in the inbox or by its "answered" mark
        (``answered_at``, set by :meth:`reply` and by moderation); hidden messages and the
        categories in ``exclude`` want no answer. ``since`` bounds the rates' window; ``now``
        defaults to the workspace's clock. With the setup's ``[community.business_hours]``,
        times count open hours only."""
        from smmkit.community import response_times
        from smmkit.models import MessageCategory

        brand_id = self.brand_id(brand)
        moment = _aware("now", now) if now is not None else self.now()
        with self._store.read() as tx:
            records = tx.messages(brand_id, channel=channel)
        messages = [
            r.message.model_copy(update={"hidden": True})
            if r.hidden and not r.message.hidden
            else r.message
            for r in records
        ]
        return response_times(
            messages,
            now=moment,
            since=None if since is None else _aware("since", since),
            categories={r.key: MessageCategory(r.category) for r in records if r.category},
            answered_at={r.key: r.answered_at for r in records if r.answered_at is not None},
            exclude=[MessageCategory(c) for c in exclude],
            business_hours=self.setup(brand_id).community.business_hours,
        )

    # -- paid: history, curves, allocation, pacing --------------------------------------------
    def add_ad_metrics(self, rows: Iterable[AdMetrics], *, brand: str | None = None) -> int:
        """Store ad results (spend, conversions, revenue per period); returns how many were new."""
        brand_id = self.brand_id(brand)
        with self._store.transaction(actor=self._actor) as tx:
            return sum(tx.add_ad_metrics(brand_id, row) for row in rows)

    def ad_metrics(
        self, *, brand: str | None = None, channel: str | None = None
    ) -> list[AdMetrics]:
        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            return tx.ad_metrics(brand_id, channel=channel)

    def fit_curves(
        self,
        *,
        brand: str | None = None,
        outcome: Literal["revenue", "conversions"] = "revenue",
        l_max: int = 12,
        bootstrap: int = 30,
        seed: int = 0,
    ) -> dict[str, ResponseFit]:
        """Fit each paid channel's response curve (Hill saturation of geometric adstock) from
        the stored ad history, one period per row in time order."""
        from smmkit.budget import fit_response

        history = self.ad_metrics(brand=brand)
        by_channel: dict[str, list[AdMetrics]] = {}
        for row in history:
            by_channel.setdefault(row.channel or row.platform.value, []).append(row)
        fits: dict[str, ResponseFit] = {}
        for key, rows in sorted(by_channel.items()):
            rows.sort(key=lambda r: r.period_start or r.measured_at)
            spend = [float(r.spend.amount) for r in rows]
            if outcome == "revenue":
                values = [float(r.revenue.amount) if r.revenue else 0.0 for r in rows]
            else:
                values = [float(r.conversions or 0.0) for r in rows]
            fits[key] = fit_response(
                spend,
                values,
                "hill",
                adstock="geometric",
                normalize=False,
                l_max=l_max,
                bootstrap=bootstrap,
                seed=seed,
                name=key,
            )
        return fits

    def allocate(
        self,
        total: Money,
        *,
        weeks: float = 4.0,
        brand: str | None = None,
        minimum: Money | None = None,
        fits: Mapping[str, ResponseFit] | None = None,
        seed: int = 0,
    ) -> Allocation:
        """Split ``total`` over the paid channels for ``weeks`` of spend, from their fitted
        curves (:meth:`fit_curves`, or ``fits``): each channel's response over the flight is
        ``weeks x f(spend / weeks)``; the current mix is the last 8 periods' spend."""
        from smmkit.budget import Hill, Line
        from smmkit.budget import allocate as split

        if weeks <= 0:
            raise ValidationError("weeks", weeks, "must be positive")
        fitted = dict(fits) if fits is not None else self.fit_curves(brand=brand, seed=seed)
        if not fitted:
            raise ValidationError(
                "ad history",
                0,
                "no stored ad results to fit response curves on",
                hint="store them with Workspace.add_ad_metrics first.",
            )
        history = self.ad_metrics(brand=brand)
        lines = []
        recent: dict[str, float] = {}
        for key, fit in fitted.items():
            curve = fit.curve
            if not isinstance(curve, Hill):
                raise ValidationError(
                    f"fits[{key}].curve", type(curve).__name__, "must be a Hill curve"
                )
            flight = Hill(
                slope=curve.slope,
                half_saturation=curve.half_saturation * weeks,
                top=curve.top * weeks,
            )
            rows = sorted(
                (r for r in history if (r.channel or r.platform.value) == key),
                key=lambda r: r.period_start or r.measured_at,
            )
            last = [float(r.spend.amount) for r in rows[-8:]]
            recent[key] = sum(last) / len(last) if last else 0.0
            lines.append(Line(name=key, curve=flight, minimum=minimum))
        total_recent = sum(recent.values())
        if total_recent > 0:
            units = total.minor_units
            shares = {k: int(units * v / total_recent) for k, v in recent.items()}
            first = next(iter(shares))
            shares[first] += units - sum(shares.values())
            lines = [
                ln.model_copy(
                    update={"current": Money.from_minor_units(shares[ln.name], total.currency)}
                )
                for ln in lines
            ]
        return split(lines, total)

    def pace(
        self,
        allocation: Allocation,
        start: date,
        end: date,
        *,
        brand: str | None = None,
        profile: Literal["even", "front_loaded", "back_loaded"] = "even",
    ) -> PacingPlan:
        """Daily budgets for an allocation from ``start`` to ``end`` (inclusive), paused on the
        brand's public holidays, in the brand's language."""
        from smmkit.budget import pace

        setup = self.setup(brand)
        return pace(
            allocation,
            start,
            end,
            profile=profile,
            country=setup.brand.country,
            subdiv=setup.brand.region,
            locale=setup.brand.locale,
        )

    # -- status ------------------------------------------------------------------------------
    def status(self, *, brand: str | None = None, now: datetime | None = None) -> WorkspaceStatus:
        """Counts of items, variants (by state), slots, outbox rows and published posts; with an
        inbox, how the brand answers (``responses``: the last 30 days' first-response time and
        response rate per channel, and the whole backlog by age and category, at ``now``,
        default the workspace's clock)."""
        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            items = Counter(i.status.value for i in tx.items(brand_id))
            variants = Counter(v.status.value for v in tx.variants(brand_id))
            slots = tx.slots(brand_id)
            outbox = Counter(e.state.value for e in tx.outbox_entries(brand_id=brand_id))
            published = len(tx.published(brand_id=brand_id))
            snapshots = len(tx.post_snapshots(brand_id))
            channels = len(tx.channels(brand_id))
            pending = [
                e.next_attempt_at
                for e in tx.outbox_entries(brand_id=brand_id)
                if e.state.value == "pending"
            ]
            inbox = tx.inbox_count(brand_id)
        now = _aware("now", now) if now is not None else self.now()
        responses = (
            self.response_times(brand=brand_id, since=now - timedelta(days=30), now=now)
            if inbox
            else None
        )
        return WorkspaceStatus(
            brand=brand_id,
            channels=channels,
            items=dict(sorted(items.items())),
            variants=dict(sorted(variants.items())),
            slots=len(slots),
            slots_filled=sum(1 for s in slots if s.variant_ids),
            outbox=dict(sorted(outbox.items())),
            published=published,
            post_snapshots=snapshots,
            next_due=min(pending).astimezone(UTC) if pending else None,
            responses=responses,
        )
