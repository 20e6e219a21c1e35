"""Encoding for the places smmkit writes text that people or programs open.

Text from the public and from clients flows into calendars, spreadsheets, Markdown and links.
Each sink has its own rule; these functions are the one place that knows them. All run in time
linear in their input.

- :func:`csv_cell`: OWASP's rule against formula injection in CSV (a cell that starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'``).
- :func:`single_line`: no control characters at all (calendar property values, headers, file
  names): line breaks and tabs become one space, other controls are dropped.
- :func:`strip_controls`: control characters dropped, line breaks kept as ``\\n``.
- :func:`markdown_text`: text for one Markdown line or table cell: no control characters, HTML
  special characters as entities (no raw tag reaches a renderer), and ``[``, ``]``, ``|`` and
  ``\\`` backslash-escaped (no link, image or extra table column can be formed).
- :func:`safe_url`: only ``http``/``https`` URLs with a host and no ``user:password@``, or one of
  the merge tags the caller declares (``*|UNSUB|*``); anything else is a
  :class:`~smmkit.errors.ValidationError`.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

from .errors import ValidationError

__all__ = ["csv_cell", "markdown_text", "safe_url", "single_line", "strip_controls"]

_FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROLS: dict[int, str | None] = dict.fromkeys(
    [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]
)
_SPACE_FOR_BREAKS = {**_CONTROLS, 0x09: " ", 0x0A: " ", 0x0D: " ", 0x2028: " ", 0x2029: " "}
_KEEP_NEWLINE = {**_CONTROLS, 0x0A: "\n", 0x09: " ", 0x2028: "\n", 0x2029: "\n"}


def csv_cell(value: object) -> object:
    """A value safe to write as one CSV cell: strings that a spreadsheet would run as a formula
    get a leading ``'`` (OWASP, "CSV Injection"); numbers and other values pass unchanged.

    >>> csv_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> csv_cell(-3.5)
    -3.5
    """
    if isinstance(value, str) and value and value[0] in _FORMULA_START:
        return "'" + value
    return value


def single_line(value: str) -> str:
    """``value`` with every line break and tab turned into a space and other control
    characters removed: safe for one-line fields (calendar properties, headers)."""
    if value.isprintable():
        return value
    return value.replace("\r\n", " ").translate(_SPACE_FOR_BREAKS)


def strip_controls(value: str) -> str:
    """``value`` with control characters removed; line breaks (CR LF, CR, LF, U+2028/9) kept
    as ``\\n``, tabs as spaces."""
    if value.isprintable():
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_KEEP_NEWLINE)


_MARKDOWN = str.maketrans(
    {"\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "|": "\\|"}
)


def markdown_text(value: str) -> str:
    """``value`` safe inside one line of Markdown (a heading, a list item, a table cell): control
    characters as in :func:`single_line`, ``&``, ``<`` and ``>`` as HTML entities, and ``[``,
    ``]``, ``|`` and backslash escaped with a backslash.

    >>> markdown_text("<script>x</script> [a](javascript:b) | c")
    '&lt;script&gt;x&lt;/script&gt; \\\\[a\\\\](javascript:b) \\\\| c'
    """
    return single_line(value).translate(_MARKDOWN)


def safe_url(value: str, *, field: str = "url", merge_tags: Collection[str] = ()) -> str:
    """``value`` if it is an absolute ``http(s)`` URL with a host, no user-info, no white space,
    no backslash and no control character, or exactly one of ``merge_tags``; otherwise a
    :class:`~smmkit.errors.ValidationError` naming ``field``."""
    if value in merge_tags:
        return value
    hint = "use an absolute http:// or https:// link" + (
        f" or one of the merge tags {sorted(merge_tags)}" if merge_tags else ""
    )
    if not isinstance(value, str) or not value:
        raise ValidationError(field, value, "a link must be a non-empty string", hint=hint)
    if not value.isprintable() or any(c.isspace() or c == "\\" for c in value):
        raise ValidationError(
            field, value, "a link may not hold spaces, backslashes or control characters", hint=hint
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname
        _ = parts.port
    except ValueError as error:
        raise ValidationError(field, value, f"not a valid URL ({error})", hint=hint) from None
    if not parts.scheme:
        raise ValidationError(
            field, value, "is not an absolute http(s) URL: it has no scheme", hint=hint
        )
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(
            field,
            value,
            f"is not an absolute http(s) URL: only http and https links are allowed, not "
            f"{parts.scheme!r}",
            hint=hint,
        )
    if not host:
        raise ValidationError(field, value, "is not an absolute http(s) URL: no host", hint=hint)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError(
            field,
            "<link with user-info>",
            "a link may not carry user:password@ (it would leak a credential)",
            hint="remove the user-info part of the link",
        )
    return value
