"""The registry of platform clients, open to plug-ins through the entry-point group
``smmkit.platforms``.

A plug-in publishes a :class:`PlatformPlugin` object::

    # pyproject.toml of the plug-in
    [project.entry-points."smmkit.platforms"]
    vk = "smmkit_vk:PLUGIN"

``client_for(channel)`` then builds the right client for a :class:`~smmkit.models.Channel`.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

from smmkit.errors import UnsupportedCapability
from smmkit.models import Channel

from ._redact import get_logger

if TYPE_CHECKING:
    from ._client import AsyncClient, SyncClient
    from .sandbox import SandboxNetwork

__all__ = [
    "ENTRY_POINT_GROUP",
    "PlatformPlugin",
    "available_platforms",
    "client_for",
    "get_plugin",
    "register_platform",
]

ENTRY_POINT_GROUP = "smmkit.platforms"
_log = get_logger("smmkit.platforms.registry")


class _FromChannel(Protocol):
    def from_channel(self, channel: Channel, /, **options: Any) -> Any: ...


@dataclass(frozen=True)
class PlatformPlugin:
    """A network smmkit can talk to: its name and its two client classes.

    Both classes offer ``from_channel(channel, **options)``.
    """

    name: str
    client: Any
    async_client: Any
    description: str = ""


_BUILTIN = {
    "sandbox": "smmkit.platforms.sandbox:PLUGIN",
    "mastodon": "smmkit.platforms.mastodon:PLUGIN",
    "bluesky": "smmkit.platforms.bluesky:PLUGIN",
}
_lock = threading.Lock()
_plugins: dict[str, PlatformPlugin] = {}
_loaded = False


def register_platform(plugin: PlatformPlugin, *, replace: bool = False) -> None:
    """Add a plug-in (by hand, e.g. in tests). Refuses to replace one unless ``replace``."""
    if not isinstance(plugin, PlatformPlugin):
        raise TypeError(f"register_platform needs a PlatformPlugin (got {type(plugin).__name__})")
    with _lock:
        if plugin.name in _plugins and not replace:
            raise ValueError(
                f"platform {plugin.name!r} is already registered; pass replace=True to override"
            )
        _plugins[plugin.name] = plugin


def _load_reference(reference: str) -> PlatformPlugin | None:
    module_name, _, attribute = reference.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        _log.debug("platform module %s not available: %s", module_name, exc)
        return None
    plugin = getattr(module, attribute, None)
    return plugin if isinstance(plugin, PlatformPlugin) else None


def _load() -> None:
    global _loaded
    if _loaded:
        return
    found: dict[str, PlatformPlugin] = {}
    for name, reference in _BUILTIN.items():
        plugin = _load_reference(reference)
        if plugin is not None:
            found[name] = plugin
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            plugin = entry.load()
        except Exception as exc:  # a broken plug-in must not break smmkit
            _log.warning("platform plug-in %s could not be loaded: %s", entry.name, exc)
            continue
        if isinstance(plugin, PlatformPlugin):
            found.setdefault(plugin.name, plugin)
        else:
            _log.warning("entry point %s is not a PlatformPlugin; ignored", entry.name)
    with _lock:
        for name, plugin in found.items():
            _plugins.setdefault(name, plugin)
        _loaded = True


def available_platforms() -> list[str]:
    """Names of every network with a client (built in or plug-in)."""
    _load()
    with _lock:
        return sorted(_plugins)


def get_plugin(name: str) -> PlatformPlugin:
    """The plug-in for a platform name; :class:`~smmkit.errors.UnsupportedCapability` if none."""
    _load()
    key = str(name).lower()
    with _lock:
        plugin = _plugins.get(key)
    if plugin is None:
        raise UnsupportedCapability(
            f"no client for platform {key!r}; available: {', '.join(available_platforms())}.",
            platform=key,
            hint="install the plug-in that provides it (entry-point group 'smmkit.platforms').",
        )
    return plugin


@overload
def client_for(
    channel: Channel,
    *,
    asynchronous: Literal[False] = False,
    sandbox: SandboxNetwork | None = None,
    **options: Any,
) -> SyncClient[Any]: ...


@overload
def client_for(
    channel: Channel,
    *,
    asynchronous: Literal[True],
    sandbox: SandboxNetwork | None = None,
    **options: Any,
) -> AsyncClient[Any]: ...


@overload
def client_for(
    channel: Channel,
    *,
    asynchronous: bool,
    sandbox: SandboxNetwork | None = None,
    **options: Any,
) -> SyncClient[Any] | AsyncClient[Any]: ...


def client_for(
    channel: Channel,
    *,
    asynchronous: bool = False,
    sandbox: SandboxNetwork | None = None,
    **options: Any,
) -> SyncClient[Any] | AsyncClient[Any]:
    """A client for ``channel`` (its platform's ``from_channel``), sync unless
    ``asynchronous`` (typed: a :class:`~smmkit.platforms.SyncClient`, or an
    :class:`~smmkit.platforms.AsyncClient` with ``asynchronous=True``).

    With ``sandbox=network`` (a :class:`~smmkit.platforms.sandbox.SandboxNetwork`) the channel
    is simulated on that network, whatever its platform.
    """
    if sandbox is not None:
        plugin = get_plugin("sandbox")
        options["network"] = sandbox
    else:
        plugin = get_plugin(channel.platform.value)
    factory: _FromChannel = plugin.async_client if asynchronous else plugin.client
    client: SyncClient[Any] | AsyncClient[Any] = factory.from_channel(channel, **options)
    return client
