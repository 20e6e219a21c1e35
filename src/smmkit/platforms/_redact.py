"""Secret redaction for logs, URLs and error text.

Every secret smmkit's auth objects handle is registered here (:func:`register_secret`); the
redaction replaces registered values and well-known secret shapes (``Bearer`` tokens,
``access_token=...`` query parameters, JSON fields such as ``"accessJwt"``, ``Cookie`` and
``Set-Cookie`` header values, a password in a URL's user-info) in every log record of the
``smmkit``, ``httpx``, ``httpcore``, ``h11``, ``h2`` and ``hpack`` loggers and their children.

Redaction happens when the record is *made* (a log-record factory installed when
``smmkit.platforms`` is imported, chained to any factory already set), so it covers child
loggers such as ``httpcore.http11`` whatever handlers and filters an application configures.
:class:`RedactingFilter` is still offered for handlers of your own.

The registry is bounded: live secrets are reference-counted and leave the registry when their
owner releases them (:func:`release_secret`, called when a client closes or a token rotates); the
last :data:`RETIRED_KEPT` released secrets are still redacted (an old access token may still
work for a while). The matching pattern is rebuilt lazily, at most once per change, so the cost
per record depends on the number of live secrets, not on how many rotations happened.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from pydantic import SecretStr

__all__ = [
    "REDACTED",
    "RETIRED_KEPT",
    "RedactingFilter",
    "get_logger",
    "live_secret_count",
    "redact",
    "register_secret",
    "release_secret",
]

REDACTED = "***"
RETIRED_KEPT = 64
"""How many released secrets are still redacted (most recent first)."""

_MIN_SECRET = 6
_lock = threading.Lock()
_live: dict[str, int] = {}
_retired: OrderedDict[str, None] = OrderedDict()
_pattern: re.Pattern[str] | None = None
_dirty = False

_SHAPES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"(?i)\b(bearer|dpop|basic|oauth)\s+[A-Za-z0-9._~+/=-]+"),
        lambda m: f"{m.group(1)} {REDACTED}",
    ),
    (
        re.compile(
            r"(?i)((?:(?:access|refresh|id)_?)?token|accessJwt|refreshJwt|password|passwd|"
            r"client_secret|code_verifier|api_key|apikey|app_secret|secret)"
            r"(\\?[\"']?\s*[:=]\s*\\?[\"']?)([^\"'&\s,;}\\]+)"
        ),
        lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}",
    ),
    (re.compile(r"([?&]code=)([^&\s#'\"]+)"), lambda m: f"{m.group(1)}{REDACTED}"),
    # Header tuples as httpcore logs them: (b'Set-Cookie', b'sid=...'), and "Cookie: a=b".
    (
        re.compile(r"(?i)((?:set-)?cookie['\"]?\s*(?:,\s*b?['\"]|:\s*))([^'\"\r\n]*)"),
        lambda m: f"{m.group(1)}{REDACTED}",
    ),
    (
        re.compile(r"(?i)(authorization['\"]?\s*(?:,\s*b?['\"]|:\s*))([^'\"\r\n]*)"),
        lambda m: f"{m.group(1)}{REDACTED}",
    ),
    # user:password@host in URLs
    (
        re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]*:)([^@/\s'\"]+)(@)"),
        lambda m: f"{m.group(1)}{REDACTED}{m.group(3)}",
    ),
]


def _value(secret: SecretStr | str | None) -> str | None:
    if secret is None:
        return None
    value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
    return value if len(value) >= _MIN_SECRET else None


def register_secret(secret: SecretStr | str | None) -> None:
    """Remember a secret so that it is redacted wherever smmkit logs or raises.

    Registrations are counted: a secret stays live until released as many times as it was
    registered (see :func:`release_secret`).
    """
    value = _value(secret)
    if value is None:
        return
    global _dirty
    with _lock:
        count = _live.get(value, 0)
        _live[value] = count + 1
        if count == 0:
            _retired.pop(value, None)
            _dirty = True


def release_secret(secret: SecretStr | str | None) -> None:
    """Release one registration of ``secret``; when none is left it is *retired*: still
    redacted among the :data:`RETIRED_KEPT` most recent ones, then forgotten."""
    value = _value(secret)
    if value is None:
        return
    global _dirty
    with _lock:
        count = _live.get(value, 0)
        if count > 1:
            _live[value] = count - 1
            return
        if count == 0:
            return
        del _live[value]
        _retired[value] = None
        _retired.move_to_end(value)
        while len(_retired) > RETIRED_KEPT:
            _retired.popitem(last=False)
        _dirty = True


def live_secret_count() -> int:
    """How many secrets the registry holds (live and retired): bounded by the open sessions."""
    with _lock:
        return len(_live) + len(_retired)


def _current_pattern() -> re.Pattern[str] | None:
    global _pattern, _dirty
    if not _dirty:
        return _pattern
    with _lock:
        if _dirty:
            values = sorted({*_live, *_retired}, key=len, reverse=True)
            _pattern = re.compile("|".join(re.escape(s) for s in values)) if values else None
            _dirty = False
        return _pattern


def redact(text: str) -> str:
    """``text`` with every registered secret and every well-known secret shape replaced."""
    pattern = _current_pattern()
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    for shape, replace in _SHAPES:
        text = shape.sub(replace, text)
    return text


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: leave it to logging's own error path
        return
    record.msg = redact(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    # The exception itself may carry secrets in its args: the text above replaces it in output.
    record.exc_info = None


class RedactingFilter(logging.Filter):
    """A logging filter that renders each record's message once, redacted (for your own
    handlers; smmkit's own loggers are covered by the record factory already)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record)
        return True


_FILTER = RedactingFilter()
_COVERED = ("smmkit", "httpx", "httpcore", "h11", "h2", "hpack")


def _covered(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in _COVERED)


_installed = False


def _install_factory() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if _covered(record.name):
                _redact_record(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


def get_logger(name: str) -> logging.Logger:
    """A ``smmkit.*`` logger (records are redacted when made)."""
    _install_factory()
    return logging.getLogger(name)


_install_factory()
