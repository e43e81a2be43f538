"""The ``samachar`` command: thin argument handling over the library.

Every subcommand fails with one line on stderr (never a traceback) when its
arguments are wrong or the news database cannot be reached.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from samachar import __version__


class UsageError(Exception):
    """A problem with what the user asked for; shown as one line."""


def _aware(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {value!r}") from exc
    if moment.tzinfo is None:
        from zoneinfo import ZoneInfo

        moment = moment.replace(tzinfo=ZoneInfo("Asia/Kolkata"))
    return moment


def _cmd_db(args: argparse.Namespace) -> int:
    from samachar.db import migrate_command

    return migrate_command()


def _cmd_devsite(args: argparse.Namespace) -> int:
    from samachar.devsite import serve_forever

    serve_forever(args.host, args.port, n_articles=args.articles, recent=args.recent,
                  fault_rate=args.fault_rate, seed=args.seed)
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    from samachar.fetch.cli import fetch_command

    return fetch_command(args.url, args.output)


def _cmd_parse(args: argparse.Namespace) -> int:
    from samachar.models import NotAnArticle
    from samachar.parse import parse_article

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    from samachar.sources import parser_for_url

    html = path.read_bytes().decode("utf-8", errors="replace")
    profile = args.profile or parser_for_url(args.url)
    try:
        article = parse_article(html, args.url, profile=profile, fetched_at=args.fetched_at)
    except NotAnArticle as exc:
        print(f"samachar parse: not an article: {exc}", file=sys.stderr)
        return 3
    json.dump(article.to_json_dict(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _cmd_transliterate(args: argparse.Namespace) -> int:
    from samachar.transliterate import transliterate

    for line in sys.stdin:
        ending = "\n" if line.endswith("\n") else ""
        sys.stdout.write(transliterate(line.rstrip("\n"), args.scheme, reverse=args.reverse) + ending)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from samachar.pipeline import run_once_command

    if (args.start is None) != (args.end is None):
        raise UsageError("--start and --end go together")
    if args.start and args.start >= args.end:
        raise UsageError("--start must be before --end")
    return run_once_command(args.source, start=args.start, end=args.end, base_url=args.base_url,
                            max_articles=args.max_articles, urls=args.url)


def _cmd_search(args: argparse.Namespace) -> int:
    from samachar.db import search_command

    return search_command(args.query, args.limit)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, separate so tests can inspect it."""
    parser = argparse.ArgumentParser(prog="samachar", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"samachar {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="news database administration")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("migrate", help="apply the schema migrations (safe to repeat)").set_defaults(func=_cmd_db)

    dev = sub.add_parser("devsite", help="serve the replay India News site on 127.0.0.1")
    dev.add_argument("--port", type=int, default=8090)
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--articles", type=int, default=40, help="how many articles the site holds")
    dev.add_argument("--recent", action="store_true", help="date the newest article a few minutes ago")
    dev.add_argument("--fault-rate", type=float, default=0.0, help="share of article requests that fail")
    dev.add_argument("--seed", type=int, default=0)
    dev.set_defaults(func=_cmd_devsite)

    fetch = sub.add_parser("fetch", help="download one URL politely (robots.txt, retries, size cap)")
    fetch.add_argument("url")
    fetch.add_argument("-o", "--output", help="write the page here instead of stdout")
    fetch.set_defaults(func=_cmd_fetch)

    parse = sub.add_parser("parse", help="extract an article from a saved HTML page as JSON")
    parse.add_argument("file")
    parse.add_argument("--url", required=True, help="the URL the page was fetched from")
    parse.add_argument("--fetched-at", type=_aware, default=None,
                       help="when it was fetched (resolves relative times such as '22 minutes ago')")
    parse.add_argument("--profile", default=None, help="parser profile (default: chosen from the URL)")
    parse.set_defaults(func=_cmd_parse)

    translit = sub.add_parser("transliterate", help="Devanagari <-> Latin, stdin to stdout, line by line")
    translit.add_argument("--scheme", choices=["iso15919", "readable"], default="iso15919")
    translit.add_argument("--reverse", action="store_true", help="Latin (ISO 15919) back to Devanagari")
    translit.set_defaults(func=_cmd_transliterate)

    run = sub.add_parser("run", help="run the whole pipeline once, outside Airflow")
    run.add_argument("--source", required=True)
    run.add_argument("--start", type=_aware, help="interval start (ISO 8601; naive means IST)")
    run.add_argument("--end", type=_aware, help="interval end, exclusive")
    run.add_argument("--base-url", help="fetch from this site instead of the profile's (e.g. the replay site)")
    run.add_argument("--max-articles", type=int, default=None)
    run.add_argument("--url", action="append", default=[],
                     help="ingest exactly this article URL (repeatable), e.g. to retry a quarantined one")
    run.set_defaults(func=_cmd_run)

    search = sub.add_parser("search", help="full-text search over stored articles")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=10)
    search.set_defaults(func=_cmd_search)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``samachar`` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "transliterate" and args.reverse and args.scheme != "iso15919":
        print("samachar transliterate: --reverse needs --scheme iso15919 (readable is lossy)", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"samachar {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one line for people; details with -v
        if args.verbose:
            logging.exception("samachar %s failed", args.command)
        print(f"samachar {args.command}: {_describe(exc)}", file=sys.stderr)
        return 1


def _describe(exc: BaseException) -> str:
    import psycopg

    text = " ".join(str(exc).split())  # one line, whatever the exception carried
    if isinstance(exc, psycopg.OperationalError):
        return f"cannot reach the news database (SAMACHAR_DATABASE_URL): {text}"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
