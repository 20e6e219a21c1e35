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
from ._utm import default_medium, utm
from ._validate import Violation, measure, validate
from .rules import PlatformRules, from_mastodon_instance, rules_for

__all__ = [
    "Adaptation",
    "Change",
    "PlatformRules",
    "Violation",
    "adapt",
    "default_medium",
    "escape_linkedin",
    "from_mastodon_instance",
    "measure",
    "rules",
    "rules_for",
    "utm",
    "validate",
]
