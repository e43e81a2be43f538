"""Security: hostile text is data, not SQL; the fetcher stays on its hosts; no secret in the repo,
the logs or XCom. Real Postgres, real HTTP to the replay site, a real dag.test() run."""

from __future__ import annotations

import ast
import html as html_lib
import io
import json
import logging
import os
import re
import subprocess
import time
import typing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from samachar import db, pipeline
from samachar.cli import main as samachar_cli
from samachar.fetch import HttpClient
from samachar.fetch.urls import is_allowed_url
from samachar.parse import parse_article
from samachar.sources import load_profile

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "plugins" / "samachar"
T0 = datetime(2025, 1, 13, 4, 0, tzinfo=UTC)

HOSTILE = [
    "'); DROP TABLE articles; --",
    "Robert'); DELETE FROM raw_pages WHERE ('a' = 'a",
    'quote " and \' and `backtick` ; semicolon',
    "back\\slash \\' \\\\ E'\\x27' $$dollar$$ $1 %s %(q)s {0}",
    "nul\x00byte in the middle\x00",
]
FILLER = "सरकार ने नई नीति बनाई और उसे पूरे देश में लागू किया, अब सबको इसका लाभ मिलेगा।"


def _tables(conn: psycopg.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def _page(title: str, url: str) -> str:
    """An article page whose title, body and canonical URL carry ``title``."""
    t, u = html_lib.escape(title), html_lib.escape(url)
    body = "".join(f"<p>{t} {FILLER}</p>" for _ in range(4))
    return (f'<html lang="hi"><head><title>{t}</title><link rel="canonical" href="{u}">'
            f'<meta property="og:type" content="article"><meta property="og:title" content="{t}"></head>'
            f'<body><article><h1 class="entry-title">{t}</h1><div class="entry-content">{body}</div>'
            f"</article></body></html>")


def _load_hostile_pages(conn: psycopg.Connection) -> tuple[list[str], list[str], list[int], db.LoadResult]:
    """Store, parse, transliterate and load one page per hostile string with the pipeline's stages."""
    profile = load_profile("generic", base_url="https://www.indianews.in")
    run_id = pipeline.start_run(conn, profile, T0, T0 + timedelta(hours=1), trigger="test")
    pages, urls, raw_ids = [], [], []
    for n, text in enumerate(HOSTILE):
        url = f"https://www.indianews.in/india/{text.replace(chr(0), '')}-{n}/"
        page = _page(text, url)
        raw_ids.append(db.store_raw_page(
            conn, source=profile.name, url=url, final_url=url, status=200, fetched_at=T0, etag="W/\"';--\"",
            last_modified=None, content_hash=f"h{n}", html=page, run_id=run_id))
        pages.append(page)
        urls.append(url)
    conn.commit()
    staged = pipeline.parse_stage(conn, run_id, profile, raw_ids)
    staged = pipeline.transliterate_stage(conn, run_id, staged)
    return pages, urls, raw_ids, pipeline.load_stage(conn, run_id, staged)


# ---- SQL only with parameters -----------------------------------------------------------------------

def test_hostile_text_round_trips_through_the_pipeline(news_db) -> None:
    conn = news_db
    tables = _tables(conn)
    pages, urls, raw_ids, result = _load_hostile_pages(conn)
    assert result.inserted == len(HOSTILE)

    assert _tables(conn) == tables, "a hostile string changed the schema"
    # the raw HTML (NULs included: it is stored compressed, as bytes) comes back byte for byte
    assert [p.html for p in db.raw_pages(conn, raw_ids)] == pages
    assert conn.execute("SELECT etag FROM raw_pages LIMIT 1").fetchone()[0] == "W/\"';--\""
    rows = {r[0]: r[1:] for r in conn.execute(
        "SELECT url, canonical_url, title, body, title_iso, body_readable FROM articles")}
    assert set(rows) == set(urls)
    for text, url, page in zip(HOSTILE, urls, pages, strict=True):
        parsed = parse_article(page, url, profile="generic")
        canonical, title, body, title_iso, body_readable = rows[url]
        assert (canonical, title, body) == (parsed.canonical_url, parsed.title, parsed.body)
        assert title == " ".join(text.replace("\x00", "").split())  # the parser drops NULs, nothing else
        assert title_iso.startswith(title) and body_readable.startswith(title)  # Latin text is not transliterated

    db.quarantine(conn, source="generic", url=HOSTILE[0], stage="parse", reason=HOSTILE[1], detail=HOSTILE[3])
    assert conn.execute("SELECT url, reason, detail FROM quarantine").fetchall() == [
        (HOSTILE[0], HOSTILE[1], HOSTILE[3])]
    assert conn.execute("SELECT count(*) FROM raw_pages").fetchone()[0] == len(HOSTILE)


def test_nul_bytes_reaching_the_database_are_stripped_with_a_note(news_db) -> None:
    """db/sanitize.py: Postgres text cannot hold NUL, so staging strips it and notes where."""
    conn = news_db
    run_id = db.start_run(conn, source="generic", interval_start=T0, interval_end=T0 + timedelta(hours=1),
                          trigger="test")
    url = "https://x.in/a'\x00;--/"
    raw_id = db.store_raw_page(conn, source="generic", url=url, final_url=url, status=200, fetched_at=T0,
                               etag=None, last_modified=None, content_hash="h", html="<p>\x00</p>", run_id=run_id)
    article = {"url": url, "canonical_url": url, "title": "\x00'); DROP TABLE articles; --\x00", "body": "b\x00ody",
               "source": "generic", "authors": ["a\x00'"], "tags": [], "related": []}
    staged_id = db.stage_parsed(conn, run_id=run_id, raw_page_id=raw_id, article=article)
    db.set_transliteration(conn, [(staged_id, {"title_iso": "t\x00", "title_readable": "t", "summary_iso": None,
                                               "summary_readable": None, "body_iso": "b", "body_readable": "b"})])
    result = db.upsert_articles(conn, [staged_id], parser_version="p", transliterator_version="t")
    conn.commit()
    assert (result.inserted, result.sanitized) == (1, 1)
    row = conn.execute("SELECT canonical_url, title, body, authors, title_iso FROM articles").fetchone()
    assert row == ("https://x.in/a';--/", "'); DROP TABLE articles; --", "body", ["a'"], "t")
    notes = conn.execute("SELECT notes FROM staged_articles WHERE id = %s", (staged_id,)).fetchone()[0]
    assert any("title: removed 2 NUL" in note for note in notes)
    assert "articles" in _tables(conn)


QUERIES = [
    "'); DROP TABLE articles; --", "' OR '1'='1", "\" OR \"\"=\"", "%", "_", "%%' --", "\\", "\\'; SELECT pg_sleep(5); --",
    "a & | ! ( ) <-> :* ''", "\x00", "$$", "-- ", "/*", "'" * 500, "ज़ेब्रा' OR 1=1 --", "x" * 5000,
]


def test_search_with_hostile_queries(news_db, capsys) -> None:
    conn = news_db
    _load_hostile_pages(conn)
    tables = _tables(conn)
    everything = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    for query in QUERIES:
        started = time.monotonic()
        hits = db.search(conn, query)
        assert time.monotonic() - started < 3, f"{query!r} ran something slow"
        # search words are matched as words: none of these queries names a word of every article
        assert len(hits) < everything, query
        assert samachar_cli(["search", query]) == 0
        out = capsys.readouterr().out
        assert "no matches" in out or "india/" in out
    # the stored hostile title is findable as text
    assert [h["title"] for h in db.search(conn, "DROP TABLE articles")][:1] == [HOSTILE[0]]
    assert _tables(conn) == tables
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == everything


# --- no SQL built from values: a static check of every execute() in the package ----------------------------

EXECUTING_METHODS = {"execute", "executemany", "copy", "stream"}
SQL_TEXT = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE|GRANT)\b")
# (file, function): why executing a non-literal there is fine.
ALLOWED_DYNAMIC_SQL = {
    ("db/migrations.py", "_apply_pending"): "runs the text of the migration files shipped in the package",
}


class _SqlChecker(ast.NodeVisitor):
    """Flags SQL whose text can depend on run-time values.

    SQL is "static" when it is made only of string literals, module-level constants (followed
    across ``from samachar... import``), f-strings/``+``/``join`` over such constants (column
    lists built from code tuples), and ``psycopg.sql.SQL(...).format(sql.Identifier(...))``,
    which quotes identifiers. ``%`` formatting or ``.format()`` of SQL text is always flagged.
    """

    def __init__(self, relative: str, tree: ast.Module, constants: dict[str, dict[str, ast.expr]]) -> None:
        self.relative = relative
        self.module = constants[self.relative]
        self.constants = constants
        self.imports = {
            alias.asname or alias.name: (node.module, node.level, alias.name)
            for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names
        }
        self.function = ""
        self.local: dict[str, list[ast.expr]] = {}
        self.bound: set[str] = set()
        self.problems: list[str] = []

    # -- what counts as static
    def _constant(self, name: str) -> ast.expr | None:
        if name in self.module:
            return self.module[name]
        if name in self.imports:
            module, level, original = self.imports[name]
            if level:  # relative import inside the package
                base = Path(self.relative).parent
                for _ in range(level - 1):
                    base = base.parent
                target = (base / (module or "").replace(".", "/")).as_posix().lstrip("./")
            elif module and module.startswith("samachar."):
                target = module.removeprefix("samachar.").replace(".", "/")
            else:
                return None
            for candidate in (f"{target}.py", f"{target}/__init__.py"):
                if original in self.constants.get(candidate, {}):
                    return self.constants[candidate][original]
        return None

    def static(self, node: ast.expr | None, depth: int = 0) -> bool:
        if node is None or depth > 40:
            return False
        recurse = lambda child: self.static(child, depth + 1)  # noqa: E731
        match node:
            case ast.Constant():
                return isinstance(node.value, str | int | float | bool | None)
            case ast.JoinedStr():
                return all(recurse(v.value if isinstance(v, ast.FormattedValue) else v) for v in node.values)
            case ast.BinOp(op=ast.Add()):
                return recurse(node.left) and recurse(node.right)
            case ast.BinOp(op=ast.Mult()):  # "%s, " * n: placeholders, whatever n is
                return recurse(node.left) or recurse(node.right)
            case ast.Name():
                if node.id in self.bound:
                    return True
                if node.id in self.local:
                    return all(recurse(v) for v in self.local[node.id])
                return recurse(self._constant(node.id))
            case ast.Subscript():
                return recurse(node.value)
            case ast.Tuple() | ast.List() | ast.Set():
                return all(recurse(e) for e in node.elts)
            case ast.Dict():
                return all(recurse(v) for v in node.values)
            case ast.IfExp():
                return recurse(node.body) and recurse(node.orelse)
            case ast.GeneratorExp() | ast.ListComp():
                names = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
                if not all(recurse(g.iter) for g in node.generators):
                    return False
                self.bound |= names
                try:
                    return recurse(node.elt)
                finally:
                    self.bound -= names
            case ast.Call(func=ast.Attribute(attr="items" | "keys" | "values")):
                return recurse(node.func.value)
            case ast.Call(func=ast.Attribute(attr="replace" | "strip" | "lower" | "upper")):
                return recurse(node.func.value) and all(recurse(a) for a in node.args)
            case ast.Call(func=ast.Attribute(attr="join")):
                return recurse(node.func.value) and all(recurse(a) for a in node.args)
            case ast.Call(func=ast.Attribute(attr="format", value=ast.Call(func=ast.Attribute(attr="SQL")))):
                return recurse(node.func.value.args[0]) and all(
                    isinstance(a, ast.Call) and isinstance(a.func, ast.Attribute)
                    and a.func.attr in ("Identifier", "Placeholder") for a in node.args)
            case ast.Call(func=ast.Attribute(attr="SQL")):
                return all(recurse(a) for a in node.args)
            case ast.Call(func=ast.Name(id="len")):
                return True
        return False

    # -- traversal
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer = (self.function, self.local)
        self.function = node.name
        self.local = {}
        for child in ast.walk(node):
            if isinstance(child, ast.Assign):
                for target in child.targets:
                    if isinstance(target, ast.Name):
                        self.local.setdefault(target.id, []).append(child.value)
            elif isinstance(child, ast.For | ast.comprehension) and isinstance(child.target, ast.Name):
                self.local.setdefault(child.target.id, []).append(child.iter)
        self.generic_visit(node)
        self.function, self.local = outer

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def _flag(self, node: ast.AST, what: str) -> None:
        if (self.relative, self.function) not in ALLOWED_DYNAMIC_SQL:
            self.problems.append(f"{self.relative}:{node.lineno} in {self.function or 'module'}(): {what}")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in EXECUTING_METHODS and node.args:
            if not self.static(node.args[0]):
                self._flag(node, f"{func.attr}() of SQL built at run time: {ast.unparse(node.args[0])[:80]}")
        if (isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Constant)
                and isinstance(func.value.value, str) and SQL_TEXT.search(func.value.value)):
            self._flag(node, "str.format() on SQL text")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if (isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant)
                and isinstance(node.left.value, str) and SQL_TEXT.search(node.left.value)):
            self._flag(node, "%-formatting of SQL text")
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        if SQL_TEXT.search(text) and not self.static(node):
            self._flag(node, f"f-string SQL with a run-time value: {ast.unparse(node)[:80]}")
        self.generic_visit(node)


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    out: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            out[node.target.id] = node.value
    return out


def sql_problems(root: Path = PACKAGE) -> list[str]:
    """Every place in the package where SQL text may be built from a run-time value."""
    trees = {p.relative_to(root).as_posix(): ast.parse(p.read_text(encoding="utf-8")) for p in root.rglob("*.py")}
    constants = {name: _module_constants(tree) for name, tree in trees.items()}
    problems: list[str] = []
    for name, tree in sorted(trees.items()):
        checker = _SqlChecker(name, tree, constants)
        checker.visit(tree)
        problems += checker.problems
    return problems


def test_no_sql_is_built_from_values() -> None:
    assert sql_problems() == []


def test_the_sql_check_catches_value_interpolation(tmp_path: Path) -> None:
    """The static check must fail on the usual mistakes, or its silence above means nothing."""
    (tmp_path / "bad.py").write_text(
        "TABLE = 'articles'\n"
        "def ok(conn, url):\n"
        "    conn.execute(f'SELECT * FROM {TABLE} WHERE url = %s', (url,))\n"
        "def f_string(conn, url):\n"
        "    conn.execute(f\"SELECT * FROM articles WHERE url = '{url}'\")\n"
        "def concat(conn, url):\n"
        "    conn.execute(\"DELETE FROM articles WHERE url = '\" + url + \"'\")\n"
        "def percent(cur, url):\n"
        "    query = \"SELECT 1 FROM articles WHERE url = '%s'\" % url\n"
        "    cur.execute(query)\n"
        "def fmt(conn, url):\n"
        "    conn.execute(\"UPDATE articles SET title = '{}'\".format(url))\n",
        encoding="utf-8")
    found = sql_problems(tmp_path)
    assert {re.search(r"in (\w+)\(\)", p).group(1) for p in found} == {"f_string", "concat", "percent", "fmt"}


# ---- the fetcher stays on the profile's hosts ----------------------------------------------------------

@pytest.fixture()
def other_site():
    """A second replay site: the host the fetcher must never reach."""
    from samachar.devsite import DevSite

    with DevSite(n_articles=3) as site:
        yield site


def test_fetcher_refuses_other_schemes_and_hosts(devsite, other_site) -> None:
    profile = load_profile("indianews", base_url=devsite.base_url)
    allowed = profile.allowed_hosts[0]
    other = other_site.base_url.split("://", 1)[1]
    refused = {
        "file:///etc/passwd": "bad-scheme",
        "FILE:///etc/passwd": "bad-scheme",
        f"ftp://{allowed}/robots.txt": "bad-scheme",
        "data:text/html,<h1>x</h1>": "bad-scheme",
        "javascript:alert(document.cookie)": "bad-scheme",
        f"gopher://{allowed}/": "bad-scheme",
        f"{other_site.base_url}/robots.txt": "host-not-allowed",
        f"http://localhost:{allowed.rsplit(':', 1)[1]}/": "host-not-allowed",  # same server, other name
        f"http://{allowed}@{other}/": "host-not-allowed",  # user info that looks like the allowed host
        f"http://{other}/#@{allowed}/": "host-not-allowed",
        f"http://{other}?@{allowed}/": "host-not-allowed",
    }
    with HttpClient(allowed_hosts=profile.allowed_hosts, rate_limit_per_sec=100) as client:
        for url, kind in refused.items():
            result = client.fetch(url)
            assert (result.ok, result.text, result.attempts, result.error_kind) == (False, None, 0, kind), url
        assert devsite.requests == [] and other_site.requests == []  # not even robots.txt

        article = devsite.articles[0]
        devsite.set_fault(article.path, f"redirect:{other_site.base_url}/")
        result = client.fetch(article.url)
        assert result.error_kind == "offsite-redirect" and result.final_url.startswith(other_site.base_url)
        devsite.set_fault(article.path, "redirect:file:///etc/passwd")
        assert client.fetch(article.url).error_kind == "bad-scheme"
        assert other_site.requests == []
        devsite.clear_faults()
        assert client.fetch(article.url).ok  # the same client still fetches its own host


def test_backslash_in_the_authority_cannot_reach_another_host(devsite, other_site) -> None:
    """``check_url`` reads the host with urlsplit, but requests/urllib3 parse like browsers (WHATWG)
    and treat '\\' as a path separator: for ``http://OTHER\\@ALLOWED/`` urlsplit sees ALLOWED (OTHER\\
    being user info) while the request goes to OTHER. A feed, sitemap or redirect on the source
    site could point the fetcher at any host (an internal service, say)."""
    allowed = devsite.base_url.split("://", 1)[1]
    other = other_site.base_url.split("://", 1)[1]
    with HttpClient(allowed_hosts=[allowed], rate_limit_per_sec=100) as client:
        direct = [client.fetch(url) for url in (f"http://{other}\\@{allowed}/", f"http://{other}\\\\@{allowed}/")]
        devsite.set_fault(devsite.articles[0].path, f"redirect:http://{other}\\@{allowed}/")
        redirected = client.fetch(devsite.articles[0].url)
    assert other_site.requests == [], f"reached a host outside allowed_hosts: {other_site.requests}"
    assert all(not r.ok and r.attempts == 0 for r in direct)
    assert redirected.error_kind in ("offsite-redirect", "bad-scheme")
    # the same differential defeats a ".domain" entry: urlsplit reads one long host under good.test
    assert not is_allowed_url("http://evil.test\\.good.test/", [".good.test"])


# ---- no secrets in the repository ---------------------------------------------------------------------

# The local defaults the README documents, placeholders in URL fixtures (test_urls.py strips "user:pw@"),
# and the throwaway role this file creates and drops (the test server trusts local connections).
DOCUMENTED_DEFAULTS = {"airflow", "samachar", "admin", "local-dev-jwt-secret", "postgres"}
PLACEHOLDERS = {"pw", "pass", "password", "secret", "changeme"}
TEST_ROLE_PASSWORD = "s3cr3t-pa55"
NOT_SECRETS = DOCUMENTED_DEFAULTS | PLACEHOLDERS | {TEST_ROLE_PASSWORD}
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY"),
    "AWS key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "JWT": re.compile(r"\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}"),
}
URL_CREDENTIALS = re.compile(r"[a-z][a-z0-9+.-]*://([^\s:/@'\"{}<>()]+):([^\s@/'\"{}<>()]+)@")
ASSIGNED_SECRET = re.compile(
    r"(?i)(?<![/\w])(?:password|passwd|pwd|secret(?:_key)?|api_?key|token|jwt_secret)\b[\"']?\s*[:=]\s*[\"']([^\"'\s]{3,})[\"']")


def _repo_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    return [ROOT / name for name in listed if name and (ROOT / name).is_file()]


def secret_findings(text: str) -> list[str]:
    """What in ``text`` looks like a credential that is not a documented local default."""
    found = [kind for kind, pattern in SECRET_PATTERNS.items() if pattern.search(text)]
    found += [f"password in a URL for {user}" for user, password in URL_CREDENTIALS.findall(text)
              if password not in NOT_SECRETS and not password.startswith(("$", "%"))]
    found += [f"assigned secret {value[:4]}…" for value in ASSIGNED_SECRET.findall(text)
              if value not in NOT_SECRETS and not value.startswith(("$", "{", "%", "<"))]
    return found


def test_the_secret_scan_finds_secrets() -> None:
    # the samples are split in two so that this file itself does not trip the scan
    assert secret_findings('AIRFLOW_CONN_X="postgresql://app:' + 'hunter2hunter@db/x"') == ["password in a URL for app"]
    assert secret_findings("jwt_secret = '" + "kd93jd93kd'") == ["assigned secret kd93…"]
    assert secret_findings("-----BEGIN OPENSSH " + "PRIVATE KEY-----") == ["private key"]
    assert secret_findings("token: ghp_" + "a1" * 18) == ["GitHub token"]
    assert secret_findings("postgresql://airflow:airflow@postgres/airflow, admin:admin, local-dev-jwt-secret") == []
    assert secret_findings('password = "${POSTGRES_PASSWORD}", "/etc/passwd": "bad-scheme"') == []


def test_no_secrets_in_the_repository() -> None:
    files = _repo_files()
    assert len(files) > 50
    findings = []
    for path in files:
        data = path.read_bytes()
        if b"\0" in data[:8192] or len(data) > 3_000_000:  # binary (images, gzip) or generated bulk data
            continue
        text = data.decode("utf-8", errors="replace")
        findings += [f"{path.relative_to(ROOT)}: {finding}" for finding in secret_findings(text)]
    assert findings == [], findings


# ---- no secrets in XCom or task logs --------------------------------------------------------------------

ROLE = "samachar_sec_test"
PASSWORD = TEST_ROLE_PASSWORD
XCOM_SAFE = {int, list[int], list[list[int]], dict[str, int]}


def test_task_functions_return_only_ids_and_counts() -> None:
    from samachar import tasks

    functions = {name: fn for name, fn in vars(tasks).items() if name.endswith("_task") and callable(fn)}
    assert len(functions) >= 5
    for name, fn in functions.items():
        assert typing.get_type_hints(fn)["return"] in XCOM_SAFE, name


@pytest.fixture()
def password_role(news_db_url: str):
    """A role with a password on the news database (the server trusts local connections anyway)."""
    server = os.environ.get("SAMACHAR_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
    role = sql.Identifier(ROLE)
    with psycopg.connect(server, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
        admin.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(PASSWORD)))
    with psycopg.connect(news_db_url, autocommit=True) as conn:
        for grant in ("GRANT ALL ON SCHEMA public TO {}", "GRANT ALL ON ALL TABLES IN SCHEMA public TO {}",
                      "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {}",
                      "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {}"):
            conn.execute(sql.SQL(grant).format(role))
    info = conninfo_to_dict(news_db_url)
    yield f"postgresql://{ROLE}:{PASSWORD}@{info.get('host', '127.0.0.1')}:{info.get('port', 5432)}/{info['dbname']}"
    with psycopg.connect(news_db_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP OWNED BY {}").format(role))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))


def test_connection_password_stays_out_of_logs_and_xcom(news_db, airflow_db, devsite, password_role, monkeypatch,
                                                       capfd) -> None:
    """The discover task runs under dag.test() with AIRFLOW_CONN_SAMACHAR_DB carrying a password.

    dag.test() runs tasks in this process and writes no task log files, so every record the
    samachar, psycopg and airflow loggers emit is collected raw (before any masking) together with
    stdout/stderr: the password must appear nowhere, i.e. the code never logs it. Airflow's own
    masking is shown separately: after the task read the connection, its redactor hides the password.
    """
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk.execution_time.secrets_masker import redact

    assert PASSWORD in str(redact(f"postgresql://{ROLE}:{PASSWORD}@db/x")), "masked before Airflow saw it?"
    monkeypatch.setenv("SAMACHAR_BASE_URL", devsite.base_url)
    monkeypatch.setenv("AIRFLOW_CONN_SAMACHAR_DB", password_role)
    dag = DagBag(dag_folder=str(ROOT / "dags")).get_dag("samachar_ingest")
    newest = max(a.published_at for a in devsite.articles)
    records = io.StringIO()
    handler = logging.StreamHandler(records)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    watched = {"samachar": logging.DEBUG, "psycopg": logging.DEBUG, "airflow": logging.INFO}
    saved = {name: logging.getLogger(name).level for name in watched}
    for name, level in watched.items():
        logging.getLogger(name).setLevel(level)
        logging.getLogger(name).addHandler(handler)
    try:
        # discover_urls runs for real; the stages after it are marked done (they are tested elsewhere)
        dag_run = dag.test(logical_date=newest + timedelta(hours=1),
                           mark_success_pattern=r"^(fetch_pages|parse_articles|transliterate_articles|load_articles)$")
    finally:
        for name in watched:
            logging.getLogger(name).removeHandler(handler)
            logging.getLogger(name).setLevel(saved[name])
    assert dag_run.state == "success"

    # the task reached the news database through the connection with the password
    assert news_db.execute("SELECT count(*) FROM pipeline_runs").fetchone()[0] == 1
    assert news_db.execute("SELECT count(*) FROM discovered_urls").fetchone()[0] >= 1

    with psycopg.connect(airflow_db.replace("postgresql+psycopg2://", "postgresql://", 1)) as meta:
        values = [v for (v,) in meta.execute(
            "SELECT value FROM xcom WHERE dag_id = %s AND run_id = %s", (dag.dag_id, dag_run.run_id))]
    assert values, "the run pushed no XCom at all"
    for value in values:
        text = value if isinstance(value, str) else json.dumps(value)
        assert "://" not in text and PASSWORD not in text and ROLE not in text

    logs = [records.getvalue(), *capfd.readouterr()]
    assert "samachar.tasks INFO discovered" in logs[0], "the task's own log lines were not captured"
    assert not [text for text in logs if PASSWORD in text]
    assert PASSWORD not in str(redact(f"postgresql://{ROLE}:{PASSWORD}@db/x")), "Airflow did not mask the password"
