"""Moderation notifications that reach a person: a webhook (a JSON POST, fit for Slack, Teams or
Mattermost incoming webhooks) or a local command (the same JSON on its standard input).

Both are :data:`~smmkit.workspace.ActionHook` callables for :meth:`Workspace.moderate`'s
``on_action``, so they inherit its **at least once** contract: a notification that was not
delivered raises :class:`~smmkit.errors.NotificationError`, which stops the run and leaves the
notification queued in the store; the next live run with a notifier delivers it again (same
``action_id``, which the payload carries for de-duplication).

What the public wrote is hostile: the payload is built with :func:`json.dumps` only, excerpts
are truncated, control and format characters (bidi overrides, zero-width tricks) are removed,
and the human-readable ``text`` field defuses chat mentions (``@channel``) and Slack's control
sequences (``<!here>``). The webhook URL is a secret (Slack's carries a token): it is kept in a
:class:`~pydantic.SecretStr`, registered for redaction, and never appears in ``repr``, logs or
errors.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import subprocess
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, Self

import httpx
import tenacity
from pydantic import SecretStr

from smmkit.community import DEFAULT_NOTIFIED_ACTIONS, ModerationAction, NotifySettings
from smmkit.community._notify import env_reference_name
from smmkit.errors import NotificationError, ValidationError

from ._actions import ModeratedAction

__all__ = [
    "EXCERPT_CHARS",
    "CommandNotifier",
    "Notifier",
    "WebhookNotifier",
    "notification_payload",
    "notifier_from_settings",
    "resolve_webhook",
]

_log = logging.getLogger("smmkit.workspace.notify")

EXCERPT_CHARS = 280
"""How much of the message a notification quotes (the whole text is in the inbox)."""
_NAME_CHARS = 80
_WHY_CHARS = 400
_STDERR_CHARS = 200
_MAX_WAIT = 30.0
_LOOPBACK_NAMES = frozenset({"localhost"})
_KEEP_FORMAT = frozenset({"\u200d"})  # zero-width joiner: part of emoji sequences


def _clean(text: str, limit: int) -> str:
    """``text`` on one line, without control or format characters, at most ``limit`` characters
    (an ellipsis marks a cut). Linear time."""
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif category in ("Cf", "Cs", "Co", "Cn") and ch not in _KEEP_FORMAT:
            continue
        else:
            kept.append(ch)
    flat = " ".join("".join(kept).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _defused(text: str) -> str:
    """``text`` for a chat's ``text`` field: Slack's ``<!channel>``/``<@U…>`` sequences and
    ``@channel``/``@here``/``@all`` mentions cannot fire (``&``, ``<``, ``>`` escaped; ``@`` as
    a full-width sign)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "＠")


def notification_payload(item: ModeratedAction, *, brand: str, run_id: str) -> dict[str, Any]:
    """The JSON document a notification carries (documented in docs/community.md).

    ``text`` is a one-line summary for chat tools (Slack, Teams and Mattermost incoming webhooks
    read it), with mentions defused; the other fields are structured: ``action``, ``to``,
    ``rule``, ``why``, ``cues``, ``category``, ``confidence``, ``outcome``, ``action_id`` (stable
    across redeliveries: de-duplicate on it), ``run_id``, ``brand`` and ``message`` (``key``,
    ``channel``, ``author``, ``excerpt``: at most :data:`EXCERPT_CHARS` characters, control
    characters removed)."""
    excerpt = _clean(item.text, EXCERPT_CHARS)
    author = _clean(item.author, _NAME_CHARS)
    why = _clean(item.reason, _WHY_CHARS)
    target = f" → {_clean(item.to, _NAME_CHARS)}" if item.to else ""
    summary = (
        f"[smmkit] {item.action.value}{target} on {item.channel} (rule {item.rule}, "
        f"{item.category.value}): {author} wrote “{excerpt}”. Why: {why}"
    )
    return {
        "text": _defused(summary),
        "event": "moderation.action",
        "brand": brand,
        "run_id": run_id,
        "action_id": item.action_id,
        "action": item.action.value,
        "to": _clean(item.to, _NAME_CHARS) if item.to else None,
        "outcome": item.outcome.value,
        "rule": item.rule,
        "category": item.category.value,
        "confidence": round(item.confidence, 4),
        "why": why,
        "cues": [_clean(c, _NAME_CHARS) for c in item.cues[:20]],
        "message": {
            "key": item.message_key,
            "channel": item.channel,
            "author": author,
            "excerpt": excerpt,
        },
    }


class _Retry(Exception):
    """One attempt failed in a way another attempt may fix."""

    def __init__(self, reason: str, *, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class _GiveUp(Exception):
    """One attempt failed in a way no retry fixes (a wrong URL, a missing program)."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


class Notifier:
    """The common part of :class:`WebhookNotifier` and :class:`CommandNotifier`: which actions
    are notified, the payload, and a bounded retry (tenacity) that ends in a
    :class:`~smmkit.errors.NotificationError`. Call it with a
    :class:`~smmkit.workspace.ModeratedAction` (it is an ``on_action`` hook)."""

    kind = "notifier"

    def __init__(
        self,
        *,
        brand: str,
        run_id: str,
        actions: Iterable[ModerationAction | str] = DEFAULT_NOTIFIED_ACTIONS,
        timeout: float = 10.0,
        attempts: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 0 < timeout <= 120:
            raise ValidationError("timeout", timeout, "must be more than 0 and at most 120 s")
        if not 1 <= attempts <= 10:
            raise ValidationError("attempts", attempts, "must be between 1 and 10")
        self.brand = brand
        self.run_id = run_id
        self.actions = frozenset(ModerationAction(a) for a in actions)
        if not self.actions:
            raise ValidationError("actions", (), "name at least one action to notify")
        self.timeout = timeout
        self.attempts = attempts
        self._sleep = sleep
        self.delivered: list[int | None] = []
        """The ``action_id`` of each notification delivered, in order."""

    def wants(self, item: ModeratedAction) -> bool:
        """Whether ``item``'s kind of action is notified."""
        return item.action in self.actions

    def __call__(self, item: ModeratedAction) -> None:
        if not self.wants(item):
            return
        payload = notification_payload(item, brand=self.brand, run_id=self.run_id)
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome is not None else None
            hinted = error.wait if isinstance(error, _Retry) else None
            if hinted is not None:
                return min(max(hinted, 0.0), _MAX_WAIT)
            return min(0.25 * 2.0 ** (state.attempt_number - 1), 4.0)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=wait,
            retry=tenacity.retry_if_exception_type(_Retry),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    self._send(body, item)
        except _Retry as exc:
            raise self._error(
                item,
                f"{exc.reason} (after {self.attempts} attempt(s))",
                self._retry_hint(),
            ) from None
        except _GiveUp as exc:
            raise self._error(item, exc.reason, exc.hint) from None
        self.delivered.append(item.action_id)
        _log.info(
            "notified %s of %s on %s (rule %s, action %s)",
            self.kind,
            item.action.value,
            item.message_key,
            item.rule,
            item.action_id,
        )

    def _error(self, item: ModeratedAction, reason: str, hint: str) -> NotificationError:
        return NotificationError(
            f"the {self.kind} notification of {item.action.value} by rule {item.rule!r} "
            f"(action {item.action_id}, message {item.message_key}) was not delivered: {reason}. "
            "It stays queued: the next live run delivers it again before acting.",
            rule=item.rule,
            action=item.action.value,
            action_id=item.action_id,
            target=self.kind,
            hint=hint,
        )

    def _retry_hint(self) -> str:
        return "check the target, then run `smmkit moderate --apply` again"

    def _send(self, body: bytes, item: ModeratedAction) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def _loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    try:
        return float(value) if value else None
    except ValueError:
        return None


class WebhookNotifier(Notifier):
    """POST each notification as JSON to an incoming-webhook URL (https; http only to this
    machine, for tests). ``url`` is a secret: it is registered for redaction and never shown.

    A 2xx answer is delivered; 408, 429 (after its ``Retry-After``, capped at 30 s) and 5xx
    answers, timeouts and connection errors are tried again up to ``attempts`` times; other
    answers (a 404 for a removed webhook, a redirect) fail at once. ``client`` is an
    ``httpx.Client`` of yours (e.g. over ``httpx.MockTransport`` in tests); without one the
    notifier makes one and closes it with :meth:`close`. Every request carries an
    ``Idempotency-Key`` derived from the action id.
    """

    kind = "webhook"

    def __init__(
        self,
        url: SecretStr | str,
        *,
        brand: str,
        run_id: str,
        actions: Iterable[ModerationAction | str] = DEFAULT_NOTIFIED_ACTIONS,
        timeout: float = 10.0,
        attempts: int = 3,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        field: str = "url",
    ) -> None:
        super().__init__(
            brand=brand,
            run_id=run_id,
            actions=actions,
            timeout=timeout,
            attempts=attempts,
            sleep=sleep,
        )
        from smmkit.platforms import register_secret

        secret = url if isinstance(url, SecretStr) else SecretStr(url)
        raw = secret.get_secret_value().strip()
        hidden = "<hidden: the webhook URL>"
        try:
            parsed = httpx.URL(raw)
        except (httpx.InvalidURL, TypeError, ValueError):
            raise ValidationError(
                field, hidden, "is not a URL", hint="give the incoming-webhook URL, https://..."
            ) from None
        if parsed.scheme not in ("https", "http") or not parsed.host:
            raise ValidationError(
                field,
                hidden,
                "must be an https:// URL",
                hint="copy the incoming-webhook URL from the chat tool's settings",
            )
        if parsed.scheme == "http" and not _loopback(parsed.host):
            raise ValidationError(
                field,
                hidden,
                "must use https (http is allowed only to this machine, for tests): the URL "
                "and the messages would cross the network in clear",
                hint="use the https:// URL the chat tool gives",
            )
        self._url = SecretStr(raw)
        self._secrets = [raw, str(parsed)]
        tail = parsed.raw_path.decode("ascii", "replace")
        if len(tail) >= 8:
            self._secrets.append(tail)
        for value in self._secrets:
            register_secret(value)
        self._client = client
        self._own_client = client is None

    def __repr__(self) -> str:
        return (
            f"WebhookNotifier(url=SecretStr('**********'), brand={self.brand!r}, "
            f"actions={sorted(a.value for a in self.actions)})"
        )

    def close(self) -> None:
        """Close the HTTP client the notifier made (a client you gave is yours to close) and
        release the URL from the live redaction registry (it stays among the retired ones)."""
        from smmkit.platforms._redact import release_secret

        for value in self._secrets:
            release_secret(value)
        self._secrets = []
        if self._own_client and self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _retry_hint(self) -> str:
        return (
            "check that the chat tool is up and the webhook still exists, then run "
            "`smmkit moderate --apply` again"
        )

    def _send(self, body: bytes, item: ModeratedAction) -> None:
        if self._client is None:
            self._client = httpx.Client(follow_redirects=False)
        headers = {"content-type": "application/json; charset=utf-8"}
        if item.action_id is not None:
            headers["idempotency-key"] = f"smmkit-action-{item.action_id}"
        try:
            response = self._client.post(
                self._url.get_secret_value(),
                content=body,
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.TimeoutException:
            raise _Retry(f"no answer within {self.timeout:g} s") from None
        except httpx.TransportError as exc:
            # the exception's text may hold the URL: only its kind is reported
            raise _Retry(f"the webhook could not be reached ({type(exc).__name__})") from None
        status = response.status_code
        if 200 <= status < 300:
            return
        if status in (408, 429) or status >= 500:
            raise _Retry(f"the webhook answered HTTP {status}", wait=_retry_after(response))
        if 300 <= status < 400:
            raise _GiveUp(
                f"the webhook answered with a redirect (HTTP {status})",
                "use the final URL the chat tool gives (redirects are not followed)",
            )
        raise _GiveUp(
            f"the webhook refused it (HTTP {status})",
            "the URL is wrong or the webhook was removed: create it again in the chat tool, "
            "export the new URL, and run `smmkit moderate --apply` again",
        )


class CommandNotifier(Notifier):
    """Run a program for each notification, the JSON payload on its standard input; exit status
    0 means delivered. ``argv`` is an argument list, never a shell line: nothing in a message
    can reach a shell or the arguments. A non-zero exit or a run longer than ``timeout`` is
    tried again up to ``attempts`` times; a program that cannot be started fails at once."""

    kind = "command"

    def __init__(
        self,
        argv: Iterable[str],
        *,
        brand: str,
        run_id: str,
        actions: Iterable[ModerationAction | str] = DEFAULT_NOTIFIED_ACTIONS,
        timeout: float = 10.0,
        attempts: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            brand=brand,
            run_id=run_id,
            actions=actions,
            timeout=timeout,
            attempts=attempts,
            sleep=sleep,
        )
        if isinstance(argv, str):
            raise ValidationError(
                "command",
                argv,
                "is an argument list, never a shell line",
                hint='give ["program", "arg", ...]',
            )
        self.argv = tuple(argv)
        if not self.argv or not self.argv[0].strip() or any("\x00" in a for a in self.argv):
            raise ValidationError(
                "command",
                self.argv,
                "needs a program as its first element and no NUL characters",
                hint='give ["program", "arg", ...]',
            )
        self.env = dict(env) if env is not None else None

    def __repr__(self) -> str:
        return f"CommandNotifier(argv={list(self.argv)!r}, brand={self.brand!r})"

    def _retry_hint(self) -> str:
        return (
            f"run {self.argv[0]} by hand with a notification on its standard input to see why "
            "it fails, then run `smmkit moderate --apply` again"
        )

    def _send(self, body: bytes, item: ModeratedAction) -> None:
        from smmkit.platforms import redact

        try:
            done = subprocess.run(  # an argument list, never a shell
                list(self.argv),
                input=body,
                capture_output=True,
                timeout=self.timeout,
                check=False,
                env=self.env,
            )
        except subprocess.TimeoutExpired:
            raise _Retry(f"{self.argv[0]} did not finish within {self.timeout:g} s") from None
        except OSError as exc:
            raise _GiveUp(
                f"{self.argv[0]} cannot be run ({exc.strerror or type(exc).__name__})",
                "check the program's path and that it is executable",
            ) from None
        if done.returncode != 0:
            said = _clean(redact(done.stderr.decode("utf-8", "replace")), _STDERR_CHARS)
            raise _Retry(
                f"{self.argv[0]} exited with status {done.returncode}"
                + (f" ({said})" if said else "")
            )


def resolve_webhook(
    reference: str, *, field: str, environ: Mapping[str, str] | None = None
) -> SecretStr:
    """The URL an ``env:NAME`` reference points to; a literal URL is refused (never echoed),
    and so is a variable that is not set."""
    import os

    name = env_reference_name(reference)
    if name is None:
        raise ValidationError(
            field,
            "<hidden: not an env:NAME reference>",
            "the webhook URL is a secret: give the name of the environment variable that holds "
            "it, never the URL itself",
            hint="export PAGER_URL=<the URL> and pass env:PAGER_URL",
        )
    value = (os.environ if environ is None else environ).get(name, "").strip()
    if not value:
        raise ValidationError(
            field,
            f"env:{name}",
            f"the environment variable {name} is not set",
            hint=f"export {name}=<the incoming-webhook URL> before running",
        )
    return SecretStr(value)


def notifier_from_settings(
    settings: NotifySettings,
    *,
    brand: str,
    run_id: str,
    environ: Mapping[str, str] | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> WebhookNotifier | CommandNotifier:
    """The notifier a setup's ``[community.notify]`` declares (the webhook's variable read
    from ``environ``, default the process environment)."""
    common: dict[str, Any] = {
        "brand": brand,
        "run_id": run_id,
        "actions": settings.actions,
        "timeout": settings.timeout_seconds,
        "attempts": settings.attempts,
        "sleep": sleep,
    }
    if settings.webhook is not None:
        field = "community.notify.webhook"
        url = resolve_webhook(settings.webhook, field=field, environ=environ)
        return WebhookNotifier(url, client=client, field=field, **common)
    assert settings.command is not None
    return CommandNotifier(settings.command, **common)
