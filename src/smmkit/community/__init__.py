"""Community management: classify what the public writes, decide what to do about it (moderation
rules, saved replies in the brand's voice) and measure how fast the brand answers.

An engine: pure functions over :mod:`smmkit.models`, no I/O. The inbox itself (sync, state,
actions applied exactly once) lives in the store and the workspace.
"""

__all__: list[str] = []
