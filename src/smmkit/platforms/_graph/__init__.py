"""The Graph layer shared by the Instagram, Facebook Pages and Threads clients (private).

Error bodies and usage headers (:mod:`._errors`), request building, auth and sending
(:mod:`._call`), webhooks (:mod:`._webhooks`), the contract checker against Meta's specs
(:mod:`._contract`) and tokens (:mod:`._tokens`). The public names are re-exported by
:mod:`smmkit.platforms.meta`.
"""

from ._call import (
    GRAPH_EXTENSION,
    META_HOSTS,
    GraphApi,
    GraphAuth,
    GraphCallContext,
    GraphTarget,
    graph_call,
    graph_json,
)
from ._contract import SPECIAL_ENDPOINTS, UNIVERSAL_PARAMS, ContractViolation, GraphContract
from ._errors import (
    THROTTLING_CODES,
    GraphErrorInfo,
    graph_dialect,
    graph_error,
    graph_error_info,
    needs_reauth,
    parse_graph_error,
    parse_usage_headers,
    usage_percent,
)
from ._webhooks import (
    ReplayGuard,
    WebhookEvent,
    WebhookRefused,
    parse_webhook,
    sign_body,
    verify_delivery,
    verify_signature,
    verify_subscription,
    webhook_message,
)

__all__ = [
    "GRAPH_EXTENSION",
    "META_HOSTS",
    "SPECIAL_ENDPOINTS",
    "THROTTLING_CODES",
    "UNIVERSAL_PARAMS",
    "ContractViolation",
    "GraphApi",
    "GraphAuth",
    "GraphCallContext",
    "GraphContract",
    "GraphErrorInfo",
    "GraphTarget",
    "ReplayGuard",
    "WebhookEvent",
    "WebhookRefused",
    "graph_call",
    "graph_dialect",
    "graph_error",
    "graph_error_info",
    "graph_json",
    "needs_reauth",
    "parse_graph_error",
    "parse_usage_headers",
    "parse_webhook",
    "sign_body",
    "usage_percent",
    "verify_delivery",
    "verify_signature",
    "verify_subscription",
    "webhook_message",
]
