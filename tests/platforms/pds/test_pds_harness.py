"""The PDS harness itself: loopback only, a real PDS answering the AT Protocol."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.pds


def test_pds_answers_on_loopback(pds_server: Any) -> None:
    response = httpx.get(f"{pds_server.url}/xrpc/com.atproto.server.describeServer", timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["availableUserDomains"] == [".test"]
    assert body["inviteCodeRequired"] is False
    assert body["did"].startswith("did:")


def test_pds_listens_on_loopback_only(pds_server: Any, listening_addresses: Any) -> None:
    # The kernel's socket table (no traffic is sent to any non-loopback address).
    for port in (pds_server.port, pds_server.plc_port):
        addresses = listening_addresses(port)
        if addresses is None:
            pytest.skip("no /proc/net/tcp on this system")
        assert addresses == {"0100007F"}  # 127.0.0.1, nothing else


def test_plc_directory_knows_the_account(pds_server: Any, pds_account: Any) -> None:
    response = httpx.get(f"{pds_server.plc_url}/{pds_account.did}", timeout=10)
    assert response.status_code == 200
    assert f"at://{pds_account.handle}" in response.json()["alsoKnownAs"]
