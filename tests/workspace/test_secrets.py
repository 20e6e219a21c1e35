"""Secrets at rest: Fernet/MultiFernet, key rotation, credentials from the environment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from smmkit.errors import ValidationError
from smmkit.models import Cadence, Channel
from smmkit.platforms import TokenSet
from smmkit.workspace import SecretBox, env_credentials, generate_key

pytest.importorskip("cryptography")

KEY_A = generate_key()
KEY_B = generate_key()


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_round_trip_and_no_plaintext(secret: str) -> None:
    box = SecretBox([KEY_A])
    token = box.encrypt(secret)
    assert box.decrypt(token).get_secret_value() == secret
    if len(secret) >= 4:
        assert secret not in token
    assert token.isascii()


def test_rotation_newest_key_first() -> None:
    old = SecretBox([KEY_A])
    stored = old.encrypt("refresh-me")
    both = SecretBox([KEY_B, KEY_A])  # new key first, old one kept to read old values
    assert both.decrypt(stored).get_secret_value() == "refresh-me"
    rotated = both.rotate(stored)
    assert SecretBox([KEY_B]).decrypt(rotated).get_secret_value() == "refresh-me"
    with pytest.raises(ValidationError, match="cannot be decrypted"):
        old.decrypt(rotated)
    with pytest.raises(ValidationError, match="cannot be rotated"):
        SecretBox([KEY_B]).rotate(stored)


def test_keys_from_a_comma_separated_env_value() -> None:
    env = {"SMMKIT_SECRET_KEY": f"{KEY_B.get_secret_value()}, {KEY_A.get_secret_value()}"}
    box = SecretBox.from_env(environ=env)
    assert box is not None
    assert repr(box) == "SecretBox(keys=2)"
    assert SecretBox.from_env(environ={}) is None


def test_bad_key_error_never_echoes_the_key() -> None:
    bad = "not-a-key-but-maybe-a-password-hunter2"
    with pytest.raises(ValidationError) as info:
        SecretBox(bad)
    assert "hunter2" not in str(info.value)
    assert "Fernet key" in str(info.value)
    assert "generate_key" in str(info.value)


def test_tampered_ciphertext_is_refused() -> None:
    box = SecretBox(KEY_A)
    token = box.encrypt("s3cret")
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(ValidationError, match="altered"):
        box.decrypt(tampered)


def test_token_sets_round_trip_encrypted() -> None:
    tokens = TokenSet(
        access_token=SecretStr("acc-123456"),
        refresh_token=SecretStr("ref-abcdef"),
        expires_at=datetime(2026, 12, 2, 9, tzinfo=UTC),
        subject="did:plc:forno",
    )
    box = SecretBox(KEY_A)
    blob = box.encrypt_tokens(tokens)
    assert "acc-123456" not in blob
    assert "ref-abcdef" not in blob
    assert "did:plc" not in blob
    back = box.decrypt_tokens(blob)
    assert back.access_token.get_secret_value() == "acc-123456"
    assert back.refresh_token is not None
    assert back.refresh_token.get_secret_value() == "ref-abcdef"
    assert back.expires_at == tokens.expires_at


def _channel(**kw: object) -> Channel:
    return Channel.model_validate(
        {
            "key": "ig-forno",
            "platform": "instagram",
            "handle": "forno",
            "timezone": "Europe/Rome",
            "cadence": Cadence(posts_per_week=3),
            **kw,
        }
    )


def test_env_credentials_reference_default_and_missing() -> None:
    env = {"FORNO_IG": "tok-1", "SMMKIT_IG_FORNO_TOKEN": "tok-2"}
    by_ref = env_credentials(_channel(credentials="env:FORNO_IG"), environ=env)
    assert by_ref is not None
    assert by_ref.get_secret_value() == "tok-1"
    default = env_credentials(_channel(), environ=env)
    assert default is not None
    assert default.get_secret_value() == "tok-2"
    assert env_credentials(_channel(), environ={}) is None
    with pytest.raises(ValidationError, match="FORNO_IG is not set"):
        env_credentials(_channel(credentials="env:FORNO_IG"), environ={})
