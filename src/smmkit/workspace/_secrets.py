"""Secrets of a workspace: credentials from the environment, rotating tokens encrypted at rest.

Credentials (a channel's long-lived token or app password) are never stored: they come from the
environment by default (:func:`env_credentials`) or from a provider callable the embedding app
gives. Tokens that rotate (OAuth access/refresh tokens, Bluesky sessions) must survive a restart,
so they are stored, encrypted with a key the user supplies: :class:`SecretBox` wraps
``cryptography``'s Fernet (AES-128-CBC with HMAC-SHA256, timestamped tokens) in a MultiFernet, so
that several keys can be given, newest first, and old ciphertexts re-encrypted with the newest
(key rotation).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from smmkit.errors import ValidationError

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

    from smmkit.models import Channel
    from smmkit.platforms import TokenSet

__all__ = [
    "SECRET_KEY_ENV",
    "CredentialProvider",
    "SecretBox",
    "env_credentials",
    "generate_key",
]

SECRET_KEY_ENV = "SMMKIT_SECRET_KEY"
"""The environment variable read for the encryption key(s): comma-separated, newest first."""

CredentialProvider = Callable[["Channel"], "SecretStr | None"]
"""Returns a channel's credentials (or ``None`` when it has none); never stored by smmkit."""

_KEY_HINT = (
    "make a key with `python -c 'from smmkit.workspace import generate_key; "
    f"print(generate_key())'` and keep it in {SECRET_KEY_ENV} (or pass secret_key=); several keys, "
    "comma-separated and newest first, let you rotate."
)


def generate_key() -> SecretStr:
    """A new random Fernet key (32 bytes, URL-safe base64), as a secret."""
    from cryptography.fernet import Fernet

    return SecretStr(Fernet.generate_key().decode("ascii"))


def _key_bytes(key: str | bytes | SecretStr, index: int) -> bytes:
    raw = key.get_secret_value() if isinstance(key, SecretStr) else key
    data = raw.encode("ascii", "replace") if isinstance(raw, str) else raw
    data = data.strip()
    try:
        decoded = base64.urlsafe_b64decode(data)
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != 32:
        # The value is never echoed: it is a secret, even when malformed.
        raise ValidationError(
            f"secret_key[{index}]",
            "<hidden>",
            "is not a Fernet key (32 bytes, URL-safe base64: 44 characters)",
            hint=_KEY_HINT,
        )
    return data


class SecretBox:
    """Encrypts and decrypts secrets with one or more Fernet keys (newest first).

    Encrypting always uses the first key; decrypting tries every key, so a store written with an
    older key stays readable until :meth:`rotate` re-encrypts it. ``repr`` shows only how many
    keys there are.

    >>> box = SecretBox([generate_key()])  # doctest: +SKIP
    >>> box.decrypt(box.encrypt("s3cret")).get_secret_value()  # doctest: +SKIP
    's3cret'
    """

    __slots__ = ("_count", "_fernet")

    def __init__(self, keys: str | bytes | SecretStr | Sequence[str | bytes | SecretStr]) -> None:
        from cryptography.fernet import Fernet, MultiFernet

        items: list[str | bytes | SecretStr]
        if isinstance(keys, str | bytes | SecretStr):
            raw = keys.get_secret_value() if isinstance(keys, SecretStr) else keys
            text = raw.decode("ascii", "replace") if isinstance(raw, bytes) else raw
            items = [part for part in text.split(",") if part.strip()]
        else:
            items = list(keys)
        if not items:
            raise ValidationError(
                "secret_key", "<empty>", "at least one key is needed", hint=_KEY_HINT
            )
        self._fernet: MultiFernet = MultiFernet(
            [Fernet(_key_bytes(key, i)) for i, key in enumerate(items)]
        )
        self._count = len(items)

    @classmethod
    def from_env(
        cls, variable: str = SECRET_KEY_ENV, *, environ: Mapping[str, str] | None = None
    ) -> SecretBox | None:
        """The box for the key(s) in an environment variable, or ``None`` when it is unset."""
        value = (os.environ if environ is None else environ).get(variable, "").strip()
        return cls(value) if value else None

    def __repr__(self) -> str:
        return f"SecretBox(keys={self._count})"

    def encrypt(self, secret: str | SecretStr) -> str:
        """The Fernet token (ASCII) of ``secret``, made with the newest key."""
        raw = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        return self._fernet.encrypt(raw.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str, *, field: str = "secret") -> SecretStr:
        """The secret inside a token made by :meth:`encrypt` with any of the keys."""
        from cryptography.fernet import InvalidToken

        try:
            return SecretStr(self._fernet.decrypt(token.encode("ascii")).decode("utf-8"))
        except (InvalidToken, UnicodeError, ValueError):
            raise ValidationError(
                field,
                "<encrypted>",
                "cannot be decrypted with the key(s) given (wrong key, or the value was altered)",
                hint="give the key it was encrypted with (old keys after the new one, "
                f"comma-separated, in {SECRET_KEY_ENV}).",
            ) from None

    def rotate(self, token: str, *, field: str = "secret") -> str:
        """``token`` re-encrypted with the newest key (readable with any key given)."""
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, ValueError):
            raise ValidationError(
                field,
                "<encrypted>",
                "cannot be decrypted with the key(s) given, so it cannot be rotated",
                hint="keep the old key after the new one until every value is rotated.",
            ) from None

    def encrypt_tokens(self, tokens: TokenSet) -> str:
        """A :class:`~smmkit.platforms.TokenSet` encrypted whole (secrets and metadata), from
        its :meth:`~smmkit.platforms.TokenSet.to_storage` form."""
        data: dict[str, Any] = tokens.to_storage()
        return self.encrypt(json.dumps(data, separators=(",", ":")))

    def decrypt_tokens(self, token: str, *, field: str = "tokens") -> TokenSet:
        """The :class:`~smmkit.platforms.TokenSet` of :meth:`encrypt_tokens`."""
        from smmkit.platforms import TokenSet

        plain = self.decrypt(token, field=field)
        try:
            data = json.loads(plain.get_secret_value())
        except ValueError:
            raise ValidationError(
                field, "<encrypted>", "does not hold stored tokens", hint="log in again."
            ) from None
        return TokenSet.from_storage(data)


def _env_name(channel_key: str) -> str:
    return "SMMKIT_" + "".join(c if c.isalnum() else "_" for c in channel_key.upper()) + "_TOKEN"


def env_credentials(
    channel: Channel, *, environ: Mapping[str, str] | None = None
) -> SecretStr | None:
    """The default credential provider: a channel's token from the environment.

    The channel's own reference wins (``credentials = "env:FORNO_IG_TOKEN"`` in the setup file
    reads ``FORNO_IG_TOKEN``; a literal value given in code is used as it is); otherwise
    ``SMMKIT_<CHANNEL_KEY>_TOKEN`` (``ig-forno`` reads ``SMMKIT_IG_FORNO_TOKEN``) when set; else
    ``None``. A reference to a variable that is not set is an error naming the variable.
    """
    env = os.environ if environ is None else environ
    from smmkit.platforms import register_secret

    if channel.credentials is not None:
        raw = channel.credentials.get_secret_value()
        if raw.startswith("env:"):
            name = raw[4:]
            found = env.get(name)
            if not found:
                raise ValidationError(
                    f"channels[{channel.key}].credentials",
                    raw,
                    f"the environment variable {name} is not set",
                    hint=f"export {name}=<the token> before running.",
                )
            secret = SecretStr(found)
        else:
            secret = channel.credentials
        register_secret(secret)
        return secret
    found = env.get(_env_name(channel.key))
    if not found:
        return None
    secret = SecretStr(found)
    register_secret(secret)
    return secret
