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

With ``check_fields=True`` the ``fields`` parameter is checked too: every name it selects must
be a field or a ``GET`` edge of the type the request returns (the node itself, or the edge's
``return``), and the names inside an expansion (``media{id,permalink}``,
``mentioned_comment.comment_id(1){id,text}``) against that field's or edge's type. Types the
specs do not describe are not checked further.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import httpx

from ._call import GRAPH_EXTENSION, GraphTarget

__all__ = [
    "SPECIAL_ENDPOINTS",
    "UNIVERSAL_PARAMS",
    "ContractViolation",
    "GraphContract",
    "parse_fields",
]

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


def parse_fields(selection: str) -> list[tuple[str, str | None]]:
    """The top-level names of a Graph ``fields`` selection, each with the text of its
    ``{...}`` expansion (``None`` without one); modifiers (``.limit(5)``,
    ``.comment_id(17)``) are dropped. One pass over the text; unbalanced brackets raise
    :class:`ValueError`."""
    out: list[tuple[str, str | None]] = []
    i, n = 0, len(selection)
    while i < n:
        start = i
        while i < n and selection[i] not in ",.{}()":
            i += 1
        name = selection[start:i].strip()
        while i < n and selection[i] == ".":  # modifiers: .name(args)
            i += 1
            while i < n and selection[i] not in "(,{}":
                i += 1
            if i < n and selection[i] == "(":
                close = selection.find(")", i)
                if close < 0:
                    raise ValueError("an unclosed '('")
                i = close + 1
        inner: str | None = None
        if i < n and selection[i] == "{":
            depth, begin = 0, i + 1
            while i < n:
                if selection[i] == "{":
                    depth += 1
                elif selection[i] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            if depth:
                raise ValueError("an unclosed '{'")
            inner = selection[begin:i]
            i += 1
        if i < n and selection[i] != ",":
            raise ValueError(f"unexpected {selection[i]!r} at {i}")
        i += 1
        if not name:
            raise ValueError("an empty name")
        out.append((name, inner))
    return out


def _norm(endpoint: str | None) -> str | None:
    return endpoint.replace("_", "") if endpoint else endpoint


class GraphContract:
    """Checks requests against ``<spec_dir>/api_specs/specs/*.json`` (or ``<spec_dir>/*.json``).

    ``extra`` adds descriptions for nodes the specs lack (Threads), in the same shape:
    ``{"ThreadsUser": {"apis": [...]}}``.
    """

    def __init__(
        self,
        spec_dir: Path | str,
        *,
        extra: dict[str, dict[str, object]] | None = None,
        check_fields: bool = False,
    ):
        root = Path(spec_dir)
        self.dir = root / "api_specs" / "specs" if (root / "api_specs").is_dir() else root
        if not self.dir.is_dir():
            raise FileNotFoundError(f"no Graph specs at {self.dir}")
        self._cache: dict[str, list[dict[str, object]] | None] = {}
        self._extra = extra or {}
        self._specs: dict[str, dict[str, object] | None] = {}
        self.check_fields = check_fields
        self.checked = 0

    def _spec(self, node: str) -> dict[str, object] | None:
        if node not in self._specs:
            if node in self._extra:
                spec: object = self._extra[node]
            else:
                path = self.dir / f"{node}.json"
                spec = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
            self._specs[node] = spec if isinstance(spec, dict) else None
        return self._specs[node]

    def apis(self, node: str) -> list[dict[str, object]] | None:
        if node not in self._cache:
            spec = self._spec(node)
            apis = spec.get("apis") if spec is not None else None
            self._cache[node] = list(apis) if isinstance(apis, list) else None
        return self._cache[node]

    def _member_type(self, node: str, name: str) -> tuple[bool, str | None]:
        """Whether ``name`` is a field or GET edge of ``node``, and the type it holds."""
        spec = self._spec(node)
        fields = spec.get("fields") if spec is not None else None
        for field in fields if isinstance(fields, list) else []:
            if isinstance(field, dict) and field.get("name") == name:
                kind = str(field.get("type") or "")
                if kind.startswith("list<") and kind.endswith(">"):
                    kind = kind[5:-1]
                return True, kind or None
        for api in self.apis(node) or []:
            if isinstance(api, dict) and api.get("method") == "GET" and api.get("endpoint") == name:
                returned = api.get("return")
                return True, returned if isinstance(returned, str) else None
        return False, None

    def _fields(
        self, node: str, selection: str, where: str, method: str
    ) -> list[ContractViolation]:
        """The names of ``selection`` that ``node`` does not have (recursively)."""
        if self._spec(node) is None:
            return []  # a type the specs do not describe: nothing to check against
        try:
            parsed = parse_fields(selection)
        except ValueError as exc:
            return [ContractViolation(method, where, f"fields {selection!r}: {exc}")]
        problems: list[ContractViolation] = []
        for name, inner in parsed:
            known, kind = self._member_type(node, name)
            if not known:
                problems.append(
                    ContractViolation(method, where, f"{node} has no field or edge {name!r}")
                )
            elif inner is not None and kind is not None:
                problems += self._fields(kind, inner, where, method)
        return problems

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
            selection = request.url.params.get("fields")
            if self.check_fields and selection and request.method == "GET":
                returned = found.get("return")
                kind = node if target.edge is None or not isinstance(returned, str) else returned
                problems += self._fields(kind, selection, where, request.method)
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
