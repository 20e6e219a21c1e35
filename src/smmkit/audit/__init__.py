"""The presence audit and the channel recommendation. Pure engines over :mod:`smmkit.models`.

- :func:`audit_presence`: the brand and each competitor, per channel: followers and growth,
  cadence, engagement rate by followers, format and pillar mix, best posts, share of voice and
  response time; every missing figure says why, nothing is guessed.
- :func:`collect_channel` (through any platform client), :func:`channel_data_from_profile` (a
  competitor's public profile) and :func:`read_audit_csv` make the :class:`ChannelData` it reads.
- :func:`recommend_channels`: where to be and how often, with reasons and the expected effect;
  :meth:`ChannelPlan.apply` gives the planner its channels and cadence.
"""

from ._collect import (
    AuditImportError,
    channel_data_from_profile,
    collect_channel,
    read_audit_csv,
)
from ._presence import (
    SOURCES,
    BestPost,
    ChannelAudit,
    ChannelData,
    PresenceAudit,
    audit_presence,
)
from ._recommend import (
    CADENCE_LIMITS,
    OBJECTIVE_FIT,
    ChannelPlan,
    ChannelRecommendation,
    recommend_channels,
)

__all__ = [
    "CADENCE_LIMITS",
    "OBJECTIVE_FIT",
    "SOURCES",
    "AuditImportError",
    "BestPost",
    "ChannelAudit",
    "ChannelData",
    "ChannelPlan",
    "ChannelRecommendation",
    "PresenceAudit",
    "audit_presence",
    "channel_data_from_profile",
    "collect_channel",
    "read_audit_csv",
    "recommend_channels",
]
