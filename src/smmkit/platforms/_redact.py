"""Secret redaction for logs, URLs and error text.

Every secret smmkit's auth objects handle is registered here (:func:`register_secret`); the
:class:`RedactingFilter` replaces registered values and well-known secret shapes (``Bearer``
tokens, ``access_token=...`` query parameters, JSON fields such as ``"accessJwt"``) in each log
record. It is installed on the ``smmkit``, ``httpx`` and ``httpcore`` loggers when
``smmkit.platforms`` is imported; add it to your own handlers too if you log requests yourself.
"""

from __future__ import annotations

import logging
import re
import threading

from pydantic import SecretStr

__all__ = ["REDACTED", "RedactingFilter", "get_logger", "redact", "register_secret"]

REDACTED = "***"
_MIN_SECRET = 6
_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None

_SHAPES = [
    re.compile(r"(?i)(bearer|dpop|basic)\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(
        r"(?i)((?:(?:access|refresh|id)_?)?token|accessJwt|refreshJwt|password|client_secret|"
        r"code_verifier|api_key|apikey)(\"?\s*[:=]\s*\"?)([^\"&\s,;}]+)"
    ),
    re.compile(r"([?&]code=)([^&\s#]+)"),
]


def register_secret(secret: SecretStr | str | None) -> None:
    """Remember a secret so that it is redacted wherever smmkit logs or raises."""
    if secret is None:
        return
    value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
    if len(value) < _MIN_SECRET:
        return
    global _pattern
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        ordered = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(s) for s in ordered))


def redact(text: str) -> str:
    """``text`` with every registered secret and every well-known secret shape replaced."""
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    text = _SHAPES[0].sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _SHAPES[1].sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _SHAPES[2].sub(lambda m: f"{m.group(1)}{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """A logging filter that renders each record's message once, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error path
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactingFilter()


def _install(logger: logging.Logger) -> logging.Logger:
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


def get_logger(name: str) -> logging.Logger:
    """A ``smmkit.*`` logger with the redacting filter installed."""
    return _install(logging.getLogger(name))


for _name in ("smmkit", "httpx", "httpcore"):
    _install(logging.getLogger(_name))
