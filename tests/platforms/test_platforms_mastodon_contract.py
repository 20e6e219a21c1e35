"""Contract tests: every request the Mastodon client can build is validated against the
official OpenAPI description in ../shared/specs/mastodon/schema.json with openapi-core (path,
method, parameters, body), plus a check that no undeclared parameter or body field is sent."""

from __future__ import annotations

import json
import re
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from smmkit.models import MediaAsset, Variant
from smmkit.platforms import PostMarker, text_fingerprint
from smmkit.platforms.mastodon import MastodonClient

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "specs" / "mastodon" / "schema.json"
BASE = "https://mastodon.example"

try:  # openapi-core validates the whole request; jsonschema (always there) the schemas
    import openapi_core
    from openapi_core.datatypes import RequestParameters
    from werkzeug.datastructures import Headers, ImmutableMultiDict

    HAVE_OPENAPI_CORE = True
except ImportError:  # pragma: no cover - depends on the environment
    HAVE_OPENAPI_CORE = False


def _jsonschema_problems(
    raw: dict[str, Any], operation: dict[str, Any], request: httpx.Request
) -> list[str]:
    """Validate parameters and body with jsonschema (Draft 2020-12, OAS 3.1's dialect)."""
    problems: list[str] = []
    where = f"{request.method} {request.url.path}"

    def check(schema: dict[str, Any], value: Any, what: str) -> None:
        root = {**schema, "components": raw["components"]}
        for error in jsonschema.Draft202012Validator(root).iter_errors(value):
            problems.append(f"{where}: {what}: {error.message}")

    params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
    for name, value in request.url.params.multi_items():
        spec = params.get(name[:-2] if name.endswith("[]") else name)
        if spec is None:
            continue  # reported as undeclared by the caller
        schema = spec.get("schema", {})
        kind = _resolve(raw, schema).get("type")
        coerced: Any = value
        if kind == "integer":
            coerced = int(value) if value.lstrip("-").isdigit() else value
        elif kind == "boolean":
            coerced = {"true": True, "false": False}.get(value, value)
        elif kind == "array":
            coerced = [value]
        check(schema, coerced, f"query {name}")
    content_type = request.headers.get("content-type", "")
    body = (operation.get("requestBody") or {}).get("content") or {}
    if content_type.startswith("application/json"):
        check(body["application/json"]["schema"], json.loads(request.content), "body")
    elif content_type.startswith("multipart/form-data"):
        schema = _resolve(raw, body["multipart/form-data"]["schema"])
        sent = set(re.findall(rb'form-data; name="([^"]+)"', request.content))
        names = {n.decode() for n in sent}
        missing = set(schema.get("required", [])) - names
        extra = names - set(schema.get("properties", {}))
        if missing or extra:
            problems.append(
                f"{where}: multipart fields missing {missing or '-'}, undeclared {extra or '-'}"
            )
    return problems


class _HttpxRequest:
    """openapi-core's request protocol over an httpx.Request (``name[]`` query keys are the
    Rails spelling of the spec's array parameters)."""

    def __init__(self, request: httpx.Request) -> None:
        self.request = request
        query = [
            (k[:-2] if k.endswith("[]") else k, v) for k, v in request.url.params.multi_items()
        ]
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(query),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return f"{self.request.url.scheme}://{self.request.url.host}"

    @property
    def path(self) -> str:
        return self.request.url.path

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self.request.content or None

    @property
    def content_type(self) -> str:
        return str(self.request.headers.get("content-type", "application/octet-stream"))


def _errata(raw: dict[str, Any]) -> dict[str, Any]:
    """Two documented fixes to the generated spec, each narrower than the problem it fixes.

    1. ``createStatus`` lists TextStatus, MediaStatus and PollStatus under ``oneOf``, but they
       overlap: a status with text *and* media (or text and a poll) matches two of them, while
       the spec's own descriptions say such statuses are valid ("If media_ids is provided, status
       becomes optional"; "Attaching a poll is optional while status is provided"). ``anyOf``
       says what the descriptions say.
    2. File parts of multipart bodies are ``{"type": "string", "format": "binary"}``, the OAS
       3.0 spelling; under 3.1 a binary part is described by ``contentMediaType`` and the
       validator receives bytes, so ``type: string`` is dropped on those parts only.
    """
    body = raw["paths"]["/api/v1/statuses"]["post"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    schema["anyOf"] = schema.pop("oneOf")

    def fix_binary(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("format") == "binary" and node.get("type") == "string":
                del node["type"]
                node["contentMediaType"] = "application/octet-stream"
            for value in node.values():
                fix_binary(value)
        elif isinstance(node, list):
            for value in node:
                fix_binary(value)

    for item in raw["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                content = (operation.get("requestBody") or {}).get("content") or {}
                if "multipart/form-data" in content:
                    fix_binary(content["multipart/form-data"])
    return raw


def _spec() -> tuple[Any, dict[str, Any]]:
    raw = _errata(json.loads(SPEC.read_text(encoding="utf-8")))
    if not HAVE_OPENAPI_CORE:
        return None, raw
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        api = openapi_core.OpenAPI.from_dict(
            # None turns the spec validation off: openapi-core handles it (app.py) but its
            # annotation leaves None out.
            raw,
            config=openapi_core.Config(spec_validator_cls=None),  # type: ignore[arg-type]
        )
    return api, raw


def _resolve(raw: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = raw
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _declared_properties(raw: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    schema = _resolve(raw, schema)
    names = set(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            names |= _declared_properties(raw, sub)
    return names


def _operation(raw: dict[str, Any], request: httpx.Request) -> dict[str, Any]:
    path = request.url.path
    for template, item in sorted(raw["paths"].items(), key=lambda kv: kv[0].count("{")):
        parts, actual = template.split("/"), path.split("/")
        same_shape = len(parts) == len(actual) and all(
            p == a or (p.startswith("{") and p.endswith("}"))
            for p, a in zip(parts, actual, strict=True)
        )
        if same_shape and request.method.lower() in item:
            op: dict[str, Any] = item[request.method.lower()]
            return op
    raise AssertionError(f"{request.method} {path} is not in the spec")


def _scenario(server: Any, fake_time: Any, tmp_path: Path) -> None:
    """Drive every request the client can build."""
    image = tmp_path / "pane.jpg"
    image.write_bytes(b"\xff\xd8\xff fake jpeg")
    client = MastodonClient(
        BASE,
        token="contract-token-1",
        channel="m",
        language="it",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    client.instance()
    # The deprecated ``extras=`` (not in the typed signature) arrives in the data.
    text = client.publish(
        Variant.model_validate(
            {
                "channel": "m",
                "platform": "mastodon",
                "text": "Testo semplice",
                "extras": {
                    "visibility": "unlisted",
                    "spoiler_text": "CW",
                    "sensitive": True,
                    "language": "it",
                },
            }
        )
    )
    asset = MediaAsset(kind="image", path=str(image), mime_type="image/jpeg", alt_text="alt")
    client.publish(Variant(channel="m", platform="mastodon", text="Con foto", media=(asset,)))
    client.publish(
        Variant.model_validate(
            {
                "channel": "m",
                "platform": "mastodon",
                "text": "Sondaggio",
                "extras": {
                    "poll": {
                        "options": ["a", "b"],
                        "expires_in": 600,
                        "multiple": True,
                        "hide_totals": False,
                    }
                },
            }
        )
    )
    client.publish(
        Variant.model_validate(
            {
                "channel": "m",
                "platform": "mastodon",
                "text": "Thread 1",
                "thread": ("Thread 2",),
                "extras": {"in_reply_to_id": text.post_id},
            }
        )
    )
    client.publish(
        Variant(
            channel="m",
            platform="mastodon",
            text="Programmato",
            scheduled_at=fake_time.now() + timedelta(hours=1),
        ),
        native_schedule=True,
    )
    client.edit(text, "Testo modificato", spoiler_text="", language="it", sensitive=False)
    client.get_post_metrics(text)
    client.get_account_metrics()
    comments = list(client.list_comments(text))
    client.reply(comments[0], "grazie")
    list(client.mentions())
    first = client.fetch_inbox(limit=20)
    client.fetch_inbox(first.cursor, limit=20)
    marker = PostMarker(
        publish_key="k" * 12, channel="m", fingerprint=text_fingerprint("nessuno"), not_before=None
    )
    assert client.find_post(marker) is None
    client.run(client.core._find_scheduled(marker))
    client.delete(text)


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/specs/mastodon/schema.json absent")
def test_every_request_the_client_builds_matches_the_mastodon_spec(
    mastodon_server: Any, fake_time: Any, tmp_path: Path
) -> None:
    server = mastodon_server(base=BASE)
    _scenario(server, fake_time, tmp_path)
    api, raw = _spec()
    seen: set[tuple[str, str]] = set()
    problems: list[str] = []
    for request in server.requests:
        operation = _operation(raw, request)
        seen.add((request.method, operation["operationId"]))
        problems += _jsonschema_problems(raw, operation, request)
        if api is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    api.validate_request(_HttpxRequest(request))
                except Exception as exc:  # the validator's own error tree
                    problems.append(f"{request.method} {request.url}: {type(exc).__name__}: {exc}")
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        for name in request.url.params:
            plain = name[:-2] if name.endswith("[]") else name
            if plain not in declared:
                problems.append(f"{request.method} {request.url.path}: query {name!r} undeclared")
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            allowed = _declared_properties(raw, schema)
            extra = set(json.loads(request.content)) - allowed
            if extra:
                problems.append(
                    f"{request.method} {request.url.path}: body fields {extra} undeclared"
                )
    assert not problems, "\n".join(problems)
    expected = {
        "createStatus",
        "getStatus",
        "updateStatus",
        "deleteStatus",
        "getStatusContext",
        "getInstanceV2",
        "getAccountsVerifyCredentials",
        "getAccountStatuses",
        "createMediaV2",
        "getMedia",
        "getNotifications",
        "getScheduledStatuses",
    }
    missing = {op for op in expected if op not in {o for _, o in seen}}
    assert not missing, f"the scenario did not exercise {missing}; seen {sorted(seen)}"


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/specs/mastodon/schema.json absent")
def test_the_jsonschema_check_does_catch_a_bad_request() -> None:
    _, raw = _spec()
    bad = httpx.Request(
        "POST", f"{BASE}/api/v1/statuses", json={"status": "x", "visibility": "everyone"}
    )
    assert _jsonschema_problems(raw, _operation(raw, bad), bad)
    wrong_type = httpx.Request("GET", f"{BASE}/api/v1/notifications", params={"limit": "many"})
    assert _jsonschema_problems(raw, _operation(raw, wrong_type), wrong_type)
    good = httpx.Request("POST", f"{BASE}/api/v1/statuses", json={"status": "x"})
    assert _jsonschema_problems(raw, _operation(raw, good), good) == []


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/specs/mastodon/schema.json absent")
@pytest.mark.skipif(not HAVE_OPENAPI_CORE, reason="openapi-core is not installed")
def test_the_validator_does_catch_a_bad_request() -> None:
    api, _ = _spec()
    bad = httpx.Request(
        "POST", f"{BASE}/api/v1/statuses", json={"status": "x", "visibility": "everyone"}
    )
    unknown = httpx.Request("GET", f"{BASE}/api/v1/not-an-endpoint")
    for request in (bad, unknown):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(Exception, match=r"(?i)invalid|not found|valid"):
                api.validate_request(_HttpxRequest(request))
