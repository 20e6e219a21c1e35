"""Demo section: one idea adapted to every channel, and the brand-voice linter on a bad draft."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

from smmkit.content import adapt, lint_voice, validate
from smmkit.models import Campaign, ContentItem

from . import DemoContext

TITLE = "2. Content: one idea adapted to every channel"

_DRAFT = (
    "Gentile cliente, prenoti ora il tuo panettone con il miele di Apicoltura Luca: niente di "
    "industriale, solo lievito madre!!! Ti aspettiamo in negozio, La ringraziamo 🎄🎄🍯✨🙏"
)
_FALLBACK_NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


def _indent(text: str, prefix: str = "      | ") -> str:
    lines = []
    for line in text.splitlines() or [""]:
        wrapped = textwrap.wrap(line, 88, break_long_words=False, break_on_hyphens=False)
        lines += wrapped or [""]
    return "\n".join(prefix + line for line in lines)


def _campaign(ctx: DemoContext, item: ContentItem) -> Campaign | None:
    for campaign in ctx.setup.campaigns:
        if campaign.id == item.campaign:
            return campaign
    return None


def run(ctx: DemoContext) -> None:
    setup = ctx.setup
    say = ctx.say
    if not setup.content:
        say("This setup has no content items to adapt.")
        return
    brand = setup.brand
    for index, item in enumerate(setup.content):
        campaign = _campaign(ctx, item)
        now = item.ready_at or _FALLBACK_NOW
        detailed = index == 0
        if detailed:
            say(
                f"Item {item.id!r} ({item.format.value}, pillar {item.pillar}"
                + (f", campaign {campaign.id}" if campaign else "")
                + "), written once:"
            )
            say(_indent(item.text))
        for channel in setup.channels:
            result = adapt(item, channel, brand=brand, campaign=campaign, now=now)
            variant = result.variant
            problems = validate(variant, on=now.date())
            if not detailed:
                continue
            say()
            status = "fits" if not problems else f"{len(problems)} problem(s)"
            say(f"  → {channel.key} ({channel.platform.value}): {status}")
            if variant.title:
                say(f"      title: {variant.title}")
            say(_indent(variant.text))
            for n, post in enumerate(variant.thread, start=2):
                say(f"      thread post {n}:")
                say(_indent(post))
            if variant.first_comment:
                say(f"      first comment: {variant.first_comment}")
            if variant.link:
                say(f"      link for the bio / link field: {variant.link}")
            for change in result.changes:
                say(f"      · {change.kind}: {change.reason}")
        if not detailed:
            say()
            say(f"Item {item.id!r} adapted to {len(setup.channels)} channels as well.")

    ws = ctx.workspace
    imported = ctx.imported
    if imported is not None:
        say()
        say(
            f"Workspace {ctx.workspace_path} ({ws.store.dialect}): {imported.brand} with "
            f"{imported.channels} channels; {imported.items_added} new content items, "
            f"{imported.items_kept} already there"
        )
    drafted = ws.draft(now=_FALLBACK_NOW)
    say(
        f"Drafted and stored {len(drafted.drafted)} variants ({drafted.already} were already in "
        f"the workspace, {len(drafted.refused)} refused by a platform's rules)"
    )
    for voiced in drafted.drafted:
        for note in voiced.voice:
            say(f"  voice {voiced.channel}: {note}")
    waiting = [v.id for v in ws.variants(status="draft")] + [
        v.id for v in ws.variants(status="in_review")
    ]
    if waiting:
        ws.approve(waiting, note="looks good", actor="editor")
    say(
        f"Approved {len(waiting)} variants (draft → in review → approved, each step in the history)"
    )

    ctx.heading("The brand-voice linter on a flawed draft (sponsored)")
    locale = brand.locale
    say(
        f"Voice: '{brand.voice.person_for(locale).value}' in {locale}, never "
        f"{', '.join(repr(t) for t in brand.voice.banned_terms)}; "
        f"at most {brand.voice.max_emoji} emoji"
    )
    say(_indent(_DRAFT, "  | "))
    for finding in lint_voice(_DRAFT, brand.voice, locale, sponsored=True):
        where = f"[{finding.span[0]}:{finding.span[1]}]" if finding.span else "[—]"
        fix = f" → {finding.suggestion!r}" if finding.suggestion is not None else ""
        say(f"  {finding.severity:<7} {finding.rule.value:<14} {where:<9} {finding.message}{fix}")
