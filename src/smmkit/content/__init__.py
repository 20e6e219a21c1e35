"""Content: platform rules, validation, cross-post adaptation, UTM, brand voice, long-form.

The front door of the content engine. Pure functions over :mod:`smmkit.models`, no I/O:

- :mod:`smmkit.content.rules`: the table of every platform's rules (dated and sourced).
- :func:`validate`: the violations of a post on a platform (content problems never raise).
- :func:`adapt`: one item, adapted to one channel, with every change and its reason.
- :func:`utm`: UTM-tagged links.
- :func:`lint_voice`: the brand-voice linter (banned terms, register, emoji, disclosure...).
- long-form: :func:`render_html`, :func:`render_markdown`, :func:`check_seo`,
  :func:`reading_time`, :func:`plain_text`, :func:`check_newsletter`, :func:`excerpt_for`.
"""

from . import rules
from ._adapt import Adaptation, Change, adapt, escape_linkedin
from ._longform import (
    check_newsletter,
    check_seo,
    excerpt_for,
    plain_text,
    reading_time,
    render_html,
    render_markdown,
)
from ._utm import default_medium, utm
from ._validate import Violation, measure, validate
from ._voice import VoiceFinding, VoiceRule, lint_voice
from .rules import PlatformRules, from_mastodon_instance, rules_for

__all__ = [
    "Adaptation",
    "Change",
    "PlatformRules",
    "Violation",
    "VoiceFinding",
    "VoiceRule",
    "adapt",
    "check_newsletter",
    "check_seo",
    "default_medium",
    "escape_linkedin",
    "excerpt_for",
    "from_mastodon_instance",
    "lint_voice",
    "measure",
    "plain_text",
    "reading_time",
    "render_html",
    "render_markdown",
    "rules",
    "rules_for",
    "utm",
    "validate",
]
