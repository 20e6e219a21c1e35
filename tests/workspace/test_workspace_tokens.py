"""A real client's rotating tokens go through the workspace: stored encrypted, given back."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from smmkit.setup import load_setup
from smmkit.workspace import Workspace, generate_key

ROOT = Path(__file__).resolve().parents[2]
DID = "did:plc:forno"
APP_PASSWORD = "app-pass-PLAINTEXT-41c2"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _jwt(n: int) -> str:
    def b64(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    exp = int(datetime(2030, 1, 1, tzinfo=UTC).timestamp())
    return f"{b64({'alg': 'HS256'})}.{b64({'exp': exp, 'n': n})}.sig{n}"


class FakePds:
    """Just enough of a PDS: log in, say who the session is, show a profile."""

    def __init__(self) -> None:
        self.logins = 0
        self.seen_auth: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        nsid = request.url.path.removeprefix("/xrpc/")
        self.seen_auth.append(request.headers.get("authorization", ""))
        if nsid == "com.atproto.server.createSession":
            self.logins += 1
            body = json.loads(request.content)
            if body.get("password") != APP_PASSWORD:
                return httpx.Response(401, json={"error": "AuthenticationRequired"})
            return httpx.Response(
                200,
                json={
                    "accessJwt": _jwt(self.logins),
                    "refreshJwt": f"refresh-PLAINTEXT-{self.logins}-9f0e",
                    "did": DID,
                    "handle": "forno.test",
                },
            )
        if nsid == "com.atproto.server.getSession":
            return httpx.Response(200, json={"did": DID, "handle": "forno.test"})
        if nsid == "app.bsky.actor.getProfile":
            return httpx.Response(
                200, json={"did": DID, "followersCount": 120, "followsCount": 3, "postsCount": 9}
            )
        return httpx.Response(404, json={"error": "NotFound"})


def _setup() -> dict[str, object]:
    data = load_setup(ROOT / "examples" / "forno_aurora.toml").model_dump(mode="json")
    data["channels"] = [
        {
            "key": "bsky",
            "platform": "bluesky",
            "handle": "forno.test",
            "timezone": "Europe/Rome",
            "cadence": {"posts_per_week": 3},
            "base_url": "https://pds.test",
        }
    ]
    data["campaigns"] = []
    data["content"] = []
    return data


def test_tokens_of_a_real_client_are_kept_encrypted_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMMKIT_BSKY_TOKEN", APP_PASSWORD)  # the provider's default variable
    pds = FakePds()
    key = generate_key()
    path = tmp_path / "bsky.db"

    def open_ws() -> Workspace:
        http = httpx.Client(transport=httpx.MockTransport(pds), base_url="https://pds.test")
        # The sessions expire in 2030: the workspace and its clients use a fixed clock.
        return Workspace.open(
            path,
            secret_key=key,
            clock=lambda: NOW,
            client_options={"http_client": http, "clock": lambda: NOW},
        )

    ws = open_ws()
    ws.import_setup(_setup())
    metrics = ws.client("bsky").get_account_metrics()
    assert metrics.followers == 120
    assert pds.logins == 1
    stored = ws.load_tokens("bsky")
    assert stored is not None
    assert stored.refresh_token is not None
    assert stored.refresh_token.get_secret_value() == "refresh-PLAINTEXT-1-9f0e"
    ws.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("bsky.db"))
    for secret in (b"refresh-PLAINTEXT", APP_PASSWORD.encode(), _jwt(1).encode()):
        assert secret not in raw

    again = open_ws()  # a restart: the stored session is reused, no second login
    assert again.client("bsky").get_account_metrics().followers == 120
    assert pds.logins == 1
    assert f"Bearer {_jwt(1)}" in pds.seen_auth[-1]
    again.close()
