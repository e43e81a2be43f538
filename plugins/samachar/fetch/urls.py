"""URL normalisation and the allow-list check every fetch goes through.

One spelling per article matters: discovery merges feeds, sitemaps and archives, and the
pipeline de-duplicates against what is already stored, so the same page reached through
``HTTP://WWW.Example.com:80/a?utm_source=x#top`` and ``http://www.example.com/a/`` must compare equal.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from urllib3.util import parse_url

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only say where a click came from; dropping them never changes the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
        "hsctatracking", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "s_cid",
        "cmpid", "ncid", "ocid", "spm", "ref_src", "ref_url", "amp_js_v", "amp_gsa", "usqp",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "__hs")

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
_PATH_SAFE = "/:@!$&'()*+,;="


class UrlError(ValueError):
    """A URL the fetcher must not touch; ``kind`` is a FetchResult error_kind."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _normalize_percent(text: str, safe: str) -> str:
    """Upper-case escapes, unescape unreserved characters, escape raw non-ASCII and spaces."""
    out: list[str] = []
    pos = 0
    for match in _PCT.finditer(text):
        out.append(quote(text[pos : match.start()], safe=safe))
        char = chr(int(match.group(1), 16))
        out.append(char if char in _UNRESERVED else "%" + match.group(1).upper())
        pos = match.end()
    out.append(quote(text[pos:], safe=safe))
    return "".join(out)


def _wants_slash(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return bool(last) and "." not in last


def normalize_url(url: str, *, trailing_slash: bool = True) -> str:
    """The canonical spelling of ``url`` used for de-duplication and storage.

    Lower-cases scheme and host, drops default ports, user info, the fragment and tracking
    parameters (``utm_*``, ``fbclid``, ``gclid``...), sorts the remaining query parameters,
    resolves ``.``/``..`` segments and normalises percent-escapes (non-ASCII slugs become
    UTF-8 escapes). With ``trailing_slash`` (WordPress permalinks) a last path segment without a
    dot gets a trailing ``/``, so ``/world/story-1`` and ``/world/story-1/`` are one URL; files
    such as ``/sitemap.xml`` are left alone.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host.lower()
    except UnicodeError:
        host = host.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"

    path = _normalize_percent(parts.path or "/", _PATH_SAFE)
    if path != "/":
        keep_slash = path.endswith("/")
        path = posixpath.normpath(path)
        path = "/" + path.lstrip("/") if path != "." else "/"
        if keep_slash and path != "/":
            path += "/"
    if trailing_slash and not path.endswith("/") and _wants_slash(path):
        path += "/"

    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    pairs.sort(key=lambda kv: kv[0])
    query = urlencode(pairs, quote_via=quote, safe="/:@!$'()*,;")
    return urlunsplit((scheme, netloc, path, query, ""))


def host_key(url: str) -> str:
    """``host[:port]`` as used for rate limits, robots.txt and the allow-list (default ports dropped)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def _host_matches(key: str, allowed: str) -> bool:
    allowed = allowed.lower().rstrip(".")
    if allowed.startswith("."):  # ".example.com" = example.com and its subdomains
        bare = key.split(":", 1)[0] if ":" not in allowed else key
        return bare == allowed[1:] or bare.endswith(allowed)
    return key == allowed


def check_url(url: str, allowed_hosts: Iterable[str] | None) -> None:
    """Raise :class:`UrlError` unless ``url`` is http(s) on one of ``allowed_hosts``.

    ``allowed_hosts`` entries are ``host`` or ``host:port`` (a port must then match exactly; no
    port means the scheme's default port) or ``.domain`` for a domain and its subdomains.
    ``None`` allows any host.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        raise UrlError("bad-scheme", f"malformed URL {url!r}: {exc}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UrlError("bad-scheme", f"scheme {parts.scheme or '(none)'!r} is not http/https: {url}")
    if not parts.hostname:
        raise UrlError("bad-scheme", f"no host in {url}")
    # requests/urllib3 read "\\" as the end of the host and "@" as user-info, where urlsplit may
    # not: http://other\@allowed/ would be checked as "allowed" but sent to "other". A crawler
    # never needs either, so both are refused, and urllib3's reading of the host must agree.
    if "\\" in url.split("?", 1)[0].split("#", 1)[0] or "@" in parts.netloc:
        raise UrlError("host-not-allowed", f"backslash or user-info in the address: {url!r}")
    if (parse_url(url).host or "").lower().strip("[]") != parts.hostname.lower():
        raise UrlError("host-not-allowed", f"ambiguous host in {url!r}")
    if allowed_hosts is None:
        return
    key = host_key(url)
    if not any(_host_matches(key, allowed) for allowed in allowed_hosts):
        raise UrlError("host-not-allowed", f"host {key} is not among the allowed hosts: {url}")


def is_allowed_url(url: str, allowed_hosts: Iterable[str] | None) -> bool:
    """True when ``url`` is http(s) and its host is allowed (see :func:`check_url`)."""
    try:
        check_url(url, allowed_hosts)
    except UrlError:
        return False
    return True
