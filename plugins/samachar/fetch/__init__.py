"""The fetch stage's library: polite HTTP, URL normalisation and interval discovery."""

from samachar.fetch.batch import FetchFailure, fetch_many
from samachar.fetch.discovery import DiscoveredUrl, discover
from samachar.fetch.http import FetchResult, HttpClient
from samachar.fetch.ratelimit import HostRateLimiter, shared_limiter
from samachar.fetch.urls import is_allowed_url, normalize_url

__all__ = [
    "DiscoveredUrl", "FetchFailure", "FetchResult", "HostRateLimiter", "HttpClient", "discover",
    "fetch_many", "is_allowed_url", "normalize_url", "shared_limiter",
]
