"""robots.txt per host, fetched once and cached, following RFC 9309's failure rules.

A 4xx robots.txt (none published) allows everything; an unreachable one (5xx, network trouble)
means "disallow everything" for a short while, then it is asked again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.robotparser import RobotFileParser

ROBOTS_TTL = 24 * 3600.0      # RFC 9309: do not use a cached copy for longer than a day
UNREACHABLE_TTL = 300.0       # retry an unreachable robots.txt after five minutes
MAX_CRAWL_DELAY = 300.0       # a larger (or absurd) Crawl-delay is read as five minutes


@dataclass
class RobotsRules:
    """The rules for one host, or a blanket allow/deny when robots.txt is missing/unreachable."""

    parser: RobotFileParser | None
    allow_all: bool
    expires: float
    reason: str

    def can_fetch(self, user_agent: str, url: str) -> bool:
        """Whether ``user_agent`` may fetch ``url`` under these rules."""
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(user_agent, url)

    delays: dict[str, float] = field(default_factory=dict)

    def crawl_delay(self, user_agent: str) -> float | None:
        """The Crawl-delay (seconds) for ``user_agent``: its own group's, else the ``*`` group's."""
        token = user_agent.split("/", 1)[0].strip().lower()
        for agent, delay in self.delays.items():
            if agent != "*" and agent in token:
                return delay
        return self.delays.get("*")

    def sitemaps(self) -> list[str]:
        """``Sitemap:`` lines, which discovery uses on sites without a known sitemap path."""
        if self.parser is None:
            return []
        return list(self.parser.site_maps() or [])


# (status, body text) for a robots.txt URL; status None means the host could not be reached.
RobotsFetcher = Callable[[str], tuple[int | None, str | None]]


class RobotsCache:
    """Thread-safe cache of :class:`RobotsRules` keyed by ``scheme://host[:port]``."""

    def __init__(self, fetcher: RobotsFetcher, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetcher = fetcher
        self._clock = clock
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, RobotsRules] = {}

    def rules(self, origin: str) -> RobotsRules:
        """Rules for ``origin`` (e.g. ``https://www.indianews.in``), fetching robots.txt if needed."""
        with self._lock:
            host_lock = self._host_locks.setdefault(origin, threading.Lock())
        with host_lock:  # one download per host even when many threads ask at once
            cached = self._rules.get(origin)
            if cached is not None and cached.expires > self._clock():
                return cached
            rules = self._load(origin)
            self._rules[origin] = rules
            return rules

    def _load(self, origin: str) -> RobotsRules:
        status, text = self._fetcher(origin + "/robots.txt")
        now = self._clock()
        if status is None or status >= 500:
            return RobotsRules(None, False, now + UNREACHABLE_TTL, f"robots.txt unreachable (status {status})")
        if status >= 400 or text is None:
            return RobotsRules(None, True, now + ROBOTS_TTL, f"no robots.txt (status {status})")
        parser = RobotFileParser(origin + "/robots.txt")
        parser.parse(text.splitlines())
        return RobotsRules(parser, True, now + ROBOTS_TTL, "robots.txt", _crawl_delays(text))


def _crawl_delays(text: str) -> dict[str, float]:
    """``Crawl-delay`` per user-agent group (the stdlib parser only reads whole seconds)."""
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_agents = False
    for raw in text.splitlines():
        key, _, value = raw.split("#", 1)[0].partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            agents = agents if in_agents else []
            agents.append(value.lower())
            in_agents = True
            continue
        in_agents = False
        if key == "crawl-delay":
            try:
                delay = float(value)
            except ValueError:
                continue
            if not 0 <= delay < float("inf"):
                continue
            delay = min(delay, MAX_CRAWL_DELAY)
            for agent in agents:
                delays.setdefault(agent, delay)
    return delays
