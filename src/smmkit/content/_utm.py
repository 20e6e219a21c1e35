"""UTM tagging of links: keeps the query and fragment, never silently overwrites a tag."""

from __future__ import annotations

from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

import idna

from smmkit._sinks import safe_url
from smmkit.errors import ValidationError
from smmkit.models import Platform

__all__ = ["default_medium", "utm"]

_ORDER = ("source", "medium", "campaign", "term", "content")

_MEDIUM_BY_PLATFORM = {
    Platform.MAILCHIMP: ("email", "email"),
    Platform.WORDPRESS: ("blog", "blog"),
}


def default_medium(platform: Platform | str | None = None, *, paid: bool = False) -> str:
    """The ``utm_medium`` for a platform: ``"social"``, or ``"paid_social"`` when paid.

    A newsletter (Mailchimp) gives ``"email"``, a blog (WordPress) ``"blog"``.
    """
    if platform is not None:
        try:
            key = Platform(platform)
        except ValueError:
            key = None
        if key in _MEDIUM_BY_PLATFORM:
            organic, paid_medium = _MEDIUM_BY_PLATFORM[key]
            return paid_medium if paid else organic
    return "paid_social" if paid else "social"


def _host(host: str, url: str) -> str:
    if host.isascii():
        return host.lower()
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise ValidationError(
            "url", url, f"has a host that is not a valid domain ({exc})"
        ) from None


def _value(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"utm_{name}", value, "must be a string")
    cleaned = " ".join(value.split()).lower()
    if not cleaned:
        raise ValidationError(f"utm_{name}", value, "must not be empty")
    return cleaned


def utm(
    url: str,
    source: str,
    medium: str | None,
    campaign: str,
    term: str | None = None,
    content: str | None = None,
    *,
    overwrite: bool = False,
    paid: bool = False,
) -> str:
    """Return ``url`` tagged with UTM parameters.

    Values are lowercased and trimmed; ``medium=None`` takes :func:`default_medium` of
    ``source`` (``"social"``, or ``"paid_social"`` with ``paid=True``). The existing query (its
    order and encoding) and the fragment are kept; a non-ASCII host is written in IDNA (punycode).
    An existing ``utm_*`` parameter with the same value is left alone; one with a different value
    raises :class:`~smmkit.errors.ValidationError` naming the parameter, unless
    ``overwrite=True``. A link with user-info (``user:password@``), a backslash, white space, or
    another scheme than ``http``/``https`` is refused.
    """
    if not isinstance(url, str):
        raise ValidationError("url", url, "must be a string")
    # only an absolute http(s) link with a host: no user:password@ (a tagged link is shared
    # publicly), no backslash (browsers read "https://a.example\\@b.example" as host b), no space
    # or control character
    url = safe_url(url.strip(), field="url")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise ValidationError("url", url, f"cannot be parsed ({exc})") from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValidationError("url", url, "must be an absolute http(s) URL")
    src = _value("source", source)
    if src is None:
        raise ValidationError("utm_source", source, "is required")
    med = _value("medium", medium) or default_medium(src, paid=paid)
    camp = _value("campaign", campaign)
    if camp is None:
        raise ValidationError("utm_campaign", campaign, "is required")
    wanted = {
        "source": src,
        "medium": med,
        "campaign": camp,
        "term": _value("term", term),
        "content": _value("content", content),
    }

    pieces = [p for p in parts.query.split("&") if p] if parts.query else []
    kept: list[str] = []
    present: dict[str, str] = {}
    for piece in pieces:
        key, _, raw = piece.partition("=")
        name = unquote_plus(key).lower()
        if name.startswith("utm_") and name[4:] in wanted and wanted[name[4:]] is not None:
            existing = unquote_plus(raw)
            new = wanted[name[4:]]
            if existing.strip().lower() != new and not overwrite:
                raise ValidationError(
                    f"url.query.{name}",
                    existing,
                    f"already set to a different value than {new!r}",
                    hint="pass overwrite=True to replace it, or reuse the existing value",
                )
            present[name[4:]] = existing
            if existing == new or not overwrite:
                kept.append(piece)
            else:
                kept.append(f"utm_{name[4:]}={quote(new or '', safe='')}")
            continue
        kept.append(piece)
    for name in _ORDER:
        value = wanted[name]
        if value is not None and name not in present:
            kept.append(f"utm_{name}={quote(value, safe='')}")

    netloc = parts.netloc
    host = parts.hostname
    if host and not host.isascii():
        port = f":{parts.port}" if parts.port else ""
        netloc = _host(host, url) + port  # safe_url refused any user-info
    path = parts.path or "/"
    return urlunsplit((parts.scheme, netloc, path, "&".join(kept), parts.fragment))
