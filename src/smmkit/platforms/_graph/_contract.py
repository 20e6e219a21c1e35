"""A contract checker for Graph requests against Meta's machine-readable node descriptions.

Meta generates its official Business SDKs from ``api_specs/specs/<Node>.json`` (repository
facebook/facebook-business-sdk-codegen); each file lists the node's edges under ``apis`` with the
method, the endpoint (``null`` for the node itself) and the parameters (name, required). The
checker takes the node type and edge a request was built for (tagged by
:class:`~._call.GraphApi`) and checks that the edge exists with that method, that every
parameter sent is declared (or one of Graph's universal ones: ``access_token``, ``fields``,
paging) and that every required one is sent.

The specs describe ``graph.facebook.com``. For ``graph.instagram.com`` the Instagram-Login nodes
(``IGUserForIGOnlyAPI``, ``IGMediaForIGOnlyAPI``) are tried after the Facebook-Login ones; the
codegen spells some endpoints without underscores there (``mediapublish``), which is accepted
as the same edge. Endpoints that are not node edges (``oauth/access_token``, ``debug_token``,
``refresh_access_token``) are described apart in :data:`SPECIAL_ENDPOINTS`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import httpx

from ._call import GRAPH_EXTENSION, GraphTarget

__all__ = ["SPECIAL_ENDPOINTS", "UNIVERSAL_PARAMS", "ContractViolation", "GraphContract"]

UNIVERSAL_PARAMS = frozenset(
    {"access_token", "appsecret_proof", "fields", "limit", "after", "before", "pretty", "locale"}
)
"""Parameters every Graph node accepts (https://developers.facebook.com/docs/graph-api/overview,
field selection and cursor paging)."""

SPECIAL_ENDPOINTS: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {
    # https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
    # and .../manually-build-a-login-flow (code exchange): (required, allowed)
    ("GET", "oauth/access_token"): (
        frozenset({"client_id", "client_secret"}),
        frozenset(
            {
                "client_id",
                "client_secret",
                "redirect_uri",
                "code",
                "grant_type",
                "fb_exchange_token",
            }
        ),
    ),
    # https://developers.facebook.com/docs/graph-api/reference/debug_token
    ("GET", "debug_token"): (frozenset({"input_token"}), frozenset({"input_token"})),
    # https://developers.facebook.com/docs/instagram-platform/reference/refresh_access_token
    # https://developers.facebook.com/docs/threads/get-started/long-lived-tokens
    ("GET", "refresh_access_token"): (frozenset({"grant_type"}), frozenset({"grant_type"})),
    # https://developers.facebook.com/docs/video-api/guides/reels-publishing (the upload host)
    ("POST", "rupload"): (frozenset(), frozenset()),
    # Instagram Login / Threads: short-lived -> long-lived exchange
    ("GET", "access_token"): (
        frozenset({"grant_type"}),
        frozenset({"grant_type", "client_secret"}),
    ),
}

_IG_ONLY = {"IGUser": "IGUserForIGOnlyAPI", "IGMedia": "IGMediaForIGOnlyAPI"}


@dataclass(frozen=True, slots=True)
class ContractViolation:
    """One way a request breaks the contract."""

    method: str
    url: str
    rule: str

    def __str__(self) -> str:
        return f"{self.method} {self.url}: {self.rule}"


def _norm(endpoint: str | None) -> str | None:
    return endpoint.replace("_", "") if endpoint else endpoint


class GraphContract:
    """Checks requests against ``<spec_dir>/api_specs/specs/*.json`` (or ``<spec_dir>/*.json``).

    ``extra`` adds descriptions for nodes the specs lack (Threads), in the same shape:
    ``{"ThreadsUser": {"apis": [...]}}``.
    """

    def __init__(self, spec_dir: Path | str, *, extra: dict[str, dict[str, object]] | None = None):
        root = Path(spec_dir)
        self.dir = root / "api_specs" / "specs" if (root / "api_specs").is_dir() else root
        if not self.dir.is_dir():
            raise FileNotFoundError(f"no Graph specs at {self.dir}")
        self._cache: dict[str, list[dict[str, object]] | None] = {}
        self._extra = extra or {}
        self.checked = 0

    def apis(self, node: str) -> list[dict[str, object]] | None:
        if node not in self._cache:
            if node in self._extra:
                spec: object = self._extra[node]
            else:
                path = self.dir / f"{node}.json"
                spec = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
            apis = spec.get("apis") if isinstance(spec, dict) else None
            self._cache[node] = list(apis) if isinstance(apis, list) else None
        return self._cache[node]

    @staticmethod
    def _sent(request: httpx.Request, target: GraphTarget) -> set[str]:
        names = {k for k, _ in parse_qsl(request.url.query.decode(), keep_blank_values=True)}
        content_type = request.headers.get("content-type", "")
        if request.method != "GET" and content_type.startswith("application/x-www-form-urlencoded"):
            body = request.content.decode("utf-8", "replace")
            names |= {k for k, _ in parse_qsl(body, keep_blank_values=True)}
        if content_type.startswith("multipart/form-data"):
            names |= set(target.multipart_fields)
            raw = request.content
            for part in raw.split(b'Content-Disposition: form-data; name="')[1:]:
                names.add(part.split(b'"', 1)[0].decode("utf-8", "replace"))
        return names

    def check(self, request: httpx.Request) -> list[ContractViolation]:
        """Every way ``request`` breaks the contract (empty: it passes)."""
        self.checked += 1
        where = str(request.url.copy_with(query=None))
        target = request.extensions.get(GRAPH_EXTENSION)
        if not isinstance(target, GraphTarget):
            return [ContractViolation(request.method, where, "not built by GraphApi (no target)")]
        sent = self._sent(request, target)
        if target.node == "#special":
            spec = SPECIAL_ENDPOINTS.get((request.method, target.edge or ""))
            if spec is None:
                return [ContractViolation(request.method, where, f"unknown endpoint {target.edge}")]
            required, allowed = spec
            return self._params(request.method, where, sent, required, allowed | UNIVERSAL_PARAMS)
        candidates = [target.node]
        if request.url.host == "graph.instagram.com" and target.node in _IG_ONLY:
            candidates.append(_IG_ONLY[target.node])
        problems: list[ContractViolation] = []
        for node in candidates:
            found = self._match(node, request.method, target.edge)
            if found is None:
                problems = [
                    ContractViolation(
                        request.method,
                        where,
                        f"{node} has no {request.method} {target.edge or '(node)'} edge",
                    )
                ]
                continue
            params = found.get("params")
            declared = (
                [p for p in params if isinstance(p, dict)] if isinstance(params, list) else []
            )
            needed = {str(p["name"]) for p in declared if p.get("required")}
            known = {str(p["name"]) for p in declared} | UNIVERSAL_PARAMS
            problems = self._params(request.method, where, sent, needed, known)
            if not problems:
                return []
        return problems

    def _match(self, node: str, method: str, edge: str | None) -> dict[str, object] | None:
        apis = self.apis(node)
        if apis is None:
            return None
        for exact in (True, False):
            for api in apis:
                if not isinstance(api, dict) or api.get("method") != method:
                    continue
                endpoint = api.get("endpoint")
                endpoint = endpoint if isinstance(endpoint, str) else None
                if endpoint == edge if exact else _norm(endpoint) == _norm(edge):
                    return api
        return None

    @staticmethod
    def _params(
        method: str, where: str, sent: set[str], required: Iterable[str], allowed: Iterable[str]
    ) -> list[ContractViolation]:
        allowed_set = set(allowed)
        problems = [
            ContractViolation(method, where, f"parameter {name!r} is not declared")
            for name in sorted(sent - allowed_set)
        ]
        problems += [
            ContractViolation(method, where, f"required parameter {name!r} is missing")
            for name in sorted(set(required) - sent)
        ]
        return problems
