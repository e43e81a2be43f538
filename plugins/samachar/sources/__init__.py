"""Source profiles: each news site is declared as data in ``<name>.toml`` beside this file.

Adding a site is a new TOML file (base URL, allowed hosts, discovery methods in order, rate
limit, parser, schedule); no code changes. ``SAMACHAR_SOURCES_DIR`` names a further directory
of profiles (a deployment's own sites; a file there overrides a shipped one of the same name). ``generic.toml`` works for any site with RSS/Atom or
sitemaps and JSON-LD ``NewsArticle`` once given a base URL.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from samachar import config

DISCOVERY_KINDS = ("feed", "sitemap", "date-archive")


class ProfileError(ValueError):
    """A source profile is missing, malformed or inconsistent (a retry cannot fix this)."""


@dataclass(frozen=True)
class DiscoveryMethod:
    """One way of listing a site's articles.

    ``kind``: ``feed`` (RSS/Atom), ``sitemap`` (index, urlset or Google News sitemap; the
    ``robots`` path means "the Sitemap: lines of robots.txt") or ``date-archive`` (paths are
    templates with ``{yyyy}``, ``{mm}``, ``{dd}``; pagination follows ``page_path``).
    """

    kind: str
    paths: tuple[str, ...]
    max_pages: int = 20
    page_path: str = "page/{n}/"

    @property
    def name(self) -> str:
        """Label stored with each discovered URL, e.g. ``sitemap:/news-sitemap.xml``."""
        return f"{self.kind}:{self.paths[0]}" if self.paths else self.kind


@dataclass(frozen=True)
class SourceProfile:
    """Everything the pipeline needs to know about one site."""

    name: str
    base_url: str
    allowed_hosts: tuple[str, ...]
    discovery: tuple[DiscoveryMethod, ...]
    rate_limit_per_sec: float
    parser: str
    schedule: str = "0 * * * *"
    start_date: str = "2025-01-01"
    timezone: str = "Asia/Kolkata"
    pool: str = ""
    max_concurrency: int = 2
    batch_size: int = 100          # URLs per mapped fetch/parse task: fewer, larger tasks cost less overhead
    max_active_runs: int = 1
    enabled: bool = True
    trailing_slash: bool = True
    description: str = ""
    dag_id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.pool:
            object.__setattr__(self, "pool", f"samachar_{self.name}")
        if not self.dag_id:
            object.__setattr__(self, "dag_id", f"samachar_ingest_{self.name}")

    def with_base_url(self, url: str) -> SourceProfile:
        """The same profile pointed at another host (the replay site); only that host is allowed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ProfileError(f"base URL must be http(s)://host[:port]: {url!r}")
        from samachar.fetch.urls import host_key

        return replace(self, base_url=f"{parts.scheme}://{host_key(url)}", allowed_hosts=(host_key(url),))

    @property
    def tz(self) -> ZoneInfo:
        """The site's local time zone (its feeds and archives speak it)."""
        return ZoneInfo(self.timezone)

    @property
    def start_datetime(self) -> datetime:
        """``start_date`` as midnight in the site's time zone (the DAG's start_date)."""
        return datetime.fromisoformat(self.start_date).replace(tzinfo=self.tz)

    @property
    def period(self) -> timedelta:
        """Length of one scheduled interval, from the cron ``schedule``."""
        from croniter import croniter

        base = datetime(2025, 1, 1, tzinfo=self.tz)
        it = croniter(self.schedule, base)
        first = it.get_next(datetime)
        return it.get_next(datetime) - first


def _profile_files() -> dict[str, Traversable]:
    """Profile name -> TOML file: the shipped ones, then ``SAMACHAR_SOURCES_DIR`` (which wins)."""
    dirs: list[Traversable] = [resources.files(__package__)]
    extra = os.environ.get("SAMACHAR_SOURCES_DIR")
    if extra:
        if not Path(extra).is_dir():
            raise ProfileError(f"SAMACHAR_SOURCES_DIR {extra!r} is not a directory")
        dirs.append(Path(extra))
    files: dict[str, Traversable] = {}
    for folder in dirs:
        for item in folder.iterdir():
            if item.name.endswith(".toml") and item.is_file():
                files[item.name[: -len(".toml")]] = item
    return files


def _profile_text(name: str) -> str:
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ProfileError(f"bad source name {name!r}")
    files = _profile_files()
    if name not in files:
        raise ProfileError(f"unknown source {name!r}; available: {', '.join(sorted(files))}")
    return files[name].read_text(encoding="utf-8")


def _method(data: dict[str, Any], where: str) -> DiscoveryMethod:
    kind = data.get("kind")
    if kind not in DISCOVERY_KINDS:
        raise ProfileError(f"{where}: discovery kind must be one of {DISCOVERY_KINDS}, not {kind!r}")
    paths = data.get("paths") or ([data["path"]] if "path" in data else [])
    if not paths or not all(isinstance(p, str) for p in paths):
        raise ProfileError(f"{where}: discovery method {kind!r} needs 'paths' (a list of strings)")
    known = {f.name for f in fields(DiscoveryMethod)} | {"path"}
    unknown = set(data) - known
    if unknown:
        raise ProfileError(f"{where}: unknown discovery keys {sorted(unknown)}")
    extra = {k: data[k] for k in ("max_pages", "page_path") if k in data}
    return DiscoveryMethod(kind=kind, paths=tuple(paths), **extra)


def parse_profile(text: str, where: str = "profile") -> SourceProfile:
    """Build a :class:`SourceProfile` from TOML text, with errors that name the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: invalid TOML: {exc}") from exc
    known = {f.name for f in fields(SourceProfile)}
    unknown = set(data) - known
    if unknown:
        raise ProfileError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("name", "parser", "rate_limit_per_sec", "discovery"):
        if key not in data:
            raise ProfileError(f"{where}: missing required key {key!r}")
    data["discovery"] = tuple(_method(m, where) for m in data["discovery"])
    data["allowed_hosts"] = tuple(h.lower() for h in data.get("allowed_hosts", ()))
    data.setdefault("base_url", "")
    if float(data["rate_limit_per_sec"]) <= 0:
        raise ProfileError(f"{where}: rate_limit_per_sec must be positive")
    try:
        ZoneInfo(data.get("timezone", "Asia/Kolkata"))
    except ZoneInfoNotFoundError as exc:
        raise ProfileError(f"{where}: unknown timezone {data.get('timezone')!r}") from exc
    return SourceProfile(**data)


def available_sources() -> list[str]:
    """Names of the profiles: shipped (``indianews``, ``generic``) and from ``SAMACHAR_SOURCES_DIR``."""
    return sorted(_profile_files())


def load_profile(name: str, base_url: str | None = None) -> SourceProfile:
    """Load a shipped profile; ``base_url`` (else ``SAMACHAR_BASE_URL``) re-points it.

    The generic profile has no site of its own, so it needs one of the two.
    """
    profile = parse_profile(_profile_text(name), where=f"{name}.toml")
    target = base_url or config.base_url_override()
    if target:
        profile = profile.with_base_url(target)
    if not profile.base_url:
        raise ProfileError(f"source {name!r} has no base_url: pass one or set SAMACHAR_BASE_URL")
    if not profile.allowed_hosts:
        profile = profile.with_base_url(profile.base_url)
    return profile


def enabled_profiles() -> list[SourceProfile]:
    """Profiles that get a scheduled DAG (``enabled = true`` and a base URL of their own)."""
    out = []
    for name in available_sources():
        profile = parse_profile(_profile_text(name), where=f"{name}.toml")
        if profile.enabled and (profile.base_url or config.base_url_override()):
            out.append(load_profile(name))
    return out


def parser_for_url(url: str) -> str:
    """The parser profile of the shipped source that owns ``url``'s host, else ``generic``."""
    host = (urlsplit(url).hostname or "").lower()
    for name in available_sources():
        profile = parse_profile(_profile_text(name), where=f"{name}.toml")
        if host and host in profile.allowed_hosts:
            return profile.parser
    return "generic"
