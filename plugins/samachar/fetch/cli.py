"""``samachar fetch URL [-o FILE]``: one page through the pipeline's own HTTP client."""

from __future__ import annotations

import sys
from pathlib import Path

from samachar.fetch.http import HttpClient
from samachar.fetch.urls import host_key, is_allowed_url


def fetch_command(url: str, output: str | None) -> int:
    """Fetch ``url`` (robots.txt, caps and retries included) and write its text.

    Only the URL's own host is allowed, redirects included. On failure prints one line
    (``samachar fetch: <kind>: <reason>``) to stderr and returns 1; 2 for a URL we refuse outright.
    """
    if not is_allowed_url(url, None):
        print(f"samachar fetch: bad-scheme: only http and https URLs can be fetched: {url}", file=sys.stderr)
        return 2
    with HttpClient(allowed_hosts=[host_key(url)]) as client:
        result = client.fetch(url)
    if not result.ok or result.text is None:
        reason = result.error or f"HTTP {result.status}"
        print(f"samachar fetch: {result.error_kind}: {reason}", file=sys.stderr)
        return 1
    if output:
        Path(output).write_text(result.text, encoding="utf-8")
        print(f"{result.final_url}: {len(result.text)} characters ({result.encoding}) -> {output}",
              file=sys.stderr)
    else:
        sys.stdout.write(result.text)
    return 0
