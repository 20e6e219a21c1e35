"""smmkit: the Python SDK for a social media manager's job.

The front door re-exports the names most programs need; each lives in its own module
(``smmkit.models``, ``smmkit.errors``, and the engines). Submodules are imported on first use,
so ``import smmkit`` stays fast.

>>> import smmkit
>>> setup = smmkit.load_setup("examples/forno_aurora.toml")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .errors import SmmkitError, ValidationError
    from .models import (
        Audience,
        Brand,
        Campaign,
        Channel,
        ContentItem,
        Influencer,
        Money,
        Platform,
        Variant,
    )
    from .setup import Setup, load_setup
    from .workspace import Workspace

__all__ = [
    "Audience",
    "Brand",
    "Campaign",
    "Channel",
    "ContentItem",
    "Influencer",
    "Money",
    "Platform",
    "Setup",
    "SmmkitError",
    "ValidationError",
    "Variant",
    "Workspace",
    "__version__",
    "load_setup",
]

_LAZY: dict[str, str] = {
    "Audience": "smmkit.models",
    "Brand": "smmkit.models",
    "Campaign": "smmkit.models",
    "Channel": "smmkit.models",
    "ContentItem": "smmkit.models",
    "Influencer": "smmkit.models",
    "Money": "smmkit.models",
    "Platform": "smmkit.models",
    "Variant": "smmkit.models",
    "Workspace": "smmkit.workspace",
    "Setup": "smmkit.setup",
    "load_setup": "smmkit.setup",
    "SmmkitError": "smmkit.errors",
    "ValidationError": "smmkit.errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'smmkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
