"""A per-host request spacing shared by every fetch in the process.

Threads reserve the next free slot for a host under a lock and sleep outside it, so N workers
hitting one host are spaced ``min_interval`` apart in total, not each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class HostRateLimiter:
    """Spaces requests to each host at least ``min_interval`` seconds apart (thread-safe)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}

    def reserve(self, host: str, min_interval: float) -> float:
        """Book the next slot for ``host``; returns how long the caller must wait for it."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + max(0.0, min_interval)
            return slot - now

    def acquire(self, host: str, min_interval: float) -> float:
        """Wait until ``host`` may be contacted again; returns the seconds slept."""
        wait = self.reserve(host, min_interval)
        if wait > 0:
            self._sleep(wait)
        return wait

    def defer(self, host: str, seconds: float) -> None:
        """Keep everyone off ``host`` for ``seconds`` (a server's Retry-After)."""
        with self._lock:
            until = self._clock() + seconds
            if until > self._next_slot.get(host, 0.0):
                self._next_slot[host] = until


_SHARED = HostRateLimiter()


def shared_limiter() -> HostRateLimiter:
    """The process-wide limiter that all HttpClients use unless given another."""
    return _SHARED
