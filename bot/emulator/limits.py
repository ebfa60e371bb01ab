"""Slack's per-channel posting limit for the Web API emulator.

chat.postMessage "will generally allow an app to post 1 message per second to a specific channel",
with short bursts over that allowed; past it Slack answers HTTP 429 with `Retry-After` (seconds).
A token bucket per channel says the same: `burst` posts at once, then `per_second` refill.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

LIMITED_METHODS = ("chat.postMessage",)


@dataclass
class ChannelRateLimit:
    per_second: float = 1.0
    burst: int = 1
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # channel -> (tokens, at)

    def retry_after(self, channel: str) -> int:
        """0 when a post to `channel` may go now (it is counted); otherwise Slack's Retry-After."""
        now = self.clock()
        tokens, at = self._buckets.get(channel, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.per_second)
        if tokens >= 1:
            self._buckets[channel] = (tokens - 1, now)
            return 0
        self._buckets[channel] = (tokens, now)
        return max(1, math.ceil((1 - tokens) / self.per_second))
