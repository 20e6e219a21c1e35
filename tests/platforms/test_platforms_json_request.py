"""json_request builds the request httpx.Request(..., json=...) builds (the publish hot path)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.platforms._core import json_request

_TOKEN = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
    min_size=1,
    max_size=20,
)
_VALUE = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
_URL = st.builds(
    lambda scheme, host, port, path: f"{scheme}://{host}{port}/{path}",
    st.sampled_from(["https", "http"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){1,2}", fullmatch=True),
    st.sampled_from(["", ":8443", ":80", ":443"]),
    st.from_regex(r"[a-z0-9/_-]{0,20}", fullmatch=True),
)


def _same(ours: httpx.Request, theirs: httpx.Request) -> None:
    assert ours.method == theirs.method and ours.url == theirs.url
    # The body may differ in formatting between httpx versions, never in value; each
    # request's Content-Length is its own body's.
    if theirs.content == b"":  # json=None: no body at all
        assert ours.content == b""
    else:
        assert json.loads(ours.content) == json.loads(theirs.content)
    for request in (ours, theirs):
        assert request.headers["Content-Length"] == str(len(request.content))
    strip = [(k, v) for k, v in ours.headers.multi_items() if k != "content-length"]
    assert strip == [(k, v) for k, v in theirs.headers.multi_items() if k != "content-length"]
    assert ours.extensions == theirs.extensions


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["POST", "PUT", "PATCH", "post"]),
    _URL,
    _JSON,
    st.dictionaries(_TOKEN, _VALUE, max_size=3),
)
def test_the_same_request_as_httpx_builds(
    method: str, url: str, body: Any, headers: dict[str, str]
) -> None:
    parsed = httpx.URL(url)
    _same(
        json_request(method, parsed, body, headers),
        httpx.Request(method, parsed, json=body, headers=headers),
    )


@pytest.mark.parametrize("name", ["Content-Type", "content-length", "HOST"])
def test_a_header_httpx_would_keep_is_kept(name: str) -> None:
    url = httpx.URL("https://example.test/api")
    headers = {name: "example.test" if name == "HOST" else "application/merge-patch+json"}
    if name == "content-length":
        headers = {name: "2"}
    ours = json_request("POST", url, {}, headers)
    theirs = httpx.Request("POST", url, json={}, headers=headers)
    assert ours.headers.multi_items() == theirs.headers.multi_items()
    assert ours.content == theirs.content


def test_refusals_are_the_same_as_httpx() -> None:
    url = httpx.URL("https://example.test/api")
    with pytest.raises(UnicodeEncodeError):
        httpx.Request("POST", url, json={}, headers={"Idempotency-Key": "clé"})
    with pytest.raises(UnicodeEncodeError):
        json_request("POST", url, {}, {"Idempotency-Key": "clé"})
    with pytest.raises(ValueError):
        json_request("POST", url, {"x": float("nan")})
