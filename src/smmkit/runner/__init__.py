"""``smmkit.runner``: publishes what is due exactly once — across crashes and across several
processes sharing one store — and collects metrics on schedule.

>>> from smmkit.runner import Runner            # doctest: +SKIP
>>> Runner(store, clients).run(until_idle=True)  # doctest: +SKIP

See ``docs/runner.md`` for the guarantees and how they are kept.
"""

from ._runner import (
    DEFAULT_METRIC_AGES,
    Backoff,
    ClientProvider,
    InboxSync,
    PublishingClient,
    Runner,
    RunnerHooks,
    RunReport,
)

__all__ = [
    "DEFAULT_METRIC_AGES",
    "Backoff",
    "ClientProvider",
    "InboxSync",
    "PublishingClient",
    "RunReport",
    "Runner",
    "RunnerHooks",
]
